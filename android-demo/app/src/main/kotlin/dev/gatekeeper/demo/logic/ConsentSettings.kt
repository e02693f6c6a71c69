package dev.gatekeeper.demo.logic

import dev.gatekeeper.Basis
import dev.gatekeeper.ChoiceStatus
import dev.gatekeeper.ConsentState
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.ItemStatus
import dev.gatekeeper.Law
import dev.gatekeeper.Role
import dev.gatekeeper.SdkInfo

/** One switch on the consent screen. */
data class ConsentToggle(
    val id: String,
    val isSdk: Boolean,
    /** On when the item has a grant in force (for an SDK: a separate one). */
    val on: Boolean,
    /** The item's standing choice, as the state reports it. */
    val status: ChoiceStatus,
)

/**
 * The consent screen and the privacy settings: one switch per purpose (e.g. analytics,
 * personalised_ads) and per SDK that needs its own, separate consent (e.g. facebook).
 * Withdrawing is one call, exactly as easy as granting (GDPR Art. 7(3)); the gatekeeper's
 * listener (the [SdkRegistry]) stops the affected SDKs in that same call.
 */
class ConsentSettings(private val gatekeeper: Gatekeeper) {

    /**
     * The settings screen: one switch per purpose the user can refuse (every purpose whose
     * basis is not `contract` or `legal_obligation`), then one per SDK that needs its own
     * consent for this user ([needsOwnConsent]), in manifest order.
     */
    fun screen(): List<ConsentToggle> {
        val manifest = gatekeeper.manifest()
        val state = gatekeeper.state()
        val purposes = manifest.purposes
            .filter { it.basis != Basis.CONTRACT && it.basis != Basis.LEGAL_OBLIGATION }
            .map { it.id }
        val sdks = manifest.sdks.filter { needsOwnConsent(it, state) }.map { it.id }
        return toggles(purposes, sdks)
    }

    /** The switches for [purposes] and [sdks], in that order, from the current state. */
    fun toggles(purposes: List<String>, sdks: List<String>): List<ConsentToggle> {
        val state = gatekeeper.state()
        val p = state.purposes.associateBy { it.id }
        val s = state.sdks.associateBy { it.id }
        return purposes.map { toggle(it, false, p[it]) } + sdks.map { toggle(it, true, s[it]) }
    }

    private fun toggle(id: String, isSdk: Boolean, item: ItemStatus?): ConsentToggle {
        val status = item?.status ?: ChoiceStatus.UNDECIDED
        val on = status == ChoiceStatus.GRANTED && (!isSdk || item?.separate == true)
        return ConsentToggle(id, isSdk, on, status)
    }

    /** Switches a purpose on (grant) or off. */
    fun setPurpose(id: String, on: Boolean, source: String = ConsentSource.SETTINGS): List<DecisionChange> =
        set(listOf(id), emptyList(), on, source)

    /** Switches an SDK's own consent on (a separate grant: this switch is dedicated to it) or off. */
    fun setSdk(id: String, on: Boolean, source: String = ConsentSource.SETTINGS): List<DecisionChange> =
        set(emptyList(), listOf(id), on, source)

    /**
     * Grants are `separate` (each switch is dedicated to one item). Switching off withdraws a
     * grant, or records a refusal for an item never decided; switching off an item already
     * off records nothing.
     */
    private fun set(purposes: List<String>, sdks: List<String>, on: Boolean, source: String): List<DecisionChange> {
        if (on) return gatekeeper.grant(purposes, sdks, true, false, source)
        val state = gatekeeper.state()
        val status = (state.purposes.filter { it.id in purposes } + state.sdks.filter { it.id in sdks })
            .firstOrNull()?.status ?: ChoiceStatus.UNDECIDED
        return when (status) {
            ChoiceStatus.GRANTED -> gatekeeper.withdraw(purposes, sdks, source)
            ChoiceStatus.UNDECIDED -> gatekeeper.deny(purposes, sdks, source)
            ChoiceStatus.DENIED, ChoiceStatus.WITHDRAWN -> emptyList()
        }
    }

    companion object {
        /**
         * Whether [sdk] needs a separate grant of its own for this user (contract §4 rule 5):
         * under PIPL, an `independent` SDK, or one whose vendor is in another country than the
         * user's (or either is unknown). Under GDPR and opt_out, no SDK does.
         */
        fun needsOwnConsent(sdk: SdkInfo, state: ConsentState): Boolean =
            state.law == Law.PIPL &&
                (sdk.role == Role.INDEPENDENT || sdk.vendorCountry == null || sdk.vendorCountry != state.country)
    }

    /** "Withdraw all" in the settings: every listed purpose and SDK that is currently granted. */
    fun withdrawAll(purposes: List<String>, sdks: List<String>, source: String = ConsentSource.SETTINGS): List<DecisionChange> {
        val state = gatekeeper.state()
        val p = state.purposes.filter { it.id in purposes && it.status == ChoiceStatus.GRANTED }.map { it.id }
        val s = state.sdks.filter { it.id in sdks && it.status == ChoiceStatus.GRANTED }.map { it.id }
        if (p.isEmpty() && s.isEmpty()) return emptyList()
        return gatekeeper.withdraw(p, s, source)
    }
}
