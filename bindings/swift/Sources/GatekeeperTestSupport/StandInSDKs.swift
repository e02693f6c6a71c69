// Stand-ins for the SDKs the adapters drive, with the real SDKs' type and member names, so
// that the wiring in `StandInWiring.swift` is, line for line, what an app writes after
// `import FBSDKCoreKit` and the others. They record every call in `StandInLog` and note any
// main-thread call made elsewhere. They are not the SDKs: no behaviour beyond that.

import Foundation

// MARK: FBSDKCoreKit (facebook-ios-sdk: ApplicationDelegate.swift, Settings.swift)

/// Stand-in for `FBSDKCoreKit.Settings`.
public final class Settings: @unchecked Sendable {
    public static let shared = Settings()
    private let lock = NSLock()
    private var autoLog = true
    private var advertiserID = true

    public var isAutoLogAppEventsEnabled: Bool {
        get { lock.lock(); defer { lock.unlock() }; return autoLog }
        set {
            lock.lock(); autoLog = newValue; lock.unlock()
            StandInLog.record("Settings.isAutoLogAppEventsEnabled = \(newValue)")
        }
    }

    public var isAdvertiserIDCollectionEnabled: Bool {
        get { lock.lock(); defer { lock.unlock() }; return advertiserID }
        set {
            lock.lock(); advertiserID = newValue; lock.unlock()
            StandInLog.record("Settings.isAdvertiserIDCollectionEnabled = \(newValue)")
        }
    }
}

/// Stand-in for `FBSDKCoreKit.ApplicationDelegate`.
public final class ApplicationDelegate: @unchecked Sendable {
    public static let shared = ApplicationDelegate()

    /// Records the call; like the real one, it initialises once per process, and a second
    /// call is recorded as such so a test sees it.
    public func initializeSDK() {
        let again = StandInProcess.testAndSet("facebook.initialized")
        StandInLog.record(again ? "ApplicationDelegate.initializeSDK() AGAIN" : "ApplicationDelegate.initializeSDK()", mainThread: true)
    }
}

// MARK: SensorsAnalyticsSDK (sa-sdk-ios: SensorsAnalyticsSDK+Public.h, SAConfigOptions.h)

/// Stand-in for `SAConfigOptions`.
public final class SAConfigOptions: @unchecked Sendable {
    public let serverURL: String
    public var enableLog = false

    public init(serverURL: String, launchOptions: Any?) {
        self.serverURL = serverURL
        StandInLog.record("SAConfigOptions(serverURL:launchOptions:)")
    }
}

/// Stand-in for `SensorsAnalyticsSDK`. A second start in one process is recorded as such. It
/// models the SDK's queue: a start queues `$AppStart`, `track(_:)` an event, `deleteAll()`
/// empties the queue, and `disableSDK()`, like the real one, first tracks
/// `$AppDataTrackingClose` and flushes the queue (into `sent`) before it stops.
public final class SensorsAnalyticsSDK: @unchecked Sendable {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var queue: [String] = []
    nonisolated(unsafe) private static var sentEvents: [String] = []
    nonisolated(unsafe) private static var enabled = false
    private static let shared = SensorsAnalyticsSDK()

    /// The events that left the device, in order.
    public static var sent: [String] {
        lock.lock()
        defer { lock.unlock() }
        return sentEvents
    }

    public static func start(configOptions: SAConfigOptions) {
        let again = StandInProcess.testAndSet("sensors.started")
        StandInLog.record(again ? "SensorsAnalyticsSDK.start(configOptions:) AGAIN" : "SensorsAnalyticsSDK.start(configOptions:)",
                          mainThread: true)
        lock.lock()
        enabled = true
        if !again { queue.append("$AppStart") }
        lock.unlock()
    }

    /// `+ sharedInstance` (nil before a start in the real SDK; the stand-in always answers).
    public static func sharedInstance() -> SensorsAnalyticsSDK? { shared }

    /// `- track:`
    public func track(_ event: String) {
        Self.lock.lock()
        if Self.enabled { Self.queue.append(event) }
        Self.lock.unlock()
    }

    /// `- deleteAll`: deletes every event in the local queue, unsent.
    public func deleteAll() {
        StandInLog.record("SensorsAnalyticsSDK.deleteAll()")
        Self.lock.lock()
        Self.queue.removeAll()
        Self.lock.unlock()
    }

    public static func disableSDK() {
        StandInLog.record("SensorsAnalyticsSDK.disableSDK()")
        lock.lock()
        if enabled {
            queue.append("$AppDataTrackingClose")
            sentEvents += queue
            queue.removeAll()
        }
        enabled = false
        lock.unlock()
    }

    public static func enableSDK() {
        StandInLog.record("SensorsAnalyticsSDK.enableSDK()")
        lock.lock()
        enabled = true
        lock.unlock()
    }

    /// Test hook: a new process.
    public static func resetQueue() {
        lock.lock()
        queue.removeAll()
        sentEvents.removeAll()
        enabled = false
        lock.unlock()
    }
}

// MARK: FirebaseAnalytics (FIRAnalytics.h, FIRAnalytics+Consent.h)

/// Stand-in for Firebase's `ConsentType` (an `NS_TYPED_ENUM` over strings).
public struct ConsentType: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let adStorage = ConsentType(rawValue: "ad_storage")
    public static let analyticsStorage = ConsentType(rawValue: "analytics_storage")
    public static let adUserData = ConsentType(rawValue: "ad_user_data")
    public static let adPersonalization = ConsentType(rawValue: "ad_personalization")
}

/// Stand-in for Firebase's `ConsentStatus`.
public struct ConsentStatus: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let granted = ConsentStatus(rawValue: "granted")
    public static let denied = ConsentStatus(rawValue: "denied")
}

/// Stand-in for `FirebaseAnalytics.Analytics`.
public enum Analytics {
    public static func setConsent(_ consentSettings: [ConsentType: ConsentStatus]) {
        let order = [ConsentType.analyticsStorage, .adStorage, .adUserData, .adPersonalization]
        let shown = order.compactMap { t in consentSettings[t].map { "\(t.rawValue)=\($0.rawValue)" } }
        StandInLog.record("Analytics.setConsent(\(shown.joined(separator: ", ")))")
    }

    public static func setAnalyticsCollectionEnabled(_ enabled: Bool) {
        StandInLog.record("Analytics.setAnalyticsCollectionEnabled(\(enabled))")
    }

    public static func resetAnalyticsData() {
        StandInLog.record("Analytics.resetAnalyticsData()")
    }
}

// MARK: GoogleSignIn (GoogleSignIn-iOS: GIDSignIn.h)

/// Stand-in for UIKit's `UIViewController`, which the sign-in presents from.
public final class UIViewController: @unchecked Sendable {
    public init() {}
}

/// Stand-in for `GIDGoogleUser`.
public final class GIDGoogleUser: @unchecked Sendable {
    public let userID: String
    public init(userID: String) { self.userID = userID }
}

/// Stand-in for `GIDSignInResult`.
public final class GIDSignInResult: @unchecked Sendable {
    public let user: GIDGoogleUser
    public init(user: GIDGoogleUser) { self.user = user }
}

/// An error the stand-in sign-in reports (the real one reports `GIDSignInError` codes).
public struct GIDSignInStandInError: Error, Equatable, Sendable {
    public let code: Int
    public init(code: Int) { self.code = code }
}

/// Stand-in for `GIDSignIn`. The outcome of the next sign-in is set by the test
/// (`nextOutcome`); like the real one it answers asynchronously on the main queue.
public final class GIDSignIn: @unchecked Sendable {
    public static let sharedInstance = GIDSignIn()
    private let lock = NSLock()
    private var outcome: Result<String, GIDSignInStandInError> = .success("user-1")

    /// What the next `signIn` reports: a user id, or an error.
    public var nextOutcome: Result<String, GIDSignInStandInError> {
        get { lock.lock(); defer { lock.unlock() }; return outcome }
        set { lock.lock(); outcome = newValue; lock.unlock() }
    }

    public func signIn(withPresenting presentingViewController: UIViewController,
                       completion: ((GIDSignInResult?, (any Error)?) -> Void)?) {
        StandInLog.record("GIDSignIn.signIn(withPresenting:completion:)", mainThread: true)
        let outcome = nextOutcome
        nonisolated(unsafe) let completion = completion
        DispatchQueue.main.async {
            switch outcome {
            case let .success(id): completion?(GIDSignInResult(user: GIDGoogleUser(userID: id)), nil)
            case let .failure(error): completion?(nil, error)
            }
        }
    }

    public func signOut() {
        StandInLog.record("GIDSignIn.signOut()")
    }
}

// MARK: AMap (MAMapKit MAMapView.h, AMapLocationKit AMapLocationManager.h)

/// Stand-in for `AMapPrivacyShowStatus`.
public enum AMapPrivacyShowStatus: Sendable { case notShow, didShow }
/// Stand-in for `AMapPrivacyInfoStatus`.
public enum AMapPrivacyInfoStatus: Sendable { case notContain, didContain }
/// Stand-in for `AMapPrivacyAgreeStatus`.
public enum AMapPrivacyAgreeStatus: Sendable { case notAgree, didAgree }

/// Stand-in for `MAMapView`'s privacy class methods.
public enum MAMapView {
    public static func updatePrivacyShow(_ showStatus: AMapPrivacyShowStatus, privacyInfo containStatus: AMapPrivacyInfoStatus) {
        StandInLog.record("MAMapView.updatePrivacyShow(\(showStatus), privacyInfo: \(containStatus))")
    }

    public static func updatePrivacyAgree(_ agreeStatus: AMapPrivacyAgreeStatus) {
        StandInLog.record("MAMapView.updatePrivacyAgree(\(agreeStatus))")
    }
}

/// Stand-in for `AMapLocationManager`'s privacy class methods.
public enum AMapLocationManager {
    public static func updatePrivacyShow(_ showStatus: AMapPrivacyShowStatus, privacyInfo containStatus: AMapPrivacyInfoStatus) {
        StandInLog.record("AMapLocationManager.updatePrivacyShow(\(showStatus), privacyInfo: \(containStatus))")
    }

    public static func updatePrivacyAgree(_ agreeStatus: AMapPrivacyAgreeStatus) {
        StandInLog.record("AMapLocationManager.updatePrivacyAgree(\(agreeStatus))")
    }
}
