package dev.gatekeeper.demo.logic

import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.adapters.GoogleSignInAdapter
import dev.gatekeeper.adapters.SdkAdapter

/** One SDK the app embeds: its manifest id and how to switch it on and off. */
class SdkStarter(val id: String, val start: () -> Unit, val stop: () -> Unit = {})

/**
 * The demo's privacy wiring, built once per process (on Android by `PhocolApplication`): one
 * [Gatekeeper], the [SdkRegistry] as its change listener (it forwards each notification to the
 * library's `SdkGate` it is built on), and the flows the UI calls.
 *
 * @param starters the SDKs the app embeds. The other constructor registers every SDK of the
 *   policy instead (`gatekeeper.manifest().sdks`), with one pair of lambdas taking the id.
 */
class PhocolGate(val gatekeeper: Gatekeeper, starters: List<SdkStarter>) {
    val sdks: SdkRegistry = SdkRegistry(gatekeeper).apply {
        starters.forEach { register(it.id, it.start, it.stop) }
    }

    /**
     * Every SDK the policy declares: those with an adapter in [adapters] are switched through
     * the real SDK's consent API (`dev.gatekeeper.adapters`); the others are started and
     * stopped by [start] and [stop] (given their id).
     */
    constructor(
        gatekeeper: Gatekeeper,
        start: (id: String) -> Unit,
        stop: (id: String) -> Unit = {},
        adapters: List<SdkAdapter> = emptyList(),
    ) : this(gatekeeper, emptyList()) {
        sdks.registerAll(start, stop)
        for (a in adapters) {
            sdks.register(a)
            this.adapters[a.sdkId] = a
        }
    }

    /** The adapters of the real SDKs, by SDK id (empty when built with starters only). */
    val adapters: MutableMap<String, SdkAdapter> = LinkedHashMap()

    /**
     * "Sign in with Google", tapped by the user: the sign-in intent (typed `Any`, an Android
     * `Intent`) only when Google Sign-In is allowed now; null otherwise, and nothing is called.
     */
    fun googleSignInIntent(): Any? = (adapters["google_sign_in"] as? GoogleSignInAdapter)?.signInIntent()

    /**
     * The Android permission strings of each manifest permission (its `android` list), by
     * permission id, read from the policy itself (`gatekeeper.manifest()`): the manifest is the
     * one place they are written.
     */
    val androidPermissions: Map<String, List<String>> =
        gatekeeper.manifest().permissions.associate { it.id to it.android }

    /** The first Android permission string of [permission] (what the OS prompt is launched with), or null. */
    fun androidPermission(permission: String): String? = androidPermissions[permission]?.firstOrNull()
    val firstRun = FirstRunFlow(gatekeeper, sdks)
    val permissions = PermissionFlow(gatekeeper)
    val consent = ConsentSettings(gatekeeper)
    val decisionLog = DecisionLogScreen(gatekeeper)

    init {
        gatekeeper.setListener(sdks)
    }

    /**
     * App start: bring the profile's country in line with the device region, then start the
     * SDKs the gatekeeper allows — none before the privacy policy is accepted.
     */
    fun onAppStart(deviceRegion: String?): SdkRefresh {
        syncCountry(deviceRegion)
        val refresh = sdks.startAllowed()
        // An SDK an adapter left on in an earlier run (its flag persists) and not allowed now:
        // switch it off. On a fresh install this calls nothing.
        for ((id, adapter) in adapters) if (!sdks.isRunning(id)) adapter.switchOff()
        return refresh
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
}
