// The same flow as the Kotlin tests (tests/kotlin), against the real Rust core: a user in
// China aged 30, first run, consent, SDK start, a just-in-time camera prompt, an OS refusal,
// withdrawal, typed errors, the manifest, change sequence numbers, persistence, many threads,
// closeStore.
//
// Runs with `swift test` in bindings/swift (host mode: links <repo>/target/debug/libgatekeeper,
// see Package.swift) after `cargo build -p gatekeeper` and bindings/build.sh.

import Foundation
import XCTest
import GatekeeperCore

/// A settable clock the core reads through the `TimeSource` callback.
final class TestClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    func now() throws -> Date {
        lock.lock(); defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock(); defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }
}

/// Records every change notification.
final class RecordingListener: ChangeListener, @unchecked Sendable {
    private let lock = NSLock()
    private var received: [[DecisionChange]] = []

    func onChange(changes: [DecisionChange]) throws {
        lock.lock(); defer { lock.unlock() }
        received.append(changes)
    }

    var calls: [[DecisionChange]] {
        lock.lock(); defer { lock.unlock() }
        return received
    }

    func reset() {
        lock.lock(); defer { lock.unlock() }
        received = []
    }
}

/// Failures collected from many threads.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ item: String) {
        lock.lock(); defer { lock.unlock() }
        items.append(item)
    }

    var all: [String] {
        lock.lock(); defer { lock.unlock() }
        return items
    }
}

final class GatekeeperFlowTests: XCTestCase {
    /// 2026-01-01T00:00:00Z
    let start = Date(timeIntervalSince1970: 1_767_225_600)
    let hour: TimeInterval = 3600
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatekeeper-swift-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private var dbPath: String { dir.appendingPathComponent("gatekeeper.db").path }

    private func open(_ clock: TimeSource, manifest: String = exampleManifest()) throws -> Gatekeeper {
        try Gatekeeper.open(dbPath: dbPath, manifestJson: manifest, options: GatekeeperOptions(timeSource: clock))
    }

    /// A CN user aged 30 who accepted the policy and granted analytics.
    private func consentedUser(_ clock: TimeSource) throws -> Gatekeeper {
        let gk = try open(clock)
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        return gk
    }

    // MARK: - The main flow

    func testFirstRunConsentSdkStartCameraAndWithdrawal() throws {
        let clock = TestClock(start)
        let gk = try open(clock)
        defer { gk.closeStore() }
        let listener = RecordingListener()
        gk.setListener(listener: listener)

        _ = try gk.setProfile(country: "CN", age: 30)

        // First run: nothing may start, no prompt may show, before the policy is accepted.
        let first = gk.decideSdk(id: "sensors_analytics")
        XCTAssertEqual(first.verdict, .ask)
        XCTAssertEqual(first.reason, .policyNotAccepted)
        XCTAssertEqual(first.subject, "sdk:sensors_analytics")
        XCTAssertEqual(gk.decidePermission(id: "camera", trigger: .userAction).reason, .policyNotAccepted)

        // Agree in the first-run dialog.
        let accepted = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertTrue(accepted.contains { $0.subject == "sdk:mmkv" && $0.new.verdict == .allow })
        let state = try gk.state()
        XCTAssertTrue(state.policyAccepted)
        XCTAssertEqual(state.jurisdiction, "CN")
        XCTAssertEqual(state.law, .pipl)
        XCTAssertEqual(state.age, 30)
        XCTAssertEqual(state.ageOfConsent, 14)

        // Grant analytics: the CN-entrusted SDK is allowed, Facebook (independent, US) needs
        // its own separate consent.
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "first_run_dialog")
        let sensors = gk.decideSdk(id: "sensors_analytics")
        XCTAssertEqual(sensors.verdict, .allow)
        XCTAssertEqual(sensors.reason, .consented)
        XCTAssertEqual(sensors.jurisdiction, "CN")
        XCTAssertEqual(sensors.policyVersion, "3.1")
        let facebook = gk.decideSdk(id: "facebook")
        XCTAssertEqual(facebook.verdict, .ask)
        XCTAssertEqual(facebook.reason, .separateConsentRequired)
        XCTAssertEqual(facebook.sdks, ["facebook"])

        // Facebook and Firebase Analytics (the other analytics SDK abroad) get their own grant.
        _ = try gk.grant(purposes: [], sdks: ["facebook", "firebase_analytics"], separate: true, byGuardian: false, source: "just_in_time")
        XCTAssertEqual(gk.decideSdk(id: "facebook").verdict, .allow)

        // App start: one decideMany call for every SDK the app embeds.
        let ids = ["mmkv", "sensors_analytics", "facebook", "amap"]
        let decisions = gk.decideMany(subjects: ids.map { DecisionSubject.sdk(id: $0) })
        XCTAssertEqual(decisions.map(\.subject), ids.map { "sdk:\($0)" })
        let started = zip(ids, decisions).filter { $0.1.verdict == .allow }.map { $0.0 }
        XCTAssertEqual(started, ["mmkv", "sensors_analytics", "facebook"])
        // amap serves location_services, which is sensitive: it waits for a separate grant.
        XCTAssertEqual(decisions[3].verdict, .ask)
        XCTAssertEqual(decisions[3].purposes, ["location_services"])

        // The camera button: ask before the OS prompt.
        let camera = gk.decidePermission(id: "camera", trigger: .userAction)
        XCTAssertEqual(camera.verdict, .allow)
        XCTAssertEqual(gk.decidePermission(id: "camera", trigger: .appLaunch).reason, .launchTimeRequest)
        XCTAssertEqual(gk.decidePermission(id: "camera", trigger: .background).reason, .notUserInitiated)

        // The OS prompt is refused: no re-prompt for 48 hours.
        _ = try gk.recordPermissionResult(permission: "camera", result: .denied)
        let refused = gk.decidePermission(id: "camera", trigger: .userAction)
        XCTAssertEqual(refused.verdict, .deny)
        XCTAssertEqual(refused.reason, .recentlyDenied)
        XCTAssertEqual(refused.retryAfter, start.addingTimeInterval(48 * hour))
        clock.advance(by: 48 * hour)
        XCTAssertEqual(gk.decidePermission(id: "camera", trigger: .userAction).verdict, .allow)

        // Withdraw analytics: one notification, exactly the three analytics SDKs, allow -> deny.
        listener.reset()
        let returned = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(listener.calls.count, 1)
        let changes = listener.calls[0]
        XCTAssertEqual(Set(changes.map(\.subject)), ["sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"])
        XCTAssertEqual(changes.count, 3)
        for change in changes {
            XCTAssertEqual(change.old.verdict, .allow, change.subject)
            XCTAssertEqual(change.new.verdict, .deny, change.subject)
            XCTAssertEqual(change.new.reason, .consentWithdrawn, change.subject)
        }
        XCTAssertEqual(returned, changes)
        XCTAssertEqual(Set(changes.map(\.sequence)).count, 1, "one sequence number per write")

        // The record of it all, as enums.
        let after = try gk.state()
        XCTAssertEqual(after.purposes.first { $0.id == "analytics" }?.status, .withdrawn)
        XCTAssertEqual(after.sdks.first { $0.id == "facebook" }?.status, .granted)
        XCTAssertEqual(after.permissions.first { $0.id == "camera" }?.status, .denied)
        let log = try gk.log()
        XCTAssertTrue(log.contains { $0.subject == "permission:camera" && $0.verdict == .deny && $0.reason == .recentlyDenied })

        // The ledger is intact and the receipts carry the sources.
        XCTAssertTrue(try gk.verify().ok)
        let receipts = try gk.export().receipts
        XCTAssertEqual(receipts.first { $0.event == .policyAccepted }?.source, "first_run_dialog")
        XCTAssertEqual(receipts.last?.event, .withdrawn)
    }

    // MARK: - Typed errors

    func testTypedErrors() throws {
        let clock = TestClock(start)

        XCTAssertThrowsError(try Gatekeeper.open(dbPath: dbPath, manifestJson: "{}", options: GatekeeperOptions())) { error in
            guard case GatekeeperError.InvalidManifest(let message) = error else {
                return XCTFail("expected InvalidManifest, got \(error)")
            }
            XCTAssertTrue(message.contains("schema"), message)
        }

        let gk = try open(clock)
        _ = try gk.setProfile(country: "CN", age: 30)

        XCTAssertThrowsError(try gk.grant(purposes: ["mind_reading"], sdks: [], separate: false, byGuardian: false, source: "settings")) { error in
            guard case GatekeeperError.UnknownId(let message) = error else {
                return XCTFail("expected UnknownId, got \(error)")
            }
            XCTAssertTrue(message.contains("mind_reading"), message)
        }
        XCTAssertThrowsError(try gk.setProfile(country: "China", age: nil)) { error in
            guard case GatekeeperError.InvalidArgument = error else {
                return XCTFail("expected InvalidArgument, got \(error)")
            }
        }
        XCTAssertThrowsError(try gk.acceptPolicy(byGuardian: false, source: "not a valid source!")) { error in
            guard case GatekeeperError.InvalidArgument = error else {
                return XCTFail("expected InvalidArgument, got \(error)")
            }
        }
        // A negative age is refused without repeating the value.
        XCTAssertThrowsError(try gk.setProfile(country: "CN", age: -1)) { error in
            guard case GatekeeperError.InvalidArgument(let message) = error else {
                return XCTFail("expected InvalidArgument, got \(error)")
            }
            XCTAssertFalse(message.contains("-1"), message)
        }
        XCTAssertEqual(gk.decideSdk(id: "tiktok").reason, .unknownSubject)
        gk.closeStore()

        // The store was made for policy "phocol"; another policy id is refused.
        let other = exampleManifest().replacingOccurrences(of: "\"id\": \"phocol\"", with: "\"id\": \"other_app\"")
        XCTAssertThrowsError(try open(clock, manifest: other)) { error in
            guard case GatekeeperError.PolicyMismatch = error else {
                return XCTFail("expected PolicyMismatch, got \(error)")
            }
        }
    }

    // MARK: - The manifest and change sequence numbers

    func testManifestListsPermissionsAndSdks() throws {
        let gk = try open(TestClock(start))
        defer { gk.closeStore() }
        let manifest = gk.manifest()
        XCTAssertEqual(manifest.policyId, "phocol")
        XCTAssertEqual(manifest.version, "3.1")
        XCTAssertEqual(manifest.permissions.map(\.id), ["camera", "location", "photos", "microphone", "contacts", "bluetooth"])
        XCTAssertEqual(manifest.permissions.first { $0.id == "camera" }?.ios, ["NSCameraUsageDescription"])
        XCTAssertEqual(manifest.permissions.first { $0.id == "camera" }?.android, ["android.permission.CAMERA"])
        XCTAssertEqual(manifest.sdks.map(\.id), [
            "mmkv", "matisse", "zoho_mobilisten", "google_pay", "firebase_crashlytics", "google_sign_in",
            "facebook_login", "facebook", "sensors_analytics", "huawei_push", "amap", "firebase_analytics",
        ])
        let facebook = try XCTUnwrap(manifest.sdks.first { $0.id == "facebook" })
        XCTAssertEqual(facebook.role, .independent)
        XCTAssertEqual(facebook.vendorCountry, "US")
        XCTAssertEqual(manifest.purposes.first { $0.id == "analytics" }?.basis, .consent)
    }

    func testChangesCarryOneSequencePerWriteInCommitOrder() throws {
        let gk = try open(TestClock(start))
        defer { gk.closeStore() }
        _ = try gk.setProfile(country: "CN", age: 30) // write 1: nothing changes
        let accepted = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let granted = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(Set(accepted.map(\.sequence)), [2])
        XCTAssertEqual(Set(granted.map(\.sequence)), [3])
    }

    func testLintAndExampleManifest() {
        XCTAssertTrue(lintManifest(manifestJson: exampleManifest()).ok)
        let report = lintManifest(manifestJson: "{}")
        XCTAssertFalse(report.ok)
        XCTAssertTrue(report.errors.contains { $0.message.contains("schema") })
    }

    // MARK: - Persistence

    func testChoicesPersistAcrossReopen() throws {
        let clock = TestClock(start)
        var gk: Gatekeeper? = try consentedUser(clock)
        _ = try gk!.recordPermissionResult(permission: "camera", result: .denied)
        let events = try gk!.state().events
        gk!.closeStore()
        gk = nil

        let reopened = try open(clock)
        defer { reopened.closeStore() }
        let state = try reopened.state()
        XCTAssertTrue(state.policyAccepted)
        XCTAssertEqual(state.country, "CN")
        XCTAssertEqual(state.age, 30)
        XCTAssertEqual(state.events, events)
        XCTAssertEqual(state.purposes.first { $0.id == "analytics" }?.status, .granted)
        XCTAssertEqual(reopened.decideSdk(id: "sensors_analytics").verdict, .allow)
        XCTAssertEqual(reopened.decidePermission(id: "camera", trigger: .userAction).reason, .recentlyDenied)
        XCTAssertTrue(try reopened.verify().ok)
    }

    // MARK: - Threads

    func testConcurrentAccessFromManyThreads() throws {
        let clock = TestClock(start)
        let gk = try consentedUser(clock)
        defer { gk.closeStore() }
        let before = try gk.state().events
        let failures = FailureLog()

        DispatchQueue.concurrentPerform(iterations: 16) { i in
            do {
                if i % 2 == 0 {
                    _ = try gk.grant(purposes: ["personalised_ads"], sdks: [], separate: false, byGuardian: false, source: "settings")
                } else {
                    _ = try gk.recordPermissionResult(permission: "camera", result: .granted)
                }
                let d = gk.decideSdk(id: "sensors_analytics")
                let many = gk.decideMany(subjects: [.sdk(id: "mmkv"), .permission(id: "camera", trigger: .userAction), .purpose(id: "analytics")])
                if d.verdict != .allow || many.count != 3 || many.contains(where: { $0.verdict != .allow }) {
                    failures.add("iteration \(i): unexpected decision")
                }
            } catch {
                failures.add("iteration \(i): \(error)")
            }
        }

        XCTAssertEqual(failures.all, [])
        let state = try gk.state()
        XCTAssertEqual(state.events, before + 16)
        XCTAssertTrue(state.ledgerIntact)
        XCTAssertTrue(try gk.verify().ok)
    }

    // MARK: - closeStore (the core's close; the object itself is freed on deinit)

    func testCloseStoreFailsClosed() throws {
        let gk = try consentedUser(TestClock(start))
        XCTAssertEqual(gk.decideSdk(id: "sensors_analytics").verdict, .allow)

        gk.closeStore()
        gk.closeStore() // closing twice is harmless

        let d = gk.decideSdk(id: "sensors_analytics")
        XCTAssertEqual(d.verdict, .deny)
        XCTAssertEqual(d.reason, .storeUnavailable)
        XCTAssertThrowsError(try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")) { error in
            guard case GatekeeperError.Closed = error else {
                return XCTFail("expected Closed, got \(error)")
            }
        }
        XCTAssertThrowsError(try gk.state())
    }
}
