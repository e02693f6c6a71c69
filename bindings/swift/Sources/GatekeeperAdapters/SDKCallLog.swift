// The calls one switch made into an SDK, by name, for results and logs.

/// A call into an SDK that threw: `call` is its name, `error` the error's type name (never
/// its text, which may hold anything).
public struct SDKCallError: Error, Equatable, Sendable {
    public let call: String
    public let error: String

    public init(call: String, error: String) {
        self.call = call
        self.error = error
    }
}

/// Records each call a switch makes into its SDK, as `Type.member(arguments)` with the
/// arguments shown as booleans or enum case names only.
public struct SDKCallLog: Sendable {
    /// The calls made, in order.
    public private(set) var made: [String] = []
    /// The failures `attempt(_:_:)` caught, in order.
    public private(set) var failures: [SDKCallError] = []

    public init() {}

    /// Makes one SDK call, named `name`. A throw becomes an `SDKCallError` and ends the switch.
    public mutating func call(_ name: String, _ body: () throws -> Void) throws {
        made.append(name)
        do {
            try body()
        } catch let e as SDKCallError {
            throw e
        } catch {
            throw SDKCallError(call: name, error: String(describing: type(of: error)))
        }
    }

    /// Makes one SDK call whose failure must not keep the next ones from running (switching
    /// off, where every kill switch reached counts); a failure is recorded in `failures`.
    public mutating func attempt(_ name: String, _ body: () throws -> Void) {
        do {
            try call(name, body)
        } catch let e as SDKCallError {
            failures.append(e)
        } catch {
            failures.append(SDKCallError(call: name, error: String(describing: type(of: error))))
        }
    }

    /// Records a failure that escaped the calls (a throw between them).
    mutating func record(_ failure: SDKCallError) {
        failures.append(failure)
    }
}
