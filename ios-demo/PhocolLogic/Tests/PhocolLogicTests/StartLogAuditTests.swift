// Contract §9 in the iOS demo's logic, as the Android demo's StartLogAuditTest: every start and
// stop the app makes (the registry's stubs and the adapters' SDKs) is recorded in the start
// log, and after a consent and a withdrawal the audit of the store passes.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import PhocolLogic
import XCTest

final class StartLogAuditTests: DemoTestCase {
    func testTheDemoFlowLeavesAStoreThatPassesTheAudit() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        app.onAppStart(deviceRegion: "CN")
        try app.firstRun.agree()
        _ = try app.consent.setPurpose("analytics", on: true)
        clock.advance(by: 300)
        _ = try app.consent.setPurpose("analytics", on: false)
        let audit = try gk.audit(graceSeconds: 10)
        XCTAssertTrue(audit.ok, "\(audit.violations)")
        XCTAssertTrue(audit.sdks.contains { $0.sdk == "mmkv" && $0.verdictAtStart == .allow && $0.stoppedAt == nil }, "\(audit.sdks)")
        XCTAssertTrue(audit.sdks.contains { $0.sdk == "sensors_analytics" && $0.stoppedAt != nil }, "\(audit.sdks)")
        gk.changeCenter.finish()
        gk.closeStore()
    }

    func testAnSDKStartedBeforeItsAllowFailsTheAudit() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        app.onAppStart(deviceRegion: "CN")
        try gk.recordSdkStarted(id: "sensors_analytics") // as an SDK that starts itself at launch
        try app.firstRun.agree()
        let audit = try gk.audit(graceSeconds: 10)
        XCTAssertFalse(audit.ok)
        XCTAssertEqual(audit.violations.map(\.kind), [.startedWithoutAllow])
        gk.changeCenter.finish()
        gk.closeStore()
    }
}
