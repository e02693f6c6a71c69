// The five iOS adapters wired to the stand-in SDKs exactly as an app wires them to the real
// ones (the same lines, after `import FBSDKCoreKit`, `import SensorsAnalyticsSDK`,
// `import FirebaseAnalytics`, `import GoogleSignIn`, `import MAMapKit` and
// `import AMapLocationKit`); see bindings/swift/README.md.

import GatekeeperAdapters

/// Google Sign-In's adapter as the stand-ins type it.
public typealias StandInGoogleSignInAdapter = GoogleSignInAdapter<UIViewController, GIDSignInResult>

public enum StandInWiring {
    /// The Sensors Analytics project URL the wiring starts the SDK with.
    public static let sensorsServerURL = "https://sa.example.com/sa?project=phocol"

    /// Facebook, Sensors Analytics, Google Sign-In, Firebase Analytics and AMap (map and
    /// location), under the example manifest's ids, sharing `memory` and `log`.
    public static func adapters(memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .silent) -> [SDKAdapter] {
        [
            FacebookAdapter(calls: .init(
                setAutoLogAppEventsEnabled: { Settings.shared.isAutoLogAppEventsEnabled = $0 },
                setAdvertiserIDCollectionEnabled: { Settings.shared.isAdvertiserIDCollectionEnabled = $0 },
                initializeSDK: { ApplicationDelegate.shared.initializeSDK() }
            ), memory: memory, log: log),
            SensorsAnalyticsAdapter(calls: .init(
                start: {
                    let options = SAConfigOptions(serverURL: sensorsServerURL, launchOptions: nil)
                    SensorsAnalyticsSDK.start(configOptions: options)
                },
                deleteAll: { SensorsAnalyticsSDK.sharedInstance()?.deleteAll() },
                disableSDK: { SensorsAnalyticsSDK.disableSDK() },
                enableSDK: { SensorsAnalyticsSDK.enableSDK() }
            ), memory: memory, log: log),
            StandInGoogleSignInAdapter(calls: .init(
                signIn: { presenting, done in GIDSignIn.sharedInstance.signIn(withPresenting: presenting, completion: done) },
                signOut: { GIDSignIn.sharedInstance.signOut() }
            ), memory: memory, log: log),
            FirebaseAnalyticsAdapter(calls: .init(
                setConsent: { consent in
                    Analytics.setConsent(consent.reduce(into: [:]) { settings, item in
                        settings[ConsentType(rawValue: item.key.rawValue)] = item.value ? .granted : .denied
                    })
                },
                setAnalyticsCollectionEnabled: { Analytics.setAnalyticsCollectionEnabled($0) },
                resetAnalyticsData: { Analytics.resetAnalyticsData() }
            ), memory: memory, log: log),
            AMapAdapter(kits: [
                .init(name: "MAMapView",
                      updatePrivacyShow: { MAMapView.updatePrivacyShow(.didShow, privacyInfo: .didContain) },
                      updatePrivacyAgree: { MAMapView.updatePrivacyAgree($0 ? .didAgree : .notAgree) }),
                .init(name: "AMapLocationManager",
                      updatePrivacyShow: { AMapLocationManager.updatePrivacyShow(.didShow, privacyInfo: .didContain) },
                      updatePrivacyAgree: { AMapLocationManager.updatePrivacyAgree($0 ? .didAgree : .notAgree) }),
            ], memory: memory, log: log),
        ]
    }
}

/// The calls each adapter makes on the stand-ins, as `StandInLog` records them, written once
/// for the adapter tests and the iOS demo's scenario.
public enum ExpectedCalls {
    public static let sensorsStart = ["SAConfigOptions(serverURL:launchOptions:)", "SensorsAnalyticsSDK.start(configOptions:)"]
    /// The unsent queue deleted before `disableSDK()` tracks and flushes `$AppDataTrackingClose`.
    public static let sensorsOff = ["SensorsAnalyticsSDK.deleteAll()", "SensorsAnalyticsSDK.disableSDK()"]
    public static let sensorsRestart = ["SensorsAnalyticsSDK.enableSDK()"]

    public static let facebookFlagsOn = ["Settings.isAutoLogAppEventsEnabled = true", "Settings.isAdvertiserIDCollectionEnabled = true"]
    public static let facebookStart = facebookFlagsOn + ["ApplicationDelegate.initializeSDK()"]
    public static let facebookOff = ["Settings.isAutoLogAppEventsEnabled = false", "Settings.isAdvertiserIDCollectionEnabled = false"]

    public static let firebaseOn = [
        "Analytics.setConsent(analytics_storage=granted, ad_storage=denied, ad_user_data=denied, ad_personalization=denied)",
        "Analytics.setAnalyticsCollectionEnabled(true)",
    ]
    public static let firebaseOff = [
        "Analytics.setAnalyticsCollectionEnabled(false)",
        "Analytics.setConsent(analytics_storage=denied, ad_storage=denied, ad_user_data=denied, ad_personalization=denied)",
        "Analytics.resetAnalyticsData()",
    ]

    public static let amapOn = [
        "MAMapView.updatePrivacyShow(didShow, privacyInfo: didContain)", "MAMapView.updatePrivacyAgree(didAgree)",
        "AMapLocationManager.updatePrivacyShow(didShow, privacyInfo: didContain)", "AMapLocationManager.updatePrivacyAgree(didAgree)",
    ]
    public static let amapOff = ["MAMapView.updatePrivacyAgree(notAgree)", "AMapLocationManager.updatePrivacyAgree(notAgree)"]

    public static let googleSignInTap = ["GIDSignIn.signIn(withPresenting:completion:)"]
    public static let googleSignOut = ["GIDSignIn.signOut()"]
}
