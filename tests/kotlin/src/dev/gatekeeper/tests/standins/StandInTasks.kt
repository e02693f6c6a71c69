package dev.gatekeeper.tests.standins

import java.util.concurrent.CopyOnWriteArrayList

/**
 * How the stand-ins' asynchronous calls (HMS and Google tasks, Credential Manager callbacks)
 * complete: at once with success (the default), at once with a failure, or later, when the
 * test completes them through [pending]. Global, like [StandInLog]; reset with it.
 */
object StandInTasks {
    enum class Mode { SUCCEED, FAIL, LATER }

    @Volatile
    var mode = Mode.SUCCEED

    /** The calls left to complete in [Mode.LATER], oldest first. */
    val pending: MutableList<Completion> = CopyOnWriteArrayList()

    fun reset() {
        mode = Mode.SUCCEED
        pending.clear()
    }

    /** One asynchronous result for a test to complete. */
    interface Completion {
        /** The call it belongs to, as [StandInLog] recorded it. */
        val call: String
        fun succeed()
        fun fail(e: Exception)
    }

    /** Completes [c] as [mode] says, or keeps it in [pending]. */
    fun <T : Completion> start(c: T): T {
        when (mode) {
            Mode.SUCCEED -> c.succeed()
            Mode.FAIL -> c.fail(IllegalStateException("stand-in task failure"))
            Mode.LATER -> pending += c
        }
        return c
    }

    /** The state a stand-in task keeps, shared by the HMS and Google ones. */
    class TaskState<L>(private val notify: (L) -> Unit) {
        @Volatile var complete = false
        @Volatile var exception: Exception? = null
        private val listeners = CopyOnWriteArrayList<L>()

        fun add(l: L) {
            synchronized(this) { if (!complete) listeners += l else null } ?: notify(l)
        }

        fun finish(e: Exception?) {
            synchronized(this) {
                if (complete) return
                exception = e
                complete = true
            }
            listeners.forEach(notify)
        }
    }
}

/** A stand-in HMS task (what `HmsMessaging.turnOnPush()` / `turnOffPush()` return). */
class StandInHmsTask(override val call: String) : com.huawei.hmf.tasks.Task<Void?>(), StandInTasks.Completion {
    private val state = StandInTasks.TaskState<com.huawei.hmf.tasks.OnCompleteListener<Void?>> { it.onComplete(this) }
    override fun isComplete() = state.complete
    override fun isSuccessful() = state.complete && state.exception == null
    override fun isCanceled() = false
    override fun getResult(): Void? = null
    override fun getException() = state.exception
    override fun addOnCompleteListener(listener: com.huawei.hmf.tasks.OnCompleteListener<Void?>) = apply { state.add(listener) }
    override fun succeed() = state.finish(null)
    override fun fail(e: Exception) = state.finish(e)
}

/** A stand-in Google Play services task (what `GoogleSignInClient.signOut()` returns). */
class StandInGmsTask(override val call: String) : com.google.android.gms.tasks.Task<Void?>(), StandInTasks.Completion {
    private val state = StandInTasks.TaskState<com.google.android.gms.tasks.OnCompleteListener<Void?>> { it.onComplete(this) }
    override fun isComplete() = state.complete
    override fun isSuccessful() = state.complete && state.exception == null
    override fun isCanceled() = false
    override fun getResult(): Void? = null
    override fun getException() = state.exception
    override fun addOnCompleteListener(listener: com.google.android.gms.tasks.OnCompleteListener<Void?>) = apply { state.add(listener) }
    override fun succeed() = state.finish(null)
    override fun fail(e: Exception) = state.finish(e)
}
