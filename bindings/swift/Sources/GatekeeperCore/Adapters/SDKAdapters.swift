// The iOS adapters of the SDKs that have an iOS API. HUAWEI Push Kit is Android only: it has
// no Swift adapter.

import Foundation

#if canImport(FBSDKCoreKit)
import FBSDKCoreKit
#endif
#if canImport(SensorsAnalyticsSDK)
import SensorsAnalyticsSDK
#endif
#if canImport(FirebaseAnalytics)
import FirebaseAnalytics
#endif
#if canImport(GoogleSignIn)
import GoogleSignIn
#endif
#if canImport(MAMapKit)
import MAMapKit
#endif
#if canImport(AMapLocationKit)
import AMapLocationKit
#endif
#if canImport(UIKit)
import UIKit
#endif

/// Facebook SDK core and app events (FBSDKCoreKit), manifest id `facebook`.
///
/// - On: `Settings.shared.isAutoLogAppEventsEnabled = true`,
///   `isAdvertiserIDCollectionEnabled = collectAdvertiserId`, then (once per process)
///   `ApplicationDelegate.shared.initializeSDK()`.
/// - Off: both flags `false` (the SDK persists them).
///
/// Info.plist, so it does not start itself: `FacebookAutoLogAppEventsEnabled` = NO,
/// `FacebookAdvertiserIDCollectionEnabled` = NO; and do not call
/// `ApplicationDelegate.shared.application(_:didFinishLaunchingWithOptions:)` at launch.
public final class FacebookAdapter: SDKAdapter, @unchecked Sendable {
    private let collectAdvertiserId: Bool
    public init(collectAdvertiserId: Bool = true, sdkId: String = "facebook",
                memory: SwitchMemory, log: @escaping @Sendable (String) -> Void) {
        self.collectAdvertiserId = collectAdvertiserId
        super.init(sdkId: sdkId, module: "FBSDKCoreKit", memory: memory, log: log)
    }
    #if canImport(FBSDKCoreKit)
    override public var isPresent: Bool { true }
    override public func turnOn(restart: Bool, calls: inout [String]) throws {
        Settings.shared.isAutoLogAppEventsEnabled = true
        calls.append("Settings.isAutoLogAppEventsEnabled = true")
        Settings.shared.isAdvertiserIDCollectionEnabled = collectAdvertiserId
        calls.append("Settings.isAdvertiserIDCollectionEnabled = \(collectAdvertiserId)")
        if !restart {
            ApplicationDelegate.shared.initializeSDK()
            calls.append("ApplicationDelegate.initializeSDK()")
        }
    }
    override public func turnOff(calls: inout [String]) throws {
        Settings.shared.isAutoLogAppEventsEnabled = false
        Settings.shared.isAdvertiserIDCollectionEnabled = false
        calls += ["Settings.isAutoLogAppEventsEnabled = false", "Settings.isAdvertiserIDCollectionEnabled = false"]
    }
    #endif
}

/// Sensors Analytics (SensorsAnalyticsSDK), manifest id `sensors_analytics`.
///
/// - On, first time in a process: `SensorsAnalyticsSDK.start(configOptions:)`, only after allow.
/// - Off: `SensorsAnalyticsSDK.disableSDK()`. On again: `SensorsAnalyticsSDK.enableSDK()`.
///
/// No Info.plist switch: it collects nothing until started; never start it at launch.
public final class SensorsAnalyticsAdapter: SDKAdapter, @unchecked Sendable {
    private let serverURL: String
    public init(serverURL: String, sdkId: String = "sensors_analytics",
                memory: SwitchMemory, log: @escaping @Sendable (String) -> Void) {
        self.serverURL = serverURL
        super.init(sdkId: sdkId, module: "SensorsAnalyticsSDK", memory: memory, log: log)
    }
    #if canImport(SensorsAnalyticsSDK)
    override public var isPresent: Bool { true }
    override public func turnOn(restart: Bool, calls: inout [String]) throws {
        if restart {
            SensorsAnalyticsSDK.enableSDK()
            calls.append("SensorsAnalyticsSDK.enableSDK()")
            return
        }
        let options = SAConfigOptions(serverURL: serverURL, launchOptions: nil)
        SensorsAnalyticsSDK.start(configOptions: options)
        calls.append("SensorsAnalyticsSDK.start(configOptions:)")
    }
    override public func turnOff(calls: inout [String]) throws {
        SensorsAnalyticsSDK.disableSDK()
        calls.append("SensorsAnalyticsSDK.disableSDK()")
    }
    #endif
}

/// Google Analytics for Firebase (FirebaseAnalytics), manifest id `firebase_analytics`.
/// `FirebaseApp.configure()` is the app's, at launch; with the Info.plist keys below it
/// collects nothing until this adapter allows it.
///
/// - On: `Analytics.setConsent` (analytics storage granted, the ad types denied), then
///   `Analytics.setAnalyticsCollectionEnabled(true)`.
/// - Off: `setAnalyticsCollectionEnabled(false)` and every consent type denied.
///
/// Info.plist: `FIREBASE_ANALYTICS_COLLECTION_ENABLED` = NO,
/// `GOOGLE_ANALYTICS_DEFAULT_ALLOW_ANALYTICS_STORAGE` = NO, `..._AD_STORAGE` = NO,
/// `..._AD_USER_DATA` = NO, `..._AD_PERSONALIZATION_SIGNALS` = NO.
public final class FirebaseAnalyticsAdapter: SDKAdapter, @unchecked Sendable {
    public init(sdkId: String = "firebase_analytics", memory: SwitchMemory,
                log: @escaping @Sendable (String) -> Void) {
        super.init(sdkId: sdkId, module: "FirebaseAnalytics", memory: memory, log: log)
    }
    #if canImport(FirebaseAnalytics)
    override public var isPresent: Bool { true }
    override public func turnOn(restart: Bool, calls: inout [String]) throws {
        Analytics.setConsent([.analyticsStorage: .granted, .adStorage: .denied,
                              .adUserData: .denied, .adPersonalization: .denied])
        Analytics.setAnalyticsCollectionEnabled(true)
        calls += ["Analytics.setConsent(analyticsStorage: granted, ads: denied)", "Analytics.setAnalyticsCollectionEnabled(true)"]
    }
    override public func turnOff(calls: inout [String]) throws {
        Analytics.setAnalyticsCollectionEnabled(false)
        Analytics.setConsent([.analyticsStorage: .denied, .adStorage: .denied,
                              .adUserData: .denied, .adPersonalization: .denied])
        calls += ["Analytics.setAnalyticsCollectionEnabled(false)", "Analytics.setConsent(all denied)"]
    }
    #endif
}

/// Google Sign-In (GoogleSignIn), manifest id `google_sign_in`. Starts only on a user action:
/// allowing it calls nothing; `signIn(presenting:)` runs when the user taps, and only while on;
/// switching off calls `GIDSignIn.sharedInstance.signOut()`.
/// No Info.plist switch; do not call `restorePreviousSignIn` before allow.
public final class GoogleSignInAdapter: SDKAdapter, @unchecked Sendable {
    public init(sdkId: String = "google_sign_in", memory: SwitchMemory,
                log: @escaping @Sendable (String) -> Void) {
        super.init(sdkId: sdkId, module: "GoogleSignIn", memory: memory, log: log)
    }
    #if canImport(GoogleSignIn)
    override public var isPresent: Bool { true }
    override public func turnOff(calls: inout [String]) throws {
        GIDSignIn.sharedInstance.signOut()
        calls.append("GIDSignIn.signOut()")
    }
    #endif

    #if canImport(UIKit)
    /// The user tapped "Sign in with Google": starts Google's flow only when allowed now.
    /// Returns false (and calls nothing) otherwise.
    @MainActor
    public func signIn(presenting viewController: UIViewController) -> Bool {
        guard isOn else { return false }
        #if canImport(GoogleSignIn)
        GIDSignIn.sharedInstance.signIn(withPresenting: viewController) { _, _ in }
        return true
        #else
        return false
        #endif
    }
    #endif
}

/// AMap (MAMapKit, and AMapLocationKit when linked), manifest id `amap`.
///
/// - On: `updatePrivacyShow(.didShow, privacyInfo: .didContain)` then
///   `updatePrivacyAgree(.didAgree)` on `MAMapView` (and `AMapLocationManager`).
/// - Off: `updatePrivacyAgree(.notAgree)`.
///
/// No Info.plist switch: AMap refuses to work before `updatePrivacyAgree(.didAgree)`; create no
/// map view or location manager before allow.
public final class AMapAdapter: SDKAdapter, @unchecked Sendable {
    public init(sdkId: String = "amap", memory: SwitchMemory, log: @escaping @Sendable (String) -> Void) {
        super.init(sdkId: sdkId, module: "MAMapKit", memory: memory, log: log)
    }
    #if canImport(MAMapKit)
    override public var isPresent: Bool { true }
    override public func turnOn(restart: Bool, calls: inout [String]) throws {
        MAMapView.updatePrivacyShow(.didShow, privacyInfo: .didContain)
        MAMapView.updatePrivacyAgree(.didAgree)
        calls += ["MAMapView.updatePrivacyShow(didShow, didContain)", "MAMapView.updatePrivacyAgree(didAgree)"]
        #if canImport(AMapLocationKit)
        AMapLocationManager.updatePrivacyShow(.didShow, privacyInfo: .didContain)
        AMapLocationManager.updatePrivacyAgree(.didAgree)
        calls += ["AMapLocationManager.updatePrivacyShow(didShow, didContain)", "AMapLocationManager.updatePrivacyAgree(didAgree)"]
        #endif
    }
    override public func turnOff(calls: inout [String]) throws {
        MAMapView.updatePrivacyAgree(.notAgree)
        calls.append("MAMapView.updatePrivacyAgree(notAgree)")
        #if canImport(AMapLocationKit)
        AMapLocationManager.updatePrivacyAgree(.notAgree)
        calls.append("AMapLocationManager.updatePrivacyAgree(notAgree)")
        #endif
    }
    #endif
}

public extension SDKAdapter {
    /// The iOS adapters under the example manifest's ids, sharing one memory and log.
    static func defaults(sensorsServerURL: String, memory: SwitchMemory = UserDefaultsSwitchMemory(),
                         log: @escaping @Sendable (String) -> Void) -> [SDKAdapter] {
        [
            FacebookAdapter(memory: memory, log: log),
            SensorsAnalyticsAdapter(serverURL: sensorsServerURL, memory: memory, log: log),
            GoogleSignInAdapter(memory: memory, log: log),
            FirebaseAnalyticsAdapter(memory: memory, log: log),
            AMapAdapter(memory: memory, log: log),
        ]
    }
}
