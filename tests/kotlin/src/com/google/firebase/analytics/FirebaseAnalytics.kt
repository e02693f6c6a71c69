package com.google.firebase.analytics

import android.content.Context
import dev.gatekeeper.tests.standins.StandInLog

/** Stand-in with the real class name, nested enums and methods of Firebase Analytics. */
class FirebaseAnalytics private constructor() {
    enum class ConsentType { AD_STORAGE, ANALYTICS_STORAGE, AD_USER_DATA, AD_PERSONALIZATION }

    enum class ConsentStatus { GRANTED, DENIED }

    fun setAnalyticsCollectionEnabled(enabled: Boolean) = StandInLog.record("FirebaseAnalytics.setAnalyticsCollectionEnabled($enabled)")

    fun resetAnalyticsData() = StandInLog.record("FirebaseAnalytics.resetAnalyticsData()")

    fun setConsent(consentSettings: Map<ConsentType, ConsentStatus>) {
        val text = consentSettings.entries.sortedBy { it.key.ordinal }.joinToString(", ") { "${it.key}=${it.value}" }
        StandInLog.record("FirebaseAnalytics.setConsent($text)")
    }

    companion object {
        private val instance = FirebaseAnalytics()

        @JvmStatic fun getInstance(context: Context): FirebaseAnalytics {
            StandInLog.record("FirebaseAnalytics.getInstance(Context)")
            return instance
        }
    }
}
