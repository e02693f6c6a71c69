// The app's whole journey through the Swift API, as `gatekeeper demo` tells it: first run,
// policy acceptance, consent, SDK start, a permission prompt the OS denies, the 48-hour
// re-prompt window on both sides of its end, and withdrawal, on a fixed clock.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class FlowTests: StoreTestCase {
    func testFirstRunConsentSDKStartPermissionPromptAndWithdrawal() throws {
        let clock = ManualClock()
        let gk = try openExample(clock)

        // First run: a user in China aged 30. Nothing may start before the policy is accepted.
        XCTAssertEqual(try gk.setProfile(country: "CN", age: 30), [], "a profile alone changes no verdict")
        let first = gk.decideMany(subjects: Example.everything)
        XCTAssertEqual(first.count, Example.everything.count)
        for d in first {
            XCTAssertEqual(d.verdict, .ask, d.subject)
            XCTAssertEqual(d.reason, .policyNotAccepted, d.subject)
            XCTAssertEqual(d.jurisdiction, "CN")
            XCTAssertEqual(d.policyVersion, "3.1")
            XCTAssertEqual(d.decidedAt, testEpoch, "the Swift TimeSource is the core's clock")
        }
        XCTAssertEqual(first.map(\.subject),
                       Example.sdks.map { "sdk:\($0)" } + Example.permissions.map { "permission:\($0)" }
                           + Example.purposes.map { "purpose:\($0)" },
                       "decideMany answers in the order asked")

        // The first-run dialog: accept the policy, grant analytics.
        let accepted = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertTrue(accepted.contains { $0.subject == "sdk:mmkv" && $0.new.verdict == .allow })
        let granted = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(Set(granted.map(\.subject)), ["sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"])

        // Sensors Analytics (entrusted, CN vendor) may start; Facebook (independent, US) needs
        // its own separate grant under PIPL.
        let sensors = gk.decideSdk(id: "sensors_analytics")
        XCTAssertEqual(sensors.verdict, .allow)
        XCTAssertEqual(sensors.reason, .consented)
        XCTAssertEqual(sensors.validUntil, testEpoch.addingTimeInterval(395 * day), "consent_ttl_days")
        let facebook = gk.decideSdk(id: "facebook")
        XCTAssertEqual(facebook.verdict, .ask)
        XCTAssertEqual(facebook.reason, .separateConsentRequired)
        XCTAssertEqual(facebook.sdks, ["facebook"])

        _ = try gk.grant(purposes: [], sdks: ["facebook", "firebase_analytics"], separate: true, byGuardian: false, source: "just_in_time")
        XCTAssertTrue(gk.decideSdk(id: "facebook").isAllowed)

        // SDK start: every SDK in one call, in the order asked.
        let start = gk.decideSdks(Example.sdks)
        XCTAssertEqual(Example.sdks.filter { start[$0]?.isAllowed == true },
                       ["mmkv", "matisse", "facebook", "sensors_analytics", "firebase_analytics"])
        XCTAssertEqual(start["firebase_crashlytics"]?.reason, .consentMissing, "PIPL treats legitimate interest as consent")
        XCTAssertEqual(start["firebase_crashlytics"]?.purposes, ["crash_reporting"])
        XCTAssertEqual(start["amap"]?.purposes, ["location_services"], "sensitive: waits for a separate grant")

        // Permission prompt: never at launch, never in the background, fine on a tap.
        XCTAssertEqual(gk.decidePermission(id: "camera", trigger: .appLaunch).reason, .launchTimeRequest)
        XCTAssertEqual(gk.decidePermission(id: "camera", trigger: .background).reason, .notUserInitiated)
        let camera = gk.decidePermission(id: "camera")
        XCTAssertEqual(camera.verdict, .allow)
        XCTAssertEqual(camera.reason, .notConsentBased)

        // The OS prompt is shown an hour later and the user refuses it.
        let deniedAt = clock.advance(by: hour)
        let osDenied = try gk.recordPermissionResult(permission: "camera", result: .denied)
        XCTAssertEqual(osDenied.map(\.subject), ["permission:camera"])
        XCTAssertEqual(osDenied.first?.new.reason, .recentlyDenied)

        // No re-prompt for 48 h (reprompt_after_denial_hours), to the millisecond.
        clock.set(deniedAt.addingTimeInterval(48 * hour - 0.001))
        let tooSoon = gk.decidePermission(id: "camera")
        XCTAssertEqual(tooSoon.verdict, .deny)
        XCTAssertEqual(tooSoon.reason, .recentlyDenied)
        XCTAssertEqual(tooSoon.retryAfter, deniedAt.addingTimeInterval(48 * hour))
        XCTAssertEqual(tooSoon.validUntil, deniedAt.addingTimeInterval(48 * hour))
        clock.set(deniedAt.addingTimeInterval(48 * hour))
        let again = gk.decidePermission(id: "camera")
        XCTAssertEqual(again.verdict, .allow, "the window is over at retryAfter")
        XCTAssertNil(again.retryAfter)

        // Withdrawal in the settings screen: the listener is told, in the same call, of
        // exactly the SDKs that serve analytics, going from allow to deny.
        let listener = RecordingListener()
        gk.setListener(listener: listener)
        let withdrawnAt = clock.advance(by: 3 * day)
        let returned = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(listener.calls.count, 1, "one listener call per write, before the write returns")
        let changes = try XCTUnwrap(listener.calls.first)
        XCTAssertEqual(returned, changes, "the write returns what the listener heard")
        XCTAssertEqual(changes.map(\.subject), ["sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"])
        for c in changes {
            XCTAssertEqual(c.old.verdict, .allow, c.subject)
            XCTAssertEqual(c.old.reason, .consented, c.subject)
            XCTAssertEqual(c.new.verdict, .deny, c.subject)
            XCTAssertEqual(c.new.reason, .consentWithdrawn, c.subject)
            XCTAssertEqual(c.new.purposes, ["analytics"], c.subject)
            XCTAssertEqual(c.new.retryAfter, withdrawnAt.addingTimeInterval(180 * day), "reask_after_denial_days")
        }
        XCTAssertEqual(gk.decideSdk(id: "sensors_analytics").verdict, .deny)
        XCTAssertEqual(gk.decideSdk(id: "mmkv").verdict, .allow, "contract-based SDKs keep running")

        // The record of it all, typed.
        let state = try gk.state()
        XCTAssertTrue(state.policyAccepted)
        XCTAssertEqual(state.jurisdiction, "CN")
        XCTAssertEqual(state.law, .pipl)
        XCTAssertEqual(state.ageOfConsent, 14)
        XCTAssertFalse(state.child)
        XCTAssertEqual(state.purposes.first { $0.id == "analytics" }?.status, .withdrawn)
        XCTAssertEqual(state.sdks.first { $0.id == "facebook" }?.status, .granted)
        XCTAssertEqual(state.permissions.first { $0.id == "camera" }?.status, .denied)
        XCTAssertEqual(state.events, 6, "profile, policy, 2 grants, permission result, withdrawal")
        let verify = try gk.verify()
        XCTAssertTrue(verify.ok)
        XCTAssertEqual(verify.events, 6)

        let export = try gk.export()
        XCTAssertEqual(export.receipts.map { $0.subject ?? "" }, [
            "profile", "policy:phocol", "purpose:analytics", "sdk:facebook", "sdk:firebase_analytics",
            "permission:camera", "purpose:analytics",
        ], "one receipt per event and subject")
        let withdrawal = try XCTUnwrap(export.receipts.last)
        XCTAssertEqual(withdrawal.event, .withdrawn)
        XCTAssertEqual(withdrawal.basis, "consent")
        XCTAssertEqual(withdrawal.law, .pipl)
        XCTAssertEqual(withdrawal.source, "settings")
        XCTAssertEqual(withdrawal.policyId, "phocol")
        XCTAssertEqual(withdrawal.timestamp, withdrawnAt)
        XCTAssertTrue(export.json.contains("\"receipts\""))
        XCTAssertTrue(export.decisionLog.contains {
            $0.subject == "permission:camera" && $0.verdict == .deny && $0.reason == .recentlyDenied
        })
    }

    func testAChildNeedsTheGuardiansAcceptanceAndGrants() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 12)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(gk.decideSdk(id: "mmkv").reason, .guardianConsentRequired)
        _ = try gk.acceptPolicy(byGuardian: true, source: "guardian_dialog")
        XCTAssertEqual(gk.decideSdk(id: "mmkv").verdict, .allow)
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(gk.decideSdk(id: "sensors_analytics").reason, .guardianConsentRequired)
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: true, source: "guardian_dialog")
        XCTAssertEqual(gk.decideSdk(id: "sensors_analytics").verdict, .allow)
        XCTAssertTrue(try gk.state().child)
    }

    func testAThrowingTimeSourceFallsBackToTheSystemClock() throws {
        struct ClockBroken: Error {}
        let gk = try Gatekeeper.open(dbPath: path(), manifestJson: Example.manifest,
                                     timeSource: ClosureTimeSource { throw ClockBroken() })
        let before = Date().addingTimeInterval(-5)
        let d = gk.decideSdk(id: "mmkv")
        XCTAssertEqual(d.reason, .policyNotAccepted)
        XCTAssertTrue(d.decidedAt > before && d.decidedAt < Date().addingTimeInterval(5), "\(d.decidedAt)")
    }
}
