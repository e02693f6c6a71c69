// Gatekeeper.manifest(): the policy as the app needs it for its screens and permission names.
package dev.gatekeeper.tests

import dev.gatekeeper.Basis
import dev.gatekeeper.Role
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

class ManifestTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `manifest lists the example's policy, purposes, permissions and SDKs`() {
        openExample(dir, ManualClock()).use { gk ->
            val m = gk.manifest()
            assertEquals("phocol", m.policyId)
            assertEquals("3.1", m.version)
            assertTrue(m.controller.isNotBlank())

            assertEquals(Example.purposes, m.purposes.map { it.id })
            assertEquals(Basis.CONSENT, m.purposes.single { it.id == "analytics" }.basis)
            assertTrue(m.purposes.single { it.id == "location_services" }.sensitive)

            assertEquals(listOf("camera", "location", "photos", "microphone", "contacts", "bluetooth"), m.permissions.map { it.id })
            val camera = m.permissions.single { it.id == "camera" }
            assertEquals(listOf("android.permission.CAMERA"), camera.android)
            assertEquals(listOf("NSCameraUsageDescription"), camera.ios)
            assertEquals(
                listOf("android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"),
                m.permissions.single { it.id == "location" }.android,
            )

            assertEquals(Example.sdks, m.sdks.map { it.id })
            val facebook = m.sdks.single { it.id == "facebook" }
            assertEquals(Role.INDEPENDENT, facebook.role)
            assertEquals("US", facebook.vendorCountry)
            assertTrue("analytics" in facebook.purposes, facebook.purposes.toString())
            val mmkv = m.sdks.single { it.id == "mmkv" }
            assertEquals(Role.ENTRUSTED, mmkv.role)
            assertEquals("CN", mmkv.vendorCountry)
            assertFalse("ios" in m.sdks.single { it.id == "matisse" }.platforms)

            // It describes the policy, not the user: the same after writes, and after closeStore.
            gk.setProfile("CN", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            assertEquals(m, gk.manifest())
            gk.closeStore()
            assertEquals(m, gk.manifest())
        }
    }
}
