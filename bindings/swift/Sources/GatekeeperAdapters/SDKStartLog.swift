// The start log (contract §9.3): where adapters record each real start and stop of their
// SDK, so that a QA run on a device or simulator can prove, with `gatekeeper audit` on the
// pulled store (or `Gatekeeper.audit(graceSeconds:)` on the device), that no SDK started
// before its allow and every SDK stopped after a withdrawal. The Swift counterpart of the
// Kotlin `SdkStartLog` / `GatekeeperStartLog`.

import Foundation
import GatekeeperCore

/// Where an adapter records each real start and stop of its SDK.
public protocol SDKStartLog: Sendable {
    /// The adapter's calls switched `sdkId` on.
    func started(_ sdkId: String)
    /// The adapter's calls switched `sdkId` off.
    func stopped(_ sdkId: String)
}

/// The start log in the gatekeeper's ledger (`recordSdkStarted` / `recordSdkStopped`). A
/// write that fails is logged, never thrown: the SDK has been switched already, and the
/// missing record makes the audit fail, as it should. `SDKAdapters` gives every adapter one
/// unless the adapter was made with a start log of its own.
public final class GatekeeperStartLog: SDKStartLog, @unchecked Sendable {
    private let gatekeeper: any GatekeeperProtocol
    private let log: AdapterLog

    public init(gatekeeper: any GatekeeperProtocol, log: AdapterLog = .default) {
        self.gatekeeper = gatekeeper
        self.log = log
    }

    public func started(_ sdkId: String) {
        record(sdkId, "start") { try gatekeeper.recordSdkStarted(id: sdkId) }
    }

    public func stopped(_ sdkId: String) {
        record(sdkId, "stop") { try gatekeeper.recordSdkStopped(id: sdkId) }
    }

    private func record(_ sdkId: String, _ what: String, _ call: () throws -> Void) {
        do {
            try call()
        } catch {
            log(.warning, "\(sdkId): the \(what) could not be recorded in the start log: \(type(of: error))")
        }
    }
}
