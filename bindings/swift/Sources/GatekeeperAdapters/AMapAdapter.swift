// AMap (Gaode) map, location and search SDKs, manifest id `amap`.

import GatekeeperCore

/// AMap (高德) map, location and search SDKs, manifest id `amap`. Each kit the app links
/// (`MAMapView` of MAMapKit, `AMapLocationManager` of AMapLocationKit, `AMapSearchAPI` of
/// AMapSearchKit) gets the same pair of calls.
///
/// - On: for each kit, `updatePrivacyShow(.didShow, privacyInfo: .didContain)` (the policy
///   that names AMap was shown) then `updatePrivacyAgree(.didAgree)`.
/// - Off: for each kit, `updatePrivacyAgree(.notAgree)`, each attempted; AMap then refuses to
///   work until agreed again.
///
/// ```swift
/// import MAMapKit
///
/// let amap = AMapAdapter(kits: [
///     .init(name: "MAMapView",
///           updatePrivacyShow: { MAMapView.updatePrivacyShow(.didShow, privacyInfo: .didContain) },
///           updatePrivacyAgree: { MAMapView.updatePrivacyAgree($0 ? .didAgree : .notAgree) }),
/// ], memory: UserDefaultsSwitchMemory())
/// ```
///
/// It has no Info.plist switch, but does nothing before `updatePrivacyAgree(.didAgree)`:
/// create no `MAMapView`, `AMapLocationManager` or search object before allow.
///
/// Names checked against AMap's public headers (`MAMapView.h`, "Privacy 隐私合规":
/// `+ updatePrivacyShow:privacyInfo:` and `+ updatePrivacyAgree:`, to be called before a
/// `MAMapView` is created; the same pair on `AMapSearchAPI` and the location and navigation
/// kits; statuses `AMapPrivacyShowStatusDidShow`, `AMapPrivacyInfoStatusDidContain`,
/// `AMapPrivacyAgreeStatusDidAgree` / `…NotAgree`).
public final class AMapAdapter: SDKAdapter, @unchecked Sendable {
    /// One AMap kit's privacy calls.
    public struct Kit: Sendable {
        /// The class the calls are made on, for logs (`MAMapView`, `AMapLocationManager`, …).
        public var name: String
        /// `<Class>.updatePrivacyShow(.didShow, privacyInfo: .didContain)`
        public var updatePrivacyShow: @MainActor @Sendable () throws -> Void
        /// `<Class>.updatePrivacyAgree($0 ? .didAgree : .notAgree)`
        public var updatePrivacyAgree: @MainActor @Sendable (Bool) throws -> Void

        public init(name: String,
                    updatePrivacyShow: @escaping @MainActor @Sendable () throws -> Void,
                    updatePrivacyAgree: @escaping @MainActor @Sendable (Bool) throws -> Void) {
            self.name = name
            self.updatePrivacyShow = updatePrivacyShow
            self.updatePrivacyAgree = updatePrivacyAgree
        }
    }

    private let kits: [Kit]

    public init(sdkId: String = "amap", kits: [Kit],
                memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default) {
        self.kits = kits
        super.init(sdkId: sdkId, memory: memory, log: log)
    }

    @MainActor
    override public func turnOn(restart: Bool, calls log: inout SDKCallLog) throws {
        for kit in kits {
            try log.call("\(kit.name).updatePrivacyShow(didShow, privacyInfo: didContain)") { try kit.updatePrivacyShow() }
            try log.call("\(kit.name).updatePrivacyAgree(didAgree)") { try kit.updatePrivacyAgree(true) }
        }
    }

    @MainActor
    override public func turnOff(calls log: inout SDKCallLog) throws {
        for kit in kits {
            log.attempt("\(kit.name).updatePrivacyAgree(notAgree)") { try kit.updatePrivacyAgree(false) }
        }
    }
}
