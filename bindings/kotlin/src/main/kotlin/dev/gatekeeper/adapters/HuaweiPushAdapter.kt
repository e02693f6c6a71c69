package dev.gatekeeper.adapters

/**
 * HUAWEI Push Kit (`com.huawei.hms.push.HmsMessaging`), manifest id `huawei_push`. Android only.
 *
 * - On: `HmsMessaging.getInstance(context)`, `setAutoInitEnabled(true)` (the SDK may now
 *   fetch a push token by itself), `turnOnPush()` (notification messages are shown).
 * - Off: `setAutoInitEnabled(false)`, then `turnOffPush()`, each tried even when the other
 *   fails.
 *
 * A push token already issued is not deleted here: deleting it
 * (`HmsInstanceId.getInstance(context).deleteToken(appId, "HCM")`) is a network call that must
 * run off the main thread; the app should do it after a withdrawal, and stop sending the
 * token to its server.
 *
 * Keep it from starting itself, in AndroidManifest.xml (`<application>`):
 * ```xml
 * <meta-data android:name="push_kit_auto_init_enabled" android:value="false"/>
 * ```
 * and do not call `HmsInstanceId.getToken` before allow.
 *
 * @param context the Android `Context` (typed `Any`).
 */
class HuaweiPushAdapter(
    private val context: Any,
    sdkId: String = "huawei_push",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, CLASS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        val m = messaging(calls)
        calls.on(m, "setAutoInitEnabled", true)
        calls.on(m, "turnOnPush")
    }

    override fun turnOff(calls: SdkCalls) {
        val m = messaging(calls)
        calls.attempt { calls.on(m, "setAutoInitEnabled", false) }
        calls.attempt { calls.on(m, "turnOffPush") }
    }

    private fun messaging(calls: SdkCalls): Any =
        calls.static(CLASS, "getInstance", context) ?: throw SdkCallException("HmsMessaging.getInstance", "null")

    companion object {
        const val CLASS = "com.huawei.hms.push.HmsMessaging"
    }
}
