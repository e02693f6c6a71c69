// The core's errors as Swift errors that say what was wrong and where.
//
// uniffi generates `GatekeeperError` (one case per kind of failure, each carrying the core's
// message) and `CallbackError`; bindings/uniffi-swift.toml leaves out uniffi's own
// `LocalizedError` conformance, whose `errorDescription` is the debug dump of the case. Here
// `localizedDescription`, `description` and `message` are the message itself, so
// `"\(error)"`, `error.localizedDescription` and an alert all show, for example,
// "invalid manifest (2 problem(s)): /sdks/0/purposes/0: `ads` is not a declared purpose; …".

import Foundation

extension GatekeeperError: LocalizedError, CustomStringConvertible {
    /// The core's message: what was wrong and where (for a manifest, every problem with its
    /// JSON path). Never a profile value: the core's messages carry no personal data.
    public var message: String {
        switch self {
        case let .InvalidManifest(message), let .PolicyMismatch(message), let .NewerSchema(message),
             let .UnknownId(message), let .InvalidArgument(message), let .Storage(message),
             let .LedgerTampered(message), let .Closed(message), let .TcfInvalid(message),
             let .TcfStale(message), let .TcfPolicyOutdated(message):
            return message
        }
    }

    /// A stable name for the kind of failure, in the CLI's `--json` spelling, for logs and
    /// analytics that should not carry the message. `Storage` covers both the CLI's
    /// `store_unavailable` (cannot open) and `store_error` (failed while open).
    public var code: String {
        switch self {
        case .InvalidManifest: return "invalid_manifest"
        case .PolicyMismatch: return "policy_mismatch"
        case .NewerSchema: return "newer_schema"
        case .UnknownId: return "unknown_id"
        case .InvalidArgument: return "invalid_argument"
        case .Storage: return "store_error"
        case .LedgerTampered: return "ledger_tampered"
        case .Closed: return "store_closed"
        case .TcfInvalid: return "tcf_invalid"
        case .TcfStale: return "tcf_stale"
        case .TcfPolicyOutdated: return "tcf_policy_outdated"
        }
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}

extension CallbackError: LocalizedError, CustomStringConvertible {
    /// What the app's callback reported.
    public var message: String {
        switch self {
        case let .Failed(message): return message
        }
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}
