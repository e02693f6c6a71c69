// SdkGate: the start-up decision cache of the ktx layer.
package dev.gatekeeper.tests

import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import dev.gatekeeper.ktx.SdkGate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

class SdkGateTest {
    @TempDir
    lateinit var dir: Path

    private class Recorder : SdkGate.Callbacks {
        val off = CopyOnWriteArrayList<String>()
        val on = CopyOnWriteArrayList<String>()
        val changes = CopyOnWriteArrayList<List<DecisionChange>>()
        override fun onSwitchOff(sdkId: String, decision: Decision) { off.add(sdkId) }
        override fun onSwitchOn(sdkId: String, decision: Decision) { on.add(sdkId) }
        override fun onChange(changes: List<DecisionChange>) { this.changes.add(changes) }
    }

    /** CN user aged 30, policy accepted, analytics granted and facebook granted separately at T0. */
    private fun consented(clock: ManualClock): Gatekeeper = openConsentedExample(dir, clock)

    private val allowedAtStart = setOf("mmkv", "matisse", "facebook", "sensors_analytics")

    @Test
    fun `start-up decides every SDK in one FFI call and then answers from memory`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val gate = SdkGate(counting, Example.sdks, clock)
            assertEquals(1, counting.decideMany.get(), "one batch")
            assertEquals(Example.sdks.size, counting.subjectsDecided.get())
            assertEquals(1, gate.batches)

            val started = System.nanoTime()
            repeat(10_000) {
                for (id in Example.sdks) gate.isAllowed(id)
            }
            val perCallNs = (System.nanoTime() - started) / (10_000L * Example.sdks.size)
            println("SdkGate.isAllowed: $perCallNs ns per call, from memory")
            assertEquals(1, counting.decideMany.get(), "no further FFI call")
            assertEquals(0, counting.decideOne.get(), "never one call per SDK")

            assertEquals(allowedAtStart, Example.sdks.filter { gate.isAllowed(it) }.toSet())
            // What it serves is what the core answers.
            for (id in Example.sdks) assertEquals(gk.decideSdk(id).outcome(), gate.decision(id).outcome(), id)
            assertEquals(Example.sdks, gate.decisions().keys.toList())
            gate.close()
        }
    }

    @Test
    fun `the listener invalidates entries and tells the app what to switch off and on`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val app = Recorder()
            val gate = SdkGate(counting, Example.sdks, clock, app)
            assertTrue(gate.isAllowed("sensors_analytics"))

            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            // In the same call that withdrew, before the app asks anything.
            assertEquals(listOf("facebook", "sensors_analytics"), app.off.toList())
            assertEquals(emptyList<String>(), app.on.toList())
            // firebase_analytics (never granted its own consent) goes from ask to deny: a change, not a switch-off.
            assertEquals(listOf(listOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics")), app.changes.map { c -> c.map { it.subject } })
            assertEquals(1, counting.decideMany.get(), "invalidation alone crosses no FFI")

            assertFalse(gate.isAllowed("sensors_analytics"))
            assertEquals(Reason.CONSENT_WITHDRAWN, gate.decision("facebook").reason)
            assertEquals(2, counting.decideMany.get(), "the three invalidated entries, in one batch")
            assertEquals(Example.sdks.size + 3, counting.subjectsDecided.get())
            assertTrue(gate.isAllowed("mmkv"))
            assertEquals(2, counting.decideMany.get())

            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            assertEquals(listOf("facebook", "sensors_analytics"), app.on.toList())
            assertTrue(gate.isAllowed("facebook"))
            assertTrue(gate.isAllowed("sensors_analytics"))

            // Permission changes reach onChange, but switch no SDK.
            gk.recordPermissionResult("camera", dev.gatekeeper.PermissionResult.DENIED)
            assertEquals(listOf("permission:camera"), app.changes.last().map { it.subject })
            assertEquals(2, app.off.size)

            // Once closed, the gate no longer listens.
            gate.close()
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(2, app.off.size)
        }
    }

    @Test
    fun `entries past validUntil are decided again, only those, in one batch`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val gate = SdkGate(counting, Example.sdks, clock)
            val until = gate.decision("sensors_analytics").validUntil
            assertEquals(T0.plus(Duration.ofDays(395)), until, "consent_ttl_days")
            assertEquals(null, gate.decision("mmkv").validUntil)

            clock.set(until!!.minusMillis(1))
            assertTrue(gate.isAllowed("sensors_analytics"))
            assertEquals(1, counting.decideMany.get(), "still valid")

            clock.set(until) // the grant expires
            assertFalse(gate.isAllowed("sensors_analytics"))
            assertEquals(Reason.CONSENT_EXPIRED, gate.decision("sensors_analytics").reason)
            assertEquals(2, counting.decideMany.get())
            // facebook's and sensors_analytics' entries were the ones with a validUntil.
            assertEquals(Example.sdks.size + 2, counting.subjectsDecided.get())
            assertFalse(gate.isAllowed("facebook"))
            assertTrue(gate.isAllowed("mmkv"))
            assertEquals(2, counting.decideMany.get(), "mmkv has no validUntil: never re-decided")
            gate.close()
        }
    }

    @Test
    fun `an id the gate was not given is decided on first use and never allowed if unknown`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val gate = SdkGate(counting, listOf("mmkv"), clock)
            assertFalse(gate.isAllowed("tiktok_sdk"))
            assertEquals(Reason.UNKNOWN_SUBJECT, gate.decision("tiktok_sdk").reason)
            assertTrue(gate.isAllowed("sensors_analytics"))
            assertEquals(3, counting.decideMany.get())
            assertEquals(listOf("mmkv", "tiktok_sdk", "sensors_analytics"), gate.decisions().keys.toList())
            gate.close()
        }
    }

    @Test
    fun `without an id list the gate covers every SDK of the manifest`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val gate = SdkGate(counting, clock)
            assertEquals(1, counting.manifestCalls.get())
            assertEquals(1, counting.decideMany.get(), "still one batch")
            assertEquals(gk.manifest().sdks.map { it.id }, gate.decisions().keys.toList())
            assertEquals(Example.sdks, gate.decisions().keys.toList())
            assertEquals(allowedAtStart, Example.sdks.filter { gate.isAllowed(it) }.toSet())
            assertEquals(1, counting.decideMany.get())
            gate.close()

            // Named arguments pick the same constructor.
            val app = Recorder()
            SdkGate(gk, callbacks = app).use { g -> assertEquals(Example.sdks, g.decisions().keys.toList()) }
        }
    }

    @Test
    fun `a change with a lower sequence than the last one applied is ignored`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val app = Recorder()
            val gate = SdkGate(counting, Example.sdks, clock, app)
            val withdrawn = gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(listOf("facebook", "sensors_analytics"), app.off.toList())
            assertFalse(gate.isAllowed("sensors_analytics"))
            val batches = counting.decideMany.get()
            val heard = app.changes.size

            // The notification of an earlier write ("allowed again") arrives late, on another thread's behalf.
            val applied = withdrawn.single { it.subject == "sdk:sensors_analytics" }
            val stale = applied.copy(old = applied.new, new = applied.old, sequence = applied.sequence - 1)
            assertEquals(Verdict.ALLOW, stale.new.verdict)
            counting.listener!!.onChange(listOf(stale))

            assertEquals(emptyList<String>(), app.on.toList(), "no switch-on for a stale allow")
            assertEquals(heard, app.changes.size, "nothing left to report")
            assertFalse(gate.isAllowed("sensors_analytics"))
            assertEquals(batches, counting.decideMany.get(), "the entry was not even invalidated")

            // A later write is applied as usual.
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            assertEquals(listOf("facebook", "sensors_analytics"), app.on.toList())
            assertTrue(gate.isAllowed("sensors_analytics"))
            gate.close()
        }
    }

    @Test
    fun `a gate that does not listen leaves the slot alone and applies what its owner forwards`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val owner = RecordingListener()
            counting.setListener(owner)
            val app = Recorder()
            val gate = SdkGate(counting, emptyList(), clock, app, listen = false)
            assertTrue(counting.listener === owner, "the owner keeps the listener slot")
            assertEquals(0, counting.decideMany.get(), "created empty: no call")

            // decisions(ids): the ids given, in that order, in one batch; then from memory.
            val some = gate.decisions(listOf("sensors_analytics", "facebook", "mmkv"))
            assertEquals(listOf("sensors_analytics", "facebook", "mmkv"), some.keys.toList())
            assertTrue(some.values.all { it.verdict == Verdict.ALLOW })
            assertEquals(1, counting.decideMany.get())
            gate.decisions(listOf("mmkv", "facebook"))
            gate.decisions(emptyList())
            assertEquals(1, counting.decideMany.get(), "all valid: no call")
            // A new id is decided alone (the others are still valid).
            assertEquals(Reason.SEPARATE_CONSENT_REQUIRED, gate.decisions(listOf("mmkv", "amap")).getValue("amap").reason)
            assertEquals(2, counting.decideMany.get())
            assertEquals(4, counting.subjectsDecided.get())

            // The gate hears nothing by itself...
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(emptyList<String>(), app.off.toList())
            assertTrue(gate.isAllowed("sensors_analytics"), "not told yet: still the cached answer")
            // ...until the owner forwards the notification.
            val applied = gate.applyChanges(owner.calls.single())
            assertEquals(listOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"), applied.map { it.subject })
            assertEquals(listOf("facebook", "sensors_analytics"), app.off.toList())
            val after = gate.decisions(listOf("sensors_analytics", "facebook"))
            assertEquals(3, counting.decideMany.get(), "the two invalidated entries, in one batch")
            assertEquals(setOf(Reason.CONSENT_WITHDRAWN), after.values.map { it.reason }.toSet())

            // A stale change is dropped: not returned, no callback, no invalidation.
            val c = applied.single { it.subject == "sdk:sensors_analytics" }
            val stale = c.copy(old = c.new, new = c.old, sequence = c.sequence - 1)
            assertEquals(emptyList<DecisionChange>(), gate.applyChanges(listOf(stale)))
            assertEquals(emptyList<String>(), app.on.toList())
            assertEquals(1, app.changes.size)
            assertFalse(gate.isAllowed("sensors_analytics"))
            assertEquals(3, counting.decideMany.get())

            gate.close()
            assertTrue(counting.listener === owner, "close leaves the owner's listener in place")
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    fun `readers on many threads while the user changes their mind`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val app = Recorder()
            val gate = SdkGate(gk, Example.sdks, clock, app)
            val errors = ConcurrentLinkedQueue<Throwable>()
            val stop = CountDownLatch(1)
            val readers = (0 until 8).map {
                Thread {
                    try {
                        while (stop.count > 0) for (id in Example.sdks) gate.isAllowed(id)
                    } catch (t: Throwable) {
                        errors.add(t)
                    }
                }.apply { start() }
            }
            repeat(20) { i ->
                if (i % 2 == 0) gk.withdraw(listOf("analytics"), emptyList(), "settings")
                else gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            }
            stop.countDown()
            readers.forEach { it.join(10_000) }
            assertEquals(emptyList<Throwable>(), errors.toList())
            // Last write was a grant: the cache agrees with the core.
            for (id in Example.sdks) assertEquals(gk.decideSdk(id).verdict == Verdict.ALLOW, gate.isAllowed(id), id)
            assertEquals(10, app.off.count { it == "sensors_analytics" })
            assertEquals(10, app.on.count { it == "sensors_analytics" })
            gate.close()
        }
    }
}
