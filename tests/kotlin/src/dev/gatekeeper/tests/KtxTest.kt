// The small Kotlin conveniences of dev.gatekeeper.ktx.
package dev.gatekeeper.tests

import dev.gatekeeper.DecisionChange
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import dev.gatekeeper.ktx.DEFAULT_SOURCE
import dev.gatekeeper.ktx.acceptPolicy
import dev.gatekeeper.ktx.changeListener
import dev.gatekeeper.ktx.decidePermission
import dev.gatekeeper.ktx.decideSdks
import dev.gatekeeper.ktx.deny
import dev.gatekeeper.ktx.grant
import dev.gatekeeper.ktx.isAllowed
import dev.gatekeeper.ktx.openDefault
import dev.gatekeeper.ktx.subjectId
import dev.gatekeeper.ktx.timeSource
import dev.gatekeeper.ktx.withdraw
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

class KtxTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `openDefault and the named-argument writes`() {
        var now = T0
        Gatekeeper.openDefault(dir.resolve("gk.db").toString(), Example.manifest, timeSource { now }).use { gk ->
            val heard = CopyOnWriteArrayList<List<DecisionChange>>()
            gk.setListener(changeListener { heard.add(it) })
            gk.setProfile("FR", 40)
            gk.acceptPolicy()
            gk.grant(purposes = listOf("analytics", "push_notifications"))
            gk.grant(sdks = listOf("facebook"), separate = true, source = "just_in_time")
            gk.deny(purposes = listOf("personalised_ads"))
            now = T0.plus(Duration.ofDays(1))
            gk.withdraw(purposes = listOf("push_notifications"))
            assertTrue(heard.isNotEmpty())

            val receipts = gk.export().receipts
            val bySubject = receipts.groupBy { it.subject }
            assertEquals(listOf("just_in_time"), bySubject.getValue("sdk:facebook").map { it.source })
            assertTrue(bySubject.getValue("sdk:facebook").single().separate)
            for (r in receipts.filter { it.subject != "sdk:facebook" && it.subject != "profile" }) {
                assertEquals(DEFAULT_SOURCE, r.source, r.toString())
            }
            assertEquals(
                listOf("granted", "withdrawn"),
                bySubject.getValue("purpose:push_notifications").map { it.choice },
            )
            assertEquals(T0.plus(Duration.ofDays(1)), receipts.last().timestamp, "the lambda clock is used")

            val sdks = gk.decideSdks(listOf("sensors_analytics", "huawei_push", "mmkv"))
            assertEquals(listOf("sensors_analytics", "huawei_push", "mmkv"), sdks.keys.toList())
            assertTrue(sdks.getValue("sensors_analytics").isAllowed)
            assertFalse(sdks.getValue("huawei_push").isAllowed)
            assertEquals(Reason.CONSENT_WITHDRAWN, sdks.getValue("huawei_push").reason)
            assertEquals("mmkv", sdks.getValue("mmkv").subjectId)
            assertEquals(emptyMap<String, Any>(), gk.decideSdks(emptyList()))

            // decidePermission(id) is a user action.
            assertEquals(
                gk.decidePermission("camera", Trigger.USER_ACTION).outcome(),
                gk.decidePermission("camera").outcome(),
            )
            assertEquals(Verdict.ALLOW, gk.decidePermission("camera").verdict)
        }
    }

    @Test
    fun `a time source that throws falls back to the system clock`() {
        val failing = timeSource { throw IllegalStateException("clock unavailable") }
        Gatekeeper.openDefault(dir.resolve("gk.db").toString(), Example.manifest, failing).use { gk ->
            val before = Instant.now().minusSeconds(5)
            val d = gk.decideSdk("mmkv")
            assertEquals(Reason.POLICY_NOT_ACCEPTED, d.reason)
            assertTrue(d.decidedAt.isAfter(before) && d.decidedAt.isBefore(Instant.now().plusSeconds(5)), d.decidedAt.toString())
        }
    }
}
