package dev.gatekeeper.adapters

import dev.gatekeeper.ConsentMode
import dev.gatekeeper.ConsentStatus
import dev.gatekeeper.GatekeeperInterface

/**
 * Google Analytics for Firebase (`com.google.firebase.analytics.FirebaseAnalytics`), manifest
 * id `firebase_analytics`, with Google Consent Mode v2.
 *
 * - On: `FirebaseAnalytics.getInstance(context)`, then `setConsent(...)` with the four Consent
 *   Mode v2 signals (`AD_STORAGE`, `ANALYTICS_STORAGE`, `AD_USER_DATA`, `AD_PERSONALIZATION`,
 *   those this SDK version has) as the gatekeeper's `consentMode()` gives them (contract §11:
 *   each granted only when every purpose declaring it is allowed), then
 *   `setAnalyticsCollectionEnabled(true)`.
 * - On every change notification while on ([SdkAdapters] calls [refresh]): `setConsent(...)`
 *   again when a signal changed (say, `personalised_ads` granted or withdrawn while analytics
 *   stays allowed).
 * - Off: `setAnalyticsCollectionEnabled(false)`, `setConsent(...)` with every type `DENIED`,
 *   then `resetAnalyticsData()` (clears the app instance id and the data not yet sent), each
 *   tried even when another fails.
 *
 * Where the signals come from: the gatekeeper given to [SdkAdapters] (its `consentMode()`), or
 * [consentMode]. Used alone, without either, the adapter grants `ANALYTICS_STORAGE` when on and
 * the advertising types only when [adConsent] says so.
 *
 * Keep it from starting itself, in AndroidManifest.xml (`<application>`):
 * ```xml
 * <meta-data android:name="firebase_analytics_collection_enabled" android:value="false"/>
 * <meta-data android:name="google_analytics_default_allow_analytics_storage" android:value="false"/>
 * <meta-data android:name="google_analytics_default_allow_ad_storage" android:value="false"/>
 * <meta-data android:name="google_analytics_default_allow_ad_user_data" android:value="false"/>
 * <meta-data android:name="google_analytics_default_allow_ad_personalization_signals" android:value="false"/>
 * <meta-data android:name="google_analytics_adid_collection_enabled" android:value="false"/>
 * ```
 * (iOS, Info.plist: `FIREBASE_ANALYTICS_COLLECTION_ENABLED` = `NO`,
 * `GOOGLE_ANALYTICS_DEFAULT_ALLOW_ANALYTICS_STORAGE` = `NO`, and the same for the ad types.)
 * `setAnalyticsCollectionEnabled` and `setConsent` persist across launches, hence [SwitchMemory].
 *
 * Names checked against the Firebase Android reference (`FirebaseAnalytics`: `getInstance(Context)`,
 * `setConsent(Map<FirebaseAnalytics.ConsentType, FirebaseAnalytics.ConsentStatus>)`,
 * `setAnalyticsCollectionEnabled(boolean)`, `resetAnalyticsData()`; `ConsentType.AD_STORAGE`,
 * `ANALYTICS_STORAGE`, `AD_USER_DATA`, `AD_PERSONALIZATION`; `ConsentStatus.GRANTED`, `DENIED`)
 * and Google's "Set up consent mode for apps" guide (the manifest keys above).
 *
 * @param context the Android `Context` (typed `Any`).
 * @param adConsent without a Consent Mode source only: whether the advertising types are granted when on.
 * @param consentMode where the signals come from (null: the gatekeeper [SdkAdapters] attaches).
 */
class FirebaseAnalyticsAdapter(
    private val context: Any,
    private val adConsent: () -> Boolean = { false },
    sdkId: String = "firebase_analytics",
    options: AdapterOptions = AdapterOptions(),
    consentMode: (() -> ConsentMode)? = null,
) : SdkAdapter(sdkId, CLASS, options) {

    @Volatile
    private var source: (() -> ConsentMode)? = consentMode

    /** The signals last given to `setConsent` while on (null: none yet, or off since). */
    @Volatile
    private var applied: Map<String, Boolean>? = null

    override fun attach(gatekeeper: GatekeeperInterface) {
        if (source == null) source = { gatekeeper.consentMode() }
    }

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        val fa = instance(calls)
        val signals = signals()
        calls.on(fa, "setConsent", consent(calls, signals))
        applied = signals
        calls.on(fa, "setAnalyticsCollectionEnabled", true)
    }

    override fun refreshOn(calls: SdkCalls) {
        val signals = signals()
        if (signals == applied) return
        calls.on(instance(calls), "setConsent", consent(calls, signals))
        applied = signals
    }

    override fun turnOff(calls: SdkCalls) {
        applied = null
        val fa = instance(calls)
        calls.attempt { calls.on(fa, "setAnalyticsCollectionEnabled", false) }
        calls.attempt { calls.on(fa, "setConsent", consent(calls, SIGNALS.associateWith { false })) }
        calls.attempt { calls.on(fa, "resetAnalyticsData") }
    }

    private fun instance(calls: SdkCalls): Any =
        calls.static(CLASS, "getInstance", context) ?: throw SdkCallException("FirebaseAnalytics.getInstance", "null")

    /** The four signals now, by `ConsentType` name: granted = true. */
    private fun signals(): Map<String, Boolean> {
        val mode = source?.invoke()
            ?: return mapOf("AD_STORAGE" to adConsent(), "ANALYTICS_STORAGE" to true, "AD_USER_DATA" to adConsent(), "AD_PERSONALIZATION" to adConsent())
        return mapOf(
            "AD_STORAGE" to (mode.adStorage == ConsentStatus.GRANTED),
            "ANALYTICS_STORAGE" to (mode.analyticsStorage == ConsentStatus.GRANTED),
            "AD_USER_DATA" to (mode.adUserData == ConsentStatus.GRANTED),
            "AD_PERSONALIZATION" to (mode.adPersonalization == ConsentStatus.GRANTED),
        )
    }

    /** The `Map<ConsentType, ConsentStatus>` for `setConsent`, with the types this SDK version has. */
    private fun consent(calls: SdkCalls, signals: Map<String, Boolean>): Map<Any, Any> {
        val granted = calls.enumConstant(STATUS, "GRANTED") ?: throw SdkCallException("ConsentStatus.GRANTED", "NoSuchFieldException")
        val denied = calls.enumConstant(STATUS, "DENIED") ?: throw SdkCallException("ConsentStatus.DENIED", "NoSuchFieldException")
        val map = LinkedHashMap<Any, Any>()
        for (name in SIGNALS) {
            val type = calls.enumConstant(TYPE, name)
            // ANALYTICS_STORAGE and AD_STORAGE are in every version with setConsent; the v2
            // types (AD_USER_DATA, AD_PERSONALIZATION) only from Analytics 21.5.0 on.
            if (type == null) {
                if (name in V1) throw SdkCallException("ConsentType.$name", "NoSuchFieldException")
                continue
            }
            map[type] = if (signals[name] == true) granted else denied
        }
        return map
    }

    companion object {
        const val CLASS = "com.google.firebase.analytics.FirebaseAnalytics"
        const val TYPE = "com.google.firebase.analytics.FirebaseAnalytics\$ConsentType"
        const val STATUS = "com.google.firebase.analytics.FirebaseAnalytics\$ConsentStatus"
        private val SIGNALS = listOf("AD_STORAGE", "ANALYTICS_STORAGE", "AD_USER_DATA", "AD_PERSONALIZATION")
        private val V1 = setOf("AD_STORAGE", "ANALYTICS_STORAGE")
    }
}
