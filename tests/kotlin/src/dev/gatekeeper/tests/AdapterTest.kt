package dev.gatekeeper.tests

import android.content.Intent
import android.content.TestContext
import com.sensorsdata.analytics.android.sdk.SensorsDataAPI
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Verdict
import dev.gatekeeper.adapters.AMapAdapter
import dev.gatekeeper.adapters.AdapterLog
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.AdapterResult
import dev.gatekeeper.adapters.FacebookAdapter
import dev.gatekeeper.adapters.FirebaseAnalyticsAdapter
import dev.gatekeeper.adapters.GoogleSignInAdapter
import dev.gatekeeper.adapters.HuaweiPushAdapter
import dev.gatekeeper.adapters.SdkAdapter
import dev.gatekeeper.adapters.SdkAdapters
import dev.gatekeeper.adapters.SdkCalls
import dev.gatekeeper.adapters.SensorsAnalyticsAdapter
import dev.gatekeeper.adapters.SwitchMemory
import dev.gatekeeper.ktx.DecisionCache
import dev.gatekeeper.ktx.changeListener
import dev.gatekeeper.tests.standins.ExpectedCalls.AMAP_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.AMAP_ON
import dev.gatekeeper.tests.standins.ExpectedCalls.FACEBOOK_FLAGS_ON
import dev.gatekeeper.tests.standins.ExpectedCalls.FACEBOOK_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.FACEBOOK_START
import dev.gatekeeper.tests.standins.ExpectedCalls.FIREBASE_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.FIREBASE_ON
import dev.gatekeeper.tests.standins.ExpectedCalls.GOOGLE_SIGN_IN_TAP
import dev.gatekeeper.tests.standins.ExpectedCalls.GOOGLE_SIGN_OUT
import dev.gatekeeper.tests.standins.ExpectedCalls.HMS_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.HMS_ON
import dev.gatekeeper.tests.standins.ExpectedCalls.SENSORS_OFF
import dev.gatekeeper.tests.standins.ExpectedCalls.SENSORS_RESTART
import dev.gatekeeper.tests.standins.ExpectedCalls.SENSORS_START
import dev.gatekeeper.tests.standins.StandInLog
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import java.util.logging.Level

/**
 * The SDK adapters against stand-in classes that carry the real SDKs' class and method names
 * (tests/kotlin/src/com/...) and record every call in [StandInLog], driven by the real core
 * through the change listener ([SdkAdapters]).
 */
class AdapterTest {
    @TempDir
    lateinit var dir: Path

    private val context = TestContext()
    private val logLines = CopyOnWriteArrayList<String>()
    private val log = AdapterLog { level, message -> logLines += "$level $message" }
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

    /** The six adapters, as an app builds them: one per SDK, sharing memory and log. */
    private fun adapters(memory: SwitchMemory = SwitchMemory.InMemory()): List<SdkAdapter> =
        SdkAdapters.defaults(context, "https://sa.example.com/sa?project=phocol", AdapterOptions(memory, log))

    /** The calls made since the last look, and forgets them. */
    private fun drain(): List<String> = StandInLog.calls.toList().also { StandInLog.calls.clear() }

    @Test
    fun `nothing is called before the policy is accepted`() {
        val driver = SdkAdapters(gk, adapters())
        val results = driver.applyAll()
        assertEquals(6, results.size)
        assertTrue(results.all { it is AdapterResult.AlreadyInState && !it.on }, results.toString())
        // Choices that do not allow anything yet reach no SDK either.
        gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
        gk.setProfile("DE", 30)
        driver.applyAll()
        assertEquals(emptyList<String>(), StandInLog.calls)
        driver.close()
    }

    @Test
    fun `each SDK starts only after allow, through its own consent API, from the listener`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        assertEquals(emptyList<String>(), drain(), "acceptance alone allows none of the six")

        gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
        assertEquals(
            SENSORS_START,
            drain(),
            "in the grant call itself; facebook and firebase (abroad) still need their own consent",
        )

        gk.grant(emptyList(), listOf("facebook"), true, false, "settings")
        assertEquals(
            FACEBOOK_START,
            drain(),
        )

        gk.grant(emptyList(), listOf("firebase_analytics"), true, false, "settings")
        assertEquals(
            FIREBASE_ON,
            drain(),
        )

        gk.grant(listOf("push_notifications"), emptyList(), false, false, "settings")
        assertEquals(
            listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(true)", "HmsMessaging.turnOnPush()"),
            drain(),
        )

        gk.grant(listOf("location_services"), emptyList(), true, false, "just_in_time")
        assertEquals(
            AMAP_ON,
            drain(),
            "the 2D map SDK is not in this app and is skipped",
        )

        gk.grant(listOf("account_login"), listOf("google_sign_in"), true, false, "settings")
        assertEquals(emptyList<String>(), drain(), "Google Sign-In starts only on a user action")
        val signIn = driver.adapter("google_sign_in") as GoogleSignInAdapter
        assertTrue(signIn.isOn)
        val intent = signIn.signInIntent()
        assertInstanceOf(Intent::class.java, intent)
        assertEquals(
            GOOGLE_SIGN_IN_TAP,
            drain(),
        )
        // The listener applied every change: the six SDKs were switched on once each, and
        // every other result was a decision that left an SDK off without a call.
        assertEquals(6, driver.recentResults().count { it is AdapterResult.Applied }, driver.recentResults().toString())
        assertTrue(driver.recentResults().all { it is AdapterResult.Applied || it == AdapterResult.AlreadyInState(it.sdkId, false) })
        assertTrue(logLines.any { it.startsWith("INFO sensors_analytics: switched on:") }, logLines.toString())
        driver.close()
    }

    @Test
    fun `Google sign-in does nothing on a tap while it is not allowed`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        val signIn = driver.adapter("google_sign_in") as GoogleSignInAdapter
        assertNull(signIn.signInIntent())
        gk.grant(listOf("account_login"), emptyList(), false, false, "settings")
        assertNull(signIn.signInIntent(), "Google is an independent third party abroad: it needs its own grant")
        assertEquals(emptyList<String>(), StandInLog.calls)
        driver.close()
    }

    @Test
    fun `withdrawal stops the analytics SDKs in the call that withdrew it`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics", "push_notifications"), listOf("facebook", "firebase_analytics"), true, false, "settings")
        drain()

        val changes = gk.withdraw(listOf("analytics"), emptyList(), "settings")

        assertTrue(changes.filter { it.subject.startsWith("sdk:") }.all { it.new.verdict == Verdict.DENY })
        assertEquals(
            // Manifest order of the change list: facebook, sensors_analytics, firebase_analytics.
            FACEBOOK_OFF + SENSORS_OFF + FIREBASE_OFF,
            drain(),
        )
        assertTrue(driver.adapter("huawei_push")!!.isOn, "push serves another purpose and keeps running")
        assertFalse(driver.adapter("sensors_analytics")!!.isOn)

        // Withdrawing push and location stops those too.
        gk.grant(listOf("location_services"), emptyList(), true, false, "settings")
        drain()
        gk.withdraw(listOf("push_notifications", "location_services"), emptyList(), "settings")
        assertEquals(
            HMS_OFF + AMAP_OFF,
            drain(),
        )
        driver.close()
    }

    @Test
    fun `repeated decisions start nothing twice, and a restart after withdrawal re-enables instead`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics"), listOf("facebook"), true, false, "settings")
        val first = drain()
        assertEquals(1, first.count { it == "SensorsDataAPI.startWithConfigOptions(Context, SAConfigOptions)" })
        assertEquals(1, first.count { it == "FacebookSdk.setAutoInitEnabled(true)" })
        assertEquals(0, first.count { it == "FacebookSdk.fullyInitialize()" }, "setAutoInitEnabled(true) initialises the SDK itself")

        // The same decisions again, by every route: a refresh, a repeated grant, the same
        // notification delivered twice.
        repeat(3) { driver.applyAll() }
        val again = gk.grant(listOf("analytics"), listOf("facebook"), true, false, "settings")
        driver.applyChanges(again)
        assertEquals(emptyList<String>(), drain())
        val results = driver.applyAll()
        assertTrue(results.filter { it.sdkId in setOf("facebook", "sensors_analytics") }.all { it == AdapterResult.AlreadyInState(it.sdkId, true) })

        // Off and on again: Sensors is re-enabled, not started a second time (the stand-in
        // throws on a second start); Facebook only gets its flags again.
        gk.withdraw(listOf("analytics"), emptyList(), "settings")
        drain()
        gk.grant(listOf("analytics"), emptyList(), true, false, "settings")
        assertEquals(
            FACEBOOK_FLAGS_ON + SENSORS_RESTART,
            drain(),
        )
        driver.close()
    }

    @Test
    fun `an absent SDK is reported by the log and the return value`() {
        // A class loader that cannot see the stand-ins: as in an app built without the SDKs.
        val bare = ClassLoader.getPlatformClassLoader()
        val fb = FacebookAdapter(options = AdapterOptions(log = log, classLoader = bare))
        val amap = AMapAdapter(context, options = AdapterOptions(log = log, classLoader = bare))
        assertFalse(fb.isPresent())
        assertEquals(AdapterResult.SdkAbsent("facebook", "com.facebook.FacebookSdk"), fb.switchOn())
        assertEquals(AdapterResult.SdkAbsent("amap", "com.amap.api.maps.MapsInitializer"), amap.switchOn())
        assertFalse(fb.isOn)
        assertTrue(logLines.contains("INFO facebook: SDK absent (com.facebook.FacebookSdk not found); nothing switched on"), logLines.toString())
        // An SDK removed from the app after an earlier run had it on: reported once, then forgotten.
        val memory = SwitchMemory.InMemory().apply { remember("facebook", true) }
        val removed = FacebookAdapter(options = AdapterOptions(memory, log, bare))
        assertEquals(AdapterResult.SdkAbsent("facebook", "com.facebook.FacebookSdk"), removed.switchOff())
        assertFalse(memory.wasOn("facebook"))
        assertEquals(AdapterResult.AlreadyInState("facebook", false), removed.switchOff())
        assertEquals(emptyList<String>(), StandInLog.calls)
    }

    @Test
    fun `a failing start leaves the SDK off and is retried on the next allow`() {
        val sensors = SensorsAnalyticsAdapter(context, "https://sa.example.com/sa", options = AdapterOptions(log = log))
        StandInLog.failNext = "SensorsDataAPI.startWithConfigOptions"
        val r = sensors.switchOn()
        assertEquals(
            AdapterResult.Failed("sensors_analytics", "SensorsDataAPI.startWithConfigOptions(TestContext, SAConfigOptions)", "IllegalStateException"),
            r,
        )
        assertFalse(sensors.isOn)
        assertTrue(logLines.any { it.startsWith("WARNING sensors_analytics: switching on failed") })
        // Half started: undone.
        assertEquals(listOf("new SAConfigOptions(String)") + SENSORS_OFF, drain())
        assertInstanceOf(AdapterResult.Applied::class.java, sensors.switchOn())
        assertTrue(sensors.isOn)
    }

    @Test
    fun `an exception from the app's configuration hook is a failed start, not a crash`() {
        val sensors = SensorsAnalyticsAdapter(
            context,
            "https://sa.example.com/sa",
            configure = { throw IllegalArgumentException("bad option") },
            options = AdapterOptions(log = log),
        )
        assertEquals(AdapterResult.Failed("sensors_analytics", "new SAConfigOptions(String)", "IllegalArgumentException"), sensors.switchOn())
        assertFalse(sensors.isOn)
        assertEquals(listOf("new SAConfigOptions(String)") + SENSORS_OFF, drain(), "the half-done start is undone")
        assertFalse(logLines.any { it.contains("bad option") }, "exception texts are not logged")
    }

    @Test
    fun `an SDK left on by an earlier run is switched off, a fresh install is not touched`() {
        val memory = SwitchMemory.InMemory()
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics"), listOf("facebook"), true, false, "settings")
        SdkAdapters(gk, adapters(memory)).use { it.applyAll() }
        assertTrue(memory.wasOn("facebook"))
        // The account is erased while the app is not listening; a new process starts.
        gk.erase()
        StandInLog.reset()
        SensorsDataAPI.resetProcess()

        SdkAdapters(gk, adapters(memory)).use { it.applyAll() }
        assertEquals(
            FACEBOOK_OFF + SENSORS_OFF,
            drain(),
        )
        assertFalse(memory.wasOn("facebook"))
        // And once off, a later run calls nothing.
        SdkAdapters(gk, adapters(memory)).use { it.applyAll() }
        assertEquals(emptyList<String>(), drain())
    }

    @Test
    fun `log lines name ids and calls, never arguments' values`() {
        val driver = SdkAdapters(gk, adapters())
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
        val line = logLines.single { it.contains("sensors_analytics: switched on") }
        assertFalse(line.contains("sa.example.com"), line)
        assertTrue(line.contains("new SAConfigOptions(String)"), line)
        driver.close()
        assertEquals(Level.INFO.toString(), line.substringBefore(' '))
    }

    /** An adapter that runs [onStart] in its first start: a hook into the middle of applying. */
    private class HookedAdapter(sdkId: String, private var onStart: (() -> Unit)?) :
        SdkAdapter(sdkId, "java.lang.Object", AdapterOptions(log = { _, _ -> })) {
        override fun turnOn(calls: SdkCalls, restart: Boolean) {
            onStart?.also { onStart = null }?.invoke()
        }

        override fun turnOff(calls: SdkCalls) {}
    }

    /**
     * Starts [write] on another thread and returns once it has finished or waits for a lock
     * (the adapters' own, held by this thread): the newer write has then committed and its
     * notification has passed the gate.
     */
    private fun writeOnAnotherThread(write: () -> Unit): Thread {
        val t = Thread { write() }.apply { start() }
        val deadline = System.nanoTime() + 10_000_000_000L
        while (t.isAlive && t.state != Thread.State.BLOCKED) {
            check(System.nanoTime() < deadline) { "the other write neither finished nor blocked" }
            Thread.sleep(1)
        }
        return t
    }

    @Test
    fun `a late notification of a grant cannot switch an SDK back on after a newer withdrawal`() {
        gk.acceptPolicy(false, "first_run_dialog")
        var withdrawing: Thread? = null
        // The grant's notification names sensors_analytics, then huawei_push (manifest order).
        // While this thread applies the first, another thread withdraws push: its write is
        // newer (higher sequence), so its notification passes the gate too.
        val first = HookedAdapter("sensors_analytics") {
            withdrawing = writeOnAnotherThread { gk.withdraw(listOf("push_notifications"), emptyList(), "settings") }
        }
        val push = HuaweiPushAdapter(context, options = AdapterOptions(log = log))
        val driver = SdkAdapters(gk, listOf(first, push))

        gk.grant(listOf("analytics", "push_notifications"), emptyList(), false, false, "settings")
        val other = checkNotNull(withdrawing)
        other.join(10_000)

        assertFalse(other.isAlive)
        assertNotEquals(Verdict.ALLOW, gk.decideSdk("huawei_push").verdict)
        assertFalse(push.isOn, "the core no longer allows huawei_push: it must end off")
        driver.close()
    }

    @Test
    fun `applyAll cannot undo a withdrawal that lands while it runs`() {
        gk.acceptPolicy(false, "first_run_dialog")
        gk.grant(listOf("analytics", "push_notifications"), emptyList(), false, false, "settings")
        var withdrawing: Thread? = null
        val first = HookedAdapter("sensors_analytics") {
            withdrawing = writeOnAnotherThread { gk.withdraw(listOf("push_notifications"), emptyList(), "settings") }
        }
        val push = HuaweiPushAdapter(context, options = AdapterOptions(log = log))
        val driver = SdkAdapters(gk, listOf(first, push))

        driver.applyAll()
        val other = checkNotNull(withdrawing)
        other.join(10_000)

        assertFalse(other.isAlive)
        assertFalse(push.isOn, "applyAll read push as allowed before the withdrawal: it must not apply that")
        driver.close()
    }

    @Test
    fun `a start that fails half way is remembered first, and every kill switch is still reached`() {
        // A memory that writes into the call log, to show when it is written.
        val inner = SwitchMemory.InMemory()
        val memory = object : SwitchMemory {
            override fun wasOn(sdkId: String) = inner.wasOn(sdkId)
            override fun remember(sdkId: String, on: Boolean) {
                StandInLog.calls += "memory $sdkId=$on"
                inner.remember(sdkId, on)
            }
        }
        // As a Facebook SDK version without setAdvertiserIDCollectionEnabled fails every time.
        StandInLog.failing = "FacebookSdk.setAdvertiserIDCollectionEnabled"
        val fb = FacebookAdapter(options = AdapterOptions(memory, log))

        assertEquals(
            AdapterResult.Failed("facebook", "FacebookSdk.setAdvertiserIDCollectionEnabled(true)", "IllegalStateException"),
            fb.switchOn(),
        )
        assertFalse(fb.isOn)
        assertEquals(
            listOf(
                "memory facebook=true",
                "FacebookSdk.setAutoInitEnabled(true)",
                "FacebookSdk.setAutoLogAppEventsEnabled(true)",
                // The undo: auto-init first, and every call, though one of them fails.
                "FacebookSdk.setAutoInitEnabled(false)",
                "FacebookSdk.setAutoLogAppEventsEnabled(false)",
            ),
            drain(),
        )
        assertTrue(memory.wasOn("facebook"), "an undo that failed at a call leaves the SDK possibly on")

        // The next decision that does not allow it, in this process or a later one, tries again.
        val nextRun = FacebookAdapter(options = AdapterOptions(memory, log))
        assertInstanceOf(AdapterResult.Failed::class.java, nextRun.switchOff())
        assertEquals(listOf("FacebookSdk.setAutoInitEnabled(false)", "FacebookSdk.setAutoLogAppEventsEnabled(false)"), drain())
        assertTrue(memory.wasOn("facebook"))

        // Once every call goes through, it is off for good and nothing more is called.
        StandInLog.failing = null
        assertInstanceOf(AdapterResult.Applied::class.java, nextRun.switchOff())
        assertEquals(FACEBOOK_OFF + "memory facebook=false", drain())
        assertEquals(AdapterResult.AlreadyInState("facebook", false), nextRun.switchOff())
        assertEquals(emptyList<String>(), drain())
    }

    @Test
    fun `HMS auto-init is switched off even when turnOffPush throws, and the stop is tried again`() {
        val memory = SwitchMemory.InMemory()
        val hms = HuaweiPushAdapter(context, options = AdapterOptions(memory, log))
        assertInstanceOf(AdapterResult.Applied::class.java, hms.switchOn())
        drain()

        StandInLog.failing = "HmsMessaging.turnOffPush"
        assertEquals(AdapterResult.Failed("huawei_push", "HmsMessaging.turnOffPush()", "IllegalStateException"), hms.switchOff())
        assertFalse(hms.isOn)
        assertEquals(listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(false)"), drain())
        assertTrue(memory.wasOn("huawei_push"), "not fully off: the next switch-off tries again")
        assertTrue(logLines.any { it.startsWith("WARNING huawei_push: switching off failed at HmsMessaging.turnOffPush()") }, logLines.toString())

        StandInLog.failing = null
        assertInstanceOf(AdapterResult.Applied::class.java, hms.switchOff())
        assertEquals(HMS_OFF, drain())
        assertFalse(memory.wasOn("huawei_push"))
    }

    @Test
    fun `a second listener over the same gatekeeper fails loudly instead of disconnecting the first`() {
        gk.acceptPolicy(false, "first_run_dialog")
        val cache = DecisionCache(gk)
        assertThrows(IllegalStateException::class.java) { SdkAdapters(gk, adapters()) }
        assertThrows(IllegalStateException::class.java) { DecisionCache(gk) }
        cache.close()

        // Both, as documented: neither listens itself, one listener forwards to both.
        val both = DecisionCache(gk, listen = false)
        val driver = SdkAdapters(gk, adapters(), listen = false)
        gk.setListener(
            changeListener { changes ->
                both.applyChanges(changes)
                driver.applyChanges(changes)
            },
        )
        gk.grant(listOf("analytics"), emptyList(), false, false, "settings")
        assertTrue(both.isSdkAllowed("sensors_analytics"))
        assertTrue(driver.adapter("sensors_analytics")!!.isOn)
        gk.withdraw(listOf("analytics"), emptyList(), "settings")
        assertFalse(both.isSdkAllowed("sensors_analytics"))
        assertFalse(driver.adapter("sensors_analytics")!!.isOn)
        gk.setListener(null)

        // With the first closed, the slot is free again.
        SdkAdapters(gk, adapters()).close()
    }
}
