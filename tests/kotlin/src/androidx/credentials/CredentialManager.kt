package androidx.credentials

import android.content.Context
import android.os.CancellationSignal
import androidx.credentials.exceptions.ClearCredentialException
import androidx.credentials.exceptions.ClearCredentialUnknownException
import dev.gatekeeper.tests.standins.StandInLog
import dev.gatekeeper.tests.standins.StandInTasks
import java.util.concurrent.Executor

/**
 * Stand-in with the real name, companion `create` and `clearCredentialStateAsync` of
 * `androidx.credentials.CredentialManager` (an interface; its implementation is private, as
 * the library's is not part of its API). The callback completes as [StandInTasks] says.
 */
interface CredentialManager {
    fun clearCredentialStateAsync(
        request: ClearCredentialStateRequest,
        cancellationSignal: CancellationSignal?,
        executor: Executor,
        callback: CredentialManagerCallback<Void?, ClearCredentialException>,
    )

    companion object {
        @JvmStatic fun create(context: Context): CredentialManager {
            StandInLog.record("CredentialManager.create(Context)")
            return Impl()
        }
    }

    private class Impl : CredentialManager {
        override fun clearCredentialStateAsync(
            request: ClearCredentialStateRequest,
            cancellationSignal: CancellationSignal?,
            executor: Executor,
            callback: CredentialManagerCallback<Void?, ClearCredentialException>,
        ) {
            val call = "CredentialManager.clearCredentialStateAsync(ClearCredentialStateRequest)"
            StandInLog.record(call)
            StandInTasks.start(
                object : StandInTasks.Completion {
                    override val call = call
                    override fun succeed() = executor.execute { callback.onResult(null) }
                    override fun fail(e: Exception) = executor.execute { callback.onError(ClearCredentialUnknownException()) }
                },
            )
        }
    }
}
