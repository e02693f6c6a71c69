package dev.gatekeeper.demo.logic

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.NoHandle
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** Delegates to a real gatekeeper and counts the decision calls that cross the FFI. */
private class CountingGatekeeper(private val real: Gatekeeper) : Gatekeeper(NoHandle) {
    val decideManyCalls = AtomicInteger()
    val singleDecisionCalls = AtomicInteger()

    override fun decideMany(subjects: List<DecisionSubject>): List<Decision> {
        decideManyCalls.incrementAndGet()
        return real.decideMany(subjects)
    }

    override fun decideSdk(id: String): Decision {
        singleDecisionCalls.incrementAndGet()
        return real.decideSdk(id)
    }
}

/** Records every notification, then hands it to the registry. */
private class RecordingListener(private val next: ChangeListener) : ChangeListener {
    val calls = CopyOnWriteArrayList<List<DecisionChange>>()
    override fun onChange(changes: List<DecisionChange>) {
        calls += changes
        next.onChange(changes)
    }
}

class SdkRegistryTest {
    @TempDir
    lateinit var dir: Path

    private val clock = DemoClock()

    /** CN adult who accepted the policy and granted analytics on the first-run consent screen. */
    private fun consentedUser(): Gatekeeper {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        gk.grant(listOf("analytics"), emptyList(), false, false, ConsentSource.FIRST_RUN_DIALOG)
        return gk
    }

    @Test
    fun `startAllowed uses one decideMany call and starts exactly the allowed SDKs`() {
        val real = consentedUser()
        val gk = CountingGatekeeper(real)
        val sdks = StubSdks("mmkv", "sensors_analytics", "facebook", "amap", "huawei_push")
        val registry = sdks.registerAll(SdkRegistry(gk))

        val r = registry.startAllowed()

        assertEquals(1, gk.decideManyCalls.get())
        assertEquals(0, gk.singleDecisionCalls.get())
        assertEquals(listOf("mmkv", "sensors_analytics"), r.started)
        assertEquals(listOf("start:mmkv", "start:sensors_analytics"), sdks.events)
        val fb = r.decisions.getValue("facebook")
        assertEquals(Verdict.ASK, fb.verdict)
        assertEquals(Reason.SEPARATE_CONSENT_REQUIRED, fb.reason)
        assertEquals(listOf("facebook"), fb.sdks)
        // amap serves location_services, sensitive: it waits for a separate grant of its own.
        assertEquals(Verdict.ASK, r.decisions.getValue("amap").verdict)
        assertEquals(listOf("location_services"), r.decisions.getValue("amap").purposes)
        // The analytics grant expires after consent_ttl_days (395).
        assertEquals(DemoFixtures.START.plus(Duration.ofDays(395)), r.recheckAt)

        // A second refresh starts nothing again.
        assertEquals(emptyList<String>(), registry.startAllowed().started)
        assertEquals(2, sdks.events.size)
        real.destroy()
    }

    @Test
    fun `a separate grant for facebook starts it through the listener`() {
        val gk = consentedUser()
        val sdks = StubSdks("sensors_analytics", "facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)
        registry.startAllowed()
        assertFalse(registry.isRunning("facebook"))

        gk.grant(emptyList(), listOf("facebook"), true, false, ConsentSource.JUST_IN_TIME)

        assertTrue(registry.isRunning("facebook"))
        assertEquals(1, sdks.count("start:facebook"))
        gk.destroy()
    }

    @Test
    fun `withdrawing analytics stops facebook and sensors analytics in the same call`() {
        val gk = consentedUser()
        gk.grant(emptyList(), listOf("facebook", "firebase_analytics"), true, false, ConsentSource.JUST_IN_TIME)
        val sdks = StubSdks("mmkv", "sensors_analytics", "facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        val listener = RecordingListener(registry)
        gk.setListener(listener)
        assertEquals(listOf("mmkv", "sensors_analytics", "facebook"), registry.startAllowed().started)

        val returned = gk.withdraw(listOf("analytics"), emptyList(), ConsentSource.SETTINGS)

        // Stopped before withdraw() returned, by the one notification of this call.
        assertEquals(1, listener.calls.size)
        val changes = listener.calls.single()
        // firebase_analytics serves analytics too (not registered here: the registry ignores it).
        assertEquals(setOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"), changes.map { it.subject }.toSet())
        assertEquals(3, changes.size)
        for (c in changes) {
            assertEquals(Verdict.ALLOW, c.old.verdict, c.subject)
            assertEquals(Verdict.DENY, c.new.verdict, c.subject)
            assertEquals(Reason.CONSENT_WITHDRAWN, c.new.reason, c.subject)
        }
        assertEquals(changes, returned)
        assertEquals(setOf("mmkv"), registry.running())
        assertEquals(1, sdks.count("stop:facebook"))
        assertEquals(1, sdks.count("stop:sensors_analytics"))

        // Applying the returned list again (the app may do both) changes nothing.
        val again = registry.applyChanges(returned)
        assertTrue(again.started.isEmpty() && again.stopped.isEmpty())
        gk.destroy()
    }

    @Test
    fun `a stale allow notification delivered late does not start a withdrawn SDK`() {
        val gk = consentedUser()
        val sdks = StubSdks("facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        // The app is not the listener here: it feeds the lists itself, in the wrong order.
        val grant = gk.grant(emptyList(), listOf("facebook"), true, false, ConsentSource.SETTINGS)
        val withdraw = gk.withdraw(listOf("analytics"), emptyList(), ConsentSource.SETTINGS)
        assertEquals(Verdict.ALLOW, grant.single { it.subject == "sdk:facebook" }.new.verdict)
        assertTrue(grant.single().sequence < withdraw.first().sequence, "numbered in commit order")

        val applied = registry.applyChanges(withdraw)
        assertEquals(Reason.CONSENT_WITHDRAWN, applied.decisions.getValue("facebook").reason)
        val late = registry.applyChanges(grant)

        assertTrue(late.started.isEmpty())
        assertEquals(emptyMap<String, Decision>(), late.decisions, "older than what was applied: not even re-decided")
        assertFalse(registry.isRunning("facebook"))
        assertEquals(emptyList<String>(), sdks.events)
        gk.destroy()
    }

    @Test
    fun `the listener ignores a change with a lower sequence than the last one applied`() {
        val real = consentedUser()
        real.grant(emptyList(), listOf("facebook"), true, false, ConsentSource.JUST_IN_TIME)
        val gk = CountingGatekeeper(real)
        val sdks = StubSdks("facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        real.setListener(registry)
        registry.startAllowed()
        val withdrawn = real.withdraw(listOf("analytics"), emptyList(), ConsentSource.SETTINGS)
        assertEquals(listOf("start:facebook", "stop:facebook"), sdks.events)
        val calls = gk.decideManyCalls.get()

        // A notification of an earlier write ("facebook became allowed") arriving late.
        val applied = withdrawn.single { it.subject == "sdk:facebook" }
        val stale = applied.copy(old = applied.new, new = applied.old, sequence = applied.sequence - 1)
        assertEquals(Verdict.ALLOW, stale.new.verdict)
        registry.onChange(listOf(stale))

        assertEquals(calls, gk.decideManyCalls.get(), "ignored: no decision was even asked for")
        assertFalse(registry.isRunning("facebook"))
        assertEquals(listOf("start:facebook", "stop:facebook"), sdks.events)

        // The same change at the applied sequence or later is acted on (and re-decided).
        registry.onChange(listOf(stale.copy(sequence = applied.sequence + 1)))
        assertEquals(calls + 1, gk.decideManyCalls.get())
        assertFalse(registry.isRunning("facebook"), "the fresh decision still says no")
        real.destroy()
    }

    @Test
    fun `registerAll without ids registers every SDK of the manifest`() {
        val gk = consentedUser()
        val events = CopyOnWriteArrayList<String>()
        val registry = SdkRegistry(gk).registerAll(start = { events += "start:$it" }, stop = { events += "stop:$it" })
        assertEquals(gk.manifest().sdks.map { it.id }, registry.registeredIds)

        assertEquals(listOf("mmkv", "matisse", "sensors_analytics"), registry.startAllowed().started)
        assertEquals(listOf("start:mmkv", "start:matisse", "start:sensors_analytics"), events)

        // The explicit list is still there.
        val some = SdkRegistry(gk).registerAll(listOf("mmkv", "amap"), start = { events += "other:$it" })
        assertEquals(listOf("mmkv", "amap"), some.registeredIds)
        assertEquals(listOf("mmkv"), some.startAllowed().started)
        assertEquals("other:mmkv", events.last())
        gk.destroy()
    }

    @Test
    fun `an expired grant stops the SDK at the recheck time (fail closed on ask)`() {
        val gk = consentedUser()
        val sdks = StubSdks("sensors_analytics")
        val registry = sdks.registerAll(SdkRegistry(gk))
        val recheckAt = registry.startAllowed().recheckAt
        assertNotNull(recheckAt)

        clock.advance(Duration.between(clock.now(), recheckAt).plusSeconds(1))
        val r = registry.startAllowed()

        assertEquals(listOf("sensors_analytics"), r.stopped)
        assertEquals(Verdict.ASK, r.decisions.getValue("sensors_analytics").verdict)
        assertEquals(Reason.CONSENT_EXPIRED, r.decisions.getValue("sensors_analytics").reason)
        assertFalse(registry.isRunning("sensors_analytics"))
        gk.destroy()
    }

    @Test
    fun `a starter that throws leaves the SDK off, and the next refresh retries`() {
        val gk = consentedUser()
        var fail = true
        val registry = SdkRegistry(gk).register("mmkv", start = { if (fail) error("boom") })

        val first = registry.startAllowed()
        assertEquals(listOf("mmkv"), first.failed)
        assertFalse(registry.isRunning("mmkv"))

        fail = false
        assertEquals(listOf("mmkv"), registry.startAllowed().started)
        assertTrue(registry.isRunning("mmkv"))
        gk.destroy()
    }

    @Test
    fun `changes for SDKs and permissions the app did not register are ignored`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val sdks = StubSdks("mmkv")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)

        val changes = gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)

        assertTrue(changes.any { it.subject == "permission:camera" })
        assertTrue(changes.any { it.subject == "sdk:matisse" && it.new.verdict == Verdict.ALLOW })
        assertEquals(listOf("start:mmkv"), sdks.events)
        gk.destroy()
    }

    @Test
    fun `concurrent refreshes and notifications start each SDK exactly once`() {
        val gk = consentedUser()
        val sdks = StubSdks("mmkv", "sensors_analytics", "facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)
        val pool = Executors.newFixedThreadPool(16)
        val go = CountDownLatch(1)
        val errors = CopyOnWriteArrayList<Throwable>()
        repeat(16) { i ->
            pool.execute {
                try {
                    go.await()
                    if (i == 0) gk.grant(emptyList(), listOf("facebook"), true, false, ConsentSource.SETTINGS)
                    registry.startAllowed()
                    gk.decideSdk("facebook")
                } catch (t: Throwable) {
                    errors += t
                }
            }
        }
        go.countDown()
        pool.shutdown()
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS))
        assertEquals(emptyList<Throwable>(), errors)
        assertEquals(1, sdks.count("start:mmkv"))
        assertEquals(1, sdks.count("start:sensors_analytics"))
        assertEquals(1, sdks.count("start:facebook"))
        assertEquals(setOf("mmkv", "sensors_analytics", "facebook"), registry.running())
        gk.destroy()
    }

    @Test
    fun `sdkId reads only sdk subjects`() {
        assertEquals("facebook", SdkRegistry.sdkId("sdk:facebook"))
        assertNull(SdkRegistry.sdkId("permission:camera"))
        assertNull(SdkRegistry.sdkId("purpose:analytics"))
    }
}
