package com.amap.api.services.core

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name and static privacy methods of the AMap search SDK. */
object ServiceSettings {
    @JvmStatic fun updatePrivacyShow(context: Context, isContains: Boolean, isShow: Boolean) =
        StandInLog.record("ServiceSettings.updatePrivacyShow(Context, $isContains, $isShow)")

    @JvmStatic fun updatePrivacyAgree(context: Context, isAgree: Boolean) =
        StandInLog.record("ServiceSettings.updatePrivacyAgree(Context, $isAgree)")
}
