// Drives a set of SDK adapters from the gatekeeper: the glue an app needs besides the
// adapters themselves. The Swift counterpart of the Kotlin `dev.gatekeeper.adapters.SdkAdapters`.

import Foundation
import GatekeeperCore

/// Drives `SDKAdapter`s from the gatekeeper's change notifications.
///
/// - Observes the gatekeeper's `ChangeCenter` (by default `gatekeeper.changeCenter`). Every
///   SDK change the core reports (a grant, a withdrawal, a policy update, an erase) makes
///   that SDK's adapter apply the SDK's *current* decision, in the write call that made it
///   (the adapter's SDK calls then run on the main thread: at once when the write was made
///   there, else at its next turn).
/// - Applying is serialised, and each adapter gets the decision its `SDKGate` holds at the
///   moment it is applied (decided again when a change invalidated it), never the `new`
///   decision of the notification being handled: two writes on two threads may deliver their
///   notifications in either order, and a late one must not switch an SDK back on after a
///   newer withdrawal switched it off.
/// - `applyAll()` applies every adapter's current decision (one `decideMany` call at most):
///   call it at app start, on return to the foreground, and at the earliest `validUntil` (a
///   grant that expires by time alone produces no notification).
///
/// Adapters are idempotent, so applying a decision twice calls nothing twice.
public final class SDKAdapters: @unchecked Sendable {
    /// How many results `recentResults()` keeps.
    public static let recentLimit = 256

    private let adapters: [SDKAdapter]
    private let byId: [String: SDKAdapter]
    private let gate: SDKGate
    /// Serialises applying decisions to the adapters. Recursive: applying on the main thread
    /// runs SDK calls there, which may lead back here.
    private let applying = NSRecursiveLock()
    private let recentLock = NSLock()
    private var recent: [AdapterResult] = []
    private var observation: ChangeCenter.Observation?

    /// - Parameters:
    ///   - adapters: the app's adapters, one per SDK id.
    ///   - timeSource: the clock given to the gatekeeper (nil: the system clock).
    ///   - changeCenter: where to hear changes; nil when the owner forwards them to
    ///     `applyChanges(_:)` itself.
    public init(gatekeeper: any GatekeeperProtocol, adapters: [SDKAdapter], timeSource: TimeSource? = nil,
                observing changeCenter: ChangeCenter?) {
        self.adapters = adapters
        byId = Dictionary(adapters.map { ($0.sdkId, $0) }, uniquingKeysWith: { _, last in last })
        gate = SDKGate(gatekeeper: gatekeeper, sdkIds: adapters.map(\.sdkId), timeSource: timeSource)
        let startLog = GatekeeperStartLog(gatekeeper: gatekeeper)
        for adapter in adapters {
            adapter.attach(gatekeeper)
            adapter.onResult { [weak self] result in self?.remember(result) }
            // Every real start and stop goes to the start log (contract §9.3).
            if adapter.startLog == nil { adapter.startLog = startLog }
        }
        observation = changeCenter?.observe { [weak self] changes in self?.applyChanges(changes) }
        // A change made before the observation started is not missed: what was decided
        // before it is decided again at the first use.
        gate.invalidateAll()
    }

    /// Drives `adapters` from `gatekeeper.changeCenter`.
    public convenience init(gatekeeper: any GatekeeperProtocol, adapters: [SDKAdapter], timeSource: TimeSource? = nil) {
        self.init(gatekeeper: gatekeeper, adapters: adapters, timeSource: timeSource, observing: gatekeeper.changeCenter)
    }

    deinit {
        observation?.cancel()
        for adapter in adapters { adapter.onResult(nil) }
    }

    /// The adapter for `sdkId`, if any.
    public func adapter(_ sdkId: String) -> SDKAdapter? { byId[sdkId] }

    /// Applies each adapter's current decision, in the order the adapters were given.
    @discardableResult
    public func applyAll() -> [AdapterResult] {
        let results = applyCurrent(adapters.map(\.sdkId))
        refreshAll()
        return results
    }

    /// A notification the owner received (for `observing: nil`), applied as if heard directly.
    public func applyChanges(_ changes: [DecisionChange]) {
        let current = gate.applyChanges(changes)
        var ids: [String] = []
        for id in current.compactMap(\.sdkId) where byId[id] != nil && !ids.contains(id) { ids.append(id) }
        if !ids.isEmpty { applyCurrent(ids) }
        // Every notification: a Consent Mode signal may change with a purpose alone.
        refreshAll()
    }

    /// Brings every switched-on adapter's settings up to date (`SDKAdapter.refresh()`).
    private func refreshAll() {
        applying.lock()
        defer { applying.unlock() }
        for adapter in adapters { adapter.refresh() }
    }

    /// What the adapters' switches did, oldest first (the last `recentLimit`): those that ran,
    /// and those that found nothing to do. For diagnostics.
    public func recentResults() -> [AdapterResult] {
        recentLock.lock()
        defer { recentLock.unlock() }
        return recent
    }

    /// Stops observing (the adapters keep their SDKs as they are).
    public func stopObserving() {
        observation?.cancel()
    }

    /// Applies the current decision of each of `ids`, in that order, under `applying`. Each
    /// decision is looked up right before its adapter is applied: from the gate's memory,
    /// filled for all of `ids` in one batch first, unless a change invalidated it meanwhile.
    @discardableResult
    private func applyCurrent(_ ids: [String]) -> [AdapterResult] {
        applying.lock()
        defer { applying.unlock() }
        _ = gate.decisions(ids)
        return ids.compactMap { id in
            guard let adapter = byId[id] else { return nil }
            // An SDK the core gave no answer for is switched off (fail closed).
            let result = gate.decisions([id])[id].map { adapter.apply($0) } ?? adapter.switchOff()
            // Switches that ran were remembered by the adapter's result handler.
            if case .alreadyInState = result { remember(result) }
            return result
        }
    }

    private func remember(_ result: AdapterResult) {
        recentLock.lock()
        recent.append(result)
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
        recentLock.unlock()
    }
}
