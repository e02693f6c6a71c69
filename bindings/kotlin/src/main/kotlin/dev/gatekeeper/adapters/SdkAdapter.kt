// Switches a real third-party SDK on and off through its own consent API, as the
// gatekeeper decides. Plain Kotlin, no android.* imports, no compile-time dependency on
// any SDK: every SDK is reached through reflection, so an app without it still builds.
package dev.gatekeeper.adapters

import dev.gatekeeper.Decision
import dev.gatekeeper.GatekeeperInterface
import dev.gatekeeper.Verdict
import java.util.concurrent.ConcurrentHashMap
import java.util.logging.Level
import java.util.logging.Logger

/** What one call of an adapter did. Every result names the adapter's SDK id. */
sealed class AdapterResult {
    abstract val sdkId: String

    /**
     * The SDK's consent API was called; [calls] lists each call made, in order. [pending] names
     * the calls whose asynchronous result (an SDK task or callback) had not arrived yet: their
     * outcome is reported later through [AdapterOptions.lateResults], and a failure then is
     * handled as a failed switch (see [Failed]).
     */
    data class Applied(
        override val sdkId: String,
        val on: Boolean,
        val calls: List<String>,
        val pending: List<String> = emptyList(),
    ) : AdapterResult()

    /** The SDK already was in the state asked for: nothing was called. */
    data class AlreadyInState(override val sdkId: String, val on: Boolean) : AdapterResult()

    /** The SDK is not in the app ([missingClass] could not be loaded): nothing was called. */
    data class SdkAbsent(override val sdkId: String, val missingClass: String) : AdapterResult()

    /**
     * [call] threw (or does not exist in this version of the SDK); when several calls of a
     * switch-off failed, the first. The adapter then treats the SDK as off (fail closed): a
     * failed start is tried again on the next allow, and a failed stop on the next switch-off.
     */
    data class Failed(override val sdkId: String, val call: String, val error: String) : AdapterResult()

    /** True when, after this call, the SDK is switched on through this adapter. */
    val isOn: Boolean
        get() = when (this) {
            is Applied -> on
            is AlreadyInState -> on
            is SdkAbsent, is Failed -> false
        }
}

/** Where adapters write what they did: SDK ids and the names of the calls, never personal data. */
fun interface AdapterLog {
    fun log(level: Level, message: String)

    companion object {
        /**
         * java.util.logging, logger `dev.gatekeeper.adapters`. On Android it reaches logcat at
         * INFO and above without an android.* import here.
         */
        val DEFAULT: AdapterLog = AdapterLog { level, message -> Logger.getLogger("dev.gatekeeper.adapters").log(level, message) }
    }
}

/**
 * Remembers, across app launches, which SDKs an adapter switched on.
 *
 * Several SDKs persist their own consent flag (Facebook's auto-init and event logging,
 * Firebase's collection flag, AMap's privacy agreement, HMS auto-init). An SDK switched on in
 * an earlier run therefore stays on in the next one until someone switches it off. With this
 * memory an adapter that is told "not allowed" before it started anything in this process
 * still switches its SDK off when the SDK was on last time, and calls nothing on a fresh
 * install. The app backs it with durable storage (SharedPreferences, UserDefaults); the
 * default, [InMemory], forgets everything when the process ends.
 */
interface SwitchMemory {
    fun wasOn(sdkId: String): Boolean
    fun remember(sdkId: String, on: Boolean)

    /** Forgets at process end: enough for tests and for SDKs that persist nothing. */
    class InMemory : SwitchMemory {
        private val on = ConcurrentHashMap<String, Boolean>()
        override fun wasOn(sdkId: String): Boolean = on[sdkId] == true
        override fun remember(sdkId: String, on: Boolean) {
            this.on[sdkId] = on
        }
    }
}

/**
 * Where adapters record each real start and stop of their SDK (contract §9.3, the start log
 * that `gatekeeper audit` checks on a store pulled from a device). [GatekeeperStartLog]
 * records them in the gatekeeper's ledger (`recordSdkStarted` / `recordSdkStopped`);
 * [SdkAdapters] gives every adapter one unless [AdapterOptions.startLog] names another.
 */
interface SdkStartLog {
    /** The adapter's calls switched [sdkId] on. */
    fun started(sdkId: String)

    /** The adapter's calls switched [sdkId] off. */
    fun stopped(sdkId: String)
}

/**
 * The start log in the gatekeeper's ledger. A write that fails is logged, never thrown: the
 * SDK has been switched already, and the missing record makes the audit fail, as it should.
 */
class GatekeeperStartLog(
    private val gatekeeper: dev.gatekeeper.GatekeeperInterface,
    private val log: AdapterLog = AdapterLog.DEFAULT,
) : SdkStartLog {
    override fun started(sdkId: String) = record(sdkId, "start") { gatekeeper.recordSdkStarted(sdkId) }

    override fun stopped(sdkId: String) = record(sdkId, "stop") { gatekeeper.recordSdkStopped(sdkId) }

    private inline fun record(sdkId: String, what: String, call: () -> Unit) {
        try {
            call()
        } catch (e: dev.gatekeeper.GatekeeperException) {
            log.log(Level.WARNING, "$sdkId: the $what could not be recorded in the start log: ${e.javaClass.simpleName}")
        }
    }
}

/**
 * What every adapter of an app shares: where it remembers what it switched on, where it logs,
 * where it looks for the SDKs' classes (null: this library's class loader), and where it
 * records each real start and stop (null: [SdkAdapters] records them in its gatekeeper).
 *
 * [lateResults] hears the outcome of each SDK call whose result arrives after the switch
 * returned ([AdapterResult.Applied.pending]: an HMS or Google task, a Credential Manager
 * callback): `Applied` naming that call when it succeeded, `Failed` when it did not. It runs
 * on the thread the SDK completes the task on (often the main thread); keep it short.
 */
class AdapterOptions(
    val memory: SwitchMemory = SwitchMemory.InMemory(),
    val log: AdapterLog = AdapterLog.DEFAULT,
    val classLoader: ClassLoader? = null,
    val lateResults: (AdapterResult) -> Unit = {},
    val startLog: SdkStartLog? = null,
)

/**
 * One third-party SDK, switched on and off through its own consent API as the gatekeeper
 * decides.
 *
 * - [apply] takes the SDK's current [Decision]: `allow` switches it on, anything else (`ask`,
 *   `deny`) switches it off. [switchOn] / [switchOff] do the same without a decision.
 * - Idempotent: the adapter remembers whether it switched the SDK on, so a repeated decision
 *   calls nothing ([AdapterResult.AlreadyInState]) and nothing is ever started twice. An SDK
 *   never switched on (in this process, or before, per [SwitchMemory]) is not called at all
 *   when it is not allowed: nothing reaches an SDK before the user agrees.
 * - Reflection only ([SdkCalls]); a missing SDK gives [AdapterResult.SdkAbsent] and a log line.
 * - Thread-safe: calls are serialised per adapter.
 *
 * Drive it from the gatekeeper's change listener, through [SdkAdapters] (or the app's own
 * listener), so a withdrawal switches the SDK off in the call that withdrew it.
 *
 * @param sdkId the SDK's id in the policy manifest.
 * @param requiredClass the class whose absence means "the SDK is not in the app".
 * @param options memory, log and class loader (see [AdapterOptions]).
 */
abstract class SdkAdapter(
    val sdkId: String,
    protected val requiredClass: String,
    options: AdapterOptions,
) {
    protected val memory: SwitchMemory = options.memory
    protected val log: AdapterLog = options.log
    protected val loader: ClassLoader = options.classLoader ?: SdkAdapter::class.java.classLoader
    private val lateResults: (AdapterResult) -> Unit = options.lateResults

    /**
     * Where each real start and stop is recorded (contract §9.3): the options' start log, or
     * the one [SdkAdapters] sets; null records nothing.
     */
    @Volatile
    var startLog: SdkStartLog? = options.startLog

    private val lock = Any()

    /** Switched on through this adapter in this process. Guarded by [lock]. */
    private var on = false

    /** Switched on at least once in this process (the SDK is initialised). Guarded by [lock]. */
    private var startedInProcess = false

    /** Counts the switches, so that a late outcome of an older one changes nothing. Guarded by [lock]. */
    private var generation = 0L

    /** True while the adapter holds the SDK switched on. */
    val isOn: Boolean get() = synchronized(lock) { on }

    /** Applies [decision]: `allow` switches the SDK on, every other verdict off. */
    fun apply(decision: Decision): AdapterResult =
        if (decision.verdict == Verdict.ALLOW) switchOn() else switchOff()

    /**
     * Switches the SDK on, unless it already is.
     *
     * [SwitchMemory] is written ahead: the SDK is remembered as possibly on before the first
     * call reaches it, so a start that fails (or a process that dies) half way leaves it to be
     * switched off later. A failed start is undone at once; only an undo that reached every
     * call forgets it again.
     */
    fun switchOn(): AdapterResult = synchronized(lock) {
        if (on) return unchanged(true)
        if (!isPresent()) return absent("on")
        val wasOn = memory.wasOn(sdkId)
        memory.remember(sdkId, true)
        val calls = SdkCalls(loader)
        generation++
        val result = run(calls, "on") { turnOn(calls, restart = startedInProcess) }
        when {
            result is AdapterResult.Applied -> {
                on = true
                startedInProcess = true
                startLog?.started(sdkId)
                watch(calls, on = true)
            }
            // Nothing reached the SDK: it is as it was.
            calls.made.isEmpty() -> memory.remember(sdkId, wasOn)
            // Half switched on: undo what can be undone, and stay off (it never ran: no stop
            // is recorded for a start that was never recorded).
            else -> stop(record = false)
        }
        result
    }

    /**
     * Switches the SDK off if this adapter switched it on, in this process or (per
     * [SwitchMemory]) in an earlier one, or a start of it failed half way. Otherwise nothing
     * is called. Every call of the switch-off is attempted, even after one fails; any failure
     * makes the result [AdapterResult.Failed], and the SDK stays remembered as possibly on,
     * so the next switch-off tries again.
     */
    fun switchOff(): AdapterResult = synchronized(lock) {
        if (!on && !memory.wasOn(sdkId)) return unchanged(false)
        stop(record = true)
    }

    /**
     * Switches the SDK off (caller holds [lock]); a switch-off that reached the SDK is recorded
     * in the start log when [record].
     */
    private fun stop(record: Boolean): AdapterResult {
        // Off in every case: a failed stop must never leave the SDK counted as allowed.
        on = false
        generation++
        val calls = SdkCalls(loader)
        val result = if (isPresent()) {
            run(calls, "off") { turnOff(calls) }
        } else {
            absent("off")
        }
        // Off, or not in the app (any more): nothing left to switch off next time.
        if (result is AdapterResult.Applied || result is AdapterResult.SdkAbsent) memory.remember(sdkId, false)
        if (record && result is AdapterResult.Applied) startLog?.stopped(sdkId)
        if (result is AdapterResult.Applied) watch(calls, on = false)
        return result
    }

    /** Waits, without blocking, for the outcomes [run] found still pending (caller holds [lock]). */
    private fun watch(calls: SdkCalls, on: Boolean) {
        val gen = generation
        for (o in calls.outstanding) o.whenDone { error -> late(on, gen, o.call, error) }
    }

    /**
     * The late outcome of [call], made by the switch [gen] (on or off). A failed start is
     * undone, if nothing switched the SDK since; a failed stop leaves the SDK remembered as
     * possibly on, so the next switch-off tries again. Either is reported as [AdapterResult.Failed].
     */
    private fun late(on: Boolean, gen: Long, call: String, error: String?) {
        val result = synchronized(lock) {
            if (error == null) {
                AdapterResult.Applied(sdkId, on, listOf(call))
            } else {
                log.log(Level.WARNING, "$sdkId: switching ${if (on) "on" else "off"} failed at $call: $error (reported late)")
                if (on && gen == generation && this.on) {
                    // The start was recorded: so is its undo.
                    stop(record = true)
                } else if (!on && !this.on) {
                    memory.remember(sdkId, true)
                }
                AdapterResult.Failed(sdkId, call, error)
            }
        }
        if (error == null) log.log(Level.INFO, "$sdkId: $call completed")
        lateResults(result)
    }

    /**
     * Given the gatekeeper by [SdkAdapters] before anything is applied: an adapter that needs
     * more than its SDK's decision (Firebase's Consent Mode signals) keeps it.
     */
    open fun attach(gatekeeper: GatekeeperInterface) {}

    /**
     * Brings a switched-on SDK's settings up to date ([refreshOn]), after a change notification
     * or in [SdkAdapters.applyAll]. Null when the SDK is off or nothing needed calling.
     */
    fun refresh(): AdapterResult? = synchronized(lock) {
        if (!on) return null
        val calls = SdkCalls(loader)
        attempt(calls, "on") { refreshOn(calls) }
        if (calls.made.isEmpty() && calls.failures.isEmpty()) return null
        val result = finish(calls, "on")
        if (result is AdapterResult.Applied) watch(calls, on = true)
        result
    }

    /** The calls that bring the settings of an SDK that is on up to date; none by default. */
    protected open fun refreshOn(calls: SdkCalls) {}

    /** The calls that switch the SDK on. [restart]: it was on, then off, in this process. */
    protected abstract fun turnOn(calls: SdkCalls, restart: Boolean)

    /**
     * The calls that switch the SDK off, most important first (the SDK's own auto-start or
     * collection flag). Each independent call goes through [SdkCalls.attempt], so that one
     * failing (say, missing in this SDK version) does not keep the others from running.
     */
    protected abstract fun turnOff(calls: SdkCalls)

    /** Whether the SDK's classes are in the app. */
    open fun isPresent(): Boolean = SdkCalls(loader).classOrNull(requiredClass) != null

    private fun unchanged(on: Boolean) = AdapterResult.AlreadyInState(sdkId, on)

    private fun absent(what: String): AdapterResult {
        log.log(Level.INFO, "$sdkId: SDK absent ($requiredClass not found); nothing switched $what")
        return AdapterResult.SdkAbsent(sdkId, requiredClass)
    }

    private inline fun run(calls: SdkCalls, what: String, block: () -> Unit): AdapterResult {
        attempt(calls, what, block)
        return finish(calls, what)
    }

    /** Runs [block], catching what it throws into [SdkCalls.failures]. */
    private inline fun attempt(calls: SdkCalls, what: String, block: () -> Unit) {
        try {
            block()
        } catch (e: SdkCallException) {
            calls.failures += e
        } catch (e: RuntimeException) {
            // E.g. from the app's own configuration hook: never let it escape to the listener.
            val call = calls.made.lastOrNull() ?: "switch $what"
            calls.failures += SdkCallException(call, e.javaClass.simpleName)
        }
    }

    /** The result of the calls made: logged, and failed when any call failed. */
    private fun finish(calls: SdkCalls, what: String): AdapterResult {
        // A call whose task already failed failed the switch like a throw.
        for (o in calls.outcomes) o.failure?.let { calls.failures += SdkCallException(o.call, it) }
        for (f in calls.failures) log.log(Level.WARNING, "$sdkId: switching $what failed at ${f.call}: ${f.error}")
        val first = calls.failures.firstOrNull()
        if (first != null) return AdapterResult.Failed(sdkId, first.call, first.error)
        calls.outstanding += calls.outcomes.filter { !it.isDone }
        val pending = calls.outstanding.map { it.call }
        log.log(Level.INFO, "$sdkId: switched $what: ${calls.made.joinToString()}" + if (pending.isEmpty()) "" else " (pending: ${pending.joinToString()})")
        return AdapterResult.Applied(sdkId, what == "on", calls.made.toList(), pending)
    }
}
