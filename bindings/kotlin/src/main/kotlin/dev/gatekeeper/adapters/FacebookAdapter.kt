package dev.gatekeeper.adapters

/**
 * Facebook SDK core and app events (`com.facebook.FacebookSdk`), manifest id `facebook`.
 *
 * - On: `setAutoInitEnabled(true)`, `setAutoLogAppEventsEnabled(true)`,
 *   `setAdvertiserIDCollectionEnabled(collectAdvertiserId)`, then `fullyInitialize()` (once
 *   per process; a restart after a withdrawal only sets the flags again).
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
 * (iOS, Info.plist: `FacebookAutoInitEnabled`, `FacebookAutoLogAppEventsEnabled`,
 * `FacebookAdvertiserIDCollectionEnabled`, all `NO`.)
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
        if (!restart) calls.static(CLASS, "fullyInitialize")
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
