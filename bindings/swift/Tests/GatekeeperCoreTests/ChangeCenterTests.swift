// ChangeCenter: the one listener slot shared by observers and `AsyncStream`s.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class ChangeCenterTests: StoreTestCase {
    func testAStreamReceivesEveryBatchInCommitOrder() async throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        let stream = gk.changeCenter.changes()

        let accepted = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let granted = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        let withdrawn = try gk.withdraw(purposes: ["analytics"], sdks: [], source: "settings")

        var batches: [[DecisionChange]] = []
        for await batch in stream {
            batches.append(batch)
            if batches.count == 3 { break }
        }
        XCTAssertEqual(batches, [accepted, granted, withdrawn], "each write's batch, as the write returned it")
        XCTAssertEqual(batches.map { Set($0.map(\.sequence)) }, [[2], [3], [4]])
        XCTAssertEqual(batches[2].compactMap(\.sdkId), ["facebook", "sensors_analytics", "firebase_analytics"])
        XCTAssertTrue(batches[2].allSatisfy { $0.new.verdict == .deny })
    }

    func testObserversStreamsAndTheOneSlotCoexist() async throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        XCTAssertTrue(gk.changeCenter === gk.changeCenter, "one center per gatekeeper")
        XCTAssertTrue(ChangeCenter.of(gk) === gk.changeCenter)

        let first = RecordingListener(), second = RecordingListener()
        let a = gk.changeCenter.observe { try? first.onChange(changes: $0) }
        gk.changeCenter.observe { try? second.onChange(changes: $0) }
        let streamA = gk.changeCenter.changes(), streamB = gk.changeCenter.changes()

        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        // Observers ran inside the write call, on this thread.
        XCTAssertEqual(first.calls.count, 1)
        XCTAssertEqual(second.calls.count, 1)
        XCTAssertTrue(first.callThreads.first === Thread.current)

        a.cancel()
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(first.calls.count, 1, "cancelled")
        XCTAssertEqual(second.calls.count, 2)

        // Both streams got both batches.
        for stream in [streamA, streamB] {
            var it = stream.makeAsyncIterator()
            let b1 = await it.next(), b2 = await it.next()
            XCTAssertEqual(b1?.first?.sequence, 2)
            XCTAssertEqual(b2?.first?.sequence, 3)
        }
    }

    func testFinishEndsTheStreamsAndGivesTheSlotBack() async throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        let center = gk.changeCenter
        let stream = center.changes()
        let consumer = Task { () -> Int in
            var n = 0
            for await _ in stream { n += 1 }
            return n // only when the stream ends
        }
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        center.finish()
        let received = await consumer.value
        XCTAssertEqual(received, 1)
        XCTAssertTrue(center.isFinished)

        // The slot is free: a listener set now hears the next write, and a new center is new.
        let l = RecordingListener()
        gk.setListener(listener: l)
        _ = try gk.grant(purposes: ["analytics"], sdks: [], separate: false, byGuardian: false, source: "settings")
        XCTAssertEqual(l.calls.count, 1)
        XCTAssertFalse(gk.changeCenter === center)
    }

    func testCancellingTheConsumingTaskEndsItsStream() async throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        let started = AsyncStream<Void>.makeStream()
        let stream = gk.changeCenter.changes()
        let consumer = Task {
            started.continuation.yield()
            for await _ in stream {}
            return Task.isCancelled
        }
        var it = started.stream.makeAsyncIterator()
        await it.next()
        consumer.cancel()
        let endedByCancellation = await consumer.value
        XCTAssertTrue(endedByCancellation)
        // Writes after it still work; nothing is delivered to the ended stream.
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        XCTAssertTrue(try gk.state().policyAccepted)
    }
}
