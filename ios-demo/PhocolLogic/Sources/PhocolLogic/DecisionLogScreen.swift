// The screen that shows the decision log (contract §6), newest first.

import Foundation
import GatekeeperCore

/// The decision log, one line per logged decision: a row is written whenever a subject's
/// verdict, reason or policy version changes, and repeats only count. Newest first, so a user
/// or a tester sees what was allowed, when, and why.
public final class DecisionLogScreen: Sendable {
    private let gatekeeper: any GatekeeperProtocol

    public init(gatekeeper: any GatekeeperProtocol) {
        self.gatekeeper = gatekeeper
    }

    /// The rows, newest first. An unreadable store shows none (and `lines` says so).
    public func rows() -> [LogEntry] {
        ((try? gatekeeper.log()) ?? []).sorted { $0.id > $1.id }
    }

    /// `2026-01-01 00:00  sdk:facebook  ask separate_consent_required  ×3`: first seen,
    /// subject, verdict and reason (the contract's codes), times seen.
    public func lines(timeZone: TimeZone = .current) -> [String] {
        let rows = rows()
        if rows.isEmpty { return ["No decisions logged yet."] }
        return rows.map { r in
            let count = r.count > 1 ? "  ×\(r.count)" : ""
            return "\(format(r.firstSeen, timeZone))  \(r.subject)  \(r.verdict.code) \(r.reason.code)\(count)"
        }
    }
}
