// One `Gatekeeper` from many threads at once (contract §8, the brief's "callable from any
// thread"): no crash, no error, no lost write, and a listener the core calls on each
// writer's own thread.

import Foundation
import GatekeeperCore
import GatekeeperTestSupport
import XCTest

final class ConcurrencyTests: StoreTestCase {
    private enum Op: CaseIterable {
        case grant, deny, withdraw

        var status: ChoiceStatus {
            switch self {
            case .grant: return .granted
            case .deny: return .denied
            case .withdraw: return .withdrawn
            }
        }
    }

    /// A purpose or an SDK, owned by one thread.
    private struct Item: Hashable {
        let isSDK: Bool
        let id: String
    }

    /// Thread-safe bookkeeping of what the threads did and saw.
    private final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        var errors: [String] = []
        var lastWrite: [Item: Op] = [:]
        var writes = 0, writesWithChanges = 0, changesReturned = 0, decisions = 0
        var listenerCalls = 0, listenerChanges = 0
        var listenerOnOtherThread = 0
        var writerThreads: Set<ObjectIdentifier> = []
        var listenerThreads: Set<ObjectIdentifier> = []

        func update(_ body: (Tally) -> Void) {
            lock.lock()
            body(self)
            lock.unlock()
        }
    }

    func testEightThreadsDecidingAndWritingAtOnceLoseNoWrite() throws {
        let threads = 8, writesPerThread = 12
        // Not the contract purposes (essential, payments): a withdrawal of them is refused
        // since issue 13, and any write here may be a withdrawal.
        let items = Example.purposes.filter { !Example.contractPurposes.contains($0) }.map { Item(isSDK: false, id: $0) }
            + Example.sdks.map { Item(isSDK: true, id: $0) }
        // Thread t owns the items i with i % 8 == t, so the last write per item is known.
        let owned = (0..<threads).map { t in items.enumerated().filter { $0.offset % threads == t }.map(\.element) }

        let gk = try openExample() // the system clock
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let setupEvents: Int64 = 2

        let tally = Tally()
        /// The thread each writer is on while it writes: the listener must be called on it.
        let writing = ThreadLocalWriter()
        gk.setListener(listener: ClosureChangeListener { changes in
            tally.update {
                $0.listenerCalls += 1
                $0.listenerChanges += changes.count
                $0.listenerThreads.insert(ObjectIdentifier(Thread.current))
                if !writing.isWriting { $0.listenerOnOtherThread += 1 }
                if changes.isEmpty { $0.errors.append("listener called with no change") }
                for c in changes where c.old.verdict == c.new.verdict && c.old.reason == c.new.reason {
                    $0.errors.append("\(c.subject) reported without a change")
                }
            }
        })

        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for t in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                start.wait()
                var rng = SeededRandom(seed: UInt64(t + 1))
                tally.update { $0.writerThreads.insert(ObjectIdentifier(Thread.current)) }
                for i in 0..<writesPerThread {
                    // Decide: one of each call, on random subjects.
                    let subjects = i % 2 == 0 ? Example.everything : Example.sdks.map { DecisionSubject.sdk(id: $0) }
                    let many = gk.decideMany(subjects: subjects)
                    if many.count != subjects.count { tally.update { $0.errors.append("decideMany answered \(many.count)") } }
                    _ = gk.decideSdk(id: Example.sdks[rng.next(Example.sdks.count)])
                    _ = gk.decidePermission(id: Example.permissions[rng.next(Example.permissions.count)])
                    _ = gk.decidePurpose(id: Example.purposes[rng.next(Example.purposes.count)])
                    tally.update { $0.decisions += many.count + 3 }
                    if i % 4 == 3 { _ = try? gk.state() }

                    // Write: one of this thread's items.
                    let item = owned[t][rng.next(owned[t].count)]
                    let op = Op.allCases[rng.next(Op.allCases.count)]
                    let purposes = item.isSDK ? [] : [item.id], sdks = item.isSDK ? [item.id] : []
                    do {
                        writing.isWriting = true
                        defer { writing.isWriting = false }
                        let changes: [DecisionChange]
                        switch op {
                        case .grant: changes = try gk.grant(purposes: purposes, sdks: sdks, separate: true, byGuardian: false, source: "thread_\(t)")
                        case .deny: changes = try gk.deny(purposes: purposes, sdks: sdks, source: "thread_\(t)")
                        case .withdraw: changes = try gk.withdraw(purposes: purposes, sdks: sdks, source: "thread_\(t)")
                        }
                        tally.update {
                            $0.lastWrite[item] = op
                            $0.writes += 1
                            $0.changesReturned += changes.count
                            if !changes.isEmpty { $0.writesWithChanges += 1 }
                        }
                    } catch {
                        tally.update { $0.errors.append("thread \(t): \(error)") }
                    }
                }
            }
            thread.start()
        }
        for _ in 0..<threads { start.signal() }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success, "threads finished")

        XCTAssertEqual(tally.errors, [])
        XCTAssertEqual(tally.writes, threads * writesPerThread)
        XCTAssertEqual(tally.writerThreads.count, threads)
        // The listener ran on the writers' own threads, inside their write calls.
        XCTAssertEqual(tally.listenerOnOtherThread, 0)
        XCTAssertTrue(tally.listenerThreads.isSubset(of: tally.writerThreads))
        XCTAssertGreaterThan(tally.listenerThreads.count, 1, "the core called the Swift listener from several threads")

        // The ledger holds exactly the setup and every write, its chain intact.
        let state = try gk.state()
        XCTAssertEqual(state.events, setupEvents + Int64(tally.writes), "no lost and no doubled write")
        let verify = try gk.verify()
        XCTAssertTrue(verify.ok, "hash chain intact")
        XCTAssertEqual(verify.events, state.events)

        // Each item ends as its last write; the untouched ones stay undecided.
        for item in items {
            let status = try XCTUnwrap((item.isSDK ? state.sdks : state.purposes).first { $0.id == item.id })
            if let op = tally.lastWrite[item] {
                XCTAssertEqual(status.status, op.status, item.id)
                XCTAssertEqual(status.separate, op == .grant, "\(item.id) separate flag")
            } else {
                XCTAssertEqual(status.status, .undecided, item.id)
            }
        }

        // Every write that changed a decision told the listener once, with what it returned.
        XCTAssertEqual(tally.listenerCalls, tally.writesWithChanges)
        XCTAssertEqual(tally.listenerChanges, tally.changesReturned)

        // A fresh store on the same file decides the same.
        let final = gk.decideMany(subjects: Example.everything)
        gk.closeStore()
        let again = try openExample()
        XCTAssertEqual(again.decideMany(subjects: Example.everything).map(\.outcome), final.map(\.outcome))
        XCTAssertEqual(try again.state().events, state.events)
    }

    func testAStoreClosedWhileOtherThreadsDecideFailsClosedAndNeverCrashes() throws {
        let gk = try openExample(ManualClock())
        _ = try gk.setProfile(country: "CN", age: 30)
        _ = try gk.acceptPolicy(byGuardian: false, source: "first_run_dialog")
        let seen = LockedSet()
        let group = DispatchGroup()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<300 { seen.insert("\(gk.decideMany(subjects: [.sdk(id: "mmkv")]).first?.reason ?? .storeUnavailable)") }
            }
        }
        Thread.sleep(forTimeInterval: 0.005)
        gk.closeStore()
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertTrue(seen.values.isSubset(of: ["\(Reason.notConsentBased)", "\(Reason.storeUnavailable)"]), "\(seen.values)")
        XCTAssertEqual(gk.decideSdk(id: "mmkv").reason, .storeUnavailable)
    }
}

/// Whether the current thread is inside one of the test's write calls.
private final class ThreadLocalWriter: @unchecked Sendable {
    private let key = "dev.gatekeeper.tests.writing"
    var isWriting: Bool {
        get { Thread.current.threadDictionary[key] as? Bool ?? false }
        set { Thread.current.threadDictionary[key] = newValue }
    }
}

private final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set: Set<String> = []
    func insert(_ s: String) { lock.lock(); set.insert(s); lock.unlock() }
    var values: Set<String> { lock.lock(); defer { lock.unlock() }; return set }
}

/// A small deterministic generator (SplitMix64), so each thread's choices repeat run to run.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
