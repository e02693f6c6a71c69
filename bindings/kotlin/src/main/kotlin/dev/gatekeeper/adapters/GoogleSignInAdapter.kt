package dev.gatekeeper.adapters

import java.util.concurrent.Executor
import java.util.logging.Level

/**
 * Google Sign-In, manifest id `google_sign_in`, through either API an app uses:
 *
 * - **Credential Manager** (`androidx.credentials.CredentialManager`, with
 *   `com.google.android.libraries.identity.googleid` for "Sign in with Google"), the current API;
 * - the **legacy** Google Sign-In for Android (`com.google.android.gms.auth.api.signin.GoogleSignIn`,
 *   play-services-auth), deprecated by Google and scheduled for removal, kept for older apps.
 *
 * The SDK is present when either is. It starts only on a user action, after allow:
 *
 * - On (allow): nothing is called; sign-in becomes available ([isOn]).
 * - Sign-in, when the user taps "Sign in with Google", only while [isOn]: with Credential
 *   Manager the app builds its own `GetCredentialRequest` (with a `GetGoogleIdOption` or
 *   `GetSignInWithGoogleOption` carrying its server client id) and calls
 *   `CredentialManager.getCredential` — check [isOn] first, nothing here builds it; with the
 *   legacy API, [signInIntent] builds the `Intent`.
 * - Off: with Credential Manager, `CredentialManager.create(context).clearCredentialStateAsync(
 *   ClearCredentialStateRequest(), null, executor, callback)`, which clears the signed-in
 *   state of every credential provider for this app; with the legacy API,
 *   `GoogleSignIn.getClient(context, options).signOut()`. Both when the app has both.
 *   (Revoking the app's access, `revokeAccess()`, belongs to account deletion.)
 *
 * Both stops report their real outcome: `signOut()` returns a
 * `com.google.android.gms.tasks.Task<Void>` and `clearCredentialStateAsync` calls back
 * `onResult` or `onError`. A result already there is read at once (a failure fails the
 * switch); one still to come makes the result [AdapterResult.Applied] with the call in
 * `pending`, its outcome arriving through [AdapterOptions.lateResults]; a late failure leaves
 * the SDK remembered as possibly on, so the next switch-off tries again. Nothing blocks.
 *
 * Keep it from starting itself: it has no manifest switch and does nothing until called; do
 * not call `GoogleSignIn.getLastSignedInAccount`, `silentSignIn` or Credential Manager's
 * `getCredential` (auto-select) before allow. (iOS: do not call
 * `GIDSignIn.sharedInstance.restorePreviousSignIn` before allow.)
 *
 * Names checked against the Android reference: `androidx.credentials.CredentialManager`
 * (`companion fun create(context: Context): CredentialManager`; `fun
 * clearCredentialStateAsync(request: ClearCredentialStateRequest, cancellationSignal:
 * CancellationSignal?, executor: Executor, callback: CredentialManagerCallback<Void?,
 * ClearCredentialException>)`), `ClearCredentialStateRequest()`, `CredentialManagerCallback`
 * (`onResult(result)`, `onError(e)`); play-services-auth `GoogleSignIn.getClient(Context,
 * GoogleSignInOptions)`, `GoogleSignInOptions.Builder(GoogleSignInOptions.DEFAULT_SIGN_IN)
 * .requestEmail().build()`, `GoogleSignInClient.signOut(): Task<Void>`, `getSignInIntent()`.
 *
 * @param context the Android `Context` or `Activity` (typed `Any`).
 * @param signInOptions builds the app's own legacy `GoogleSignInOptions` (e.g. with a server
 *   client id); null: the default above.
 */
class GoogleSignInAdapter(
    private val context: Any,
    private val signInOptions: ((SdkCalls) -> Any)? = null,
    sdkId: String = "google_sign_in",
    options: AdapterOptions = AdapterOptions(),
) : SdkAdapter(sdkId, CLASS, options) {

    override fun turnOn(calls: SdkCalls, restart: Boolean) {
        // Nothing starts until the user asks to sign in.
    }

    override fun turnOff(calls: SdkCalls) {
        if (calls.classOrNull(CREDENTIAL_MANAGER) != null) {
            calls.attempt {
                val manager = calls.static(CREDENTIAL_MANAGER, "create", context)
                    ?: throw SdkCallException("CredentialManager.create", "null")
                val request = calls.construct(CLEAR_REQUEST)
                val callback = calls.callback("CredentialManager.clearCredentialStateAsync", CALLBACK)
                calls.on(manager, "clearCredentialStateAsync", request, null, DirectExecutor, callback)
            }
        }
        if (calls.classOrNull(CLASS) != null) calls.attempt { calls.onTask(client(calls), "signOut") }
    }

    /** Present when Credential Manager or the legacy Google Sign-In is in the app. */
    override fun isPresent(): Boolean {
        val calls = SdkCalls(loader)
        return calls.classOrNull(CREDENTIAL_MANAGER) != null || calls.classOrNull(CLASS) != null
    }

    /**
     * Legacy API: the `Intent` that starts Google's sign-in screen (typed `Any`), built now
     * because the user asked; null when Google Sign-In is not allowed, the legacy API is absent,
     * or it failed (see the log). With Credential Manager, check [isOn] and call
     * `getCredential` yourself.
     */
    fun signInIntent(): Any? {
        if (!isOn) {
            log.log(Level.INFO, "$sdkId: sign-in not allowed now; nothing called")
            return null
        }
        val calls = SdkCalls(loader)
        return try {
            calls.on(client(calls), "getSignInIntent").also {
                log.log(Level.INFO, "$sdkId: sign-in started by the user: ${calls.made.joinToString()}")
            }
        } catch (e: SdkCallException) {
            log.log(Level.WARNING, "$sdkId: sign-in failed at ${e.call}: ${e.error}")
            null
        }
    }

    private fun client(calls: SdkCalls): Any {
        val opts = signInOptions?.invoke(calls) ?: defaultOptions(calls)
        return calls.static(CLASS, "getClient", context, opts) ?: throw SdkCallException("GoogleSignIn.getClient", "null")
    }

    private fun defaultOptions(calls: SdkCalls): Any {
        val default = calls.staticField(OPTIONS, "DEFAULT_SIGN_IN") ?: throw SdkCallException("GoogleSignInOptions.DEFAULT_SIGN_IN", "null")
        val builder = calls.construct(BUILDER, default)
        calls.on(builder, "requestEmail")
        return calls.on(builder, "build") ?: throw SdkCallException("GoogleSignInOptions.Builder.build", "null")
    }

    /** Runs Credential Manager's callback on the thread that completes the request. */
    private object DirectExecutor : Executor {
        override fun execute(command: Runnable) = command.run()
    }

    companion object {
        const val CLASS = "com.google.android.gms.auth.api.signin.GoogleSignIn"
        const val OPTIONS = "com.google.android.gms.auth.api.signin.GoogleSignInOptions"
        const val BUILDER = "com.google.android.gms.auth.api.signin.GoogleSignInOptions\$Builder"
        const val CREDENTIAL_MANAGER = "androidx.credentials.CredentialManager"
        const val CLEAR_REQUEST = "androidx.credentials.ClearCredentialStateRequest"
        const val CALLBACK = "androidx.credentials.CredentialManagerCallback"
        /** The task type legacy `signOut()` returns, and its listener. */
        const val TASK = "com.google.android.gms.tasks.Task"
        const val ON_COMPLETE = "com.google.android.gms.tasks.OnCompleteListener"
    }
}
