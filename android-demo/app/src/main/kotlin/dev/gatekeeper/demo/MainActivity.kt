package dev.gatekeeper.demo

import android.app.AlertDialog
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Bundle
import android.provider.Settings
import android.view.View
import android.widget.Button
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.Switch
import android.widget.TextView
import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContracts
import dev.gatekeeper.demo.logic.AppMode
import dev.gatekeeper.demo.logic.ConsentSource
import dev.gatekeeper.demo.logic.ConsentToggle
import dev.gatekeeper.demo.logic.LaunchScreen
import dev.gatekeeper.demo.logic.PermissionFlow
import dev.gatekeeper.demo.logic.PermissionStep
import dev.gatekeeper.demo.logic.PhocolGate

/**
 * A deliberately thin screen: buttons and switches that call the plain-Kotlin logic in
 * dev.gatekeeper.demo.logic and show what it says. No layouts, no view models.
 *
 * - First-run dialog: Agree / Disagree (browse only: no SDK starts, no identifier is read).
 * - Settings: a switch per purpose the user may refuse and per SDK that needs its own consent
 *   (`ConsentSettings.screen()`), rebuilt from the gatekeeper's state on every refresh.
 * - Camera: `decidePermission(camera, USER_ACTION)` before the OS prompt; the OS answer is
 *   recorded. Sign in with Google: only when allowed, on this tap.
 * - Decision log: `DecisionLogScreen.lines()` in a dialog.
 */
class MainActivity : ComponentActivity() {
    private lateinit var status: TextView
    private lateinit var firstRunRow: LinearLayout
    private lateinit var switchesBox: LinearLayout
    private var rationaleBefore = false
    private var pendingPermission = "camera"

    private val gate: PhocolGate? get() = (application as PhocolApplication).gate

    /** The OS prompt. Shown only after the gatekeeper said ShowSystemPrompt. */
    private val requestPermission = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        val g = gate ?: return@registerForActivityResult
        val osName = g.androidPermission(pendingPermission) ?: return@registerForActivityResult
        val result = PermissionFlow.androidResult(granted, rationaleBefore, shouldShowRequestPermissionRationale(osName))
        g.permissions.record(pendingPermission, result)
        show(if (granted) "Camera allowed: the camera would open now." else "Camera refused ($result).")
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val column = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL; setPadding(32, 32, 32, 32) }

        firstRunRow = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        firstRunRow.addView(TextView(this).apply {
            text = "Welcome to Phocol. Please read our privacy policy (https://example.com/privacy). " +
                "Nothing is collected and no third-party SDK starts until you agree."
        })
        firstRunRow.addView(button("Agree") { gate?.firstRun?.agree(); refresh() })
        firstRunRow.addView(button("Disagree (browse only)") { gate?.firstRun?.disagree(); refresh() })
        column.addView(firstRunRow)

        column.addView(TextView(this).apply { text = "\nYour choices" })
        switchesBox = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        column.addView(switchesBox)

        column.addView(button("Camera: scan printer QR code") { onCameraClicked() })
        column.addView(button("Sign in with Google") { onGoogleSignIn() })
        column.addView(button("Decision log") { showDecisionLog() })
        column.addView(button("Withdraw all consent") {
            gate?.consent?.let { c ->
                val screen = c.screen()
                c.withdrawAll(screen.filter { !it.isSdk }.map { it.id }, screen.filter { it.isSdk }.map { it.id })
            }
            refresh()
        })
        status = TextView(this)
        column.addView(status)

        setContentView(ScrollView(this).apply { addView(column) })
        refresh()
    }

    private fun onCameraClicked() {
        val g = gate ?: return show("Privacy settings are unavailable.")
        handle(g, g.permissions.request("camera"))
    }

    private fun handle(g: PhocolGate, step: PermissionStep) {
        when (step) {
            is PermissionStep.ShowSystemPrompt -> {
                val osName = g.androidPermission(step.permission)
                    ?: return show("No Android permission is declared for ${step.permission}.")
                if (checkSelfPermission(osName) == PackageManager.PERMISSION_GRANTED) {
                    show("Camera already allowed: the camera would open now.")
                } else {
                    pendingPermission = step.permission
                    rationaleBefore = shouldShowRequestPermissionRationale(osName)
                    requestPermission.launch(osName)
                }
            }
            is PermissionStep.ShowPolicy -> {
                show("Please agree to the privacy policy first.")
                firstRunRow.visibility = View.VISIBLE
            }
            is PermissionStep.AskConsent -> AlertDialog.Builder(this)
                .setTitle("Your consent is needed")
                .setMessage("To continue, allow: " + (step.purposes + step.sdks).joinToString())
                .setPositiveButton("Allow") { _, _ -> handle(g, g.permissions.grantAndRetry(step)) }
                .setNegativeButton("Not now") { _, _ -> g.permissions.refuse(step) }
                .show()
            is PermissionStep.OpenSystemSettings -> AlertDialog.Builder(this)
                .setMessage(PermissionFlow.message(step))
                .setPositiveButton("Open Settings") { _, _ ->
                    startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null)))
                }
                .setNegativeButton("Cancel", null)
                .show()
            is PermissionStep.TryAgainLater, is PermissionStep.Blocked -> show(PermissionFlow.message(step) ?: "")
        }
    }

    private fun onGoogleSignIn() {
        val g = gate ?: return show("Privacy settings are unavailable.")
        when (val intent = g.googleSignInIntent()) {
            is Intent -> startActivity(intent) // the result would go to the app's sign-in code
            else -> show("Google sign-in is not available: allow account login and Google Sign-In first (or the SDK is not in this build).")
        }
    }

    private fun showDecisionLog() {
        val g = gate ?: return show("Privacy settings are unavailable.")
        AlertDialog.Builder(this)
            .setTitle("Decision log")
            .setMessage(g.decisionLog.lines().joinToString("\n"))
            .setPositiveButton("Close", null)
            .show()
    }

    private fun addSwitch(g: PhocolGate, t: ConsentToggle, enabled: Boolean) {
        val manifest = g.gatekeeper.manifest()
        val title = if (t.isSdk) {
            manifest.sdks.firstOrNull { it.id == t.id }?.let { "${it.name} (${it.vendor}): its own consent" } ?: t.id
        } else {
            manifest.purposes.firstOrNull { it.id == t.id }?.title ?: t.id
        }
        val s = Switch(this).apply {
            text = title
            isChecked = t.on
            isEnabled = enabled
        }
        s.setOnCheckedChangeListener { _, on ->
            if (t.isSdk) g.consent.setSdk(t.id, on, ConsentSource.SETTINGS) else g.consent.setPurpose(t.id, on, ConsentSource.SETTINGS)
            switchesBox.post { refresh() } // rebuilds the switches: not from inside this callback
        }
        switchesBox.addView(s)
    }

    private fun refresh() {
        val g = gate
        if (g == null) {
            show("Privacy settings are unavailable: ${(application as PhocolApplication).openError}")
            return
        }
        val screen = g.firstRun.launchScreen()
        firstRunRow.visibility = if (screen == LaunchScreen.NONE || g.firstRun.mode == AppMode.BROWSE_ONLY) View.GONE else View.VISIBLE
        val accepted = screen == LaunchScreen.NONE || screen == LaunchScreen.NOTICE_OF_CHANGES
        switchesBox.removeAllViews()
        for (t in g.consent.screen()) addSwitch(g, t, enabled = accepted)
        val absent = g.adapters.values.filter { !it.isPresent() }.map { it.sdkId }
        show(
            "Running SDKs: " + g.sdks.running().ifEmpty { setOf("none") }.joinToString() +
                (if (absent.isEmpty()) "" else "\nNot in this build (adapter reports absent): " + absent.joinToString()),
        )
    }

    private fun show(message: String) {
        status.text = message
    }

    private fun button(title: String, onClick: () -> Unit) = Button(this).apply {
        text = title
        setOnClickListener { onClick() }
    }
}
