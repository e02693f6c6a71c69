package dev.gatekeeper.demo.logic

import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

class ConsentSettingsTest {
    @TempDir
    lateinit var dir: Path

    private val clock = DemoClock()
    private val purposes = listOf("analytics", "personalised_ads")
    private val separateSdks = listOf("facebook")

    @Test
    fun `the consent screen grants, and withdrawing analytics switches its SDKs off`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val sdks = StubSdks("sensors_analytics", "facebook")
        val registry = sdks.registerAll(SdkRegistry(gk))
        gk.setListener(registry)
        FirstRunFlow(gk, registry).agree()
        val settings = ConsentSettings(gk)

        assertEquals(
            listOf(
                ConsentToggle("analytics", false, false, ChoiceStatus.UNDECIDED),
                ConsentToggle("personalised_ads", false, false, ChoiceStatus.UNDECIDED),
                ConsentToggle("facebook", true, false, ChoiceStatus.UNDECIDED),
            ),
            settings.toggles(purposes, separateSdks),
        )

        settings.setPurpose("analytics", true, ConsentSource.FIRST_RUN_DIALOG)
        assertEquals(setOf("sensors_analytics"), registry.running())
        assertEquals(Reason.SEPARATE_CONSENT_REQUIRED, gk.decideSdk("facebook").reason)

        settings.setSdk("facebook", true)
        assertEquals(setOf("sensors_analytics", "facebook"), registry.running())
        assertEquals(listOf(true, false, true), settings.toggles(purposes, separateSdks).map { it.on })

        val changes = settings.setPurpose("analytics", false)
        // firebase_analytics, never granted its own consent, goes from ask to deny as well.
        assertEquals(setOf("sdk:facebook", "sdk:sensors_analytics", "sdk:firebase_analytics"), changes.map { it.subject }.toSet())
        assertTrue(changes.all { it.new.verdict == Verdict.DENY })
        assertEquals(
            setOf("sdk:facebook", "sdk:sensors_analytics"),
            changes.filter { it.old.verdict == Verdict.ALLOW }.map { it.subject }.toSet(),
        )
        assertTrue(registry.running().isEmpty())
        assertEquals(ChoiceStatus.WITHDRAWN, settings.toggles(purposes, separateSdks)[0].status)

        // Switching off again records nothing.
        val events = gk.state().events
        assertEquals(emptyList<Any>(), settings.setPurpose("analytics", false))
        assertEquals(events, gk.state().events)
        gk.destroy()
    }

    @Test
    fun `switching off an undecided purpose records a refusal`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val settings = ConsentSettings(gk)

        settings.setPurpose("personalised_ads", false)

        assertEquals(ChoiceStatus.DENIED, settings.toggles(listOf("personalised_ads"), emptyList()).single().status)
        assertEquals(Reason.CONSENT_DENIED, gk.decidePurpose("personalised_ads").reason)
        gk.destroy()
    }

    @Test
    fun `withdraw all withdraws only what was granted, in one call`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        gk.acceptPolicy(false, ConsentSource.FIRST_RUN_DIALOG)
        val settings = ConsentSettings(gk)
        settings.setPurpose("analytics", true)
        settings.setSdk("facebook", true)
        val before = gk.state().events

        settings.withdrawAll(purposes, separateSdks)

        assertEquals(before + 1, gk.state().events)
        assertEquals(
            listOf(ChoiceStatus.WITHDRAWN, ChoiceStatus.UNDECIDED, ChoiceStatus.WITHDRAWN),
            settings.toggles(purposes, separateSdks).map { it.status },
        )
        assertEquals(emptyList<Any>(), settings.withdrawAll(purposes, separateSdks))
        gk.destroy()
    }

    @Test
    fun `unknown ids are typed errors and record nothing`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val settings = ConsentSettings(gk)
        val before = gk.state().events
        val e = assertThrows(GatekeeperException.UnknownId::class.java) { settings.setPurpose("mind_reading", true) }
        assertTrue(e.message!!.contains("mind_reading"), e.message)
        assertThrows(GatekeeperException.UnknownId::class.java) { settings.setSdk("tiktok", true) }
        assertEquals(before, gk.state().events)
        gk.destroy()
    }
}
