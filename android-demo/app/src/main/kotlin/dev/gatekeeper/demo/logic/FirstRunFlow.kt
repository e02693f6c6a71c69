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
        // A recorded decline (basic mode, §9.1) is not asked again at every launch: MIIT
        // rejects apps that loop on a refusal. The settings screen offers the policy again.
        if (s.declined) {
            mode = AppMode.BROWSE_ONLY
            return LaunchScreen.NONE
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
     * "Disagree, use the basic service" (contract §9.1, 基本功能模式): records the decline
     * (`declinePolicy(source = "first_run_dialog")`), then starts the SDKs the basic service
     * needs (those whose purposes are all `basic` in the manifest: they now answer `allow
     * basic_mode`); everything else keeps asking `policy_not_accepted`. Unlike [browseOnly],
     * the choice is recorded, so the app does not ask again at every launch; the mode stays
     * [AppMode.BROWSE_ONLY] until the user agrees.
     */
    fun declinePolicy(): SdkRefresh {
        gatekeeper.declinePolicy(ConsentSource.FIRST_RUN_DIALOG)
        mode = AppMode.BROWSE_ONLY
        return sdks.startAllowed()
    }

    /**
     * "Disagree" in the first-run dialog: [browseOnly]. The MIIT rules require a basic mode for
     * users who do not agree, in which no SDK starts and no identifier is read; nothing is
     * recorded, so every SDK and permission keeps answering `ask policy_not_accepted`.
     */
    fun disagree() = browseOnly()
}
