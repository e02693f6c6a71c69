// The demo's privacy logic, kept out of the views: first-run dialog, consent switches, SDK
// start/stop, the just-in-time camera prompt and withdrawal, all decided by the Gatekeeper core.

import AppTrackingTransparency
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
        /// Starts the SDK; false when it did not start (absent, failed): it is not counted as running.
        let start: () -> Bool
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

    /// Every SDK the policy declares for iOS (`gatekeeper.manifest().sdks`): those with an
    /// adapter are switched through the real SDK's consent API (`SDKAdapter`); the others are
    /// started and stopped by `start` / `stop` with their id. The manifest is the one list of ids.
    convenience init(gatekeeper: Gatekeeper,
                     adapters: [SDKAdapter],
                     start: @escaping @Sendable (String) -> Void,
                     stop: @escaping @Sendable (String) -> Void) {
        let ids = gatekeeper.manifest().sdks.filter { $0.platforms.contains("ios") }.map(\.id)
        let byId = Dictionary(uniqueKeysWithValues: adapters.map { ($0.sdkId, $0) })
        self.init(gatekeeper: gatekeeper, sdks: ids.map { id in
            if let adapter = byId[id] {
                return SDK(id: id, start: { adapter.switchOn().isOn }, stop: { adapter.switchOff() })
            }
            return SDK(id: id, start: { start(id); return true }, stop: { stop(id) })
        })
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
                if sdk.start() { running.append(id) }
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

    /// One switch on the consent screen: a purpose the user may refuse, or an SDK that needs its
    /// own consent for this user.
    struct Toggle: Identifiable, Equatable {
        let id: String
        let title: String
        let isSDK: Bool
        let on: Bool
    }

    @Published private(set) var launchScreen: LaunchScreen = .acceptPolicy
    @Published private(set) var mode: Mode = .undecided
    /// After agreeing on first run: the consent screen (the switches) is shown once.
    @Published private(set) var consentStepPending = false
    @Published private(set) var toggles: [Toggle] = []
    @Published private(set) var runningSDKs: [String] = []
    @Published var camera: CameraStep = .idle
    @Published var problem: String?

    private let gatekeeper: Gatekeeper?
    private let registry: SDKRegistry?
    /// The adapters of the real SDKs (Facebook, Sensors Analytics, Google Sign-In, Firebase
    /// Analytics, AMap; HMS Push is Android only). Without an SDK linked, its adapter reports
    /// it absent and it never counts as running.
    private let adapters: [SDKAdapter]

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
        // Adapters for the real SDKs (UserDefaults remembers what they switched on); stub
        // starters that only print for the others.
        let adapters = SDKAdapter.defaults(sensorsServerURL: "https://sa.example.com/sa?project=phocol",
                                           log: { print("[PhocolDemo] \($0)") })
        self.adapters = adapters
        registry = gk.map {
            SDKRegistry(gatekeeper: $0, adapters: adapters,
                        start: { id in print("[PhocolDemo] start SDK \(id) (stub)") },
                        stop: { id in print("[PhocolDemo] stop SDK \(id) (stub)") })
        }
        if let openError {
            problem = "Privacy settings are unavailable: \(openError)"
        }
        if let gk, let registry {
            gk.setListener(listener: registry)
            syncProfileWithRegion(gk)
            registry.startAllowed() // starts nothing until the policy is accepted
            // What an adapter left on in an earlier run and is not allowed now: switch it off.
            let running = registry.runningIDs
            for adapter in adapters where !running.contains(adapter.sdkId) { adapter.switchOff() }
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

    /// "Disagree": browse-only mode. Records nothing, starts no SDK, reads no identifier; the
    /// dialog comes back next launch.
    func disagree() {
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

    /// A switch on the consent screen or in settings. On = a separate grant (each switch is
    /// dedicated to one item); off = withdraw a grant, or refuse an undecided item.
    func set(_ toggle: Toggle, on: Bool, source: String = "settings") {
        let id = toggle.id
        let isSDK = toggle.isSDK
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
        if on && id == Self.advertisingPurpose { requestTrackingIfAllowed() }
    }

    // MARK: App Tracking Transparency

    /// The purpose whose consent covers tracking for ads.
    static let advertisingPurpose = "personalised_ads"

    /// Shows Apple's tracking prompt only once the advertising purpose is allowed by the
    /// gatekeeper (and iOS has not asked before). Never at launch, never before consent.
    func requestTrackingIfAllowed() {
        guard let gk = gatekeeper,
              gk.decidePurpose(id: Self.advertisingPurpose).verdict == .allow,
              ATTrackingManager.trackingAuthorizationStatus == .notDetermined else { return }
        ATTrackingManager.requestTrackingAuthorization { status in
            print("[PhocolDemo] tracking authorization: \(status.rawValue)")
        }
    }

    // MARK: Google Sign-In (on a tap, when allowed)

    /// "Sign in with Google": starts Google's flow only when the gatekeeper allows it now.
    func signInWithGoogle() {
        guard let adapter = adapters.first(where: { $0.sdkId == "google_sign_in" }) as? GoogleSignInAdapter,
              let root = UIApplication.shared.connectedScenes.compactMap({ ($0 as? UIWindowScene)?.keyWindow }).first?.rootViewController,
              adapter.signIn(presenting: root) else {
            problem = "Google sign-in is not available: allow account login and Google Sign-In first (or the SDK is not in this build)."
            return
        }
    }

    // MARK: Decision log

    /// The decision log, newest first, one line per row.
    func decisionLogLines() -> [String] {
        guard let rows = try? gatekeeper?.log(), !rows.isEmpty else { return ["No decisions logged yet."] }
        return rows.sorted { $0.id > $1.id }.map { r in
            let count = r.count > 1 ? "  ×\(r.count)" : ""
            return "\(r.firstSeen.formatted(date: .numeric, time: .shortened))  \(r.subject)  \(r.verdict) \(r.reason)\(count)"
        }
    }

    /// Settings → "Withdraw all consent": one call, as easy as giving it.
    func withdrawAll() {
        perform { gk in
            let state = try gk.state()
            let purposes = state.purposes.filter { $0.status == .granted }.map(\.id)
            let sdks = state.sdks.filter { $0.status == .granted }.map(\.id)
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
        toggles = Self.toggles(manifest: gk.manifest(), state: state)
        runningSDKs = registry?.runningIDs ?? []
    }

    /// The settings screen: a switch per purpose the user may refuse (basis other than contract
    /// or legal obligation), then per SDK that needs its own consent for this user — under PIPL
    /// an independent SDK or one whose vendor is in another country (contract §4 rule 5).
    static func toggles(manifest: ManifestInfo, state: ConsentState) -> [Toggle] {
        let purposes = manifest.purposes.filter { $0.basis != .contract && $0.basis != .legalObligation }.map { p in
            Toggle(id: p.id, title: p.title, isSDK: false,
                   on: state.purposes.first { $0.id == p.id }?.status == .granted)
        }
        let sdks = manifest.sdks.filter { sdk in
            sdk.platforms.contains("ios") && state.law == .pipl
                && (sdk.role == .independent || sdk.vendorCountry == nil || sdk.vendorCountry != state.country)
        }.map { sdk in
            let item = state.sdks.first { $0.id == sdk.id }
            return Toggle(id: sdk.id, title: "\(sdk.name) (\(sdk.vendor)): its own consent", isSDK: true,
                          on: item?.status == .granted && item?.separate == true)
        }
        return purposes + sdks
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
