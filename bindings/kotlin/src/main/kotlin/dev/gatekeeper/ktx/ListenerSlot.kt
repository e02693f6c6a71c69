// Who holds a gatekeeper's single change-listener slot. Plain Kotlin (no android.*).
package dev.gatekeeper.ktx

import dev.gatekeeper.GatekeeperInterface
import java.lang.ref.WeakReference
import java.util.WeakHashMap

/**
 * The gatekeeper has ONE change-listener slot: `setListener` replaces whatever listener was
 * there, silently. An [SdkGate] (so also an `SdkAdapters`) and a [DecisionCache] made with
 * `listen = true` each take that slot, so the second would disconnect the first, which would
 * then never hear a withdrawal again. This registry makes the second one fail loudly instead.
 *
 * It knows only the holders it was told about (the ktx classes), per gatekeeper object: a
 * listener the app sets itself with `setListener`, or a holder made over a wrapper of the
 * same gatekeeper, is not seen.
 */
internal object ListenerSlot {
    /** Holder per gatekeeper object (compared by identity: the generated class has no `equals`). */
    private val holders = WeakHashMap<GatekeeperInterface, WeakReference<Any>>()

    /**
     * Records [holder] as the listener of [gatekeeper]; throws [IllegalStateException] when a
     * ktx holder that was not closed already listens to it.
     */
    fun claim(gatekeeper: GatekeeperInterface, holder: Any) {
        synchronized(holders) {
            val current = holders[gatekeeper]?.get()
            check(current == null || current === holder) {
                "${holder.javaClass.simpleName}(listen = true): this gatekeeper's single change listener is " +
                    "already held by a ${current!!.javaClass.simpleName}, which would silently stop hearing " +
                    "changes. Close that one first, or create one of them with listen = false and forward " +
                    "each notification to its applyChanges from the listener (see bindings/README.md)."
            }
            holders[gatekeeper] = WeakReference(holder)
        }
    }

    /** Forgets [holder] (on close), if it still is the recorded one. */
    fun release(gatekeeper: GatekeeperInterface, holder: Any) {
        synchronized(holders) {
            if (holders[gatekeeper]?.get() === holder) holders.remove(gatekeeper)
        }
    }
}
