// Objects are safe to call from any thread (contract §8): 16 threads deciding and
// writing at once, with no error and a final state that is the last write per item.
package dev.gatekeeper.tests

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.random.Random

class ConcurrencyTest {
    @TempDir
    lateinit var dir: Path

    private enum class Op(val status: ChoiceStatus) {
        GRANT(ChoiceStatus.GRANTED), DENY(ChoiceStatus.DENIED), WITHDRAW(ChoiceStatus.WITHDRAWN)
    }

    /** An item a thread owns: a purpose or an SDK. */
    private data class Item(val kind: String, val id: String)

    private fun write(gk: Gatekeeper, item: Item, op: Op, source: String): List<DecisionChange> {
        val purposes = if (item.kind == "purpose") listOf(item.id) else emptyList()
        val sdks = if (item.kind == "sdk") listOf(item.id) else emptyList()
        return when (op) {
            Op.GRANT -> gk.grant(purposes, sdks, true, false, source)
            Op.DENY -> gk.deny(purposes, sdks, source)
            Op.WITHDRAW -> gk.withdraw(purposes, sdks, source)
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    fun `16 threads deciding and granting at once`() {
        val threads = 16
        val writesPerThread = 12
        // Not the contract purposes (essential, payments): a withdrawal of them is refused
        // since issue 13, and any write here may be a withdrawal.
        val items = Example.purposes.filter { it !in Example.contractPurposes }.map { Item("purpose", it) } +
            Example.sdks.map { Item("sdk", it) }
        // Thread t owns the items i with i % 16 == t, so the last write per item is known.
        val owned = (0 until threads).map { t -> items.filterIndexed { i, _ -> i % threads == t } }

        val gk = openExample(dir) // the system clock
        gk.setProfile("CN", 30)
        gk.acceptPolicy(false, "first_run_dialog")
        val setupEvents = 2L

        val listenerCalls = AtomicInteger()
        val listenerChanges = AtomicInteger()
        val listenerErrors = ConcurrentLinkedQueue<String>()
        gk.setListener(object : ChangeListener {
            override fun onChange(changes: List<DecisionChange>) {
                listenerCalls.incrementAndGet()
                listenerChanges.addAndGet(changes.size)
                if (changes.isEmpty()) listenerErrors.add("called with no change")
                for (c in changes) {
                    if (c.old.verdict == c.new.verdict && c.old.reason == c.new.reason) {
                        listenerErrors.add("${c.subject} reported without a change")
                    }
                }
            }
        })

        val errors = ConcurrentLinkedQueue<Throwable>()
        val lastWrite = java.util.concurrent.ConcurrentHashMap<Item, Op>()
        val writes = AtomicInteger()
        val writesWithChanges = AtomicInteger()
        val changesReturned = AtomicInteger()
        val decisions = AtomicInteger()
        val barrier = CyclicBarrier(threads)
        val pool = Executors.newFixedThreadPool(threads)
        val all = Example.everything
        val sdkSubjects = Example.sdks.map { DecisionSubject.Sdk(it) }

        val started = System.nanoTime()
        repeat(threads) { t ->
            pool.execute {
                val rnd = Random(t)
                try {
                    barrier.await(30, TimeUnit.SECONDS)
                    repeat(writesPerThread) { i ->
                        // Decide: one of each call, on random subjects.
                        val many = gk.decideMany(if (i % 2 == 0) all else sdkSubjects)
                        check(many.size == (if (i % 2 == 0) all.size else sdkSubjects.size)) { "decideMany size" }
                        gk.decideSdk(Example.sdks.random(rnd))
                        gk.decidePermission(Example.permissions.random(rnd), Trigger.USER_ACTION)
                        gk.decidePurpose(Example.purposes.random(rnd))
                        decisions.addAndGet(many.size + 3)
                        if (i % 4 == 3) gk.state()

                        // Write: one of this thread's items.
                        val mine = owned[t]
                        if (mine.isNotEmpty()) {
                            val item = mine.random(rnd)
                            val op = Op.entries.random(rnd)
                            val changes = write(gk, item, op, "thread_$t")
                            lastWrite[item] = op
                            writes.incrementAndGet()
                            changesReturned.addAndGet(changes.size)
                            if (changes.isNotEmpty()) writesWithChanges.incrementAndGet()
                        }
                    }
                } catch (e: Throwable) {
                    errors.add(e)
                }
            }
        }
        pool.shutdown()
        assertTrue(pool.awaitTermination(110, TimeUnit.SECONDS), "threads finished")
        val elapsedMs = (System.nanoTime() - started) / 1_000_000
        println("16 threads: ${writes.get()} writes, ${decisions.get()} decisions in $elapsedMs ms")

        assertEquals(emptyList<Throwable>(), errors.toList())
        assertEquals(emptyList<String>(), listenerErrors.toList())
        assertEquals(threads * writesPerThread, writes.get())

        // The ledger holds exactly the setup and every write, its chain intact.
        val state = gk.state()
        assertEquals(setupEvents + writes.get().toLong(), state.events)
        val verify = gk.verify()
        assertTrue(verify.ok, "hash chain intact")
        assertEquals(state.events, verify.events)

        // Each item ends as its last write.
        for ((item, op) in lastWrite) {
            val status = (if (item.kind == "purpose") state.purposes else state.sdks).single { it.id == item.id }
            assertEquals(op.status, status.status, "${item.kind} ${item.id}")
            assertEquals(op == Op.GRANT, status.separate, "${item.kind} ${item.id} separate flag")
        }
        val untouched = items - lastWrite.keys
        for (item in untouched) {
            val status = (if (item.kind == "purpose") state.purposes else state.sdks).single { it.id == item.id }
            assertEquals(ChoiceStatus.UNDECIDED, status.status, "${item.kind} ${item.id}")
        }

        // Every write that changed a decision told the listener once, with what it returned.
        assertEquals(writesWithChanges.get(), listenerCalls.get())
        assertEquals(changesReturned.get(), listenerChanges.get())

        // The decisions agree with the state: a fresh store on the same file decides the same.
        val final = gk.decideMany(all)
        gk.close()
        openExample(dir).use { again ->
            assertEquals(final.map { it.subject to it.outcome() }, again.decideMany(all).map { it.subject to it.outcome() })
            assertEquals(state.events, again.state().events)
        }
        // And, spot-checked against the rules: each purpose is allowed iff its last write granted it.
        for (p in listOf("analytics", "push_notifications", "personalised_ads", "account_login")) {
            val d = final.single { it.subject == "purpose:$p" }
            assertEquals(lastWrite[Item("purpose", p)] == Op.GRANT, d.verdict == Verdict.ALLOW, d.toString())
        }
    }
}
