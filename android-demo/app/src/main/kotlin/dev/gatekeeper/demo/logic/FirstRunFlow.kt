package dev.gatekeeper.demo.logic

import dev.gatekeeper.ConsentState
import dev.gatekeeper.Gatekeeper

/** Which privacy screen the app must show at launch, if any. */
enum class LaunchScreen {
    /** The policy was never accepted (or the store was erased): first-run dialog. */
    ACCEPT_POLICY,

    /** The policy was accepted under an older MAJOR version: the user decides afresh. */
    ACCEPT_UPDATED_POLICY,

    /** The user is a child and the policy was not accepted by a guardian. */
    GUARDIAN_ACCEPTANCE,

    /** A MINOR update: show a notice of the changes, nothing to accept. */
    NOTICE_OF_CHANGES,

    /** Nothing to show. */
    NONE,
}

/** How the app runs after the first-run dialog. */
enum class AppMode {
    /** The dialog was not answered yet. */
    UNDECIDED,

    /** The user agreed to the policy: SDKs the gatekeeper allows are started. */
    FULL,

    /**
     * The user chose "browse only": nothing is recorded and nothing is started (MIIT: an app
     * must offer a basic mode to users who do not agree). Permission and SDK decisions keep
     * answering `ask policy_not_accepted`, so the app stays closed without extra checks.
     */
    BROWSE_ONLY,
}

/**
 * The first-run privacy dialog: agree → `acceptPolicy(source = "first_run_dialog")` and start
 * the SDKs the gatekeeper now allows; browse only → record nothing, start nothing.
 */
class FirstRunFlow(
    private val gatekeeper: Gatekeeper,
    private val sdks: SdkRegistry,
) {
    @Volatile
    var mode: AppMode = AppMode.UNDECIDED
        private set

    /** Which screen to show at launch. A store that cannot be read fails closed: ACCEPT_POLICY. */
    fun launchScreen(): LaunchScreen {
        val s: ConsentState = try {
            gatekeeper.state()
        } catch (e: Exception) {
            return LaunchScreen.ACCEPT_POLICY
        }
        val screen = when {
            !s.policyAccepted && s.acceptedVersion == null -> LaunchScreen.ACCEPT_POLICY
            !s.policyAccepted -> LaunchScreen.ACCEPT_UPDATED_POLICY
            s.child && !s.acceptedByGuardian -> LaunchScreen.GUARDIAN_ACCEPTANCE
            s.noticePending -> LaunchScreen.NOTICE_OF_CHANGES
            else -> LaunchScreen.NONE
        }
        if (screen == LaunchScreen.NONE || screen == LaunchScreen.NOTICE_OF_CHANGES) mode = AppMode.FULL
        return screen
    }

    /**
     * "Agree": records the acceptance (durable when this returns), then starts the SDKs now
     * allowed with one `decideMany` call. [byGuardian] when a guardian accepted for a child.
     */
    fun agree(byGuardian: Boolean = false): SdkRefresh {
        gatekeeper.acceptPolicy(byGuardian, ConsentSource.FIRST_RUN_DIALOG)
        mode = AppMode.FULL
        // If the registry is the gatekeeper's listener it has already started what the
        // acceptance allowed; startAllowed() is then a no-op, and otherwise it does the work.
        return sdks.startAllowed()
    }

    /** "Browse only": records nothing and starts nothing. The dialog returns at the next launch. */
    fun browseOnly() {
        mode = AppMode.BROWSE_ONLY
    }

    /**
     * "Disagree" in the first-run dialog: [browseOnly]. The MIIT rules require a basic mode for
     * users who do not agree, in which no SDK starts and no identifier is read; nothing is
     * recorded, so every SDK and permission keeps answering `ask policy_not_accepted`.
     */
    fun disagree() = browseOnly()
}
