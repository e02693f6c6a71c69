// Contract section 9 through the Kotlin API: basic mode after declinePolicy, decideAccess
// with its background gate and its interval on both sides of the boundary (never served
// from the DecisionCache), and the start log (recordSdkStarted / recordSdkStopped, and the
// adapters recording every real start and stop) with audit on both sides of the grace period.
package dev.gatekeeper.tests

import android.content.TestContext
import com.sensorsdata.analytics.android.sdk.SensorsDataAPI
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import dev.gatekeeper.ViolationKind
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.SdkAdapters
import dev.gatekeeper.adapters.SdkStartLog
import dev.gatekeeper.adapters.SensorsAnalyticsAdapter
import dev.gatekeeper.ktx.DecisionCache
import dev.gatekeeper.tests.standins.StandInLog
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/** The CLI's core/tests/fixtures/part_two.json, inline: `browse` and `records` are basic. */
val PART_TWO_MANIFEST = """
{"schema": 1,
 "policy": {"id": "qa", "version": "2.0", "effective": "2026-01-01", "controller": {"name": "QA Ltd."}},
 "settings": {"consent_ttl_days": 30, "reask_after_denial_days": 10},
 "default_jurisdiction": "CN",
 "jurisdictions": [{"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]}],
 "purposes": [
   {"id": "browse", "title": "Browsing", "basis": "contract", "basic": true},
   {"id": "orders", "title": "Orders", "basis": "contract"},
   {"id": "analytics", "title": "Usage analytics", "basis": "consent"}],
 "permissions": [{"id": "bluetooth", "title": "Bluetooth", "purposes": ["browse"]}],
 "sdks": [
   {"id": "storage", "name": "Storage", "vendor": "CN Ltd.", "vendor_country": "CN", "purposes": ["browse"]},
   {"id": "mixed", "name": "Mixed", "vendor": "CN Ltd.", "vendor_country": "CN", "purposes": ["browse", "orders"]},
   {"id": "stats", "name": "Stats", "vendor": "CN Ltd.", "vendor_country": "CN", "purposes": ["analytics"]}],
 "data_access": [
   {"id": "clipboard", "title": "Clipboard", "purposes": ["browse"], "min_interval_seconds": 10},
   {"id": "device_id", "title": "Device id", "purposes": ["analytics"], "min_interval_seconds": 60, "foreground_only": false}]}
""".trimIndent()

class PartTwoTest {
    @TempDir
    lateinit var dir: Path

    private fun open(clock: ManualClock): Gatekeeper =
        Gatekeeper.open(dir.resolve("qa.db").toString(), PART_TWO_MANIFEST, GatekeeperOptions(clock))

    private fun consented(clock: ManualClock): Gatekeeper = open(clock).also {
        it.setProfile("CN", 30)
        it.acceptPolicy(false, "first_run_dialog")
        it.grant(listOf("analytics"), emptyList(), false, false, "first_run_dialog")
    }

    @Test
    fun `declinePolicy keeps the basic service and asks for everything else`() {
        open(ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            assertEquals(Verdict.ASK to Reason.POLICY_NOT_ACCEPTED, gk.decideSdk("storage").outcome())
            val changes = gk.declinePolicy("first_run_dialog")
            assertTrue(changes.any { it.subject == "sdk:storage" && it.new.reason == Reason.BASIC_MODE }, changes.toString())
            assertEquals(Verdict.ALLOW to Reason.BASIC_MODE, gk.decideSdk("storage").outcome())
            assertEquals(Verdict.ASK to Reason.POLICY_NOT_ACCEPTED, gk.decideSdk("mixed").outcome())
            assertEquals(Verdict.ALLOW to Reason.BASIC_MODE, gk.decideAccess("clipboard", false).outcome())
            assertTrue(gk.state().declined)
            assertFalse(gk.state().policyAccepted)
            gk.acceptPolicy(false, "settings")
            assertFalse(gk.state().declined)
            assertEquals(Verdict.ALLOW to Reason.NOT_CONSENT_BASED, gk.decideSdk("mixed").outcome())
        }
    }

    @Test
    fun `decideAccess paces reads on both sides of the interval and is never cached`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            assertEquals(Verdict.DENY to Reason.BACKGROUND_ACCESS, gk.decideAccess("clipboard", true).outcome())
            assertEquals(Verdict.ALLOW to Reason.NOT_CONSENT_BASED, gk.decideAccess("clipboard", false).outcome())
            clock.set(T0.plusMillis(9_999))
            val limited = gk.decideAccess("clipboard", false)
            assertEquals(Verdict.DENY to Reason.RATE_LIMITED, limited.outcome())
            assertEquals(T0.plusSeconds(10), limited.retryAfter)
            clock.set(T0.plusSeconds(10))
            assertEquals(Verdict.ALLOW, gk.decideAccess("clipboard", false).verdict)
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, gk.decideAccess("device_id", true).outcome())

            // The cache asks the core every time: the second read at once is rate-limited.
            DecisionCache(gk, clock, listen = false).use { cache ->
                clock.set(T0.plusSeconds(20))
                assertEquals(Verdict.ALLOW, cache.access("clipboard").verdict)
                assertEquals(Reason.RATE_LIMITED, cache.access("clipboard").reason)
            }
            assertEquals(Reason.UNKNOWN_SUBJECT, gk.decideAccess("contacts", false).reason)
        }
    }

    @Test
    fun `the start log is audited on both sides of the grace period`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            assertThrows<GatekeeperException.UnknownId> { gk.recordSdkStarted("nope") }
            gk.recordSdkStarted("stats")
            clock.advance(Duration.ofSeconds(1))
            val withdrawnAt = clock.instant
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            clock.set(withdrawnAt.plusSeconds(10))
            assertTrue(gk.audit(10u).ok, "still within the grace period")
            clock.set(withdrawnAt.plusSeconds(10).plusMillis(1))
            val late = gk.audit(10u)
            assertFalse(late.ok)
            assertEquals(ViolationKind.NOT_STOPPED_AFTER_WITHDRAWAL, late.violations.single().kind)
            assertEquals(withdrawnAt, late.violations.single().at)
            assertEquals(Reason.CONSENT_WITHDRAWN, late.violations.single().decision.reason)
            gk.recordSdkStopped("stats")
            assertTrue(gk.audit(11u).ok, "the stop was 10.001 s after: an 11 s grace period covers it")
            assertFalse(gk.audit(10u).ok)
            val run = gk.audit(10u).sdks.single()
            assertEquals(Verdict.ALLOW, run.verdictAtStart)
            assertEquals(withdrawnAt.plusSeconds(10).plusMillis(1), run.stoppedAt)

            gk.recordSdkStarted("mixed")
            gk.declinePolicy("settings")
            gk.recordSdkStarted("stats") // not allowed in basic mode
            val violations = gk.audit(10u).violations.map { it.kind }
            assertTrue(ViolationKind.STARTED_WITHOUT_ALLOW in violations, violations.toString())
        }
    }

    @Test
    fun `the adapters record every real start and stop, and the audit passes`() {
        StandInLog.reset()
        SensorsDataAPI.resetProcess()
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            val recorded = CopyOnWriteArrayList<String>()
            val log = object : SdkStartLog {
                override fun started(sdkId: String) { recorded += "started $sdkId"; gk.recordSdkStarted(sdkId) }
                override fun stopped(sdkId: String) { recorded += "stopped $sdkId"; gk.recordSdkStopped(sdkId) }
            }
            val sensors = SensorsAnalyticsAdapter(TestContext(), "https://sa.example.com/sa?project=phocol", options = AdapterOptions(startLog = log))
            val driver = SdkAdapters(gk, listOf(sensors))
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings") // no second start
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(listOf("started sensors_analytics", "stopped sensors_analytics"), recorded.toList())
            val audit = gk.audit(10u)
            assertTrue(audit.ok, audit.violations.toString())
            assertEquals(listOf("sensors_analytics"), audit.sdks.map { it.sdk })
            assertEquals(Verdict.ALLOW, audit.sdks.single().verdictAtStart)
            driver.close()
        }
    }

    @Test
    fun `SdkAdapters records in the gatekeeper by default`() {
        StandInLog.reset()
        SensorsDataAPI.resetProcess()
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            val sensors = SensorsAnalyticsAdapter(TestContext(), "https://sa.example.com/sa?project=phocol")
            assertNull(sensors.startLog)
            val driver = SdkAdapters(gk, listOf(sensors))
            gk.acceptPolicy(false, "first_run_dialog")
            gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            val run = gk.audit(10u).sdks.single()
            assertEquals("sensors_analytics", run.sdk)
            assertTrue(run.startedAt != null && run.stoppedAt != null, run.toString())
            assertTrue(gk.audit(10u).ok)
            driver.close()
        }
    }
}
