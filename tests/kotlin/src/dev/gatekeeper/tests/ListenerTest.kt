// The change listener (contract §5): which calls reach it, with exactly which subjects.
package dev.gatekeeper.tests

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.atomic.AtomicReference

class ListenerTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `accepting the policy reports every SDK and permission whose decision changed`() {
        openExample(dir, ManualClock()).use { gk ->
            val l = RecordingListener()
            gk.setListener(l)
            gk.setProfile("CN", 30)
            assertEquals(0, l.calls.size, "no verdict changed, so no call")
            gk.acceptPolicy(false, "first_run_dialog")
            assertEquals(1, l.calls.size)
            val changes = l.calls.single()
            // Every watched subject was ask/policy_not_accepted and every one changes reason.
            assertEquals(
                Example.sdks.map { "sdk:$it" } + Example.permissions.map { "permission:$it" },
                changes.map { it.subject },
            )
            for (c in changes) {
                assertEquals(c.subject, c.old.subject)
                assertEquals(c.subject, c.new.subject)
                assertEquals(Reason.POLICY_NOT_ACCEPTED, c.old.reason)
                assertNotEquals(c.old.reason, c.new.reason)
            }
            assertEquals(
                setOf("sdk:mmkv", "sdk:matisse", "permission:camera", "permission:photos", "permission:microphone",
                    "permission:contacts", "permission:bluetooth"),
                changes.filter { it.new.verdict == Verdict.ALLOW }.map { it.subject }.toSet(),
            )
        }
    }

    @Test
    fun `withdrawing analytics reports exactly facebook and sensors analytics, allow to deny`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), listOf("facebook", "firebase_analytics"), true, false, "first_run_dialog")
            val l = RecordingListener()
            gk.setListener(l)
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(1, l.calls.size)
            val changes = l.calls.single()
            assertEquals(listOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"), changes.map { it.subject })
            assertTrue(changes.all { it.old.verdict == Verdict.ALLOW && it.new.verdict == Verdict.DENY })
            assertTrue(changes.all { it.new.reason == Reason.CONSENT_WITHDRAWN })

            // Withdrawing facebook's own grant as well leaves it at deny/consent_withdrawn.
            gk.withdraw(emptyList(), listOf("facebook"), "settings")
            assertEquals(1, l.calls.size, "same verdict and reason: no call")
        }
    }

    @Test
    fun `permission results are reported for that permission only`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            val l = RecordingListener()
            gk.setListener(l)
            gk.recordPermissionResult("photos", PermissionResult.DENIED_PERMANENTLY)
            assertEquals(listOf(listOf("permission:photos")), l.calls.map { c -> c.map { it.subject } })
            assertEquals(Reason.DENIED_PERMANENTLY, l.calls.single().single().new.reason)
            gk.recordPermissionResult("photos", PermissionResult.GRANTED)
            assertEquals(2, l.calls.size)
            assertEquals(Verdict.ALLOW, l.calls[1].single().new.verdict)
        }
    }

    @Test
    fun `a repeated grant changes nothing and is not reported`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("DE", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            val l = RecordingListener()
            gk.setListener(l)
            val again = gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            assertEquals(emptyList<DecisionChange>(), again)
            assertEquals(0, l.calls.size)
        }
    }

    @Test
    fun `changes carry one sequence number per write, in commit order`() {
        openExample(dir, ManualClock()).use { gk ->
            val l = RecordingListener()
            gk.setListener(l)
            gk.setProfile("CN", 30) // write 1: no verdict changed, nothing reported
            val accepted = gk.acceptPolicy(false, "first_run_dialog") // write 2
            val granted = gk.grant(listOf("analytics"), emptyList(), false, false, "settings") // write 3
            assertEquals(listOf(2L), accepted.map { it.sequence }.distinct())
            assertEquals(listOf(3L), granted.map { it.sequence }.distinct())
            assertEquals(listOf(2L, 3L), l.calls.map { c -> c.map { it.sequence }.distinct().single() })
        }
    }

    @Test
    fun `the listener may call back into the gatekeeper`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            val seen = AtomicReference<Verdict>()
            gk.setListener(object : ChangeListener {
                override fun onChange(changes: List<DecisionChange>) {
                    // Called after the core released its lock: no deadlock.
                    seen.set(gk.decideSdk("mmkv").verdict)
                }
            })
            gk.acceptPolicy(false, "first_run_dialog")
            assertEquals(Verdict.ALLOW, seen.get())
        }
    }

    @Test
    fun `a throwing listener does not undo or fail the write`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            gk.setListener(object : ChangeListener {
                override fun onChange(changes: List<DecisionChange>) = throw IllegalStateException("app bug")
            })
            val changes = gk.acceptPolicy(false, "first_run_dialog")
            assertTrue(changes.isNotEmpty())
            assertTrue(gk.state().policyAccepted)
            assertEquals(Verdict.ALLOW, gk.decideSdk("mmkv").verdict)
        }
    }

    @Test
    fun `setListener replaces the one listener and null removes it`() {
        val clock = ManualClock()
        openExample(dir, clock).use { gk ->
            gk.setProfile("CN", 30)
            val a = RecordingListener()
            val b = RecordingListener()
            gk.setListener(a)
            gk.setListener(b)
            gk.acceptPolicy(false, "first_run_dialog")
            assertEquals(0, a.calls.size)
            assertEquals(1, b.calls.size)
            gk.setListener(null)
            gk.recordPermissionResult("camera", PermissionResult.DENIED)
            assertEquals(1, b.calls.size)
            // The re-prompt window ending is a change by time alone: no write, no call.
            clock.advance(Duration.ofHours(49))
            assertEquals(Verdict.ALLOW, gk.decidePermission("camera", dev.gatekeeper.Trigger.USER_ACTION).verdict)
            assertEquals(1, b.calls.size)
        }
    }
}
