// Contract section 9 through the Swift API: basic mode after declinePolicy, decideAccess
// with its background gate and its interval on both sides of the boundary, and the start
// log (recordSdkStarted / recordSdkStopped) with audit on both sides of the grace period.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// The CLI's core/tests/fixtures/part_two.json, trimmed: `browse` is basic.
let partTwoManifest = """
{"schema": 1,
 "policy": {"id": "qa", "version": "2.0", "effective": "2026-01-01", "controller": {"name": "QA Ltd."}},
 "settings": {"consent_ttl_days": 30, "reask_after_denial_days": 10},
 "default_jurisdiction": "CN",
 "jurisdictions": [{"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]}],
 "purposes": [
   {"id": "browse", "title": "Browsing", "basis": "contract", "basic": true},
   {"id": "orders", "title": "Orders", "basis": "contract"},
   {"id": "analytics", "title": "Usage analytics", "basis": "consent"}],
 "permissions": [{"id": "bluetooth", "title": "Bluetooth", "purposes": ["browse"]}],
 "sdks": [
   {"id": "storage", "name": "Storage", "vendor": "CN Ltd.", "vendor_country": "CN", "purposes": ["browse"]},
   {"id": "mixed", "name": "Mixed", "vendor": "CN Ltd.", "vendor_country": "CN", "purposes": ["browse", "orders"]},
   {"id": "stats", "name": "Stats", "vendor": "CN Ltd.", "vendor_country": "CN", "purposes": ["analytics"]}],
 "data_access": [
   {"id": "clipboard", "title": "Clipboard", "purposes": ["browse"], "min_interval_seconds": 10},
   {"id": "device_id", "title": "Device id", "purposes": ["analytics"], "min_interval_seconds": 60, "foreground_only": false}]}
"""

final class PartTwoTests: StoreTestCase {
    private func open(_ clock: ManualClock) throws -> Gatekeeper {
        try Gatekeeper.open(dbPath: path("qa.db"), manifestJson: partTwoManifest, timeSource: clock)
    }

    private func consented(_ clock: ManualClock) throws -> Gatekeeper {
        let gk = try open(clock)
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        return gk
    }

    func testDeclinePolicyKeepsTheBasicServiceAndAsksForEverythingElse() throws {
        let gk = try open(ManualClock())
        defer { gk.closeStore() }
        _ = try gk.setProfile(country: "CN", age: 30)
        XCTAssertEqual(gk.decideSdk(id: "storage").reason, .policyNotAccepted)
        let changes = try gk.declinePolicy(source: "first_run_dialog")
        XCTAssertTrue(changes.contains { $0.subject == "sdk:storage" && $0.new.reason == .basicMode }, "\(changes)")
        XCTAssertEqual(gk.decideSdk(id: "storage").verdict, .allow)
        XCTAssertEqual(gk.decideSdk(id: "storage").reason, .basicMode)
        XCTAssertEqual(gk.decideSdk(id: "mixed").reason, .policyNotAccepted)
        XCTAssertEqual(gk.decideAccess(id: "clipboard", background: false).reason, .basicMode)
        XCTAssertTrue(try gk.state().declined)
        _ = try gk.acceptPolicy(byGuardian: false, source: "settings")
        XCTAssertFalse(try gk.state().declined)
        XCTAssertEqual(gk.decideSdk(id: "mixed").reason, .notConsentBased)
    }

    func testDecideAccessPacesReadsOnBothSidesOfTheInterval() throws {
        let clock = ManualClock()
        let gk = try consented(clock)
        defer { gk.closeStore() }
        XCTAssertEqual(gk.decideAccess(id: "clipboard", background: true).reason, .backgroundAccess)
        XCTAssertEqual(gk.decideAccess(id: "clipboard", background: false).verdict, .allow)
        clock.set(testEpoch.addingTimeInterval(9.999))
        let limited = gk.decideAccess(id: "clipboard", background: false)
        XCTAssertEqual(limited.verdict, .deny)
        XCTAssertEqual(limited.reason, .rateLimited)
        XCTAssertEqual(limited.retryAfter, testEpoch.addingTimeInterval(10))
        clock.set(testEpoch.addingTimeInterval(10))
        XCTAssertEqual(gk.decideAccess(id: "clipboard", background: false).verdict, .allow)
        XCTAssertEqual(gk.decideAccess(id: "device_id", background: true).reason, .consented)
        XCTAssertEqual(gk.decideAccess(id: "contacts", background: false).reason, .unknownSubject)
    }

    func testTheStartLogIsAuditedOnBothSidesOfTheGracePeriod() throws {
        let clock = ManualClock()
        let gk = try consented(clock)
        defer { gk.closeStore() }
        XCTAssertThrowsError(try gk.recordSdkStarted(id: "nope")) { error in
            guard case GatekeeperError.UnknownId = error else { return XCTFail("\(error)") }
        }
        try gk.recordSdkStarted(id: "stats")
        let withdrawnAt = clock.advance(by: 1)
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        clock.set(withdrawnAt.addingTimeInterval(10))
        XCTAssertTrue(try gk.audit(graceSeconds: 10).ok, "still within the grace period")
        clock.set(withdrawnAt.addingTimeInterval(10.0015)) // 10.001 s, in whole milliseconds
        let late = try gk.audit(graceSeconds: 10)
        XCTAssertFalse(late.ok)
        XCTAssertEqual(late.violations.map(\.kind), [.notStoppedAfterWithdrawal])
        XCTAssertEqual(late.violations.first?.at, withdrawnAt)
        XCTAssertEqual(late.violations.first?.decision.reason, .consentWithdrawn)
        try gk.recordSdkStopped(id: "stats")
        XCTAssertTrue(try gk.audit(graceSeconds: 11).ok)
        XCTAssertFalse(try gk.audit(graceSeconds: 10).ok)
        XCTAssertEqual(try gk.audit(graceSeconds: 10).sdks.first?.verdictAtStart, .allow)

        _ = try gk.declinePolicy(source: "settings")
        try gk.recordSdkStarted(id: "stats") // not allowed in basic mode
        XCTAssertTrue(try gk.audit(graceSeconds: 10).violations.contains { $0.kind == .startedWithoutAllow })
    }
}
