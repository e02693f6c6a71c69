package com.google.android.gms.tasks

/** Stand-in with the real name and abstract methods of Google Play services' `Task<TResult>` (`com.google.android.gms.tasks`). */
abstract class Task<TResult> {
    abstract fun isComplete(): Boolean
    abstract fun isSuccessful(): Boolean
    abstract fun isCanceled(): Boolean
    abstract fun getResult(): TResult
    abstract fun getException(): Exception?
    abstract fun addOnCompleteListener(listener: OnCompleteListener<TResult>): Task<TResult>
}
