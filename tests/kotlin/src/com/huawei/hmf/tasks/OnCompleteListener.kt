package com.huawei.hmf.tasks

/** Stand-in with the real name and method of HMS's `OnCompleteListener<TResult>`. */
fun interface OnCompleteListener<TResult> {
    fun onComplete(task: Task<TResult>)
}
