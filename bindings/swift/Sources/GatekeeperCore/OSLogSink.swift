// Forwards the Rust core's log lines to Apple's unified logging (os_log, through `Logger`).
//
// Only where `os` exists (Apple platforms); `swift test` on Linux builds without it.

#if canImport(os)
import Foundation
import os

/// A `LogSink` that writes the core's log lines to the unified log, under the subsystem of
/// the app (its bundle id by default) and the category "Gatekeeper".
///
/// The core logs operations, ids of purposes, SDKs and permissions, and counts only — never a
/// profile value, a country, an age or anything else that identifies the user (see
/// core/src/logging.rs). So the message, and the Rust module path it comes from, are logged
/// with `privacy: .public`, which keeps them readable in Console and sysdiagnose instead of
/// `<private>`. Nothing else from the app is ever passed through this sink.
///
/// Install it once, early (e.g. in the App's init), before opening the Gatekeeper:
///
///     OSLogSink.install()
@available(iOS 14.0, macOS 11.0, tvOS 14.0, watchOS 7.0, *)
public final class OSLogSink: LogSink, @unchecked Sendable {
    private let logger: Logger

    public init(subsystem: String = Bundle.main.bundleIdentifier ?? "dev.gatekeeper",
                category: String = "Gatekeeper") {
        logger = Logger(subsystem: subsystem, category: category)
    }

    public func log(level: LogLevel, target: String, message: String) throws {
        switch level {
        case .error:
            logger.error("[\(target, privacy: .public)] \(message, privacy: .public)")
        case .warn:
            logger.warning("[\(target, privacy: .public)] \(message, privacy: .public)")
        case .info:
            logger.info("[\(target, privacy: .public)] \(message, privacy: .public)")
        case .debug:
            logger.debug("[\(target, privacy: .public)] \(message, privacy: .public)")
        case .trace:
            logger.trace("[\(target, privacy: .public)] \(message, privacy: .public)")
        }
    }

    /// Installs a sink for the whole process. Only the first installation takes effect (the
    /// core keeps one logger); returns whether this call installed it.
    @discardableResult
    public static func install(maxLevel: LogLevel = .info,
                               subsystem: String = Bundle.main.bundleIdentifier ?? "dev.gatekeeper") -> Bool {
        installLogSink(sink: OSLogSink(subsystem: subsystem), maxLevel: maxLevel)
    }
}
#endif
