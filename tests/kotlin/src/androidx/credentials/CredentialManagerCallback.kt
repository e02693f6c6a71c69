package androidx.credentials

/** Stand-in with the real name and methods of `androidx.credentials.CredentialManagerCallback<R, E>`. */
interface CredentialManagerCallback<R, E : Any> {
    fun onResult(result: R)
    fun onError(e: E)
}
