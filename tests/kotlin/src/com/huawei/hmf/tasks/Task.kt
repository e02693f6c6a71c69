package com.huawei.hmf.tasks

/** Stand-in with the real name and abstract methods of HMS's `Task<TResult>` (`com.huawei.hmf.tasks`). */
abstract class Task<TResult> {
    abstract fun isComplete(): Boolean
    abstract fun isSuccessful(): Boolean
    abstract fun isCanceled(): Boolean
    abstract fun getResult(): TResult
    abstract fun getException(): Exception?
    abstract fun addOnCompleteListener(listener: OnCompleteListener<TResult>): Task<TResult>
}
