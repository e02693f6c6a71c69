package dev.gatekeeper.demo.logic

import dev.gatekeeper.Law
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
        gk.setProfile("CN", 30)
        val gate = PhocolGate(gk, emptyList())
        assertTrue(gate.syncCountry("DE"))
        val s = gk.state()
        assertEquals("EEA", s.jurisdiction)
        assertEquals(Law.GDPR, s.law)
        assertEquals(30, s.age)
        gk.destroy()
    }

    @Test
    fun `the Android permission strings are the manifest's`() {
        val gk = DemoFixtures.open(dir, clock)
        val gate = PhocolGate(gk, emptyList())
        val fromManifest = gk.manifest().permissions.associate { it.id to it.android }
        assertEquals(fromManifest, gate.androidPermissions)
        assertEquals(listOf("camera", "location", "photos", "microphone", "contacts", "bluetooth"), gate.androidPermissions.keys.toList())
        assertEquals("android.permission.CAMERA", gate.androidPermission("camera"))
        assertEquals(
            listOf("android.permission.BLUETOOTH_SCAN", "android.permission.BLUETOOTH_CONNECT"),
            gate.androidPermissions.getValue("bluetooth"),
        )
        assertEquals(null, gate.androidPermission("teleport"))
        gk.destroy()
    }

    @Test
    fun `without a starter list every SDK of the manifest is registered`() {
        val gk = DemoFixtures.openCnAdult(dir, clock)
        val events = mutableListOf<String>()
        val gate = PhocolGate(gk, start = { id -> events += "start:$id" }, stop = { id -> events += "stop:$id" })
        assertEquals(gk.manifest().sdks.map { it.id }, gate.sdks.registeredIds)
        assertEquals(12, gate.sdks.registeredIds.size)

        gate.firstRun.agree()
        // Under PIPL, acceptance alone allows the essential SDKs of CN vendors.
        assertEquals(listOf("start:mmkv", "start:matisse"), events)
        gk.destroy()
    }
}
