// The app's whole journey, as the README's CLI example and `gatekeeper demo` tell it,
// through the Kotlin API: first run, policy acceptance, consent, SDK start, a permission
// prompt the OS denies, the re-prompt window, and withdrawal.
package dev.gatekeeper.tests

import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.EventKind
import dev.gatekeeper.Law
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.PermissionStatusKind
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration

class FlowTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `first run, consent, SDK start, permission prompt and withdrawal`() {
        val clock = ManualClock()
        openExample(dir, clock).use { gk ->
            // First run: a user in China aged 30. Nothing may start before the policy is accepted.
            assertEquals(emptyList<Any>(), gk.setProfile("CN", 30), "a profile alone changes no verdict")
            val first = gk.decideMany(Example.everything)
            assertEquals(Example.everything.size, first.size)
            for (d in first) {
                assertEquals(Verdict.ASK, d.verdict, d.subject)
                assertEquals(Reason.POLICY_NOT_ACCEPTED, d.reason, d.subject)
                assertEquals("CN", d.jurisdiction)
                assertEquals("3.1", d.policyVersion)
                assertEquals(T0, d.decidedAt)
            }
            assertEquals(
                Example.sdks.map { "sdk:$it" } + Example.permissions.map { "permission:$it" } +
                    Example.purposes.map { "purpose:$it" },
                first.map { it.subject },
                "decideMany answers in the order asked",
            )

            // The first-run dialog: accept the policy, grant analytics.
            val accepted = gk.acceptPolicy(false, "first_run_dialog")
            assertTrue(accepted.any { it.subject == "sdk:mmkv" && it.new.verdict == Verdict.ALLOW })
            val granted = gk.grant(listOf("analytics"), emptyList(), false, false, "first_run_dialog")
            assertEquals(setOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"), granted.map { it.subject }.toSet())

            // Sensors Analytics (entrusted, CN vendor) may start; Facebook (independent, US)
            // needs its own separate grant under PIPL.
            val sensors = gk.decideSdk("sensors_analytics")
            assertEquals(Verdict.ALLOW, sensors.verdict)
            assertEquals(Reason.CONSENTED, sensors.reason)
            assertEquals(T0.plus(Duration.ofDays(395)), sensors.validUntil, "consent_ttl_days")
            val facebook = gk.decideSdk("facebook")
            assertEquals(Verdict.ASK, facebook.verdict)
            assertEquals(Reason.SEPARATE_CONSENT_REQUIRED, facebook.reason)
            assertEquals(listOf("facebook"), facebook.sdks)

            gk.grant(emptyList(), listOf("facebook", "firebase_analytics"), true, false, "just_in_time")
            assertEquals(Verdict.ALLOW, gk.decideSdk("facebook").verdict)

            // SDK start: every SDK in one call.
            val start = gk.decideMany(Example.sdks.map { DecisionSubject.Sdk(it) })
            assertEquals(
                listOf("mmkv", "matisse", "facebook", "sensors_analytics", "firebase_analytics"),
                start.filter { it.verdict == Verdict.ALLOW }.map { it.subject.removePrefix("sdk:") },
            )
            val crash = start.single { it.subject == "sdk:firebase_crashlytics" }
            assertEquals(Reason.CONSENT_MISSING, crash.reason, "PIPL treats legitimate interest as consent")
            assertEquals(listOf("crash_reporting"), crash.purposes)

            // Permission prompt: never at launch, never in the background, fine on a tap.
            assertEquals(Reason.LAUNCH_TIME_REQUEST, gk.decidePermission("camera", Trigger.APP_LAUNCH).reason)
            assertEquals(Reason.NOT_USER_INITIATED, gk.decidePermission("camera", Trigger.BACKGROUND).reason)
            val camera = gk.decidePermission("camera", Trigger.USER_ACTION)
            assertEquals(Verdict.ALLOW, camera.verdict)
            assertEquals(Reason.NOT_CONSENT_BASED, camera.reason)

            // The OS prompt is shown an hour later and the user refuses it.
            val deniedAt = clock.advance(Duration.ofHours(1))
            val osDenied = gk.recordPermissionResult("camera", PermissionResult.DENIED)
            assertEquals(listOf("permission:camera"), osDenied.map { it.subject })
            assertEquals(Reason.RECENTLY_DENIED, osDenied.single().new.reason)

            // No re-prompt for 48 h (reprompt_after_denial_hours).
            clock.advance(Duration.ofHours(47))
            val tooSoon = gk.decidePermission("camera", Trigger.USER_ACTION)
            assertEquals(Verdict.DENY, tooSoon.verdict)
            assertEquals(Reason.RECENTLY_DENIED, tooSoon.reason)
            assertEquals(deniedAt.plus(Duration.ofHours(48)), tooSoon.retryAfter)
            assertEquals(deniedAt.plus(Duration.ofHours(48)), tooSoon.validUntil)
            clock.set(deniedAt.plus(Duration.ofHours(48)))
            val again = gk.decidePermission("camera", Trigger.USER_ACTION)
            assertEquals(Verdict.ALLOW, again.verdict, "the window is over at retryAfter")
            assertNull(again.retryAfter)

            // Withdrawal in the settings screen: the listener is told, in the same call,
            // of exactly the SDKs that serve analytics, going from allow to deny.
            val listener = RecordingListener()
            gk.setListener(listener)
            val withdrawnAt = clock.advance(Duration.ofDays(3))
            val returned = gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(1, listener.calls.size, "one listener call per write")
            val changes = listener.calls.single()
            assertEquals(returned, changes, "the write returns what the listener heard")
            assertEquals(listOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"), changes.map { it.subject })
            for (c in changes) {
                assertEquals(Verdict.ALLOW, c.old.verdict, c.subject)
                assertEquals(Reason.CONSENTED, c.old.reason, c.subject)
                assertEquals(Verdict.DENY, c.new.verdict, c.subject)
                assertEquals(Reason.CONSENT_WITHDRAWN, c.new.reason, c.subject)
                assertEquals(listOf("analytics"), c.new.purposes, c.subject)
                assertEquals(withdrawnAt.plus(Duration.ofDays(180)), c.new.retryAfter, "reask_after_denial_days")
            }
            assertEquals(Verdict.DENY, gk.decideSdk("sensors_analytics").verdict)
            assertEquals(Verdict.ALLOW, gk.decideSdk("mmkv").verdict, "contract-based SDKs keep running")

            // The record of it all.
            val state = gk.state()
            assertTrue(state.policyAccepted)
            assertEquals("CN", state.jurisdiction)
            assertEquals(Law.PIPL, state.law)
            assertFalse(state.child)
            assertEquals(ChoiceStatus.WITHDRAWN, state.purposes.single { it.id == "analytics" }.status)
            assertEquals(ChoiceStatus.GRANTED, state.sdks.single { it.id == "facebook" }.status)
            assertEquals(PermissionStatusKind.DENIED, state.permissions.single { it.id == "camera" }.status)
            assertEquals(6L, state.events, "profile, policy, 2 grants, permission result, withdrawal")
            val verify = gk.verify()
            assertTrue(verify.ok)
            assertEquals(6L, verify.events)

            val export = gk.export()
            // One receipt per event and subject: the separate grant named two SDKs.
            assertEquals(7, export.receipts.size)
            assertEquals(
                listOf(
                    "profile", "policy:phocol", "purpose:analytics", "sdk:facebook", "sdk:firebase_analytics",
                    "permission:camera", "purpose:analytics",
                ),
                export.receipts.map { it.subject },
            )
            val withdrawal = export.receipts.last()
            assertEquals(EventKind.WITHDRAWN, withdrawal.event)
            assertEquals("consent", withdrawal.basis)
            assertEquals("CN", withdrawal.jurisdiction)
            assertEquals(Law.PIPL, withdrawal.law)
            assertEquals("settings", withdrawal.source)
            assertEquals("phocol", withdrawal.policyId)
            assertEquals(withdrawnAt, withdrawal.timestamp)
            assertTrue(export.json.contains("\"receipts\""))
            assertTrue(export.decisionLog.any { it.subject == "permission:camera" && it.verdict == Verdict.DENY && it.reason == Reason.RECENTLY_DENIED })
        }
    }

    @Test
    fun `a child needs the guardian`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 12)
            gk.acceptPolicy(false, "first_run_dialog")
            assertEquals(Reason.GUARDIAN_CONSENT_REQUIRED, gk.decideSdk("mmkv").reason)
            gk.acceptPolicy(true, "guardian_dialog")
            assertEquals(Verdict.ALLOW, gk.decideSdk("mmkv").verdict)
            gk.grant(listOf("analytics"), emptyList(), false, false, "first_run_dialog")
            assertEquals(Reason.GUARDIAN_CONSENT_REQUIRED, gk.decideSdk("sensors_analytics").reason)
            gk.grant(listOf("analytics"), emptyList(), false, true, "guardian_dialog")
            assertEquals(Verdict.ALLOW, gk.decideSdk("sensors_analytics").verdict)
            assertTrue(gk.state().child)
        }
    }
}
