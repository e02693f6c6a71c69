// Typed errors (contract §2, §6, §7, §8): each a `GatekeeperError` case carrying the core's
// message, which names what was wrong and where; `localizedDescription` and `description`
// are that message.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class ErrorsTests: StoreTestCase {
    private func open(_ manifest: String, name: String = "gk.db") throws -> Gatekeeper {
        try Gatekeeper.open(dbPath: path(name), manifestJson: manifest, timeSource: ManualClock())
    }

    func testAnInvalidManifestListsEveryProblemWithItsPath() throws {
        let bad = miniManifest
            .replacingOccurrences(of: "\"version\": \"1.0\"", with: "\"version\": \"one\"")
            .replacingOccurrences(of: "\"basis\": \"consent\"", with: "\"basis\": \"whim\"")
            .replacingOccurrences(of: "\"vendor\": \"T Inc.\",", with: "\"vendor\": \"T Inc.\", \"colour\": \"red\",")
            .replacingOccurrences(of: "\"purposes\": [\"analytics\"]", with: "\"purposes\": [\"ads\"]")
        let error = try XCTUnwrap(gatekeeperError { _ = try open(bad) })
        guard case let .InvalidManifest(message) = error else { return XCTFail("expected InvalidManifest, got \(error)") }
        XCTAssertTrue(message.contains("4 problem(s)"), message)
        for path in ["/policy/version", "/purposes/1/basis", "/sdks/0/colour", "/sdks/0/purposes/0"] {
            XCTAssertTrue(message.contains(path), "\(path) missing from: \(message)")
        }
        XCTAssertTrue(message.contains("`ads` is not a declared purpose"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("gk.db")), "nothing is created for an invalid manifest")
    }

    func testTheMessageIsTheDescriptionAndTheLocalizedDescription() throws {
        let error = try XCTUnwrap(gatekeeperError { _ = try open("{\"schema\": 1,") })
        guard case let .InvalidManifest(message) = error else { return XCTFail("expected InvalidManifest, got \(error)") }
        XCTAssertTrue(message.contains("invalid JSON"), message)
        XCTAssertEqual(error.message, message)
        XCTAssertEqual(error.localizedDescription, message)
        XCTAssertEqual((error as NSError).localizedDescription, message)
        XCTAssertEqual("\(error)", message)
        XCTAssertEqual(error.code, "invalid_manifest")
        // Any Swift `Error` handler sees the same text.
        let any: Error = error
        XCTAssertEqual(any.localizedDescription, message)
    }

    func testUnknownIdsAreTypedErrorsNamingTheIdAndRecordNothing() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let before = try gk.state().events

        let purpose = gatekeeperError {
            _ = try gk.grant(purposes: ["analytics", "telepathy"], sdks: [], separate: false, byGuardian: false, source: "settings")
        }
        let sdk = gatekeeperError { _ = try gk.withdraw(purposes: [], sdks: ["tiktok_sdk"], source: "settings") }
        let permission = gatekeeperError { _ = try gk.recordPermissionResult(permission: "xray_vision", result: .granted) }
        for (error, expected) in [(purpose, "purpose id `telepathy`"), (sdk, "sdk id `tiktok_sdk`"), (permission, "permission id `xray_vision`")] {
            guard case let .UnknownId(message)? = error else { XCTFail("expected UnknownId, got \(String(describing: error))"); continue }
            XCTAssertTrue(message.contains(expected), message)
        }

        XCTAssertEqual(try gk.state().events, before, "nothing was recorded")
        XCTAssertEqual(try gk.state().purposes.first { $0.id == "analytics" }?.status, .undecided)
        // Deciding an unknown id is not an error: it fails closed.
        let d = gk.decideSdk(id: "tiktok_sdk")
        XCTAssertEqual(d.verdict, .deny)
        XCTAssertEqual(d.reason, .unknownSubject)
        XCTAssertEqual(gk.decidePermission(id: "xray_vision").reason, .unknownSubject)
        XCTAssertEqual(gk.decidePurpose(id: "telepathy").reason, .unknownSubject)
    }

    func testMalformedArgumentsAreInvalidArgumentWithoutEchoingProfileValues() throws {
        let gk = try openExample(ManualClock())
        guard case let .InvalidArgument(country)? = gatekeeperError({ _ = try gk.setProfile(country: "China", age: 30) }) else {
            return XCTFail("expected InvalidArgument")
        }
        XCTAssertTrue(country.contains("country"), country)
        guard case let .InvalidArgument(source)? = gatekeeperError({ _ = try gk.acceptPolicy(byGuardian: false, source: "first run!") }) else {
            return XCTFail("expected InvalidArgument")
        }
        XCTAssertTrue(source.contains("source"), source)
        guard case let .InvalidArgument(age)? = gatekeeperError({ _ = try gk.setProfile(country: "CN", age: -1) }) else {
            return XCTFail("expected InvalidArgument")
        }
        XCTAssertTrue(age.contains("age"), age)
        XCTAssertFalse(age.contains("-1"), "the message must not repeat the profile value: \(age)")
        XCTAssertEqual(try gk.state().events, 0)
        _ = try gk.setProfile(country: "CN", age: 0)
        XCTAssertEqual(try gk.state().age, 0)
    }

    func testAStoreInADirectoryThatDoesNotExistIsAStorageErrorNamingThePath() throws {
        let missing = dir.appendingPathComponent("no-such-dir/deeper/gk.db").path
        guard case let .Storage(message)? = gatekeeperError({
            _ = try Gatekeeper.open(dbPath: missing, manifestJson: miniManifest)
        }) else { return XCTFail("expected Storage") }
        XCTAssertTrue(message.contains(missing), message)
    }

    func testAStoreMadeForAnotherPolicyIdIsRefusedAndLeftAlone() throws {
        do {
            let gk = try openExample(ManualClock(), name: "app.db")
            _ = try gk.setProfile(country: "CN", age: 30)
            gk.closeStore()
        }
        guard case let .PolicyMismatch(message)? = gatekeeperError({ _ = try open(miniManifest, name: "app.db") }) else {
            return XCTFail("expected PolicyMismatch")
        }
        XCTAssertTrue(message.contains("`phocol`") && message.contains("`mini`"), message)
        XCTAssertTrue(message.contains("app.db"), message)
        // The right policy still opens it, with its event.
        XCTAssertEqual(try openExample(ManualClock(), name: "app.db").state().events, 1)
    }

    func testAStoreWrittenByANewerSchemaIsRefusedAndLeftByteForByte() throws {
        do {
            let gk = try openExample(ManualClock(), name: "newer.db")
            _ = try gk.setProfile(country: "CN", age: 30)
            gk.closeStore()
        }
        // A newer build's file: SQLite's `user_version` (big-endian, at byte 60 of the header)
        // set far beyond this build's schema. Closing the last connection checkpointed the WAL.
        let url = URL(fileURLWithPath: path("newer.db"))
        var bytes = try Data(contentsOf: url)
        XCTAssertEqual(String(decoding: bytes.prefix(15), as: UTF8.self), "SQLite format 3")
        bytes.replaceSubrange(60..<64, with: [0, 0, 0, 99])
        try bytes.write(to: url)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path("newer.db") + suffix) }

        guard case let .NewerSchema(message)? = gatekeeperError({ _ = try openExample(ManualClock(), name: "newer.db") }) else {
            return XCTFail("expected NewerSchema")
        }
        XCTAssertTrue(message.contains("99"), message)
        XCTAssertTrue(message.contains("left untouched"), message)
        XCTAssertEqual(try Data(contentsOf: url), bytes, "the file is left byte for byte as it was")
    }

    func testAClosedStoreFailsClosedAndWritesThrowClosed() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        XCTAssertEqual(gk.decideSdk(id: "sensors_analytics").verdict, .allow)

        gk.closeStore()
        let later = clock.advance(by: 300)
        for d in [gk.decideSdk(id: "mmkv"), gk.decidePermission(id: "camera"), gk.decidePurpose(id: "essential")] {
            XCTAssertEqual(d.verdict, .deny, d.subject)
            XCTAssertEqual(d.reason, .storeUnavailable, d.subject)
            XCTAssertEqual(d.decidedAt, later, "the injected clock, also when closed")
            XCTAssertEqual(d.policyVersion, "3.1")
        }
        let many = gk.decideMany(subjects: Example.everything)
        XCTAssertEqual(many.count, Example.everything.count)
        XCTAssertTrue(many.allSatisfy { $0.verdict == .deny && $0.reason == .storeUnavailable })

        let calls: [(String, () throws -> Void)] = [
            ("setProfile", { _ = try gk.setProfile(country: "CN", age: 30) }),
            ("acceptPolicy", { _ = try gk.acceptPolicy(byGuardian: false, source: "settings") }),
            ("grant", { _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings") }),
            ("deny", { _ = try gk.deny(purposes: ["analytics"], sdks: [], source: "settings") }),
            ("withdraw", { _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings") }),
            ("recordPermissionResult", { _ = try gk.recordPermissionResult(permission: "camera", result: .granted) }),
            ("erase", { _ = try gk.erase() }),
            ("state", { _ = try gk.state() }),
            ("log", { _ = try gk.log() }),
            ("export", { _ = try gk.export() }),
            ("verify", { _ = try gk.verify() }),
            ("flush", { try gk.flush() }),
        ]
        for (name, call) in calls {
            guard case let .Closed(message)? = gatekeeperError(call) else { XCTFail("\(name): expected Closed"); continue }
            XCTAssertTrue(message.contains("closed"), "\(name): \(message)")
        }
        gk.closeStore() // closing twice is harmless
        XCTAssertEqual(gk.decideSdk(id: "mmkv").reason, .storeUnavailable)
    }
}
