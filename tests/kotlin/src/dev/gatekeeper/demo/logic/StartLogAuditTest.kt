package dev.gatekeeper.demo.logic

import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import dev.gatekeeper.ViolationKind
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration

/**
 * The emulator flow of `android-demo/app/src/androidTest/.../StartLogAuditInstrumentedTest.kt`
 * on the desktop JVM (contract §9): the demo's classes with stub SDKs, through a decline
 * (basic mode starts only the basic SDKs), agree, consent and a withdrawal, then the same
 * audit checks a QA team runs with `gatekeeper audit` on the store pulled from the device.
 */
class StartLogAuditTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `the demo flow leaves a store that passes the audit`() {
        val clock = DemoClock()
        val gk = DemoFixtures.open(dir, clock)
        val events = mutableListOf<String>()
        val app = PhocolGate(gk, start = { events += "start:$it" }, stop = { events += "stop:$it" })
        app.onAppStart("CN")

        // Disagree, basic service: only the SDKs whose purposes are all basic start.
        val basic = app.firstRun.declinePolicy()
        // The registry is the gatekeeper's listener: the decline's notification started them.
        assertEquals(setOf("mmkv", "matisse"), app.sdks.running())
        assertEquals(listOf("start:mmkv", "start:matisse"), events.toList())
        assertEquals(Reason.BASIC_MODE, basic.decisions.getValue("mmkv").reason)
        assertEquals(Verdict.ASK to Reason.POLICY_NOT_ACCEPTED, basic.decisions.getValue("sensors_analytics").let { it.verdict to it.reason })
        assertTrue(gk.state().declined)
        assertEquals(LaunchScreen.NONE, app.firstRun.launchScreen(), "a recorded decline is not asked again")
        assertEquals(AppMode.BROWSE_ONLY, app.firstRun.mode)

        app.firstRun.agree()
        app.consent.setPurpose("analytics", true)
        app.consent.setSdk("facebook", true)
        clock.advance(Duration.ofMinutes(5))
        app.consent.setPurpose("analytics", false)
        assertTrue(events.containsAll(listOf("stop:sensors_analytics", "stop:facebook")), events.toString())

        val audit = gk.audit(10u)
        assertTrue(audit.ok, audit.violations.toString())
        assertEquals(listOf("mmkv", "matisse", "sensors_analytics", "facebook"), audit.sdks.map { it.sdk })
        assertTrue(audit.sdks.all { it.verdictAtStart == Verdict.ALLOW })
        assertEquals(setOf("sensors_analytics", "facebook"), audit.sdks.filter { it.stoppedAt != null }.map { it.sdk }.toSet())
        gk.destroy()
    }

    @Test
    fun `an SDK started behind the gatekeeper's back fails the audit`() {
        val clock = DemoClock()
        val gk = DemoFixtures.open(dir, clock)
        val app = PhocolGate(gk, start = {}, stop = {})
        app.onAppStart("CN")
        // An SDK that initialises itself at launch, before the first-run dialog.
        gk.recordSdkStarted("sensors_analytics")
        app.firstRun.agree()
        val audit = gk.audit(10u)
        assertFalse(audit.ok)
        assertEquals(listOf(ViolationKind.STARTED_WITHOUT_ALLOW), audit.violations.map { it.kind })
        assertEquals(Reason.POLICY_NOT_ACCEPTED, audit.violations.single().decision.reason)
        gk.destroy()
    }
}
