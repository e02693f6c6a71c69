// The app's third-party SDKs, each with a starter and a stopper, switched on only while the
// gatekeeper allows them.

import Foundation
import GatekeeperAdapters
import GatekeeperCore

/// What one `SDKRegistry.startAllowed()` or change notification did.
public struct SDKRefresh: Sendable {
    /// SDK ids whose starter ran, in registration order.
    public var started: [String] = []
    /// SDK ids whose stopper ran.
    public var stopped: [String] = []
    /// SDK ids whose starter or stopper threw (a failed start leaves the SDK off).
    public var failed: [String] = []
    /// The decision behind each registered SDK that was looked at, by SDK id.
    public var decisions: [String: Decision] = [:]
    /// The earliest `validUntil` among those decisions: call `startAllowed()` again then (a
    /// grant can expire by time alone, which sends no notification); nil if none.
    public var recheckAt: Date?
}

/// The app's SDKs, switched on only while the gatekeeper allows them.
///
/// What is allowed comes from an `SDKGate` the registry owns (batched decisions,
/// invalidation, and changes ordered by `DecisionChange.sequence`); the registry adds what is
/// the app's business: which SDKs it embeds, how to start and stop them, and which run.
///
/// - `startAllowed()` decides every registered SDK in ONE `decideMany` call, starts exactly
///   those allowed and stops any running one no longer allowed.
/// - `applyChanges(_:)`, fed by the gatekeeper's `ChangeCenter` (`PhocolGate` does it), stops
///   every running SDK a change reports as no longer allowed (`deny` after a withdrawal, or
///   `ask` after a MAJOR policy update: fail closed) and starts one newly allowed, in the
///   write call that made the change. A change older than one already applied for its
///   subject is dropped, and the SDKs the rest name are decided afresh before anything is
///   started or stopped, so a late "allow" never starts a withdrawn SDK.
///
/// Thread-safe: every state change and every starter and stopper call happens under one
/// lock, so a stop never overtakes the start it undoes.
public final class SDKRegistry: @unchecked Sendable {
    private struct Entry {
        let start: @Sendable () throws -> Void
        let stop: @Sendable () throws -> Void
    }

    /// A start through an adapter that did not switch its SDK on; `result` says why.
    public struct AdapterNotOn: Error, Sendable {
        public let result: AdapterResult
    }

    private let gatekeeper: any GatekeeperProtocol
    /// Recursive: a starter may itself lead to a change notification on this thread.
    private let lock = NSRecursiveLock()
    private var order: [String] = []
    private var entries: [String: Entry] = [:]
    private var runningIDs: [String] = []
    /// Decisions and change ordering; created empty (no call until the first refresh) and fed
    /// by `applyChanges`. Used only under `lock`.
    private let gate: SDKGate

    public init(gatekeeper: any GatekeeperProtocol) {
        self.gatekeeper = gatekeeper
        gate = SDKGate(gatekeeper: gatekeeper, sdkIds: [])
    }

    /// Registers an SDK by its manifest id; registering an id again replaces it.
    @discardableResult
    public func register(_ id: String, start: @escaping @Sendable () throws -> Void,
                         stop: @escaping @Sendable () throws -> Void = {}) -> SDKRegistry {
        lock.lock()
        defer { lock.unlock() }
        if entries[id] == nil { order.append(id) }
        entries[id] = Entry(start: start, stop: stop)
        return self
    }

    /// Registers a real SDK through its adapter: starting it is `switchOn()`, stopping it
    /// `switchOff()`. A start that leaves the SDK off (failed) counts as failed, so the
    /// registry never reports it running.
    @discardableResult
    public func register(_ adapter: SDKAdapter) -> SDKRegistry {
        register(adapter.sdkId, start: {
            let r = adapter.switchOn()
            if !r.isOn { throw AdapterNotOn(result: r) }
        }, stop: {
            if case .failed = adapter.switchOff() { throw AdapterNotOn(result: .alreadyInState(sdkId: adapter.sdkId, on: false)) }
        })
    }

    /// Registers each SDK of `ids` (default: every SDK the policy declares for iOS), with
    /// `start` and `stop` called with its id, so the app does not repeat the manifest's ids.
    @discardableResult
    public func registerAll(_ ids: [String]? = nil, start: @escaping @Sendable (String) -> Void,
                            stop: @escaping @Sendable (String) -> Void = { _ in }) -> SDKRegistry {
        let all = ids ?? gatekeeper.manifest().sdks.filter { $0.platforms.contains("ios") }.map(\.id)
        for id in all { register(id, start: { start(id) }, stop: { stop(id) }) }
        return self
    }

    /// The registered SDK ids, in registration order.
    public var registeredIDs: [String] {
        lock.lock()
        defer { lock.unlock() }
        return order
    }

    /// The SDKs running now, in the order they were started.
    public var running: [String] {
        lock.lock()
        defer { lock.unlock() }
        return runningIDs
    }

    public func isRunning(_ id: String) -> Bool {
        running.contains(id)
    }

    /// Decides every registered SDK in one `decideMany` call, starts those allowed and not
    /// running, stops those running and no longer allowed. Call it at app start, after the
    /// policy is accepted, on return to the foreground, and at `SDKRefresh.recheckAt`.
    @discardableResult
    public func startAllowed() -> SDKRefresh {
        lock.lock()
        defer { lock.unlock() }
        // A refresh: forget what is cached, so what expired by time alone is decided too.
        gate.invalidateAll()
        return decideAndApply(order)
    }

    /// Applies a change list (from the change center, or the list a write returned).
    @discardableResult
    public func applyChanges(_ changes: [DecisionChange]) -> SDKRefresh {
        lock.lock()
        defer { lock.unlock() }
        let current = gate.applyChanges(changes)
        var ids: [String] = []
        for id in current.compactMap(\.sdkId) where entries[id] != nil && !ids.contains(id) { ids.append(id) }
        return decideAndApply(ids)
    }

    /// `sdk:facebook` → `facebook`; nil for any other subject.
    public static func sdkId(_ subject: String) -> String? {
        subject.hasPrefix("sdk:") ? String(subject.dropFirst(4)) : nil
    }

    /// Decides `ids` (one `decideMany` call for those not known fresh), then starts and stops
    /// by the answers. Caller holds `lock`.
    private func decideAndApply(_ ids: [String]) -> SDKRefresh {
        var refresh = SDKRefresh()
        guard !ids.isEmpty else { return refresh }
        let decisions = gate.decisions(ids)
        refresh.decisions = decisions
        for id in ids {
            guard let entry = entries[id] else { continue }
            // An id without an answer is treated as denied.
            let allowed = decisions[id]?.verdict == .allow
            let isRunning = runningIDs.contains(id)
            if allowed && !isRunning {
                do {
                    try entry.start()
                    runningIDs.append(id)
                    refresh.started.append(id)
                    recordStartLog(id, started: true)
                } catch {
                    refresh.failed.append(id)
                }
            } else if !allowed && isRunning {
                // Off even if the stopper throws: the SDK must not be treated as allowed.
                runningIDs.removeAll { $0 == id }
                do {
                    try entry.stop()
                    refresh.stopped.append(id)
                    recordStartLog(id, started: false)
                } catch {
                    refresh.failed.append(id)
                }
            }
        }
        refresh.recheckAt = decisions.values.compactMap(\.validUntil).min()
        return refresh
    }

    /// Records a start or stop that ran in the gatekeeper's start log (contract §9.3), which
    /// `gatekeeper audit` checks on a store pulled from a device. A stop whose stopper threw is
    /// not recorded (the SDK may still run). A failed write changes nothing here: the SDK was
    /// already switched, and the missing record makes the audit fail.
    private func recordStartLog(_ id: String, started: Bool) {
        _ = try? started ? gatekeeper.recordSdkStarted(id: id) : gatekeeper.recordSdkStopped(id: id)
    }
}
