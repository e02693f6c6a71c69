package dev.gatekeeper.tests.standins

import java.util.concurrent.CopyOnWriteArrayList

/**
 * What the stand-in SDK classes (tests/kotlin/src/com/..., named like the real SDKs) were
 * called with, in call order, as `Class.method(args)`. Tests may add their own markers.
 * Global, like the SDKs it stands in for: tests reset it first and run one at a time.
 */
object StandInLog {
    val calls: MutableList<String> = CopyOnWriteArrayList()

    /** When set, the next call whose label starts with it throws IllegalStateException. */
    @Volatile
    var failNext: String? = null

    /**
     * When set, every call whose label starts with it throws IllegalStateException, as a call
     * missing from an SDK version fails every time.
     */
    @Volatile
    var failing: String? = null

    fun reset() {
        calls.clear()
        failNext = null
        failing = null
        StandInTasks.reset()
    }

    fun record(call: String) {
        val f = failNext
        if (f != null && call.startsWith(f)) {
            failNext = null
            throw IllegalStateException("stand-in failure")
        }
        val always = failing
        if (always != null && call.startsWith(always)) throw IllegalStateException("stand-in failure")
        calls += call
    }

    /** The calls made on the stand-in class [simpleName]. */
    fun of(simpleName: String): List<String> = calls.filter { it.startsWith("$simpleName.") }
}
