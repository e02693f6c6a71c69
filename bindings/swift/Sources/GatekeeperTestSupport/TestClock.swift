// A clock the test moves by hand, and a listener that records what it heard.

import Foundation
import GatekeeperCore

/// 2026-01-01T00:00:00Z, where every test clock starts.
public let testEpoch = Date(timeIntervalSince1970: 1_767_225_600)

/// A `TimeSource` the test sets and moves (thread-safe). Times are whole milliseconds, as the
/// core keeps them.
public final class ManualClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var reads = 0

    public init(_ start: Date = testEpoch) {
        current = start
    }

    public func now() throws -> Date {
        lock.lock()
        defer { lock.unlock() }
        reads += 1
        return current
    }

    /// The time it reads now.
    public var date: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// How many times the core (or anyone) read it.
    public var readCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return reads
    }

    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }

    /// Moves the clock forward and returns the new time.
    @discardableResult
    public func advance(by seconds: TimeInterval) -> Date {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
        return current
    }
}

/// Records every call of the listener, in order, with the thread each came on.
public final class RecordingListener: ChangeListener, @unchecked Sendable {
    private let lock = NSLock()
    private var received: [[DecisionChange]] = []
    private var threads: [Thread] = []

    public init() {}

    public func onChange(changes: [DecisionChange]) throws {
        lock.lock()
        received.append(changes)
        threads.append(Thread.current)
        lock.unlock()
    }

    public var calls: [[DecisionChange]] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// The thread of each call, in order.
    public var callThreads: [Thread] {
        lock.lock()
        defer { lock.unlock() }
        return threads
    }

    public func reset() {
        lock.lock()
        received.removeAll()
        threads.removeAll()
        lock.unlock()
    }
}

/// Runs the main run loop until `done()` is true or `timeout` passes; returns `done()`. For
/// tests on the main thread waiting for SDK calls queued there by other threads.
@discardableResult
public func runMainLoop(until done: () -> Bool, timeout: TimeInterval = 10) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !done() && Date() < deadline {
        RunLoop.main.run(until: Date().addingTimeInterval(0.005))
    }
    return done()
}
