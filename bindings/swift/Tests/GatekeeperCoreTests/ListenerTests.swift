// The change listener (contract §5), implemented in Swift and called by the Rust core:
// which calls reach it, with exactly which subjects, on which thread.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class ListenerTests: StoreTestCase {
    func testAcceptingThePolicyReportsEverySDKAndPermissionWhoseDecisionChanged() throws {
        let gk = try openExample(ManualClock())
        let l = RecordingListener()
        gk.setListener(listener: l)
        _ = try gk.setProfile(country: "CN", age: 30)
        XCTAssertEqual(l.calls.count, 0, "no verdict changed, so no call")
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(l.calls.count, 1)
        let changes = try XCTUnwrap(l.calls.first)
        XCTAssertEqual(changes.map(\.subject), Example.sdks.map { "sdk:\($0)" } + Example.permissions.map { "permission:\($0)" })
        for c in changes {
            XCTAssertEqual(c.old.subject, c.subject)
            XCTAssertEqual(c.new.subject, c.subject)
            XCTAssertEqual(c.old.reason, .policyNotAccepted)
            XCTAssertNotEqual(c.old.reason, c.new.reason)
        }
        XCTAssertEqual(Set(changes.filter { $0.new.verdict == .allow }.map(\.subject)), [
            "sdk:mmkv", "sdk:matisse", "permission:camera", "permission:photos", "permission:microphone",
            "permission:contacts", "permission:bluetooth",
        ])
    }

    func testWithdrawingAnalyticsReportsExactlyItsSDKsAllowToDeny() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        _ = try gk.grant(purposes: ["analytics"], sdks: ["facebook", "firebase_analytics"], separate: true, byGuardian: false, source: "first_run_dialog")
        let l = RecordingListener()
        gk.setListener(listener: l)
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(l.calls.count, 1)
        let changes = try XCTUnwrap(l.calls.first)
        XCTAssertEqual(changes.map(\.subject), ["sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"])
        XCTAssertTrue(changes.allSatisfy { $0.old.verdict == .allow && $0.new.verdict == .deny && $0.new.reason == .consentWithdrawn })
        // Withdrawing facebook's own grant as well leaves it at deny/consent_withdrawn: no call.
        _ = try gk.withdraw(purposes: [], sdks: ["facebook"], source: "settings")
        XCTAssertEqual(l.calls.count, 1)
    }

    func testPermissionResultsAndRepeatsAreReportedOnlyWhenSomethingChanged() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let l = RecordingListener()
        gk.setListener(listener: l)
        _ = try gk.recordPermissionResult(permission: "photos", result: .deniedPermanently)
        XCTAssertEqual(l.calls.map { $0.map(\.subject) }, [["permission:photos"]])
        XCTAssertEqual(l.calls.first?.first?.new.reason, .deniedPermanently)
        _ = try gk.recordPermissionResult(permission: "photos", result: .granted)
        XCTAssertEqual(l.calls.count, 2)
        XCTAssertEqual(l.calls.last?.first?.new.verdict, .allow)
        // A repeated grant changes nothing and is not reported.
        _ = try gk.grant(purposes: ["push_notifications"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let calls = l.calls.count
        XCTAssertEqual(try gk.grant(purposes: ["push_notifications"], sdks: [], separate: false, byGuardian: false, source: "settings"), [])
        XCTAssertEqual(l.calls.count, calls)
    }

    func testChangesCarryOneSequenceNumberPerWriteInCommitOrder() throws {
        let gk = try openExample(ManualClock())
        let l = RecordingListener()
        gk.setListener(listener: l)
        _ = try gk.setProfile(country: "CN", age: 30) // write 1: nothing reported
        let accepted = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog") // write 2
        let granted = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings") // write 3
        XCTAssertEqual(Set(accepted.map(\.sequence)), [2])
        XCTAssertEqual(Set(granted.map(\.sequence)), [3])
        XCTAssertEqual(l.calls.map { Set($0.map(\.sequence)) }, [[2], [3]])
    }

    func testTheListenerIsCalledOnTheWritingThreadAndMayCallBackIntoTheGatekeeper() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        let seen = RecordingListener()
        // Called by the core after it released its lock: calling back in does not deadlock.
        gk.setListener(listener: ClosureChangeListener { changes in
            try seen.onChange(changes: changes)
            XCTAssertEqual(gk.decideSdk(id: "mmkv").verdict, .allow)
        })
        let done = DispatchSemaphore(value: 0)
        let writer = Thread {
            _ = try? gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
            done.signal()
        }
        writer.start()
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(seen.calls.count, 1)
        XCTAssertTrue(seen.callThreads.first === writer, "the core calls the listener on the thread that wrote")
        XCTAssertFalse(seen.callThreads.first?.isMainThread ?? true)
        XCTAssertTrue(try gk.state().policyAccepted)
    }

    func testAThrowingListenerDoesNotUndoOrFailTheWrite() throws {
        struct AppBug: Error {}
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        gk.setListener(listener: ClosureChangeListener { _ in throw AppBug() })
        let changes = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertFalse(changes.isEmpty)
        XCTAssertTrue(try gk.state().policyAccepted)
        XCTAssertEqual(gk.decideSdk(id: "mmkv").verdict, .allow)
    }

    func testSetListenerReplacesTheOneListenerAndNilRemovesIt() throws {
        let clock = ManualClock()
        let gk = try openExample(clock)
        _ = try gk.setProfile(country: "CN", age: 30)
        let a = RecordingListener(), b = RecordingListener()
        gk.setListener(listener: a)
        gk.setListener(listener: b)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertEqual(a.calls.count, 0)
        XCTAssertEqual(b.calls.count, 1)
        gk.setListener(listener: nil)
        _ = try gk.recordPermissionResult(permission: "camera", result: .denied)
        XCTAssertEqual(b.calls.count, 1)
        // The re-prompt window ending is a change by time alone: no write, no call.
        clock.advance(by: 49 * hour)
        XCTAssertEqual(gk.decidePermission(id: "camera").verdict, .allow)
        XCTAssertEqual(b.calls.count, 1)
    }
}
