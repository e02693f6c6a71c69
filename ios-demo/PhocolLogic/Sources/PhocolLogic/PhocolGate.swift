// The demo's privacy wiring, built once per process: one Gatekeeper, the SDK registry fed by
// its change center, and the flows the UI calls.

import Foundation
import GatekeeperAdapters
import GatekeeperCore

/// The demo's privacy wiring (on iOS built once, by the app's `AppGate`): the gatekeeper, the
/// `SDKRegistry` fed by its `ChangeCenter`, and the flows the screens call.
public final class PhocolGate: @unchecked Sendable {
    public let gatekeeper: Gatekeeper
    public let sdks: SDKRegistry
    public let firstRun: FirstRunFlow
    public let permissions: PermissionFlow
    public let consent: ConsentSettings
    public let decisionLog: DecisionLogScreen
    /// The adapters of the real SDKs, by SDK id.
    public let adapters: [String: SDKAdapter]
    private var observation: ChangeCenter.Observation?

    /// Every SDK the policy declares for iOS: those with an adapter in `adapters` are switched
    /// through the real SDK's consent API; the others are started and stopped by `start` and
    /// `stop` (given their id).
    public init(gatekeeper: Gatekeeper, start: @escaping @Sendable (String) -> Void,
                stop: @escaping @Sendable (String) -> Void = { _ in }, adapters: [SDKAdapter] = []) {
        self.gatekeeper = gatekeeper
        sdks = SDKRegistry(gatekeeper: gatekeeper).registerAll(start: start, stop: stop)
        for adapter in adapters { sdks.register(adapter) }
        self.adapters = Dictionary(adapters.map { ($0.sdkId, $0) }, uniquingKeysWith: { _, last in last })
        firstRun = FirstRunFlow(gatekeeper: gatekeeper, sdks: sdks)
        permissions = PermissionFlow(gatekeeper: gatekeeper)
        consent = ConsentSettings(gatekeeper: gatekeeper)
        decisionLog = DecisionLogScreen(gatekeeper: gatekeeper)
        observation = gatekeeper.changeCenter.observe { [sdks] changes in sdks.applyChanges(changes) }
    }

    deinit {
        observation?.cancel()
    }

    /// The Info.plist usage-description keys of each manifest permission (its `ios` list), by
    /// permission id, read from the policy itself: the manifest is the one place they are written.
    public var iosUsageKeys: [String: [String]] {
        Dictionary(gatekeeper.manifest().permissions.map { ($0.id, $0.ios) }, uniquingKeysWith: { _, last in last })
    }

    /// App start: bring the profile's country in line with the device region, then start the
    /// SDKs the gatekeeper allows (none before the policy is accepted), and switch off what an
    /// adapter left on in an earlier run and is not allowed now (on a fresh install: nothing).
    @discardableResult
    public func onAppStart(deviceRegion: String?) -> SDKRefresh {
        syncCountry(deviceRegion)
        let refresh = sdks.startAllowed()
        for (id, adapter) in adapters.sorted(by: { $0.key < $1.key }) where !sdks.isRunning(id) {
            adapter.switchOff()
        }
        return refresh
    }

    /// Records the device region as the profile's country (it selects the jurisdiction: PIPL,
    /// GDPR…) when it is a two-letter code other than the recorded one: each change is a
    /// ledger event, so an unchanged region writes nothing. The recorded age is kept. Returns
    /// whether the profile changed.
    @discardableResult
    public func syncCountry(_ region: String?) -> Bool {
        guard let code = region?.uppercased(), code.count == 2, code.allSatisfy({ ("A"..."Z").contains($0) }),
              let state = try? gatekeeper.state(), state.country != code else { return false }
        return (try? gatekeeper.setProfile(country: code, age: state.age)) != nil
    }
}
