package dev.gatekeeper.adapters

/**
 * AMap (Gaode) map, location and search SDKs, manifest id `amap`. The map SDK
 * (`com.amap.api.maps.MapsInitializer`) is the one required; the location SDK
 * (`com.amap.api.location.AMapLocationClient`) and the search SDK
 * (`com.amap.api.services.core.ServiceSettings`) get the same calls when they are in the app.
 *
 * - On: for each SDK present, `updatePrivacyShow(context, true, true)` (the policy that names
 *   AMap was shown) then `updatePrivacyAgree(context, true)`.
 * - Off: for each SDK present, `updatePrivacyAgree(context, false)`; AMap then refuses to
 *   work until agreed again.
 *
 * Keep it from starting itself: AMap has no manifest switch, but it does nothing before
 * `updatePrivacyAgree(context, true)`; never construct a `MapView`, `AMapLocationClient` or
 * search object before allow (they throw or stay blank). On iOS the same pair is
 * `MAMapView.updatePrivacyShow(_:privacyInfo:)` / `updatePrivacyAgree(_:)` (and on
 * `AMapLocationManager`).
 *
 * @param context the Android `Context` (typed `Any`).
 */
class AMapAdapter(
    private val context: Any,
    sdkId: String = "amap",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, MAPS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        for (c in present(calls)) {
            calls.static(c, "updatePrivacyShow", context, true, true)
            calls.static(c, "updatePrivacyAgree", context, true)
        }
    }

    override fun turnOff(calls: SdkCalls) {
        for (c in present(calls)) calls.attempt { calls.static(c, "updatePrivacyAgree", context, false) }
    }

    private fun present(calls: SdkCalls): List<String> = listOf(MAPS) + OPTIONAL.filter { calls.classOrNull(it) != null }

    companion object {
        const val MAPS = "com.amap.api.maps.MapsInitializer"
        val OPTIONAL = listOf("com.amap.api.location.AMapLocationClient", "com.amap.api.services.core.ServiceSettings")
    }
}
