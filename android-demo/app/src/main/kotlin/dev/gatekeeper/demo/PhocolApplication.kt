package dev.gatekeeper.demo

import android.app.Application
import android.util.Log
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.demo.logic.PhocolGate
import java.io.File
import java.util.Locale

/**
 * Opens the Gatekeeper once per process, from the policy manifest in assets/policy.json (copied
 * at build time from core/policy/example-manifest.json), and starts the SDKs it allows — none
 * before the user accepts the privacy policy. All logic lives in [PhocolGate] (plain Kotlin).
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
            // A stub for every SDK of the policy (gk.manifest().sdks): they only log.
            gate = PhocolGate(
                gk,
                start = { id -> Log.i(TAG, "start SDK $id") },
                stop = { id -> Log.i(TAG, "stop SDK $id") },
            ).also { it.onAppStart(Locale.getDefault().country) }
        } catch (e: Exception) {
            // Fail closed. The message names the problem, never the user.
            openError = e.message
            Log.e(TAG, "cannot open the gatekeeper: ${e.message}")
        }
    }

    companion object {
        const val TAG = "PhocolDemo"
    }
}
