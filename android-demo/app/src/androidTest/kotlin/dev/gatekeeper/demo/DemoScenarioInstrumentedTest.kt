package dev.gatekeeper.demo

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.Reason
import dev.gatekeeper.TimeSource
import dev.gatekeeper.Verdict
import dev.gatekeeper.adapters.AMapAdapter
import dev.gatekeeper.adapters.AdapterResult
import dev.gatekeeper.adapters.FacebookAdapter
import dev.gatekeeper.demo.logic.AppMode
import dev.gatekeeper.demo.logic.PermissionFlow
import dev.gatekeeper.demo.logic.PermissionStep
import dev.gatekeeper.demo.logic.PhocolGate
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import java.io.File
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicReference

/**
 * The JVM acceptance scenario (tests/kotlin/.../DemoScenarioTest.kt) on an emulator or device:
 * the same plain-Kotlin classes, the core built by cargo-ndk for the device's ABI, the policy
 * the app ships in assets/policy.json. SDKs are recording stubs here; the adapters are checked
 * against this build, which does not contain the real SDKs.
 *
 * NOT run on the project's CI machine (no Android SDK or emulator there).
 */
@RunWith(AndroidJUnit4::class)
class DemoScenarioInstrumentedTest {
    private val context = InstrumentationRegistry.getInstrumentation().targetContext
    private lateinit var dir: File
    private val now = AtomicReference(Instant.parse("2026-01-01T00:00:00Z"))
    private val clock = object : TimeSource {
        override fun now(): Instant = now.get()
    }
    private val events = CopyOnWriteArrayList<String>()

    @Before
    fun setUp() {
        dir = File(context.cacheDir, "scenario-${System.nanoTime()}").apply { mkdirs() }
    }

    @After
    fun tearDown() {
        dir.deleteRecursively()
    }

    private fun open(): Gatekeeper {
        val manifest = context.assets.open("policy.json").bufferedReader().use { it.readText() }
        return Gatekeeper.open(File(dir, "gatekeeper.db").path, manifest, GatekeeperOptions(clock))
    }

    @Test
    fun firstRunDisagreeAgreeConsentCameraWithdrawal() {
        val gk = open()
        val app = PhocolGate(gk, start = { events += "start:$it" }, stop = { events += "stop:$it" })

        // 1. First run.
        val r = app.onAppStart("CN")
        assertTrue(r.started.isEmpty())
        assertTrue(r.decisions.values.all { it.reason == Reason.POLICY_NOT_ACCEPTED })
        // 2. Disagree: nothing recorded, nothing started.
        val before = gk.state().events
        app.firstRun.disagree()
        assertEquals(AppMode.BROWSE_ONLY, app.firstRun.mode)
        assertEquals(before, gk.state().events)
        assertTrue(events.isEmpty())
        // 3. Agree.
        app.firstRun.agree()
        assertEquals(listOf("start:mmkv", "start:matisse"), events.toList())
        // 4-5. Consent, and the SDKs it allows start in that call.
        app.consent.setPurpose("analytics", true)
        app.consent.setSdk("facebook", true)
        assertEquals(listOf("start:mmkv", "start:matisse", "start:sensors_analytics", "start:facebook"), events.toList())
        // 6. Camera: OS denial, then 48 hours of pacing.
        assertTrue(app.permissions.request("camera") is PermissionStep.ShowSystemPrompt)
        app.permissions.record("camera", PermissionFlow.androidResult(granted = false, rationaleBefore = false, rationaleAfter = true))
        assertTrue(app.permissions.request("camera") is PermissionStep.TryAgainLater)
        now.set(now.get().plus(Duration.ofHours(48)))
        assertTrue(app.permissions.request("camera") is PermissionStep.ShowSystemPrompt)
        // 7. Withdrawal stops the analytics SDKs in the same call.
        val changes = app.consent.setPurpose("analytics", false)
        assertTrue(changes.filter { it.subject in setOf("sdk:facebook", "sdk:sensors_analytics") }.all { it.new.verdict == Verdict.DENY })
        assertEquals(setOf("mmkv", "matisse"), app.sdks.running())
        assertTrue(events.containsAll(listOf("stop:sensors_analytics", "stop:facebook")))
        gk.destroy()
    }

    @Test
    fun adaptersReportAnSdkThatIsNotInTheBuild() {
        // The demo declares none of the real SDKs (see app/build.gradle.kts).
        val fb = FacebookAdapter()
        val amap = AMapAdapter(context)
        assertEquals(AdapterResult.SdkAbsent("facebook", FacebookAdapter.CLASS), fb.switchOn())
        assertEquals(AdapterResult.SdkAbsent("amap", AMapAdapter.MAPS), amap.switchOn())
    }
}
