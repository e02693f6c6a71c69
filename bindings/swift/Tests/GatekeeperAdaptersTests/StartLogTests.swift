// The adapters record every real start and stop in the start log (contract §9.3), so the
// audit of the store passes after a consent and a withdrawal driven through `SDKAdapters`.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// Collects what the adapters record.
final class RecordedStarts: SDKStartLog, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    func started(_ sdkId: String) { lock.lock(); lines.append("started \(sdkId)"); lock.unlock() }
    func stopped(_ sdkId: String) { lock.lock(); lines.append("stopped \(sdkId)"); lock.unlock() }
}

final class StartLogTests: AdapterTestCase {
    func testEveryRealStartAndStopIsRecordedAndTheAuditPasses() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        let audit = try gk.audit(graceSeconds: 10)
        XCTAssertTrue(audit.ok, "\(audit.violations)")
        let runs = audit.sdks.filter { $0.sdk == "sensors_analytics" }
        XCTAssertEqual(runs.count, 1, "\(audit.sdks)")
        XCTAssertNotNil(runs.first?.startedAt)
        XCTAssertNotNil(runs.first?.stoppedAt)
        XCTAssertEqual(runs.first?.verdictAtStart, .allow)
        _ = driver
    }

    func testAnAdaptersOwnStartLogIsKept() throws {
        let recorded = RecordedStarts()
        let list = adapters()
        for a in list { a.startLog = recorded }
        let driver = SDKAdapters(gatekeeper: gk, adapters: list)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(recorded.all, ["started sensors_analytics", "stopped sensors_analytics"])
        XCTAssertTrue(try gk.audit(graceSeconds: 10).sdks.isEmpty, "nothing went to the gatekeeper's log")
        _ = driver
    }
}
