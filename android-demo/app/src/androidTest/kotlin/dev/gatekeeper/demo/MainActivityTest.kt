package dev.gatekeeper.demo

import android.view.View
import androidx.test.core.app.ActivityScenario
import androidx.test.ext.junit.runners.AndroidJUnit4
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith

/**
 * Smoke test of the thin Android layer: the activity opens the gatekeeper (from
 * assets/policy.json) and shows its controls. NOT run on the project's CI machine.
 */
@RunWith(AndroidJUnit4::class)
class MainActivityTest {
    private fun View.hasText(text: String): Boolean {
        val found = ArrayList<View>()
        findViewsWithText(found, text, View.FIND_VIEWS_WITH_TEXT)
        return found.isNotEmpty()
    }

    @Test
    fun showsTheControlsAndNeverAnSdkBeforeAgreement() {
        ActivityScenario.launch(MainActivity::class.java).use { scenario ->
            scenario.onActivity { activity ->
                val root = activity.window.decorView
                assertTrue(root.hasText("Camera: scan printer QR code"))
                assertTrue(root.hasText("Decision log"))
                val app = activity.application as PhocolApplication
                val gate = app.gate
                assertTrue("the store opened: ${app.openError}", gate != null)
                if (!gate!!.gatekeeper.state().policyAccepted) {
                    assertTrue(root.hasText("Disagree (browse only)"))
                    assertTrue(gate.sdks.running().isEmpty())
                }
            }
        }
    }
}
