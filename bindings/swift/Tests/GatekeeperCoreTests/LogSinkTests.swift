// installLogSink: the core's log lines reach a Swift `LogSink`, and never carry the profile.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// Collects the core's lines (thread-safe: the core logs on whichever thread it runs).
private final class CollectingSink: LogSink, @unchecked Sendable {
    struct Line { let level: LogLevel; let target: String; let message: String }
    private let lock = NSLock()
    private var collected: [Line] = []

    func log(level: LogLevel, target: String, message: String) throws {
        lock.lock()
        collected.append(Line(level: level, target: target, message: message))
        lock.unlock()
    }

    var lines: [Line] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }
}

final class LogSinkTests: StoreTestCase {
    /// Process-wide and once only: this is the only test that installs a sink.
    func testTheFirstSinkIsInstalledOnceAndGetsTheCoresLinesWithoutPersonalData() throws {
        let sink = CollectingSink()
        XCTAssertTrue(installLogSink(sink: sink, maxLevel: .info))
        XCTAssertFalse(installLogSink(sink: CollectingSink(), maxLevel: .trace), "a second install is refused")

        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "DE", age: 37)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        _ = try? gk.setProfile(country: "Germany", age: 37) // an error path logs too
        gk.closeStore()

        let lines = sink.lines
        XCTAssertTrue(lines.contains { $0.message.contains("recorded policy_accepted") }, "\(lines.map(\.message))")
        XCTAssertTrue(lines.allSatisfy { $0.target.hasPrefix("gatekeeper") }, "targets are the core's modules")
        XCTAssertFalse(lines.contains { $0.level == .debug || $0.level == .trace }, "max level INFO")
        // No profile value in any line (contract §6): not the country, not the age, not the sources.
        for line in lines {
            XCTAssertNil(line.message.range(of: #"\bDE\b"#, options: .regularExpression), line.message)
            XCTAssertFalse(line.message.contains("37"), line.message)
            XCTAssertFalse(line.message.contains("Germany"), line.message)
            XCTAssertFalse(line.message.contains("first_run_dialog"), line.message)
        }
    }
}
