// A decision cache whose hit path costs about a HashMap get. Plain Kotlin (no android.*).
package dev.gatekeeper.ktx

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.GatekeeperInterface
import dev.gatekeeper.Reason
import dev.gatekeeper.TimeSource
import dev.gatekeeper.Trigger
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ScheduledFuture
import java.util.concurrent.ScheduledThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * Answers repeated "may this SDK start?" and "may I show this permission prompt?" questions
 * from memory, for code that asks on a hot path (the main thread, before every SDK call).
 *
 * A call into the core from Kotlin costs a JNA round trip (tens of µs on a desktop JVM); a
 * hit here is a map lookup and a volatile read, with no clock read and no lock. Reading the
 * clock would cost several map lookups (`System.currentTimeMillis()` is 30-50 ns on the
 * machines this was measured on), so the hit path never reads it; instead every entry
 * carries the generation it was made under, and the generation is bumped:
 *
 * - by **change notifications** (this cache is the gatekeeper's listener, or its owner
 *   forwards them to [applyChanges]): every notification drops every entry;
 * - by **expiry** (contract §4: a decision may be cached "until valid_until or until a
 *   change notification"). With the system clock, a timer on one shared daemon thread
 *   drops every entry [expiryLeadMs] before the earliest cached `validUntil`, and wakes at
 *   least every [MAX_NAP_MS] to compare the wall clock with it, so a wall clock moved
 *   forward, or a device that slept through the deadline (timers do not run while it
 *   sleeps), is noticed within that nap. An answer already within [expiryLeadMs] of its
 *   `validUntil` is returned but not kept. With a [timeSource] (an injected clock, which
 *   timers cannot follow), every hit compares that clock with the entry's `validUntil`
 *   instead: exact, at the price of the clock call.
 * - A lookup that raced with a change (it asked the core before the change and stores the
 *   answer after it) stores its answer under the generation it read *before* asking, so
 *   that answer is never served.
 *
 * Only subjects the core's notifications cover are cached: SDKs, and permissions (the core
 * re-decides each permission with a user action; the other triggers differ from it only by
 * rule 2, which depends on the manifest alone). Purposes are not: a write that changes no
 * SDK or permission sends no notification, so [purpose] always asks the core. Nor are data
 * accesses (contract §9.2): an allowed access **is** the access, recorded by the core and
 * starting its interval, so [access] asks the core every time and keeps nothing. A
 * `store_unavailable` answer is not kept. Close the cache before closing the store.
 *
 * Between a write committing in the core and its notification reaching this cache, a hit
 * may still serve the previous decision; the notification is delivered on the writing
 * thread right after the write returns, as with [SdkGate].
 *
 * Thread-safe: lookups take no lock; a miss asks the core (which serialises).
 *
 * @param timeSource the clock given to the gatekeeper, if any (null: the system clock).
 * @param listen true (the default): the cache sets itself as the gatekeeper's (single)
 *   listener and [close] removes it. False: its owner forwards notifications to
 *   [applyChanges] (e.g. when an [SdkGate] or the app already holds the listener slot).
 *   The gatekeeper has ONE listener slot, which an [SdkGate] (and so `SdkAdapters`) made
 *   with `listen = true` takes too: creating one of them while the other (not closed)
 *   listens to the same gatekeeper throws [IllegalStateException], since the first would
 *   otherwise silently stop hearing withdrawals. To use both, create them with
 *   `listen = false` and set one listener that forwards each notification to both
 *   `applyChanges` (bindings/README.md).
 * @param expiryLeadMs with the system clock, how long before its `validUntil` an entry is
 *   dropped (default one second, so a timer that runs a little late is still early).
 */
class DecisionCache(
    private val gatekeeper: GatekeeperInterface,
    private val timeSource: TimeSource? = null,
    private val listen: Boolean = true,
    private val expiryLeadMs: Long = 1_000,
) : AutoCloseable {

    private class Entry(val decision: Decision, val untilMs: Long, val generation: Long)

    /** Bumped by every change notification, by expiry and by [invalidateAll]. */
    @Volatile
    private var generation = 0L

    private val sdks = ConcurrentHashMap<String, Entry>()

    /** One map per trigger, indexed by [Trigger.ordinal]. */
    private val permissions = Array(Trigger.values().size) { ConcurrentHashMap<String, Entry>() }

    @Volatile
    private var closed = false

    /** How many times the cache asked the core (misses), for diagnostics and tests. */
    val misses: Long get() = missCount.get()
    private val missCount = AtomicLong()

    /** How many times expiry dropped the entries (system clock only), for diagnostics and tests. */
    val expiries: Long get() = expiryCount.get()
    private val expiryCount = AtomicLong()

    /** The earliest `validUntil` (ms) among the entries, and the armed timer. Guarded by [expiryLock]. */
    private val expiryLock = Any()
    private var earliestMs = Long.MAX_VALUE
    private var timer: ScheduledFuture<*>? = null

    private val listener = object : ChangeListener {
        override fun onChange(changes: List<DecisionChange>) {
            if (!closed) applyChanges(changes)
        }
    }

    init {
        if (listen) {
            ListenerSlot.claim(gatekeeper, this)
            gatekeeper.setListener(listener)
        }
    }

    /** May SDK [id] start now? (`decideSdk`, from memory while valid.) */
    fun sdk(id: String): Decision {
        val e = sdks[id]
        if (e != null && e.generation == generation && fresh(e)) return e.decision
        return fill(sdks, id) { gatekeeper.decideSdk(id) }
    }

    /** May the app show permission prompt [id] now? (`decidePermission`, from memory while valid.) */
    fun permission(id: String, trigger: Trigger = Trigger.USER_ACTION): Decision {
        val map = permissions[trigger.ordinal]
        val e = map[id]
        if (e != null && e.generation == generation && fresh(e)) return e.decision
        return fill(map, id) { gatekeeper.decidePermission(id, trigger) }
    }

    /** Purposes are not cached (see the class comment): this asks the core every time. */
    fun purpose(id: String): Decision = gatekeeper.decidePurpose(id)

    /**
     * A read of sensitive data [id] (in the background when [background]): never cached, since
     * each allow is an access the core records and paces (see the class comment). Ask right
     * before every read, and read only on `allow`.
     */
    fun access(id: String, background: Boolean = false): Decision = gatekeeper.decideAccess(id, background)

    /** True when SDK [id] may start now. */
    fun isSdkAllowed(id: String): Boolean = sdk(id).isAllowed

    /**
     * Applies a change notification: every cached entry is dropped (whatever the list
     * names; a write can change answers the list does not cover, such as a permission
     * asked with another trigger). Call it from your listener when the cache was made
     * with `listen = false`.
     */
    fun applyChanges(@Suppress("UNUSED_PARAMETER") changes: List<DecisionChange>) {
        invalidateAll()
    }

    /** Drops every entry; the next lookups ask the core. */
    fun invalidateAll() {
        synchronized(expiryLock) {
            generation++
            earliestMs = Long.MAX_VALUE
            timer?.cancel(false)
            timer = null
        }
        sdks.clear()
        for (m in permissions) m.clear()
    }

    /** Unregisters the cache's listener (a cache made with `listen = false` leaves the slot alone). */
    override fun close() {
        if (closed) return
        closed = true
        invalidateAll()
        if (listen) {
            runCatching { gatekeeper.setListener(null) }
            ListenerSlot.release(gatekeeper, this)
        }
    }

    // -------------------------------------------------------------------------------------

    /** With an injected clock, strictly before `validUntil`; with the system clock, the timer decides. */
    private fun fresh(e: Entry): Boolean {
        val clock = timeSource ?: return true
        return e.untilMs == Long.MAX_VALUE || clock.now().toEpochMilli() < e.untilMs
    }

    private inline fun fill(map: ConcurrentHashMap<String, Entry>, id: String, ask: () -> Decision): Decision {
        // Read before asking: if a change lands while the core answers, this entry is stale.
        val gen = generation
        val d = ask()
        missCount.incrementAndGet()
        if (d.reason == Reason.STORE_UNAVAILABLE || closed) return d
        val untilMs = d.validUntil?.toEpochMilli() ?: Long.MAX_VALUE
        if (timeSource == null && untilMs != Long.MAX_VALUE) {
            // Too close to its end to be kept until the timer could drop it.
            if (untilMs - expiryLeadMs <= System.currentTimeMillis()) return d
            map[id] = Entry(d, untilMs, gen)
            noteExpiry(untilMs)
        } else {
            map[id] = Entry(d, untilMs, gen)
        }
        return d
    }

    private fun noteExpiry(untilMs: Long) {
        synchronized(expiryLock) {
            if (closed || (untilMs >= earliestMs && timer != null)) return
            earliestMs = minOf(earliestMs, untilMs)
            arm()
        }
    }

    /** Caller holds [expiryLock]. */
    private fun arm() {
        timer?.cancel(false)
        val wait = (earliestMs - expiryLeadMs - System.currentTimeMillis()).coerceIn(0, MAX_NAP_MS)
        timer = SCHEDULER.schedule({ tick() }, wait, TimeUnit.MILLISECONDS)
    }

    private fun tick() {
        synchronized(expiryLock) {
            timer = null
            if (closed || earliestMs == Long.MAX_VALUE) return
            if (System.currentTimeMillis() < earliestMs - expiryLeadMs) {
                arm()
                return
            }
        }
        expiryCount.incrementAndGet()
        invalidateAll()
    }

    companion object {
        /** The longest the expiry timer sleeps before it compares the wall clock again. */
        const val MAX_NAP_MS: Long = 10_000

        /** One daemon thread for the expiry timers of every cache. */
        private val SCHEDULER: ScheduledThreadPoolExecutor by lazy {
            ScheduledThreadPoolExecutor(1) { r ->
                Thread(r, "gatekeeper-decision-cache-expiry").apply { isDaemon = true }
            }.apply { removeOnCancelPolicy = true }
        }
    }
}
