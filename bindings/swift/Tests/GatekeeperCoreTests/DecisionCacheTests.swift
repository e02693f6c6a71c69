// DecisionCache: hot-path decisions from memory, dropped by change notifications and at
// valid_until; purposes, data accesses and store_unavailable answers never kept.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// A clock that always fails: the cache must then treat every timed entry as expired.
private final class BrokenClock: TimeSource, @unchecked Sendable {
    struct Broken: Error {}
    func now() throws -> Date { throw Broken() }
}

/// What the threads of the concurrency test saw.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var withdrawn = false
    private(set) var lookups = 0, stale = 0

    var isWithdrawn: Bool { lock.lock(); defer { lock.unlock() }; return withdrawn }
    func markWithdrawn() { lock.lock(); withdrawn = true; lock.unlock() }
    /// Counts a lookup made after the withdrawal returned.
    func count(allowedAfterReturn: Bool) {
        lock.lock(); lookups += 1; if allowedAfterReturn { stale += 1 }; lock.unlock()
    }
}

final class DecisionCacheTests: StoreTestCase {
    func testAGrantIsServedFromMemoryUntilOneMillisecondBeforeValidUntilAndReAskedAtIt() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let cache = DecisionCache(gatekeeper: counting, timeSource: clock)
        defer { cache.close() }
        let first = cache.sdk("facebook")
        XCTAssertEqual(first.outcome, "allow consented")
        let until = try XCTUnwrap(first.validUntil, "a grant's allow carries its expiry")
        XCTAssertEqual(counting.singleDecisions, 1)

        for _ in 0..<1000 { _ = cache.sdk("facebook") }
        clock.set(until.addingTimeInterval(-0.001))
        XCTAssertEqual(cache.sdk("facebook").outcome, "allow consented")
        XCTAssertTrue(cache.isSDKAllowed("facebook"))
        XCTAssertEqual(counting.singleDecisions, 1, "hits never cross the FFI")
        XCTAssertEqual(cache.misses, 1)

        clock.set(until)
        XCTAssertEqual(cache.sdk("facebook").outcome, "ask consentExpired")
        XCTAssertEqual(counting.singleDecisions, 2, "at valid_until the core is asked again")
        XCTAssertEqual(cache.sdk("facebook").outcome, gk.decideSdk(id: "facebook").outcome)
    }

    func testAPermissionsRePromptWindowIsHonouredOnBothSidesOfItsEnd() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        _ = try gk.recordPermissionResult(permission: "camera", result: .denied)
        let counting = CountingGatekeeper(gk)
        let cache = DecisionCache(gatekeeper: counting, timeSource: clock)
        defer { cache.close() }
        let denied = cache.permission("camera")
        XCTAssertEqual(denied.outcome, "deny recentlyDenied")
        let until = try XCTUnwrap(denied.validUntil)
        XCTAssertEqual(until, testEpoch.addingTimeInterval(48 * hour))

        clock.set(until.addingTimeInterval(-0.001))
        XCTAssertEqual(cache.permission("camera").outcome, "deny recentlyDenied")
        XCTAssertEqual(counting.singleDecisions, 1)
        clock.set(until)
        XCTAssertEqual(cache.permission("camera").outcome, "allow notConsentBased")
        XCTAssertEqual(counting.singleDecisions, 2)
        // Triggers are cached apart: a launch-time prompt has its own answer.
        XCTAssertEqual(cache.permission("camera", trigger: .appLaunch).reason, .launchTimeRequest)
        XCTAssertEqual(counting.singleDecisions, 3)
    }

    func testAWithdrawalAndAGrantEachDropEveryEntryInTheCallThatWrote() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let cache = DecisionCache(gatekeeper: counting, timeSource: clock, observing: gk.changeCenter)
        XCTAssertEqual(cache.sdk("facebook").verdict, .allow)
        XCTAssertEqual(cache.sdk("sensors_analytics").verdict, .allow)
        XCTAssertEqual(cache.permission("camera").verdict, .allow)
        XCTAssertEqual(counting.singleDecisions, 3)

        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(cache.sdk("facebook").outcome, "deny consentWithdrawn")
        XCTAssertEqual(cache.sdk("sensors_analytics").outcome, "deny consentWithdrawn")
        XCTAssertEqual(cache.permission("camera").verdict, .allow)
        XCTAssertEqual(counting.singleDecisions, 6, "every entry was dropped, the camera's too")
        _ = cache.sdk("facebook")
        XCTAssertEqual(counting.singleDecisions, 6, "the new answers are kept")

        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(cache.sdk("sensors_analytics").outcome, "allow consented")
        XCTAssertEqual(counting.singleDecisions, 7, "a grant drops the entries too")

        // Closed, it no longer listens and keeps nothing: every lookup asks the core.
        cache.close()
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(cache.sdk("sensors_analytics").outcome, "deny consentWithdrawn")
        XCTAssertEqual(cache.sdk("sensors_analytics").outcome, "deny consentWithdrawn")
        XCTAssertEqual(counting.singleDecisions, 9)
    }

    func testTheConvenienceInitObservesTheGatekeepersChangeCenter() throws {
        let gk = try openConsented(ManualClock())
        let cache = DecisionCache(gatekeeper: gk, timeSource: ManualClock())
        defer { cache.close() }
        XCTAssertTrue(cache.isSDKAllowed("facebook"))
        _ = try gk.withdraw(purposes: [], sdks: ["facebook"], source: "settings")
        XCTAssertFalse(cache.isSDKAllowed("facebook"))
        XCTAssertEqual(cache.misses, 2)
    }

    func testEightThreadsSeeAWithdrawalFromTheMomentItReturns() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let cache = DecisionCache(gatekeeper: gk, timeSource: clock, observing: gk.changeCenter)
        defer { cache.close() }
        let tally = Tally()
        let done = DispatchGroup()
        let started = DispatchSemaphore(value: 0)
        for i in 0..<8 {
            done.enter()
            // Threads of their own (not a pool, which may run fewer at once than there are
            // tasks): every reader is looking up while the withdrawal is made.
            Thread {
                defer { done.leave() }
                let id = i % 2 == 0 ? "facebook" : "sensors_analytics"
                _ = cache.isSDKAllowed(id)
                started.signal()
                // Before, during and after the withdrawal: 1,000 lookups after it returned.
                var afterReturn = 0
                while afterReturn < 1000 {
                    let after = tally.isWithdrawn
                    let allowed = cache.isSDKAllowed(id)
                    if after {
                        afterReturn += 1
                        tally.count(allowedAfterReturn: allowed)
                    }
                }
            }.start()
        }
        for _ in 0..<8 { started.wait() }
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        tally.markWithdrawn()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(tally.lookups, 8 * 1000)
        XCTAssertEqual(tally.stale, 0, "no allow was served once the withdrawal had returned")
        XCTAssertFalse(cache.isSDKAllowed("facebook"))
        XCTAssertFalse(cache.isSDKAllowed("sensors_analytics"))
    }

    func testAnOwnerThatObservesForwardsNotificationsToApplyChanges() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let cache = DecisionCache(gatekeeper: gk, timeSource: clock, observing: nil)
        defer { cache.close() }
        XCTAssertEqual(cache.sdk("facebook").verdict, .allow)
        _ = try gk.withdraw(purposes: [], sdks: ["facebook"], source: "settings")
        XCTAssertEqual(cache.sdk("facebook").verdict, .allow, "a cache that hears nothing keeps its entry")

        let observation = gk.changeCenter.observe { cache.applyChanges($0) }
        defer { observation.cancel() }
        _ = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")
        XCTAssertEqual(cache.sdk("facebook").outcome, "deny consentWithdrawn")
        XCTAssertEqual(cache.misses, 2)
    }

    func testAnAnswerThatRacedWithAChangeIsReturnedButNeverServedAgain() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let cache = DecisionCache(gatekeeper: counting, timeSource: clock, observing: nil)
        defer { cache.close() }
        // A change lands while the core is answering (as from another thread).
        var raced = false
        counting.afterDecideSdk = {
            if !raced {
                raced = true
                cache.applyChanges([])
            }
        }
        XCTAssertEqual(cache.sdk("facebook").verdict, .allow)
        XCTAssertEqual(cache.misses, 1)
        _ = cache.sdk("facebook")
        XCTAssertEqual(cache.misses, 2, "the raced answer was not kept")
        _ = cache.sdk("facebook")
        XCTAssertEqual(cache.misses, 2, "the next answer is")
    }

    func testPurposesAndDataAccessesAlwaysAskTheCore() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)
        let cache = DecisionCache(gatekeeper: counting, timeSource: clock)
        defer { cache.close() }
        for _ in 0..<3 { XCTAssertEqual(cache.purpose("analytics").verdict, .allow) }
        XCTAssertEqual(counting.singleDecisions, 3)

        // An allowed access is the access: the second read within its interval is paced.
        XCTAssertEqual(cache.access("clipboard").verdict, .allow)
        XCTAssertEqual(cache.access("clipboard").outcome, "deny rateLimited")
        XCTAssertEqual(counting.singleDecisions, 5)
        XCTAssertEqual(cache.misses, 0, "neither counts as a cached lookup")
    }

    func testFailsClosedUnavailableAnswersAreNotKeptAndAFailingClockExpiresEntries() throws {
        let clock = ManualClock()
        let gk = try openConsented(clock)
        let counting = CountingGatekeeper(gk)

        // A clock that cannot be read: every entry with a validUntil is asked again.
        let blind = DecisionCache(gatekeeper: counting, timeSource: BrokenClock())
        XCTAssertEqual(blind.sdk("facebook").verdict, .allow)
        XCTAssertEqual(blind.sdk("facebook").verdict, .allow)
        XCTAssertEqual(counting.singleDecisions, 2)
        _ = blind.sdk("mmkv")
        _ = blind.sdk("mmkv")
        XCTAssertEqual(counting.singleDecisions, 3, "an answer with no validUntil needs no clock")
        blind.close()

        // A closed store answers store_unavailable (close the cache first, as an app should,
        // or the answers kept before stay until a change or their validUntil).
        let cache = DecisionCache(gatekeeper: counting, timeSource: clock)
        defer { cache.close() }
        gk.closeStore()
        XCTAssertEqual(cache.sdk("mmkv").outcome, "deny storeUnavailable")
        XCTAssertEqual(cache.sdk("mmkv").outcome, "deny storeUnavailable")
        XCTAssertEqual(cache.permission("camera").outcome, "deny storeUnavailable")
        XCTAssertEqual(cache.permission("camera").outcome, "deny storeUnavailable")
        XCTAssertEqual(counting.singleDecisions, 7, "a store_unavailable answer is asked again")
    }

    func testWithTheSystemClockATimerDropsEntriesBeforeValidUntil() throws {
        let gk = try openConsented(nil, name: "system-clock.db")
        let until = try XCTUnwrap(gk.decideSdk(id: "facebook").validUntil)
        // A lead that puts the expiry three seconds from now (the real deadline is a year off).
        let cache = DecisionCache(gatekeeper: gk, expiryLead: until.timeIntervalSinceNow - 3)
        XCTAssertEqual(cache.sdk("facebook").verdict, .allow)
        XCTAssertEqual(cache.sdk("facebook").verdict, .allow)
        XCTAssertEqual(cache.misses, 1, "served from memory before the expiry")
        XCTAssertEqual(cache.expiries, 0)
        let deadline = Date().addingTimeInterval(30)
        while cache.expiries == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(cache.expiries, 1, "the timer dropped the entries")
        _ = cache.sdk("facebook")
        XCTAssertEqual(cache.misses, 2, "after expiry the core is asked again")
        cache.close()

        // An answer already within the lead of its validUntil is returned but not kept.
        let late = DecisionCache(gatekeeper: gk, expiryLead: until.timeIntervalSinceNow + 60)
        defer { late.close() }
        XCTAssertEqual(late.sdk("facebook").verdict, .allow)
        XCTAssertEqual(late.sdk("facebook").verdict, .allow)
        XCTAssertEqual(late.misses, 2)
        XCTAssertEqual(late.expiries, 0)
    }
}
