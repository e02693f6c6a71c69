// Imports what the app's certified CMP (Google's UMP, or another) stored in UserDefaults under
// the IAB's keys, now and whenever it changes (contract section 11). The Swift counterpart of
// the Kotlin `dev.gatekeeper.ktx.TcfImporter`.

import Foundation

/// The keys a CMP writes in the app's standard UserDefaults (IAB TCF v2.2).
public enum IABTCFKeys {
    /// The TC string.
    public static let tcString = "IABTCF_TCString"
    /// Google's Additional Consent string (`2~…~dv.…`).
    public static let addtlConsent = "IABTCF_AddtlConsent"
    /// 1 when GDPR applies to the user, 0 when it does not (a number).
    public static let gdprApplies = "IABTCF_gdprApplies"
}

/// Reads `IABTCF_TCString` and `IABTCF_AddtlConsent` from `defaults` and imports them with
/// `tcfImport(tcString:acString:source:)`: once at `start()`, then whenever UserDefaults says it
/// changed (`UserDefaults.didChangeNotification`, which Apple's Foundation posts after every
/// change made in the app's process, as a CMP SDK makes them). The import grants and denies the
/// manifest's TCF-mapped purposes and vendor SDKs in one write, and the gatekeeper's listener
/// (its `ChangeCenter`, an `SDKGate`, the adapters) hears of every SDK it switches on or off.
///
/// - Nothing is imported while there is no TC string, or while `IABTCF_gdprApplies` is 0 (the
///   CMP says GDPR does not apply). A TC string that disappears records nothing: the choices
///   already recorded stand.
/// - The same pair of strings is imported once per importer (the notification comes for every
///   key of UserDefaults); the core also records nothing for strings identical to its last
///   import, so a launch that reads unchanged keys never undoes a choice made in the app since.
/// - Imports run on `queue` when one is given (the notification may come on the main thread),
///   else on the notifying thread; one at a time.
/// - A refused string (`TcfStale`: show the CMP's dialog again; `TcfInvalid`,
///   `TcfPolicyOutdated`) or a storage failure goes to `onError`, recording nothing; a refused
///   pair is not retried until the keys change, a storage failure is.
///
/// Thread-safe. `stop()` (or releasing the importer) stops observing.
public final class TCFImporter: @unchecked Sendable {
    private let gatekeeper: any GatekeeperProtocol
    private let defaults: UserDefaults
    private let source: String
    private let queue: DispatchQueue?
    private let onError: @Sendable (GatekeeperError) -> Void
    /// Guards `last` and `observer`, and makes imports one at a time.
    private let lock = NSRecursiveLock()
    private var last: (tc: String, ac: String?)?
    private var observer: NSObjectProtocol?

    /// The `source` an import records when the app names none.
    public static let defaultSource = "tcf_cmp"

    /// - Parameters:
    ///   - defaults: where the CMP writes; `.standard` for UMP and other CMP SDKs.
    ///   - source: the `source` recorded with the import's events.
    ///   - queue: where imports run (nil: on the thread that posted the change).
    ///   - onError: a refused string or a storage failure; nothing was recorded.
    public init(gatekeeper: any GatekeeperProtocol,
                defaults: UserDefaults = .standard,
                source: String = TCFImporter.defaultSource,
                queue: DispatchQueue? = nil,
                onError: @escaping @Sendable (GatekeeperError) -> Void = { _ in }) {
        self.gatekeeper = gatekeeper
        self.defaults = defaults
        self.source = source
        self.queue = queue
        self.onError = onError
    }

    deinit {
        if let observer { NotificationCenter.default.removeObserver(observer) }
    }

    /// Starts observing UserDefaults, and imports what the keys hold now.
    public func start() {
        lock.lock()
        if observer == nil {
            observer = NotificationCenter.default.addObserver(
                forName: UserDefaults.didChangeNotification, object: nil, queue: nil
            ) { [weak self] _ in
                self?.schedule()
            }
        }
        lock.unlock()
        schedule()
    }

    /// Stops observing. Harmless to call twice.
    public func stop() {
        lock.lock()
        let o = observer
        observer = nil
        lock.unlock()
        if let o { NotificationCenter.default.removeObserver(o) }
    }

    /// Imports what the keys hold now, on the calling thread, and returns what changed (empty
    /// when nothing was imported).
    ///
    /// - Throws: `GatekeeperError.TcfStale`, `.TcfInvalid`, `.TcfPolicyOutdated`, `.Storage`.
    @discardableResult
    public func importNow() throws -> [DecisionChange] {
        lock.lock()
        defer { lock.unlock() }
        if let applies = defaults.object(forKey: IABTCFKeys.gdprApplies) as? NSNumber, applies.intValue == 0 {
            return []
        }
        guard let tc = defaults.string(forKey: IABTCFKeys.tcString), !tc.isEmpty else { return [] }
        let ac = defaults.string(forKey: IABTCFKeys.addtlConsent).flatMap { $0.isEmpty ? nil : $0 }
        if let last, last.tc == tc, last.ac == ac { return [] }
        do {
            let changes = try gatekeeper.tcfImport(tcString: tc, acString: ac, source: source)
            last = (tc, ac)
            return changes
        } catch let error as GatekeeperError {
            // The same strings would be refused again; a storage failure may pass later.
            if case .Storage = error {} else { last = (tc, ac) }
            throw error
        }
    }

    private func schedule() {
        let run: @Sendable () -> Void = { [weak self] in
            guard let self else { return }
            do {
                try self.importNow()
            } catch let error as GatekeeperError {
                self.onError(error)
            } catch {
                self.onError(.Storage(message: "\(error)"))
            }
        }
        if let queue { queue.async(execute: run) } else { run() }
    }
}
