package com.huawei.hms.push

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name and methods of HUAWEI Push Kit's HmsMessaging. */
class HmsMessaging private constructor() {
    fun setAutoInitEnabled(enable: Boolean) = StandInLog.record("HmsMessaging.setAutoInitEnabled($enable)")

    fun turnOnPush(): Any = StandInLog.record("HmsMessaging.turnOnPush()")

    fun turnOffPush(): Any = StandInLog.record("HmsMessaging.turnOffPush()")

    fun isAutoInitEnabled(): Boolean = false

    companion object {
        private val instance = HmsMessaging()

        @JvmStatic fun getInstance(context: Context): HmsMessaging {
            StandInLog.record("HmsMessaging.getInstance(Context)")
            return instance
        }
    }
}
