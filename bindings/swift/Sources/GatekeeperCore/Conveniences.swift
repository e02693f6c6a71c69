// Small Swift conveniences over the uniffi-generated API: the counterpart of the Kotlin
// `dev.gatekeeper.ktx` extensions. Every one of them calls the generated API, nothing else.

import Foundation

/// The `source` recorded with a choice when the caller names none.
public let defaultConsentSource = "app"

extension Gatekeeper {
    /// Opens (or creates) the store at `dbPath` for the policy in `manifestJson`, on the
    /// system clock unless a `timeSource` is given.
    ///
    /// - Throws: `GatekeeperError.InvalidManifest` (every problem, with its JSON path),
    ///   `.PolicyMismatch`, `.NewerSchema`, `.Storage`.
    public static func open(dbPath: String, manifestJson: String, timeSource: TimeSource? = nil) throws -> Gatekeeper {
        try open(dbPath: dbPath, manifestJson: manifestJson, options: GatekeeperOptions(timeSource: timeSource))
    }
}

extension GatekeeperProtocol {
    /// `deny(purposes:sdks:source:byGuardian:)` by the user, not a guardian: the call as it
    /// was before issue 13, kept for code that holds a `GatekeeperProtocol` (a protocol
    /// requirement has no default argument).
    public func deny(purposes: [String], sdks: [String], source: String) throws -> [DecisionChange] {
        try deny(purposes: purposes, sdks: sdks, source: source, byGuardian: false)
    }

    /// `withdraw(purposes:sdks:source:byGuardian:)` by the user, not a guardian (see `deny`).
    public func withdraw(purposes: [String], sdks: [String], source: String) throws -> [DecisionChange] {
        try withdraw(purposes: purposes, sdks: sdks, source: source, byGuardian: false)
    }
}

extension Decision {
    /// True when the verdict is `allow`.
    public var isAllowed: Bool { verdict == .allow }

    /// The id part of the subject (`sdk:facebook` → `facebook`).
    public var subjectId: String {
        guard let colon = subject.firstIndex(of: ":") else { return subject }
        return String(subject[subject.index(after: colon)...])
    }
}

extension DecisionChange {
    /// The SDK id when the subject is an SDK (`sdk:facebook` → `facebook`), else nil.
    public var sdkId: String? {
        subject.hasPrefix(sdkSubjectPrefix) ? String(subject.dropFirst(sdkSubjectPrefix.count)) : nil
    }
}

/// `sdk:`, the prefix of an SDK's subject.
let sdkSubjectPrefix = "sdk:"

extension GatekeeperProtocol {
    /// May the app show this permission prompt now, for a user's tap (`.userAction`)?
    public func decidePermission(id: String) -> Decision {
        decidePermission(id: id, trigger: .userAction)
    }

    /// Decides every SDK in `ids` in one call across the FFI and returns the decisions by
    /// SDK id. An id the core gave no answer for is left out.
    public func decideSdks(_ ids: [String]) -> [String: Decision] {
        guard !ids.isEmpty else { return [:] }
        let decisions = decideMany(subjects: ids.map { .sdk(id: $0) })
        return Dictionary(zip(ids, decisions), uniquingKeysWith: { _, last in last })
    }
}

/// A `TimeSource` from a closure (tests pin the clock; apps normally pass none).
public final class ClosureTimeSource: TimeSource {
    private let clock: @Sendable () throws -> Date

    public init(_ now: @escaping @Sendable () throws -> Date) {
        clock = now
    }

    public func now() throws -> Date {
        try clock()
    }
}

/// A `ChangeListener` from a closure. For more than one listener, or an `AsyncStream` of
/// changes, use the gatekeeper's `ChangeCenter` instead of `setListener(listener:)`.
public final class ClosureChangeListener: ChangeListener {
    private let handler: @Sendable ([DecisionChange]) throws -> Void

    public init(_ handler: @escaping @Sendable ([DecisionChange]) throws -> Void) {
        self.handler = handler
    }

    public func onChange(changes: [DecisionChange]) throws {
        try handler(changes)
    }
}

extension Verdict {
    /// The contract's spelling (`allow`, `ask`, `deny`), as the CLI's JSON and the decision
    /// log write it: for logs, analytics and screens that must match them.
    public var code: String { snakeCase(String(describing: self)) }
}

extension Reason {
    /// The contract's reason code (`consent_withdrawn`, `not_user_initiated`, …), as the CLI's
    /// JSON and the decision log write it.
    public var code: String { snakeCase(String(describing: self)) }
}

/// `consentWithdrawn` → `consent_withdrawn` (uniffi names the cases after the Rust ones).
private func snakeCase(_ camel: String) -> String {
    var out = ""
    for ch in camel {
        if ch.isUppercase {
            out += "_" + ch.lowercased()
        } else {
            out.append(ch)
        }
    }
    return out
}
