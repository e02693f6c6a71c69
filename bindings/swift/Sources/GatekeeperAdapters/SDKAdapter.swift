// Switches one third-party SDK on and off through its own consent API, as the gatekeeper
// decides: the Swift counterpart of the Kotlin `dev.gatekeeper.adapters.SdkAdapter`.
//
// Nothing here imports an SDK. Each subclass takes the SDK's own calls as closures, which the
// app writes in its own target, where `import FBSDKCoreKit` (and so on) resolves because the
// app links that SDK. (`#if canImport(FBSDKCoreKit)` inside this package would never be true
// in an app: a package target sees only the modules it depends on.)

import Foundation
import GatekeeperCore

/// One third-party SDK, switched on and off through its own consent API.
///
/// - `apply(_:)` takes the SDK's current `Decision`: `.allow` switches it on, `.ask` and
///   `.deny` switch it off. `switchOn()` / `switchOff()` do the same without a decision.
/// - Idempotent: a repeated decision calls nothing, and nothing is started twice. An SDK never
///   switched on (in this process or, per `SwitchMemory`, an earlier one) is not called at all
///   while it is not allowed: nothing reaches an SDK before the user agrees.
/// - Every SDK call runs on the main thread: at once when asked on the main thread, else
///   queued behind every SDK call asked for before it (see `AdapterResult.queuedForMainThread`).
///   The adapter's own state changes at once, on the calling thread: after `switchOff()`
///   returns, `isOn` is false and a later `switchOn()` is ordered after the switch-off.
/// - Fail closed: a start that throws half-way is undone and counts as off (the next allow
///   retries it); a switch-off attempts every call, and one that fails leaves the SDK
///   remembered as possibly on, so the next switch-off tries again.
/// - Thread-safe.
///
/// Subclasses override `turnOn(restart:calls:)` and `turnOff(calls:)`, which run on the main
/// thread, and record each SDK call through `SDKCallLog`.
open class SDKAdapter: @unchecked Sendable {
    /// The SDK's id in the policy manifest.
    public let sdkId: String
    private let memory: SwitchMemory
    private let log: AdapterLog

    /// Recursive: on the main thread an SDK call may itself lead to another switch (say, an
    /// SDK callback that records a choice), which comes back here on the same thread.
    private let lock = NSRecursiveLock()
    /// Whether the adapter holds the SDK on (or has queued its start). Guarded by `lock`.
    private var wanted = false
    /// The latest switch asked for is a switch-off that has not failed (queued or done), so
    /// another one has nothing to add. Guarded by `lock`.
    private var offAsked = false
    /// Bumped by every switch queued; a queued switch acts on shared state only while it is
    /// still the latest. Guarded by `lock`.
    private var generation: UInt64 = 0
    /// Told of every switch that ran (set by `SDKAdapters`). Guarded by `lock`.
    private var resultHandler: (@Sendable (AdapterResult) -> Void)?
    /// Where each real start and stop is recorded (contract §9.3). Guarded by `lock`.
    private var startLogValue: SDKStartLog?

    /// The SDK's actual state, touched only on the main thread.
    @MainActor private var running = false
    @MainActor private var startedInProcess = false

    /// - Parameter startLog: where each real start and stop is recorded (contract §9.3);
    ///   nil: `SDKAdapters` records them in its gatekeeper.
    public init(sdkId: String, memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default,
                startLog: SDKStartLog? = nil) {
        self.sdkId = sdkId
        self.memory = memory
        self.log = log
        self.startLogValue = startLog
    }

    /// Where each real start and stop of the SDK is recorded (the start log that
    /// `gatekeeper audit` checks); nil records nothing. `SDKAdapters` sets a
    /// `GatekeeperStartLog` on every adapter that has none.
    public var startLog: SDKStartLog? {
        get { lock.lock(); defer { lock.unlock() }; return startLogValue }
        set { lock.lock(); startLogValue = newValue; lock.unlock() }
    }

    /// The calls that switch the SDK on, on the main thread. `restart`: it was on and then off
    /// in this process (an SDK that starts once per process is then re-enabled instead).
    @MainActor
    open func turnOn(restart: Bool, calls: inout SDKCallLog) throws {}

    /// The calls that switch the SDK off, on the main thread, most important first (the SDK's
    /// own collection flag). Make each independent call through `SDKCallLog.attempt(_:_:)`,
    /// so that one failing does not keep the others from running.
    @MainActor
    open func turnOff(calls: inout SDKCallLog) throws {}

    /// Given the gatekeeper by `SDKAdapters` before anything is applied: an adapter that needs
    /// more than its SDK's decision (Firebase's Consent Mode signals) keeps it.
    open func attach(_ gatekeeper: any GatekeeperProtocol) {}

    /// The calls that bring the settings of a running SDK up to date, on the main thread;
    /// none by default. Called after change notifications and in `SDKAdapters.applyAll()`.
    @MainActor
    open func refreshOn(calls: inout SDKCallLog) throws {}

    /// Brings a switched-on SDK's settings up to date (`refreshOn(calls:)`), on the main
    /// thread. Nil when the SDK is off, nothing needed calling, or the work was queued for the
    /// main thread.
    @discardableResult
    public func refresh() -> AdapterResult? {
        lock.lock()
        defer { lock.unlock() }
        guard wanted else { return nil }
        let ticket = generation
        let outcome = Outcome()
        let ranNow = MainThreadQueue.shared.run { [self] in outcome.result = runRefresh(ticket) }
        return ranNow ? outcome.result : nil
    }

    @MainActor
    private func runRefresh(_ ticket: UInt64) -> AdapterResult? {
        lock.lock()
        let latest = generation == ticket
        lock.unlock()
        guard running, latest else { return nil }
        var calls = SDKCallLog()
        do {
            try refreshOn(calls: &calls)
        } catch {
            let failure = Self.failure(error, after: calls, doing: "refresh")
            log(.warning, "\(sdkId): refreshing failed at \(failure.call): \(failure.error)")
            return finish(.failed(sdkId: sdkId, call: failure.call, error: failure.error))
        }
        if calls.made.isEmpty { return nil }
        log(.info, "\(sdkId): refreshed: \(calls.made.joined(separator: ", "))")
        return finish(.applied(sdkId: sdkId, on: true, calls: calls.made))
    }

    /// True while the adapter holds the SDK switched on (or has queued its start).
    public var isOn: Bool {
        lock.lock()
        defer { lock.unlock() }
        return wanted
    }

    /// Applies `decision`: `.allow` switches the SDK on, every other verdict off.
    @discardableResult
    public func apply(_ decision: Decision) -> AdapterResult {
        decision.verdict == .allow ? switchOn() : switchOff()
    }

    /// Switches the SDK on, unless the adapter already holds it on.
    ///
    /// `SwitchMemory` is written ahead: the SDK is remembered as possibly on before its first
    /// call, so a start that fails (or a process that dies) half-way is switched off later.
    @discardableResult
    public func switchOn() -> AdapterResult {
        lock.lock()
        defer { lock.unlock() }
        if wanted { return .alreadyInState(sdkId: sdkId, on: true) }
        wanted = true
        offAsked = false
        generation += 1
        let ticket = generation
        let wasOn = memory.wasOn(sdkId)
        memory.remember(sdkId, on: true)
        return schedule(on: true) { $0.runOn(ticket, wasOn: wasOn) }
    }

    /// Switches the SDK off if this adapter switched it on, in this process or (per
    /// `SwitchMemory`) an earlier one, or a start of it failed half-way. Otherwise nothing is
    /// called.
    @discardableResult
    public func switchOff() -> AdapterResult {
        lock.lock()
        defer { lock.unlock() }
        if !wanted && (offAsked || !memory.wasOn(sdkId)) { return .alreadyInState(sdkId: sdkId, on: false) }
        wanted = false
        offAsked = true
        generation += 1
        let ticket = generation
        return schedule(on: false) { $0.runOff(ticket) }
    }

    /// Called with the outcome of every switch that ran (`applied` or `failed`), on the main
    /// thread. For `SDKAdapters`' diagnostics.
    func onResult(_ handler: (@Sendable (AdapterResult) -> Void)?) {
        lock.lock()
        resultHandler = handler
        lock.unlock()
    }

    /// How many SDK calls queued for the main thread have not run yet (all adapters).
    public static var mainThreadCallsPending: Int { MainThreadQueue.shared.pendingCount }

    // MARK: - Running on the main thread

    /// Queues `work` for the main thread while holding `lock` (so switches queue in the order
    /// their state changed); returns its result when it ran at once.
    private func schedule(on: Bool, _ work: @escaping @MainActor @Sendable (SDKAdapter) -> AdapterResult) -> AdapterResult {
        let outcome = Outcome()
        let ranNow = MainThreadQueue.shared.run { [self] in outcome.result = work(self) }
        if ranNow, let result = outcome.result { return result }
        return .queuedForMainThread(sdkId: sdkId, on: on)
    }

    @MainActor
    private func runOn(_ ticket: UInt64, wasOn: Bool) -> AdapterResult {
        if running { return finish(.alreadyInState(sdkId: sdkId, on: true)) }
        var calls = SDKCallLog()
        do {
            try turnOn(restart: startedInProcess, calls: &calls)
            running = true
            startedInProcess = true
            log(.info, "\(sdkId): switched on: \(calls.made.joined(separator: ", "))")
            startLog?.started(sdkId)
            return finish(.applied(sdkId: sdkId, on: true, calls: calls.made))
        } catch {
            let failure = Self.failure(error, after: calls, doing: "switch on")
            log(.warning, "\(sdkId): switching on failed at \(failure.call): \(failure.error)")
            lock.lock()
            let latest = generation == ticket
            // Counted off, so the next allow tries again.
            if latest { wanted = false }
            lock.unlock()
            if calls.made.isEmpty {
                // Nothing reached the SDK: it is as it was.
                if latest { memory.remember(sdkId, on: wasOn) }
            } else {
                // Half switched on: undo what can be undone, and stay off.
                _ = runOff(ticket, undo: true)
            }
            return finish(.failed(sdkId: sdkId, call: failure.call, error: failure.error))
        }
    }

    @MainActor
    private func runOff(_ ticket: UInt64, undo: Bool = false) -> AdapterResult {
        // Off in every case: a failed stop must never leave the SDK counted as on.
        running = false
        var calls = SDKCallLog()
        do {
            try turnOff(calls: &calls)
        } catch {
            // A call made with `call` instead of `attempt`, or a throw between calls.
            calls.record(Self.failure(error, after: calls, doing: "switch off"))
        }
        let result: AdapterResult
        if let first = calls.failures.first {
            for f in calls.failures { log(.warning, "\(sdkId): switching off failed at \(f.call): \(f.error)") }
            lock.lock()
            // Still possibly on (per `SwitchMemory`): the next switch-off tries again.
            if generation == ticket { offAsked = false }
            lock.unlock()
            result = .failed(sdkId: sdkId, call: first.call, error: first.error)
        } else {
            lock.lock()
            // Off: nothing left to switch off next time, unless a newer switch-on is queued.
            if generation == ticket { memory.remember(sdkId, on: false) }
            lock.unlock()
            log(.info, "\(sdkId): switched off: \(calls.made.joined(separator: ", "))")
            result = .applied(sdkId: sdkId, on: false, calls: calls.made)
            // The undo of a half-done start stopped nothing that was recorded as started.
            if !undo { startLog?.stopped(sdkId) }
        }
        return undo ? result : finish(result)
    }

    private func finish(_ result: AdapterResult) -> AdapterResult {
        lock.lock()
        let handler = resultHandler
        lock.unlock()
        handler?(result)
        return result
    }

    private static func failure(_ error: Error, after calls: SDKCallLog, doing what: String) -> SDKCallError {
        if let e = error as? SDKCallError { return e }
        return SDKCallError(call: calls.made.last ?? what, error: String(describing: type(of: error)))
    }
}

/// The result of work that ran at once on the main thread, read back on the same thread.
private final class Outcome: @unchecked Sendable {
    var result: AdapterResult?
}
