package dev.gatekeeper.demo

import android.app.Application
import android.content.Context
import android.util.Log
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.adapters.AdapterLog
import dev.gatekeeper.adapters.AdapterOptions
import dev.gatekeeper.adapters.SdkAdapter
import dev.gatekeeper.adapters.SdkAdapters
import dev.gatekeeper.adapters.SwitchMemory
import dev.gatekeeper.demo.logic.PhocolGate
import java.io.File
import java.util.Locale

/**
 * Opens the Gatekeeper once per process, from the policy manifest in assets/policy.json (copied
 * at build time from core/policy/example-manifest.json), and starts the SDKs it allows — none
 * before the user accepts the privacy policy. All logic lives in [PhocolGate] (plain Kotlin).
 *
 * The six real SDKs go through their adapters (dev.gatekeeper.adapters). This demo does not
 * declare the SDKs themselves as dependencies (each needs its own account: a Facebook app id,
 * google-services.json, agconnect-services.json, an AMap key), so on a plain build each adapter
 * reports "SDK absent" in logcat and the SDK counts as not started. Add an SDK's dependency (see
 * app/build.gradle.kts) and its adapter drives it, unchanged. The other SDKs of the policy are
 * stubs that only log.
 */
class PhocolApplication : Application() {
    /** Null when the store could not be opened: the app then starts nothing and prompts nothing. */
    var gate: PhocolGate? = null
        private set
    var openError: String? = null
        private set

    override fun onCreate() {
        super.onCreate()
        try {
            val manifest = assets.open("policy.json").bufferedReader().use { it.readText() }
            val db = File(filesDir, "gatekeeper.db").path
            val gk = Gatekeeper.open(db, manifest, GatekeeperOptions())
            gate = PhocolGate(
                gk,
                start = { id -> Log.i(TAG, "start SDK $id (stub)") },
                stop = { id -> Log.i(TAG, "stop SDK $id (stub)") },
                adapters = adapters(),
            ).also { it.onAppStart(Locale.getDefault().country) }
        } catch (e: Exception) {
            // Fail closed. The message names the problem, never the user.
            openError = e.message
            Log.e(TAG, "cannot open the gatekeeper: ${e.message}")
        }
    }

    private fun adapters(): List<SdkAdapter> {
        val memory = PreferencesMemory(this)
        val log = AdapterLog { level, message -> Log.println(if (level.intValue() >= 900) Log.WARN else Log.INFO, TAG, message) }
        val options = AdapterOptions(memory, log)
        return SdkAdapters.defaults(this, SENSORS_SERVER_URL, options)
    }

    /** [SwitchMemory] in SharedPreferences: which SDKs an adapter left switched on, across launches. */
    private class PreferencesMemory(context: Context) : SwitchMemory {
        private val prefs = context.getSharedPreferences("gatekeeper_adapters", Context.MODE_PRIVATE)
        override fun wasOn(sdkId: String): Boolean = prefs.getBoolean(sdkId, false)
        override fun remember(sdkId: String, on: Boolean) {
            prefs.edit().putBoolean(sdkId, on).commit()
        }
    }

    companion object {
        const val TAG = "PhocolDemo"

        /** Your Sensors Analytics project's data URL. */
        const val SENSORS_SERVER_URL = "https://sa.example.com/sa?project=phocol"
    }
}
