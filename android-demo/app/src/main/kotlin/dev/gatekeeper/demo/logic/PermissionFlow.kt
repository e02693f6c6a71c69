package dev.gatekeeper.demo.logic

import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.PermissionResult
import dev.gatekeeper.Reason
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter

/** What the UI should do when the user taps a feature that needs an OS permission. */
sealed class PermissionStep {
    abstract val permission: String
    abstract val decision: Decision

    /** `allow`: show the OS prompt now, then pass its answer to [PermissionFlow.record]. */
    data class ShowSystemPrompt(override val permission: String, override val decision: Decision) : PermissionStep()

    /**
     * `ask` because the privacy policy was never accepted (or a MAJOR update must be
     * accepted): show the policy dialog, not the OS prompt.
     */
    data class ShowPolicy(
        override val permission: String,
        override val decision: Decision,
        val isUpdate: Boolean,
    ) : PermissionStep()

    /**
     * `ask` for consent: show a consent prompt for exactly [purposes] and [sdks]; on
     * agreement call [PermissionFlow.grantAndRetry]. [byGuardian] is true when the user is a
     * child and the grant must come from a guardian.
     */
    data class AskConsent(
        override val permission: String,
        override val decision: Decision,
        val purposes: List<String>,
        val sdks: List<String>,
        val byGuardian: Boolean,
    ) : PermissionStep()

    /** `deny recently_denied`: do not prompt; tell the user they can try again after [retryAfter]. */
    data class TryAgainLater(
        override val permission: String,
        override val decision: Decision,
        val retryAfter: Instant?,
    ) : PermissionStep()

    /** `deny denied_permanently`: the OS will not prompt again; offer the system settings. */
    data class OpenSystemSettings(override val permission: String, override val decision: Decision) : PermissionStep()

    /**
     * Any other `deny` (the user refused the purpose, the request was not user-initiated, an
     * unknown id, an unusable store): do nothing now.
     */
    data class Blocked(override val permission: String, override val decision: Decision) : PermissionStep()
}

/**
 * The just-in-time permission flow (contract §4 rules 2, 3, 4 and 6; MIIT: no prompts at
 * launch, none outside the feature that needs them, no re-prompt soon after a refusal):
 *
 * 1. [request] asks `decidePermission(id, Trigger.USER_ACTION)` BEFORE any OS prompt and maps the
 *    decision to a [PermissionStep].
 * 2. The UI shows the OS prompt only for [PermissionStep.ShowSystemPrompt].
 * 3. [record] passes the OS answer to `recordPermissionResult`.
 *
 * Plain Kotlin: the Android activity maps [PermissionStep] to dialogs and
 * `ActivityResultContracts.RequestPermission`, and converts the OS answer with [androidResult].
 */
class PermissionFlow(private val gatekeeper: Gatekeeper) {

    /**
     * Step 1. [trigger] is `USER_ACTION` for a tap; anything else is denied for user-initiated
     * permissions. A consent prompt for a child is marked [PermissionStep.AskConsent.byGuardian]
     * (a child's grant counts only when a guardian gives it).
     */
    fun request(permission: String, trigger: Trigger = Trigger.USER_ACTION): PermissionStep {
        val step = stepFor(permission, gatekeeper.decidePermission(permission, trigger))
        if (step is PermissionStep.AskConsent && !step.byGuardian && isChild()) return step.copy(byGuardian = true)
        return step
    }

    private fun isChild(): Boolean = try {
        gatekeeper.state().child
    } catch (e: GatekeeperException) {
        false
    }

    /** Step 3: records what the OS answered; returns the decisions it changed. */
    fun record(permission: String, result: PermissionResult): List<DecisionChange> =
        gatekeeper.recordPermissionResult(permission, result)

    /**
     * The user agreed in the consent prompt of [step]: records a grant for exactly the listed
     * purposes and SDKs — `separate`, because a just-in-time prompt is dedicated to them — and
     * decides again.
     */
    fun grantAndRetry(step: PermissionStep.AskConsent, source: String = ConsentSource.JUST_IN_TIME): PermissionStep {
        gatekeeper.grant(step.purposes, step.sdks, true, step.byGuardian, source)
        return request(step.permission)
    }

    /** The user refused in the consent prompt of [step]: records the refusal. */
    fun refuse(step: PermissionStep.AskConsent, source: String = ConsentSource.JUST_IN_TIME): List<DecisionChange> =
        gatekeeper.deny(step.purposes, step.sdks, source)

    companion object {
        /** Maps a decision to the UI step. Public so a cached decision can be mapped too. */
        fun stepFor(permission: String, d: Decision): PermissionStep = when (d.verdict) {
            Verdict.ALLOW -> PermissionStep.ShowSystemPrompt(permission, d)
            Verdict.ASK -> when (d.reason) {
                Reason.POLICY_NOT_ACCEPTED -> PermissionStep.ShowPolicy(permission, d, isUpdate = false)
                Reason.POLICY_UPDATE_REQUIRES_ACCEPTANCE -> PermissionStep.ShowPolicy(permission, d, isUpdate = true)
                else -> PermissionStep.AskConsent(
                    permission,
                    d,
                    d.purposes,
                    d.sdks,
                    byGuardian = d.reason == Reason.GUARDIAN_CONSENT_REQUIRED,
                )
            }
            Verdict.DENY -> when (d.reason) {
                Reason.RECENTLY_DENIED -> PermissionStep.TryAgainLater(permission, d, d.retryAfter)
                Reason.DENIED_PERMANENTLY -> PermissionStep.OpenSystemSettings(permission, d)
                else -> PermissionStep.Blocked(permission, d)
            }
        }

        /**
         * Converts Android's answer to the ledger's value. [granted] comes from
         * `ActivityResultContracts.RequestPermission`; the two flags are
         * `shouldShowRequestPermissionRationale` read just before launching the prompt and
         * just after it answered.
         *
         * - a refusal after which Android would show a rationale: `DENIED` (it may prompt again);
         * - a rationale before but none after: the user chose "don't ask again" (or refused a
         *   second time on Android 11+), so the system will not prompt again: `DENIED_PERMANENTLY`;
         * - no rationale before or after: the dialog was dismissed (or never shown): `DENIED`,
         *   the cautious reading, which still blocks re-prompting for the reprompt window.
         */
        fun androidResult(granted: Boolean, rationaleBefore: Boolean, rationaleAfter: Boolean): PermissionResult = when {
            granted -> PermissionResult.GRANTED
            rationaleAfter -> PermissionResult.DENIED
            rationaleBefore -> PermissionResult.DENIED_PERMANENTLY
            else -> PermissionResult.DENIED
        }

        private val TIME: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")

        /** A short message for the UI, or null when the step needs a dialog of its own. */
        fun message(step: PermissionStep, zone: ZoneId = ZoneId.systemDefault()): String? = when (step) {
            is PermissionStep.TryAgainLater ->
                step.retryAfter?.let { "You declined this recently. You can try again after ${TIME.format(it.atZone(zone))}." }
                    ?: "You declined this recently. Please try again later."
            is PermissionStep.OpenSystemSettings ->
                "Access was turned off in the system settings. Open Settings to allow it."
            is PermissionStep.Blocked -> "Not available right now (${step.decision.reason.name.lowercase()})."
            else -> null
        }
    }
}
