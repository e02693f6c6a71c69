// The gatekeeper's one change-listener slot, shared: observers called on the writer's
// thread, and `AsyncStream`s of change batches for Swift concurrency.
//
// The core has ONE listener slot (`setListener(listener:)` replaces whatever was there,
// silently). An app usually needs several parties to hear of a withdrawal: the SDK adapters,
// a decision cache, a SwiftUI model. `ChangeCenter` takes the slot once per gatekeeper and
// fans every notification out, so none of them can disconnect another.

import Foundation

/// Fans the gatekeeper's change notifications out to observers and `AsyncStream`s.
///
/// Get it with `gatekeeper.changeCenter` (or `ChangeCenter.of(gatekeeper)`): one per
/// gatekeeper object, created on first use, which then holds the gatekeeper's listener slot.
/// Do not also call `setListener(listener:)` on that gatekeeper: it would replace the center,
/// which then hears nothing.
///
/// - Observers (`observe(_:)`) are called synchronously, on the thread that made the change,
///   before the write call returns (a withdrawal switches SDKs off in the call that withdrew),
///   in the order they were added.
/// - Streams (`changes()`) receive each batch after that, asynchronously. A batch is the list
///   one write changed; batches of writes made on two threads may arrive in either order, so
///   act on the highest `DecisionChange.sequence` per subject (`SDKGate` does).
///
/// Thread-safe. The center keeps the gatekeeper weakly (the core keeps the center, as its
/// listener, for as long as the gatekeeper lives).
public final class ChangeCenter: ChangeListener, @unchecked Sendable {
    private weak var gatekeeper: (any GatekeeperProtocol)?
    private let lock = NSLock()
    /// Observers and stream continuations, by token, in the order added. Guarded by `lock`.
    private var observers: [(token: UInt64, deliver: @Sendable ([DecisionChange]) -> Void)] = []
    private var nextToken: UInt64 = 0
    private var finished = false

    private init(gatekeeper: any GatekeeperProtocol) {
        self.gatekeeper = gatekeeper
    }

    // MARK: One center per gatekeeper

    private struct Entry {
        weak var gatekeeper: (any GatekeeperProtocol)?
        let center: ChangeCenter
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [ObjectIdentifier: Entry] = [:]

    /// The change center of `gatekeeper`, created (and set as its listener) on first use.
    public static func of(_ gatekeeper: any GatekeeperProtocol) -> ChangeCenter {
        registryLock.lock()
        defer { registryLock.unlock() }
        // Forget centers of gatekeepers that are gone (an identifier may be reused).
        registry = registry.filter { $0.value.gatekeeper != nil }
        let key = ObjectIdentifier(gatekeeper)
        if let entry = registry[key], entry.gatekeeper === gatekeeper, !entry.center.isFinished {
            return entry.center
        }
        let center = ChangeCenter(gatekeeper: gatekeeper)
        registry[key] = Entry(gatekeeper: gatekeeper, center: center)
        gatekeeper.setListener(listener: center)
        return center
    }

    // MARK: Listening

    /// A handle to stop observing.
    public final class Observation: Sendable {
        private let stop: @Sendable () -> Void
        init(stop: @escaping @Sendable () -> Void) { self.stop = stop }
        /// Stops the observer. Harmless to call twice.
        public func cancel() { stop() }
    }

    /// Calls `handler` with every batch of changes, on the thread that made them, before the
    /// write returns. Keep it quick; it may call back into the gatekeeper.
    @discardableResult
    public func observe(_ handler: @escaping @Sendable ([DecisionChange]) -> Void) -> Observation {
        let token = add(handler)
        return Observation { [weak self] in self?.remove(token) }
    }

    /// Every batch of changes from now on, as an `AsyncStream`. The stream ends when the task
    /// iterating it is cancelled, or when `finish()` is called.
    ///
    /// ```swift
    /// for await changes in gatekeeper.changeCenter.changes() {
    ///     for change in changes where change.new.verdict != .allow { stop(change.subject) }
    /// }
    /// ```
    public func changes(
        bufferingPolicy: AsyncStream<[DecisionChange]>.Continuation.BufferingPolicy = .unbounded
    ) -> AsyncStream<[DecisionChange]> {
        let (stream, continuation) = AsyncStream<[DecisionChange]>.makeStream(bufferingPolicy: bufferingPolicy)
        let token = add({ continuation.yield($0) }, finish: { continuation.finish() })
        continuation.onTermination = { [weak self] _ in self?.remove(token) }
        if isFinished { continuation.finish() }
        return stream
    }

    /// The listener callback (called by the core). Tells every observer and stream.
    public func onChange(changes: [DecisionChange]) throws {
        lock.lock()
        let current = observers
        lock.unlock()
        for observer in current { observer.deliver(changes) }
    }

    /// Ends every stream, forgets every observer and gives the listener slot back (the
    /// gatekeeper stays open). `gatekeeper.changeCenter` afterwards is a new center.
    public func finish() {
        lock.lock()
        finished = true
        observers.removeAll()
        let streams = Array(finishers.values)
        finishers.removeAll()
        lock.unlock()
        for finishStream in streams { finishStream() }
        gatekeeper?.setListener(listener: nil)
    }

    /// Whether `finish()` was called.
    public var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    // MARK: -

    /// How to end each stream, by token. Guarded by `lock`.
    private var finishers: [UInt64: @Sendable () -> Void] = [:]

    private func add(_ deliver: @escaping @Sendable ([DecisionChange]) -> Void,
                     finish: (@Sendable () -> Void)? = nil) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        nextToken += 1
        if !finished {
            observers.append((nextToken, deliver))
            if let finish { finishers[nextToken] = finish }
        }
        return nextToken
    }

    private func remove(_ token: UInt64) {
        lock.lock()
        observers.removeAll { $0.token == token }
        finishers[token] = nil
        lock.unlock()
    }
}

extension GatekeeperProtocol {
    /// This gatekeeper's `ChangeCenter` (created, and set as the listener, on first use).
    public var changeCenter: ChangeCenter { ChangeCenter.of(self) }
}
