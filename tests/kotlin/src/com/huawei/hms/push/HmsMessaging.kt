package com.huawei.hms.push

import android.content.Context
import com.huawei.hmf.tasks.Task
import dev.gatekeeper.tests.standins.StandInHmsTask
import dev.gatekeeper.tests.standins.StandInLog
import dev.gatekeeper.tests.standins.StandInTasks

/**
 * Stand-in with the real class name and methods of HUAWEI Push Kit's HmsMessaging:
 * `turnOnPush()` / `turnOffPush()` return a `Task<Void>` that completes as [StandInTasks] says.
 */
class HmsMessaging private constructor() {
    fun setAutoInitEnabled(enable: Boolean) = StandInLog.record("HmsMessaging.setAutoInitEnabled($enable)")

    fun turnOnPush(): Task<Void?> = task("HmsMessaging.turnOnPush()")

    fun turnOffPush(): Task<Void?> = task("HmsMessaging.turnOffPush()")

    private fun task(call: String): Task<Void?> {
        StandInLog.record(call)
        return StandInTasks.start(StandInHmsTask(call))
    }

    fun isAutoInitEnabled(): Boolean = false

    companion object {
        private val instance = HmsMessaging()

        @JvmStatic fun getInstance(context: Context): HmsMessaging {
            StandInLog.record("HmsMessaging.getInstance(Context)")
            return instance
        }
    }
}
