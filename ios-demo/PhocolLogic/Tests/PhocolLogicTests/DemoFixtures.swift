// Shared fixtures of the iOS demo's logic tests.

import Foundation
import GatekeeperAdapters
import GatekeeperCore
import GatekeeperTestSupport
import PhocolLogic
import XCTest

let utc = TimeZone(identifier: "UTC")!
let hour: TimeInterval = 3600

/// A test case with a fresh store directory and fresh stand-in SDKs.
class DemoTestCase: XCTestCase {
    var dir: URL!
    let clock = ManualClock()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("phocol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        StandInLog.reset()
    }

    override func tearDownWithError() throws {
        XCTAssertEqual(StandInLog.mainThreadViolations, [])
        try? FileManager.default.removeItem(at: dir)
    }

    /// The Phocol store on the test clock.
    func open(manifest: String = exampleManifest()) throws -> Gatekeeper {
        try Gatekeeper.open(dbPath: dir.appendingPathComponent("gatekeeper.db").path, manifestJson: manifest, timeSource: clock)
    }

    /// A user in China aged 30 (PIPL; age of consent 14), on a fresh store.
    func openCNAdult() throws -> Gatekeeper {
        let gk = try open()
        _ = try gk.setProfile(country: "CN", age: 30)
        return gk
    }

    /// The app as the iOS AppGate builds it, with the stand-ins instead of the real SDKs; the
    /// SDKs without an adapter are stubs that record `start:<id>` / `stop:<id>` in the same log.
    func app(_ gk: Gatekeeper, memory: SwitchMemory = InMemorySwitchMemory()) -> PhocolGate {
        PhocolGate(gatekeeper: gk,
                   start: { StandInLog.record("start:\($0)") },
                   stop: { StandInLog.record("stop:\($0)") },
                   adapters: StandInWiring.adapters(memory: memory))
    }

    func drain() -> [String] { StandInLog.drain() }
}

/// Records what a user did into the same log as the SDK calls, so the log shows the order.
func user(_ action: String, _ body: () throws -> Void) rethrows {
    StandInLog.record("user: \(action)")
    try body()
}

/// Taps "Sign in with Google" on the main thread (tests run there) and waits for Google's
/// answer; nil when the flow did not start.
func tapGoogleSignIn(_ app: PhocolGate) -> Result<GIDSignInResult, any Error>? {
    guard let google = app.adapters["google_sign_in"] as? StandInGoogleSignInAdapter else { return nil }
    let answer = LockedResult()
    let started = MainActor.assumeIsolated {
        google.signIn(presenting: UIViewController()) { answer.set($0) }
    }
    guard started else { return nil }
    runMainLoop { answer.get() != nil }
    return answer.get()
}

final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<GIDSignInResult, any Error>?
    func set(_ v: Result<GIDSignInResult, any Error>) { lock.lock(); value = v; lock.unlock() }
    func get() -> Result<GIDSignInResult, any Error>? { lock.lock(); defer { lock.unlock() }; return value }
}
