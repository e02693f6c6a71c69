package com.amap.api.location

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name and static privacy methods of the AMap location SDK. */
class AMapLocationClient private constructor() {
    companion object {
        @JvmStatic fun updatePrivacyShow(context: Context, isContains: Boolean, isShow: Boolean) =
            StandInLog.record("AMapLocationClient.updatePrivacyShow(Context, $isContains, $isShow)")

        @JvmStatic fun updatePrivacyAgree(context: Context, isAgree: Boolean) =
            StandInLog.record("AMapLocationClient.updatePrivacyAgree(Context, $isAgree)")
    }
}
