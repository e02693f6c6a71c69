package dev.gatekeeper.adapters

/**
 * HUAWEI Push Kit (`com.huawei.hms.push.HmsMessaging`), manifest id `huawei_push`. Android only.
 *
 * - On: `HmsMessaging.getInstance(context)`, `setAutoInitEnabled(true)` (the SDK may now
 *   fetch a push token by itself), `turnOnPush()` (notification messages are shown).
 * - Off: `setAutoInitEnabled(false)`, then `turnOffPush()`, each tried even when the other
 *   fails.
 *
 * `turnOnPush()` and `turnOffPush()` return a `com.huawei.hmf.tasks.Task<Void>` that completes
 * later (they talk to HMS Core). The switch is not counted as done until the task succeeds: a
 * task already complete is read at once (a failed one fails the switch); one still running makes
 * the result [AdapterResult.Applied] with the call in `pending`, and its outcome arrives through
 * [AdapterOptions.lateResults]. A `turnOnPush` that fails later switches the adapter off again
 * (the start is undone); a `turnOffPush` that fails later leaves the SDK remembered as possibly
 * on, so the next switch-off tries again. Nothing blocks the calling thread.
 *
 * A push token already issued is not deleted here: deleting it
 * (`HmsInstanceId.getInstance(context).deleteToken(appId, "HCM")`) is a network call that must
 * run off the main thread; the app should do it after a withdrawal, and stop sending the
 * token to its server.
 *
 * Keep it from starting itself: do not call `HmsInstanceId.getToken` before allow. Automatic
 * initialisation is already off by default (the manifest meta-data `push_kit_auto_init_enabled`
 * defaults to false: no line is needed, and none must set it to true).
 *
 * Names checked against the HMS Push Kit Android API reference (`HmsMessaging`:
 * `public static synchronized HmsMessaging getInstance(Context)`, `public void
 * setAutoInitEnabled(boolean)`, `public Task<Void> turnOnPush()`, `public Task<Void>
 * turnOffPush()`; `com.huawei.hmf.tasks.Task`: `isComplete()`, `isSuccessful()`,
 * `getException()`, `addOnCompleteListener(OnCompleteListener<TResult>)`).
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
        calls.onTask(m, "turnOnPush")
    }

    override fun turnOff(calls: SdkCalls) {
        val m = messaging(calls)
        calls.attempt { calls.on(m, "setAutoInitEnabled", false) }
        calls.attempt { calls.onTask(m, "turnOffPush") }
    }

    private fun messaging(calls: SdkCalls): Any =
        calls.static(CLASS, "getInstance", context) ?: throw SdkCallException("HmsMessaging.getInstance", "null")

    companion object {
        const val CLASS = "com.huawei.hms.push.HmsMessaging"
        /** The task type `turnOnPush` / `turnOffPush` return, and its listener. */
        const val TASK = "com.huawei.hmf.tasks.Task"
        const val ON_COMPLETE = "com.huawei.hmf.tasks.OnCompleteListener"
    }
}
