package dev.gatekeeper.tests

import android.content.TestContext
import cn.jiguang.api.utils.JCollectionAuth
import cn.jpush.android.api.JPushInterface
import com.umeng.commonsdk.UMConfigure
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.adapters.AdapterLog
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.AdapterResult
import dev.gatekeeper.adapters.JPushAdapter
import dev.gatekeeper.adapters.SdkAdapters
import dev.gatekeeper.adapters.SdkStartLog
import dev.gatekeeper.adapters.SwitchMemory
import dev.gatekeeper.adapters.UmengAdapter
import dev.gatekeeper.tests.standins.ExpectedCalls.JPUSH_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.JPUSH_RESTART
import dev.gatekeeper.tests.standins.ExpectedCalls.JPUSH_START
import dev.gatekeeper.tests.standins.ExpectedCalls.UMENG_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.UMENG_RESTART
import dev.gatekeeper.tests.standins.ExpectedCalls.UMENG_START
import dev.gatekeeper.tests.standins.StandInLog
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

/** A PIPL app with Umeng analytics and JPush, the two SDKs MIIT's reports name most. */
val CHINA_MANIFEST = """
{"schema": 1,
 "policy": {"id": "cnapp", "version": "1.0", "effective": "2025-01-01", "controller": {"name": "CN App Ltd."}},
 "default_jurisdiction": "CN",
 "jurisdictions": [{"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]}],
 "purposes": [{"id": "essential", "title": "Core", "basis": "contract"},
              {"id": "analytics", "title": "Analytics", "basis": "consent"},
              {"id": "push_notifications", "title": "Push", "basis": "consent"}],
 "permissions": [{"id": "camera", "title": "Camera", "purposes": ["essential"]}],
 "sdks": [{"id": "umeng", "name": "Umeng+ U-App", "vendor": "Umeng (Alibaba)", "vendor_country": "CN", "purposes": ["analytics"]},
          {"id": "jpush", "name": "JPush", "vendor": "Aurora Mobile", "vendor_country": "CN", "purposes": ["push_notifications"]}]}
""".trimIndent()

/** The Umeng and JPush adapters, driven by the core through [SdkAdapters], against stand-ins. */
class ChinaPushAnalyticsAdapterTest {
    @TempDir
    lateinit var dir: Path

    private val context = TestContext()
    private val options = AdapterOptions(SwitchMemory.InMemory(), AdapterLog { _, _ -> })
    private lateinit var gk: Gatekeeper

    @BeforeEach
    fun fresh() {
        StandInLog.reset()
        UMConfigure.resetProcess()
        JPushInterface.resetProcess()
        JCollectionAuth.resetProcess()
        gk = Gatekeeper.open(dir.resolve("cn.db").toString(), CHINA_MANIFEST, GatekeeperOptions(ManualClock()))
        gk.setProfile("CN", 30)
    }

    @AfterEach
    fun close() {
        gk.destroy()
    }

    private fun drain(): List<String> = StandInLog.calls.toList().also { StandInLog.calls.clear() }

    private fun adapters() = listOf(
        UmengAdapter(context, appKey = "5f0000000000000000000000", channel = "official", options = options),
        JPushAdapter(context, options = options),
    )

    @Test
    fun `Umeng and JPush start only after allow and stop on withdrawal`() {
        val driver = SdkAdapters(gk, adapters())
        driver.applyAll()
        gk.acceptPolicy(false, "first_run_dialog")
        assertEquals(emptyList<String>(), drain(), "nothing reaches either SDK before the user consents")
        assertFalse(UMConfigure.collecting)

        gk.grant(listOf("analytics"), emptyList(), false, false, "first_run_dialog")
        assertEquals(UMENG_START, drain(), "in the grant call itself, preInit and the grant before init")
        assertTrue(UMConfigure.collecting)

        gk.grant(listOf("push_notifications"), emptyList(), false, false, "first_run_dialog")
        assertEquals(JPUSH_START, drain(), "setAuth(true) before init")
        assertTrue(JCollectionAuth.auth)

        gk.withdraw(listOf("analytics", "push_notifications"), emptyList(), "settings")
        assertEquals(UMENG_OFF + JPUSH_OFF, drain())
        assertFalse(UMConfigure.collecting)
        assertFalse(JCollectionAuth.auth)
        assertTrue(JPushInterface.isPushStopped(context))
        assertFalse(driver.adapter("umeng")!!.isOn)
        assertFalse(driver.adapter("jpush")!!.isOn)

        // Consent again in the same process: resumed, not initialised twice (the stand-ins throw).
        gk.grant(listOf("analytics", "push_notifications"), emptyList(), false, false, "settings")
        assertEquals(UMENG_RESTART + JPUSH_RESTART, drain())
        assertTrue(UMConfigure.collecting)
        assertFalse(JPushInterface.isPushStopped(context))
        driver.applyAll()
        assertEquals(emptyList<String>(), drain(), "nothing twice")
        driver.close()
    }

    @Test
    fun `a denial or a bare policy acceptance starts neither`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        gk.deny(listOf("analytics", "push_notifications"), emptyList(), "first_run_dialog")
        driver.applyAll()
        assertEquals(emptyList<String>(), drain())
        assertTrue(driver.applyAll().all { it == AdapterResult.AlreadyInState(it.sdkId, false) })
        driver.close()
    }

    @Test
    fun `JPush is kept off at launch with setAuth(false) only, and a failed init is undone`() {
        val jpush = JPushAdapter(context, options = options)
        assertEquals(AdapterResult.Applied("jpush", false, listOf("JCollectionAuth.setAuth(TestContext, false)")), jpush.keepOffUntilAllowed())
        assertEquals(listOf("JCollectionAuth.setAuth(Context, false)"), drain())
        assertFalse(jpush.isOn)

        StandInLog.failNext = "JPushInterface.init"
        assertEquals(AdapterResult.Failed("jpush", "JPushInterface.init(TestContext)", "IllegalStateException"), jpush.switchOn())
        assertFalse(jpush.isOn)
        assertEquals(listOf("JCollectionAuth.setAuth(Context, true)") + JPUSH_OFF, drain(), "the half-done start is undone")
        assertFalse(JCollectionAuth.auth)
        assertInstanceOf(AdapterResult.Applied::class.java, jpush.switchOn())
        assertEquals(JPUSH_START, drain())
    }

    @Test
    fun `an Umeng left on by an earlier run is switched off at the next launch`() {
        val memory = SwitchMemory.InMemory()
        val opts = AdapterOptions(memory, AdapterLog { _, _ -> })
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
        SdkAdapters(gk, listOf(UmengAdapter(context, "k", "c", options = opts))).use { it.applyAll() }
        assertTrue(memory.wasOn("umeng"))
        gk.withdraw(listOf("analytics"), emptyList(), "settings_while_not_listening")
        StandInLog.reset()
        UMConfigure.resetProcess()

        SdkAdapters(gk, listOf(UmengAdapter(context, "k", "c", options = opts))).use { it.applyAll() }
        assertEquals(UMENG_OFF, drain())
        assertFalse(memory.wasOn("umeng"))
    }

    /** Records the start log's entries (an app's would call recordSdkStarted / recordSdkStopped). */
    private class RecordingStartLog : SdkStartLog {
        val entries = CopyOnWriteArrayList<String>()
        override fun started(sdkId: String) {
            entries += "started $sdkId"
        }
        override fun stopped(sdkId: String) {
            entries += "stopped $sdkId"
        }
    }

    @Test
    fun `Umeng and JPush record their real starts and stops in the start log, and nothing else`() {
        val startLog = RecordingStartLog()
        val opts = AdapterOptions(SwitchMemory.InMemory(), AdapterLog { _, _ -> }, startLog = startLog)
        val umeng = UmengAdapter(context, "k", "c", options = opts)
        val jpush = JPushAdapter(context, options = opts)
        val driver = SdkAdapters(gk, listOf(umeng, jpush))
        gk.acceptPolicy(false, "first_run_dialog")
        assertEquals(emptyList<String>(), startLog.entries.toList())
        gk.grant(listOf("analytics", "push_notifications"), emptyList(), false, false, "settings")
        gk.grant(listOf("analytics"), emptyList(), false, false, "settings") // no second start
        gk.withdraw(listOf("analytics", "push_notifications"), emptyList(), "settings")
        driver.applyAll()
        assertEquals(listOf("started umeng", "started jpush", "stopped umeng", "stopped jpush"), startLog.entries.toList())

        // A start that fails half way never ran: neither it nor its undo is recorded.
        startLog.entries.clear()
        StandInLog.failNext = "JPushInterface.resumePush"
        gk.grant(listOf("push_notifications"), emptyList(), false, false, "settings")
        assertFalse(jpush.isOn)
        assertEquals(emptyList<String>(), startLog.entries.toList())
        driver.close()
    }

    @Test
    fun `Umeng and JPush record into the gatekeeper's own start log by default, and the audit passes`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics", "push_notifications"), emptyList(), false, false, "settings")
        gk.withdraw(listOf("analytics", "push_notifications"), emptyList(), "settings")
        driver.applyAll()
        val audit = gk.audit(10u)
        assertTrue(audit.ok, audit.violations.toString())
        assertEquals(listOf("jpush", "umeng"), audit.sdks.map { it.sdk }.sorted())
        for (run in audit.sdks) {
            assertEquals(dev.gatekeeper.Verdict.ALLOW, run.verdictAtStart, run.sdk)
            assertTrue(run.stoppedAt != null, "${run.sdk} was stopped after the withdrawal")
        }
        driver.close()
    }
}
