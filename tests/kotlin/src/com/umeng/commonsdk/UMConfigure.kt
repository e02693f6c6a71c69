package com.umeng.commonsdk

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/**
 * Stand-in with the real class name, static methods and constant of Umeng's common SDK. Like
 * the real SDK, `init` before `preInit` and a granted policy result does not start it: here
 * it throws, so a test cannot miss the order.
 */
object UMConfigure {
    const val DEVICE_TYPE_PHONE = 1
    const val DEVICE_TYPE_BOX = 2

    @Volatile private var preInitialised = false
    @Volatile private var granted = false

    /** Whether the SDK is collecting now (initialised and granted). */
    @Volatile var collecting = false
        private set

    @JvmStatic fun preInit(context: Context, appkey: String, channel: String) {
        StandInLog.record("UMConfigure.preInit(Context, String, String)")
        preInitialised = true
    }

    @JvmStatic fun submitPolicyGrantResult(context: Context, granted: Boolean) {
        StandInLog.record("UMConfigure.submitPolicyGrantResult(Context, $granted)")
        this.granted = granted
        if (!granted) collecting = false else if (initialised) collecting = true
    }

    @Volatile private var initialised = false

    @JvmStatic fun init(context: Context, appkey: String, channel: String, deviceType: Int, pushSecret: String?) {
        StandInLog.record("UMConfigure.init(Context, String, String, $deviceType, ${if (pushSecret == null) "null" else "String"})")
        check(preInitialised && granted) { "init before preInit and a granted policy result" }
        initialised = true
        collecting = true
    }

    /** Test hook: a new process. */
    @JvmStatic fun resetProcess() {
        preInitialised = false
        granted = false
        initialised = false
        collecting = false
    }
}
