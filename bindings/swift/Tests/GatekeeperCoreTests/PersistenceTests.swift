// Acknowledged means durable: what was written is there after closing and reopening, and
// after the last reference to the object is dropped without closeStore.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class PersistenceTests: StoreTestCase {
    func testStateDecisionsLedgerAndDecisionLogSurviveCloseAndReopen() throws {
        let clock = ManualClock()
        var first: Gatekeeper? = try openExample(clock)
        _ = try first!.setProfile(country: "CN", age: 30)
        _ = try first!.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try first!.grant(purposes: ["analytics", "push_notifications"], sdks: ["facebook"], separate: true, byGuardian: false, source: "first_run_dialog")
        _ = try first!.deny(purposes: ["personalised_ads"], sdks: [], source: "first_run_dialog")
        _ = try first!.recordPermissionResult(permission: "camera", result: .denied)
        for _ in 0..<5 { _ = first!.decideSdk(id: "sensors_analytics") }
        let decisions = first!.decideMany(subjects: Example.everything)
        let state = try first!.state()
        let log = try first!.log()
        for _ in 0..<3 { _ = first!.decideSdk(id: "sensors_analytics") } // buffered: closeStore writes these
        first!.closeStore()
        first = nil

        clock.advance(by: 60)
        let again = try openExample(clock)
        let reopened = try again.state()
        XCTAssertEqual(reopened.events, 5, "profile, policy, one grant event for 3 items, deny, permission")
        XCTAssertEqual(reopened.purposes, state.purposes)
        XCTAssertEqual(reopened.sdks, state.sdks)
        XCTAssertEqual(reopened.permissions, state.permissions)
        XCTAssertEqual(reopened.acceptedAt, state.acceptedAt)
        XCTAssertEqual(reopened.country, "CN")
        XCTAssertEqual(reopened.age, 30)
        XCTAssertTrue(reopened.ledgerIntact)
        XCTAssertFalse(reopened.recoveredFromCorruption)
        XCTAssertTrue(try again.verify().ok)

        // The decision log, repeat counts included (buffered, flushed on close).
        let sensors = try XCTUnwrap(again.log().first { $0.subject == "sdk:sensors_analytics" })
        XCTAssertEqual(sensors.count, 9, "5 decideSdk + 1 decideMany + 3 decideSdk after log()")
        XCTAssertEqual(try again.log().map(\.subject), log.map(\.subject))

        XCTAssertEqual(again.decideMany(subjects: Example.everything).map(\.outcome), decisions.map(\.outcome))
        XCTAssertEqual(again.decidePermission(id: "camera").reason, .recentlyDenied)
        XCTAssertEqual(again.decideSdk(id: "huawei_push").verdict, .allow)
        XCTAssertEqual(again.decidePurpose(id: "personalised_ads").verdict, .deny)
    }

    func testDroppingTheLastReferenceWithoutCloseStoreKeepsEveryWrite() throws {
        do {
            let gk = try openExample(ManualClock())
            _ = try gk.setProfile(country: "DE", age: 20)
            _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
            _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        } // deinit frees the native object, which closes the store
        let gk = try openExample(ManualClock())
        XCTAssertEqual(try gk.state().events, 3)
        XCTAssertEqual(try gk.state().jurisdiction, "EEA")
        XCTAssertEqual(gk.decideSdk(id: "sensors_analytics").verdict, .allow)
        XCTAssertEqual(gk.decideSdk(id: "facebook").verdict, .allow, "GDPR ignores role and vendor country")
    }

    func testEraseLeavesANewUserBehindAlsoAfterReopen() throws {
        do {
            let gk = try openExample(ManualClock())
            _ = try gk.setProfile(country: "CN", age: 30)
            _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
            let changes = try gk.erase()
            XCTAssertTrue(changes.contains { $0.subject == "sdk:mmkv" && $0.new.reason == .policyNotAccepted })
        }
        let gk = try openExample(ManualClock())
        let s = try gk.state()
        XCTAssertFalse(s.policyAccepted)
        XCTAssertNil(s.country)
        XCTAssertEqual(s.events, 1, "one erased marker")
        XCTAssertNotNil(s.erasedAt)
        XCTAssertEqual(gk.decideSdk(id: "mmkv").reason, .policyNotAccepted)
    }
}
