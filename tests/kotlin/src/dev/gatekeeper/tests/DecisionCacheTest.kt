// DecisionCache: the hot-path decision cache of the ktx layer (valid_until, notifications).
package dev.gatekeeper.tests

import dev.gatekeeper.Decision
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import dev.gatekeeper.ktx.DecisionCache
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration

class DecisionCacheTest {
    @TempDir
    lateinit var dir: Path

    /** CN user aged 30, policy accepted, analytics granted and facebook granted separately at T0. */
    private fun consented(clock: ManualClock): Gatekeeper = openConsentedExample(dir, clock)

    @Test
    fun `a grant is served from memory until one millisecond before valid_until, and re-asked at it`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val cache = DecisionCache(counting, clock)
            val first = cache.sdk("facebook")
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, first.outcome())
            val until = requireNotNull(first.validUntil) { "a grant's allow carries its expiry" }
            assertEquals(1, counting.decideOne.get())

            repeat(1_000) { cache.sdk("facebook") }
            clock.set(until.minusMillis(1))
            assertEquals(Verdict.ALLOW to Reason.CONSENTED, cache.sdk("facebook").outcome())
            assertEquals(1, counting.decideOne.get(), "hits never cross the FFI")

            clock.set(until)
            assertEquals(Verdict.ASK to Reason.CONSENT_EXPIRED, cache.sdk("facebook").outcome())
            assertEquals(2, counting.decideOne.get(), "at valid_until the core is asked again")
            assertEquals(gk.decideSdk("facebook").outcome(), cache.sdk("facebook").outcome())
            cache.close()
        }
    }

    @Test
    fun `a permission's re-prompt window is honoured on both sides of its end`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            gk.recordPermissionResult("camera", dev.gatekeeper.PermissionResult.DENIED)
            val counting = CountingGatekeeper(gk)
            val cache = DecisionCache(counting, clock)
            val denied = cache.permission("camera")
            assertEquals(Verdict.DENY to Reason.RECENTLY_DENIED, denied.outcome())
            val until = denied.validUntil!!
            assertEquals(T0.plus(Duration.ofHours(48)), until)

            clock.set(until.minusMillis(1))
            assertEquals(Verdict.DENY to Reason.RECENTLY_DENIED, cache.permission("camera").outcome())
            assertEquals(1, counting.decideOne.get())
            clock.set(until)
            assertEquals(Verdict.ALLOW to Reason.NOT_CONSENT_BASED, cache.permission("camera").outcome())
            assertEquals(2, counting.decideOne.get())
            // Triggers are cached apart: a launch-time prompt has its own answer.
            assertEquals(Reason.LAUNCH_TIME_REQUEST, cache.permission("camera", Trigger.APP_LAUNCH).reason)
            cache.close()
        }
    }

    @Test
    fun `a change notification drops every entry, so a withdrawal is seen at once`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val cache = DecisionCache(counting, clock)
            assertEquals(Verdict.ALLOW, cache.sdk("facebook").verdict)
            assertEquals(Verdict.ALLOW, cache.sdk("sensors_analytics").verdict)
            assertEquals(Verdict.ALLOW, cache.permission("camera").verdict)
            val before = counting.decideOne.get()

            gk.withdraw(listOf("analytics"), emptyList(), "settings")
            assertEquals(Verdict.DENY to Reason.CONSENT_WITHDRAWN, cache.sdk("facebook").outcome())
            assertEquals(Verdict.DENY to Reason.CONSENT_WITHDRAWN, cache.sdk("sensors_analytics").outcome())
            assertEquals(Verdict.ALLOW, cache.permission("camera").verdict)
            assertEquals(before + 3, counting.decideOne.get(), "every entry was dropped, the camera's too")

            // After close the cache no longer listens: it is out of the listener slot.
            cache.close()
            assertEquals(null, counting.listener)
        }
    }

    @Test
    fun `an owner that keeps the listener forwards notifications to applyChanges`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val cache = DecisionCache(counting, clock, listen = false)
            val app = RecordingListener()
            gk.setListener(object : dev.gatekeeper.ChangeListener {
                override fun onChange(changes: List<dev.gatekeeper.DecisionChange>) {
                    app.onChange(changes)
                    cache.applyChanges(changes)
                }
            })
            assertEquals(Verdict.ALLOW, cache.sdk("facebook").verdict)
            gk.withdraw(emptyList(), listOf("facebook"), "settings")
            assertEquals(1, app.calls.size)
            assertEquals(Verdict.DENY to Reason.CONSENT_WITHDRAWN, cache.sdk("facebook").outcome())
            cache.close()
            assertEquals(null, counting.listener, "a cache made with listen = false never took the slot")
        }
    }

    @Test
    fun `an answer that raced with a change is returned but never served again`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            lateinit var cache: DecisionCache
            var raced = false
            // A change lands while the core is answering (as from another thread).
            val racing = object : dev.gatekeeper.GatekeeperInterface by gk {
                override fun decideSdk(id: String): Decision {
                    val d = gk.decideSdk(id)
                    if (!raced) {
                        raced = true
                        cache.applyChanges(emptyList())
                    }
                    return d
                }
            }
            val counting = CountingGatekeeper(gk)
            cache = DecisionCache(racing, clock, listen = false)
            assertEquals(Verdict.ALLOW, cache.sdk("facebook").verdict)
            assertEquals(1L, cache.misses)
            cache.sdk("facebook")
            assertEquals(2L, cache.misses, "the raced answer was not stored as current")
            cache.sdk("facebook")
            assertEquals(2L, cache.misses, "the next answer is")
            assertEquals(0, counting.decideOne.get())
            cache.close()
        }
    }

    @Test
    fun `purposes always ask the core, and unavailable answers are not kept`() {
        val clock = ManualClock()
        consented(clock).use { gk ->
            val counting = CountingGatekeeper(gk)
            val cache = DecisionCache(counting, clock)
            repeat(3) { assertEquals(Verdict.ALLOW, cache.purpose("analytics").verdict) }
            assertEquals(3, counting.decideOne.get())

            gk.closeStore()
            assertEquals(Reason.STORE_UNAVAILABLE, cache.sdk("mmkv").reason)
            assertEquals(Reason.STORE_UNAVAILABLE, cache.sdk("mmkv").reason)
            assertEquals(5, counting.decideOne.get(), "a store_unavailable answer is asked again")
            cache.close()
        }
    }

    @Test
    fun `with the system clock a timer drops entries before valid_until, and a nearly expired answer is not kept`() {
        consentedOnSystemClock().use { gk ->
            val until = gk.decideSdk("facebook").validUntil!!.toEpochMilli()
            // A lead that puts the expiry three seconds from now (the real deadline is a year off).
            val cache = DecisionCache(gk, expiryLeadMs = until - System.currentTimeMillis() - 3_000)
            assertEquals(Verdict.ALLOW, cache.sdk("facebook").verdict)
            assertEquals(Verdict.ALLOW, cache.sdk("facebook").verdict)
            assertEquals(1L, cache.misses, "served from memory before the expiry")
            val deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos()
            while (cache.expiries == 0L && System.nanoTime() < deadline) Thread.sleep(50)
            assertEquals(1L, cache.expiries, "the timer dropped the entries")
            cache.sdk("facebook")
            assertEquals(2L, cache.misses, "after expiry the core is asked again")
            cache.close()

            // An answer already within the lead of its valid_until is returned but not kept.
            val late = DecisionCache(gk, expiryLeadMs = until - System.currentTimeMillis() + 60_000)
            assertEquals(Verdict.ALLOW, late.sdk("facebook").verdict)
            assertEquals(Verdict.ALLOW, late.sdk("facebook").verdict)
            assertEquals(2L, late.misses)
            late.close()
        }
    }

    private fun consentedOnSystemClock(): Gatekeeper = openConsentedExample(dir, null, "system-clock.db")
}
