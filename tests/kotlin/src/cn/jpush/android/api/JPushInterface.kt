package cn.jpush.android.api

import android.content.Context
import cn.jiguang.api.utils.JCollectionAuth
import dev.gatekeeper.tests.standins.StandInLog

/**
 * Stand-in with the real class name and static methods of JPush. `init` without
 * `JCollectionAuth.setAuth(context, true)` first throws here (the real SDK refuses to work),
 * and so does a second `init` in a process.
 */
class JPushInterface private constructor() {
    companion object {
        @Volatile private var initialised = false
        @Volatile private var stopped = false

        @JvmStatic fun init(context: Context) {
            StandInLog.record("JPushInterface.init(Context)")
            check(JCollectionAuth.auth) { "init without JCollectionAuth.setAuth(true)" }
            check(!initialised) { "initialised twice" }
            initialised = true
            stopped = false
        }

        @JvmStatic fun stopPush(context: Context) {
            StandInLog.record("JPushInterface.stopPush(Context)")
            stopped = true
        }

        @JvmStatic fun resumePush(context: Context) {
            StandInLog.record("JPushInterface.resumePush(Context)")
            stopped = false
        }

        @JvmStatic fun isPushStopped(context: Context): Boolean = stopped || !initialised

        /** Test hook: a new process. */
        @JvmStatic fun resetProcess() {
            initialised = false
            stopped = false
        }
    }
}
