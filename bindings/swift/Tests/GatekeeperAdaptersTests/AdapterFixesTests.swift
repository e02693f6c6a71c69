// Issue 17 on iOS: Sensors' withdrawal deletes the unsent queue before `disableSDK()` flushes
// `$AppDataTrackingClose`, and Firebase receives the four Consent Mode v2 signals from the core
// on start, on change and after a withdrawal (with `resetAnalyticsData()`).

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class AdapterFixesTests: AdapterTestCase {
    func testSensorsWithdrawalDeletesTheUnsentQueueBeforeDisableSDKFlushesIt() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.sensorsStart)
        SensorsAnalyticsSDK.sharedInstance()?.track("ViewProduct")

        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")

        XCTAssertEqual(drain(), ["SensorsAnalyticsSDK.deleteAll()", "SensorsAnalyticsSDK.disableSDK()"], "deleteAll comes first")
        XCTAssertEqual(SensorsAnalyticsSDK.sent, ["$AppDataTrackingClose"], "no event queued before the withdrawal is sent")
        _ = driver
    }

    func testFirebaseGetsTheFourConsentModeSignalsOnStartOnChangeAndAfterAWithdrawal() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: ["firebase_analytics"], separate: true, byGuardian: false, source: "settings")
        XCTAssertEqual(gk.consentMode().analyticsStorage, GatekeeperCore.ConsentStatus.granted)
        XCTAssertEqual(drain(), ExpectedCalls.sensorsStart + [
            "Analytics.setConsent(analytics_storage=granted, ad_storage=denied, ad_user_data=denied, ad_personalization=denied)",
            "Analytics.setAnalyticsCollectionEnabled(true)",
        ])

        // personalised_ads declares the three ad signals; applyAll (or any notification) passes them on.
        _ = try gk.grant(purposes: ["personalised_ads"], sdks: [], separate: false, byGuardian: false, source: "settings")
        driver.applyAll()
        XCTAssertEqual(drain(), [
            "Analytics.setConsent(analytics_storage=granted, ad_storage=granted, ad_user_data=granted, ad_personalization=granted)",
        ])
        driver.applyAll()
        XCTAssertEqual(drain(), [], "unchanged signals are not sent again")

        // A change notification (push granted) carries the withdrawal of personalised_ads.
        _ = try gk.withdraw(purposes: ["personalised_ads"], sdks: [], source: "settings")
        _ = try gk.grant(purposes: ["push_notifications"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), [
            "Analytics.setConsent(analytics_storage=granted, ad_storage=denied, ad_user_data=denied, ad_personalization=denied)",
        ])

        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.sensorsOff + ExpectedCalls.firebaseOff)
        XCTAssertEqual(ExpectedCalls.firebaseOff.last, "Analytics.resetAnalyticsData()")
        XCTAssertEqual(gk.consentMode().analyticsStorage, GatekeeperCore.ConsentStatus.denied)
    }
}
