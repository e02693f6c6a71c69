// Which SDKs an adapter switched on, remembered across launches.

import Foundation

/// Remembers, across app launches, which SDKs an adapter switched on.
///
/// Several SDKs persist their own consent flag (Facebook's `Settings` flags, Firebase's
/// collection flag and consent, AMap's privacy agreement): an SDK switched on in an earlier
/// run stays on in the next one until someone switches it off. With this memory an adapter
/// told "not allowed" before it switched anything on in this process still switches its SDK
/// off when it was on last time, and calls nothing on a fresh install.
public protocol SwitchMemory: AnyObject, Sendable {
    func wasOn(_ sdkId: String) -> Bool
    func remember(_ sdkId: String, on: Bool)
}

/// `SwitchMemory` in `UserDefaults`: what an app uses.
public final class UserDefaultsSwitchMemory: SwitchMemory, @unchecked Sendable {
    // UserDefaults is documented thread-safe.
    private let defaults: UserDefaults
    private let prefix: String

    public init(defaults: UserDefaults = .standard, keyPrefix: String = "dev.gatekeeper.adapters.") {
        self.defaults = defaults
        prefix = keyPrefix
    }

    public func wasOn(_ sdkId: String) -> Bool { defaults.bool(forKey: prefix + sdkId) }
    public func remember(_ sdkId: String, on: Bool) { defaults.set(on, forKey: prefix + sdkId) }
}

/// `SwitchMemory` that forgets when the process ends: tests, and SDKs that persist nothing.
public final class InMemorySwitchMemory: SwitchMemory, @unchecked Sendable {
    private let lock = NSLock()
    private var on: [String: Bool] = [:]

    public init() {}

    public func wasOn(_ sdkId: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return on[sdkId] ?? false
    }

    public func remember(_ sdkId: String, on value: Bool) {
        lock.lock()
        on[sdkId] = value
        lock.unlock()
    }
}
