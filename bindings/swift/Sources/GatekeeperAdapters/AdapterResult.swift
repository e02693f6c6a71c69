// What one switch of an SDK adapter did.

/// What one call of an adapter did. Every result names the adapter's SDK id.
public enum AdapterResult: Equatable, Sendable {
    /// The SDK's consent API was called on the main thread; `calls` names each call, in order.
    case applied(sdkId: String, on: Bool, calls: [String])
    /// The SDK already was in the state asked for: nothing was called.
    case alreadyInState(sdkId: String, on: Bool)
    /// Called off the main thread: the SDK's calls were queued for the main thread, behind
    /// every SDK call queued before them, and run at its next turn. Their outcome reaches the
    /// adapter's log and `SDKAdapters.recentResults()`.
    case queuedForMainThread(sdkId: String, on: Bool)
    /// `call` threw (when several calls of a switch-off failed, the first); `error` is the
    /// error's type name, never its text. The adapter treats the SDK as off (fail closed): a
    /// failed start is tried again on the next allow, a failed stop on the next switch-off.
    case failed(sdkId: String, call: String, error: String)

    /// The SDK id of the adapter that made this result.
    public var sdkId: String {
        switch self {
        case let .applied(id, _, _), let .alreadyInState(id, _), let .queuedForMainThread(id, _),
             let .failed(id, _, _):
            return id
        }
    }

    /// True when, after this call, the adapter holds the SDK switched on (or about to be, on
    /// the main thread's next turn).
    public var isOn: Bool {
        switch self {
        case let .applied(_, on, _), let .alreadyInState(_, on), let .queuedForMainThread(_, on): return on
        case .failed: return false
        }
    }
}
