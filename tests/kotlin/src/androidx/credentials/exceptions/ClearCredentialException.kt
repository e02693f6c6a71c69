package androidx.credentials.exceptions

/** Stand-in for `androidx.credentials.exceptions.ClearCredentialException` (abstract in the library). */
abstract class ClearCredentialException(val type: String, message: CharSequence?) : Exception(message?.toString())

/** Stand-in for `ClearCredentialUnknownException`, what a failed clear reports. */
class ClearCredentialUnknownException(message: CharSequence? = null) :
    ClearCredentialException("android.credentials.ClearCredentialStateException.TYPE_UNKNOWN", message)
