// The `source` strings the demo records with each choice (contract §3).

/// The `source` strings the demo records with each choice. The core accepts
/// `[A-Za-z0-9_.:-]`; they show up in consent receipts, so they name the screen, never the user.
public enum ConsentSource {
    /// The privacy dialog shown on first run (or after a MAJOR policy update).
    public static let firstRunDialog = "first_run_dialog"
    /// The app's privacy settings screen.
    public static let settings = "settings"
    /// A just-in-time prompt shown right before the feature that needs it.
    public static let justInTime = "just_in_time"
}
