package dev.gatekeeper.demo.logic

/**
 * The `source` strings the demo records with each choice (contract §3). The core accepts
 * `[A-Za-z0-9_.:-]`, at most a few dozen characters; they show up in consent receipts, so
 * they name the screen, never the user.
 */
object ConsentSource {
    /** The privacy dialog shown on first run (or after a MAJOR policy update). */
    const val FIRST_RUN_DIALOG = "first_run_dialog"

    /** The app's privacy settings screen. */
    const val SETTINGS = "settings"

    /** A just-in-time prompt shown right before the feature that needs it. */
    const val JUST_IN_TIME = "just_in_time"
}
