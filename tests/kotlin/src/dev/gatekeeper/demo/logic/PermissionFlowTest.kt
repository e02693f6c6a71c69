package dev.gatekeeper.demo.logic

import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

class PermissionFlowTest {
    @TempDir
    lateinit var dir: Path

    private val clock = DemoClock()

    @Test
    fun `before the policy is accepted the camera button shows the policy, not the OS prompt`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val step = PermissionFlow(gk).request("camera")
        assertEquals(PermissionStep.ShowPolicy("camera", step.decision, isUpdate = false), step)
        assertEquals(Reason.POLICY_NOT_ACCEPTED, step.decision.reason)
        gk.destroy()
    }

    @Test
    fun `camera on a tap is allowed, at launch or in the background it is not`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)

        val tap = flow.request("camera")
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, tap)
        assertEquals(Verdict.ALLOW, tap.decision.verdict)
        assertEquals(Reason.NOT_CONSENT_BASED, tap.decision.reason)

        val launch = flow.request("camera", Trigger.APP_LAUNCH)
        assertInstanceOf(PermissionStep.Blocked::class.java, launch)
        assertEquals(Reason.LAUNCH_TIME_REQUEST, launch.decision.reason)

        val background = flow.request("camera", Trigger.BACKGROUND)
        assertEquals(Reason.NOT_USER_INITIATED, background.decision.reason)
        gk.destroy()
    }

    @Test
    fun `after the OS denies, the next tap says try again after 48 hours`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, flow.request("camera"))

        val changes = flow.record("camera", PermissionFlow.androidResult(granted = false, rationaleBefore = false, rationaleAfter = true))
        assertEquals(listOf("permission:camera"), changes.map { it.subject })

        val step = flow.request("camera")
        val expected = DemoFixtures.START.plus(Duration.ofHours(48))
        assertEquals(PermissionStep.TryAgainLater("camera", step.decision, expected), step)
        assertEquals(Reason.RECENTLY_DENIED, step.decision.reason)
        assertEquals(
            "You declined this recently. You can try again after 2026-01-03 00:00.",
            PermissionFlow.message(step, ZoneOffset.UTC),
        )

        clock.advance(Duration.ofHours(47))
        assertInstanceOf(PermissionStep.TryAgainLater::class.java, flow.request("camera"))
        clock.advance(Duration.ofHours(1))
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, flow.request("camera"))
        gk.destroy()
    }

    @Test
    fun `a permanent denial sends the user to system settings until the OS grants`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)

        flow.record("camera", PermissionFlow.androidResult(granted = false, rationaleBefore = true, rationaleAfter = false))
        clock.advance(Duration.ofDays(30))
        val step = flow.request("camera")
        assertInstanceOf(PermissionStep.OpenSystemSettings::class.java, step)
        assertEquals(Reason.DENIED_PERMANENTLY, step.decision.reason)

        flow.record("camera", PermissionResult.GRANTED)
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, flow.request("camera"))
        gk.destroy()
    }

    @Test
    fun `location needs a separate just-in-time consent for its sensitive purpose`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)

        val ask = flow.request("location")
        assertInstanceOf(PermissionStep.AskConsent::class.java, ask)
        ask as PermissionStep.AskConsent
        assertEquals(listOf("location_services"), ask.purposes)
        assertEquals(false, ask.byGuardian)

        val next = flow.grantAndRetry(ask)
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, next)
        val status = gk.state().purposes.single { it.id == "location_services" }
        assertEquals(ChoiceStatus.GRANTED, status.status)
        assertTrue(status.separate)
        assertEquals("just_in_time", gk.export().receipts.last().source)

        // Location waits 168 h after an OS refusal (its own reprompt_after_denial_hours).
        flow.record("location", PermissionResult.DENIED)
        val later = flow.request("location") as PermissionStep.TryAgainLater
        assertEquals(DemoFixtures.START.plus(Duration.ofHours(168)), later.retryAfter)
        gk.destroy()
    }

    @Test
    fun `refusing the just-in-time consent blocks the prompt`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)
        val ask = flow.request("location") as PermissionStep.AskConsent

        flow.refuse(ask)

        val step = flow.request("location")
        assertInstanceOf(PermissionStep.Blocked::class.java, step)
        assertEquals(Reason.CONSENT_DENIED, step.decision.reason)
        assertEquals(DemoFixtures.START.plus(Duration.ofDays(180)), step.decision.retryAfter)
        gk.destroy()
    }

    @Test
    fun `a child's just-in-time consent must come from a guardian`() {
        val gk = DemoFixtures.open(dir, clock)
        gk.setProfile("CN", 12)
        gk.acceptPolicy(true, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)

        val ask = flow.request("location") as PermissionStep.AskConsent
        assertTrue(ask.byGuardian, "a child's consent prompt is addressed to the guardian")
        assertEquals(listOf("location_services"), ask.purposes)

        // The core agrees: the child's own grant does not count.
        gk.grant(ask.purposes, ask.sdks, true, false, ConsentSource.JUST_IN_TIME)
        val again = flow.request("location") as PermissionStep.AskConsent
        assertEquals(Reason.GUARDIAN_CONSENT_REQUIRED, again.decision.reason)
        assertTrue(again.byGuardian)

        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, flow.grantAndRetry(again))
        assertTrue(gk.state().purposes.single { it.id == "location_services" }.byGuardian)
        gk.destroy()
    }

    @Test
    fun `unknown permission ids are blocked and cannot be recorded`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val flow = PermissionFlow(gk)
        val step = flow.request("teleport")
        assertInstanceOf(PermissionStep.Blocked::class.java, step)
        assertEquals(Reason.UNKNOWN_SUBJECT, step.decision.reason)
        assertThrows(GatekeeperException.UnknownId::class.java) { flow.record("teleport", PermissionResult.GRANTED) }
        gk.destroy()
    }

    @Test
    fun `android results map to the ledger's three values`() {
        assertEquals(PermissionResult.GRANTED, PermissionFlow.androidResult(true, false, false))
        assertEquals(PermissionResult.GRANTED, PermissionFlow.androidResult(true, true, false))
        // First refusal: Android will show a rationale next time, and may prompt again.
        assertEquals(PermissionResult.DENIED, PermissionFlow.androidResult(false, false, true))
        assertEquals(PermissionResult.DENIED, PermissionFlow.androidResult(false, true, true))
        // Rationale before, none after: "don't ask again" / second refusal on Android 11+.
        assertEquals(PermissionResult.DENIED_PERMANENTLY, PermissionFlow.androidResult(false, true, false))
        // Neither: the dialog was dismissed; read cautiously as a plain refusal.
        assertEquals(PermissionResult.DENIED, PermissionFlow.androidResult(false, false, false))
    }

    @Test
    fun `messages for steps without their own dialog`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val d = gk.decidePermission("camera", Trigger.USER_ACTION)
        assertEquals(null, PermissionFlow.message(PermissionStep.ShowSystemPrompt("camera", d)))
        assertEquals(
            "You declined this recently. Please try again later.",
            PermissionFlow.message(PermissionStep.TryAgainLater("camera", d, null)),
        )
        assertTrue(PermissionFlow.message(PermissionStep.OpenSystemSettings("camera", d))!!.contains("Settings"))
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), d.decidedAt)
        gk.destroy()
    }
}
