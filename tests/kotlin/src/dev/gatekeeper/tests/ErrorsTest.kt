// Typed exceptions, with messages that name what was wrong and where (contract §2, §7, §8).
package dev.gatekeeper.tests

import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

class ErrorsTest {
    @TempDir
    lateinit var dir: Path

    private fun open(manifest: String, name: String = "gk.db") =
        Gatekeeper.open(dir.resolve(name).toString(), manifest, GatekeeperOptions(ManualClock()))

    @Test
    fun `a manifest with an undeclared purpose names its JSON path`() {
        val bad = MINI_MANIFEST.replace("\"purposes\": [\"analytics\"]", "\"purposes\": [\"ads\"]")
        val e = assertThrows<GatekeeperException.InvalidManifest> { open(bad) }
        assertTrue(e.message!!.contains("/sdks/0/purposes/0"), e.message)
        assertTrue(e.message!!.contains("`ads` is not a declared purpose"), e.message)
        assertFalse(Files.exists(dir.resolve("gk.db")), "nothing is created for an invalid manifest")
    }

    @Test
    fun `every manifest problem is in the message, not only the first`() {
        val bad = MINI_MANIFEST
            .replace("\"version\": \"1.0\"", "\"version\": \"one\"")
            .replace("\"basis\": \"consent\"", "\"basis\": \"whim\"")
            .replace("\"vendor\": \"T Inc.\",", "\"vendor\": \"T Inc.\", \"colour\": \"red\",")
        val e = assertThrows<GatekeeperException.InvalidManifest> { open(bad) }
        val m = e.message!!
        assertTrue(m.contains("3 problem(s)"), m)
        for (path in listOf("/policy/version", "/purposes/1/basis", "/sdks/0/colour")) {
            assertTrue(m.contains(path), "$path missing from: $m")
        }
    }

    @Test
    fun `text that is not JSON is an invalid manifest`() {
        val e = assertThrows<GatekeeperException.InvalidManifest> { open("{\"schema\": 1,") }
        assertTrue(e.message!!.contains("invalid JSON"), e.message)
        // Every typed exception is a GatekeeperException, so one catch handles them all.
        assertTrue((e as Any) is GatekeeperException)
    }

    @Test
    fun `unknown ids are typed errors naming the id, and record nothing`() {
        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            val before = gk.state().events

            val p = assertThrows<GatekeeperException.UnknownId> {
                gk.grant(listOf("analytics", "telepathy"), emptyList(), false, false, "settings")
            }
            assertTrue(p.message!!.contains("purpose id `telepathy`"), p.message)
            val s = assertThrows<GatekeeperException.UnknownId> {
                gk.withdraw(emptyList(), listOf("tiktok_sdk"), "settings")
            }
            assertTrue(s.message!!.contains("sdk id `tiktok_sdk`"), s.message)
            val perm = assertThrows<GatekeeperException.UnknownId> {
                gk.recordPermissionResult("xray_vision", PermissionResult.GRANTED)
            }
            assertTrue(perm.message!!.contains("permission id `xray_vision`"), perm.message)

            assertEquals(before, gk.state().events, "nothing was recorded")
            assertEquals(ChoiceStatus.UNDECIDED, gk.state().purposes.single { it.id == "analytics" }.status)
            // Deciding an unknown id is not an error: it fails closed.
            val d = gk.decideSdk("tiktok_sdk")
            assertEquals(Verdict.DENY, d.verdict)
            assertEquals(Reason.UNKNOWN_SUBJECT, d.reason)
            assertEquals(Reason.UNKNOWN_SUBJECT, gk.decidePermission("xray_vision", Trigger.USER_ACTION).reason)
            assertEquals(Reason.UNKNOWN_SUBJECT, gk.decidePurpose("telepathy").reason)
        }
    }

    @Test
    fun `malformed arguments are InvalidArgument`() {
        openExample(dir, ManualClock()).use { gk ->
            val country = assertThrows<GatekeeperException.InvalidArgument> { gk.setProfile("China", 30) }
            assertTrue(country.message!!.contains("country"), country.message)
            val source = assertThrows<GatekeeperException.InvalidArgument> { gk.acceptPolicy(false, "first run!") }
            assertTrue(source.message!!.contains("source"), source.message)
            val empty = assertThrows<GatekeeperException.InvalidArgument> {
                gk.grant(emptyList(), emptyList(), false, false, "settings")
            }
            assertTrue(empty.message!!.isNotBlank())
            assertEquals(0L, gk.state().events)
        }
    }

    @Test
    fun `a negative age is InvalidArgument, without echoing the value, and records nothing`() {
        openExample(dir, ManualClock()).use { gk ->
            val e = assertThrows<GatekeeperException.InvalidArgument> { gk.setProfile("CN", -1) }
            val m = e.message!!
            assertTrue(m.contains("age"), m)
            assertFalse(m.contains("-1"), "the message must not repeat the profile value: $m")
            assertEquals(0L, gk.state().events)
            assertEquals(null, gk.state().age)
            // A valid age right after is accepted.
            gk.setProfile("CN", 0)
            assertEquals(0, gk.state().age)
        }
    }

    @Test
    fun `a store in a directory that does not exist is a Storage error naming the path`() {
        val path = dir.resolve("no-such-dir").resolve("deeper").resolve("gk.db").toString()
        val e = assertThrows<GatekeeperException.Storage> {
            Gatekeeper.open(path, MINI_MANIFEST, GatekeeperOptions(null))
        }
        assertTrue(e.message!!.contains(path), e.message)
    }

    @Test
    fun `a store made for another policy id is a PolicyMismatch`() {
        openExample(dir, ManualClock(), name = "app.db").use { it.setProfile("CN", 30) }
        val e = assertThrows<GatekeeperException.PolicyMismatch> { open(MINI_MANIFEST, name = "app.db") }
        val m = e.message!!
        assertTrue(m.contains("`phocol`") && m.contains("`mini`"), m)
        assertTrue(m.contains("app.db"), m)
        // The store was left alone: the right policy still opens it, with its events.
        openExample(dir, ManualClock(), name = "app.db").use { assertEquals(1L, it.state().events) }
    }
}
