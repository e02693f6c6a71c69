// Facebook SDK core and app events (FBSDKCoreKit), manifest id `facebook`.

import GatekeeperCore

/// Facebook SDK core and app events (`FBSDKCoreKit`), manifest id `facebook`.
///
/// - On: `Settings.shared.isAutoLogAppEventsEnabled = true`,
///   `Settings.shared.isAdvertiserIDCollectionEnabled = collectAdvertiserID`, then, once per
///   process, `ApplicationDelegate.shared.initializeSDK()`. A restart after a withdrawal only
///   sets the flags again (the SDK's `initializeSDK()` runs once per process anyway).
/// - Off: both flags `false`, each attempted even when the other fails. The SDK persists them
///   (hence `SwitchMemory`). It has no call that undoes an initialisation: stop logging
///   events yourself as well.
/// - On the main thread: `initializeSDK()` sets up the SDK's UIKit observers.
///
/// The app wires it where it links FBSDKCoreKit:
///
/// ```swift
/// import FBSDKCoreKit
///
/// let facebook = FacebookAdapter(calls: .init(
///     setAutoLogAppEventsEnabled: { Settings.shared.isAutoLogAppEventsEnabled = $0 },
///     setAdvertiserIDCollectionEnabled: { Settings.shared.isAdvertiserIDCollectionEnabled = $0 },
///     initializeSDK: { ApplicationDelegate.shared.initializeSDK() }
/// ), memory: UserDefaultsSwitchMemory())
/// ```
///
/// Keep it from starting itself, in Info.plist: `FacebookAutoLogAppEventsEnabled` = NO,
/// `FacebookAdvertiserIDCollectionEnabled` = NO; and do not call
/// `ApplicationDelegate.shared.application(_:didFinishLaunchingWithOptions:)` at launch
/// (it initialises the SDK).
///
/// Names checked against facebook-ios-sdk (`FBSDKCoreKit/FBSDKCoreKit/ApplicationDelegate.swift`:
/// `public static var shared`, `public func initializeSDK()`, guarded to run once;
/// `FBSDKCoreKit/FBSDKCoreKit/Settings.swift`: `public static let shared`,
/// `isAutoLogAppEventsEnabled`, `isAdvertiserIDCollectionEnabled`, both persisted).
public final class FacebookAdapter: SDKAdapter, @unchecked Sendable {
    /// The SDK's own calls, as the app's code makes them.
    public struct Calls: Sendable {
        /// `Settings.shared.isAutoLogAppEventsEnabled = $0`
        public var setAutoLogAppEventsEnabled: @MainActor @Sendable (Bool) throws -> Void
        /// `Settings.shared.isAdvertiserIDCollectionEnabled = $0`
        public var setAdvertiserIDCollectionEnabled: @MainActor @Sendable (Bool) throws -> Void
        /// `ApplicationDelegate.shared.initializeSDK()`
        public var initializeSDK: @MainActor @Sendable () throws -> Void

        public init(setAutoLogAppEventsEnabled: @escaping @MainActor @Sendable (Bool) throws -> Void,
                    setAdvertiserIDCollectionEnabled: @escaping @MainActor @Sendable (Bool) throws -> Void,
                    initializeSDK: @escaping @MainActor @Sendable () throws -> Void) {
            self.setAutoLogAppEventsEnabled = setAutoLogAppEventsEnabled
            self.setAdvertiserIDCollectionEnabled = setAdvertiserIDCollectionEnabled
            self.initializeSDK = initializeSDK
        }
    }

    private let calls: Calls
    private let collectAdvertiserID: Bool

    /// - Parameter collectAdvertiserID: whether the advertising id may be collected once
    ///   allowed (the example manifest lists `advertising_id` among the data of `facebook`).
    public init(sdkId: String = "facebook", calls: Calls, collectAdvertiserID: Bool = true,
                memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default) {
        self.calls = calls
        self.collectAdvertiserID = collectAdvertiserID
        super.init(sdkId: sdkId, memory: memory, log: log)
    }

    @MainActor
    override public func turnOn(restart: Bool, calls log: inout SDKCallLog) throws {
        try log.call("Settings.isAutoLogAppEventsEnabled = true") { try calls.setAutoLogAppEventsEnabled(true) }
        try log.call("Settings.isAdvertiserIDCollectionEnabled = \(collectAdvertiserID)") {
            try calls.setAdvertiserIDCollectionEnabled(collectAdvertiserID)
        }
        if !restart {
            try log.call("ApplicationDelegate.initializeSDK()") { try calls.initializeSDK() }
        }
    }

    @MainActor
    override public func turnOff(calls log: inout SDKCallLog) throws {
        log.attempt("Settings.isAutoLogAppEventsEnabled = false") { try calls.setAutoLogAppEventsEnabled(false) }
        log.attempt("Settings.isAdvertiserIDCollectionEnabled = false") { try calls.setAdvertiserIDCollectionEnabled(false) }
    }
}
