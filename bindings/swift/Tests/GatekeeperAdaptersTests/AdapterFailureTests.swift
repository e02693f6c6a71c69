// Fail closed: an SDK call that throws (an app's closure, a misconfigured SDK) never leaves an
// SDK counted as on, never escapes to the core's listener, and is tried again.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

private struct StandInFailure: Error {}

/// Which calls throw, set by the test.
private let failing = Locked<Set<String>>([])

/// A call that records itself, and throws while the test marks it failing.
private func call(_ name: String) throws {
    if failing.get().contains(name) { throw StandInFailure() }
    StandInLog.record(name)
}

/// A memory that writes into the call log, to show when it is written.
private final class LoggedMemory: SwitchMemory, @unchecked Sendable {
    let inner = InMemorySwitchMemory()
    func wasOn(_ sdkId: String) -> Bool { inner.wasOn(sdkId) }
    func remember(_ sdkId: String, on: Bool) {
        StandInLog.record("memory \(sdkId)=\(on)")
        inner.remember(sdkId, on: on)
    }
}

final class AdapterFailureTests: AdapterTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        failing.set([])
    }

    private func facebook(_ memory: SwitchMemory) -> FacebookAdapter {
        FacebookAdapter(calls: .init(
            setAutoLogAppEventsEnabled: { try call("autoLog=\($0)") },
            setAdvertiserIDCollectionEnabled: { try call("advertiserID=\($0)") },
            initializeSDK: { try call("initializeSDK") }
        ), memory: memory, log: lines.log)
    }

    func testAStartThatFailsHalfWayIsRememberedFirstUndoneAndCountedOff() throws {
        let memory = LoggedMemory()
        let fb = facebook(memory)
        failing.set(["advertiserID=true"])
        XCTAssertEqual(fb.switchOn(), .failed(sdkId: "facebook", call: "Settings.isAdvertiserIDCollectionEnabled = true", error: "StandInFailure"))
        XCTAssertFalse(fb.isOn)
        XCTAssertEqual(drain(), [
            "memory facebook=true", // before anything reached the SDK
            "autoLog=true",
            // The undo: every off call, and a full undo forgets it again.
            "autoLog=false", "advertiserID=false", "memory facebook=false",
        ])
        XCTAssertTrue(lines.all.contains("warning facebook: switching on failed at Settings.isAdvertiserIDCollectionEnabled = true: StandInFailure"),
                      "\(lines.all)")
        // The next allow tries again, and a start that works is a start.
        failing.set([])
        XCTAssertEqual(fb.switchOn(), .applied(sdkId: "facebook", on: true, calls: [
            "Settings.isAutoLogAppEventsEnabled = true", "Settings.isAdvertiserIDCollectionEnabled = true", "ApplicationDelegate.initializeSDK()",
        ]))
        XCTAssertTrue(fb.isOn)
    }

    func testASwitchOffReachesEveryKillSwitchAndAFailedOneIsTriedAgain() throws {
        let memory = LoggedMemory()
        let fb = facebook(memory)
        _ = fb.switchOn()
        _ = drain()

        // As an SDK version whose advertiser-id flag fails every time.
        failing.set(["advertiserID=false"])
        XCTAssertEqual(fb.switchOff(), .failed(sdkId: "facebook", call: "Settings.isAdvertiserIDCollectionEnabled = false", error: "StandInFailure"))
        XCTAssertFalse(fb.isOn, "a failed stop never leaves the SDK counted as on")
        XCTAssertEqual(drain(), ["autoLog=false"], "the other kill switch was still reached")
        XCTAssertTrue(memory.wasOn("facebook"), "not fully off: remembered as possibly on")

        // The next decision that does not allow it tries again, in this process or a later one.
        let nextRun = facebook(memory)
        XCTAssertEqual(nextRun.switchOff().sdkId, "facebook")
        XCTAssertEqual(drain(), ["autoLog=false"])
        XCTAssertEqual(fb.switchOff(), .failed(sdkId: "facebook", call: "Settings.isAdvertiserIDCollectionEnabled = false", error: "StandInFailure"),
                       "the same adapter retries too")
        _ = drain()

        // Once every call goes through, it is off for good and nothing more is called.
        failing.set([])
        XCTAssertEqual(nextRun.switchOff(), .applied(sdkId: "facebook", on: false, calls: [
            "Settings.isAutoLogAppEventsEnabled = false", "Settings.isAdvertiserIDCollectionEnabled = false",
        ]))
        XCTAssertEqual(drain(), ["autoLog=false", "advertiserID=false", "memory facebook=false"])
        XCTAssertEqual(nextRun.switchOff(), .alreadyInState(sdkId: "facebook", on: false))
        XCTAssertEqual(fb.switchOff(), .alreadyInState(sdkId: "facebook", on: false))
        XCTAssertEqual(drain(), [])
    }

    func testAFailingStartReachedFromTheListenerIsNotAnErrorOfTheWrite() throws {
        let sensors = SensorsAnalyticsAdapter(calls: .init(
            start: { try call("start") }, deleteAll: { try call("deleteAll") }, disableSDK: { try call("disable") },
            enableSDK: { try call("enable") }
        ), log: lines.log)
        let driver = SDKAdapters(gatekeeper: gk, adapters: [sensors])
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        failing.set(["start"])
        let changes = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertFalse(changes.isEmpty, "the grant is recorded whatever the SDK did")
        XCTAssertFalse(sensors.isOn)
        XCTAssertEqual(drain(), ["deleteAll", "disable"], "the half-done start is undone, the unsent queue deleted first")
        XCTAssertTrue(driver.recentResults().contains(.failed(sdkId: "sensors_analytics", call: "SensorsAnalyticsSDK.start(configOptions:)", error: "StandInFailure")))
        // Exception texts are not logged, only their type.
        XCTAssertFalse(lines.all.contains { $0.contains("StandInFailure()") })

        // The next allow (app start: applyAll) starts it.
        failing.set([])
        driver.applyAll()
        XCTAssertEqual(drain(), ["start"])
        XCTAssertTrue(sensors.isOn)
    }
}
