// The API under Swift concurrency: the object and its records cross tasks and actors,
// which the Swift 6 language mode of this package checks at compile time.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

/// What a SwiftUI-style model might keep: the latest decision per SDK, on its own actor.
private actor DecisionBoard {
    private(set) var latest: [String: Decision] = [:]
    private var lastSequence: [String: Int64] = [:]

    func apply(_ changes: [DecisionChange]) {
        for c in changes {
            guard let id = c.sdkId, c.sequence >= lastSequence[c.subject, default: 0] else { continue }
            lastSequence[c.subject] = c.sequence
            latest[id] = c.new
        }
    }
}

/// The types the package promises are `Sendable` (a compile-time check).
private func assertSendable<T: Sendable>(_: T.Type) {}

final class ConcurrencyModeTests: StoreTestCase {
    func testTheGatekeeperAndItsRecordsCrossTasksAndActors() async throws {
        assertSendable(Gatekeeper.self)
        assertSendable(Decision.self)
        assertSendable(DecisionChange.self)
        assertSendable(ConsentState.self)
        assertSendable(GatekeeperError.self)
        assertSendable(ChangeCenter.self)
        assertSendable(SDKGate.self)

        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "DE", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let board = DecisionBoard()
        let stream = gk.changeCenter.changes()
        let consumer = Task {
            var batches = 0
            for await changes in stream {
                await board.apply(changes)
                batches += 1
            }
            return batches // once the center finishes the stream
        }

        // Eight child tasks write and decide at once, in whatever order they run.
        let purposes = ["analytics", "push_notifications", "personalised_ads", "account_login"]
        let results = try await withThrowingTaskGroup(of: (changed: Bool, decision: Decision).self) { group in
            for (i, purpose) in (purposes + purposes).enumerated() {
                group.addTask {
                    let changes = i < purposes.count
                        ? try gk.grant(purposes: [purpose], sdks: [], separate: false, byGuardian: false, source: "task_\(i)")
                        : try gk.withdraw(purposes: [purpose], sdks: [], source: "task_\(i)")
                    return (!changes.isEmpty, gk.decidePurpose(id: purpose))
                }
            }
            var all: [(changed: Bool, decision: Decision)] = []
            for try await r in group { all.append(r) }
            return all
        }
        XCTAssertEqual(results.count, 8)
        XCTAssertEqual(try gk.state().events, 2 + 8, "every task's write is in the ledger")
        gk.changeCenter.finish() // ends the stream once what it holds is delivered
        let batches = await consumer.value
        XCTAssertEqual(batches, results.filter(\.changed).count, "one batch per write that changed a decision")
        XCTAssertGreaterThan(batches, 0)

        // The board holds, per SDK, the decision of the latest write that named it, which is
        // what the core answers now.
        let latest = await board.latest
        XCTAssertFalse(latest.isEmpty)
        for (id, d) in latest { XCTAssertEqual(d.outcome, gk.decideSdk(id: id).outcome, id) }
    }
}
