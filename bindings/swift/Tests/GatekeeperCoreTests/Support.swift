// Shared fixtures of the Swift tests: a temporary store per test, the ids of the embedded
// example manifest, a small manifest of our own, and helpers for typed errors.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// The ids of the embedded example manifest (core/policy/example-manifest.json), in order.
enum Example {
    static let manifest = exampleManifest()
    static let purposes = [
        "essential", "payments", "crash_reporting", "account_login", "analytics",
        "push_notifications", "personalised_ads", "location_services", "face_recognition",
    ]
    /// The purposes with basis contract: met by accepting the policy, never withdrawn.
    static let contractPurposes = ["essential", "payments"]
    static let permissions = ["camera", "location", "photos", "microphone", "contacts", "bluetooth"]
    static let sdks = [
        "mmkv", "matisse", "zoho_mobilisten", "google_pay", "firebase_crashlytics", "google_sign_in",
        "facebook_login", "facebook", "sensors_analytics", "huawei_push", "amap", "firebase_analytics",
    ]

    /// Every SDK, every permission (on a user action) and every purpose.
    static let everything: [DecisionSubject] =
        sdks.map { .sdk(id: $0) } + permissions.map { .permission(id: $0, trigger: .userAction) }
            + purposes.map { .purpose(id: $0) }
}

/// A small valid manifest (policy `mini`) for tests that need their own.
let miniManifest = """
{"schema": 1,
 "policy": {"id": "mini", "version": "1.0", "effective": "2025-01-01", "controller": {"name": "Mini Ltd."}},
 "default_jurisdiction": "default",
 "jurisdictions": [{"id": "default", "law": "gdpr", "age_of_consent": 16, "countries": []}],
 "purposes": [{"id": "essential", "title": "Core", "basis": "contract"},
              {"id": "analytics", "title": "Analytics", "basis": "consent"}],
 "permissions": [{"id": "camera", "title": "Camera", "purposes": ["essential"]}],
 "sdks": [{"id": "tracker", "name": "Tracker", "vendor": "T Inc.", "purposes": ["analytics"]}]}
"""

let hour: TimeInterval = 3600
let day: TimeInterval = 86_400

/// A test case with a fresh directory for its stores.
class StoreTestCase: XCTestCase {
    private(set) var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatekeeper-swift-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ name: String = "gatekeeper.db") -> String {
        dir.appendingPathComponent(name).path
    }

    /// The example policy's store, on `clock` (nil: the system clock).
    func openExample(_ clock: TimeSource? = nil, name: String = "gatekeeper.db") throws -> Gatekeeper {
        try Gatekeeper.open(dbPath: path(name), manifestJson: Example.manifest, timeSource: clock)
    }

    /// A CN user aged 30 who accepted the policy and granted analytics, and facebook
    /// separately, at the clock's time.
    func openConsented(_ clock: TimeSource? = nil, name: String = "gatekeeper.db") throws -> Gatekeeper {
        let gk = try openExample(clock, name: name)
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: ["facebook"], separate: true, byGuardian: false, source: "first_run_dialog")
        return gk
    }
}

/// The error `body` throws, as a `GatekeeperError`; fails the test when it throws none or
/// another type.
func gatekeeperError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> GatekeeperError? {
    do {
        try body()
        XCTFail("expected a GatekeeperError, nothing was thrown", file: file, line: line)
    } catch let e as GatekeeperError {
        return e
    } catch {
        XCTFail("expected a GatekeeperError, got \(type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}

extension Decision {
    /// Verdict and reason only, for comparing decisions made at different times.
    var outcome: String { "\(verdict) \(reason)" }
}
