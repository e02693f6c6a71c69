package dev.gatekeeper.demo.logic

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.Verdict
import dev.gatekeeper.adapters.AdapterResult
import dev.gatekeeper.adapters.SdkAdapter
import dev.gatekeeper.ktx.SdkGate
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
 * What is allowed comes from the library's decision cache, an [SdkGate] the registry owns
 * (batched decisions, invalidation and the ordering of changes by
 * [DecisionChange.sequence]); the registry adds what is the app's business: which SDKs it
 * embeds, how to start and stop them, and which are running.
 *
 * - [startAllowed] asks the gatekeeper about every registered SDK in ONE `decideMany` call
 *   (one JNA round trip at app start), starts exactly those whose verdict is `allow` and stops
 *   any running SDK whose verdict no longer is.
 * - As the gatekeeper's [ChangeListener] ([Gatekeeper.setListener]), it stops every running SDK
 *   a change notification reports as no longer allowed (`deny` after a withdrawal, or `ask`,
 *   e.g. after a MAJOR policy update: fail closed), and starts a registered SDK reported as
 *   newly allowed (the user just granted its purpose). The core calls the listener after
 *   releasing its lock, so two writes on two threads may deliver their notifications out of
 *   order, and a stale "allow" must never start an SDK. Two guards: the gate drops a change
 *   whose [DecisionChange.sequence] is lower than the last one applied for its subject (a
 *   later write already superseded it; no FFI call is made for it), and the SDKs the rest
 *   name are decided afresh (one `decideMany` call) before anything is started or stopped.
 * - [registerAll] registers every SDK the policy declares (`gatekeeper.manifest().sdks`) with
 *   one pair of lambdas taking the id, or the SDKs of an explicit list.
 *
 * - Every start and stop that ran is recorded in the gatekeeper's start log (contract §9.3,
 *   `recordSdkStarted` / `recordSdkStopped`), so `gatekeeper audit` on the store pulled from
 *   a device (or `Gatekeeper.audit` on the device) can prove that no SDK started before its
 *   allow and every SDK stopped after a withdrawal. A stop whose stopper threw is not
 *   recorded: the SDK may still be running, and the audit should say so.
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

    /**
     * Decisions and change ordering. Created empty, it makes no call until the first refresh;
     * `listen = false`: the registry is the listener the app installs and forwards each
     * notification to it, so the two never compete for the gatekeeper's single listener slot.
     * No clock: [startAllowed] decides everything afresh anyway, and a notification's SDKs are
     * invalidated by the gate before they are looked up. Used only under [lock].
     */
    private val gate = SdkGate(gatekeeper, emptyList(), listen = false)

    /** Registers an SDK by its manifest id. Registering an id again replaces its lambdas. */
    fun register(id: String, start: () -> Unit, stop: () -> Unit = {}): SdkRegistry {
        synchronized(lock) { entries[id] = Entry(start, stop) }
        return this
    }

    /**
     * Registers a real SDK through its adapter (`dev.gatekeeper.adapters`): starting it calls
     * the SDK's own consent API via [SdkAdapter.switchOn], stopping it [SdkAdapter.switchOff].
     * A start that leaves the SDK off (absent from the app, or failed) counts as failed, so the
     * registry never reports it running.
     */
    fun register(adapter: SdkAdapter): SdkRegistry = register(
        adapter.sdkId,
        start = {
            val r = adapter.switchOn()
            if (!r.isOn) throw AdapterNotOn(r)
        },
        stop = {
            val r = adapter.switchOff()
            if (r is AdapterResult.Failed) throw AdapterNotOn(r)
        },
    )

    /** A start through an adapter that did not switch its SDK on (the result says why). */
    class AdapterNotOn(val result: AdapterResult) : Exception(result.toString())

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
    fun startAllowed(): SdkRefresh = synchronized(lock) {
        // A refresh: forget what is cached, so what expired by time alone is decided too.
        gate.invalidateAll()
        decideAndApply(entries.keys.toList())
    }

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
        // The gate drops the stale changes and invalidates the SDKs the others name.
        val current = gate.applyChanges(changes)
        val ids = current.mapNotNull { sdkId(it.subject) }.filter { it in entries }.distinct()
        decideAndApply(ids)
    }

    /**
     * The decisions for [ids] (all registered; each invalidated or never decided, so one
     * `decideMany` call for them), then start/stop by the answers.
     */
    private fun decideAndApply(ids: List<String>): SdkRefresh {
        if (ids.isEmpty()) return SdkRefresh(emptyList(), emptyList(), emptyList(), emptyMap(), null)
        val byId = gate.decisions(ids)
        // An id without an answer is treated as denied.
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
                    recordStartLog(id, started = true)
                } else {
                    failed += id
                }
            } else if (!allowed && id in running) {
                // Marked off even if the stopper throws: the SDK must not be treated as allowed.
                running -= id
                if (runCatching(entry.stop).isSuccess) {
                    stopped += id
                    recordStartLog(id, started = false)
                } else {
                    failed += id
                }
            }
        }
        val recheckAt = decisions.values.mapNotNull { it.validUntil }.minOrNull()
        return SdkRefresh(started, stopped, failed, decisions, recheckAt)
    }

    /**
     * Records a start or stop that ran in the start log. A write that fails changes nothing
     * here (the SDK was already switched); the missing record makes the audit fail.
     */
    private fun recordStartLog(id: String, started: Boolean) {
        runCatching { if (started) gatekeeper.recordSdkStarted(id) else gatekeeper.recordSdkStopped(id) }
    }

    companion object {
        private const val PREFIX = "sdk:"

        /** `sdk:facebook` → `facebook`; null for any other subject. */
        fun sdkId(subject: String): String? =
            if (subject.startsWith(PREFIX)) subject.substring(PREFIX.length) else null
    }
}
