// The just-in-time permission flow: ask the gatekeeper before any OS prompt (contract §4
// rules 2, 3, 4 and 6; MIIT: no prompts at launch, none outside the feature that needs them,
// no re-prompt soon after a refusal).

import Foundation
import GatekeeperCore

/// What the UI should do when the user taps a feature that needs an OS permission.
public enum PermissionStep: Equatable, Sendable {
    /// `allow`: show the OS prompt now (AVFoundation, Core Location…), then pass its answer
    /// to `PermissionFlow.record`.
    case showSystemPrompt(permission: String, decision: Decision)
    /// `ask` because the privacy policy was never accepted (or a MAJOR update must be): show
    /// the policy dialog, not the OS prompt.
    case showPolicy(permission: String, decision: Decision, isUpdate: Bool)
    /// `ask` for consent: a consent prompt for exactly `purposes` and `sdks`; on agreement,
    /// `PermissionFlow.grantAndRetry`. `byGuardian` when the user is a child.
    case askConsent(permission: String, decision: Decision, purposes: [String], sdks: [String], byGuardian: Bool)
    /// `deny recently_denied`: do not prompt; the user may try again after `retryAfter`.
    case tryAgainLater(permission: String, decision: Decision, retryAfter: Date?)
    /// `deny denied_permanently`: iOS will not prompt again; offer the Settings app.
    case openSystemSettings(permission: String, decision: Decision)
    /// Any other `deny` (a refused purpose, not user-initiated, an unknown id, an unusable
    /// store): do nothing now.
    case blocked(permission: String, decision: Decision)

    public var permission: String {
        switch self {
        case let .showSystemPrompt(p, _), let .showPolicy(p, _, _), let .askConsent(p, _, _, _, _),
             let .tryAgainLater(p, _, _), let .openSystemSettings(p, _), let .blocked(p, _):
            return p
        }
    }

    public var decision: Decision {
        switch self {
        case let .showSystemPrompt(_, d), let .showPolicy(_, d, _), let .askConsent(_, d, _, _, _),
             let .tryAgainLater(_, d, _), let .openSystemSettings(_, d), let .blocked(_, d):
            return d
        }
    }
}

/// iOS's authorization status for a permission, as `AVAuthorizationStatus`,
/// `CLAuthorizationStatus`, `PHAuthorizationStatus`… report it (the app maps its framework's
/// value to this, so the logic here needs no UIKit).
public enum IOSAuthorizationStatus: Sendable {
    case notDetermined, authorized, limited, denied, restricted
}

/// The just-in-time permission flow: `request` decides BEFORE any OS prompt, the UI shows the
/// OS prompt only for `.showSystemPrompt`, and `record` passes the OS answer to the ledger.
public final class PermissionFlow: Sendable {
    private let gatekeeper: any GatekeeperProtocol

    public init(gatekeeper: any GatekeeperProtocol) {
        self.gatekeeper = gatekeeper
    }

    /// Step 1: what to do for a tap (`.userAction`; anything else is denied for user-initiated
    /// permissions). A consent prompt for a child is marked `byGuardian`.
    public func request(_ permission: String, trigger: Trigger = .userAction) -> PermissionStep {
        let step = Self.step(for: permission, gatekeeper.decidePermission(id: permission, trigger: trigger))
        if case let .askConsent(p, d, purposes, sdks, false) = step, (try? gatekeeper.state().child) == true {
            return .askConsent(permission: p, decision: d, purposes: purposes, sdks: sdks, byGuardian: true)
        }
        return step
    }

    /// Step 3: records what iOS answered; returns the decisions it changed.
    @discardableResult
    public func record(_ permission: String, _ result: PermissionResult) throws -> [DecisionChange] {
        try gatekeeper.recordPermissionResult(permission: permission, result: result)
    }

    /// The user agreed in the consent prompt of `step`: a grant for exactly its purposes and
    /// SDKs (`separate`: the prompt is dedicated to them), then decides again.
    public func grantAndRetry(_ step: PermissionStep, source: String = ConsentSource.justInTime) throws -> PermissionStep {
        guard case let .askConsent(permission, _, purposes, sdks, byGuardian) = step else { return step }
        _ = try gatekeeper.grant(purposes: purposes, sdks: sdks, separate: true, byGuardian: byGuardian, source: source)
        return request(permission)
    }

    /// The user refused in the consent prompt of `step`: records the refusal.
    @discardableResult
    public func refuse(_ step: PermissionStep, source: String = ConsentSource.justInTime) throws -> [DecisionChange] {
        guard case let .askConsent(_, _, purposes, sdks, _) = step else { return [] }
        return try gatekeeper.deny(purposes: purposes, sdks: sdks, source: source)
    }

    /// Maps a decision to the UI step (public, so a cached decision can be mapped too).
    public static func step(for permission: String, _ d: Decision) -> PermissionStep {
        switch (d.verdict, d.reason) {
        case (.allow, _):
            return .showSystemPrompt(permission: permission, decision: d)
        case (.ask, .policyNotAccepted):
            return .showPolicy(permission: permission, decision: d, isUpdate: false)
        case (.ask, .policyUpdateRequiresAcceptance):
            return .showPolicy(permission: permission, decision: d, isUpdate: true)
        case (.ask, let reason):
            return .askConsent(permission: permission, decision: d, purposes: d.purposes, sdks: d.sdks,
                               byGuardian: reason == .guardianConsentRequired)
        case (.deny, .recentlyDenied):
            return .tryAgainLater(permission: permission, decision: d, retryAfter: d.retryAfter)
        case (.deny, .deniedPermanently):
            return .openSystemSettings(permission: permission, decision: d)
        case (.deny, _):
            return .blocked(permission: permission, decision: d)
        }
    }

    /// iOS's answer in the ledger's terms. iOS shows its prompt once: a refusal in the prompt
    /// just shown (`promptShownNow`) is `denied`, which keeps the app from asking again with
    /// its own explanation for the re-prompt window; a tap that finds the permission already
    /// refused or restricted is `deniedPermanently` (only the Settings app can change it).
    public static func iosResult(_ status: IOSAuthorizationStatus, promptShownNow: Bool) -> PermissionResult? {
        switch status {
        case .authorized, .limited: return .granted
        case .denied, .restricted: return promptShownNow ? .denied : .deniedPermanently
        case .notDetermined: return nil // nothing answered yet
        }
    }

    /// A short message for the UI, or nil when the step needs a dialog of its own.
    public static func message(_ step: PermissionStep, timeZone: TimeZone = .current) -> String? {
        switch step {
        case let .tryAgainLater(_, _, retryAfter?):
            return "You declined this recently. You can try again after \(format(retryAfter, timeZone))."
        case .tryAgainLater:
            return "You declined this recently. Please try again later."
        case .openSystemSettings:
            return "Access was turned off in Settings. Open Settings to allow it."
        case let .blocked(_, d):
            return "Not available right now (\(d.reason.code))."
        default:
            return nil
        }
    }
}

/// `2026-01-03 00:00` in `timeZone`, as every screen of the demo shows times.
func format(_ date: Date, _ timeZone: TimeZone) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = timeZone
    f.dateFormat = "yyyy-MM-dd HH:mm"
    return f.string(from: date)
}
