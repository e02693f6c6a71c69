// Sensors Analytics (SensorsAnalyticsSDK), manifest id `sensors_analytics`.

import GatekeeperCore

/// Sensors Analytics (`SensorsAnalyticsSDK`), manifest id `sensors_analytics`.
///
/// - On, the first time in a process: `start`, which is the app's
///   `SensorsAnalyticsSDK.start(configOptions:)` with its own `SAConfigOptions`. Only after
///   allow, on the main thread.
/// - Off: `SensorsAnalyticsSDK.sharedInstance()?.deleteAll()` first (the events recorded and
///   not yet sent are deleted), then `SensorsAnalyticsSDK.disableSDK()` (no collection, no
///   network), each attempted even when the other fails.
/// - On again after a withdrawal, in the same process: `SensorsAnalyticsSDK.enableSDK()` (the
///   SDK is started once per process).
///
/// ```swift
/// import SensorsAnalyticsSDK
///
/// let sensors = SensorsAnalyticsAdapter(calls: .init(
///     start: {
///         let options = SAConfigOptions(serverURL: "https://…/sa?project=phocol", launchOptions: nil)
///         SensorsAnalyticsSDK.start(configOptions: options)
///     },
///     deleteAll: { SensorsAnalyticsSDK.sharedInstance()?.deleteAll() },
///     disableSDK: { SensorsAnalyticsSDK.disableSDK() },
///     enableSDK: { SensorsAnalyticsSDK.enableSDK() }
/// ), memory: UserDefaultsSwitchMemory())
/// ```
///
/// It has no Info.plist switch: it collects nothing until started, so never call
/// `start(configOptions:)` in `application(_:didFinishLaunchingWithOptions:)` yourself.
/// (The SDK's header asks for a start at launch; a start after consent loses only the
/// launch's `$AppStart` event, which is the point.)
///
/// Why `deleteAll()` first: `disableSDK()` does not stop at once; as on Android, it first
/// tracks an `$AppDataTrackingClose` event and flushes the queue, so every event waiting in the
/// queue would leave the device after the withdrawal. What the SDK still does: that
/// `$AppDataTrackingClose` event itself is sent (the SDK has no switch for it), and an upload
/// already under way completes. The anonymous id it keeps stays until the app resets it
/// (`resetAnonymousId()`) or deletes its data.
///
/// Names checked against sa-sdk-ios 5.0.7 (`SensorsAnalyticsSDK+Public.h`:
/// `+ startWithConfigOptions:` `NS_SWIFT_NAME(start(configOptions:))`, documented as "must be
/// called on the main thread"; `+ disableSDK`, `+ enableSDK`, `+ sharedInstance`, `- deleteAll`; `SAConfigOptions.h`:
/// `- initWithServerURL:launchOptions:`).
public final class SensorsAnalyticsAdapter: SDKAdapter, @unchecked Sendable {
    /// The SDK's own calls, as the app's code makes them.
    public struct Calls: Sendable {
        /// `SensorsAnalyticsSDK.start(configOptions: SAConfigOptions(serverURL: …, launchOptions: nil))`
        public var start: @MainActor @Sendable () throws -> Void
        /// `SensorsAnalyticsSDK.sharedInstance()?.deleteAll()`
        public var deleteAll: @MainActor @Sendable () throws -> Void
        /// `SensorsAnalyticsSDK.disableSDK()`
        public var disableSDK: @MainActor @Sendable () throws -> Void
        /// `SensorsAnalyticsSDK.enableSDK()`
        public var enableSDK: @MainActor @Sendable () throws -> Void

        public init(start: @escaping @MainActor @Sendable () throws -> Void,
                    deleteAll: @escaping @MainActor @Sendable () throws -> Void,
                    disableSDK: @escaping @MainActor @Sendable () throws -> Void,
                    enableSDK: @escaping @MainActor @Sendable () throws -> Void) {
            self.start = start
            self.deleteAll = deleteAll
            self.disableSDK = disableSDK
            self.enableSDK = enableSDK
        }
    }

    private let calls: Calls

    public init(sdkId: String = "sensors_analytics", calls: Calls,
                memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default) {
        self.calls = calls
        super.init(sdkId: sdkId, memory: memory, log: log)
    }

    @MainActor
    override public func turnOn(restart: Bool, calls log: inout SDKCallLog) throws {
        if restart {
            try log.call("SensorsAnalyticsSDK.enableSDK()") { try calls.enableSDK() }
        } else {
            try log.call("SensorsAnalyticsSDK.start(configOptions:)") { try calls.start() }
        }
    }

    @MainActor
    override public func turnOff(calls log: inout SDKCallLog) throws {
        log.attempt("SensorsAnalyticsSDK.deleteAll()") { try calls.deleteAll() }
        log.attempt("SensorsAnalyticsSDK.disableSDK()") { try calls.disableSDK() }
    }
}
