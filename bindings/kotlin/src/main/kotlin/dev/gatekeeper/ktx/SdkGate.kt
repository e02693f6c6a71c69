// A decision cache for SDK start-up. Plain Kotlin (no android.* imports).
package dev.gatekeeper.ktx

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.GatekeeperInterface
import dev.gatekeeper.TimeSource
import dev.gatekeeper.Verdict
import java.time.Instant

/**
 * Answers "may this SDK start?" from memory.
 *
 * Each call from Kotlin into the core costs a JNA round trip (about 10 µs), so an app
 * that asks about a dozen SDKs at start-up, and again whenever it is about to use one,
 * should not cross the FFI every time. `SdkGate`:
 *
 * - decides every SDK it is given in ONE [GatekeeperInterface.decideMany] call when it
 *   is created;
 * - serves [isAllowed] / [decision] from memory while an entry is valid;
 * - honours each decision's `validUntil`: once the clock passes it, the entry is
 *   re-decided on the next lookup, together with every other expired or invalidated
 *   entry, again in one `decideMany` call;
 * - registers itself as the gatekeeper's (single) [ChangeListener]: every reported
 *   change invalidates that SDK's entry and is forwarded to [Callbacks] —
 *   [Callbacks.onSwitchOff] for an SDK that was allowed and no longer is (stop it now),
 *   [Callbacks.onSwitchOn] for one that became allowed, and [Callbacks.onChange] with
 *   the list (permissions included), so the app loses nothing by letting the gate own
 *   the listener slot;
 * - ignores a change whose [DecisionChange.sequence] is lower than the last one it
 *   applied for that subject: the core numbers writes in commit order, but two writes
 *   on two threads may deliver their notifications in either order, and a late, older
 *   "allow" must not switch an SDK back on. Such stale changes are dropped from what
 *   reaches [Callbacks] too (a notification left with none calls nothing).
 *
 * The verdicts it serves are exact: the core reports every change of verdict or reason
 * to the listener, and `validUntil` covers changes by time alone. Other fields of a
 * cached [Decision] (e.g. `decidedAt`) are those of the call that filled the entry.
 *
 * An owner that must keep the listener slot itself (say, because it is the listener the
 * app already installs) creates the gate with `listen = false` and hands it each
 * notification through [applyChanges]; everything above then holds the same way.
 *
 * Thread-safe. Callbacks run on the thread that made the change, after the gate's
 * lock is released, so they may call back into the gate or the gatekeeper.
 *
 * @param sdkIds the SDKs to decide at creation, in this order. The constructor without
 *   it takes every SDK of the policy (`gatekeeper.manifest().sdks`), in manifest order.
 *   An empty list makes no call at creation.
 * @param timeSource the same clock that was given to the gatekeeper (null: system clock);
 *   it decides when `validUntil` has passed.
 * @param listen true (the default): the gate sets itself as the gatekeeper's listener and
 *   [close] removes it. False: the gate never touches the listener slot, and its owner
 *   forwards notifications to [applyChanges].
 *   The gatekeeper has ONE listener slot, which a [DecisionCache] made with `listen = true`
 *   takes too: creating one of them while the other (not closed) listens to the same
 *   gatekeeper throws [IllegalStateException], since the first would otherwise silently stop
 *   hearing withdrawals. To use both, create them with `listen = false` and set one listener
 *   that forwards each notification to both `applyChanges` (bindings/README.md). A listener
 *   the app sets itself with `setListener` replaces the gate's without any error.
 */
class SdkGate(
    private val gatekeeper: GatekeeperInterface,
    sdkIds: Collection<String>,
    private val timeSource: TimeSource? = null,
    private val callbacks: Callbacks? = null,
    private val listen: Boolean = true,
) : AutoCloseable {

    /**
     * A gate over every SDK the policy declares (`gatekeeper.manifest().sdks`, in manifest
     * order), so the app does not repeat the manifest's SDK ids.
     */
    constructor(
        gatekeeper: GatekeeperInterface,
        timeSource: TimeSource? = null,
        callbacks: Callbacks? = null,
        listen: Boolean = true,
    ) : this(gatekeeper, policySdkIds(gatekeeper), timeSource, callbacks, listen)

    /** What the app hears about. Every method has an empty default. */
    interface Callbacks {
        /** [sdkId] was allowed and no longer is: stop it / stop sending it data. */
        fun onSwitchOff(sdkId: String, decision: Decision) {}

        /** [sdkId] was not allowed and now is: it may be started. */
        fun onSwitchOn(sdkId: String, decision: Decision) {}

        /**
         * Every change the core reported, SDKs and permissions alike, except those older
         * than a change already applied for the same subject.
         */
        fun onChange(changes: List<DecisionChange>) {}
    }

    private val lock = Any()

    /** Entries by SDK id; `null` means "invalidated, decide again". Guarded by [lock]. */
    private val entries = LinkedHashMap<String, Decision?>()

    /** The highest [DecisionChange.sequence] applied per subject. Guarded by [lock]. */
    private val lastSequence = HashMap<String, Long>()
    private val listener = object : ChangeListener {
        override fun onChange(changes: List<DecisionChange>) {
            if (!closed) applyChanges(changes)
        }
    }

    @Volatile
    private var closed = false

    /** How many `decideMany` calls the gate has made (for diagnostics and tests). */
    @Volatile
    var batches: Int = 0
        private set

    init {
        for (id in sdkIds) entries[id] = null
        // Listen first: a change made between the two steps then invalidates an entry
        // that the batch below fills afresh anyway, instead of being missed.
        if (listen) {
            ListenerSlot.claim(gatekeeper, this)
            gatekeeper.setListener(listener)
        }
        synchronized(lock) { refill(now()) }
    }

    /** May [sdkId] start (or keep running) now? Unknown ids are never allowed. */
    fun isAllowed(sdkId: String): Boolean = decision(sdkId).verdict == Verdict.ALLOW

    /**
     * The current decision for [sdkId], from memory when valid. An id the gate was not
     * created with is added and decided (with any other stale entry) in one call.
     */
    fun decision(sdkId: String): Decision {
        synchronized(lock) {
            val now = now()
            val cached = entries[sdkId]
            if (cached != null && fresh(cached, now)) return cached
            if (!entries.containsKey(sdkId)) entries[sdkId] = null
            refill(now)
            return entries.getValue(sdkId)!!
        }
    }

    /** Every SDK's current decision, in the order the gate knows them (one call at most). */
    fun decisions(): Map<String, Decision> {
        synchronized(lock) {
            val now = now()
            if (entries.values.any { it == null || !fresh(it, now) }) refill(now)
            return entries.mapValues { it.value!! }
        }
    }

    /**
     * The current decisions of [sdkIds], in that order, from memory where valid. Ids the gate
     * does not know yet are added; if any of them is missing or expired, every stale entry
     * is decided in ONE call (none when all are valid, or [sdkIds] is empty). An id the core
     * gave no answer for is left out.
     */
    fun decisions(sdkIds: Collection<String>): Map<String, Decision> {
        synchronized(lock) {
            val now = now()
            var stale = false
            for (id in sdkIds) {
                val d = entries[id]
                if (d == null || !fresh(d, now)) {
                    if (!entries.containsKey(id)) entries[id] = null
                    stale = true
                }
            }
            if (stale) refill(now)
            val out = LinkedHashMap<String, Decision>()
            for (id in sdkIds) entries[id]?.let { out[id] = it }
            return out
        }
    }

    /** Forgets every entry; the next lookup decides them all again in one call. */
    fun invalidateAll() {
        synchronized(lock) { entries.replaceAll { _, _ -> null } }
    }

    /**
     * Applies a change list as if the gate had heard it as the listener: drops each change
     * older (lower [DecisionChange.sequence]) than the last one applied for its subject,
     * invalidates the entries of the SDKs the rest name, and calls [Callbacks] with them.
     * For a gate made with `listen = false`, whose owner forwards what it hears. A change
     * at the same sequence as the last one applied is not stale: applying a list twice
     * invalidates and calls back twice. Returns the changes applied, in the order given
     * (empty when all were stale).
     */
    fun applyChanges(changes: List<DecisionChange>): List<DecisionChange> {
        val current: List<DecisionChange>
        synchronized(lock) {
            // Drop what an already applied, later write superseded (see the class comment).
            current = changes.filter { c ->
                val last = lastSequence[c.subject]
                if (last != null && c.sequence < last) {
                    false
                } else {
                    lastSequence[c.subject] = c.sequence
                    true
                }
            }
            for (c in current) {
                if (!c.subject.startsWith(SDK_PREFIX)) continue
                val id = c.subject.removePrefix(SDK_PREFIX)
                if (entries.containsKey(id)) entries[id] = null
            }
        }
        if (current.isEmpty()) return current
        val sdkChanges = current.filter { it.subject.startsWith(SDK_PREFIX) }
        val cb = callbacks ?: return current
        for (c in sdkChanges) {
            val id = c.subject.removePrefix(SDK_PREFIX)
            val was = c.old.verdict == Verdict.ALLOW
            val isNow = c.new.verdict == Verdict.ALLOW
            if (was && !isNow) cb.onSwitchOff(id, c.new)
            if (!was && isNow) cb.onSwitchOn(id, c.new)
        }
        cb.onChange(current)
        return current
    }

    /**
     * Unregisters the gate's listener from the gatekeeper (a gate made with `listen = false`
     * leaves the slot alone). The gatekeeper stays open.
     */
    override fun close() {
        if (closed) return
        closed = true
        if (listen) {
            runCatching { gatekeeper.setListener(null) }
            ListenerSlot.release(gatekeeper, this)
        }
    }

    // ---------------------------------------------------------------------------------

    private fun now(): Instant = timeSource?.now() ?: Instant.now()

    private fun fresh(d: Decision, now: Instant): Boolean {
        val until = d.validUntil ?: return true
        return now.isBefore(until)
    }

    /** Re-decides every missing or expired entry in one FFI call. Caller holds [lock]. */
    private fun refill(now: Instant) {
        val stale = entries.filter { (_, d) -> d == null || !fresh(d, now) }.keys.toList()
        if (stale.isEmpty()) return
        val decided = gatekeeper.decideMany(stale.map { DecisionSubject.Sdk(it) })
        batches++
        for ((id, d) in stale.zip(decided)) entries[id] = d
    }

    private companion object {
        const val SDK_PREFIX = "sdk:"

        /** Every SDK id of the policy, in manifest order (one FFI call). */
        fun policySdkIds(gatekeeper: GatekeeperInterface): List<String> = gatekeeper.manifest().sdks.map { it.id }
    }
}
