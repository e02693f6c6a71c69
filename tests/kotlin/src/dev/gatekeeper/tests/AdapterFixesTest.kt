package dev.gatekeeper.tests

import android.content.TestContext
import com.sensorsdata.analytics.android.sdk.SensorsDataAPI
import dev.gatekeeper.ConsentStatus
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.adapters.AMapAdapter
import dev.gatekeeper.adapters.AdapterLog
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.AdapterResult
import dev.gatekeeper.adapters.FirebaseAnalyticsAdapter
import dev.gatekeeper.adapters.GoogleSignInAdapter
import dev.gatekeeper.adapters.HuaweiPushAdapter
import dev.gatekeeper.adapters.SdkAdapters
import dev.gatekeeper.adapters.SdkStartLog
import dev.gatekeeper.adapters.SensorsAnalyticsAdapter
import dev.gatekeeper.adapters.SwitchMemory
import dev.gatekeeper.tests.standins.ExpectedCalls.GOOGLE_SIGN_OUT
import dev.gatekeeper.tests.standins.ExpectedCalls.HMS_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.SENSORS_START
import dev.gatekeeper.tests.standins.StandInLog
import dev.gatekeeper.tests.standins.StandInTasks
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

/**
 * Issue 17's defects, each against stand-ins that model the real SDK's behaviour where the
 * defect lies: Sensors' `disableSDK` flushing `$AppDataTrackingClose`, AMap's separate entry
 * classes, HMS and Google tasks and Credential Manager callbacks that complete later or fail,
 * and Firebase's Consent Mode v2 signals from the core.
 */
class AdapterFixesTest {
    @TempDir
    lateinit var dir: Path

    private val context = TestContext()
    private val late = CopyOnWriteArrayList<AdapterResult>()
    private val options = AdapterOptions(log = AdapterLog { _, _ -> }, lateResults = { late += it })
    private lateinit var gk: Gatekeeper

    @BeforeEach
    fun fresh() {
        StandInLog.reset()
        SensorsDataAPI.resetProcess()
        gk = openExample(dir, ManualClock())
        gk.setProfile("CN", 30)
    }

    @AfterEach
    fun close() {
        gk.destroy()
    }

    private fun drain(): List<String> = StandInLog.calls.toList().also { StandInLog.calls.clear() }

    /** A class loader that cannot see [hidden] (as an app built without those SDK artifacts). */
    private class Without(vararg hidden: String) : ClassLoader(AdapterFixesTest::class.java.classLoader) {
        private val hidden = hidden.toSet()
        override fun loadClass(name: String, resolve: Boolean): Class<*> {
            if (hidden.any { name == it || name.startsWith("$it.") || name.startsWith("$it\$") }) throw ClassNotFoundException(name)
            return super.loadClass(name, resolve)
        }
    }

    @Test
    fun `Sensors withdrawal deletes the unsent queue before disableSDK flushes it`() {
        val sensors = SensorsAnalyticsAdapter(context, "https://sa.example.com/sa", options = options)
        assertInstanceOf(AdapterResult.Applied::class.java, sensors.switchOn())
        SensorsDataAPI.sharedInstance().track("ViewProduct")
        drain()

        assertInstanceOf(AdapterResult.Applied::class.java, sensors.switchOff())

        assertEquals(listOf("SensorsDataAPI.deleteAll()", "SensorsDataAPI.disableSDK()"), drain(), "deleteAll comes first")
        // What still leaves: the SDK's own close event, which it tracks inside disableSDK.
        assertEquals(listOf("\$AppDataTrackingClose"), SensorsDataAPI.sent, "no event queued before the withdrawal is sent")
    }

    @Test
    fun `AMap with only the location and search SDKs is found and switched`() {
        val amap = AMapAdapter(context, options = AdapterOptions(classLoader = Without(AMapAdapter.MAPS), log = { _, _ -> }))
        assertTrue(amap.isPresent(), "the 3D map SDK is not the only entry class")
        assertInstanceOf(AdapterResult.Applied::class.java, amap.switchOn())
        assertEquals(
            listOf(
                "AMapLocationClient.updatePrivacyShow(Context, true, true)",
                "AMapLocationClient.updatePrivacyAgree(Context, true)",
                "ServiceSettings.updatePrivacyShow(Context, true, true)",
                "ServiceSettings.updatePrivacyAgree(Context, true)",
            ),
            drain(),
        )
        assertInstanceOf(AdapterResult.Applied::class.java, amap.switchOff())
        assertEquals(listOf("AMapLocationClient.updatePrivacyAgree(Context, false)", "ServiceSettings.updatePrivacyAgree(Context, false)"), drain())
        // Without any AMap SDK it is absent.
        val none = AMapAdapter(context, options = AdapterOptions(classLoader = Without("com.amap"), log = { _, _ -> }))
        assertEquals(AdapterResult.SdkAbsent("amap", AMapAdapter.MAPS), none.switchOn())
    }

    @Test
    fun `an HMS turnOnPush task that fails at once fails the start, which is undone`() {
        val memory = SwitchMemory.InMemory()
        val hms = HuaweiPushAdapter(context, options = AdapterOptions(memory, log = { _, _ -> }))
        StandInTasks.mode = StandInTasks.Mode.FAIL
        assertEquals(AdapterResult.Failed("huawei_push", "HmsMessaging.turnOnPush()", "IllegalStateException"), hms.switchOn())
        assertFalse(hms.isOn)
        // The undo ran (its turnOffPush failed too, so the SDK stays remembered as possibly on).
        assertEquals(
            listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(true)", "HmsMessaging.turnOnPush()") + HMS_OFF,
            drain(),
        )
        assertTrue(memory.wasOn("huawei_push"))
        StandInTasks.mode = StandInTasks.Mode.SUCCEED
        assertInstanceOf(AdapterResult.Applied::class.java, hms.switchOff())
        assertFalse(memory.wasOn("huawei_push"))
    }

    @Test
    fun `an HMS task that completes later reports its real outcome`() {
        val memory = SwitchMemory.InMemory()
        val hms = HuaweiPushAdapter(context, options = AdapterOptions(memory, log = { _, _ -> }, lateResults = { late += it }))
        StandInTasks.mode = StandInTasks.Mode.LATER
        val on = hms.switchOn()
        assertEquals(listOf("HmsMessaging.turnOnPush()"), (on as AdapterResult.Applied).pending)
        assertTrue(hms.isOn)
        drain()

        // turnOnPush fails later: the start is undone and reported.
        StandInTasks.mode = StandInTasks.Mode.SUCCEED
        StandInTasks.pending.removeAt(0).fail(IllegalStateException("HMS Core unavailable"))
        assertEquals(listOf<AdapterResult>(AdapterResult.Failed("huawei_push", "HmsMessaging.turnOnPush()", "IllegalStateException")), late)
        assertFalse(hms.isOn)
        assertEquals(HMS_OFF, drain())
        assertFalse(memory.wasOn("huawei_push"))

        // On again, then a stop whose turnOffPush fails later: remembered as possibly on.
        late.clear()
        assertInstanceOf(AdapterResult.Applied::class.java, hms.switchOn())
        StandInTasks.mode = StandInTasks.Mode.LATER
        assertEquals(listOf("HmsMessaging.turnOffPush()"), (hms.switchOff() as AdapterResult.Applied).pending)
        assertFalse(memory.wasOn("huawei_push"))
        StandInTasks.pending.removeAt(0).fail(IllegalStateException("HMS Core unavailable"))
        assertEquals(listOf<AdapterResult>(AdapterResult.Failed("huawei_push", "HmsMessaging.turnOffPush()", "IllegalStateException")), late)
        assertTrue(memory.wasOn("huawei_push"), "the next switch-off tries again")

        // A late success is reported as such.
        late.clear()
        drain()
        assertInstanceOf(AdapterResult.Applied::class.java, hms.switchOff())
        StandInTasks.pending.removeAt(0).succeed()
        assertEquals(listOf<AdapterResult>(AdapterResult.Applied("huawei_push", false, listOf("HmsMessaging.turnOffPush()"))), late)
        assertFalse(memory.wasOn("huawei_push"))
    }

    @Test
    fun `a start undone by a late task failure is recorded as a stop in the start log`() {
        val entries = CopyOnWriteArrayList<String>()
        val startLog = object : SdkStartLog {
            override fun started(sdkId: String) {
                entries += "started $sdkId"
            }
            override fun stopped(sdkId: String) {
                entries += "stopped $sdkId"
            }
        }
        val hms = HuaweiPushAdapter(context, options = AdapterOptions(log = { _, _ -> }, startLog = startLog))
        StandInTasks.mode = StandInTasks.Mode.LATER
        hms.switchOn()
        assertEquals(listOf("started huawei_push"), entries.toList())
        StandInTasks.mode = StandInTasks.Mode.SUCCEED
        StandInTasks.pending.removeAt(0).fail(IllegalStateException("HMS Core unavailable"))
        assertFalse(hms.isOn)
        assertEquals(listOf("started huawei_push", "stopped huawei_push"), entries.toList())
    }

    @Test
    fun `Google withdrawal clears Credential Manager state and signs the legacy client out, each outcome reported`() {
        val memory = SwitchMemory.InMemory()
        val google = GoogleSignInAdapter(context, options = AdapterOptions(memory, log = { _, _ -> }, lateResults = { late += it }))
        assertInstanceOf(AdapterResult.Applied::class.java, google.switchOn())
        drain()

        // Both fail at once: the switch-off fails, and is tried again next time.
        StandInTasks.mode = StandInTasks.Mode.FAIL
        assertEquals(
            AdapterResult.Failed("google_sign_in", "CredentialManager.clearCredentialStateAsync", "ClearCredentialUnknownException"),
            google.switchOff(),
        )
        assertEquals(GOOGLE_SIGN_OUT, drain(), "the legacy sign-out is still attempted")
        assertTrue(memory.wasOn("google_sign_in"))

        // Later: pending until the callback and the task arrive.
        StandInTasks.mode = StandInTasks.Mode.LATER
        val off = google.switchOff() as AdapterResult.Applied
        assertEquals(listOf("CredentialManager.clearCredentialStateAsync", "GoogleSignInClient.signOut()"), off.pending)
        StandInTasks.pending.toList().forEach { it.succeed() }
        assertEquals(2, late.size)
        assertTrue(late.all { it is AdapterResult.Applied }, late.toString())
        assertFalse(memory.wasOn("google_sign_in"))
    }

    @Test
    fun `Google Sign-In works with Credential Manager alone and with the legacy API alone`() {
        val cmOnly = GoogleSignInAdapter(context, options = AdapterOptions(classLoader = Without(GoogleSignInAdapter.CLASS), log = { _, _ -> }))
        assertTrue(cmOnly.isPresent())
        cmOnly.switchOn()
        assertInstanceOf(AdapterResult.Applied::class.java, cmOnly.switchOff())
        assertEquals(listOf("CredentialManager.create(Context)", "CredentialManager.clearCredentialStateAsync(ClearCredentialStateRequest)"), drain())

        val legacyOnly = GoogleSignInAdapter(context, options = AdapterOptions(classLoader = Without("androidx.credentials"), log = { _, _ -> }))
        assertTrue(legacyOnly.isPresent())
        legacyOnly.switchOn()
        assertInstanceOf(AdapterResult.Applied::class.java, legacyOnly.switchOff())
        assertEquals(GOOGLE_SIGN_OUT.drop(2), drain())
    }

    @Test
    fun `Firebase gets the four Consent Mode signals from the core on start, on change and after a withdrawal`() {
        val firebase = FirebaseAnalyticsAdapter(context, options = options)
        val sensors = SensorsAnalyticsAdapter(context, "https://sa.example.com/sa", options = options)
        val driver = SdkAdapters(gk, listOf(sensors, firebase))
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics"), listOf("firebase_analytics"), true, false, "settings")
        val mode = gk.consentMode()
        assertEquals(ConsentStatus.GRANTED, mode.analyticsStorage)
        assertEquals(ConsentStatus.DENIED, mode.adStorage)
        assertEquals(
            SENSORS_START + listOf(
                "FirebaseAnalytics.getInstance(Context)",
                "FirebaseAnalytics.setConsent(AD_STORAGE=DENIED, ANALYTICS_STORAGE=GRANTED, AD_USER_DATA=DENIED, AD_PERSONALIZATION=DENIED)",
                "FirebaseAnalytics.setAnalyticsCollectionEnabled(true)",
            ),
            drain(),
        )

        // personalised_ads declares the three ad signals: granting it changes them, and the
        // next refresh (applyAll, or any change notification) tells Firebase.
        gk.grant(listOf("personalised_ads"), emptyList(), false, false, "settings")
        driver.applyAll()
        assertEquals(
            listOf(
                "FirebaseAnalytics.getInstance(Context)",
                "FirebaseAnalytics.setConsent(AD_STORAGE=GRANTED, ANALYTICS_STORAGE=GRANTED, AD_USER_DATA=GRANTED, AD_PERSONALIZATION=GRANTED)",
            ),
            drain(),
        )
        driver.applyAll()
        assertEquals(emptyList<String>(), drain(), "unchanged signals are not sent again")

        // A withdrawal of personalised_ads with a change notification (push granted in the
        // same app run makes one): the signals follow in the notification.
        gk.withdraw(listOf("personalised_ads"), emptyList(), "settings")
        gk.grant(listOf("push_notifications"), emptyList(), false, false, "settings")
        assertEquals(
            listOf(
                "FirebaseAnalytics.getInstance(Context)",
                "FirebaseAnalytics.setConsent(AD_STORAGE=DENIED, ANALYTICS_STORAGE=GRANTED, AD_USER_DATA=DENIED, AD_PERSONALIZATION=DENIED)",
            ),
            drain(),
        )

        // Withdrawing analytics: every signal denied, collection off, data reset.
        gk.withdraw(listOf("analytics"), emptyList(), "settings")
        assertEquals(
            listOf(
                "SensorsDataAPI.deleteAll()",
                "SensorsDataAPI.disableSDK()",
                "FirebaseAnalytics.getInstance(Context)",
                "FirebaseAnalytics.setAnalyticsCollectionEnabled(false)",
                "FirebaseAnalytics.setConsent(AD_STORAGE=DENIED, ANALYTICS_STORAGE=DENIED, AD_USER_DATA=DENIED, AD_PERSONALIZATION=DENIED)",
                "FirebaseAnalytics.resetAnalyticsData()",
            ),
            drain(),
        )
        assertEquals(ConsentStatus.DENIED, gk.consentMode().analyticsStorage)
        driver.close()
    }
}
