// The SwiftUI side of the demo's privacy logic: an ObservableObject over PhocolLogic's
// PhocolGate (plain Swift, built and tested on Linux in tests/run-all.sh), plus the three
// things only iOS can do: the camera's OS prompt, Apple's tracking prompt, and presenting
// Google's sign-in. Not compiled on the project's machine (no UIKit or SwiftUI there).

#if canImport(SwiftUI) && canImport(UIKit)
import AppTrackingTransparency
import AVFoundation
import Foundation
import GatekeeperAdapters
import GatekeeperCore
import PhocolLogic
import SwiftUI
import UIKit

/// What the camera button led to.
enum CameraStep: Equatable {
    case idle
    /// iOS granted access: show the camera.
    case showCamera
    /// What the gatekeeper said to do instead of (or before) the OS prompt.
    case step(PermissionStep)
}

@MainActor
final class AppGate: ObservableObject {
    /// One switch on the consent screen, with its title from the manifest.
    struct Toggle: Identifiable, Equatable {
        let id: String
        let title: String
        let isSDK: Bool
        let on: Bool
    }

    @Published private(set) var launchScreen: LaunchScreen = .acceptPolicy
    @Published private(set) var mode: AppMode = .undecided
    /// After agreeing on first run: the consent screen (the switches) is shown once.
    @Published private(set) var consentStepPending = false
    @Published private(set) var toggles: [Toggle] = []
    @Published private(set) var runningSDKs: [String] = []
    @Published var camera: CameraStep = .idle
    @Published var problem: String?

    /// Nil when the store could not be opened: then nothing starts and nothing is prompted.
    private let gate: PhocolGate?
    private var changes: Task<Void, Never>?

    init() {
        OSLogSink.install()
        var opened: PhocolGate?
        do {
            let gk = try Gatekeeper.open(dbPath: try Self.databasePath(), manifestJson: Self.policyManifest())
            opened = PhocolGate(gatekeeper: gk,
                                start: { print("[PhocolDemo] start SDK \($0) (stub)") },
                                stop: { print("[PhocolDemo] stop SDK \($0) (stub)") },
                                adapters: AppSDKs.adapters(memory: UserDefaultsSwitchMemory()))
        } catch {
            // Fail closed. The message names the problem, never the user.
            problem = "Privacy settings are unavailable: \(error.localizedDescription)"
        }
        gate = opened
        if let gate {
            gate.onAppStart(deviceRegion: Locale.current.regionCode) // iOS 15: no Locale.Region yet
            // Every change (a grant, a withdrawal, another process's write) refreshes the screens.
            let stream = gate.gatekeeper.changeCenter.changes(bufferingPolicy: .bufferingNewest(1))
            changes = Task { [weak self] in
                for await _ in stream { self?.refresh() }
            }
        }
        refresh()
    }

    // MARK: First run

    func agree(byGuardian: Bool = false) {
        let firstTime = launchScreen == .acceptPolicy || launchScreen == .acceptUpdatedPolicy
        perform { gate in
            try gate.firstRun.agree(byGuardian: byGuardian)
            consentStepPending = firstTime
        }
    }

    /// "Disagree": browse only. Records nothing, starts no SDK; the dialog returns next launch.
    func disagree() {
        gate?.firstRun.disagree()
        refresh()
    }

    /// A browse-only user asked for the full app: show the privacy dialog again.
    func showPolicyDialog() {
        launchScreen = .acceptPolicy
    }

    func finishConsentStep() {
        consentStepPending = false
    }

    // MARK: Consent switches and settings

    func set(_ toggle: Toggle, on: Bool, source: String = ConsentSource.settings) {
        perform { gate in
            if toggle.isSDK {
                try gate.consent.setSDK(toggle.id, on: on, source: source)
            } else {
                try gate.consent.setPurpose(toggle.id, on: on, source: source)
            }
        }
        if on && toggle.id == Self.advertisingPurpose { requestTrackingIfAllowed() }
    }

    /// Settings → "Withdraw all consent": one call, as easy as giving it.
    func withdrawAll() {
        perform { gate in
            let screen = try gate.consent.screen()
            try gate.consent.withdrawAll(purposes: screen.filter { !$0.isSDK }.map(\.id), sdks: screen.filter(\.isSDK).map(\.id))
        }
    }

    func decisionLogLines() -> [String] {
        gate?.decisionLog.lines() ?? ["No decisions logged yet."]
    }

    // MARK: App Tracking Transparency

    /// The purpose whose consent covers tracking for ads.
    static let advertisingPurpose = "personalised_ads"

    /// Apple's tracking prompt, only once the gatekeeper allows the advertising purpose (and
    /// iOS has not asked before): never at launch, never before consent.
    func requestTrackingIfAllowed() {
        guard let gate, gate.gatekeeper.decidePurpose(id: Self.advertisingPurpose).isAllowed,
              ATTrackingManager.trackingAuthorizationStatus == .notDetermined else { return }
        ATTrackingManager.requestTrackingAuthorization { status in
            print("[PhocolDemo] tracking authorization: \(status.rawValue)")
        }
    }

    // MARK: Google Sign-In (on a tap, when allowed)

    func signInWithGoogle() {
        guard let google = gate?.adapters["google_sign_in"] as? AppSDKs.GoogleSignIn,
              let root = UIApplication.shared.connectedScenes.compactMap({ ($0 as? UIWindowScene)?.keyWindow }).first?.rootViewController,
              google.signIn(presenting: root, completion: { result in
                  // Google calls back on the main queue; the user's profile is the app's business.
                  guard case let .failure(error) = result else { return }
                  let message = "Google sign-in failed: \(error.localizedDescription)"
                  Task { @MainActor [weak self] in self?.problem = message }
              })
        else {
            problem = "Google sign-in is not available: allow account login and Google Sign-In first (or the SDK is not in this build)."
            return
        }
    }

    // MARK: Camera (just in time)

    /// The camera button: ask the gatekeeper BEFORE any OS prompt.
    func cameraTapped() {
        guard let gate else { return }
        let step = gate.permissions.request("camera")
        switch step {
        case .showSystemPrompt:
            promptForCamera(gate)
        case .showPolicy:
            camera = .idle
            launchScreen = .acceptPolicy
        default:
            camera = .step(step)
        }
    }

    /// The user agreed in the just-in-time consent prompt.
    func grantForCamera(_ step: PermissionStep) {
        perform { gate in _ = try gate.permissions.grantAndRetry(step) }
        cameraTapped()
    }

    private func promptForCamera(_ gate: PhocolGate) {
        let status = AVCaptureDevice.authorizationStatus(for: .video)
        if status == .notDetermined {
            AVCaptureDevice.requestAccess(for: .video) { granted in
                Task { @MainActor in
                    self.record(gate, granted ? .authorized : .denied, promptShownNow: true)
                    self.camera = granted ? .showCamera : .idle
                }
            }
            return
        }
        // iOS shows its prompt once: a refusal found now can only be changed in Settings.
        record(gate, status == .authorized ? .authorized : .denied, promptShownNow: false)
        camera = status == .authorized ? .showCamera : .step(gate.permissions.request("camera"))
    }

    private func record(_ gate: PhocolGate, _ status: IOSAuthorizationStatus, promptShownNow: Bool) {
        guard let result = PermissionFlow.iosResult(status, promptShownNow: promptShownNow) else { return }
        perform { gate in try gate.permissions.record("camera", result) }
    }

    func openSystemSettings() {
        if let url = URL(string: UIApplication.openSettingsURLString) { UIApplication.shared.open(url) }
        camera = .idle
    }

    // MARK: Plumbing

    private func perform(_ body: (PhocolGate) throws -> Void) {
        guard let gate else { return }
        do {
            try body(gate)
        } catch {
            problem = error.localizedDescription // the core's message: what was wrong, never who
        }
        refresh()
    }

    private func refresh() {
        guard let gate else {
            launchScreen = .acceptPolicy
            return
        }
        if gate.firstRun.mode != .browseOnly { launchScreen = gate.firstRun.launchScreen() } else { launchScreen = .home }
        mode = gate.firstRun.mode
        let manifest = gate.gatekeeper.manifest()
        toggles = ((try? gate.consent.screen()) ?? []).map { t in
            let title = t.isSDK
                ? manifest.sdks.first { $0.id == t.id }.map { "\($0.name) (\($0.vendor)): its own consent" } ?? t.id
                : manifest.purposes.first { $0.id == t.id }?.title ?? t.id
            return Toggle(id: t.id, title: title, isSDK: t.isSDK, on: t.on)
        }
        runningSDKs = gate.sdks.running
    }

    private static func databasePath() throws -> String {
        let dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask,
                                              appropriateFor: nil, create: true)
        return dir.appendingPathComponent("gatekeeper.db").path
    }

    /// The policy manifest in the app bundle (project.yml adds core/policy/example-manifest.json
    /// itself as a resource: one file, no copy to drift); else the one the core embeds.
    private static func policyManifest() -> String {
        if let url = Bundle.main.url(forResource: "example-manifest", withExtension: "json"),
           let json = try? String(contentsOf: url, encoding: .utf8) {
            return json
        }
        return exampleManifest()
    }
}
#endif
