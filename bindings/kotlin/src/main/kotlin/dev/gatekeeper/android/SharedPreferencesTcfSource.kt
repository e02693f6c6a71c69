// The CMP's IAB keys read from Android's SharedPreferences, for dev.gatekeeper.ktx.TcfImporter.
// The only android.* code of the TCF bridge, kept this thin on purpose: the import logic is
// plain Kotlin in ktx and tested on a desktop JVM. This file is compiled by the Gradle module
// only (not on the project's machine, which has no Android SDK).
package dev.gatekeeper.android

import android.content.Context
import android.content.SharedPreferences
import dev.gatekeeper.ktx.IabTcfKeys
import dev.gatekeeper.ktx.TcfKeyValueSource

/**
 * [prefs] as a [TcfKeyValueSource]. A CMP writes the `IABTCF_*` keys in the app's default
 * SharedPreferences: use [default].
 *
 * ```
 * val importer = TcfImporter(gatekeeper, SharedPreferencesTcfSource.default(context),
 *     executor = Executors.newSingleThreadExecutor(), onError = { e -> if (e is GatekeeperException.TcfStale) showCmpAgain() })
 * importer.start()
 * ```
 */
class SharedPreferencesTcfSource(private val prefs: SharedPreferences) : TcfKeyValueSource {
    override fun getString(key: String): String? =
        try {
            prefs.getString(key, null)
        } catch (e: ClassCastException) {
            null
        }

    override fun getInt(key: String): Int? =
        try {
            if (prefs.contains(key)) prefs.getInt(key, 0) else null
        } catch (e: ClassCastException) {
            null
        }

    override fun observe(onChange: (key: String) -> Unit): AutoCloseable {
        // SharedPreferences keeps its listeners weakly: the returned handle holds this one.
        val listener = SharedPreferences.OnSharedPreferenceChangeListener { _, key ->
            // A null key (Android 11+) means the file was cleared: read everything again.
            onChange(key ?: IabTcfKeys.TC_STRING)
        }
        prefs.registerOnSharedPreferenceChangeListener(listener)
        return AutoCloseable { prefs.unregisterOnSharedPreferenceChangeListener(listener) }
    }

    companion object {
        /** The app's default SharedPreferences (`<package>_preferences`), where CMPs write. */
        fun default(context: Context): SharedPreferencesTcfSource =
            SharedPreferencesTcfSource(
                context.getSharedPreferences(context.packageName + "_preferences", Context.MODE_PRIVATE),
            )
    }
}
