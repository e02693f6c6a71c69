package com.sensorsdata.analytics.android.sdk

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in for the Sensors Analytics options class; records its construction. */
class SAConfigOptions(val serverUrl: String) {
    init {
        StandInLog.record("new SAConfigOptions(String)")
    }

    var autoTrack = false
}

/**
 * Stand-in with the real class name and static methods of the Sensors Analytics Android SDK.
 * Starting it twice in a process throws, so a test cannot miss a double start.
 */
class SensorsDataAPI private constructor() {
    companion object {
        @Volatile private var started = false

        @JvmStatic fun startWithConfigOptions(context: Context, options: SAConfigOptions) {
            StandInLog.record("SensorsDataAPI.startWithConfigOptions(Context, SAConfigOptions)")
            check(!started) { "started twice" }
            started = true
        }

        @JvmStatic fun disableSDK() = StandInLog.record("SensorsDataAPI.disableSDK()")

        @JvmStatic fun enableSDK() = StandInLog.record("SensorsDataAPI.enableSDK()")

        /** Test hook: a new process. */
        @JvmStatic fun resetProcess() {
            started = false
        }
    }
}
