package dev.gatekeeper.adapters

import dev.gatekeeper.DecisionChange
import dev.gatekeeper.GatekeeperInterface
import dev.gatekeeper.TimeSource
import dev.gatekeeper.ktx.SdkGate

/**
 * Drives a set of [SdkAdapter]s from the gatekeeper: the glue an app needs besides the
 * adapters themselves.
 *
 * - Owns an [SdkGate] over the adapters' SDK ids, which (with `listen = true`, the default)
 *   is the gatekeeper's change listener. Every SDK change the core reports — a grant, a
 *   withdrawal, a policy update, an erase — makes its adapter apply the SDK's *current*
 *   decision ([SdkAdapter.apply]), on the thread that made the change and before that write
 *   call returns.
 * - Applying is serialised (one lock for notifications and [applyAll]), and each adapter gets
 *   the decision the gate holds at the moment it is applied — re-decided when a change
 *   invalidated it — never the `new` decision of the notification being handled. Two writes
 *   on two threads may deliver their notifications in either order; a late one would
 *   otherwise switch an SDK back on after a newer withdrawal had switched it off.
 * - [applyAll] applies every adapter's current decision (one `decideMany` call at most): at
 *   app start, on return to the foreground, and at the earliest `validUntil` (a grant that
 *   expires by time alone produces no notification).
 * - An owner that keeps the listener slot itself creates it with `listen = false` and hands
 *   it each notification through [applyChanges]. The gatekeeper has ONE listener slot: with
 *   `listen = true` this throws [IllegalStateException] when a [dev.gatekeeper.ktx.DecisionCache]
 *   or another [SdkGate] made with `listen = true` (and not closed) already listens to the same
 *   gatekeeper, instead of silently disconnecting it. To use a `DecisionCache` as well, make
 *   both with `listen = false` and forward each notification to both `applyChanges`.
 *
 * Adapters are idempotent, so applying a decision twice calls nothing twice.
 *
 * Every real start and stop an adapter makes is recorded in the gatekeeper's start log
 * (contract §9.3, `recordSdkStarted` / `recordSdkStopped`, which `gatekeeper audit` checks):
 * each adapter without a start log of its own ([AdapterOptions.startLog]) is given a
 * [GatekeeperStartLog] on this gatekeeper.
 */
class SdkAdapters(
    gatekeeper: GatekeeperInterface,
    adapters: List<SdkAdapter>,
    timeSource: TimeSource? = null,
    listen: Boolean = true,
) : AutoCloseable {
    private val byId: Map<String, SdkAdapter> = adapters.associateByTo(LinkedHashMap()) { it.sdkId }

    /** Guards [recent]. */
    private val lock = Any()

    /** Serialises applying decisions to the adapters (see the class comment). */
    private val applying = Any()

    /** What the adapters did on the last [RECENT] change notifications' SDK changes. */
    private val recent = ArrayDeque<AdapterResult>()

    /**
     * What the adapters did on change notifications, oldest first: the last [RECENT] results
     * (for diagnostics; bounded, so a long-running app does not accumulate them).
     */
    fun recentResults(): List<AdapterResult> = synchronized(lock) { recent.toList() }

    private val callbacks = object : SdkGate.Callbacks {
        override fun onChange(changes: List<DecisionChange>) {
            val ids = changes.asSequence()
                .filter { it.subject.startsWith(SDK_PREFIX) }
                .map { it.subject.removePrefix(SDK_PREFIX) }
                .filter { it in byId }
                .distinct()
                .toList()
            // Every notification: a Consent Mode signal may change with a purpose alone.
            val results = (if (ids.isEmpty()) emptyList() else applyCurrent(ids)) + refreshAll()
            if (results.isEmpty()) return
            synchronized(lock) {
                recent.addAll(results)
                while (recent.size > RECENT) recent.removeFirst()
            }
        }
    }

    /** Set under [applying]: a notification heard while the gate is being built waits for it. */
    private val gate: SdkGate

    init {
        for (adapter in byId.values) adapter.attach(gatekeeper)
        val startLog = GatekeeperStartLog(gatekeeper)
        for (adapter in byId.values) if (adapter.startLog == null) adapter.startLog = startLog
        synchronized(applying) { gate = SdkGate(gatekeeper, byId.keys, timeSource, callbacks, listen) }
    }

    /** The adapter for [sdkId], if any. */
    fun adapter(sdkId: String): SdkAdapter? = byId[sdkId]

    /** Applies each adapter's current decision, in the order the adapters were given. */
    fun applyAll(): List<AdapterResult> = applyCurrent(byId.keys).also { refreshAll() }

    /** Brings every switched-on adapter's settings up to date ([SdkAdapter.refresh]). */
    private fun refreshAll(): List<AdapterResult> = synchronized(applying) { byId.values.mapNotNull { it.refresh() } }

    /** For `listen = false`: a notification the owner received, applied as if heard directly. */
    fun applyChanges(changes: List<DecisionChange>) {
        gate.applyChanges(changes)
    }

    /**
     * Applies the current decision of each of [ids] (adapters' ids), in that order, under
     * [applying]. Each decision is looked up right before its adapter is applied: from the
     * gate's memory, filled for all of [ids] in one batch first, unless a change invalidated
     * it meanwhile (a withdrawal on another thread, or made by an SDK call), which makes the
     * gate decide it again.
     */
    private fun applyCurrent(ids: Collection<String>): List<AdapterResult> = synchronized(applying) {
        gate.decisions(ids)
        ids.map { id ->
            val adapter = byId.getValue(id)
            // An SDK the core gave no answer for is switched off (fail closed).
            gate.decisions(listOf(id))[id]?.let { adapter.apply(it) } ?: adapter.switchOff()
        }
    }

    /** Stops listening (the adapters keep their SDKs as they are). */
    override fun close() = gate.close()

    companion object {
        private const val SDK_PREFIX = "sdk:"

        /** How many results [recentResults] keeps. */
        const val RECENT = 256

        /**
         * One adapter for each SDK this library has an adapter for, under the manifest ids of
         * the example policy (facebook, sensors_analytics, google_sign_in, firebase_analytics,
         * huawei_push, amap), sharing [options]. [context] is the Android application `Context`
         * (typed `Any`); [sensorsServerUrl] the Sensors Analytics project's data URL. Build the
         * adapters one by one instead for other ids or settings, and for the SDKs the example
         * does not declare ([UmengAdapter] with the app's AppKey and channel, [JPushAdapter]).
         */
        fun defaults(context: Any, sensorsServerUrl: String, options: AdapterOptions = AdapterOptions()): List<SdkAdapter> = listOf(
            FacebookAdapter(options = options),
            SensorsAnalyticsAdapter(context, sensorsServerUrl, options = options),
            GoogleSignInAdapter(context, options = options),
            FirebaseAnalyticsAdapter(context, options = options),
            HuaweiPushAdapter(context, options = options),
            AMapAdapter(context, options = options),
        )
    }
}
