package dev.gatekeeper.demo.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

class PhocolGateTest {
    @TempDir
    lateinit var dir: Path

    private val clock = DemoClock()

    private fun starters(events: MutableList<String>) = listOf("mmkv", "sensors_analytics", "facebook").map { id ->
        SdkStarter(id, start = { events += "start:$id" }, stop = { events += "stop:$id" })
    }

    @Test
    fun `app start syncs the region once and starts nothing before the policy is accepted`() {
        val gk = DemoFixtures.open(dir, clock)
        val events = mutableListOf<String>()
        val gate = PhocolGate(gk, starters(events))

        val r = gate.onAppStart("cn")
        assertTrue(r.started.isEmpty())
        assertEquals("CN", gk.state().country)
        assertEquals("CN", gk.state().jurisdiction)
        val eventsAfterFirst = gk.state().events
        gate.onAppStart("CN")
        assertEquals(eventsAfterFirst, gk.state().events, "an unchanged region writes nothing")
        assertFalse(gate.syncCountry("419"), "not a two-letter region")
        assertFalse(gate.syncCountry(null))

        gate.firstRun.agree()
        gate.consent.setPurpose("analytics", true, ConsentSource.FIRST_RUN_DIALOG)
        gate.consent.setSdk("facebook", true, ConsentSource.FIRST_RUN_DIALOG)
        assertEquals(listOf("start:mmkv", "start:sensors_analytics", "start:facebook"), events)

        gate.consent.setPurpose("analytics", false)
        assertEquals(setOf("mmkv"), gate.sdks.running())
        assertTrue(events.containsAll(listOf("stop:sensors_analytics", "stop:facebook")))
        gk.destroy()
    }

    @Test
    fun `moving to Germany switches to GDPR and keeps the age`() {
        val gk = DemoFixtures.open(dir, clock)
        gk.setProfile("CN", 30u)
        val gate = PhocolGate(gk, emptyList())
        assertTrue(gate.syncCountry("DE"))
        val s = gk.state()
        assertEquals("EEA", s.jurisdiction)
        assertEquals("gdpr", s.law)
        assertEquals(30u, s.age)
        gk.destroy()
    }

    @Test
    fun `the Android permission strings match the manifest`() {
        val manifest = DemoFixtures.MANIFEST
        val block = Regex("\"id\":\\s*\"([a-z_]+)\",\\s*\"title\"[^{}]*?\"android\":\\s*\\[([^\\]]*)]")
        val fromManifest = block.findAll(manifest).associate { m ->
            m.groupValues[1] to Regex("\"([^\"]+)\"").findAll(m.groupValues[2]).map { it.groupValues[1] }.toList()
        }
        assertEquals(fromManifest, PhocolGate.ANDROID_PERMISSIONS)
    }
}
