package dev.gatekeeper.adapters

/**
 * Facebook SDK core and app events (`com.facebook.FacebookSdk`), manifest id `facebook`.
 *
 * - On: `setAutoInitEnabled(true)`, `setAutoLogAppEventsEnabled(true)`,
 *   `setAdvertiserIDCollectionEnabled(collectAdvertiserId)`. `setAutoInitEnabled(true)` itself
 *   initialises the SDK (it calls `fullyInitialize()`), so nothing else is called; a restart
 *   after a withdrawal sets the same flags again.
 * - Off: `setAutoInitEnabled(false)`, `setAutoLogAppEventsEnabled(false)`,
 *   `setAdvertiserIDCollectionEnabled(false)`, each tried even when another fails (an older
 *   SDK may lack one). The SDK persists these flags. It has no call that undoes an
 *   initialisation: the app must also stop logging events itself.
 *
 * Keep it from starting itself, in AndroidManifest.xml (`<application>`):
 * ```xml
 * <meta-data android:name="com.facebook.sdk.AutoInitEnabled" android:value="false"/>
 * <meta-data android:name="com.facebook.sdk.AutoLogAppEventsEnabled" android:value="false"/>
 * <meta-data android:name="com.facebook.sdk.AdvertiserIDCollectionEnabled" android:value="false"/>
 * ```
 * (iOS, Info.plist: `FacebookAutoLogAppEventsEnabled` and
 * `FacebookAdvertiserIDCollectionEnabled`, both `NO`. iOS has no auto-init key: the iOS SDK
 * starts only when the app calls `ApplicationDelegate.shared.application(_:didFinishLaunchingWithOptions:)`
 * or `initializeSDK()`.)
 *
 * Names checked against facebook-android-sdk (`facebook-core/.../FacebookSdk.kt`:
 * `@JvmStatic fun setAutoInitEnabled(flag: Boolean)`, which stores the flag and calls
 * `fullyInitialize()` when it is true; `setAutoLogAppEventsEnabled(flag)`,
 * `setAdvertiserIDCollectionEnabled(flag)`; the meta-data keys `com.facebook.sdk.AutoInitEnabled`,
 * `…AutoLogAppEventsEnabled`, `…AdvertiserIDCollectionEnabled`).
 *
 * @param collectAdvertiserId whether the advertising id may be collected once allowed (the
 *   example manifest lists `advertising_id` among the data of `facebook`).
 */
class FacebookAdapter(
    private val collectAdvertiserId: Boolean = true,
    sdkId: String = "facebook",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, CLASS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        calls.static(CLASS, "setAutoInitEnabled", true)
        calls.static(CLASS, "setAutoLogAppEventsEnabled", true)
        calls.static(CLASS, "setAdvertiserIDCollectionEnabled", collectAdvertiserId)
    }

    override fun turnOff(calls: SdkCalls) {
        calls.attempt { calls.static(CLASS, "setAutoInitEnabled", false) }
        calls.attempt { calls.static(CLASS, "setAutoLogAppEventsEnabled", false) }
        calls.attempt { calls.static(CLASS, "setAdvertiserIDCollectionEnabled", false) }
    }

    companion object {
        const val CLASS = "com.facebook.FacebookSdk"
    }
}
