// Imports what the app's certified CMP (Google's UMP, or another) stored under the IAB's
// keys, now and whenever it changes (contract section 11). Plain Kotlin, no android.*: the
// logic compiles and is tested on a desktop JVM against a fake key-value source; the
// Android source over SharedPreferences is dev.gatekeeper.android.SharedPreferencesTcfSource.
package dev.gatekeeper.ktx

import dev.gatekeeper.DecisionChange
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.GatekeeperInterface
import java.util.concurrent.Executor

/** The keys a CMP writes in the app's default SharedPreferences / UserDefaults (IAB TCF v2.2). */
object IabTcfKeys {
    /** The TC string. */
    const val TC_STRING = "IABTCF_TCString"

    /** Google's Additional Consent string (`2~…~dv.…`). */
    const val ADDTL_CONSENT = "IABTCF_AddtlConsent"

    /** 1 when GDPR applies to the user, 0 when it does not (an Int). */
    const val GDPR_APPLIES = "IABTCF_gdprApplies"

    /** The keys whose change means a new import. */
    val WATCHED: Set<String> = setOf(TC_STRING, ADDTL_CONSENT, GDPR_APPLIES)
}

/**
 * Where the CMP's keys are read: SharedPreferences on Android
 * (`dev.gatekeeper.android.SharedPreferencesTcfSource`), a map in tests.
 */
interface TcfKeyValueSource {
    /** The string under [key], or null when there is none (or it is not a string). */
    fun getString(key: String): String?

    /** The integer under [key], or null when there is none (or it is not an integer). */
    fun getInt(key: String): Int?

    /**
     * Calls [onChange] with the key of every value that changes, on any thread, until the
     * returned handle is closed.
     */
    fun observe(onChange: (key: String) -> Unit): AutoCloseable
}

/**
 * Reads `IABTCF_TCString` and `IABTCF_AddtlConsent` from [keys] and imports them with
 * [GatekeeperInterface.tcfImport]: once at [start], then whenever the CMP changes them.
 * The import grants and denies the manifest's TCF-mapped purposes and vendor SDKs in one
 * write, and the gatekeeper's listener (an `SdkGate`, the adapters) hears of every SDK it
 * switches on or off.
 *
 * - Nothing is imported while there is no TC string, or while `IABTCF_gdprApplies` is 0
 *   (the CMP says GDPR does not apply, so the string records no choice). A TC string that
 *   disappears (a CMP reset) records nothing either: the choices already recorded stand.
 * - The same pair of strings is imported once per importer; the core also records nothing
 *   for strings identical to its last import, so a launch that reads unchanged keys never
 *   undoes a choice the user made in the app since.
 * - Imports run on [executor] (default: the calling thread; on Android pass a background
 *   executor, since SharedPreferences calls its listeners on the main thread), one at a time.
 * - A refused string (`TcfStale`: show the CMP's dialog again; `TcfInvalid`,
 *   `TcfPolicyOutdated`) or a storage failure goes to [onError]; nothing is recorded then.
 *   A refused pair is not retried until the keys change; a storage failure is.
 *
 * Thread-safe. [close] stops listening.
 */
class TcfImporter(
    private val gatekeeper: GatekeeperInterface,
    private val keys: TcfKeyValueSource,
    private val source: String = DEFAULT_TCF_SOURCE,
    private val executor: Executor = Executor { it.run() },
    private val onError: (GatekeeperException) -> Unit = {},
) : AutoCloseable {
    private val lock = Any()
    private var last: Pair<String, String?>? = null
    private var observation: AutoCloseable? = null

    /** Starts listening to the keys, and imports what they hold now. */
    fun start() {
        synchronized(lock) {
            if (observation == null) {
                observation = keys.observe { key -> if (key in IabTcfKeys.WATCHED) schedule() }
            }
        }
        schedule()
    }

    /**
     * Imports what the keys hold now, on the calling thread, and returns what changed
     * (empty when nothing was imported).
     *
     * @throws GatekeeperException.TcfStale, TcfInvalid, TcfPolicyOutdated, Storage
     */
    @Throws(GatekeeperException::class)
    fun importNow(): List<DecisionChange> = synchronized(lock) {
        if (keys.getInt(IabTcfKeys.GDPR_APPLIES) == 0) return emptyList()
        val tc = keys.getString(IabTcfKeys.TC_STRING)?.takeIf { it.isNotEmpty() } ?: return emptyList()
        val ac = keys.getString(IabTcfKeys.ADDTL_CONSENT)?.takeIf { it.isNotEmpty() }
        val pair = tc to ac
        if (pair == last) return emptyList()
        try {
            val changes = gatekeeper.tcfImport(tc, ac, source)
            last = pair
            changes
        } catch (e: GatekeeperException) {
            // The same strings would be refused again; a storage failure may pass later.
            if (e !is GatekeeperException.Storage) last = pair
            throw e
        }
    }

    private fun schedule() {
        executor.execute {
            try {
                importNow()
            } catch (e: GatekeeperException) {
                onError(e)
            }
        }
    }

    /** Stops listening to the keys. Harmless to call twice. */
    override fun close() {
        val o = synchronized(lock) { observation.also { observation = null } }
        o?.close()
    }
}

/** The `source` a CMP import records when the app names none. */
const val DEFAULT_TCF_SOURCE: String = "tcf_cmp"
