// The first-run flow, the consent settings and the permission flow, one rule at a time.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import PhocolLogic
import XCTest

final class FirstRunFlowTests: DemoTestCase {
    func testAChildNeedsAGuardiansAcceptance() throws {
        let gk = try open()
        _ = try gk.setProfile(country: "CN", age: 12)
        let app = app(gk)
        XCTAssertEqual(app.firstRun.launchScreen(), .acceptPolicy)
        try app.firstRun.agree()
        XCTAssertEqual(app.firstRun.launchScreen(), .guardianAcceptance, "a child's own acceptance is not enough")
        XCTAssertEqual(drain(), [], "nothing starts on it")
        try app.firstRun.agree(byGuardian: true)
        XCTAssertEqual(app.firstRun.launchScreen(), .home)
        XCTAssertEqual(drain(), ["start:mmkv"])
    }

    func testAcceptancePersistsAcrossLaunchesAndAClosedStoreFailsClosedToTheDialog() throws {
        do {
            let gk = try openCNAdult()
            try app(gk).firstRun.agree()
            gk.changeCenter.finish()
            gk.closeStore()
        }
        let gk = try open()
        let app = app(gk)
        XCTAssertEqual(app.firstRun.launchScreen(), .home)
        XCTAssertEqual(app.firstRun.mode, .full)
        gk.closeStore() // the store becomes unreadable
        XCTAssertEqual(app.firstRun.launchScreen(), .acceptPolicy, "an unreadable store fails closed to the policy dialog")
        XCTAssertThrowsError(try app.firstRun.agree())
    }
}

final class ConsentSettingsTests: DemoTestCase {
    func testSwitchingOffAnUndecidedPurposeRecordsARefusalAndAnOffOneRecordsNothing() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        try app.firstRun.agree()
        let changes = try app.consent.setPurpose("personalised_ads", on: false)
        XCTAssertEqual(try gk.state().purposes.first { $0.id == "personalised_ads" }?.status, .denied)
        XCTAssertEqual(changes, [], "no SDK or permission serves it on its own")
        let events = try gk.state().events
        XCTAssertEqual(try app.consent.setPurpose("personalised_ads", on: false), [])
        XCTAssertEqual(try gk.state().events, events, "already off: nothing recorded")
        XCTAssertEqual(try app.consent.toggles(purposes: ["personalised_ads"], sdks: []).first?.status, .denied)
    }

    func testWithdrawAllWithdrawsOnlyWhatWasGrantedInOneCall() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        try app.firstRun.agree()
        try app.consent.setPurpose("analytics", on: true)
        try app.consent.setSDK("facebook", on: true)
        try app.consent.setPurpose("personalised_ads", on: false)
        // Ledger events apart from the start log's (the SDKs the withdrawal stops are recorded too).
        let choices = { try Set(gk.export().receipts.filter { $0.event != .sdkState }.map(\.eventId)).count }
        let before = try choices()
        try app.consent.withdrawAll(purposes: ["analytics", "personalised_ads", "push_notifications"], sdks: ["facebook", "firebase_analytics"])
        let state = try gk.state()
        XCTAssertEqual(try choices(), before + 1, "one withdrawal event")
        XCTAssertEqual(state.purposes.first { $0.id == "analytics" }?.status, .withdrawn)
        XCTAssertEqual(state.sdks.first { $0.id == "facebook" }?.status, .withdrawn)
        XCTAssertEqual(state.purposes.first { $0.id == "personalised_ads" }?.status, .denied, "a refusal stays a refusal")
        XCTAssertEqual(state.sdks.first { $0.id == "firebase_analytics" }?.status, .undecided)
        XCTAssertEqual(try app.consent.withdrawAll(purposes: ["analytics"], sdks: []), [], "nothing granted: no call")
    }

    func testUnknownIdsAreTypedErrorsAndRecordNothing() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        XCTAssertThrowsError(try app.consent.setSDK("tiktok_sdk", on: true)) { error in
            guard case GatekeeperError.UnknownId = error else { return XCTFail("expected UnknownId, got \(error)") }
            XCTAssertTrue(error.localizedDescription.contains("tiktok_sdk"), error.localizedDescription)
        }
        XCTAssertEqual(try gk.state().events, 1, "only the profile")
    }

    func testUnderGDPRNoSDKNeedsItsOwnSwitch() throws {
        let gk = try open()
        _ = try gk.setProfile(country: "DE", age: 30)
        XCTAssertEqual(try app(gk).consent.screen().filter(\.isSDK), [])
    }
}

final class PermissionFlowTests: DemoTestCase {
    func testLocationNeedsASeparateJustInTimeConsentForItsSensitivePurpose() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        try app.firstRun.agree()
        let step = app.permissions.request("location")
        guard case let .askConsent(_, _, purposes, sdks, byGuardian) = step else { return XCTFail("expected askConsent, got \(step)") }
        XCTAssertEqual(purposes, ["location_services"])
        XCTAssertEqual(sdks, [])
        XCTAssertFalse(byGuardian)
        guard case .showSystemPrompt = try app.permissions.grantAndRetry(step) else { return XCTFail("granted just in time") }
        let grant = try XCTUnwrap(gk.export().receipts.last { $0.event == .granted }) // the start log's receipt for AMap follows it
        XCTAssertEqual(grant.source, "just_in_time")
        XCTAssertTrue(grant.separate, "a just-in-time prompt is dedicated to its purpose")
        XCTAssertEqual(drain(), ["start:mmkv"] + ExpectedCalls.amapOn, "AMap started in the grant's call")
    }

    func testRefusingTheJustInTimeConsentBlocksThePrompt() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        try app.firstRun.agree()
        let step = app.permissions.request("location")
        try app.permissions.refuse(step)
        let after = app.permissions.request("location")
        guard case .blocked = after else { return XCTFail("expected blocked, got \(after)") }
        XCTAssertEqual(after.decision.reason, .consentDenied)
        XCTAssertEqual(PermissionFlow.message(after), "Not available right now (consent_denied).")
    }

    func testAChildsJustInTimeConsentMustComeFromAGuardian() throws {
        let gk = try open()
        _ = try gk.setProfile(country: "CN", age: 12)
        _ = try gk.acceptPolicy(byGuardian: true, source: "guardian_dialog")
        let app = app(gk)
        let step = app.permissions.request("location")
        guard case let .askConsent(_, _, _, _, byGuardian) = step else { return XCTFail("expected askConsent, got \(step)") }
        XCTAssertTrue(byGuardian)
        guard case .showSystemPrompt = try app.permissions.grantAndRetry(step) else { return XCTFail("the guardian's grant counts") }
        XCTAssertTrue(try XCTUnwrap(gk.export().receipts.last { $0.event == .granted }).byGuardian)
    }

    func testUnknownPermissionsAreBlockedAndCannotBeRecorded() throws {
        let app = app(try openCNAdult())
        guard case .blocked = app.permissions.request("xray_vision") else { return XCTFail("unknown: blocked") }
        XCTAssertThrowsError(try app.permissions.record("xray_vision", .granted))
    }

    func testIOSAnswersMapToTheLedgersThreeValues() {
        XCTAssertEqual(PermissionFlow.iosResult(.authorized, promptShownNow: true), .granted)
        XCTAssertEqual(PermissionFlow.iosResult(.limited, promptShownNow: false), .granted)
        XCTAssertEqual(PermissionFlow.iosResult(.denied, promptShownNow: true), .denied)
        XCTAssertEqual(PermissionFlow.iosResult(.denied, promptShownNow: false), .deniedPermanently)
        XCTAssertEqual(PermissionFlow.iosResult(.restricted, promptShownNow: false), .deniedPermanently)
        XCTAssertNil(PermissionFlow.iosResult(.notDetermined, promptShownNow: false))
    }
}
