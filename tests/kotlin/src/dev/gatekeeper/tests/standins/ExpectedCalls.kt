package dev.gatekeeper.tests.standins

/**
 * The calls each adapter is expected to make on the stand-in SDKs, as [StandInLog] records
 * them, written once for the adapter tests and the demo scenario.
 */
object ExpectedCalls {
    val SENSORS_START = listOf("new SAConfigOptions(String)", "SensorsDataAPI.startWithConfigOptions(Context, SAConfigOptions)")
    /** The unsent queue deleted before `disableSDK()` tracks and flushes `$AppDataTrackingClose`. */
    val SENSORS_OFF = listOf("SensorsDataAPI.deleteAll()", "SensorsDataAPI.disableSDK()")
    val SENSORS_RESTART = listOf("SensorsDataAPI.enableSDK()")

    val FACEBOOK_FLAGS_ON = listOf(
        "FacebookSdk.setAutoInitEnabled(true)",
        "FacebookSdk.setAutoLogAppEventsEnabled(true)",
        "FacebookSdk.setAdvertiserIDCollectionEnabled(true)",
    )
    /** `setAutoInitEnabled(true)` initialises the SDK itself: no `fullyInitialize()`. */
    val FACEBOOK_START = FACEBOOK_FLAGS_ON
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
        "FirebaseAnalytics.resetAnalyticsData()",
    )

    val HMS_ON = listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(true)", "HmsMessaging.turnOnPush()")
    val HMS_OFF = listOf("HmsMessaging.getInstance(Context)", "HmsMessaging.setAutoInitEnabled(false)", "HmsMessaging.turnOffPush()")

    /** 3D map, location and search SDKs (the stand-ins have no 2D map SDK, which the adapter skips). */
    val AMAP_ON = listOf(
        "MapsInitializer.updatePrivacyShow(Context, true, true)",
        "MapsInitializer.updatePrivacyAgree(Context, true)",
        "AMapLocationClient.updatePrivacyShow(Context, true, true)",
        "AMapLocationClient.updatePrivacyAgree(Context, true)",
        "ServiceSettings.updatePrivacyShow(Context, true, true)",
        "ServiceSettings.updatePrivacyAgree(Context, true)",
    )
    val AMAP_OFF = listOf(
        "MapsInitializer.updatePrivacyAgree(Context, false)",
        "AMapLocationClient.updatePrivacyAgree(Context, false)",
        "ServiceSettings.updatePrivacyAgree(Context, false)",
    )

    private val GOOGLE_CLIENT = listOf("GoogleSignInOptions.Builder.requestEmail()", "GoogleSignIn.getClient(Context, GoogleSignInOptions)")
    val GOOGLE_SIGN_IN_TAP = GOOGLE_CLIENT + "GoogleSignInClient.getSignInIntent()"
    /** Credential Manager's clear, then the legacy API's sign-out (the stand-ins have both). */
    val GOOGLE_SIGN_OUT = listOf("CredentialManager.create(Context)", "CredentialManager.clearCredentialStateAsync(ClearCredentialStateRequest)") +
        GOOGLE_CLIENT + "GoogleSignInClient.signOut()"

    val UMENG_START = listOf(
        "UMConfigure.preInit(Context, String, String)",
        "UMConfigure.submitPolicyGrantResult(Context, true)",
        "UMConfigure.init(Context, String, String, 1, null)",
    )
    val UMENG_OFF = listOf("UMConfigure.submitPolicyGrantResult(Context, false)")
    val UMENG_RESTART = listOf("UMConfigure.submitPolicyGrantResult(Context, true)")

    val JPUSH_START = listOf("JCollectionAuth.setAuth(Context, true)", "JPushInterface.init(Context)")
    val JPUSH_OFF = listOf("JPushInterface.stopPush(Context)", "JCollectionAuth.setAuth(Context, false)")
    val JPUSH_RESTART = listOf("JCollectionAuth.setAuth(Context, true)", "JPushInterface.resumePush(Context)")
}
