// A decision cache for hot paths: repeated "may this SDK start?" and "may I show this
// permission prompt?" answered from memory, dropped on every change notification and before
// `validUntil`. The Swift counterpart of the Kotlin `dev.gatekeeper.ktx.DecisionCache`, with
// the same rules (contract §4: a decision may be cached "until valid_until or until a change
// notification"); only the locking differs (an `NSLock`, as in the rest of this layer).

import Foundation

/// Answers repeated `decideSdk` / `decidePermission` questions from memory, for code that asks
/// before every SDK call.
///
/// A call into the core from Swift lowers its argument, crosses the C ABI, runs the decision
/// (logged) and lifts the `Decision` record; a hit here is a dictionary lookup under a lock.
/// The hit path never reads the system clock; instead:
///
/// - **Change notifications** (from the gatekeeper's `ChangeCenter` when observing one, or
///   forwarded by the owner to `applyChanges(_:)`) drop every entry, whatever the list names
///   (a write can change answers it does not list, such as a permission asked with another
///   trigger).
/// - **Expiry.** With the system clock, a timer on one shared serial queue drops every entry
///   `expiryLead` before the earliest cached `validUntil`, and wakes at least every
///   `maxNap` seconds to compare the wall clock with it, so a wall clock moved forward, or a
///   device that slept through the deadline, is noticed within that nap. An answer already
///   within `expiryLead` of its `validUntil` is returned but not kept. With a `timeSource`
///   (an injected clock, which timers cannot follow), every hit compares that clock with the
///   entry's `validUntil` instead: exact, at the price of the clock call. A clock that throws
///   counts as expired (the core is asked).
/// - A lookup that raced with a change (it asked the core before the change and would store
///   the answer after it) returns its answer but does not keep it.
///
/// Only subjects the core's notifications cover are cached: SDKs, and permissions (per
/// trigger). Purposes are not: a write that changes no SDK or permission sends no
/// notification, so `purpose(_:)` always asks the core. Nor are data accesses (contract §9.2):
/// an allowed access **is** the access, recorded by the core and starting its interval, so
/// `access(_:background:)` asks the core every time and keeps nothing. A `storeUnavailable`
/// answer is never kept (the next call asks again), and nothing is kept after `close()`.
///
/// Between a write committing in the core and its notification reaching this cache, a hit may
/// still serve the previous decision; the notification is delivered on the writing thread
/// before the write returns, as for `SDKGate`.
///
/// Thread-safe. A miss asks the core without holding the cache's lock, so a notification the
/// decision itself delivers (another process's write, seen by it) comes back in safely.
public final class DecisionCache: @unchecked Sendable {
    /// The longest the expiry timer sleeps before it compares the wall clock again, in seconds.
    public static let maxNap: TimeInterval = 10

    private struct PermissionKey: Hashable {
        let id: String
        let trigger: Trigger
    }

    private let gatekeeper: any GatekeeperProtocol
    private let timeSource: TimeSource?
    private let expiryLead: TimeInterval

    private let lock = NSLock()
    /// Guarded by `lock`.
    private var sdks: [String: Decision] = [:]
    private var permissions: [PermissionKey: Decision] = [:]
    /// Bumped by every invalidation; a miss keeps its answer only if it is unchanged.
    private var generation: UInt64 = 0
    private var closed = false
    private var missCount = 0
    private var expiryCount = 0
    /// System clock only: the earliest `validUntil` among the entries, and the armed timer.
    private var earliest: Date?
    private var timer: DispatchWorkItem?
    /// Which armed timer is current; a tick of an older one does nothing.
    private var timerToken: UInt64 = 0
    private var observation: ChangeCenter.Observation?

    /// One serial queue for the expiry timers of every cache.
    private static let expiryQueue = DispatchQueue(label: "gatekeeper.decision-cache.expiry")

    /// A cache that observes the gatekeeper's `ChangeCenter` (`gatekeeper.changeCenter`).
    ///
    /// - Parameters:
    ///   - timeSource: the clock given to the gatekeeper, if any (nil: the system clock).
    ///   - expiryLead: with the system clock, how long before its `validUntil` an entry is
    ///     dropped (default one second, so a timer that runs a little late is still early).
    public convenience init(gatekeeper: any GatekeeperProtocol, timeSource: TimeSource? = nil,
                            expiryLead: TimeInterval = 1) {
        self.init(gatekeeper: gatekeeper, timeSource: timeSource,
                  observing: gatekeeper.changeCenter, expiryLead: expiryLead)
    }

    /// - Parameters:
    ///   - changeCenter: the change center to observe; nil when the owner forwards every
    ///     notification to `applyChanges(_:)` (a cache that hears nothing serves a withdrawn
    ///     consent until `validUntil`, so make sure one of the two happens).
    public init(gatekeeper: any GatekeeperProtocol, timeSource: TimeSource?,
                observing changeCenter: ChangeCenter?, expiryLead: TimeInterval = 1) {
        self.gatekeeper = gatekeeper
        self.timeSource = timeSource
        self.expiryLead = expiryLead
        observation = changeCenter?.observe { [weak self] changes in self?.applyChanges(changes) }
    }

    deinit {
        observation?.cancel()
        timer?.cancel()
    }

    // MARK: Decisions

    /// May SDK `id` start now? (`decideSdk`, from memory while valid.)
    public func sdk(_ id: String) -> Decision {
        lock.lock()
        let entry = sdks[id]
        let gen = generation
        lock.unlock()
        if let entry, fresh(entry) { return entry }
        return fill(gen, gatekeeper.decideSdk(id: id)) { $0.sdks[id] = $1 }
    }

    /// May the app show permission prompt `id` now? (`decidePermission`, from memory while
    /// valid; each trigger has its own entry.)
    public func permission(_ id: String, trigger: Trigger = .userAction) -> Decision {
        let key = PermissionKey(id: id, trigger: trigger)
        lock.lock()
        let entry = permissions[key]
        let gen = generation
        lock.unlock()
        if let entry, fresh(entry) { return entry }
        return fill(gen, gatekeeper.decidePermission(id: id, trigger: trigger)) { $0.permissions[key] = $1 }
    }

    /// Purposes are not cached (see the class comment): this asks the core every time.
    public func purpose(_ id: String) -> Decision {
        gatekeeper.decidePurpose(id: id)
    }

    /// A read of sensitive data `id` (in the background when `background`): never cached,
    /// since each allow is an access the core records and paces. Ask right before every read,
    /// and read only on `allow`.
    public func access(_ id: String, background: Bool = false) -> Decision {
        gatekeeper.decideAccess(id: id, background: background)
    }

    /// True when SDK `id` may start now.
    public func isSDKAllowed(_ id: String) -> Bool {
        sdk(id).verdict == .allow
    }

    // MARK: Invalidation

    /// Applies a change notification: every entry is dropped, whatever the list names. Call it
    /// from your observer when the cache was made with `observing: nil`.
    public func applyChanges(_ changes: [DecisionChange]) {
        invalidateAll()
    }

    /// Drops every entry; the next lookups ask the core.
    public func invalidateAll() {
        lock.lock()
        let stale = dropAll()
        lock.unlock()
        stale?.cancel()
    }

    /// Stops observing, drops every entry and keeps nothing afterwards (lookups then ask the
    /// core every time). Harmless to call twice.
    public func close() {
        lock.lock()
        closed = true
        let stale = dropAll()
        let o = observation
        observation = nil
        lock.unlock()
        stale?.cancel()
        o?.cancel()
    }

    /// How many times the cache asked the core for an SDK or a permission (misses), for
    /// diagnostics and tests.
    public var misses: Int {
        lock.lock()
        defer { lock.unlock() }
        return missCount
    }

    /// How many times expiry dropped the entries (system clock only), for diagnostics and tests.
    public var expiries: Int {
        lock.lock()
        defer { lock.unlock() }
        return expiryCount
    }

    // MARK: -

    /// With an injected clock, strictly before `validUntil`; with the system clock, the timer
    /// decides.
    private func fresh(_ entry: Decision) -> Bool {
        guard let timeSource, let until = entry.validUntil else { return true }
        guard let now = try? timeSource.now() else { return false }
        return now < until
    }

    /// Keeps `decision` (asked after reading generation `gen`) unless it must not be kept.
    private func fill(_ gen: UInt64, _ decision: Decision, store: (DecisionCache, Decision) -> Void) -> Decision {
        lock.lock()
        defer { lock.unlock() }
        missCount += 1
        if decision.reason == .storeUnavailable || closed || gen != generation { return decision }
        if timeSource == nil, let until = decision.validUntil {
            // Too close to its end to be kept until the timer could drop it.
            if until.timeIntervalSinceNow - expiryLead <= 0 { return decision }
            store(self, decision)
            noteExpiry(until)
        } else {
            store(self, decision)
        }
        return decision
    }

    /// Caller holds `lock`. Returns the timer to cancel once the lock is released.
    private func dropAll() -> DispatchWorkItem? {
        generation &+= 1
        sdks.removeAll()
        permissions.removeAll()
        earliest = nil
        let stale = timer
        timer = nil
        return stale
    }

    /// Caller holds `lock`.
    private func noteExpiry(_ until: Date) {
        if let earliest, until >= earliest, timer != nil { return }
        earliest = min(earliest ?? until, until)
        arm()
    }

    /// Caller holds `lock`; `earliest` is set.
    private func arm() {
        timer?.cancel()
        guard let earliest else { return }
        let wait = min(max(earliest.timeIntervalSinceNow - expiryLead, 0), Self.maxNap)
        timerToken &+= 1
        let token = timerToken
        let item = DispatchWorkItem { [weak self] in self?.tick(token) }
        timer = item
        Self.expiryQueue.asyncAfter(wallDeadline: .now() + wait, execute: item)
    }

    private func tick(_ token: UInt64) {
        lock.lock()
        guard !closed, token == timerToken, timer != nil, let earliest else {
            lock.unlock()
            return
        }
        timer = nil
        if earliest.timeIntervalSinceNow - expiryLead > 0 {
            arm()
            lock.unlock()
            return
        }
        expiryCount += 1
        _ = dropAll()
        lock.unlock()
    }
}
