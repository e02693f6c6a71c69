// The IAB TCF bridge from Swift (contract section 11): tcfDecode, tcfImport, consentMode, and
// the TCFImporter over a real (suite-named) UserDefaults.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// UMP-style TC strings (CMP 300, TCF v2.2, service-specific, a disclosed vendors segment),
/// encoded by the core's encoder from the fields named (core/tests/common/tcf.rs, `Ump`); the
/// same strings as the Kotlin tests' `TcStrings`.
enum TCStrings {
    /// 2026-01-01: purposes 1-11, special features 1-2, vendor 755 (Google).
    static let all = "CQdWToAQdWToAEsACBENBQEsAP_gAAAAAAYgF5wAQF5gAAAA.IF5wAQF5gA"
    /// 2026-01-01: "analytics only", purposes 1, 8, 9, 10 and vendor 755.
    static let analytics = "CQdWToAQdWToAEsACBENBQEsAIHAAAAAAAYgF5wAQF5gAAAA.IF5wAQF5gA"
    /// 2026-01-02: nothing consented.
    static let refuse = "CQdZmkAQdZmkAEsACBENBQEgAAAAAAAAAAYgAAAAAAAA.IF5wAQF5gA"
    /// `all`, but TcfPolicyVersion 3 (TCF v2.1).
    static let outdated = "CQdWToAQdWToAEsACBENBQDsAP_gAAAAAAYgF5wAQF5gAAAA.IF5wAQF5gA"
    /// Meta (Additional Consent provider 89) consented.
    static let acMeta = "2~89~dv.2.3"
}

final class TCFTests: StoreTestCase {
    private let allDenied = ConsentMode(adStorage: .denied, analyticsStorage: .denied, adUserData: .denied,
                                        adPersonalization: .denied)
    private var defaults: UserDefaults!
    private var suite: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        suite = "dev.gatekeeper.tests.\(UUID().uuidString)"
        defaults = UserDefaults(suiteName: suite)
    }

    override func tearDownWithError() throws {
        defaults.removePersistentDomain(forName: suite)
        try super.tearDownWithError()
    }

    /// What a CMP does on Apple platforms: set the value; Apple's Foundation then posts
    /// `UserDefaults.didChangeNotification`. Linux's Foundation does not post it, so the
    /// test does, as the one thing the platform would add.
    private func cmpWrites(_ value: Any?, _ key: String) {
        if let value { defaults.set(value, forKey: key) } else { defaults.removeObject(forKey: key) }
        #if !canImport(Darwin)
        NotificationCenter.default.post(name: UserDefaults.didChangeNotification, object: defaults)
        #endif
    }

    private func eeaUser(_ clock: ManualClock = ManualClock(), name: String = "gatekeeper.db") throws -> Gatekeeper {
        let gk = try openExample(clock, name: name)
        _ = try gk.setProfile(country: "DE", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        return gk
    }

    func testTcfDecodeGivesTheFieldsAsATypedRecord() throws {
        let tc = try tcfDecode(tcString: TCStrings.analytics)
        XCTAssertEqual(tc.version, 2)
        XCTAssertEqual(tc.cmpId, 300)
        XCTAssertEqual(tc.tcfPolicyVersion, 4)
        XCTAssertEqual(tc.purposeConsents, [1, 8, 9, 10])
        XCTAssertEqual(tc.vendorConsents, [755])
        XCTAssertEqual(tc.disclosedVendors, [755])
        XCTAssertNil(tc.allowedVendors)
        XCTAssertNil(tc.publisherTc)
        XCTAssertEqual(tc.lastUpdated, testEpoch)
        XCTAssertEqual(tc.freshUntil, Date(timeIntervalSince1970: 1_801_440_000), "2027-02-01T00:00:00Z")
        guard case let .TcfInvalid(message)? = gatekeeperError({ _ = try tcfDecode(tcString: "COtybn4PA_zT4KjACBENAPC") })
        else { return XCTFail("expected TcfInvalid") }
        XCTAssertTrue(message.hasPrefix("invalid TC string: segment 1 (core)"), message)
        XCTAssertFalse(message.contains("COtybn4PA"), message)
    }

    func testAUMPStyleImportGrantsExactlyTheMappedPurposesAndVendorsAndConsentModeFollows() throws {
        let gk = try eeaUser()
        XCTAssertEqual(gk.consentMode(), allDenied)
        let listener = RecordingListener()
        gk.setListener(listener: listener)
        let changes = try gk.tcfImport(tcString: TCStrings.analytics, acString: TCStrings.acMeta, source: "tcf_cmp")
        XCTAssertEqual(listener.calls.count, 1, "one notification for the whole import")
        XCTAssertEqual(Set(changes.map(\.subject)), ["sdk:facebook", "sdk:firebase_analytics", "sdk:sensors_analytics"])
        XCTAssertTrue(gk.decideSdk(id: "firebase_analytics").isAllowed)
        XCTAssertTrue(gk.decideSdk(id: "facebook").isAllowed)
        let ads = gk.decidePurpose(id: "personalised_ads")
        XCTAssertEqual([ads.verdict.code, ads.reason.code], ["deny", "consent_denied"])
        XCTAssertEqual(gk.consentMode(), ConsentMode(adStorage: .denied, analyticsStorage: .granted, adUserData: .denied,
                                                     adPersonalization: .denied))
        XCTAssertEqual(try gk.tcfImport(tcString: TCStrings.analytics, acString: TCStrings.acMeta, source: "tcf_cmp"), [],
                       "the same strings again record nothing")
        _ = try gk.tcfImport(tcString: TCStrings.all, acString: nil, source: "tcf_cmp")
        XCTAssertFalse(gk.decideSdk(id: "facebook").isAllowed, "no AC string: the AC provider's SDK is denied")
        XCTAssertEqual(gk.consentMode().adPersonalization, .granted)
    }

    func testStaleOutdatedAndMalformedStringsAreTypedErrorsThatRecordNothing() throws {
        let clock = ManualClock()
        let gk = try eeaUser(clock)
        let events = try gk.verify().events
        // Just after 13 months (1.5 ms: a Double holds no instant exactly 1 ms after it).
        clock.set(Date(timeIntervalSince1970: 1_801_440_000.0015))
        guard case let .TcfStale(message)? = gatekeeperError({
            _ = try gk.tcfImport(tcString: TCStrings.all, acString: nil, source: "tcf_cmp")
        }) else { return XCTFail("expected TcfStale") }
        XCTAssertTrue(message.contains("more than 13 months"), message)
        clock.set(testEpoch)
        XCTAssertEqual(gatekeeperError({ _ = try gk.tcfImport(tcString: TCStrings.outdated, acString: nil, source: "tcf_cmp") })?.code,
                       "tcf_policy_outdated")
        XCTAssertEqual(gatekeeperError({ _ = try gk.tcfImport(tcString: "not a TC string", acString: nil, source: "tcf_cmp") })?.code,
                       "tcf_invalid")
        XCTAssertEqual(gatekeeperError({ _ = try gk.tcfImport(tcString: TCStrings.all, acString: "3~1", source: "tcf_cmp") })?.code,
                       "tcf_invalid")
        XCTAssertEqual(try gk.verify().events, events)
        XCTAssertTrue(try gk.verify().ok)
        clock.set(Date(timeIntervalSince1970: 1_801_440_000))
        XCTAssertFalse(try gk.tcfImport(tcString: TCStrings.all, acString: nil, source: "tcf_cmp").isEmpty,
                       "at exactly 13 months it still counts")
    }

    func testTheImporterImportsWhatTheCMPStoresInUserDefaultsAndEveryChange() throws {
        let gk = try eeaUser()
        let errors = ErrorBox()
        let importer = TCFImporter(gatekeeper: gk, defaults: defaults, onError: { errors.add($0) })
        importer.start()
        XCTAssertEqual(gk.decideSdk(id: "firebase_analytics").verdict, .ask, "no string yet")
        cmpWrites(TCStrings.acMeta, IABTCFKeys.addtlConsent)
        cmpWrites(TCStrings.analytics, IABTCFKeys.tcString)
        XCTAssertTrue(gk.decideSdk(id: "firebase_analytics").isAllowed)
        XCTAssertTrue(gk.decideSdk(id: "facebook").isAllowed)
        let events = try gk.verify().events
        cmpWrites(300, "IABTCF_CmpSdkID")
        cmpWrites(TCStrings.analytics, IABTCFKeys.tcString)
        XCTAssertEqual(try gk.verify().events, events, "another key, or the same value again: nothing")
        cmpWrites(TCStrings.refuse, IABTCFKeys.tcString)
        XCTAssertEqual(gk.decideSdk(id: "firebase_analytics").verdict, .deny)
        XCTAssertEqual(gk.consentMode(), allDenied)
        cmpWrites(TCStrings.outdated, IABTCFKeys.tcString)
        XCTAssertEqual(errors.codes, ["tcf_policy_outdated"])
        importer.stop()
        cmpWrites(TCStrings.all, IABTCFKeys.tcString)
        XCTAssertEqual(gk.decideSdk(id: "firebase_analytics").verdict, .deny, "stopped: not heard")
        XCTAssertFalse(try importer.importNow().isEmpty, "importNow still imports on demand")
        XCTAssertTrue(gk.decideSdk(id: "firebase_analytics").isAllowed)
    }

    func testTheImporterWaitsWhileGDPRDoesNotApplyAndImportsWhatIsThereAtStart() throws {
        let gk = try eeaUser()
        cmpWrites(0, IABTCFKeys.gdprApplies)
        cmpWrites(TCStrings.all, IABTCFKeys.tcString)
        let importer = TCFImporter(gatekeeper: gk, defaults: defaults)
        importer.start()
        XCTAssertEqual(gk.decideSdk(id: "firebase_analytics").verdict, .ask)
        cmpWrites(1, IABTCFKeys.gdprApplies)
        XCTAssertTrue(gk.decideSdk(id: "firebase_analytics").isAllowed)
        cmpWrites(nil, IABTCFKeys.tcString)
        XCTAssertTrue(gk.decideSdk(id: "firebase_analytics").isAllowed, "a CMP reset records nothing")
        importer.stop()
    }

    func testTheImporterRunsImportsOnItsQueue() throws {
        let gk = try eeaUser()
        let queue = DispatchQueue(label: "dev.gatekeeper.tests.tcf")
        let importer = TCFImporter(gatekeeper: gk, defaults: defaults, queue: queue)
        importer.start()
        cmpWrites(TCStrings.analytics, IABTCFKeys.tcString)
        queue.sync {}
        XCTAssertTrue(gk.decideSdk(id: "firebase_analytics").isAllowed)
        importer.stop()
    }
}

/// Errors an importer reported, from any thread.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [GatekeeperError] = []

    func add(_ e: GatekeeperError) {
        lock.lock()
        errors.append(e)
        lock.unlock()
    }

    var codes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return errors.map(\.code)
    }
}
