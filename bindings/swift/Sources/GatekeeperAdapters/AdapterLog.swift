// Where adapters say what they did: SDK ids and the names of the calls, never arguments'
// values or errors' texts, so nothing personal reaches a log.

import Foundation
#if canImport(os)
import os
#endif

/// The adapters' log. `.default` is the unified log (subsystem `dev.gatekeeper`, category
/// `Adapters`) on Apple platforms, and standard error elsewhere.
public struct AdapterLog: Sendable {
    public enum Level: String, Sendable {
        case info, warning
    }

    private let write: @Sendable (Level, String) -> Void

    public init(_ write: @escaping @Sendable (_ level: Level, _ message: String) -> Void) {
        self.write = write
    }

    public func callAsFunction(_ level: Level, _ message: String) {
        write(level, message)
    }

    /// Drops every line.
    public static let silent = AdapterLog { _, _ in }

    #if canImport(os)
    public static let `default`: AdapterLog = {
        let logger = Logger(subsystem: "dev.gatekeeper", category: "Adapters")
        return AdapterLog { level, message in
            switch level {
            case .info: logger.info("\(message, privacy: .public)")
            case .warning: logger.warning("\(message, privacy: .public)")
            }
        }
    }()
    #else
    public static let `default` = AdapterLog { level, message in
        FileHandle.standardError.write(Data("[gatekeeper.adapters] \(level.rawValue): \(message)\n".utf8))
    }
    #endif
}
