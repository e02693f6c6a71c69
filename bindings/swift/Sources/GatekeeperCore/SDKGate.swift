// SDK decisions for start-up and for the SDK adapters: batched, kept until they can change,
// and applied in the order the core committed them. The Swift counterpart of the Kotlin
// `dev.gatekeeper.ktx.SdkGate`.

import Foundation

/// Answers "may this SDK start?" from memory, and tells the app what to switch off and on.
///
/// - Decides every SDK it is given in ONE `decideMany` call when created (none for an empty
///   list), and again only what a change or the clock made stale, again in one call.
/// - Serves `isAllowed(_:)` / `decision(_:)` from memory while an entry is valid: until its
///   `validUntil` (read from the `timeSource` given, else the system clock), or until a
///   change notification names that SDK.
/// - Drops a change whose `DecisionChange.sequence` is lower than the last one applied for its
///   subject: the core numbers writes in commit order, but two writes on two threads may
///   deliver their notifications in either order, and a late, older "allow" must not switch
///   an SDK back on. What is left reaches `Callbacks`.
/// - Hears changes from the gatekeeper's `ChangeCenter` when given one (`observing:`), or
///   from its owner through `applyChanges(_:)`.
///
/// Thread-safe. Callbacks run on the thread that made the change, after the gate's lock is
/// released, so they may call back into the gate or the gatekeeper.
public final class SDKGate: @unchecked Sendable {
    /// What the app hears about; every closure is optional.
    public struct Callbacks: Sendable {
        /// The SDK was allowed and no longer is: stop it, stop sending it data.
        public var switchOff: (@Sendable (_ sdkId: String, _ decision: Decision) -> Void)?
        /// The SDK was not allowed and now is: it may be started.
        public var switchOn: (@Sendable (_ sdkId: String, _ decision: Decision) -> Void)?
        /// Every change applied, SDKs and permissions alike (stale ones dropped).
        public var changes: (@Sendable (_ changes: [DecisionChange]) -> Void)?

        public init(switchOff: (@Sendable (String, Decision) -> Void)? = nil,
                    switchOn: (@Sendable (String, Decision) -> Void)? = nil,
                    changes: (@Sendable ([DecisionChange]) -> Void)? = nil) {
            self.switchOff = switchOff
            self.switchOn = switchOn
            self.changes = changes
        }
    }

    private let gatekeeper: any GatekeeperProtocol
    private let timeSource: TimeSource?
    private let callbacks: Callbacks
    /// Recursive: a `decideMany` made under it may itself report a change (another process's
    /// write, seen by the decision), which comes back into `applyChanges` on this thread.
    private let lock = NSRecursiveLock()
    /// The SDK ids known, in the order first known. Guarded by `lock`.
    private var order: [String] = []
    /// Valid entries by SDK id; a known id without one is decided again. Guarded by `lock`.
    private var entries: [String: Decision] = [:]
    /// The highest `DecisionChange.sequence` applied per subject. Guarded by `lock`.
    private var lastSequence: [String: Int64] = [:]
    private var observation: ChangeCenter.Observation?
    private var batchCount = 0

    /// - Parameters:
    ///   - sdkIds: the SDKs to decide now, in this order; nil means every SDK of the policy
    ///     (`gatekeeper.manifest().sdks`, in manifest order).
    ///   - timeSource: the clock given to the gatekeeper (nil: the system clock); it decides
    ///     when a `validUntil` has passed.
    ///   - callbacks: what to call on changes.
    ///   - changeCenter: the gatekeeper's change center to observe (usually
    ///     `gatekeeper.changeCenter`); nil when the owner forwards changes to `applyChanges(_:)`.
    public init(gatekeeper: any GatekeeperProtocol,
                sdkIds: [String]? = nil,
                timeSource: TimeSource? = nil,
                callbacks: Callbacks = Callbacks(),
                observing changeCenter: ChangeCenter? = nil) {
        self.gatekeeper = gatekeeper
        self.timeSource = timeSource
        self.callbacks = callbacks
        for id in sdkIds ?? gatekeeper.manifest().sdks.map(\.id) { add(id) }
        // Observe first: a change made between the two steps then invalidates an entry that
        // the batch below fills afresh anyway, instead of being missed.
        observation = changeCenter?.observe { [weak self] changes in self?.applyChanges(changes) }
        lock.lock()
        refill(now())
        lock.unlock()
    }

    deinit {
        observation?.cancel()
    }

    /// How many `decideMany` calls the gate has made (diagnostics and tests).
    public var batches: Int {
        lock.lock()
        defer { lock.unlock() }
        return batchCount
    }

    /// May the SDK start (or keep running) now? Unknown ids are never allowed.
    public func isAllowed(_ sdkId: String) -> Bool {
        decision(sdkId).verdict == .allow
    }

    /// The SDK's current decision, from memory while valid. An id the gate did not know yet
    /// is added and decided, with every other stale entry, in one call.
    public func decision(_ sdkId: String) -> Decision {
        lock.lock()
        defer { lock.unlock() }
        let now = now()
        if let d = entries[sdkId], fresh(d, now) { return d }
        add(sdkId)
        refill(now)
        // The core answers every subject it is asked; should it not, ask for this one alone.
        return entries[sdkId] ?? gatekeeper.decideSdk(id: sdkId)
    }

    /// The current decisions of `sdkIds` (every known SDK when nil), by id, from memory where
    /// valid; every stale entry among them is decided in ONE call. An id the core gave no
    /// answer for is left out.
    public func decisions(_ sdkIds: [String]? = nil) -> [String: Decision] {
        lock.lock()
        defer { lock.unlock() }
        let ids = sdkIds ?? order
        let now = now()
        var stale = false
        for id in ids {
            if let d = entries[id], fresh(d, now) { continue }
            add(id)
            stale = true
        }
        if stale { refill(now) }
        var out: [String: Decision] = [:]
        for id in ids { if let d = entries[id] { out[id] = d } }
        return out
    }

    /// Forgets every entry; the next lookup decides them all again, in one call.
    public func invalidateAll() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }

    /// Applies a change list as if heard from the gatekeeper: drops each change older (lower
    /// `sequence`) than the last one applied for its subject, invalidates the SDKs the rest
    /// name, and calls `Callbacks`. A change at the same sequence as the last applied is not
    /// stale. Returns the changes applied, in the order given (empty when all were stale).
    @discardableResult
    public func applyChanges(_ changes: [DecisionChange]) -> [DecisionChange] {
        lock.lock()
        var current: [DecisionChange] = []
        for change in changes {
            if let last = lastSequence[change.subject], change.sequence < last { continue }
            lastSequence[change.subject] = change.sequence
            current.append(change)
            if let id = change.sdkId { entries[id] = nil }
        }
        lock.unlock()
        guard !current.isEmpty else { return current }
        for change in current {
            guard let id = change.sdkId else { continue }
            let was = change.old.verdict == .allow
            let isNow = change.new.verdict == .allow
            if was && !isNow { callbacks.switchOff?(id, change.new) }
            if !was && isNow { callbacks.switchOn?(id, change.new) }
        }
        callbacks.changes?(current)
        return current
    }

    /// Stops observing the change center (the gatekeeper and its center stay as they are).
    public func stopObserving() {
        lock.lock()
        let o = observation
        observation = nil
        lock.unlock()
        o?.cancel()
    }

    // MARK: - Caller holds `lock`

    private var known: Set<String> = []

    private func add(_ id: String) {
        if known.insert(id).inserted { order.append(id) }
    }

    private func now() -> Date {
        (try? timeSource?.now()) ?? Date()
    }

    private func fresh(_ d: Decision, _ now: Date) -> Bool {
        guard let until = d.validUntil else { return true }
        return now < until
    }

    /// Re-decides every missing or expired entry in one FFI call.
    private func refill(_ now: Date) {
        let stale = order.filter { id in entries[id].map { !fresh($0, now) } ?? true }
        guard !stale.isEmpty else { return }
        let decided = gatekeeper.decideMany(subjects: stale.map { .sdk(id: $0) })
        batchCount += 1
        for (id, d) in zip(stale, decided) { entries[id] = d }
    }
}
