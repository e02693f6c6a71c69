// The demo's privacy logic, kept out of the views: first-run dialog, consent switches, SDK
// start/stop, the just-in-time camera prompt and withdrawal, all decided by the Gatekeeper core.

import AVFoundation
import Foundation
import GatekeeperCore
import UIKit

/// The third-party SDKs the app embeds (ids from the policy manifest), each with a starter and a
/// stopper, switched on only while the gatekeeper allows them. The gatekeeper's change listener.
///
/// `startAllowed()` decides every SDK in ONE `decideMany` call and starts exactly those allowed.
/// A change notification re-decides the SDKs it names (one `decideMany` call) and stops those no
/// longer allowed — in the same call that withdrew the consent — or starts those newly allowed.
/// A change whose `sequence` is lower than the last one applied for its subject is ignored: two
/// writes on two threads may deliver their notifications in either order, and the highest
/// sequence is the latest.
/// Thread-safe: the listener runs on whichever thread made the change.
final class SDKRegistry: ChangeListener, @unchecked Sendable {
    struct SDK {
        let id: String
        let start: () -> Void
        let stop: () -> Void
    }

    private let gatekeeper: Gatekeeper
    private let sdks: [SDK]
    private let lock = NSLock()
    private var running: [String] = []
    /// The highest `DecisionChange.sequence` applied per subject (guarded by `lock`).
    private var lastSequence: [String: Int64] = [:]

    init(gatekeeper: Gatekeeper, sdks: [SDK]) {
        self.gatekeeper = gatekeeper
        self.sdks = sdks
    }

    /// Every SDK the policy declares for iOS (`gatekeeper.manifest().sdks`), each started and
    /// stopped by `start` / `stop` with its id: the manifest is the one list of SDK ids.
    convenience init(gatekeeper: Gatekeeper,
                     start: @escaping @Sendable (String) -> Void,
                     stop: @escaping @Sendable (String) -> Void) {
        let ids = gatekeeper.manifest().sdks.filter { $0.platforms.contains("ios") }.map(\.id)
        self.init(gatekeeper: gatekeeper,
                  sdks: ids.map { id in SDK(id: id, start: { start(id) }, stop: { stop(id) }) })
    }

    var runningIDs: [String] {
        lock.lock(); defer { lock.unlock() }
        return running
    }

    /// The earliest time a decision may change by time alone (a grant expiring): refresh then.
    @discardableResult
    func startAllowed() -> Date? {
        decideAndApply(sdks.map(\.id))
    }

    func onChange(changes: [DecisionChange]) throws {
        var current: [DecisionChange] = []
        lock.lock()
        for change in changes {
            if let last = lastSequence[change.subject], change.sequence < last { continue }
            lastSequence[change.subject] = change.sequence
            current.append(change)
        }
        lock.unlock()
        let named = Set(current.compactMap { $0.subject.hasPrefix("sdk:") ? String($0.subject.dropFirst(4)) : nil })
        decideAndApply(sdks.map(\.id).filter { named.contains($0) })
    }

    @discardableResult
    private func decideAndApply(_ ids: [String]) -> Date? {
        guard !ids.isEmpty else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let decisions = gatekeeper.decideMany(subjects: ids.map { DecisionSubject.sdk(id: $0) })
        for (index, id) in ids.enumerated() {
            guard let sdk = sdks.first(where: { $0.id == id }) else { continue }
            let allowed = index < decisions.count && decisions[index].verdict == .allow
            if allowed && !running.contains(id) {
                sdk.start()
                running.append(id)
            } else if !allowed && running.contains(id) {
                running.removeAll { $0 == id }
                sdk.stop()
            }
        }
        return decisions.compactMap(\.validUntil).min()
    }
}

/// What the camera button led to.
enum CameraStep: Equatable {
    case idle
    /// The OS granted access: show the camera.
    case showCamera
    /// Consent needed for these purposes/SDKs (a just-in-time, separate prompt).
    case askConsent(purposes: [String], sdks: [String])
    /// Refused recently; the app must not prompt again before this time.
    case tryAgainAfter(Date?)
    /// The OS will not prompt again: offer the Settings app.
    case openSettings
    /// Not possible now (consent refused, unknown id, store unavailable…).
    case blocked(Reason)
}

@MainActor
final class AppGate: ObservableObject {
    /// The privacy screen to show over the app, if any (`home`: none).
    enum LaunchScreen { case acceptPolicy, acceptUpdatedPolicy, guardianAcceptance, noticeOfChanges, home }
    enum Mode { case undecided, full, browseOnly }

    /// Purposes and SDKs on the consent screen. Facebook has its own switch: as an independent
    /// third party it needs a separate consent under PIPL.
    static let consentPurposes = ["analytics", "personalised_ads"]
    static let separateSDKs = ["facebook"]

    @Published private(set) var launchScreen: LaunchScreen = .acceptPolicy
    @Published private(set) var mode: Mode = .undecided
    /// After agreeing on first run: the consent screen (the switches) is shown once.
    @Published private(set) var consentStepPending = false
    @Published private(set) var switches: [String: Bool] = [:]
    @Published private(set) var runningSDKs: [String] = []
    @Published var camera: CameraStep = .idle
    @Published var problem: String?

    private let gatekeeper: Gatekeeper?
    private let registry: SDKRegistry?

    init() {
        OSLogSink.install()
        var openError: Error?
        let gk: Gatekeeper?
        do {
            gk = try Gatekeeper.open(dbPath: try Self.databasePath(),
                                     manifestJson: Self.policyManifest(),
                                     options: GatekeeperOptions())
        } catch {
            // Fail closed: no gatekeeper, no SDKs, no prompts.
            gk = nil
            openError = error
        }
        gatekeeper = gk
        // Stub SDK starters for every SDK of the policy available on iOS: they only print.
        registry = gk.map {
            SDKRegistry(gatekeeper: $0,
                        start: { id in print("[PhocolDemo] start SDK \(id)") },
                        stop: { id in print("[PhocolDemo] stop SDK \(id)") })
        }
        if let openError {
            problem = "Privacy settings are unavailable: \(openError)"
        }
        if let gk, let registry {
            gk.setListener(listener: registry)
            syncProfileWithRegion(gk)
            registry.startAllowed() // starts nothing until the policy is accepted
        }
        refresh()
    }

    // MARK: First run

    func agree(byGuardian: Bool = false) {
        let firstTime = launchScreen == .acceptPolicy || launchScreen == .acceptUpdatedPolicy
        perform { gk in
            _ = try gk.acceptPolicy(byGuardian: byGuardian, source: "first_run_dialog")
            mode = .full
            consentStepPending = firstTime
            registry?.startAllowed()
        }
    }

    /// "Browse only": records nothing and starts nothing. The dialog comes back next launch.
    func browseOnly() {
        mode = .browseOnly
        launchScreen = .home
    }

    /// A browse-only user asked for the full app: show the privacy dialog again.
    func showPolicyDialog() {
        mode = .undecided
        refresh()
    }

    /// The user closed the consent screen that follows the first-run dialog.
    func finishConsentStep() {
        consentStepPending = false
    }

    // MARK: Consent switches and settings

    func isOn(_ id: String) -> Bool { switches[id] ?? false }

    /// A switch on the consent screen or in settings. On = a separate grant (each switch is
    /// dedicated to one item); off = withdraw a grant, or refuse an undecided item.
    func set(_ id: String, on: Bool, source: String = "settings") {
        let isSDK = Self.separateSDKs.contains(id)
        let purposes = isSDK ? [] : [id]
        let sdks = isSDK ? [id] : []
        perform { gk in
            if on {
                _ = try gk.grant(purposes: purposes, sdks: sdks, separate: true, byGuardian: false, source: source)
            } else {
                let state = try gk.state()
                let status = (isSDK ? state.sdks : state.purposes).first { $0.id == id }?.status ?? .undecided
                if status == .granted {
                    _ = try gk.withdraw(purposes: purposes, sdks: sdks, source: source)
                } else if status == .undecided {
                    _ = try gk.deny(purposes: purposes, sdks: sdks, source: source)
                }
            }
        }
    }

    /// Settings → "Withdraw all consent": one call, as easy as giving it.
    func withdrawAll() {
        perform { gk in
            let state = try gk.state()
            let purposes = state.purposes.filter { Self.consentPurposes.contains($0.id) && $0.status == .granted }.map(\.id)
            let sdks = state.sdks.filter { Self.separateSDKs.contains($0.id) && $0.status == .granted }.map(\.id)
            if !purposes.isEmpty || !sdks.isEmpty {
                _ = try gk.withdraw(purposes: purposes, sdks: sdks, source: "settings")
            }
        }
    }

    // MARK: Camera (just in time)

    /// The camera button: ask the gatekeeper BEFORE any OS prompt.
    func cameraTapped() {
        guard let gk = gatekeeper else { camera = .blocked(.storeUnavailable); return }
        let d = gk.decidePermission(id: "camera", trigger: .userAction)
        switch (d.verdict, d.reason) {
        case (.allow, _):
            promptForCamera(gk)
        case (.ask, .policyNotAccepted), (.ask, .policyUpdateRequiresAcceptance):
            // Browse-only users see the privacy dialog again instead of an OS prompt.
            camera = .idle
            mode = .undecided
            launchScreen = d.reason == .policyNotAccepted ? .acceptPolicy : .acceptUpdatedPolicy
        case (.ask, _):
            camera = .askConsent(purposes: d.purposes, sdks: d.sdks)
        case (.deny, .recentlyDenied):
            camera = .tryAgainAfter(d.retryAfter)
        case (.deny, .deniedPermanently):
            camera = .openSettings
        case (.deny, let reason):
            camera = .blocked(reason)
        }
    }

    /// The user agreed in the just-in-time consent prompt.
    func grantForCamera(purposes: [String], sdks: [String]) {
        perform { gk in
            _ = try gk.grant(purposes: purposes, sdks: sdks, separate: true, byGuardian: false, source: "just_in_time")
        }
        cameraTapped()
    }

    private func promptForCamera(_ gk: Gatekeeper) {
        switch AVCaptureDevice.authorizationStatus(for: .video) {
        case .authorized:
            record(gk, .granted)
            camera = .showCamera
        case .notDetermined:
            AVCaptureDevice.requestAccess(for: .video) { granted in
                Task { @MainActor in
                    // The user just answered the OS prompt.
                    self.record(gk, granted ? .granted : .denied)
                    self.camera = granted ? .showCamera : .idle
                }
            }
        case .denied, .restricted:
            // iOS never shows the prompt again once refused: only the Settings app can change it.
            record(gk, .deniedPermanently)
            camera = .openSettings
        @unknown default:
            camera = .idle
        }
    }

    private func record(_ gk: Gatekeeper, _ result: PermissionResult) {
        perform { _ in _ = try gk.recordPermissionResult(permission: "camera", result: result) }
    }

    func openSystemSettings() {
        if let url = URL(string: UIApplication.openSettingsURLString) {
            UIApplication.shared.open(url)
        }
        camera = .idle
    }

    // MARK: Plumbing

    private func perform(_ body: (Gatekeeper) throws -> Void) {
        guard let gk = gatekeeper else { return }
        do {
            try body(gk)
        } catch let error as GatekeeperError {
            problem = "\(error)"
        } catch {
            problem = error.localizedDescription
        }
        refresh()
    }

    private func refresh() {
        guard let gk = gatekeeper, let state = try? gk.state() else {
            launchScreen = .acceptPolicy
            return
        }
        if mode != .browseOnly {
            if !state.policyAccepted && state.acceptedVersion == nil {
                launchScreen = .acceptPolicy
            } else if !state.policyAccepted {
                launchScreen = .acceptUpdatedPolicy
            } else if state.child && !state.acceptedByGuardian {
                launchScreen = .guardianAcceptance
            } else {
                launchScreen = state.noticePending ? .noticeOfChanges : .home
                mode = .full
            }
        }
        var switches: [String: Bool] = [:]
        for p in state.purposes where Self.consentPurposes.contains(p.id) {
            switches[p.id] = p.status == .granted
        }
        for s in state.sdks where Self.separateSDKs.contains(s.id) {
            switches[s.id] = s.status == .granted && s.separate
        }
        self.switches = switches
        runningSDKs = registry?.runningIDs ?? []
    }

    /// The jurisdiction follows the device region; the age stays as recorded (unknown here).
    private func syncProfileWithRegion(_ gk: Gatekeeper) {
        guard let region = Locale.current.regionCode?.uppercased(), region.count == 2,
              let state = try? gk.state(), state.country != region else { return }
        _ = try? gk.setProfile(country: region, age: state.age)
    }

    private static func databasePath() throws -> String {
        let dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask,
                                              appropriateFor: nil, create: true)
        return dir.appendingPathComponent("gatekeeper.db").path
    }

    /// The policy manifest in the app bundle: project.yml adds core/policy/example-manifest.json
    /// itself as a resource (one file, no copy to drift); else the one the core embeds.
    private static func policyManifest() -> String {
        if let url = Bundle.main.url(forResource: "example-manifest", withExtension: "json"),
           let json = try? String(contentsOf: url, encoding: .utf8) {
            return json
        }
        return exampleManifest()
    }
}
