package com.google.android.gms.auth.api.signin

import android.content.Context
import android.content.Intent
import com.google.android.gms.tasks.Task
import dev.gatekeeper.tests.standins.StandInGmsTask
import dev.gatekeeper.tests.standins.StandInLog
import dev.gatekeeper.tests.standins.StandInTasks

/** Stand-in for GoogleSignInOptions, with its DEFAULT_SIGN_IN field and nested Builder. */
class GoogleSignInOptions private constructor(val email: Boolean) {
    class Builder(private val base: GoogleSignInOptions) {
        private var email = base.email

        fun requestEmail(): Builder {
            StandInLog.record("GoogleSignInOptions.Builder.requestEmail()")
            email = true
            return this
        }

        fun build(): GoogleSignInOptions = GoogleSignInOptions(email)
    }

    companion object {
        @JvmField val DEFAULT_SIGN_IN = GoogleSignInOptions(false)
    }
}

/** Stand-in for GoogleSignInClient. */
class GoogleSignInClient internal constructor(val options: GoogleSignInOptions) {
    fun getSignInIntent(): Intent {
        StandInLog.record("GoogleSignInClient.getSignInIntent()")
        return Intent("com.google.android.gms.auth.GOOGLE_SIGN_IN")
    }

    /** A `Task<Void>` that completes as [StandInTasks] says. */
    fun signOut(): Task<Void?> {
        StandInLog.record("GoogleSignInClient.signOut()")
        return StandInTasks.start(StandInGmsTask("GoogleSignInClient.signOut()"))
    }
}

/** Stand-in with the real class name and static getClient of Google Sign-In. */
object GoogleSignIn {
    @JvmStatic fun getClient(context: Context, options: GoogleSignInOptions): GoogleSignInClient {
        StandInLog.record("GoogleSignIn.getClient(Context, GoogleSignInOptions)")
        return GoogleSignInClient(options)
    }
}
