package dev.gatekeeper.adapters

/**
 * JPush (极光推送, `cn.jpush.android.api.JPushInterface`, with JCore's collection switch
 * `cn.jiguang.api.utils.JCollectionAuth`), manifest id `jpush`. Android.
 *
 * - On, the first time in a process: `JCollectionAuth.setAuth(context, true)` (the user agreed:
 *   JCore may collect and connect), then `JPushInterface.init(context)`. Only after allow.
 * - Off: `JPushInterface.stopPush(context)` (no more pushes, the long connection is closed),
 *   then `JCollectionAuth.setAuth(context, false)` (no collection), each tried even when the
 *   other fails.
 * - On again after a withdrawal, in the same process: `setAuth(context, true)` then
 *   `JPushInterface.resumePush(context)` (`init` once per process).
 *
 * Keep it from starting itself: JPush's components are declared in its AAR's manifest and its
 * JCore starts with the process, so JPush's compliance guide asks for
 * `JCollectionAuth.setAuth(context, false)` in `Application.onCreate`, before anything else,
 * until the user agrees: call [keepOffUntilAllowed] there. It is the one call that reaches JPush
 * before allow, and it only forbids. Never call `JPushInterface.init` yourself. The
 * registration id already issued stays with JPush's server; stop sending it to your own server
 * after a withdrawal.
 *
 * Names checked against JPush's Android API and compliance docs (极光文档 Android SDK API,
 * 合规指南): `JCollectionAuth.setAuth(Context context, boolean auth)`,
 * `JPushInterface.init(Context context)`, `stopPush(Context context)`,
 * `resumePush(Context context)`.
 *
 * @param context the Android application `Context` (typed `Any`).
 */
class JPushAdapter(
    private val context: Any,
    sdkId: String = "jpush",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, PUSH, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        calls.static(AUTH, "setAuth", context, true)
        if (restart) calls.static(PUSH, "resumePush", context) else calls.static(PUSH, "init", context)
    }

    override fun turnOff(calls: SdkCalls) {
        calls.attempt { calls.static(PUSH, "stopPush", context) }
        calls.attempt { calls.static(AUTH, "setAuth", context, false) }
    }

    /**
     * `JCollectionAuth.setAuth(context, false)`, for `Application.onCreate` before the user's
     * choice is known (see the class comment); a failure is logged and returned. Calls nothing
     * when JCore is not in the app.
     */
    fun keepOffUntilAllowed(): AdapterResult {
        val calls = SdkCalls(loader)
        if (calls.classOrNull(AUTH) == null) return AdapterResult.SdkAbsent(sdkId, AUTH)
        return try {
            calls.static(AUTH, "setAuth", context, false)
            AdapterResult.Applied(sdkId, false, calls.made.toList())
        } catch (e: SdkCallException) {
            log.log(java.util.logging.Level.WARNING, "$sdkId: keeping JPush off failed at ${e.call}: ${e.error}")
            AdapterResult.Failed(sdkId, e.call, e.error)
        }
    }

    companion object {
        const val PUSH = "cn.jpush.android.api.JPushInterface"
        const val AUTH = "cn.jiguang.api.utils.JCollectionAuth"
    }
}
