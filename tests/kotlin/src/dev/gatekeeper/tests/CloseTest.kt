// Closing objects: the store (closeStore, Rust's `close`) and the native object
// (close()/destroy()/use {}, uniffi's AutoCloseable).
package dev.gatekeeper.tests

import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertDoesNotThrow
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

class CloseTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `after closeStore decisions fail closed and writes throw Closed`() {
        val clock = ManualClock()
        openExample(dir, clock).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            assertEquals(Verdict.ALLOW, gk.decideSdk("mmkv").verdict)

            gk.closeStore()
            val later = clock.advance(java.time.Duration.ofMinutes(5))

            for (d in listOf(
                gk.decideSdk("mmkv"),
                gk.decidePermission("camera", Trigger.USER_ACTION),
                gk.decidePurpose("essential"),
            )) {
                assertEquals(Verdict.DENY, d.verdict, d.subject)
                assertEquals(Reason.STORE_UNAVAILABLE, d.reason, d.subject)
                assertEquals(later, d.decidedAt, "the injected clock, also when closed")
                assertEquals("3.1", d.policyVersion)
            }
            val many = gk.decideMany(Example.everything)
            assertEquals(Example.everything.size, many.size)
            assertTrue(many.all { it.verdict == Verdict.DENY && it.reason == Reason.STORE_UNAVAILABLE })
            assertEquals("sdk:mmkv", many.first().subject)

            val writes = listOf<() -> Unit>(
                { gk.setProfile("CN", 30) },
                { gk.acceptPolicy(false, "settings") },
                { gk.grant(listOf("analytics"), emptyList(), false, false, "settings") },
                { gk.deny(listOf("analytics"), emptyList(), "settings") },
                { gk.withdraw(listOf("analytics"), emptyList(), "settings") },
                { gk.recordPermissionResult("camera", PermissionResult.GRANTED) },
                { gk.erase() },
            )
            for (w in writes) {
                val e = assertThrows<GatekeeperException.Closed> { w() }
                assertTrue(e.message!!.contains("closed"), e.message)
            }
            assertThrows<GatekeeperException.Closed> { gk.state() }
            assertThrows<GatekeeperException.Closed> { gk.log() }
            assertThrows<GatekeeperException.Closed> { gk.export() }
            assertThrows<GatekeeperException.Closed> { gk.verify() }
            assertThrows<GatekeeperException.Closed> { gk.flush() }

            // Closing twice is harmless.
            assertDoesNotThrow { gk.closeStore() }
            assertDoesNotThrow { gk.closeStore() }
        }
    }

    @Test
    fun `close, destroy and use free the native object once`() {
        val gk = openExample(dir, ManualClock())
        gk.setProfile("CN", 30)
        assertFalse(gk.uniffiIsDestroyed)
        gk.close()
        assertTrue(gk.uniffiIsDestroyed)
        assertDoesNotThrow { gk.close() }
        assertDoesNotThrow { gk.destroy() }
        // Calls on a freed object are a programming error, reported by the binding.
        assertThrows<IllegalStateException> { gk.decideSdk("mmkv") }

        val viaUse = openExample(dir, ManualClock())
        val events = viaUse.use { it.state().events }
        assertEquals(1L, events)
        assertTrue(viaUse.uniffiIsDestroyed)

        val viaDestroy = openExample(dir, ManualClock())
        viaDestroy.destroy()
        assertTrue(viaDestroy.uniffiIsDestroyed)
        // The store was released: it opens again, with every event.
        openExample(dir, ManualClock()).use { assertEquals(1L, it.state().events) }
    }

    @Test
    fun `a store closed while another thread decides fails closed, never throws`() {
        val gk = openExample(dir, ManualClock())
        gk.setProfile("CN", 30)
        gk.acceptPolicy(false, "first_run_dialog")
        val errors = java.util.concurrent.ConcurrentLinkedQueue<Throwable>()
        val seen = java.util.concurrent.ConcurrentHashMap.newKeySet<Reason>()
        val threads = (0 until 4).map {
            Thread {
                try {
                    repeat(300) { seen.add(gk.decideMany(listOf(DecisionSubject.Sdk("mmkv"))).single().reason) }
                } catch (t: Throwable) {
                    errors.add(t)
                }
            }.apply { start() }
        }
        Thread.sleep(5)
        gk.closeStore()
        threads.forEach { it.join(30_000) }
        assertEquals(emptyList<Throwable>(), errors.toList())
        assertTrue(seen.all { it == Reason.NOT_CONSENT_BASED || it == Reason.STORE_UNAVAILABLE }, seen.toString())
        assertEquals(Reason.STORE_UNAVAILABLE, gk.decideSdk("mmkv").reason)
        gk.close()
    }
}
