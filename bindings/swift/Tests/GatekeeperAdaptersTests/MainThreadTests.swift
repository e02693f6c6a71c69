// The adapters are called from the gatekeeper's change notifications, on whichever thread
// made the change; Sensors Analytics' start and Facebook's initializeSDK() must run on the
// main thread. These tests write from other threads and service the main run loop, as an
// app's main thread does, while the stand-ins note any main-thread call made elsewhere.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class MainThreadTests: AdapterTestCase {
    /// Runs `body` on a new thread and waits for it (the main thread only waits here: the
    /// adapters never block a writer on the main thread).
    private func onAnotherThread(_ body: @escaping @Sendable () throws -> Void) {
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        Thread {
            do { try body() } catch { failure.set("\(error)") }
            done.signal()
        }.start()
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertNil(failure.get())
    }

    func testAWriteOnABackgroundThreadRunsTheSDKCallsOnTheMainThreadInOrder() throws {
        let gk = try XCTUnwrap(self.gk)
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")

        let returned = Locked<[AdapterResult]>([])
        onAnotherThread {
            _ = try gk.grant(purposes: ["analytics"], sdks: ["facebook"], separate: true, byGuardian: false, source: "settings")
            returned.set(driver.applyAll())
        }
        // The write has returned; the SDK calls wait for the main thread's next turn.
        XCTAssertEqual(StandInLog.calls, [], "nothing runs off the main thread")
        XCTAssertTrue(returned.get().contains(.alreadyInState(sdkId: "facebook", on: true)),
                      "the adapter's state changed at once: \(returned.get())")
        XCTAssertTrue(driver.adapter("sensors_analytics")!.isOn)
        XCTAssertGreaterThan(SDKAdapter.mainThreadCallsPending, 0)

        XCTAssertTrue(runMainLoop { SDKAdapter.mainThreadCallsPending == 0 })
        XCTAssertEqual(drain(), ExpectedCalls.facebookStart + ExpectedCalls.sensorsStart)
        // tearDown: no stand-in saw initializeSDK() or start(configOptions:) off the main thread.
        XCTAssertEqual(StandInLog.mainThreadViolations, [])
        XCTAssertTrue(driver.recentResults().contains(.applied(sdkId: "facebook", on: true, calls: [
            "Settings.isAutoLogAppEventsEnabled = true", "Settings.isAdvertiserIDCollectionEnabled = true",
            "ApplicationDelegate.initializeSDK()",
        ])), "the outcome of the queued calls is reported when they ran")
    }

    func testAGrantAndAWithdrawalFromAnotherThreadReachTheSDKInTheirOrder() throws {
        let gk = try XCTUnwrap(self.gk)
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        onAnotherThread {
            _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
            _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        }
        XCTAssertFalse(driver.adapter("sensors_analytics")!.isOn, "off at once, before the main thread ran anything")
        XCTAssertTrue(runMainLoop { SDKAdapter.mainThreadCallsPending == 0 })
        XCTAssertEqual(drain(), ExpectedCalls.sensorsStart + ExpectedCalls.sensorsOff, "started, then stopped: never the other way round")
    }

    func testAWithdrawalOnTheMainThreadRunsAfterCallsQueuedBeforeItAndWithinItsCall() throws {
        let gk = try XCTUnwrap(self.gk)
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        // Another thread's grant queues Sensors' start for the main thread...
        onAnotherThread {
            _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        }
        XCTAssertEqual(StandInLog.calls, [])
        // ...and the user withdraws on the main thread before that start ran: the queued start
        // runs first, then the switch-off, both before the withdrawal returns.
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.sensorsStart + ExpectedCalls.sensorsOff)
        XCTAssertEqual(SDKAdapter.mainThreadCallsPending, 0)
        XCTAssertFalse(driver.adapter("sensors_analytics")!.isOn)
    }

    func testEightThreadsSwitchingConsentLeaveEachSDKAsItsLastDecision() throws {
        let gk = try XCTUnwrap(self.gk)
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let group = DispatchGroup()
        for t in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                for i in 0..<10 {
                    let purpose = ["analytics", "location_services"][(t + i) % 2]
                    if (t + i) % 3 == 0 {
                        _ = try? gk.withdraw(purposes: [purpose], sdks: [], source: "thread_\(t)")
                    } else {
                        _ = try? gk.grant(purposes: [purpose], sdks: [], separate: true, byGuardian: false, source: "thread_\(t)")
                    }
                }
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        XCTAssertTrue(runMainLoop { SDKAdapter.mainThreadCallsPending == 0 })
        // Whatever the interleaving, each SDK ends as the core decides now.
        for id in ["sensors_analytics", "amap"] {
            XCTAssertEqual(driver.adapter(id)!.isOn, gk.decideSdk(id: id).isAllowed, id)
        }
        let calls = drain()
        let sdks: [(name: String, on: Set<String>, off: String)] = [
            ("sensors", [ExpectedCalls.sensorsStart.last!, ExpectedCalls.sensorsRestart[0]], ExpectedCalls.sensorsOff[0]),
            ("amap", ["MAMapView.updatePrivacyAgree(didAgree)"], "MAMapView.updatePrivacyAgree(notAgree)"),
        ]
        for sdk in sdks {
            // On and off alternate, starting with on: no double start, no double stop.
            let seq = calls.filter { sdk.on.contains($0) || $0 == sdk.off }.map { $0 == sdk.off ? "off" : "on" }
            XCTAssertEqual(seq, Array(["on", "off"].cycle(seq.count)), "\(sdk.name): \(seq)")
        }
        XCTAssertEqual(calls.filter { $0 == "SensorsAnalyticsSDK.start(configOptions:)" }.count, 1, "started once per process")
    }

    func testALateNotificationOfAGrantCannotSwitchAnSDKBackOnAfterANewerWithdrawal() throws {
        let gk = try XCTUnwrap(self.gk)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let withdrawing = Locked<Thread?>(nil)
        // The grant's notification names sensors_analytics before amap (manifest order).
        // While the main thread switches Sensors on, another thread withdraws location: its
        // write is newer (higher sequence) and its notification waits for the adapters.
        let hooked = HookedAdapter(sdkId: "sensors_analytics") {
            let done = DispatchSemaphore(value: 0)
            let t = Thread {
                _ = try? gk.withdraw(purposes: ["location_services"], sdks: [], source: "settings")
                done.signal()
            }
            withdrawing.set(t)
            t.start()
            // The withdrawal has committed once the core no longer allows amap.
            let deadline = Date().addingTimeInterval(10)
            while gk.decideSdk(id: "amap").isAllowed && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
            _ = done // the other thread finishes only after this switch: it waits for the adapters
        }
        let amap = adapters().first { $0.sdkId == "amap" }!
        let driver = SDKAdapters(gatekeeper: gk, adapters: [hooked, amap])

        _ = try gk.grant(purposes: ["analytics", "location_services"], sdks: [], separate: true, byGuardian: false, source: "settings")
        XCTAssertNotNil(withdrawing.get(), "the hook ran")
        XCTAssertTrue(runMainLoop { withdrawing.get()?.isFinished == true && SDKAdapter.mainThreadCallsPending == 0 })
        XCTAssertFalse(gk.decideSdk(id: "amap").isAllowed)
        XCTAssertFalse(amap.isOn, "the core no longer allows amap: it must end off")
        // Either AMap was never switched on (the gate saw the withdrawal in time), or the
        // last AMap call switched it off.
        let amapCalls = drain().filter { $0.hasPrefix("MAMapView") || $0.hasPrefix("AMapLocationManager") }
        XCTAssertTrue(amapCalls.isEmpty || Array(amapCalls.suffix(2)) == ExpectedCalls.amapOff, "\(amapCalls)")
        withExtendedLifetime(driver) {}
    }
}

/// An adapter that runs `onStart` in its first start: a hook into the middle of applying.
final class HookedAdapter: SDKAdapter, @unchecked Sendable {
    private let hook: Locked<(@Sendable () -> Void)?>

    init(sdkId: String, onStart: @escaping @Sendable () -> Void) {
        hook = Locked(onStart)
        super.init(sdkId: sdkId, log: .silent)
    }

    @MainActor
    override func turnOn(restart: Bool, calls: inout SDKCallLog) throws {
        let run = hook.get()
        hook.set(nil)
        run?()
    }
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: Value) { lock.lock(); value = v; lock.unlock() }
}

extension Array {
    /// The elements repeated to `count` elements.
    func cycle(_ count: Int) -> [Element] {
        isEmpty ? [] : (0..<count).map { self[$0 % self.count] }
    }
}
