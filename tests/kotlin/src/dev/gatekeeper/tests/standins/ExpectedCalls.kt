package dev.gatekeeper.tests.standins

/**
 * The calls each adapter is expected to make on the stand-in SDKs, as [StandInLog] records
 * them, written once for the adapter tests and the demo scenario.
 */
object ExpectedCalls {
    val SENSORS_START = listOf("new SAConfigOptions(String)", "SensorsDataAPI.startWithConfigOptions(Context, SAConfigOptions)")
    val SENSORS_OFF = listOf("SensorsDataAPI.disableSDK()")
    val SENSORS_RESTART = listOf("SensorsDataAPI.enableSDK()")

    val FACEBOOK_FLAGS_ON = listOf(
        "FacebookSdk.setAutoInitEnabled(true)",
        "FacebookSdk.setAutoLogAppEventsEnabled(true)",
        "FacebookSdk.setAdvertiserIDCollectionEnabled(true)",
    )
    val FACEBOOK_START = FACEBOOK_FLAGS_ON + "FacebookSdk.fullyInitialize()"
    val FACEBOOK_OFF = listOf(
        "FacebookSdk.setAutoInitEnabled(false)",
        "FacebookSdk.setAutoLogAppEventsEnabled(false)",
        "FacebookSdk.setAdvertiserIDCollectionEnabled(false)",
    )

    val FIREBASE_ON = listOf(
        "FirebaseAnalytics.getInstance(Context)",
        "FirebaseAnalytics.setConsent(AD_STORAGE=DENIED, ANALYTICS_STORAGE=GRANTED, AD_USER_DATA=DENIED, AD_PERSONALIZATION=DENIED)",
        "FirebaseAnalytics.setAnalyticsCollectionEnabled(true)",
    )
    val FIREBASE_OFF = listOf(
        "FirebaseAnalytics.getInstance(Context)",
        "FirebaseAnalytics.setAnalyticsCollectionEnabled(false)",
        "FirebaseAnalytics.setConsent(AD_STORAGE=DENIED, ANALYTICS_STORAGE=DENIED, AD_USER_DATA=DENIED, AD_PERSONALIZATION=DENIED)",
    )

    val HMS_ON = listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(true)", "HmsMessaging.turnOnPush()")
    val HMS_OFF = listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(false)", "HmsMessaging.turnOffPush()")

    /** Map and location SDKs (the stand-ins have no search SDK, which the adapter skips). */
    val AMAP_ON = listOf(
        "MapsInitializer.updatePrivacyShow(Context, true, true)",
        "MapsInitializer.updatePrivacyAgree(Context, true)",
        "AMapLocationClient.updatePrivacyShow(Context, true, true)",
        "AMapLocationClient.updatePrivacyAgree(Context, true)",
    )
    val AMAP_OFF = listOf("MapsInitializer.updatePrivacyAgree(Context, false)", "AMapLocationClient.updatePrivacyAgree(Context, false)")

    private val GOOGLE_CLIENT = listOf("GoogleSignInOptions.Builder.requestEmail()", "GoogleSignIn.getClient(Context, GoogleSignInOptions)")
    val GOOGLE_SIGN_IN_TAP = GOOGLE_CLIENT + "GoogleSignInClient.getSignInIntent()"
    val GOOGLE_SIGN_OUT = GOOGLE_CLIENT + "GoogleSignInClient.signOut()"
}
