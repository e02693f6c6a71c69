package dev.gatekeeper.demo.logic

import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException

/** One SDK the app embeds: its manifest id and how to switch it on and off. */
class SdkStarter(val id: String, val start: () -> Unit, val stop: () -> Unit = {})

/**
 * The demo's privacy wiring, built once per process (on Android by `PhocolApplication`): one
 * [Gatekeeper], the [SdkRegistry] as its change listener, and the flows the UI calls.
 */
class PhocolGate(val gatekeeper: Gatekeeper, starters: List<SdkStarter>) {
    val sdks: SdkRegistry = SdkRegistry(gatekeeper).apply {
        starters.forEach { register(it.id, it.start, it.stop) }
    }
    val firstRun = FirstRunFlow(gatekeeper, sdks)
    val permissions = PermissionFlow(gatekeeper)
    val consent = ConsentSettings(gatekeeper)

    init {
        gatekeeper.setListener(sdks)
    }

    /**
     * App start: bring the profile's country in line with the device region, then start the
     * SDKs the gatekeeper allows — none before the privacy policy is accepted.
     */
    fun onAppStart(deviceRegion: String?): SdkRefresh {
        syncCountry(deviceRegion)
        return sdks.startAllowed()
    }

    /**
     * Records the device region as the profile's country (it selects the jurisdiction: PIPL,
     * GDPR…) when it is a two-letter code that differs from the recorded one — each change is a
     * ledger event, so an unchanged region writes nothing. The recorded age is kept. Returns
     * whether the profile changed.
     */
    fun syncCountry(region: String?): Boolean {
        val code = region?.uppercase()?.takeIf { it.length == 2 && it.all { c -> c in 'A'..'Z' } } ?: return false
        val state = try {
            gatekeeper.state()
        } catch (e: GatekeeperException) {
            return false
        }
        if (state.country == code) return false
        gatekeeper.setProfile(code, state.age)
        return true
    }

    companion object {
        /** The purposes on the demo's consent screen. */
        val CONSENT_PURPOSES = listOf("analytics", "personalised_ads")

        /** SDKs with their own switch: Facebook, an independent third party abroad, needs a separate consent. */
        val SEPARATE_SDKS = listOf("facebook")

        /**
         * The Android permission strings of each manifest permission (its "android" list). The
         * FFI does not expose the manifest's platform names, so they are repeated here; a test
         * checks them against the manifest.
         */
        val ANDROID_PERMISSIONS: Map<String, List<String>> = mapOf(
            "camera" to listOf("android.permission.CAMERA"),
            "location" to listOf("android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"),
            "photos" to listOf("android.permission.READ_MEDIA_IMAGES", "android.permission.READ_EXTERNAL_STORAGE"),
            "microphone" to listOf("android.permission.RECORD_AUDIO"),
            "contacts" to listOf("android.permission.READ_CONTACTS"),
            "bluetooth" to listOf("android.permission.BLUETOOTH_SCAN", "android.permission.BLUETOOTH_CONNECT"),
        )
    }
}
