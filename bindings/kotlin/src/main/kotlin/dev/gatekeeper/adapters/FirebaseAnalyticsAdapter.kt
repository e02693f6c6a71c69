package dev.gatekeeper.adapters

/**
 * Google Analytics for Firebase (`com.google.firebase.analytics.FirebaseAnalytics`), manifest
 * id `firebase_analytics`.
 *
 * - On: `FirebaseAnalytics.getInstance(context)`, then `setConsent(...)` with
 *   `ANALYTICS_STORAGE = GRANTED` and the advertising types (`AD_STORAGE`, `AD_USER_DATA`,
 *   `AD_PERSONALIZATION`, where the SDK version has them) `DENIED`, then
 *   `setAnalyticsCollectionEnabled(true)`.
 * - Off: `setAnalyticsCollectionEnabled(false)`, then `setConsent(...)` with every type
 *   `DENIED`.
 *
 * The advertising consent types stay denied: in the example manifest this SDK serves
 * `analytics` only. An app that also uses it for ads should declare `personalised_ads` on the
 * SDK and extend [adConsent].
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
 * `setAnalyticsCollectionEnabled` persists across launches, hence [SwitchMemory].
 *
 * @param context the Android `Context` (typed `Any`).
 * @param adConsent whether the advertising consent types are granted when on (default: never).
 */
class FirebaseAnalyticsAdapter(
    private val context: Any,
    private val adConsent: () -> Boolean = { false },
    sdkId: String = "firebase_analytics",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, CLASS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        val fa = calls.static(CLASS, "getInstance", context) ?: throw SdkCallException("FirebaseAnalytics.getInstance", "null")
        calls.on(fa, "setConsent", consent(calls, analytics = true, ads = adConsent()))
        calls.on(fa, "setAnalyticsCollectionEnabled", true)
    }

    override fun turnOff(calls: SdkCalls) {
        val fa = calls.static(CLASS, "getInstance", context) ?: throw SdkCallException("FirebaseAnalytics.getInstance", "null")
        calls.attempt { calls.on(fa, "setAnalyticsCollectionEnabled", false) }
        calls.attempt { calls.on(fa, "setConsent", consent(calls, analytics = false, ads = false)) }
    }

    /** The `Map<ConsentType, ConsentStatus>` for `setConsent`, with the types this SDK version has. */
    private fun consent(calls: SdkCalls, analytics: Boolean, ads: Boolean): Map<Any, Any> {
        val granted = calls.enumConstant(STATUS, "GRANTED") ?: throw SdkCallException("ConsentStatus.GRANTED", "NoSuchFieldException")
        val denied = calls.enumConstant(STATUS, "DENIED") ?: throw SdkCallException("ConsentStatus.DENIED", "NoSuchFieldException")
        val map = LinkedHashMap<Any, Any>()
        calls.enumConstant(TYPE, "ANALYTICS_STORAGE")?.let { map[it] = if (analytics) granted else denied }
            ?: throw SdkCallException("ConsentType.ANALYTICS_STORAGE", "NoSuchFieldException")
        for (t in AD_TYPES) calls.enumConstant(TYPE, t)?.let { map[it] = if (ads) granted else denied }
        return map
    }

    companion object {
        const val CLASS = "com.google.firebase.analytics.FirebaseAnalytics"
        const val TYPE = "com.google.firebase.analytics.FirebaseAnalytics\$ConsentType"
        const val STATUS = "com.google.firebase.analytics.FirebaseAnalytics\$ConsentStatus"
        private val AD_TYPES = listOf("AD_STORAGE", "AD_USER_DATA", "AD_PERSONALIZATION")
    }
}
