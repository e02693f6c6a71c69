// SDKGate: batched SDK decisions kept until they can change, and changes applied in commit order.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// Counts the calls that cross the FFI for decisions; everything is delegated.
final class CountingGatekeeper: GatekeeperProtocol, @unchecked Sendable {
    let inner: Gatekeeper
    private let lock = NSLock()
    private var batches = 0, subjects = 0, singles = 0

    /// Called after each `decideSdk` answer, before it is returned (a change racing a lookup).
    var afterDecideSdk: (() -> Void)?

    init(_ inner: Gatekeeper) { self.inner = inner }

    var decideManyCalls: Int { lock.lock(); defer { lock.unlock() }; return batches }
    var subjectsDecided: Int { lock.lock(); defer { lock.unlock() }; return subjects }
    var singleDecisions: Int { lock.lock(); defer { lock.unlock() }; return singles }

    func decideMany(subjects list: [DecisionSubject]) -> [Decision] {
        lock.lock(); batches += 1; subjects += list.count; lock.unlock()
        return inner.decideMany(subjects: list)
    }

    func decideSdk(id: String) -> Decision {
        lock.lock(); singles += 1; lock.unlock()
        let d = inner.decideSdk(id: id)
        afterDecideSdk?()
        return d
    }
    func decidePermission(id: String, trigger: Trigger) -> Decision { lock.lock(); singles += 1; lock.unlock(); return inner.decidePermission(id: id, trigger: trigger) }
    func decidePurpose(id: String) -> Decision { lock.lock(); singles += 1; lock.unlock(); return inner.decidePurpose(id: id) }
    func acceptPolicy(byGuardian: Bool, source: String) throws -> [DecisionChange] { try inner.acceptPolicy(byGuardian: byGuardian, source: source) }
    func closeStore() { inner.closeStore() }
    func deny(purposes: [String], sdks: [String], source: String, byGuardian: Bool) throws -> [DecisionChange] {
        try inner.deny(purposes: purposes, sdks: sdks, source: source, byGuardian: byGuardian)
    }
    func erase() throws -> [DecisionChange] { try inner.erase() }
    func export() throws -> ExportDocument { try inner.export() }
    func flush() throws { try inner.flush() }
    func grant(purposes: [String], sdks: [String], separate: Bool, byGuardian: Bool, source: String) throws -> [DecisionChange] {
        try inner.grant(purposes: purposes, sdks: sdks, separate: separate, byGuardian: byGuardian, source: source)
    }
    func log() throws -> [LogEntry] { try inner.log() }
    func manifest() -> ManifestInfo { inner.manifest() }
    func disclose(lang: String?) throws -> Disclosure { try inner.disclose(lang: lang) }
    func recordPermissionResult(permission: String, result: PermissionResult) throws -> [DecisionChange] {
        try inner.recordPermissionResult(permission: permission, result: result)
    }
    func refresh() throws -> [DecisionChange] { try inner.refresh() }
    func setListener(listener: ChangeListener?) { inner.setListener(listener: listener) }
    func setProfile(country: String?, age: Int32?) throws -> [DecisionChange] { try inner.setProfile(country: country, age: age) }
    func state() throws -> ConsentState { try inner.state() }
    func verify() throws -> VerifyReport { try inner.verify() }
    func withdraw(purposes: [String], sdks: [String], source: String, byGuardian: Bool) throws -> [DecisionChange] {
        try inner.withdraw(purposes: purposes, sdks: sdks, source: source, byGuardian: byGuardian)
    }
    func consentMode() -> ConsentMode { inner.consentMode() }
    func declinePolicy(source: String) throws -> [DecisionChange] { try inner.declinePolicy(source: source) }
    func decideAccess(id: String, background: Bool) -> Decision {
        lock.lock(); singles += 1; lock.unlock()
        return inner.decideAccess(id: id, background: background)
    }
    func recordSdkStarted(id: String) throws { try inner.recordSdkStarted(id: id) }
    func recordSdkStopped(id: String) throws { try inner.recordSdkStopped(id: id) }
    func audit(graceSeconds: UInt32) throws -> AuditResult { try inner.audit(graceSeconds: graceSeconds) }
    func tcfImport(tcString: String, acString: String?, source: String) throws -> [DecisionChange] {
        try inner.tcfImport(tcString: tcString, acString: acString, source: source)
    }
}

/// What a gate told the app.
private final class GateRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var offs: [String] = [], ons: [String] = [], batches: [[DecisionChange]] = []
    var off: [String] { lock.lock(); defer { lock.unlock() }; return offs }
    var on: [String] { lock.lock(); defer { lock.unlock() }; return ons }
    var changes: [[DecisionChange]] { lock.lock(); defer { lock.unlock() }; return batches }

    var callbacks: SDKGate.Callbacks {
        SDKGate.Callbacks(
            switchOff: { id, _ in self.lock.lock(); self.offs.append(id); self.lock.unlock() },
            switchOn: { id, _ in self.lock.lock(); self.ons.append(id); self.lock.unlock() },
            changes: { c in self.lock.lock(); self.batches.append(c); self.lock.unlock() })
    }
}

final class SDKGateTests: StoreTestCase {
    func testStartUpDecidesEverySDKInOneCallAndThenAnswersFromMemory() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let gate = SDKGate(gatekeeper: counting, timeSource: clock)
        XCTAssertEqual(counting.decideManyCalls, 1, "one batch, over every SDK of the manifest")
        XCTAssertEqual(counting.subjectsDecided, Example.sdks.count)
        for _ in 0..<1000 { for id in Example.sdks { _ = gate.isAllowed(id) } }
        XCTAssertEqual(counting.decideManyCalls, 1, "no further FFI call")
        XCTAssertEqual(counting.singleDecisions, 0, "never one call per SDK")
        XCTAssertEqual(Set(Example.sdks.filter { gate.isAllowed($0) }), ["mmkv", "matisse", "facebook", "sensors_analytics"])
        for id in Example.sdks { XCTAssertEqual(gate.decision(id).outcome, gk.decideSdk(id: id).outcome, id) }
    }

    func testChangesInvalidateEntriesAndTellTheAppWhatToSwitchOffAndOn() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let app = GateRecorder()
        let gate = SDKGate(gatekeeper: counting, timeSource: clock, callbacks: app.callbacks, observing: gk.changeCenter)
        XCTAssertTrue(gate.isAllowed("sensors_analytics"))

        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        // In the call that withdrew, before the app asks anything.
        XCTAssertEqual(app.off, ["facebook", "sensors_analytics"])
        XCTAssertEqual(app.on, [])
        XCTAssertEqual(app.changes.map { $0.map(\.subject) }, [["sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"]])
        XCTAssertEqual(counting.decideManyCalls, 1, "invalidation alone crosses no FFI")

        XCTAssertFalse(gate.isAllowed("sensors_analytics"))
        XCTAssertEqual(gate.decision("facebook").reason, .consentWithdrawn)
        XCTAssertEqual(counting.decideManyCalls, 2, "the three invalidated entries, in one batch")
        XCTAssertEqual(counting.subjectsDecided, Example.sdks.count + 3)

        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(app.on, ["facebook", "sensors_analytics"])
        XCTAssertTrue(gate.isAllowed("facebook"))

        // Once it stops observing, it hears nothing.
        gate.stopObserving()
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(app.off.count, 2)
    }

    func testEntriesPastValidUntilAreDecidedAgainOnlyThoseInOneBatch() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let gate = SDKGate(gatekeeper: counting, timeSource: clock)
        let until = try XCTUnwrap(gate.decision("sensors_analytics").validUntil)
        XCTAssertEqual(until, testEpoch.addingTimeInterval(395 * day), "consent_ttl_days")
        XCTAssertNil(gate.decision("mmkv").validUntil)

        clock.set(until.addingTimeInterval(-0.001))
        XCTAssertTrue(gate.isAllowed("sensors_analytics"))
        XCTAssertEqual(counting.decideManyCalls, 1, "still valid 1 ms before")

        clock.set(until)
        XCTAssertFalse(gate.isAllowed("sensors_analytics"))
        XCTAssertEqual(gate.decision("sensors_analytics").reason, .consentExpired)
        XCTAssertEqual(counting.decideManyCalls, 2)
        XCTAssertEqual(counting.subjectsDecided, Example.sdks.count + 2, "the two entries with a validUntil")
        XCTAssertTrue(gate.isAllowed("mmkv"))
        XCTAssertEqual(counting.decideManyCalls, 2, "mmkv has no validUntil: never re-decided")
    }

    func testAChangeWithALowerSequenceThanOneAppliedIsDropped() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let app = GateRecorder()
        let gate = SDKGate(gatekeeper: gk, sdkIds: ["sensors_analytics"], timeSource: clock, callbacks: app.callbacks)
        let withdrawal = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        let regrant = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let rewithdrawal = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")

        // Delivered out of order: the newest first, then the two older ones.
        XCTAssertEqual(gate.applyChanges(rewithdrawal), rewithdrawal)
        XCTAssertEqual(gate.applyChanges(regrant), [], "older than what was applied: dropped")
        XCTAssertEqual(gate.applyChanges(withdrawal), [])
        XCTAssertEqual(app.on, [], "a late, older allow never switches an SDK back on")
        XCTAssertEqual(app.off, ["facebook", "sensors_analytics"], "from the newest withdrawal, in manifest order")
        XCTAssertFalse(gate.isAllowed("sensors_analytics"))
        // The same list again is not stale (same sequence): applied again.
        XCTAssertEqual(gate.applyChanges(rewithdrawal), rewithdrawal)
        XCTAssertEqual(gate.decision("unknown_sdk").reason, .unknownSubject, "an id it was not given: decided, never allowed")
    }
}
