// The SDK registry and PhocolGate: batched start-up, changes in commit order, failures.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import PhocolLogic
import XCTest

final class SDKRegistryTests: DemoTestCase {
    private func stubRegistry(_ gk: Gatekeeper, ids: [String]) -> SDKRegistry {
        SDKRegistry(gatekeeper: gk).registerAll(ids, start: { StandInLog.record("start:\($0)") },
                                                stop: { StandInLog.record("stop:\($0)") })
    }

    func testStartAllowedStartsExactlyTheAllowedSDKsAndAgainNothing() throws {
        let gk = try openCNAdult()
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let registry = stubRegistry(gk, ids: ["mmkv", "facebook", "sensors_analytics", "amap"])
        let r = registry.startAllowed()
        XCTAssertEqual(r.started, ["mmkv", "sensors_analytics"])
        XCTAssertEqual(r.decisions.count, 4)
        XCTAssertEqual(r.recheckAt, testEpoch.addingTimeInterval(395 * 86_400), "the analytics grant's expiry")
        XCTAssertEqual(registry.startAllowed().started, [], "nothing twice")
        XCTAssertEqual(drain(), ["start:mmkv", "start:sensors_analytics"])
    }

    func testALateStaleAllowDoesNotStartAWithdrawnSDK() throws {
        let gk = try openCNAdult()
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let registry = stubRegistry(gk, ids: ["sensors_analytics"])
        let grant = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let withdrawal = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        // The withdrawal's notification arrives first, the grant's late.
        XCTAssertEqual(registry.applyChanges(withdrawal).started, [])
        XCTAssertEqual(registry.applyChanges(grant).started, [], "older than what was applied: dropped")
        XCTAssertEqual(registry.running, [])
        XCTAssertEqual(drain(), [])
    }

    func testAnExpiredGrantStopsTheSDKAtTheRecheckTime() throws {
        let gk = try openCNAdult()
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let registry = stubRegistry(gk, ids: ["sensors_analytics"])
        let recheck = try XCTUnwrap(registry.startAllowed().recheckAt)
        clock.set(recheck.addingTimeInterval(-0.001))
        XCTAssertEqual(registry.startAllowed().stopped, [], "1 ms before: still allowed")
        clock.set(recheck)
        let r = registry.startAllowed()
        XCTAssertEqual(r.stopped, ["sensors_analytics"], "fail closed on ask consent_expired")
        XCTAssertEqual(r.decisions["sensors_analytics"]?.reason, .consentExpired)
    }

    func testAStarterThatThrowsLeavesTheSDKOffAndTheNextRefreshRetries() throws {
        struct NotReady: Error {}
        let gk = try openCNAdult()
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let attempts = Counter()
        let registry = SDKRegistry(gatekeeper: gk).register("mmkv", start: {
            if attempts.increment() == 1 { throw NotReady() }
        })
        XCTAssertEqual(registry.startAllowed().failed, ["mmkv"])
        XCTAssertFalse(registry.isRunning("mmkv"))
        XCTAssertEqual(registry.startAllowed().started, ["mmkv"])
        XCTAssertTrue(registry.isRunning("mmkv"))
    }

    func testConcurrentRefreshesAndNotificationsStartEachSDKExactlyOnce() throws {
        let gk = try openCNAdult()
        let app = app(gk)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { _ = try? gk.acceptPolicy(byGuardian: false, source: "first_run_dialog") }
        for _ in 0..<8 { DispatchQueue.global().async(group: group) { app.sdks.startAllowed() } }
        DispatchQueue.global().async(group: group) {
            _ = try? gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        app.sdks.startAllowed()
        runMainLoop { SDKAdapter.mainThreadCallsPending == 0 }
        let calls = drain()
        XCTAssertEqual(calls.filter { $0 == "start:mmkv" }.count, 1, "\(calls)")
        XCTAssertEqual(calls.filter { $0 == "SensorsAnalyticsSDK.start(configOptions:)" }.count, 1, "\(calls)")
        XCTAssertEqual(Set(app.sdks.running), ["mmkv", "sensors_analytics"])
    }
}

final class PhocolGateTests: DemoTestCase {
    func testAppStartSyncsTheRegionOnceAndMovingToGermanySwitchesToGDPRKeepingTheAge() throws {
        let gk = try open()
        _ = try gk.setProfile(country: nil, age: 41)
        let app = app(gk)
        app.onAppStart(deviceRegion: "cn")
        XCTAssertEqual(try gk.state().country, "CN")
        XCTAssertEqual(try gk.state().law, .pipl)
        let events = try gk.state().events
        app.onAppStart(deviceRegion: "CN")
        app.onAppStart(deviceRegion: "China")
        app.onAppStart(deviceRegion: nil)
        XCTAssertEqual(try gk.state().events, events, "an unchanged or malformed region writes nothing")
        XCTAssertTrue(app.syncCountry("DE"))
        XCTAssertEqual(try gk.state().jurisdiction, "EEA")
        XCTAssertEqual(try gk.state().age, 41)
        XCTAssertEqual(drain(), [], "nothing starts before the policy is accepted")
    }

    func testTheIOSUsageKeysAreTheManifests() throws {
        let app = app(try open())
        XCTAssertEqual(app.iosUsageKeys["camera"], ["NSCameraUsageDescription"])
        XCTAssertEqual(Set(app.iosUsageKeys.keys), ["camera", "location", "photos", "microphone", "contacts", "bluetooth"])
        XCTAssertEqual(app.sdks.registeredIDs, [
            "mmkv", "zoho_mobilisten", "firebase_crashlytics", "google_sign_in", "facebook_login", "facebook",
            "sensors_analytics", "amap", "firebase_analytics",
        ], "every SDK the policy declares for iOS, in manifest order")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
