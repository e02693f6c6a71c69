// lintManifest and exampleManifest: the CLI's `lint` from Kotlin.
package dev.gatekeeper.tests

import dev.gatekeeper.LintIssue
import dev.gatekeeper.exampleManifest
import dev.gatekeeper.lintManifest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class LintTest {
    @Test
    fun `the embedded example manifest and the mini manifest are valid`() {
        assertEquals(true, lintManifest(exampleManifest()).ok)
        assertEquals(emptyList<LintIssue>(), lintManifest(exampleManifest()).errors)
        assertTrue(lintManifest(MINI_MANIFEST).ok)
        assertTrue(exampleManifest().contains("\"id\": \"phocol\"") || exampleManifest().contains("\"id\":\"phocol\""))
    }

    @Test
    fun `lint lists every error with its JSON pointer path`() {
        val bad = MINI_MANIFEST
            .replace("\"purposes\": [\"analytics\"]}]", "\"purposes\": [\"ads\"]}, {\"id\": \"tracker\", \"name\": \"Dup\", \"vendor\": \"T\", \"purposes\": []}]")
            .replace("\"age_of_consent\": 16", "\"age_of_consent\": 40")
            .replace("\"default_jurisdiction\": \"default\"", "\"default_jurisdiction\": \"nowhere\"")
        val report = lintManifest(bad)
        assertFalse(report.ok)
        val paths = report.errors.map { it.path }
        for (p in listOf("/sdks/0/purposes/0", "/sdks/1/id", "/sdks/1/purposes", "/jurisdictions/0/age_of_consent", "/default_jurisdiction")) {
            assertTrue(p in paths, "$p not in $paths")
        }
        assertTrue(report.errors.all { it.message.isNotBlank() })
        assertTrue(report.errors.single { it.path == "/sdks/0/purposes/0" }.message.contains("ads"))
    }

    @Test
    fun `text that is not JSON is one error at the root`() {
        val report = lintManifest("not json")
        assertFalse(report.ok)
        assertEquals(1, report.errors.size)
        assertEquals("", report.errors.single().path)
    }
}
