package dev.gatekeeper.demo.logic

import android.content.Intent
import android.content.TestContext
import com.sensorsdata.analytics.android.sdk.SensorsDataAPI
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import dev.gatekeeper.adapters.AdapterLog
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.SdkAdapter
import dev.gatekeeper.adapters.SdkAdapters
import dev.gatekeeper.adapters.SwitchMemory
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
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.time.ZoneOffset

/**
 * The acceptance scenario of the Android demo's app logic, on the JVM: the same classes the
 * Android app uses ([PhocolGate] and its flows), the real core, and the six SDK adapters
 * driving stand-in SDK classes that carry the real class and method names and record every
 * call ([StandInLog]). The SDKs without an adapter (MMKV, Matisse, …) are stubs that record
 * `start:<id>` / `stop:<id>` in the same log, so the log shows the order of everything.
 *
 * 1. first run; 2. disagree, and nothing starts; 3. agree; 4. consent; 5. SDKs start in the
 * right order; 6. the camera flow with an OS denial and the pacing after it; 7. withdrawal,
 * which stops the analytics SDKs through their adapters.
 */
class DemoScenarioTest {
    @TempDir
    lateinit var dir: Path

    private val clock = DemoClock()
    private val context = TestContext()
    private val quiet = AdapterLog { _, _ -> }

    @BeforeEach
    fun freshProcess() {
        StandInLog.reset()
        SensorsDataAPI.resetProcess()
    }

    private fun adapters(memory: SwitchMemory): List<SdkAdapter> =
        SdkAdapters.defaults(context, "https://sa.example.com/sa?project=phocol", AdapterOptions(memory, quiet))

    /** The app as PhocolApplication builds it, with the stand-ins instead of the real SDKs. */
    private fun app(gk: Gatekeeper, memory: SwitchMemory = SwitchMemory.InMemory()) = PhocolGate(
        gk,
        start = { id -> StandInLog.record("start:$id") },
        stop = { id -> StandInLog.record("stop:$id") },
        adapters = adapters(memory),
    )

    /** The calls since the last look (and forgets them). */
    private fun drain(): List<String> = StandInLog.calls.toList().also { StandInLog.calls.clear() }

    @Test
    fun `first run, disagree, agree, consent, SDK start order, camera pacing, withdrawal`() {
        // ---- 1. First run: a fresh install in China. The policy dialog is due; nothing starts.
        val gk = DemoFixtures.open(dir, clock)
        val app = app(gk)
        val atLaunch = app.onAppStart("CN")
        assertEquals(LaunchScreen.ACCEPT_POLICY, app.firstRun.launchScreen())
        assertEquals(emptyList<String>(), atLaunch.started)
        assertEquals(12, atLaunch.decisions.size)
        assertTrue(atLaunch.decisions.values.all { it.verdict == Verdict.ASK && it.reason == Reason.POLICY_NOT_ACCEPTED })
        assertEquals(emptyList<String>(), drain(), "no SDK is touched before the user decides")

        // ---- 2. Disagree: browse-only mode. Nothing recorded, nothing started, no SDK called.
        val eventsBefore = gk.state().events
        app.firstRun.disagree()
        assertEquals(AppMode.BROWSE_ONLY, app.firstRun.mode)
        assertEquals(eventsBefore, gk.state().events, "disagreeing writes nothing")
        app.onAppStart("CN") // back to the foreground
        assertInstanceOf(PermissionStep.ShowPolicy::class.java, app.permissions.request("camera"))
        assertNull(app.googleSignInIntent(), "no sign-in in browse-only mode")
        assertTrue(app.sdks.running().isEmpty())
        assertEquals(emptyList<String>(), drain(), "browse-only: no SDK started, no identifier read")

        // ---- 3. Agree: acceptance alone starts only the essential SDKs of Chinese vendors.
        app.firstRun.agree()
        assertEquals(AppMode.FULL, app.firstRun.mode)
        assertEquals(LaunchScreen.NONE, app.firstRun.launchScreen())
        // The acceptance's receipt (the start log's `sdk_state` receipts of the SDKs it started come after it).
        assertEquals("first_run_dialog", gk.export().receipts.last { it.event == dev.gatekeeper.EventKind.POLICY_ACCEPTED }.source)
        assertEquals(listOf("start:mmkv", "start:matisse"), drain())

        // ---- 4. Consent: the settings screen has a switch per purpose the user may refuse and
        // per SDK that needs its own consent in China; all off.
        val screen = app.consent.screen()
        assertEquals(
            listOf(
                "crash_reporting", "account_login", "analytics", "push_notifications", "personalised_ads",
                "location_services", "face_recognition",
            ),
            screen.filter { !it.isSdk }.map { it.id },
        )
        assertEquals(
            listOf(
                "zoho_mobilisten", "google_pay", "firebase_crashlytics", "google_sign_in", "facebook_login",
                "facebook", "firebase_analytics",
            ),
            screen.filter { it.isSdk }.map { it.id },
            "independent, or vendor outside China",
        )
        assertTrue(screen.none { it.on })

        fun user(action: String, block: () -> Unit) {
            StandInLog.record("user: $action")
            block()
        }
        user("analytics on") { app.consent.setPurpose("analytics", true) }
        user("push on") { app.consent.setPurpose("push_notifications", true) }
        user("facebook on") { app.consent.setSdk("facebook", true) }
        user("firebase analytics on") { app.consent.setSdk("firebase_analytics", true) }
        user("location on") { app.consent.setPurpose("location_services", true) }
        user("account login and google sign-in on") {
            app.consent.setPurpose("account_login", true)
            app.consent.setSdk("google_sign_in", true)
        }
        user("taps sign in with google") { assertInstanceOf(Intent::class.java, app.googleSignInIntent()) }

        // ---- 5. Each SDK started in the call that allowed it, after that consent and never
        // before, with its privacy calls ahead of its start call.
        assertEquals(
            listOf("user: analytics on") + SENSORS_START +
                "user: push on" + HMS_ON +
                "user: facebook on" + FACEBOOK_START +
                "user: firebase analytics on" + FIREBASE_ON +
                "user: location on" + AMAP_ON +
                "user: account login and google sign-in on" + // nothing yet: no tap
                "user: taps sign in with google" + GOOGLE_SIGN_IN_TAP,
            drain(),
        )
        assertEquals(
            listOf("mmkv", "matisse", "sensors_analytics", "huawei_push", "facebook", "firebase_analytics", "amap", "google_sign_in"),
            app.sdks.running().toList(),
        )
        // The app comes back to the foreground: everything is running already, nothing is called.
        app.onAppStart("CN")
        assertEquals(emptyList<String>(), drain())

        // ---- 6. Camera: asked on a tap, the OS refuses, and the app does not nag for 48 hours.
        assertEquals(Reason.LAUNCH_TIME_REQUEST, app.permissions.request("camera", Trigger.APP_LAUNCH).decision.reason)
        val tap = app.permissions.request("camera")
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, tap)
        assertEquals("android.permission.CAMERA", app.androidPermission("camera"))
        app.permissions.record("camera", PermissionFlow.androidResult(granted = false, rationaleBefore = false, rationaleAfter = true))
        val deniedAt = clock.now()
        val again = app.permissions.request("camera")
        assertEquals(PermissionStep.TryAgainLater("camera", again.decision, deniedAt.plus(Duration.ofHours(48))), again)
        assertEquals(
            "You declined this recently. You can try again after 2026-01-03 00:00.",
            PermissionFlow.message(again, ZoneOffset.UTC),
        )
        clock.advance(Duration.ofHours(48).minusMillis(1))
        assertInstanceOf(PermissionStep.TryAgainLater::class.java, app.permissions.request("camera"), "1 ms before the window ends")
        clock.advance(Duration.ofMillis(1))
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, app.permissions.request("camera"), "exactly 48 h later")
        app.permissions.record("camera", PermissionFlow.androidResult(granted = true, rationaleBefore = true, rationaleAfter = false))
        assertInstanceOf(PermissionStep.ShowSystemPrompt::class.java, app.permissions.request("camera"))
        assertEquals(emptyList<String>(), drain(), "the camera flow touches no SDK")

        // ---- 7. Withdrawal of analytics: its SDKs stop through their adapters, in that call.
        val changes = app.consent.setPurpose("analytics", false)
        assertEquals(
            setOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"),
            changes.filter { it.old.verdict == Verdict.ALLOW && it.new.verdict == Verdict.DENY }.map { it.subject }.toSet(),
        )
        assertEquals(
            FACEBOOK_OFF + SENSORS_OFF + FIREBASE_OFF,
            drain(),
        )
        assertEquals(listOf("mmkv", "matisse", "huawei_push", "amap", "google_sign_in"), app.sdks.running().toList())

        // The decision log screen shows what happened, newest first.
        val log = app.decisionLog.lines(ZoneOffset.UTC)
        assertTrue(log.any { it.endsWith("sdk:sensors_analytics  deny consent_withdrawn") }, log.joinToString("\n"))
        assertTrue(log.any { it.contains("permission:camera  deny recently_denied") }, log.joinToString("\n"))
        assertTrue(log.any { it.contains("sdk:facebook  ask policy_not_accepted") }, log.joinToString("\n"))

        // "Withdraw all" stops the rest of what needed consent, Google Sign-In included.
        app.consent.withdrawAll(app.consent.screen().filter { !it.isSdk }.map { it.id }, app.consent.screen().filter { it.isSdk }.map { it.id })
        assertEquals(
            GOOGLE_SIGN_OUT + HMS_OFF + AMAP_OFF,
            drain(),
        )
        assertEquals(listOf("mmkv", "matisse"), app.sdks.running().toList())
        gk.destroy()
    }

    @Test
    fun `the next launch after a withdrawal starts nothing and switches off what an earlier run left on`() {
        val memory = SwitchMemory.InMemory() // stands in for SharedPreferences across the two runs
        DemoFixtures.open(dir, clock).also { gk ->
            val app = app(gk, memory)
            app.onAppStart("CN")
            app.firstRun.agree()
            app.consent.setPurpose("analytics", true)
            app.consent.setSdk("facebook", true)
            gk.destroy()
        }
        assertEquals(listOf("start:mmkv", "start:matisse", "new SAConfigOptions(String)"), drain().take(3))

        // Between runs the user erased their account from another device's web form, say: the
        // store is erased while the app is not listening.
        DemoFixtures.open(dir, clock).also { it.erase(); it.destroy() }
        StandInLog.reset()
        SensorsDataAPI.resetProcess()

        val gk = DemoFixtures.open(dir, clock)
        val app = app(gk, memory)
        val r = app.onAppStart("CN")
        assertEquals(emptyList<String>(), r.started)
        // Facebook persists its own flags, so it would still be on: the adapters remember what
        // they switched on and switch exactly that off; nothing else is called.
        assertEquals(
            FACEBOOK_OFF + SENSORS_OFF,
            drain(),
        )
        app.onAppStart("CN")
        assertEquals(emptyList<String>(), drain())
        gk.destroy()
    }
}
