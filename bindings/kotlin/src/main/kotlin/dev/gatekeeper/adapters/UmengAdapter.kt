package dev.gatekeeper.adapters

/**
 * Umeng (友盟+ U-App analytics and its common SDK, `com.umeng.commonsdk.UMConfigure`), manifest
 * id `umeng`.
 *
 * - On, the first time in a process: `UMConfigure.preInit(context, appKey, channel)`,
 *   `UMConfigure.submitPolicyGrantResult(context, true)` (the user agreed), then
 *   `UMConfigure.init(context, appKey, channel, UMConfigure.DEVICE_TYPE_PHONE, pushSecret)`.
 *   Only after allow.
 * - Off: `UMConfigure.submitPolicyGrantResult(context, false)`: Umeng stops collecting and
 *   sending, and on the next launch it does not start (the result persists).
 * - On again after a withdrawal, in the same process: `submitPolicyGrantResult(context, true)`
 *   (`init` is once per process; a second call is ignored by the SDK).
 *
 * Umeng itself allows `preInit` in `Application.onCreate` before consent (it collects and
 * sends nothing); this adapter calls it only after allow, so that nothing at all reaches the
 * SDK before the user agrees. The cost is Umeng's count of that first launch. Umeng's guide
 * asks an app whose user withdraws to also end its process after
 * `submitPolicyGrantResult(false)` (the SDK's components started in this process keep running
 * until then); a library cannot do that for the app: do it after the withdrawal if the app
 * started Umeng in this process.
 *
 * Keep it from starting itself: Umeng has no manifest switch and starts only through
 * `UMConfigure.init`; never call it (or `preInit`) in `Application.onCreate` — this adapter does
 * both after allow. On iOS: `UMConfigure.initWithAppkey(_:channel:)` only after allow.
 *
 * Names checked against Umeng's Android integration and compliance guide (U-App 统计 SDK
 * 集成文档 / 合规指南): `public static void preInit(Context context, String appkey, String
 * channel)`, `public static void submitPolicyGrantResult(Context context, boolean granted)`,
 * `public static void init(Context context, String appkey, String channel, int deviceType,
 * String pushSecret)`, `public static final int DEVICE_TYPE_PHONE = 1`.
 *
 * @param context the Android application `Context` (typed `Any`).
 * @param appKey the app's Umeng AppKey.
 * @param channel the distribution channel.
 * @param pushSecret the Umeng push secret, or null when the app does not use Umeng push.
 */
class UmengAdapter(
    private val context: Any,
    private val appKey: String,
    private val channel: String,
    private val pushSecret: String? = null,
    sdkId: String = "umeng",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, CLASS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        if (restart) {
            calls.static(CLASS, "submitPolicyGrantResult", context, true)
            return
        }
        calls.static(CLASS, "preInit", context, appKey, channel)
        calls.static(CLASS, "submitPolicyGrantResult", context, true)
        val phone = calls.staticField(CLASS, "DEVICE_TYPE_PHONE") as? Int ?: DEVICE_TYPE_PHONE
        calls.static(CLASS, "init", context, appKey, channel, phone, pushSecret)
    }

    override fun turnOff(calls: SdkCalls) {
        calls.static(CLASS, "submitPolicyGrantResult", context, false)
    }

    companion object {
        const val CLASS = "com.umeng.commonsdk.UMConfigure"

        /** `UMConfigure.DEVICE_TYPE_PHONE`, should the field not be readable. */
        private const val DEVICE_TYPE_PHONE = 1
    }
}
