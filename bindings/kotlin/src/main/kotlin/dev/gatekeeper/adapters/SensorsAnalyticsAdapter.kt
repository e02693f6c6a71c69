package dev.gatekeeper.adapters

/**
 * Sensors Analytics (`com.sensorsdata.analytics.android.sdk.SensorsDataAPI`), manifest id
 * `sensors_analytics`.
 *
 * - On, the first time in a process: `new SAConfigOptions(serverUrl)`, [configure] on it,
 *   then `SensorsDataAPI.startWithConfigOptions(context, options)`. Only after allow.
 * - Off: `SensorsDataAPI.disableSDK()` (stops collecting and sending).
 * - On again after a withdrawal, in the same process: `SensorsDataAPI.enableSDK()` (the SDK
 *   is started once per process).
 *
 * Keep it from starting itself: it has no manifest switch; it collects nothing until it is
 * initialised, so never call `startWithConfigOptions` (or `sharedInstance(context, …)`) in
 * `Application.onCreate` — this adapter does it after allow. On iOS likewise:
 * `SensorsAnalyticsSDK.start(configOptions:)` only after allow.
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
        calls.static(CLASS, "disableSDK")
    }

    companion object {
        const val CLASS = "com.sensorsdata.analytics.android.sdk.SensorsDataAPI"
        const val OPTIONS = "com.sensorsdata.analytics.android.sdk.SAConfigOptions"
    }
}
