// The consent screen and the privacy settings: a switch per purpose and per SDK that needs
// its own consent; withdrawing is one call, as easy as granting.

import GatekeeperCore

/// One switch on the consent screen.
public struct ConsentToggle: Equatable, Sendable {
    public let id: String
    public let isSDK: Bool
    /// On when the item has a grant in force (for an SDK: a separate one).
    public let on: Bool
    /// The item's standing choice, as the state reports it.
    public let status: ChoiceStatus
}

/// The consent screen and the privacy settings: one switch per purpose the user may refuse
/// and per SDK that needs its own, separate consent. Withdrawing is one call, exactly as easy
/// as granting (GDPR Art. 7(3)); the SDK registry stops the affected SDKs in that same call.
public final class ConsentSettings: Sendable {
    private let gatekeeper: any GatekeeperProtocol

    public init(gatekeeper: any GatekeeperProtocol) {
        self.gatekeeper = gatekeeper
    }

    /// The settings screen: a switch per purpose whose basis is neither `contract` nor
    /// `legal_obligation`, then per SDK that needs its own consent for this user (and runs on
    /// iOS), in manifest order.
    public func screen() throws -> [ConsentToggle] {
        let manifest = gatekeeper.manifest()
        let state = try gatekeeper.state()
        let purposes = manifest.purposes.filter { $0.basis != .contract && $0.basis != .legalObligation }.map(\.id)
        let sdks = manifest.sdks.filter { $0.platforms.contains("ios") && Self.needsOwnConsent($0, state: state) }.map(\.id)
        return Self.toggles(purposes: purposes, sdks: sdks, state: state)
    }

    /// The switches for `purposes` and `sdks`, in that order, from the current state.
    public func toggles(purposes: [String], sdks: [String]) throws -> [ConsentToggle] {
        Self.toggles(purposes: purposes, sdks: sdks, state: try gatekeeper.state())
    }

    /// Switches a purpose on (a separate grant: the switch is dedicated to it) or off.
    @discardableResult
    public func setPurpose(_ id: String, on: Bool, source: String = ConsentSource.settings) throws -> [DecisionChange] {
        try set(purposes: [id], sdks: [], on: on, source: source)
    }

    /// Switches an SDK's own consent on (a separate grant) or off.
    @discardableResult
    public func setSDK(_ id: String, on: Bool, source: String = ConsentSource.settings) throws -> [DecisionChange] {
        try set(purposes: [], sdks: [id], on: on, source: source)
    }

    /// "Withdraw all": every listed purpose and SDK that is granted now, in one call.
    @discardableResult
    public func withdrawAll(purposes: [String], sdks: [String], source: String = ConsentSource.settings) throws -> [DecisionChange] {
        let state = try gatekeeper.state()
        let p = state.purposes.filter { purposes.contains($0.id) && $0.status == .granted }.map(\.id)
        let s = state.sdks.filter { sdks.contains($0.id) && $0.status == .granted }.map(\.id)
        if p.isEmpty && s.isEmpty { return [] }
        return try gatekeeper.withdraw(purposes: p, sdks: s, source: source)
    }

    /// Whether `sdk` needs a separate grant of its own for this user (contract §4 rule 5):
    /// under PIPL, an `independent` SDK, or one whose vendor is in another country than the
    /// user's (or either is unknown). Under GDPR and opt_out, none does.
    public static func needsOwnConsent(_ sdk: SdkInfo, state: ConsentState) -> Bool {
        state.law == .pipl && (sdk.role == .independent || sdk.vendorCountry == nil || sdk.vendorCountry != state.country)
    }

    /// Switching on is a separate grant. Switching off withdraws a grant, or records a refusal
    /// for an item never decided; an item already off records nothing.
    private func set(purposes: [String], sdks: [String], on: Bool, source: String) throws -> [DecisionChange] {
        if on { return try gatekeeper.grant(purposes: purposes, sdks: sdks, separate: true, byGuardian: false, source: source) }
        let state = try gatekeeper.state()
        let item = state.purposes.first { purposes.contains($0.id) } ?? state.sdks.first { sdks.contains($0.id) }
        switch item?.status ?? .undecided {
        case .granted: return try gatekeeper.withdraw(purposes: purposes, sdks: sdks, source: source)
        case .undecided: return try gatekeeper.deny(purposes: purposes, sdks: sdks, source: source)
        case .denied, .withdrawn: return []
        }
    }

    private static func toggles(purposes: [String], sdks: [String], state: ConsentState) -> [ConsentToggle] {
        func toggle(_ id: String, isSDK: Bool, _ item: ItemStatus?) -> ConsentToggle {
            let status = item?.status ?? .undecided
            return ConsentToggle(id: id, isSDK: isSDK, on: status == .granted && (!isSDK || item?.separate == true), status: status)
        }
        return purposes.map { id in toggle(id, isSDK: false, state.purposes.first { $0.id == id }) }
            + sdks.map { id in toggle(id, isSDK: true, state.sdks.first { $0.id == id }) }
    }
}
