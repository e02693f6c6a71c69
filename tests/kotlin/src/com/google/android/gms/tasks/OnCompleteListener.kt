package com.google.android.gms.tasks

/** Stand-in with the real name and method of Google Play services' `OnCompleteListener<TResult>`. */
fun interface OnCompleteListener<TResult> {
    fun onComplete(task: Task<TResult>)
}
