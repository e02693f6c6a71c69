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
import dev.gatekeeper.demo.logic.LaunchScreen
import dev.gatekeeper.demo.logic.PermissionFlow
import dev.gatekeeper.demo.logic.PermissionStep
import dev.gatekeeper.demo.logic.PhocolGate

/**
 * A deliberately thin screen: buttons and switches that call the plain-Kotlin logic in
 * dev.gatekeeper.demo.logic and show what it says. No layouts, no view models.
 */
class MainActivity : ComponentActivity() {
    private lateinit var status: TextView
    private lateinit var firstRunRow: LinearLayout
    private val switches = LinkedHashMap<String, Switch>()
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
        firstRunRow.addView(button("Browse only") { gate?.firstRun?.browseOnly(); refresh() })
        column.addView(firstRunRow)

        column.addView(TextView(this).apply { text = "\nYour choices" })
        addSwitch(column, "analytics", "Usage analytics")
        addSwitch(column, "personalised_ads", "Personalised recommendations and ads")
        addSwitch(column, "facebook", "Share usage with Facebook (separate consent)")

        column.addView(button("Camera: scan printer QR code") { onCameraClicked() })
        column.addView(button("Withdraw all consent") {
            gate?.consent?.withdrawAll(PhocolGate.CONSENT_PURPOSES, PhocolGate.SEPARATE_SDKS)
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

    private fun addSwitch(column: LinearLayout, id: String, title: String) {
        val s = Switch(this).apply { text = title }
        s.setOnCheckedChangeListener { view, on ->
            if (!view.isPressed) return@setOnCheckedChangeListener // ignore refresh()
            val g = gate ?: return@setOnCheckedChangeListener
            if (id in PhocolGate.SEPARATE_SDKS) {
                g.consent.setSdk(id, on, ConsentSource.SETTINGS)
            } else {
                g.consent.setPurpose(id, on, ConsentSource.SETTINGS)
            }
            refresh()
        }
        switches[id] = s
        column.addView(s)
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
        for (t in g.consent.toggles(PhocolGate.CONSENT_PURPOSES, PhocolGate.SEPARATE_SDKS)) {
            switches[t.id]?.apply { isChecked = t.on; isEnabled = accepted }
        }
        show("Running SDKs: " + g.sdks.running().ifEmpty { setOf("none") }.joinToString())
    }

    private fun show(message: String) {
        status.text = message
    }

    private fun button(title: String, onClick: () -> Unit) = Button(this).apply {
        text = title
        setOnClickListener { onClick() }
    }
}
