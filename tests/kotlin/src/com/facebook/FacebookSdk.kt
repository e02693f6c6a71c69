package com.facebook

import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name and static methods of the Facebook Android SDK. Records calls. */
object FacebookSdk {
    private var fullyInitialized = false

    @JvmStatic fun setAutoInitEnabled(flag: Boolean) = StandInLog.record("FacebookSdk.setAutoInitEnabled($flag)")

    @JvmStatic fun setAutoLogAppEventsEnabled(flag: Boolean) = StandInLog.record("FacebookSdk.setAutoLogAppEventsEnabled($flag)")

    @JvmStatic fun setAdvertiserIDCollectionEnabled(flag: Boolean) = StandInLog.record("FacebookSdk.setAdvertiserIDCollectionEnabled($flag)")

    @JvmStatic fun fullyInitialize() {
        StandInLog.record("FacebookSdk.fullyInitialize()")
        fullyInitialized = true
    }

    @JvmStatic fun isFullyInitialized(): Boolean = fullyInitialized
}
