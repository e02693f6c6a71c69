// The Swift SDK adapters' shared logic (idempotence, fail closed, SwitchMemory) with a
// recording adapter, and the real adapters on a host that links none of the SDKs.
// Not run on the project's CI machine (no Swift toolchain there).

@testable import GatekeeperCore
import XCTest

/// Records its calls instead of calling an SDK.
private final class RecordingAdapter: SDKAdapter, @unchecked Sendable {
    var calls: [String] = []
    var failOn = false
    override var isPresent: Bool { true }
    override func turnOn(restart: Bool, calls out: inout [String]) throws {
        if failOn { throw SDKCallError(call: "start", error: "TestError") }
        let call = restart ? "enable" : "start"
        calls.append(call)
        out.append(call)
    }
    override func turnOff(calls out: inout [String]) throws {
        calls.append("stop")
        out.append("stop")
    }
}

final class AdapterTests: XCTestCase {
    private let quiet: @Sendable (String) -> Void = { _ in }

    func testNothingIsCalledWhileNotAllowedAndNothingStartsTwice() {
        let a = RecordingAdapter(sdkId: "tracker", module: "Tracker", memory: InMemorySwitchMemory(), log: quiet)
        XCTAssertEqual(a.switchOff(), .alreadyInState(sdkId: "tracker", on: false))
        XCTAssertEqual(a.calls, [])
        XCTAssertEqual(a.switchOn(), .applied(sdkId: "tracker", on: true, calls: ["start"]))
        XCTAssertEqual(a.switchOn(), .alreadyInState(sdkId: "tracker", on: true))
        XCTAssertEqual(a.switchOff(), .applied(sdkId: "tracker", on: false, calls: ["stop"]))
        XCTAssertEqual(a.switchOn(), .applied(sdkId: "tracker", on: true, calls: ["enable"]))
        XCTAssertEqual(a.calls, ["start", "stop", "enable"])
    }

    func testAFailedStartLeavesTheSDKOff() {
        let a = RecordingAdapter(sdkId: "tracker", module: "Tracker", memory: InMemorySwitchMemory(), log: quiet)
        a.failOn = true
        XCTAssertEqual(a.switchOn(), .failed(sdkId: "tracker", call: "start", error: "TestError"))
        XCTAssertFalse(a.isOn)
    }

    func testAnSDKLeftOnByAnEarlierRunIsSwitchedOff() {
        let memory = InMemorySwitchMemory()
        let first = RecordingAdapter(sdkId: "tracker", module: "Tracker", memory: memory, log: quiet)
        first.switchOn()
        let next = RecordingAdapter(sdkId: "tracker", module: "Tracker", memory: memory, log: quiet)
        XCTAssertEqual(next.switchOff(), .applied(sdkId: "tracker", on: false, calls: ["stop"]))
        XCTAssertEqual(next.switchOff(), .alreadyInState(sdkId: "tracker", on: false))
    }

    func testWithoutTheSDKsEveryAdapterReportsAbsent() {
        #if !canImport(FBSDKCoreKit) && !canImport(SensorsAnalyticsSDK) && !canImport(FirebaseAnalytics) && !canImport(GoogleSignIn) && !canImport(MAMapKit)
        for a in SDKAdapter.defaults(sensorsServerURL: "https://sa.example.com/sa", memory: InMemorySwitchMemory(), log: quiet) {
            XCTAssertEqual(a.switchOn(), .sdkAbsent(sdkId: a.sdkId, module: a.module))
            XCTAssertFalse(a.isOn)
        }
        #endif
    }
}
