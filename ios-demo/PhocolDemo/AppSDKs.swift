// The real SDKs, wired to the Swift adapters: the lines an app writes in its own target,
// where `import FBSDKCoreKit` and the others resolve because the app links those SDKs. Each
// block compiles only when its SDK is added to the app (File → Add Package Dependencies…);
// without it the SDK is a stub in AppGate that only prints. The same wiring, against
// stand-ins carrying these names, runs on Linux: bindings/swift/Sources/GatekeeperTestSupport/
// StandInWiring.swift. Not compiled on the project's machine (no iOS SDK there).

#if canImport(UIKit)
import GatekeeperAdapters
import UIKit
#if canImport(FBSDKCoreKit)
import FBSDKCoreKit
#endif
#if canImport(SensorsAnalyticsSDK)
import SensorsAnalyticsSDK
#endif
#if canImport(FirebaseAnalytics)
import FirebaseAnalytics
#endif
#if canImport(GoogleSignIn)
import GoogleSignIn
#endif
#if canImport(MAMapKit)
import MAMapKit
#endif

enum AppSDKs {
    /// Your Sensors Analytics project's data URL.
    static let sensorsServerURL = "https://sa.example.com/sa?project=phocol"

    #if canImport(GoogleSignIn)
    typealias GoogleSignIn = GoogleSignInAdapter<UIViewController, GIDSignInResult>
    #else
    typealias GoogleSignIn = GoogleSignInAdapter<UIViewController, Never>
    #endif

    /// An adapter for each SDK linked into this build.
    static func adapters(memory: SwitchMemory) -> [SDKAdapter] {
        var all: [SDKAdapter] = []
        #if canImport(FBSDKCoreKit)
        all.append(FacebookAdapter(calls: .init(
            setAutoLogAppEventsEnabled: { Settings.shared.isAutoLogAppEventsEnabled = $0 },
            setAdvertiserIDCollectionEnabled: { Settings.shared.isAdvertiserIDCollectionEnabled = $0 },
            initializeSDK: { ApplicationDelegate.shared.initializeSDK() }
        ), memory: memory))
        #endif
        #if canImport(SensorsAnalyticsSDK)
        all.append(SensorsAnalyticsAdapter(calls: .init(
            start: {
                let options = SAConfigOptions(serverURL: sensorsServerURL, launchOptions: nil)
                SensorsAnalyticsSDK.start(configOptions: options)
            },
            deleteAll: { SensorsAnalyticsSDK.sharedInstance()?.deleteAll() },
            disableSDK: { SensorsAnalyticsSDK.disableSDK() },
            enableSDK: { SensorsAnalyticsSDK.enableSDK() }
        ), memory: memory))
        #endif
        #if canImport(GoogleSignIn)
        all.append(GoogleSignIn(calls: .init(
            signIn: { presenting, done in GIDSignIn.sharedInstance.signIn(withPresenting: presenting, completion: done) },
            signOut: { GIDSignIn.sharedInstance.signOut() }
        ), memory: memory))
        #endif
        #if canImport(FirebaseAnalytics)
        all.append(FirebaseAnalyticsAdapter(calls: .init(
            setConsent: { consent in
                Analytics.setConsent(consent.reduce(into: [:]) { settings, item in
                    settings[ConsentType(rawValue: item.key.rawValue)] = item.value ? .granted : .denied
                })
            },
            setAnalyticsCollectionEnabled: { Analytics.setAnalyticsCollectionEnabled($0) },
            resetAnalyticsData: { Analytics.resetAnalyticsData() }
        ), memory: memory))
        #endif
        #if canImport(MAMapKit)
        all.append(AMapAdapter(kits: [
            .init(name: "MAMapView",
                  updatePrivacyShow: { MAMapView.updatePrivacyShow(.didShow, privacyInfo: .didContain) },
                  updatePrivacyAgree: { MAMapView.updatePrivacyAgree($0 ? .didAgree : .notAgree) }),
        ], memory: memory))
        #endif
        return all
    }
}
#endif
