// Acknowledged means durable: what was written is there after close and reopen.
package dev.gatekeeper.tests

import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration

class PersistenceTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `state, decisions, ledger and decision log survive close and reopen`() {
        val clock = ManualClock()
        val first = openExample(dir, clock)
        first.setProfile("CN", 30)
        first.acceptPolicy(false, "first_run_dialog")
        first.grant(listOf("analytics", "push_notifications"), listOf("facebook"), true, false, "first_run_dialog")
        first.deny(listOf("personalised_ads"), emptyList(), "first_run_dialog")
        first.recordPermissionResult("camera", PermissionResult.DENIED)
        repeat(5) { first.decideSdk("sensors_analytics") }
        val decisions = first.decideMany(Example.everything)
        val state = first.state()
        val log = first.log()
        repeat(3) { first.decideSdk("sensors_analytics") } // buffered: only closeStore writes these
        first.closeStore()
        first.close()

        clock.advance(Duration.ofMinutes(1))
        openExample(dir, clock).use { again ->
            val reopened = again.state()
            assertEquals(state.events, reopened.events)
            assertEquals(5L, reopened.events, "profile, policy, one grant event for 3 items, deny, permission")
            assertEquals(state.purposes, reopened.purposes)
            assertEquals(state.sdks, reopened.sdks)
            assertEquals(state.permissions, reopened.permissions)
            assertEquals(state.acceptedAt, reopened.acceptedAt)
            assertEquals("CN", reopened.country)
            assertEquals(30, reopened.age)
            assertTrue(reopened.ledgerIntact)
            assertFalse(reopened.recoveredFromCorruption)
            assertTrue(again.verify().ok)

            // The decision log, repeat counts included (buffered, flushed on close).
            val sensors = again.log().single { it.subject == "sdk:sensors_analytics" }
            assertEquals(9L, sensors.count, "5 decideSdk + 1 decideMany + 3 decideSdk after log()")
            assertEquals(
                log.map { it.subject to if (it.subject == "sdk:sensors_analytics") 9L else it.count },
                again.log().map { it.subject to it.count },
            )

            val now = again.decideMany(Example.everything)
            assertEquals(decisions.map { it.subject to it.outcome() }, now.map { it.subject to it.outcome() })
            assertEquals(Reason.RECENTLY_DENIED, again.decidePermission("camera", Trigger.USER_ACTION).reason)
            assertEquals(Verdict.ALLOW, again.decideSdk("huawei_push").verdict)
            assertEquals(Verdict.DENY, again.decidePurpose("personalised_ads").verdict)
        }
    }

    @Test
    fun `dropping the object without closeStore also keeps every write`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("DE", 20)
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
        } // use {} -> close() -> the native object is freed, which closes the store
        openExample(dir, ManualClock()).use { gk ->
            assertEquals(3L, gk.state().events)
            assertEquals("EEA", gk.state().jurisdiction)
            assertEquals(Verdict.ALLOW, gk.decideSdk("sensors_analytics").verdict)
            val subjects = gk.decideMany(listOf(DecisionSubject.Sdk("facebook"))).single()
            assertEquals(Verdict.ALLOW, subjects.verdict, "GDPR ignores role and vendor country")
        }
    }

    @Test
    fun `erase leaves a new user behind, also after reopen`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            val changes = gk.erase()
            assertTrue(changes.any { it.subject == "sdk:mmkv" && it.new.reason == Reason.POLICY_NOT_ACCEPTED })
        }
        openExample(dir, ManualClock()).use { gk ->
            val s = gk.state()
            assertFalse(s.policyAccepted)
            assertEquals(null, s.country)
            assertEquals(1L, s.events, "one erased marker")
            assertTrue(s.erasedAt != null)
            assertEquals(Reason.POLICY_NOT_ACCEPTED, gk.decideSdk("mmkv").reason)
        }
    }
}
