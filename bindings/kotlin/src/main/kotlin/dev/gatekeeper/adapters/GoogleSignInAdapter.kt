package dev.gatekeeper.adapters

import java.util.logging.Level

/**
 * Google Sign-In (`com.google.android.gms.auth.api.signin.GoogleSignIn`), manifest id
 * `google_sign_in`. It starts only on a user action, after allow:
 *
 * - On (allow): nothing is called; sign-in becomes available.
 * - [signInIntent], called when the user taps "Sign in with Google": only while on, builds
 *   `GoogleSignInOptions.Builder(GoogleSignInOptions.DEFAULT_SIGN_IN).requestEmail().build()`
 *   (or the app's [signInOptions]), `GoogleSignIn.getClient(context, options)` and returns
 *   `getSignInIntent()` for the app to launch. Not allowed: returns null and calls nothing.
 * - Off: `getClient(context, options).signOut()`, so the cached account is no longer used.
 *   (Revoking the app's access, `revokeAccess()`, belongs to account deletion.)
 *
 * Keep it from starting itself: it has no manifest switch and does nothing until called; do
 * not call `GoogleSignIn.getLastSignedInAccount` or `silentSignIn` before allow. (iOS: do
 * not call `GIDSignIn.sharedInstance.restorePreviousSignIn` before allow.)
 *
 * @param context the Android `Context` or `Activity` (typed `Any`).
 * @param signInOptions builds the app's own `GoogleSignInOptions` (e.g. with a server client id);
 *   null: the default above.
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
        calls.on(client(calls), "signOut")
    }

    /**
     * The `Intent` that starts Google's sign-in screen (typed `Any`), built now because the user
     * asked; null when Google Sign-In is not allowed, absent, or failed (see the log).
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

    companion object {
        const val CLASS = "com.google.android.gms.auth.api.signin.GoogleSignIn"
        const val OPTIONS = "com.google.android.gms.auth.api.signin.GoogleSignInOptions"
        const val BUILDER = "com.google.android.gms.auth.api.signin.GoogleSignInOptions\$Builder"
    }
}
