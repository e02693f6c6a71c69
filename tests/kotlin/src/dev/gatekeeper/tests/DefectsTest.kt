// Issue 13's defects that the bindings reach (1-5), through the Kotlin API: an older
// MAJOR never revives void consent, a contract purpose cannot be withdrawn, a plain grant
// never replaces a separate one, a clock set back never reorders the ledger, and a
// guardian can deny and withdraw.
package dev.gatekeeper.tests

import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.EventKind
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration

class DefectsTest {
    @TempDir
    lateinit var dir: Path

    private fun atVersion(version: String): String {
        val m = Example.manifest.replaceFirst("\"version\": \"3.1\"", "\"version\": \"$version\"")
        check(m != Example.manifest) { "the example's version was not found" }
        return m
    }

    private fun open(manifest: String, clock: ManualClock): Gatekeeper =
        Gatekeeper.open(dir.resolve("gatekeeper.db").toString(), manifest, GatekeeperOptions(clock))

    @Test
    fun `defect 1 - going back to an older MAJOR is a new MAJOR and revives nothing`() {
        val clock = ManualClock()
        open(atVersion("1.0"), clock).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), emptyList(), false, false, "first_run_dialog")
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, gk.decidePurpose("analytics").outcome())
        }
        open(atVersion("2.0"), clock).use { gk ->
            gk.acceptPolicy(false, "update_dialog")
            assertEquals(Reason.CONSENT_MISSING, gk.decidePurpose("analytics").reason)
            gk.grant(listOf("personalised_ads"), emptyList(), false, false, "update_dialog")
        }
        open(atVersion("1.0"), clock).use { gk ->
            assertEquals(Reason.POLICY_UPDATE_REQUIRES_ACCEPTANCE, gk.decidePurpose("analytics").reason)
            gk.acceptPolicy(false, "update_dialog")
            assertEquals(Verdict.ASK to Reason.CONSENT_MISSING, gk.decidePurpose("analytics").outcome())
            assertEquals(Verdict.ASK to Reason.CONSENT_MISSING, gk.decidePurpose("personalised_ads").outcome())
            assertEquals(ChoiceStatus.UNDECIDED, gk.state().purposes.first { it.id == "analytics" }.status)
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, gk.decidePurpose("analytics").outcome())
        }
    }

    @Test
    fun `defect 2 - a contract purpose cannot be withdrawn and nothing is recorded`() {
        openConsentedExample(dir, ManualClock()).use { gk ->
            val before = gk.export().receipts.size
            val e = assertThrows<GatekeeperException.InvalidArgument> {
                gk.withdraw(listOf("analytics", "essential"), emptyList(), "settings")
            }
            assertTrue(e.message!!.contains("cannot be withdrawn"), e.message)
            assertEquals(before, gk.export().receipts.size)
            assertEquals(Verdict.ALLOW, gk.decidePurpose("analytics").verdict, "analytics was not withdrawn either")
            assertEquals(ChoiceStatus.UNDECIDED, gk.state().purposes.first { it.id == "essential" }.status)
        }
    }

    @Test
    fun `defect 3 - a plain grant never switches off a separate one`() {
        val clock = ManualClock()
        openExample(dir, clock).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(emptyList(), listOf("google_pay"), true, false, "checkout")
            assertEquals(Verdict.ALLOW, gk.decideSdk("google_pay").verdict)
            clock.advance(Duration.ofDays(1))
            val changes = gk.grant(emptyList(), listOf("google_pay"), false, false, "settings")
            assertEquals(emptyList<Any>(), changes, "the payment SDK stays on")
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, gk.decideSdk("google_pay").outcome())
            val sdk = gk.state().sdks.first { it.id == "google_pay" }
            assertTrue(sdk.separate)
            assertEquals(T0, sdk.at)
        }
    }

    @Test
    fun `defect 4 - a clock set back never puts the ledger out of order`() {
        val clock = ManualClock()
        openExample(dir, clock).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), emptyList(), false, false, "first_run_dialog")
            val withdrawnAt = clock.advance(Duration.ofHours(1))
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            clock.set(withdrawnAt.minusMillis(1))
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            val times = gk.export().receipts.map { it.timestamp }
            assertEquals(times.sorted(), times)
            assertEquals(withdrawnAt, times.last(), "recorded at the last event's time, not before it")
            val d = gk.decidePurpose("analytics")
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, d.outcome())
            assertEquals(withdrawnAt, d.decidedAt)
            clock.set(T0.minus(Duration.ofDays(30)))
            assertEquals(withdrawnAt, gk.decidePurpose("essential").decidedAt)
        }
    }

    @Test
    fun `defect 5 - a guardian denies and withdraws, and the old calls still work`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 10)
            gk.acceptPolicy(true, "first_run_dialog")
            gk.grant(listOf("analytics", "personalised_ads"), emptyList(), false, true, "first_run_dialog")
            gk.withdraw(listOf("analytics"), emptyList(), "settings", byGuardian = true)
            gk.deny(listOf("personalised_ads"), emptyList(), "settings", true)
            gk.deny(listOf("push_notifications"), emptyList(), "settings")
            val last = gk.export().receipts.takeLast(3).map { Triple(it.event, it.subject, it.byGuardian) }
            assertEquals(
                listOf(
                    Triple(EventKind.WITHDRAWN, "purpose:analytics", true),
                    Triple(EventKind.DENIED, "purpose:personalised_ads", true),
                    Triple(EventKind.DENIED, "purpose:push_notifications", false),
                ),
                last,
            )
            assertTrue(gk.state().purposes.first { it.id == "analytics" }.byGuardian)
            assertFalse(gk.state().purposes.first { it.id == "push_notifications" }.byGuardian)
        }
    }
}
