// Runs SDK calls on the main thread, in the order they were asked for, from any thread.
//
// Several SDKs must be started on the main thread (Sensors Analytics' `start(configOptions:)`
// says so in its header; Facebook's `ApplicationDelegate.initializeSDK()` sets up UIKit
// observers). The adapters are called from the gatekeeper's change notifications, which run
// on whichever thread made the change. So every adapter's SDK calls go through this queue:
//
// - on the main thread, they run at once, in the call that asked (a withdrawal made on the
//   main thread, as a settings switch is, switches the SDK off before it returns), after
//   anything still queued, so nothing overtakes what was asked before it;
// - elsewhere they are queued, and run in order at the main thread's next turn
//   (`DispatchQueue.main`): never concurrently with each other, never out of order, and never
//   blocking the thread that made the change (which may hold locks the main thread needs).

import Foundation

final class MainThreadQueue: @unchecked Sendable {
    static let shared = MainThreadQueue()

    private let lock = NSLock()
    /// Work not yet run, oldest first. Guarded by `lock`.
    private var pending: [@MainActor @Sendable () -> Void] = []
    /// A drain is scheduled on the main queue. Guarded by `lock`.
    private var drainScheduled = false

    /// Runs `work` on the main thread after everything queued before it. Returns true when it
    /// ran before returning (called on the main thread), false when it was queued.
    func run(_ work: @escaping @MainActor @Sendable () -> Void) -> Bool {
        if Thread.isMainThread {
            MainActor.assumeIsolated {
                drain()
                work()
            }
            return true
        }
        lock.lock()
        pending.append(work)
        let schedule = !drainScheduled
        drainScheduled = true
        lock.unlock()
        if schedule {
            DispatchQueue.main.async { self.drain() }
        }
        return false
    }

    /// How many queued calls have not run yet.
    var pendingCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending.count
    }

    /// Runs queued work, one item at a time, so work queued by work runs in order too.
    @MainActor
    private func drain() {
        while true {
            lock.lock()
            guard !pending.isEmpty else {
                drainScheduled = false
                lock.unlock()
                return
            }
            let next = pending.removeFirst()
            lock.unlock()
            next()
        }
    }
}
