// What the stand-in SDKs were called with, in call order.

import Foundation

/// What the stand-in SDK types (named like the real SDKs, see `StandInSDKs.swift`) were called
/// with, in call order, as `Type.member(arguments)`, and every call a stand-in saw off the main
/// thread where its real SDK needs the main thread. Global, like the SDKs it stands in for:
/// tests `reset()` it first.
public enum StandInLog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var recorded: [String] = []
    nonisolated(unsafe) private static var offMain: [String] = []

    /// The calls made, in order.
    public static var calls: [String] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Calls that must run on the main thread and did not.
    public static var mainThreadViolations: [String] {
        lock.lock()
        defer { lock.unlock() }
        return offMain
    }

    /// The calls made since the last `drain()` (or `reset()`), and forgets them.
    public static func drain() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let out = recorded
        recorded.removeAll()
        return out
    }

    /// Forgets everything, and puts the stand-in SDKs back in their launch state (a new process).
    public static func reset() {
        lock.lock()
        recorded.removeAll()
        offMain.removeAll()
        lock.unlock()
        StandInProcess.reset()
        SensorsAnalyticsSDK.resetQueue()
    }

    /// Records a call; `mainThread` when the real SDK needs the main thread for it.
    public static func record(_ call: String, mainThread: Bool = false) {
        lock.lock()
        recorded.append(call)
        if mainThread && !Thread.isMainThread { offMain.append(call) }
        lock.unlock()
    }
}

/// Process-wide state of the stand-ins (what a real SDK keeps for the life of the process).
enum StandInProcess {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var flags: Set<String> = []

    /// Sets `flag`; returns whether it was already set.
    static func testAndSet(_ flag: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return !flags.insert(flag).inserted
    }

    static func reset() {
        lock.lock()
        flags.removeAll()
        lock.unlock()
    }
}
