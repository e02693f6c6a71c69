package dev.gatekeeper.adapters

/**
 * AMap (Gaode) SDKs, manifest id `amap`: the 3D map (`com.amap.api.maps.MapsInitializer`), the
 * 2D map (`com.amap.api.maps2d.MapsInitializer`), location
 * (`com.amap.api.location.AMapLocationClient`) and search
 * (`com.amap.api.services.core.ServiceSettings`). An app may ship any of them alone: the SDK is
 * present when at least one of these entry classes is, and each one present gets the calls.
 *
 * - On: for each entry class present, `updatePrivacyShow(context, true, true)` (the policy
 *   that names AMap was shown) then `updatePrivacyAgree(context, true)`.
 * - Off: for each entry class present, `updatePrivacyAgree(context, false)`; AMap then refuses
 *   to work until agreed again.
 *
 * Keep it from starting itself: AMap has no manifest switch, but it does nothing before
 * `updatePrivacyAgree(context, true)`; never construct a `MapView`, `AMapLocationClient` or
 * search object before allow (they throw or stay blank). On iOS the same pair is
 * `MAMapView.updatePrivacyShow(_:privacyInfo:)` / `updatePrivacyAgree(_:)` (and on
 * `AMapLocationManager` and `AMapSearchAPI`).
 *
 * Names checked against AMap's Android privacy-compliance guide (合规使用说明): each SDK's
 * entry class has `static void updatePrivacyShow(Context, boolean isContains, boolean isShow)`
 * and `static void updatePrivacyAgree(Context, boolean isAgree)`, to be called before any
 * other API of that SDK.
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

    /** Present when any AMap entry class is in the app. */
    override fun isPresent(): Boolean = present(SdkCalls(loader)).isNotEmpty()

    private fun present(calls: SdkCalls): List<String> = ENTRY_CLASSES.filter { calls.classOrNull(it) != null }

    companion object {
        /** The 3D map SDK's entry class (reported when no AMap SDK is present). */
        const val MAPS = "com.amap.api.maps.MapsInitializer"
        const val MAPS_2D = "com.amap.api.maps2d.MapsInitializer"
        const val LOCATION = "com.amap.api.location.AMapLocationClient"
        const val SEARCH = "com.amap.api.services.core.ServiceSettings"

        /** Every entry class, in the order they are called. */
        val ENTRY_CLASSES = listOf(MAPS, MAPS_2D, LOCATION, SEARCH)
    }
}
