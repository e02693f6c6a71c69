// Switches a real third-party SDK on and off through its own consent API, as the gatekeeper
// decides: the Swift counterpart of the Kotlin package dev.gatekeeper.adapters. Each SDK is
// reached behind `#if canImport(...)`, so an app without it still builds; the adapter then
// reports `.sdkAbsent`. Not compiled on the project's CI machine (no Swift toolchain there).

import Foundation

/// What one call of an adapter did.
public enum AdapterResult: Equatable, Sendable {
    /// The SDK's consent API was called; `calls` names each call, in order.
    case applied(sdkId: String, on: Bool, calls: [String])
    /// The SDK already was in the state asked for: nothing was called.
    case alreadyInState(sdkId: String, on: Bool)
    /// The SDK's module is not linked into the app: nothing was called.
    case sdkAbsent(sdkId: String, module: String)
    /// A call failed; the adapter treats the SDK as off (fail closed).
    case failed(sdkId: String, call: String, error: String)

    /// True when, after this call, the SDK is switched on through this adapter.
    public var isOn: Bool {
        switch self {
        case let .applied(_, on, _), let .alreadyInState(_, on): return on
        case .sdkAbsent, .failed: return false
        }
    }
}

/// Remembers across launches which SDKs an adapter switched on (several SDKs persist their own
/// consent flags), so a later run switches off what an earlier one left on, and a fresh
/// install is never touched.
public protocol SwitchMemory: AnyObject, Sendable {
    func wasOn(_ sdkId: String) -> Bool
    func remember(_ sdkId: String, on: Bool)
}

/// `SwitchMemory` in `UserDefaults` (what an app should use).
public final class UserDefaultsSwitchMemory: SwitchMemory, @unchecked Sendable {
    private let defaults: UserDefaults
    private let prefix = "dev.gatekeeper.adapters."
    public init(defaults: UserDefaults = .standard) { self.defaults = defaults }
    public func wasOn(_ sdkId: String) -> Bool { defaults.bool(forKey: prefix + sdkId) }
    public func remember(_ sdkId: String, on: Bool) { defaults.set(on, forKey: prefix + sdkId) }
}

/// `SwitchMemory` that forgets when the process ends (tests).
public final class InMemorySwitchMemory: SwitchMemory, @unchecked Sendable {
    private let lock = NSLock()
    private var on: [String: Bool] = [:]
    public init() {}
    public func wasOn(_ sdkId: String) -> Bool { lock.lock(); defer { lock.unlock() }; return on[sdkId] ?? false }
    public func remember(_ sdkId: String, on value: Bool) { lock.lock(); on[sdkId] = value; lock.unlock() }
}

/// A call into an SDK that failed.
public struct SDKCallError: Error, Sendable {
    public let call: String
    public let error: String
    public init(call: String, error: String) { self.call = call; self.error = error }
}

/// One third-party SDK, switched on and off through its own consent API.
///
/// - `apply(_:)` takes the SDK's current `Decision`: `.allow` switches it on, anything else off.
/// - Idempotent: a repeated decision calls nothing, nothing is started twice, and an SDK never
///   switched on (in this process or, per `SwitchMemory`, an earlier one) is never called while
///   not allowed.
/// - Subclasses implement `isPresent`, `turnOn(restart:calls:)` and `turnOff(calls:)`, each
///   behind `#if canImport(TheSDK)`.
open class SDKAdapter: @unchecked Sendable {
    public let sdkId: String
    /// The module whose absence means "the SDK is not in the app".
    public let module: String
    private let memory: SwitchMemory
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var on = false
    private var startedInProcess = false

    public init(sdkId: String, module: String, memory: SwitchMemory,
                log: @escaping @Sendable (String) -> Void) {
        self.sdkId = sdkId
        self.module = module
        self.memory = memory
        self.log = log
    }

    /// Whether the SDK's module is linked into the app (overridden with `#if canImport`).
    open var isPresent: Bool { false }

    /// The calls that switch the SDK on; append a name to `calls` for each call made.
    open func turnOn(restart: Bool, calls: inout [String]) throws {}

    /// The calls that switch the SDK off.
    open func turnOff(calls: inout [String]) throws {}

    public var isOn: Bool { lock.lock(); defer { lock.unlock() }; return on }

    @discardableResult
    public func apply(_ decision: Decision) -> AdapterResult {
        decision.verdict == .allow ? switchOn() : switchOff()
    }

    @discardableResult
    public func switchOn() -> AdapterResult {
        lock.lock(); defer { lock.unlock() }
        if on { return .alreadyInState(sdkId: sdkId, on: true) }
        // Remembered before the first call (write-ahead): a start that fails half-way, or a
        // process killed during it, still gets switched off by a later run.
        if isPresent { memory.remember(sdkId, on: true) }
        let result = run("on") { calls in try turnOn(restart: startedInProcess, calls: &calls) }
        switch result {
        case .applied:
            on = true
            startedInProcess = true
        case .failed:
            // Undo what the half-done start switched on; memory keeps "may be on" so the
            // next switchOff tries again.
            _ = run("off") { calls in try turnOff(calls: &calls) }
        case .sdkAbsent, .alreadyInState:
            break
        }
        return result
    }

    @discardableResult
    public func switchOff() -> AdapterResult {
        lock.lock(); defer { lock.unlock() }
        if !on && !memory.wasOn(sdkId) { return .alreadyInState(sdkId: sdkId, on: false) }
        let result = run("off") { calls in try turnOff(calls: &calls) }
        on = false
        // Off, or not in the app (any more): nothing left to switch off next time.
        switch result {
        case .applied, .sdkAbsent: memory.remember(sdkId, on: false)
        case .alreadyInState, .failed: break
        }
        return result
    }

    private func run(_ what: String, _ body: (inout [String]) throws -> Void) -> AdapterResult {
        guard isPresent else {
            log("\(sdkId): SDK absent (module \(module) not linked); nothing switched \(what)")
            return .sdkAbsent(sdkId: sdkId, module: module)
        }
        var calls: [String] = []
        do {
            try body(&calls)
            log("\(sdkId): switched \(what): \(calls.joined(separator: ", "))")
            return .applied(sdkId: sdkId, on: what == "on", calls: calls)
        } catch let e as SDKCallError {
            log("\(sdkId): switching \(what) failed at \(e.call): \(e.error)")
            return .failed(sdkId: sdkId, call: e.call, error: e.error)
        } catch {
            log("\(sdkId): switching \(what) failed: \(type(of: error))")
            return .failed(sdkId: sdkId, call: calls.last ?? "?", error: "\(type(of: error))")
        }
    }
}
