// Google Sign-In (GoogleSignIn), manifest id `google_sign_in`.

import GatekeeperCore

/// Google Sign-In (`GoogleSignIn`), manifest id `google_sign_in`. It starts only on a user
/// action, after allow:
///
/// - On (allow): nothing is called; sign-in becomes available.
/// - `signIn(presenting:completion:)`, when the user taps "Sign in with Google": only while
///   on, `GIDSignIn.sharedInstance.signIn(withPresenting:completion:)`, and Google's result
///   or error goes back to the app's `completion`. Not allowed: returns false, calls nothing.
/// - Off: `GIDSignIn.sharedInstance.signOut()`, so the cached account is no longer used
///   (revoking access, `disconnect(completion:)`, belongs to account deletion).
///
/// Generic over the presenting view controller and Google's result type, so this package
/// needs neither UIKit nor GoogleSignIn:
///
/// ```swift
/// import GoogleSignIn
/// import UIKit
///
/// let google = GoogleSignInAdapter<UIViewController, GIDSignInResult>(calls: .init(
///     signIn: { presenting, done in GIDSignIn.sharedInstance.signIn(withPresenting: presenting, completion: done) },
///     signOut: { GIDSignIn.sharedInstance.signOut() }
/// ), memory: UserDefaultsSwitchMemory())
///
/// // On the tap:
/// let started = google.signIn(presenting: rootViewController) { result in
///     switch result {
///     case .success(let signIn): handle(signIn.user)
///     case .failure(let error): show(error)
///     }
/// }
/// ```
///
/// Do not call `GIDSignIn.sharedInstance.restorePreviousSignIn` before allow.
///
/// Names checked against GoogleSignIn-iOS (`GoogleSignIn/Sources/Public/GoogleSignIn/GIDSignIn.h`:
/// `sharedInstance`; `- signInWithPresentingViewController:completion:`, imported in Swift as
/// `signIn(withPresenting:completion:)`, whose completion gets `GIDSignInResult?` and `Error?`
/// "asynchronously on the main queue"; `- signOut`).
public final class GoogleSignInAdapter<Presenter, SignInResult>: SDKAdapter, @unchecked Sendable {
    /// The SDK's own calls, as the app's code makes them.
    public struct Calls: Sendable {
        /// `GIDSignIn.sharedInstance.signIn(withPresenting: $0, completion: $1)`
        public var signIn: @MainActor @Sendable (_ presenting: Presenter,
                                                 _ completion: @escaping (SignInResult?, (any Error)?) -> Void) -> Void
        /// `GIDSignIn.sharedInstance.signOut()`
        public var signOut: @MainActor @Sendable () throws -> Void

        public init(signIn: @escaping @MainActor @Sendable (Presenter, @escaping (SignInResult?, (any Error)?) -> Void) -> Void,
                    signOut: @escaping @MainActor @Sendable () throws -> Void) {
            self.signIn = signIn
            self.signOut = signOut
        }
    }

    /// Google's completion gave neither a result nor an error.
    public struct NoResult: Error, Sendable {}

    private let calls: Calls
    private let log: AdapterLog

    public init(sdkId: String = "google_sign_in", calls: Calls,
                memory: SwitchMemory = InMemorySwitchMemory(), log: AdapterLog = .default) {
        self.calls = calls
        self.log = log
        super.init(sdkId: sdkId, memory: memory, log: log)
    }

    @MainActor
    override public func turnOn(restart: Bool, calls log: inout SDKCallLog) throws {
        // Nothing starts until the user asks to sign in.
    }

    @MainActor
    override public func turnOff(calls log: inout SDKCallLog) throws {
        log.attempt("GIDSignIn.signOut()") { try calls.signOut() }
    }

    /// The user tapped "Sign in with Google": starts Google's flow only while allowed, and
    /// hands Google's result, or its error, to `completion` (Google calls it on the main
    /// queue). Returns false, and calls nothing, when sign-in is not allowed now.
    @MainActor
    @discardableResult
    public func signIn(presenting: Presenter,
                       completion: @escaping (Result<SignInResult, any Error>) -> Void) -> Bool {
        guard isOn else {
            log(.info, "\(sdkId): sign-in not allowed now; nothing called")
            return false
        }
        log(.info, "\(sdkId): sign-in started by the user: GIDSignIn.signIn(withPresenting:completion:)")
        calls.signIn(presenting) { result, error in
            if let result {
                completion(.success(result))
            } else {
                completion(.failure(error ?? NoResult()))
            }
        }
        return true
    }
}
