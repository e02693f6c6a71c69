package dev.gatekeeper.demo.logic

import dev.gatekeeper.ConsentState
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.NoHandle
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

class FirstRunFlowTest {
    @TempDir
    lateinit var dir: Path

    private val clock = DemoClock()

    @Test
    fun `first run shows the policy dialog and nothing starts before agreement`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val sdks = StubSdks("mmkv", "sensors_analytics", "facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)
        val flow = FirstRunFlow(gk, registry)

        assertEquals(LaunchScreen.ACCEPT_POLICY, flow.launchScreen())
        assertEquals(AppMode.UNDECIDED, flow.mode)
        // App start: the registry asks, the gatekeeper says ask policy_not_accepted for everything.
        val atLaunch = registry.startAllowed()
        assertEquals(emptyList<String>(), atLaunch.started)
        for (d in atLaunch.decisions.values) {
            assertEquals(Verdict.ASK, d.verdict, d.subject)
            assertEquals(Reason.POLICY_NOT_ACCEPTED, d.reason, d.subject)
        }
        assertEquals(emptyList<String>(), sdks.events)
        gk.destroy()
    }

    @Test
    fun `browse only records nothing and starts nothing`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val sdks = StubSdks("mmkv", "sensors_analytics")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)
        val flow = FirstRunFlow(gk, registry)
        val eventsBefore = gk.state().events

        flow.browseOnly()

        assertEquals(AppMode.BROWSE_ONLY, flow.mode)
        assertEquals(eventsBefore, gk.state().events, "browse only must not write to the ledger")
        assertEquals(emptyList<String>(), registry.startAllowed().started)
        assertEquals(emptyList<String>(), sdks.events)
        assertEquals(LaunchScreen.ACCEPT_POLICY, flow.launchScreen(), "the dialog comes back next launch")
        gk.destroy()
    }

    @Test
    fun `agree records acceptance from the first-run dialog and starts only allowed SDKs`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val sdks = StubSdks("mmkv", "sensors_analytics", "facebook", "zoho_mobilisten")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)
        val flow = FirstRunFlow(gk, registry)

        flow.agree()

        assertEquals(AppMode.FULL, flow.mode)
        // Essential and entrusted to a CN vendor: allowed by acceptance alone. Analytics needs
        // a grant; facebook and zoho (foreign vendors) need their own separate grant.
        assertEquals(listOf("start:mmkv"), sdks.events)
        assertEquals(setOf("mmkv"), registry.running())
        assertEquals(LaunchScreen.NONE, flow.launchScreen())
        // The acceptance's receipt; the start log's receipt for mmkv comes after it.
        val receipts = gk.export().receipts
        assertEquals(listOf(dev.gatekeeper.EventKind.POLICY_ACCEPTED, dev.gatekeeper.EventKind.SDK_STATE), receipts.takeLast(2).map { it.event })
        val receipt = receipts.last { it.event == dev.gatekeeper.EventKind.POLICY_ACCEPTED }
        assertEquals("first_run_dialog", receipt.source)
        assertTrue(gk.state().policyAccepted)
        gk.destroy()
    }

    @Test
    fun `acceptance persists across reopen`() {
        DemoFixtures.openCnAdult(dir, clock).also { gk ->
            FirstRunFlow(gk, SdkRegistry(gk)).agree()
            gk.destroy()
        }
        val gk = DemoFixtures.open(dir, clock)
        val sdks = StubSdks("mmkv")
        val registry = sdks.registerAll(SdkRegistry(gk))
        assertEquals(LaunchScreen.NONE, FirstRunFlow(gk, registry).launchScreen())
        assertEquals(listOf("mmkv"), registry.startAllowed().started)
        gk.destroy()
    }

    @Test
    fun `a child needs a guardian's acceptance`() {
        val gk = DemoFixtures.open(dir, clock)
        gk.setProfile("CN", 10)
        val registry = StubSdks("mmkv").registerAll(SdkRegistry(gk))
        val flow = FirstRunFlow(gk, registry)

        flow.agree(byGuardian = false)
        assertEquals(LaunchScreen.GUARDIAN_ACCEPTANCE, flow.launchScreen())
        assertEquals(Reason.GUARDIAN_CONSENT_REQUIRED, gk.decideSdk("mmkv").reason)
        assertTrue(registry.running().isEmpty())

        flow.agree(byGuardian = true)
        assertEquals(LaunchScreen.NONE, flow.launchScreen())
        assertEquals(setOf("mmkv"), registry.running())
        gk.destroy()
    }

    @Test
    fun `an unreadable store fails closed to the policy dialog`() {
        val broken = object : Gatekeeper(NoHandle) {
            override fun state(): ConsentState = throw GatekeeperException.Storage("cannot read the store")
        }
        assertEquals(LaunchScreen.ACCEPT_POLICY, FirstRunFlow(broken, SdkRegistry(broken)).launchScreen())
    }
}
