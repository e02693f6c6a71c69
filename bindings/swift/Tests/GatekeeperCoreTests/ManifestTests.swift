// The policy as the app sees it (`manifest()`), and `lintManifest`, the CLI's `lint`.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class ManifestTests: StoreTestCase {
    func testManifestListsThePolicyPurposesPermissionsAndSDKs() throws {
        let gk = try openExample(ManualClock())
        let m = gk.manifest()
        XCTAssertEqual(m.policyId, "phocol")
        XCTAssertEqual(m.version, "3.1")
        XCTAssertFalse(m.controller.isEmpty)
        XCTAssertEqual(m.purposes.map(\.id), Example.purposes)
        XCTAssertEqual(m.purposes.first { $0.id == "analytics" }?.basis, .consent)
        XCTAssertEqual(m.purposes.first { $0.id == "location_services" }?.sensitive, true)
        XCTAssertEqual(m.permissions.map(\.id), Example.permissions)
        let camera = try XCTUnwrap(m.permissions.first { $0.id == "camera" })
        XCTAssertEqual(camera.ios, ["NSCameraUsageDescription"])
        XCTAssertEqual(camera.android, ["android.permission.CAMERA"])
        XCTAssertEqual(m.sdks.map(\.id), Example.sdks)
        let facebook = try XCTUnwrap(m.sdks.first { $0.id == "facebook" })
        XCTAssertEqual(facebook.role, .independent)
        XCTAssertEqual(facebook.vendorCountry, "US")
        XCTAssertTrue(facebook.purposes.contains("analytics"))
        XCTAssertEqual(m.sdks.first { $0.id == "mmkv" }?.role, .entrusted)
        XCTAssertEqual(m.sdks.first { $0.id == "matisse" }?.platforms.contains("ios"), false)
        // It describes the policy, not the user: the same after writes and after closeStore.
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(gk.manifest(), m)
        gk.closeStore()
        XCTAssertEqual(gk.manifest(), m)
    }

    func testLintListsEveryErrorWithItsJSONPointer() {
        XCTAssertTrue(lintManifest(manifestJson: exampleManifest()).ok)
        XCTAssertEqual(lintManifest(manifestJson: exampleManifest()).errors, [])
        XCTAssertTrue(lintManifest(manifestJson: miniManifest).ok)

        let bad = miniManifest
            .replacingOccurrences(of: "\"purposes\": [\"analytics\"]}]",
                                  with: "\"purposes\": [\"ads\"]}, {\"id\": \"tracker\", \"name\": \"Dup\", \"vendor\": \"T\", \"purposes\": []}]")
            .replacingOccurrences(of: "\"age_of_consent\": 16", with: "\"age_of_consent\": 40")
            .replacingOccurrences(of: "\"default_jurisdiction\": \"default\"", with: "\"default_jurisdiction\": \"nowhere\"")
        let report = lintManifest(manifestJson: bad)
        XCTAssertFalse(report.ok)
        let paths = report.errors.map(\.path)
        for p in ["/sdks/0/purposes/0", "/sdks/1/id", "/sdks/1/purposes", "/jurisdictions/0/age_of_consent", "/default_jurisdiction"] {
            XCTAssertTrue(paths.contains(p), "\(p) not in \(paths)")
        }
        XCTAssertTrue(report.errors.allSatisfy { !$0.message.isEmpty })
        XCTAssertEqual(report.errors.first { $0.path == "/sdks/0/purposes/0" }?.message.contains("ads"), true)

        let notJSON = lintManifest(manifestJson: "not json")
        XCTAssertFalse(notJSON.ok)
        XCTAssertEqual(notJSON.errors.map(\.path), [""])
    }

    func testVerdictAndReasonCodesAreTheContractsSpelling() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        _ = gk.decidePermission(id: "camera", trigger: .appLaunch)
        _ = gk.decidePermission(id: "camera", trigger: .background)
        _ = try gk.recordPermissionResult(permission: "camera", result: .denied)
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        _ = gk.decideMany(subjects: Example.everything + [.sdk(id: "nope")])
        let export = try gk.export()
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(export.json.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(json["decision_log"] as? [[String: Any]])
        XCTAssertEqual(rows.count, export.decisionLog.count)
        XCTAssertGreaterThan(Set(export.decisionLog.map(\.reason)).count, 6, "many reasons to compare")
        // The CLI's JSON and the Swift enums name each row's verdict and reason the same way.
        for (row, entry) in zip(rows, export.decisionLog) {
            XCTAssertEqual(row["verdict"] as? String, entry.verdict.code, entry.subject)
            XCTAssertEqual(row["reason"] as? String, entry.reason.code, entry.subject)
        }
        XCTAssertEqual(Reason.notUserInitiated.code, "not_user_initiated")
        XCTAssertEqual(Verdict.allow.code, "allow")
    }
}
