package dev.gatekeeper.demo

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.Reason
import dev.gatekeeper.TimeSource
import dev.gatekeeper.Verdict
import dev.gatekeeper.ViolationKind
import dev.gatekeeper.demo.logic.PhocolGate
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import java.io.File
import java.time.Duration
import java.time.Instant
import java.util.concurrent.atomic.AtomicReference

/**
 * Contract §9 on an emulator or device: the demo flow (decline → basic mode, agree, consent,
 * withdrawal) through the app's own classes with recording stubs for the SDKs, on a store in
 * the app's sandbox, then the start-log audit (`Gatekeeper.audit`, the same checks as
 * `gatekeeper audit`) on that store. The store is also copied to
 * `getExternalFilesDir(null)/qa/gatekeeper.db` (with its `-wal`), where a QA team pulls it
 * with `adb pull` and runs `gatekeeper audit` on the host (android-demo/README.md, "QA: the
 * start-log audit").
 *
 * The JVM twin of this test is tests/kotlin/src/dev/gatekeeper/demo/logic/StartLogAuditTest.kt,
 * which runs on the project's machine. This one has NOT been run there (no Android SDK or
 * emulator).
 */
@RunWith(AndroidJUnit4::class)
class StartLogAuditInstrumentedTest {
    private val context = InstrumentationRegistry.getInstrumentation().targetContext
    private lateinit var dir: File
    private val now = AtomicReference(Instant.parse("2026-01-01T00:00:00Z"))
    private val clock = object : TimeSource {
        override fun now(): Instant = now.get()
    }

    @Before
    fun setUp() {
        dir = File(context.cacheDir, "audit-${System.nanoTime()}").apply { mkdirs() }
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
    fun demoFlowLeavesAStoreThatPassesTheAudit() {
        val gk = open()
        val events = mutableListOf<String>()
        val app = PhocolGate(gk, start = { events += "start:$it" }, stop = { events += "stop:$it" })
        app.onAppStart("CN")

        val basic = app.firstRun.declinePolicy()
        // The registry is the gatekeeper's listener: the decline's notification started them.
        assertEquals(setOf("mmkv", "matisse"), app.sdks.running())
        assertEquals(listOf("start:mmkv", "start:matisse"), events.toList())
        assertEquals(Reason.BASIC_MODE, basic.decisions.getValue("mmkv").reason)
        assertTrue(gk.state().declined)

        app.firstRun.agree()
        app.consent.setPurpose("analytics", true)
        app.consent.setSdk("facebook", true)
        now.set(now.get().plus(Duration.ofMinutes(5)))
        app.consent.setPurpose("analytics", false)
        assertTrue(events.containsAll(listOf("stop:sensors_analytics", "stop:facebook")))

        val audit = gk.audit(10u)
        assertTrue(audit.violations.toString(), audit.ok)
        assertEquals(listOf("mmkv", "matisse", "sensors_analytics", "facebook"), audit.sdks.map { it.sdk })
        assertTrue(audit.sdks.all { it.verdictAtStart == Verdict.ALLOW })

        // Leave a copy where `adb pull` can reach it without run-as.
        gk.flush()
        gk.closeStore()
        val qa = File(context.getExternalFilesDir(null), "qa").apply { mkdirs() }
        for (suffix in listOf("", "-wal")) {
            val from = File(dir, "gatekeeper.db$suffix")
            if (from.exists()) from.copyTo(File(qa, "gatekeeper.db$suffix"), overwrite = true)
        }
        gk.destroy()
    }

    @Test
    fun anSdkStartedBeforeItsAllowFailsTheAudit() {
        val gk = open()
        val app = PhocolGate(gk, start = {}, stop = {})
        app.onAppStart("CN")
        gk.recordSdkStarted("sensors_analytics") // as an SDK that initialises itself at launch
        app.firstRun.agree()
        val audit = gk.audit(10u)
        assertFalse(audit.ok)
        assertEquals(listOf(ViolationKind.STARTED_WITHOUT_ALLOW), audit.violations.map { it.kind })
        gk.destroy()
    }
}
