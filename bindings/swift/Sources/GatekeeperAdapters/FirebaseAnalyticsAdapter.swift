// Google Analytics for Firebase (FirebaseAnalytics), manifest id `firebase_analytics`.

import Foundation
import GatekeeperCore

/// Google Analytics for Firebase (`FirebaseAnalytics`), manifest id `firebase_analytics`, with
/// Google Consent Mode v2. `FirebaseApp.configure()` stays the app's, at launch: with the
/// Info.plist keys below, Analytics collects nothing until this adapter allows it.
///
/// - On: `Analytics.setConsent` with the four Consent Mode v2 signals (`analyticsStorage`,
///   `adStorage`, `adUserData`, `adPersonalization`) as the gatekeeper's `consentMode()` gives
///   them (contract section 11: each granted only when every purpose declaring it is allowed);
///   then `Analytics.setAnalyticsCollectionEnabled(true)`.
/// - On every change notification while on (`SDKAdapters` calls `refresh()`), and in
///   `applyAll()`: `Analytics.setConsent` again when a signal changed.
/// - Off: `Analytics.setAnalyticsCollectionEnabled(false)`, every consent type denied, then
///   `Analytics.resetAnalyticsData()` (clears the app instance id and the data not yet sent),
///   each attempted even when another fails. Collection flag and consent persist across launches.
///
/// Where the signals come from: the gatekeeper given to `SDKAdapters` (its `consentMode()`), or
/// `consentMode`. Used alone, without either, the adapter grants analytics storage when on and
/// the advertising types only when `adConsent` says so.
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
///     setAnalyticsCollectionEnabled: { Analytics.setAnalyticsCollectionEnabled($0) },
///     resetAnalyticsData: { Analytics.resetAnalyticsData() }
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
/// `+ setConsent:`, persisted across sessions; `FIRAnalytics.h`: `+ setAnalyticsCollectionEnabled:`,
/// `+ resetAnalyticsData`).
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
        /// `Analytics.resetAnalyticsData()`
        public var resetAnalyticsData: @MainActor @Sendable () throws -> Void

        public init(setConsent: @escaping @MainActor @Sendable ([ConsentType: Bool]) throws -> Void,
                    setAnalyticsCollectionEnabled: @escaping @MainActor @Sendable (Bool) throws -> Void,
                    resetAnalyticsData: @escaping @MainActor @Sendable () throws -> Void) {
            self.setConsent = setConsent
            self.setAnalyticsCollectionEnabled = setAnalyticsCollectionEnabled
            self.resetAnalyticsData = resetAnalyticsData
        }
    }

    private let calls: Calls
    private let adConsent: @Sendable () -> Bool
    private let sourceLock = NSLock()
    /// Where the signals come from. Guarded by `sourceLock`.
    private var source: (@Sendable () -> ConsentMode)?
    /// The signals last given to `setConsent` while on; main thread only.
    @MainActor private var applied: [ConsentType: Bool]?

    /// - Parameters:
    ///   - adConsent: without a Consent Mode source only: whether the advertising types are
    ///     granted when on (default: never).
    ///   - consentMode: where the signals come from (nil: the gatekeeper `SDKAdapters` attaches).
    public init(sdkId: String = "firebase_analytics", calls: Calls, adConsent: @escaping @Sendable () -> Bool = { false },
                consentMode: (@Sendable () -> ConsentMode)? = nil,
                memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default) {
        self.calls = calls
        self.adConsent = adConsent
        self.source = consentMode
        super.init(sdkId: sdkId, memory: memory, log: log)
    }

    override public func attach(_ gatekeeper: any GatekeeperProtocol) {
        sourceLock.lock()
        defer { sourceLock.unlock() }
        if source == nil { source = { gatekeeper.consentMode() } }
    }

    @MainActor
    override public func turnOn(restart: Bool, calls log: inout SDKCallLog) throws {
        let consent = signals()
        try log.call("Analytics.setConsent(\(Self.describe(consent)))") { try calls.setConsent(consent) }
        applied = consent
        try log.call("Analytics.setAnalyticsCollectionEnabled(true)") { try calls.setAnalyticsCollectionEnabled(true) }
    }

    @MainActor
    override public func refreshOn(calls log: inout SDKCallLog) throws {
        let consent = signals()
        if consent == applied { return }
        try log.call("Analytics.setConsent(\(Self.describe(consent)))") { try calls.setConsent(consent) }
        applied = consent
    }

    @MainActor
    override public func turnOff(calls log: inout SDKCallLog) throws {
        applied = nil
        let consent = Self.consent(analytics: false, ads: false)
        log.attempt("Analytics.setAnalyticsCollectionEnabled(false)") { try calls.setAnalyticsCollectionEnabled(false) }
        log.attempt("Analytics.setConsent(\(Self.describe(consent)))") { try calls.setConsent(consent) }
        log.attempt("Analytics.resetAnalyticsData()") { try calls.resetAnalyticsData() }
    }

    /// The four signals now: from the Consent Mode source, else the stand-alone defaults.
    private func signals() -> [ConsentType: Bool] {
        sourceLock.lock()
        let source = self.source
        sourceLock.unlock()
        guard let mode = source?() else { return Self.consent(analytics: true, ads: adConsent()) }
        return [
            .analyticsStorage: mode.analyticsStorage == .granted,
            .adStorage: mode.adStorage == .granted,
            .adUserData: mode.adUserData == .granted,
            .adPersonalization: mode.adPersonalization == .granted,
        ]
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
