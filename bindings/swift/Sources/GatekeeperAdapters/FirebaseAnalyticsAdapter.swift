// Google Analytics for Firebase (FirebaseAnalytics), manifest id `firebase_analytics`.

import GatekeeperCore

/// Google Analytics for Firebase (`FirebaseAnalytics`), manifest id `firebase_analytics`.
/// `FirebaseApp.configure()` stays the app's, at launch: with the Info.plist keys below,
/// Analytics collects nothing until this adapter allows it.
///
/// - On: `Analytics.setConsent` with analytics storage granted and the advertising types
///   (`adStorage`, `adUserData`, `adPersonalization`) denied, unless `adConsent` says
///   otherwise; then `Analytics.setAnalyticsCollectionEnabled(true)`.
/// - Off: `Analytics.setAnalyticsCollectionEnabled(false)`, then every consent type denied,
///   each attempted even when the other fails. Both persist across launches.
///
/// ```swift
/// import FirebaseAnalytics
///
/// let firebase = FirebaseAnalyticsAdapter(calls: .init(
///     setConsent: { consent in
///         Analytics.setConsent(consent.reduce(into: [:]) { settings, item in
///             settings[ConsentType(rawValue: item.key.rawValue)] = item.value ? .granted : .denied
///         })
///     },
///     setAnalyticsCollectionEnabled: { Analytics.setAnalyticsCollectionEnabled($0) }
/// ), memory: UserDefaultsSwitchMemory())
/// ```
///
/// Info.plist: `FIREBASE_ANALYTICS_COLLECTION_ENABLED` = NO,
/// `GOOGLE_ANALYTICS_DEFAULT_ALLOW_ANALYTICS_STORAGE` = NO, `…_AD_STORAGE` = NO,
/// `…_AD_USER_DATA` = NO, `…_AD_PERSONALIZATION_SIGNALS` = NO.
///
/// Names checked against the FirebaseAnalytics public headers (`FIRAnalytics+Consent.h`:
/// `ConsentType` is an `NS_TYPED_ENUM` string type with `.adStorage` "ad_storage",
/// `.analyticsStorage` "analytics_storage", `.adUserData` "ad_user_data",
/// `.adPersonalization` "ad_personalization"; `ConsentStatus` `.granted` / `.denied`;
/// `+ setConsent:`, persisted across sessions; `FIRAnalytics.h`: `+ setAnalyticsCollectionEnabled:`).
public final class FirebaseAnalyticsAdapter: SDKAdapter, @unchecked Sendable {
    /// Google's consent types, with the raw values of Firebase's `ConsentType`.
    public enum ConsentType: String, CaseIterable, Sendable {
        case adStorage = "ad_storage"
        case analyticsStorage = "analytics_storage"
        case adUserData = "ad_user_data"
        case adPersonalization = "ad_personalization"
    }

    /// The SDK's own calls, as the app's code makes them.
    public struct Calls: Sendable {
        /// `Analytics.setConsent(…)`, each type granted (`true`) or denied (`false`).
        public var setConsent: @MainActor @Sendable ([ConsentType: Bool]) throws -> Void
        /// `Analytics.setAnalyticsCollectionEnabled($0)`
        public var setAnalyticsCollectionEnabled: @MainActor @Sendable (Bool) throws -> Void

        public init(setConsent: @escaping @MainActor @Sendable ([ConsentType: Bool]) throws -> Void,
                    setAnalyticsCollectionEnabled: @escaping @MainActor @Sendable (Bool) throws -> Void) {
            self.setConsent = setConsent
            self.setAnalyticsCollectionEnabled = setAnalyticsCollectionEnabled
        }
    }

    private let calls: Calls
    private let adConsent: @Sendable () -> Bool

    /// - Parameter adConsent: whether the advertising consent types are granted when on
    ///   (default: never; in the example manifest this SDK serves `analytics` only).
    public init(sdkId: String = "firebase_analytics", calls: Calls, adConsent: @escaping @Sendable () -> Bool = { false },
                memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default) {
        self.calls = calls
        self.adConsent = adConsent
        super.init(sdkId: sdkId, memory: memory, log: log)
    }

    @MainActor
    override public func turnOn(restart: Bool, calls log: inout SDKCallLog) throws {
        let consent = Self.consent(analytics: true, ads: adConsent())
        try log.call("Analytics.setConsent(\(Self.describe(consent)))") { try calls.setConsent(consent) }
        try log.call("Analytics.setAnalyticsCollectionEnabled(true)") { try calls.setAnalyticsCollectionEnabled(true) }
    }

    @MainActor
    override public func turnOff(calls log: inout SDKCallLog) throws {
        let consent = Self.consent(analytics: false, ads: false)
        log.attempt("Analytics.setAnalyticsCollectionEnabled(false)") { try calls.setAnalyticsCollectionEnabled(false) }
        log.attempt("Analytics.setConsent(\(Self.describe(consent)))") { try calls.setConsent(consent) }
    }

    private static func consent(analytics: Bool, ads: Bool) -> [ConsentType: Bool] {
        [.analyticsStorage: analytics, .adStorage: ads, .adUserData: ads, .adPersonalization: ads]
    }

    /// `analyticsStorage: granted, adStorage: denied, …`, in `ConsentType` order.
    static func describe(_ consent: [ConsentType: Bool]) -> String {
        ConsentType.allCases.compactMap { type in
            consent[type].map { "\(type): \($0 ? "granted" : "denied")" }
        }.joined(separator: ", ")
    }
}
