package com.sensorsdata.analytics.android.sdk

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog
import java.util.concurrent.CopyOnWriteArrayList

/** Stand-in for the Sensors Analytics options class; records its construction. */
class SAConfigOptions(val serverUrl: String) {
    init {
        StandInLog.record("new SAConfigOptions(String)")
    }

    var autoTrack = false
}

/**
 * Stand-in with the real class name and methods of the Sensors Analytics Android SDK.
 * Starting it twice in a process throws, so a test cannot miss a double start. It models the
 * SDK's queue: a start tracks `$AppStart`, [track] adds an event, [deleteAll] empties the
 * queue, and [disableSDK], like the real one, first tracks `$AppDataTrackingClose` and flushes
 * the queue (into [sent]) before it stops.
 */
class SensorsDataAPI private constructor() {
    /** `track(String)`: an event into the queue, while enabled. */
    fun track(eventName: String) {
        if (started && enabled) queue += eventName
    }

    /** `deleteAll()`: deletes every event in the local queue, unsent. */
    fun deleteAll() {
        StandInLog.record("SensorsDataAPI.deleteAll()")
        queue.clear()
    }

    companion object {
        @Volatile private var started = false
        @Volatile private var enabled = false
        private val instance = SensorsDataAPI()
        private val queue = CopyOnWriteArrayList<String>()

        /** The events that left the device, in order. */
        val sent: MutableList<String> = CopyOnWriteArrayList()

        @JvmStatic fun startWithConfigOptions(context: Context, options: SAConfigOptions) {
            StandInLog.record("SensorsDataAPI.startWithConfigOptions(Context, SAConfigOptions)")
            check(!started) { "started twice" }
            started = true
            enabled = true
            queue += "\$AppStart"
        }

        /** `sharedInstance()`: the instance (a stand-in for the real no-op instance before a start too). */
        @JvmStatic fun sharedInstance(): SensorsDataAPI = instance

        @JvmStatic fun disableSDK() {
            StandInLog.record("SensorsDataAPI.disableSDK()")
            if (started && enabled) {
                queue += "\$AppDataTrackingClose"
                sent += queue
                queue.clear()
            }
            enabled = false
        }

        @JvmStatic fun enableSDK() {
            StandInLog.record("SensorsDataAPI.enableSDK()")
            enabled = true
        }

        /** Test hook: a new process. */
        @JvmStatic fun resetProcess() {
            started = false
            enabled = false
            queue.clear()
            sent.clear()
        }
    }
}
