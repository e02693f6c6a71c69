// The SDK adapters against stand-ins that carry the real SDKs' type and member names
// (GatekeeperTestSupport), wired exactly as an app wires the real SDKs, and driven by the real
// core through its change notifications (`SDKAdapters`). These tests run on the main thread,
// as an app's settings screen does, so the SDK calls run inside the write call.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// Collects the adapters' log lines.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    var all: [String] { lock.lock(); defer { lock.unlock() }; return collected }
    var log: AdapterLog {
        AdapterLog { level, message in self.lock.lock(); self.collected.append("\(level.rawValue) \(message)"); self.lock.unlock() }
    }
}

class AdapterTestCase: XCTestCase {
    var dir: URL!
    var gk: Gatekeeper!
    let lines = LogLines()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gatekeeper-adapters-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        StandInLog.reset()
        GIDSignIn.sharedInstance.nextOutcome = .success("user-1")
        gk = try Gatekeeper.open(dbPath: dir.appendingPathComponent("gk.db").path, manifestJson: exampleManifest(),
                                 timeSource: ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
    }

    override func tearDownWithError() throws {
        gk.changeCenter.finish()
        gk.closeStore()
        gk = nil
        XCTAssertEqual(StandInLog.mainThreadViolations, [], "every main-thread SDK call ran on the main thread")
        try? FileManager.default.removeItem(at: dir)
    }

    /// The five adapters, as an app builds them.
    func adapters(memory: SwitchMemory = InMemorySwitchMemory()) -> [SDKAdapter] {
        StandInWiring.adapters(memory: memory, log: lines.log)
    }

    func drain() -> [String] { StandInLog.drain() }
}

final class AdapterTests: AdapterTestCase {
    func testNothingIsCalledBeforeThePolicyIsAccepted() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        let results = driver.applyAll()
        XCTAssertEqual(results.count, 5)
        XCTAssertTrue(results.allSatisfy { $0 == .alreadyInState(sdkId: $0.sdkId, on: false) }, "\(results)")
        // Choices that allow nothing yet reach no SDK either.
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        _ = try gk.setProfile(country: "DE", age: 30)
        driver.applyAll()
        XCTAssertEqual(StandInLog.calls, [])
    }

    func testEachSDKStartsOnlyAfterAllowThroughItsOwnConsentAPIInTheCallThatAllowedIt() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(drain(), [], "acceptance alone allows none of the five")

        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.sensorsStart, "in the grant call; facebook and firebase (abroad) need their own consent")
        _ = try gk.grant(purposes: [], sdks: ["facebook"], separate: true, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.facebookStart)
        _ = try gk.grant(purposes: [], sdks: ["firebase_analytics"], separate: true, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.firebaseOn)
        _ = try gk.grant(purposes: ["location_services"], sdks: [], separate: true, byGuardian: false, source: "just_in_time")
        XCTAssertEqual(drain(), ExpectedCalls.amapOn)
        _ = try gk.grant(purposes: ["account_login"], sdks: ["google_sign_in"], separate: true, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), [], "Google Sign-In starts only on a user action")
        XCTAssertTrue(try XCTUnwrap(driver.adapter("google_sign_in")).isOn)

        // Five switched on once each; every other result found nothing to do.
        let recent = driver.recentResults()
        XCTAssertEqual(recent.filter { if case .applied = $0 { return true } else { return false } }.map(\.sdkId),
                       ["sensors_analytics", "facebook", "firebase_analytics", "amap", "google_sign_in"])
        XCTAssertTrue(recent.allSatisfy { if case .failed = $0 { return false } else { return true } })
        XCTAssertTrue(lines.all.contains("info sensors_analytics: switched on: SensorsAnalyticsSDK.start(configOptions:)"), "\(lines.all)")
    }

    func testGoogleSignInHandsGooglesResultAndErrorBackAndDoesNothingWhileNotAllowed() async throws {
        let gk = try XCTUnwrap(self.gk)
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let google = try XCTUnwrap(driver.adapter("google_sign_in") as? StandInGoogleSignInAdapter)

        /// A tap on "Sign in with Google", on the main thread: whether the flow started, and
        /// what reached the completion (nil when it was not called).
        @Sendable func tap() async -> (started: Bool, result: Result<GIDSignInResult, any Error>?) {
            let (stream, done) = AsyncStream<Result<GIDSignInResult, any Error>>.makeStream()
            let started = await MainActor.run {
                google.signIn(presenting: UIViewController()) { result in
                    done.yield(result)
                    done.finish()
                }
            }
            guard started else { return (false, nil) }
            var it = stream.makeAsyncIterator()
            return (true, await it.next())
        }

        let before = await tap()
        XCTAssertFalse(before.started, "not allowed before consent: nothing called")
        XCTAssertNil(before.result)
        _ = try gk.grant(purposes: ["account_login"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let withoutOwnGrant = await tap()
        XCTAssertFalse(withoutOwnGrant.started, "Google is an independent third party abroad: it needs its own grant")
        XCTAssertEqual(drain(), [])

        _ = try gk.grant(purposes: [], sdks: ["google_sign_in"], separate: true, byGuardian: false, source: "settings")
        let signedIn = await tap()
        XCTAssertTrue(signedIn.started)
        XCTAssertEqual(try signedIn.result?.get().user.userID, "user-1", "Google's result reaches the app")

        GIDSignIn.sharedInstance.nextOutcome = .failure(GIDSignInStandInError(code: -5))
        let failed = await tap()
        XCTAssertTrue(failed.started)
        guard case let .failure(error)? = failed.result else { return XCTFail("expected Google's error, got \(String(describing: failed.result))") }
        XCTAssertEqual(error as? GIDSignInStandInError, GIDSignInStandInError(code: -5), "Google's error reaches the app")
        XCTAssertEqual(drain(), ExpectedCalls.googleSignInTap + ExpectedCalls.googleSignInTap)
    }

    func testWithdrawalSwitchesEachSDKOffInTheCallThatWithdrewIt() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics", "location_services", "account_login"],
                         sdks: ["facebook", "firebase_analytics", "google_sign_in"], separate: true, byGuardian: false, source: "settings")
        XCTAssertEqual(Set(["facebook", "sensors_analytics", "firebase_analytics", "amap", "google_sign_in"].filter { driver.adapter($0)!.isOn }).count, 5)
        _ = drain()

        let changes = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertTrue(changes.filter { $0.sdkId != nil }.allSatisfy { $0.new.verdict == .deny })
        // Manifest order of the change list: facebook, sensors_analytics, firebase_analytics.
        XCTAssertEqual(drain(), ExpectedCalls.facebookOff + ExpectedCalls.sensorsOff + ExpectedCalls.firebaseOff)
        XCTAssertFalse(driver.adapter("sensors_analytics")!.isOn)
        XCTAssertTrue(driver.adapter("amap")!.isOn, "AMap serves another purpose and keeps running")

        _ = try gk.withdraw(purposes: ["location_services", "account_login"], sdks: [], source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.googleSignOut + ExpectedCalls.amapOff)
        for id in ["facebook", "sensors_analytics", "firebase_analytics", "amap", "google_sign_in"] {
            XCTAssertFalse(driver.adapter(id)!.isOn, id)
        }
    }

    func testRepeatedDecisionsStartNothingTwiceAndARestartReEnablesInstead() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: ["facebook"], separate: true, byGuardian: false, source: "settings")
        let first = drain()
        XCTAssertEqual(first.filter { $0.hasPrefix("SensorsAnalyticsSDK.start") }, ["SensorsAnalyticsSDK.start(configOptions:)"])
        XCTAssertEqual(first.filter { $0.hasPrefix("ApplicationDelegate") }, ["ApplicationDelegate.initializeSDK()"])

        // The same decisions again, by every route: a refresh, a repeated grant, the same
        // notification delivered twice.
        for _ in 0..<3 { driver.applyAll() }
        let again = try gk.grant(purposes: ["analytics"], sdks: ["facebook"], separate: true, byGuardian: false, source: "settings")
        driver.applyChanges(again)
        XCTAssertEqual(drain(), [])
        let results = driver.applyAll().filter { ["facebook", "sensors_analytics"].contains($0.sdkId) }
        XCTAssertEqual(results, [.alreadyInState(sdkId: "facebook", on: true), .alreadyInState(sdkId: "sensors_analytics", on: true)])

        // Off and on again: Sensors is re-enabled, not started twice; Facebook not initialised twice.
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        _ = drain()
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: true, byGuardian: false, source: "settings")
        XCTAssertEqual(drain(), ExpectedCalls.facebookFlagsOn + ExpectedCalls.sensorsRestart)
    }

    func testAnSDKLeftOnByAnEarlierRunIsSwitchedOffAndAFreshInstallIsNotTouched() throws {
        let memory = InMemorySwitchMemory() // stands in for UserDefaults across two launches
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: ["facebook"], separate: true, byGuardian: false, source: "settings")
        do {
            let run = SDKAdapters(gatekeeper: gk, adapters: adapters(memory: memory), observing: nil)
            run.applyAll()
        }
        XCTAssertTrue(memory.wasOn("facebook"))
        // The account is erased while the app is not listening; a new process starts.
        _ = try gk.erase()
        StandInLog.reset()

        SDKAdapters(gatekeeper: gk, adapters: adapters(memory: memory), observing: nil).applyAll()
        XCTAssertEqual(drain(), ExpectedCalls.facebookOff + ExpectedCalls.sensorsOff, "exactly what was left on, nothing else")
        XCTAssertFalse(memory.wasOn("facebook"))
        // Once off, a later run calls nothing.
        SDKAdapters(gatekeeper: gk, adapters: adapters(memory: memory), observing: nil).applyAll()
        XCTAssertEqual(drain(), [])
    }

    func testLogLinesNameIdsAndCallsNeverValues() throws {
        let driver = SDKAdapters(gatekeeper: gk, adapters: adapters())
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let line = try XCTUnwrap(lines.all.first { $0.contains("sensors_analytics: switched on") })
        XCTAssertFalse(line.contains("sa.example.com"), line)
        XCTAssertFalse(lines.all.contains { $0.contains("CN") || $0.contains("settings") }, "\(lines.all)")
        XCTAssertTrue(line.hasPrefix("info "), line)
        withExtendedLifetime(driver) {}
    }
}
