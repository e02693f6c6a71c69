package com.amap.api.maps

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name and static privacy methods of the AMap map SDK. */
object MapsInitializer {
    @JvmStatic fun updatePrivacyShow(context: Context, isContains: Boolean, isShow: Boolean) =
        StandInLog.record("MapsInitializer.updatePrivacyShow(Context, $isContains, $isShow)")

    @JvmStatic fun updatePrivacyAgree(context: Context, isAgree: Boolean) =
        StandInLog.record("MapsInitializer.updatePrivacyAgree(Context, $isAgree)")
}
