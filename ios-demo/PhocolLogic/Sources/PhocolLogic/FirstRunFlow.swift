// The first-run privacy dialog: agree, or browse only.

import Foundation
import GatekeeperCore

/// Which privacy screen the app must show at launch, if any.
public enum LaunchScreen: Equatable, Sendable {
    /// The policy was never accepted (or the store was erased): the first-run dialog.
    case acceptPolicy
    /// The policy was accepted under an older MAJOR version: the user decides afresh.
    case acceptUpdatedPolicy
    /// The user is a child and the policy was not accepted by a guardian.
    case guardianAcceptance
    /// A MINOR update: a notice of the changes, nothing to accept.
    case noticeOfChanges
    /// Nothing to show: the home screen.
    case home
}

/// How the app runs after the first-run dialog.
public enum AppMode: Equatable, Sendable {
    /// The dialog was not answered yet.
    case undecided
    /// The user agreed to the policy: the SDKs the gatekeeper allows are started.
    case full
    /// "Browse only": nothing is recorded and nothing is started (MIIT: an app must keep a
    /// basic mode for users who do not agree). Every SDK and permission keeps answering
    /// `ask policy_not_accepted`, so the app stays closed without extra checks.
    case browseOnly
}

/// The first-run privacy dialog: agree → `acceptPolicy(source: "first_run_dialog")` and
/// start the SDKs the gatekeeper now allows; disagree → browse only: record nothing, start
/// nothing.
public final class FirstRunFlow: @unchecked Sendable {
    private let gatekeeper: any GatekeeperProtocol
    private let sdks: SDKRegistry
    private let lock = NSLock()
    private var currentMode = AppMode.undecided

    public init(gatekeeper: any GatekeeperProtocol, sdks: SDKRegistry) {
        self.gatekeeper = gatekeeper
        self.sdks = sdks
    }

    public var mode: AppMode {
        lock.lock()
        defer { lock.unlock() }
        return currentMode
    }

    /// Which screen to show at launch. A store that cannot be read fails closed: the policy dialog.
    public func launchScreen() -> LaunchScreen {
        guard let s = try? gatekeeper.state() else { return .acceptPolicy }
        let screen: LaunchScreen
        if !s.policyAccepted && s.acceptedVersion == nil {
            screen = .acceptPolicy
        } else if !s.policyAccepted {
            screen = .acceptUpdatedPolicy
        } else if s.child && !s.acceptedByGuardian {
            screen = .guardianAcceptance
        } else if s.noticePending {
            screen = .noticeOfChanges
        } else {
            screen = .home
        }
        if screen == .home || screen == .noticeOfChanges { setMode(.full) }
        return screen
    }

    /// "Agree": records the acceptance (durable when this returns), then starts the SDKs now
    /// allowed, with one `decideMany` call. `byGuardian` when a guardian accepted for a child.
    @discardableResult
    public func agree(byGuardian: Bool = false) throws -> SDKRefresh {
        _ = try gatekeeper.acceptPolicy(byGuardian: byGuardian, source: ConsentSource.firstRunDialog)
        setMode(.full)
        // The registry heard the acceptance already and started what it allowed; this is
        // then a no-op, and otherwise it does the work.
        return sdks.startAllowed()
    }

    /// "Disagree" / "Browse only": records nothing and starts nothing. The dialog returns at
    /// the next launch.
    public func disagree() {
        setMode(.browseOnly)
    }

    private func setMode(_ mode: AppMode) {
        lock.lock()
        currentMode = mode
        lock.unlock()
    }
}
