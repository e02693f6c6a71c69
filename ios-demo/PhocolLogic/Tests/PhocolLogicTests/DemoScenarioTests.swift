// The acceptance scenario of the iOS demo's logic, on Linux: the same classes the iOS app
// uses (PhocolGate and its flows), the real core on a fixed clock, and the five SDK adapters
// driving stand-ins that carry the real SDKs' names and record every call. The SDKs without
// an adapter (MMKV, Zoho SalesIQ, …) are stubs that record `start:<id>` in the same log, so
// the log shows the order of everything. The same scenario as the Android demo's
// DemoScenarioTest:
//
// 1. first run; 2. disagree, and nothing starts; 3. agree; 4. consent; 5. SDKs start in the
// right order; 6. the camera with an OS refusal and the 48-hour pacing after it;
// 7. withdrawal, which stops the analytics SDKs through their adapters in that call.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import PhocolLogic
import XCTest

final class DemoScenarioTests: DemoTestCase {
    func testFirstRunDisagreeAgreeConsentSDKStartOrderCameraPacingWithdrawal() throws {
        // ---- 1. First run: a fresh install in China. The policy dialog is due; nothing starts.
        let gk = try open()
        let app = app(gk)
        let atLaunch = app.onAppStart(deviceRegion: "CN")
        XCTAssertEqual(app.firstRun.launchScreen(), .acceptPolicy)
        XCTAssertEqual(atLaunch.started, [])
        XCTAssertEqual(atLaunch.decisions.count, 9, "every SDK the policy declares for iOS")
        XCTAssertTrue(atLaunch.decisions.values.allSatisfy { $0.verdict == .ask && $0.reason == .policyNotAccepted })
        XCTAssertEqual(drain(), [], "no SDK is touched before the user decides")

        // ---- 2. Disagree: browse-only mode. Nothing recorded, nothing started, no SDK called.
        let eventsBefore = try gk.state().events
        app.firstRun.disagree()
        XCTAssertEqual(app.firstRun.mode, .browseOnly)
        XCTAssertEqual(try gk.state().events, eventsBefore, "disagreeing writes nothing")
        app.onAppStart(deviceRegion: "CN") // back to the foreground
        guard case .showPolicy = app.permissions.request("camera") else { return XCTFail("the camera shows the policy first") }
        XCTAssertNil(tapGoogleSignIn(app), "no sign-in in browse-only mode")
        XCTAssertEqual(app.sdks.running, [])
        XCTAssertEqual(drain(), [], "browse only: no SDK started, no identifier read")

        // ---- 3. Agree: acceptance alone starts only the essential SDK of a Chinese vendor.
        try app.firstRun.agree()
        XCTAssertEqual(app.firstRun.mode, .full)
        XCTAssertEqual(app.firstRun.launchScreen(), .home)
        XCTAssertEqual(try gk.export().receipts.last { $0.event == .policyAccepted }?.source, "first_run_dialog") // the start log's receipts follow it
        XCTAssertEqual(drain(), ["start:mmkv"], "Zoho SalesIQ (Indian vendor) waits for its own consent")

        // ---- 4. Consent: a switch per purpose the user may refuse and per iOS SDK that needs
        // its own consent in China; all off.
        let screen = try app.consent.screen()
        XCTAssertEqual(screen.filter { !$0.isSDK }.map(\.id), [
            "crash_reporting", "account_login", "analytics", "push_notifications", "personalised_ads",
            "location_services", "face_recognition",
        ])
        XCTAssertEqual(screen.filter(\.isSDK).map(\.id), [
            "zoho_mobilisten", "firebase_crashlytics", "google_sign_in", "facebook_login", "facebook", "firebase_analytics",
        ], "independent, or vendor outside China, on iOS")
        XCTAssertFalse(screen.contains(where: \.on))

        try user("analytics on") { try app.consent.setPurpose("analytics", on: true) }
        try user("facebook on") { try app.consent.setSDK("facebook", on: true) }
        try user("firebase analytics on") { try app.consent.setSDK("firebase_analytics", on: true) }
        try user("location on") { try app.consent.setPurpose("location_services", on: true) }
        try user("account login and google sign-in on") {
            try app.consent.setPurpose("account_login", on: true)
            try app.consent.setSDK("google_sign_in", on: true)
        }
        var signIn: Result<GIDSignInResult, any Error>?
        user("taps sign in with google") { signIn = tapGoogleSignIn(app) }
        XCTAssertEqual(try signIn?.get().user.userID, "user-1", "Google's result reaches the app")

        // ---- 5. Each SDK started in the call that allowed it, after that consent and never
        // before, with its privacy calls ahead of its start call.
        XCTAssertEqual(drain(),
                       ["user: analytics on"] + ExpectedCalls.sensorsStart
                           + ["user: facebook on"] + ExpectedCalls.facebookStart
                           + ["user: firebase analytics on"] + ExpectedCalls.firebaseOn
                           + ["user: location on"] + ExpectedCalls.amapOn
                           + ["user: account login and google sign-in on"] // nothing yet: no tap
                           + ["user: taps sign in with google"] + ExpectedCalls.googleSignInTap)
        XCTAssertEqual(app.sdks.running, ["mmkv", "sensors_analytics", "facebook", "firebase_analytics", "amap", "google_sign_in"])
        // Back to the foreground: everything runs already, nothing is called.
        app.onAppStart(deviceRegion: "CN")
        XCTAssertEqual(drain(), [])

        // ---- 6. Camera: asked on a tap; iOS's prompt is refused; no nagging for 48 hours.
        XCTAssertEqual(app.permissions.request("camera", trigger: .appLaunch).decision.reason, .launchTimeRequest)
        guard case .showSystemPrompt = app.permissions.request("camera") else { return XCTFail("a tap may show the prompt") }
        XCTAssertEqual(app.iosUsageKeys["camera"], ["NSCameraUsageDescription"])
        try app.permissions.record("camera", try XCTUnwrap(PermissionFlow.iosResult(.denied, promptShownNow: true)))
        let deniedAt = clock.date
        let again = app.permissions.request("camera")
        XCTAssertEqual(again, .tryAgainLater(permission: "camera", decision: again.decision, retryAfter: deniedAt.addingTimeInterval(48 * hour)))
        XCTAssertEqual(PermissionFlow.message(again, timeZone: utc), "You declined this recently. You can try again after 2026-01-03 00:00.")
        clock.advance(by: 48 * hour - 0.001)
        guard case .tryAgainLater = app.permissions.request("camera") else { return XCTFail("1 ms before the window ends") }
        clock.advance(by: 0.001)
        guard case .showSystemPrompt = app.permissions.request("camera") else { return XCTFail("exactly 48 h later") }
        // iOS shows its prompt once: the tap finds the permission refused, so only Settings can help.
        try app.permissions.record("camera", try XCTUnwrap(PermissionFlow.iosResult(.denied, promptShownNow: false)))
        guard case .openSystemSettings = app.permissions.request("camera") else { return XCTFail("refused for good: Settings") }
        // The user allows it in Settings; the next tap finds it authorized.
        try app.permissions.record("camera", try XCTUnwrap(PermissionFlow.iosResult(.authorized, promptShownNow: false)))
        guard case .showSystemPrompt = app.permissions.request("camera") else { return XCTFail("granted") }
        XCTAssertEqual(drain(), [], "the camera flow touches no SDK")

        // ---- 7. Withdrawal of analytics: its SDKs stop through their adapters, in that call.
        let changes = try app.consent.setPurpose("analytics", on: false)
        XCTAssertEqual(Set(changes.filter { $0.old.verdict == .allow && $0.new.verdict == .deny }.map(\.subject)),
                       ["sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"])
        XCTAssertEqual(drain(), ExpectedCalls.facebookOff + ExpectedCalls.sensorsOff + ExpectedCalls.firebaseOff)
        XCTAssertEqual(app.sdks.running, ["mmkv", "amap", "google_sign_in"])

        // The decision-log screen shows what happened, newest first.
        let log = app.decisionLog.lines(timeZone: utc)
        XCTAssertTrue(log.contains { $0.hasSuffix("sdk:sensors_analytics  deny consent_withdrawn") }, log.joined(separator: "\n"))
        XCTAssertTrue(log.contains { $0.contains("permission:camera  deny recently_denied") }, log.joined(separator: "\n"))
        XCTAssertTrue(log.contains { $0.contains("sdk:facebook  ask policy_not_accepted") }, log.joined(separator: "\n"))
        XCTAssertEqual(log.first, "2026-01-03 00:00  sdk:firebase_analytics  deny consent_withdrawn", "newest first, on the test clock")

        // "Withdraw all" stops the rest of what needed consent, Google Sign-In included.
        let all = try app.consent.screen()
        try app.consent.withdrawAll(purposes: all.filter { !$0.isSDK }.map(\.id), sdks: all.filter(\.isSDK).map(\.id))
        XCTAssertEqual(drain(), ExpectedCalls.googleSignOut + ExpectedCalls.amapOff)
        XCTAssertEqual(app.sdks.running, ["mmkv"])
        gk.closeStore()
    }

    func testTheNextLaunchAfterAnEraseStartsNothingAndSwitchesOffWhatAnEarlierRunLeftOn() throws {
        let memory = InMemorySwitchMemory() // stands in for UserDefaults across the two launches
        do {
            let gk = try open()
            let app = app(gk, memory: memory)
            app.onAppStart(deviceRegion: "CN")
            try app.firstRun.agree()
            try app.consent.setPurpose("analytics", on: true)
            try app.consent.setSDK("facebook", on: true)
            gk.changeCenter.finish()
            gk.closeStore()
        }
        XCTAssertEqual(Array(drain().prefix(3)), ["start:mmkv", "SAConfigOptions(serverURL:launchOptions:)", "SensorsAnalyticsSDK.start(configOptions:)"])

        // Between the launches the account was erased (say, from the web): the store is
        // erased while the app is not listening. A new process starts.
        do {
            let gk = try open()
            _ = try gk.erase()
            gk.closeStore()
        }
        StandInLog.reset()

        let gk = try open()
        let app = app(gk, memory: memory)
        let r = app.onAppStart(deviceRegion: "CN")
        XCTAssertEqual(r.started, [])
        // Facebook persists its own flags, so it would still be on: the adapters remember what
        // they switched on and switch exactly that off; nothing else is called.
        XCTAssertEqual(drain(), ExpectedCalls.facebookOff + ExpectedCalls.sensorsOff)
        app.onAppStart(deviceRegion: "CN")
        XCTAssertEqual(drain(), [])
        gk.closeStore()
    }
}
