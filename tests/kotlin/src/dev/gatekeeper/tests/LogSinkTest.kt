// installLogSink: the core's log lines reach the app, and never carry the profile.
package dev.gatekeeper.tests

import dev.gatekeeper.LogLevel
import dev.gatekeeper.LogSink
import dev.gatekeeper.installLogSink
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

class LogSinkTest {
    @TempDir
    lateinit var dir: Path

    private class Sink : LogSink {
        val lines = CopyOnWriteArrayList<Triple<LogLevel, String, String>>()
        override fun log(level: LogLevel, target: String, message: String) {
            lines.add(Triple(level, target, message))
        }
    }

    @Test
    fun `the first sink is installed once and receives the core's lines`() {
        val sink = Sink()
        // Process-wide and once only: this is the only test that installs one.
        assertTrue(installLogSink(sink, LogLevel.INFO))
        assertFalse(installLogSink(Sink(), LogLevel.TRACE), "a second install is refused")

        openExample(dir, ManualClock()).use { gk ->
            gk.setProfile("DE", 37)
            gk.acceptPolicy(false, "first_run_dialog")
        }
        val mine = sink.lines.toList()
        assertTrue(mine.any { it.third.contains("recorded policy_accepted") }, mine.toString())
        assertTrue(mine.all { it.second.startsWith("gatekeeper") }, "targets are the core's modules")
        assertTrue(mine.none { it.first == LogLevel.DEBUG || it.first == LogLevel.TRACE }, "max level INFO")
        // No profile value in any line (contract §6).
        for ((_, _, message) in mine) {
            assertFalse(Regex("\\bDE\\b").containsMatchIn(message), message)
            assertFalse(message.contains("37"), message)
        }
    }
}
