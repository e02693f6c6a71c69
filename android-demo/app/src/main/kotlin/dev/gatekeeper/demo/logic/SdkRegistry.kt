package dev.gatekeeper.demo.logic

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Verdict
import java.time.Instant

/**
 * What one [SdkRegistry.startAllowed] or change notification did.
 *
 * @property started SDK ids whose starter ran, in registration order.
 * @property stopped SDK ids whose stopper ran.
 * @property failed SDK ids whose starter or stopper threw (a failed start leaves the SDK off).
 * @property decisions the decision behind each registered SDK that was looked at, by SDK id.
 * @property recheckAt the earliest `validUntil` among those decisions: the app should call
 *   [SdkRegistry.startAllowed] again then (a grant can expire by time alone, which produces
 *   no change notification); null if nothing changes by time alone.
 */
data class SdkRefresh(
    val started: List<String>,
    val stopped: List<String>,
    val failed: List<String>,
    val decisions: Map<String, Decision>,
    val recheckAt: Instant?,
)

/**
 * The app's third-party SDKs, each with a starter and a stopper, switched on only while the
 * gatekeeper allows them.
 *
 * - [startAllowed] asks the gatekeeper about every registered SDK in ONE `decideMany` call
 *   (one JNA round trip at app start), starts exactly those whose verdict is `allow` and stops
 *   any running SDK whose verdict no longer is.
 * - As the gatekeeper's [ChangeListener] ([Gatekeeper.setListener]), it stops every running SDK
 *   a change notification reports as no longer allowed (`deny` after a withdrawal, or `ask`,
 *   e.g. after a MAJOR policy update: fail closed), and starts a registered SDK reported as
 *   newly allowed (the user just granted its purpose). The core calls the listener after
 *   releasing its lock, so two writes on two threads may deliver their notifications out of
 *   order, and a stale "allow" must never start an SDK. Two guards: a change whose
 *   [DecisionChange.sequence] is lower than the last one applied for its subject is ignored
 *   (a later write already superseded it; no FFI call is made for it), and the SDKs a
 *   notification names are decided afresh (one `decideMany` call) before anything is started
 *   or stopped.
 * - [registerAll] registers every SDK the policy declares (`gatekeeper.manifest().sdks`) with
 *   one pair of lambdas taking the id, or the SDKs of an explicit list.
 *
 * Thread safety: the gatekeeper calls the listener on whichever thread made the change. All
 * state changes and the starter/stopper calls happen under one lock, so a stop never overtakes
 * the start it undoes; starters and stoppers should therefore be quick and must not block on
 * another thread that calls into this registry.
 */
class SdkRegistry(private val gatekeeper: Gatekeeper) : ChangeListener {
    private class Entry(val start: () -> Unit, val stop: () -> Unit)

    private val lock = Any()
    private val entries = LinkedHashMap<String, Entry>()
    private val running = LinkedHashSet<String>()

    /** The highest [DecisionChange.sequence] applied per subject. Guarded by [lock]. */
    private val lastSequence = HashMap<String, Long>()

    /** Registers an SDK by its manifest id. Registering an id again replaces its lambdas. */
    fun register(id: String, start: () -> Unit, stop: () -> Unit = {}): SdkRegistry {
        synchronized(lock) { entries[id] = Entry(start, stop) }
        return this
    }

    /**
     * Registers every SDK the policy declares (`gatekeeper.manifest().sdks`, in manifest order),
     * each with [start] and [stop] called with its id, so the app does not repeat the manifest's
     * SDK ids.
     */
    fun registerAll(start: (id: String) -> Unit, stop: (id: String) -> Unit = {}): SdkRegistry =
        registerAll(gatekeeper.manifest().sdks.map { it.id }, start, stop)

    /** Registers each SDK of [ids], with [start] and [stop] called with its id. */
    fun registerAll(ids: Collection<String>, start: (id: String) -> Unit, stop: (id: String) -> Unit = {}): SdkRegistry {
        for (id in ids) register(id, start = { start(id) }, stop = { stop(id) })
        return this
    }

    /** The registered SDK ids, in registration order. */
    val registeredIds: List<String>
        get() = synchronized(lock) { entries.keys.toList() }

    /** The SDKs currently started, in the order they were started. */
    fun running(): Set<String> = synchronized(lock) { LinkedHashSet(running) }

    fun isRunning(id: String): Boolean = synchronized(lock) { id in running }

    /**
     * Decides every registered SDK in one `decideMany` call, starts those allowed and not yet
     * running, and stops those running but no longer allowed. Call it at app start, after the
     * policy is accepted, when the app comes to the foreground, and at [SdkRefresh.recheckAt].
     */
    fun startAllowed(): SdkRefresh = synchronized(lock) { decideAndApply(entries.keys.toList()) }

    /** The [ChangeListener] callback: applies the SDK changes, ignores permissions. */
    override fun onChange(changes: List<DecisionChange>) {
        applyChanges(changes)
    }

    /**
     * Applies a change list (from the listener, or the list a write call returned). A change
     * older (lower [DecisionChange.sequence]) than the last one applied for its subject is
     * ignored; the registered SDKs the others name are decided afresh in one `decideMany` call
     * and started or stopped by those answers, so a repeated or out-of-order list is harmless.
     */
    fun applyChanges(changes: List<DecisionChange>): SdkRefresh = synchronized(lock) {
        val current = changes.filter { c ->
            val last = lastSequence[c.subject]
            if (last != null && c.sequence < last) {
                false
            } else {
                lastSequence[c.subject] = c.sequence
                true
            }
        }
        val ids = current.mapNotNull { sdkId(it.subject) }.filter { it in entries }.distinct()
        decideAndApply(ids)
    }

    /** One `decideMany` call for [ids] (all registered), then start/stop by the answers. */
    private fun decideAndApply(ids: List<String>): SdkRefresh {
        if (ids.isEmpty()) return SdkRefresh(emptyList(), emptyList(), emptyList(), emptyMap(), null)
        val answers = gatekeeper.decideMany(ids.map { DecisionSubject.Sdk(it) })
        // decideMany answers in the order asked. An id without an answer is treated as denied.
        val byId = LinkedHashMap<String, Decision>()
        ids.forEachIndexed { i, id -> answers.getOrNull(i)?.let { byId[id] = it } }
        val unanswered = ids.filter { it !in byId && it in running }
        return apply(byId, unanswered)
    }

    private fun apply(decisions: Map<String, Decision>, unanswered: List<String>): SdkRefresh {
        val started = ArrayList<String>()
        val stopped = ArrayList<String>()
        val failed = ArrayList<String>()
        val verdicts = decisions.mapValues { it.value.verdict } + unanswered.associateWith { Verdict.DENY }
        for ((id, verdict) in verdicts) {
            val entry = entries[id] ?: continue
            val allowed = verdict == Verdict.ALLOW
            if (allowed && id !in running) {
                if (runCatching(entry.start).isSuccess) {
                    running += id
                    started += id
                } else {
                    failed += id
                }
            } else if (!allowed && id in running) {
                // Marked off even if the stopper throws: the SDK must not be treated as allowed.
                running -= id
                if (runCatching(entry.stop).isSuccess) stopped += id else failed += id
            }
        }
        val recheckAt = decisions.values.mapNotNull { it.validUntil }.minOrNull()
        return SdkRefresh(started, stopped, failed, decisions, recheckAt)
    }

    companion object {
        private const val PREFIX = "sdk:"

        /** `sdk:facebook` → `facebook`; null for any other subject. */
        fun sdkId(subject: String): String? =
            if (subject.startsWith(PREFIX)) subject.substring(PREFIX.length) else null
    }
}
