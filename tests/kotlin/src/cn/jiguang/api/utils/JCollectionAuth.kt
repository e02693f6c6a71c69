package cn.jiguang.api.utils

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name and static method of JCore's collection switch. */
object JCollectionAuth {
    /** What the last setAuth said (the real SDK persists it). */
    @Volatile var auth = false
        private set

    @JvmStatic fun setAuth(context: Context, auth: Boolean) {
        StandInLog.record("JCollectionAuth.setAuth(Context, $auth)")
        this.auth = auth
    }

    /** Test hook: a new install. */
    @JvmStatic fun resetProcess() {
        auth = false
    }
}
