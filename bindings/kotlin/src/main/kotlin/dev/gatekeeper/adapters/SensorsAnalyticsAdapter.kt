package dev.gatekeeper.adapters

/**
 * Sensors Analytics (`com.sensorsdata.analytics.android.sdk.SensorsDataAPI`), manifest id
 * `sensors_analytics`.
 *
 * - On, the first time in a process: `new SAConfigOptions(serverUrl)`, [configure] on it,
 *   then `SensorsDataAPI.startWithConfigOptions(context, options)`. Only after allow.
 * - Off: `SensorsDataAPI.sharedInstance().deleteAll()` first (the events recorded and not yet
 *   sent are deleted from the SDK's local database), then `SensorsDataAPI.disableSDK()`.
 * - On again after a withdrawal, in the same process: `SensorsDataAPI.enableSDK()` (the SDK
 *   is started once per process).
 *
 * Why `deleteAll()` first: `disableSDK()` does not stop at once. It first tracks an
 * `$AppDataTrackingClose` event and flushes the queue, so without the `deleteAll()` every
 * event waiting in the queue, and that event, would leave the device after the withdrawal.
 * What the SDK still does, and this adapter cannot prevent: the `$AppDataTrackingClose` event
 * itself is still tracked and sent by `disableSDK()` (it carries the device's anonymous id and
 * no event data; the SDK has no switch for it), and an upload already in flight when the user
 * withdraws completes. The identifiers it keeps on the device (`$device_id`, the anonymous id)
 * stay until the app deletes its data; `SensorsDataAPI.sharedInstance().resetAnonymousId()`
 * or clearing the app's storage removes them on account deletion.
 *
 * Keep it from starting itself: it has no manifest switch; it collects nothing until it is
 * initialised, so never call `startWithConfigOptions` (or `sharedInstance(context, …)`) in
 * `Application.onCreate` — this adapter does it after allow. On iOS likewise:
 * `SensorsAnalyticsSDK.start(configOptions:)` only after allow.
 *
 * Names checked against sa-sdk-android (`SensorsDataAPI.java`: `public static void
 * startWithConfigOptions(Context, SAConfigOptions)`, `public static SensorsDataAPI
 * sharedInstance()`, `public void deleteAll()`, `public static void disableSDK()` — which
 * tracks `$AppDataTrackingClose` and flushes before it stops — and `public static void enableSDK()`;
 * `SAConfigOptions(String serverUrl)`).
 *
 * @param context the Android `Context` (typed `Any` so this library needs no android.jar).
 * @param serverUrl the project's data-receiving URL.
 * @param configure sets further options on the `SAConfigOptions` instance before the start.
 */
class SensorsAnalyticsAdapter(
    private val context: Any,
    private val serverUrl: String,
    private val configure: (options: Any) -> Unit = {},
    sdkId: String = "sensors_analytics",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, CLASS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        if (restart) {
            calls.static(CLASS, "enableSDK")
            return
        }
        val options = calls.construct(OPTIONS, serverUrl)
        configure(options)
        calls.static(CLASS, "startWithConfigOptions", context, options)
    }

    override fun turnOff(calls: SdkCalls) {
        calls.attempt {
            val api = calls.static(CLASS, "sharedInstance") ?: throw SdkCallException("SensorsDataAPI.sharedInstance()", "null")
            calls.on(api, "deleteAll")
        }
        calls.attempt { calls.static(CLASS, "disableSDK") }
    }

    companion object {
        const val CLASS = "com.sensorsdata.analytics.android.sdk.SensorsDataAPI"
        const val OPTIONS = "com.sensorsdata.analytics.android.sdk.SAConfigOptions"
    }
}
