// Issue 13's defects that the bindings reach (1-5), through the Swift API: an older MAJOR
// never revives void consent, a contract purpose cannot be withdrawn, a plain grant never
// replaces a separate one, a clock set back never reorders the ledger, and a guardian can
// deny and withdraw.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class DefectsTests: StoreTestCase {
    private func atVersion(_ version: String) throws -> String {
        let m = Example.manifest.replacingOccurrences(of: "\"version\": \"3.1\"", with: "\"version\": \"\(version)\"")
        XCTAssertNotEqual(m, Example.manifest, "the example's version was not found")
        return m
    }

    private func open(_ manifest: String, _ clock: ManualClock) throws -> Gatekeeper {
        try Gatekeeper.open(dbPath: path(), manifestJson: manifest, timeSource: clock)
    }

    func testDefect1GoingBackToAnOlderMajorIsANewMajorAndRevivesNothing() throws {
        let clock = ManualClock()
        var gk = try open(try atVersion("1.0"), clock)
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(gk.decidePurpose(id: "analytics").outcome, "\(Verdict.allow) \(Reason.consented)")
        gk.closeStore()

        gk = try open(try atVersion("2.0"), clock)
        _ = try gk.acceptPolicy(byGuardian: false, source: "update_dialog")
        XCTAssertEqual(gk.decidePurpose(id: "analytics").reason, .consentMissing)
        _ = try gk.grant(purposes: ["personalised_ads"], sdks: [], separate: false, byGuardian: false, source: "update_dialog")
        gk.closeStore()

        gk = try open(try atVersion("1.0"), clock)
        XCTAssertEqual(gk.decidePurpose(id: "analytics").reason, .policyUpdateRequiresAcceptance)
        _ = try gk.acceptPolicy(byGuardian: false, source: "update_dialog")
        XCTAssertEqual(gk.decidePurpose(id: "analytics").outcome, "\(Verdict.ask) \(Reason.consentMissing)")
        XCTAssertEqual(gk.decidePurpose(id: "personalised_ads").outcome, "\(Verdict.ask) \(Reason.consentMissing)")
        XCTAssertEqual(try gk.state().purposes.first { $0.id == "analytics" }?.status, .undecided)
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(gk.decidePurpose(id: "analytics").outcome, "\(Verdict.allow) \(Reason.consented)")
        gk.closeStore()
    }

    func testDefect2AContractPurposeCannotBeWithdrawnAndNothingIsRecorded() throws {
        let gk = try openConsented(ManualClock())
        let before = try gk.export().receipts.count
        let error = gatekeeperError { _ = try gk.withdraw(purposes: ["analytics", "essential"], sdks: [], source: "settings") }
        guard case let .InvalidArgument(message)? = error else { return XCTFail("expected InvalidArgument, got \(String(describing: error))") }
        XCTAssertTrue(message.contains("cannot be withdrawn"), message)
        XCTAssertEqual(try gk.export().receipts.count, before)
        XCTAssertEqual(gk.decidePurpose(id: "analytics").verdict, .allow, "analytics was not withdrawn either")
        XCTAssertEqual(try gk.state().purposes.first { $0.id == "essential" }?.status, .undecided)
    }

    func testDefect3APlainGrantNeverSwitchesOffASeparateOne() throws {
        let clock = ManualClock()
        let gk = try openExample(clock)
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: [], sdks: ["google_pay"], separate: true, byGuardian: false, source: "checkout")
        XCTAssertEqual(gk.decideSdk(id: "google_pay").verdict, .allow)
        _ = clock.advance(by: day)
        let changes = try gk.grant(purposes: [], sdks: ["google_pay"], separate: false, byGuardian: false, source: "settings")
        XCTAssertTrue(changes.isEmpty, "the payment SDK stays on")
        XCTAssertEqual(gk.decideSdk(id: "google_pay").outcome, "\(Verdict.allow) \(Reason.consented)")
        let sdk = try XCTUnwrap(try gk.state().sdks.first { $0.id == "google_pay" })
        XCTAssertTrue(sdk.separate)
        XCTAssertEqual(sdk.at, testEpoch)
    }

    func testDefect4AClockSetBackNeverPutsTheLedgerOutOfOrder() throws {
        let clock = ManualClock()
        let gk = try openExample(clock)
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        let withdrawnAt = clock.advance(by: hour)
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        clock.set(withdrawnAt.addingTimeInterval(-0.001))
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let times = try gk.export().receipts.map { $0.timestamp }
        XCTAssertEqual(times, times.sorted())
        XCTAssertEqual(times.last, withdrawnAt, "recorded at the last event's time, not before it")
        let d = gk.decidePurpose(id: "analytics")
        XCTAssertEqual(d.outcome, "\(Verdict.allow) \(Reason.consented)")
        XCTAssertEqual(d.decidedAt, withdrawnAt)
        clock.set(testEpoch.addingTimeInterval(-30 * day))
        XCTAssertEqual(gk.decidePurpose(id: "essential").decidedAt, withdrawnAt)
    }

    func testDefect5AGuardianDeniesAndWithdrawsAndTheOldCallsStillWork() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 10)
        _ = try gk.acceptPolicy(byGuardian: true, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics", "personalised_ads"], sdks: [], separate: false, byGuardian: true, source: "first_run_dialog")
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings", byGuardian: true)
        _ = try gk.deny(purposes: ["personalised_ads"], sdks: [], source: "settings", byGuardian: true)
        _ = try gk.deny(purposes: ["push_notifications"], sdks: [], source: "settings")
        let last = try gk.export().receipts.suffix(3).map { "\($0.event) \($0.subject ?? "") \($0.byGuardian)" }
        XCTAssertEqual(last, [
            "\(EventKind.withdrawn) purpose:analytics true",
            "\(EventKind.denied) purpose:personalised_ads true",
            "\(EventKind.denied) purpose:push_notifications false",
        ])
        XCTAssertEqual(try gk.state().purposes.first { $0.id == "analytics" }?.byGuardian, true)
    }
}
