// The IAB TCF bridge from Kotlin (contract section 11): tcfDecode, tcfImport, consentMode,
// and the TcfImporter that reads the CMP's keys, driven by a fake key-value source.
package dev.gatekeeper.tests

import dev.gatekeeper.ConsentMode
import dev.gatekeeper.ConsentStatus
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.Reason
import dev.gatekeeper.Verdict
import dev.gatekeeper.ktx.IabTcfKeys
import dev.gatekeeper.ktx.TcfImporter
import dev.gatekeeper.ktx.TcfKeyValueSource
import dev.gatekeeper.tcfDecode
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * UMP-style TC strings (CMP 300, TCF v2.2, service-specific, a disclosed vendors segment),
 * encoded by the core's encoder from the fields named (core/tests/common/tcf.rs, `Ump`).
 */
object TcStrings {
    /** 2026-01-01: purposes 1-11, special features 1-2, vendor 755 (Google). */
    const val ALL = "CQdWToAQdWToAEsACBENBQEsAP_gAAAAAAYgF5wAQF5gAAAA.IF5wAQF5gA"

    /** 2026-01-01: "analytics only", purposes 1, 8, 9, 10 and vendor 755. */
    const val ANALYTICS = "CQdWToAQdWToAEsACBENBQEsAIHAAAAAAAYgF5wAQF5gAAAA.IF5wAQF5gA"

    /** 2026-01-02: nothing consented. */
    const val REFUSE = "CQdZmkAQdZmkAEsACBENBQEgAAAAAAAAAAYgAAAAAAAA.IF5wAQF5gA"

    /** ALL, but TcfPolicyVersion 3 (TCF v2.1). */
    const val OUTDATED = "CQdWToAQdWToAEsACBENBQDsAP_gAAAAAAYgF5wAQF5gAAAA.IF5wAQF5gA"

    /** Meta (Additional Consent provider 89) consented. */
    const val AC_META = "2~89~dv.2.3"
}

/** SharedPreferences as a map, with change callbacks, as a CMP would write it. */
class FakeKeys : TcfKeyValueSource {
    private val values = ConcurrentHashMap<String, Any>()
    private val observers = CopyOnWriteArrayList<(String) -> Unit>()

    override fun getString(key: String): String? = values[key] as? String
    override fun getInt(key: String): Int? = values[key] as? Int

    override fun observe(onChange: (key: String) -> Unit): AutoCloseable {
        observers.add(onChange)
        return AutoCloseable { observers.remove(onChange) }
    }

    /** What a CMP does: write a value, and the listeners hear of it. */
    fun put(key: String, value: Any?) {
        if (value == null) values.remove(key) else values[key] = value
        observers.forEach { it(key) }
    }

    val observerCount: Int get() = observers.size
}

class TcfTest {
    @TempDir
    lateinit var dir: Path

    private val allDenied = ConsentMode(ConsentStatus.DENIED, ConsentStatus.DENIED, ConsentStatus.DENIED, ConsentStatus.DENIED)

    private fun eeaUser(clock: ManualClock = ManualClock()) = openExample(dir, clock).also {
        it.setProfile("DE", 30)
        it.acceptPolicy(false, "first_run_dialog")
    }

    @Test
    fun `tcfDecode gives the fields as a typed record`() {
        val tc = tcfDecode(TcStrings.ANALYTICS)
        assertEquals(2, tc.version)
        assertEquals(300, tc.cmpId)
        assertEquals(4, tc.tcfPolicyVersion)
        assertEquals(listOf(1, 8, 9, 10), tc.purposeConsents)
        assertEquals(listOf(755), tc.vendorConsents)
        assertEquals(listOf(755), tc.disclosedVendors)
        assertNull(tc.allowedVendors)
        assertNull(tc.publisherTc)
        assertEquals("DE", tc.publisherCc)
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), tc.lastUpdated)
        assertEquals(Instant.parse("2027-02-01T00:00:00Z"), tc.freshUntil)
        val e = assertThrows<GatekeeperException.TcfInvalid> { tcfDecode("COtybn4PA_zT4KjACBENAPC") }
        assertTrue(e.message!!.startsWith("invalid TC string: segment 1 (core)"), e.message)
        assertFalse(e.message!!.contains("COtybn4PA"), e.message)
    }

    @Test
    fun `a UMP-style import grants exactly the mapped purposes and vendors and consentMode follows`() {
        eeaUser().use { gk ->
            assertEquals(allDenied, gk.consentMode())
            val listener = RecordingListener()
            gk.setListener(listener)
            val changes = gk.tcfImport(TcStrings.ANALYTICS, TcStrings.AC_META, "tcf_cmp")
            assertEquals(1, listener.calls.size, "one notification for the whole import")
            assertEquals(
                setOf("sdk:facebook", "sdk:firebase_analytics", "sdk:sensors_analytics"),
                changes.map { it.subject }.toSet(),
            )
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
            assertEquals(Verdict.ALLOW, gk.decideSdk("facebook").verdict)
            val ads = gk.decidePurpose("personalised_ads")
            assertEquals(Verdict.DENY to Reason.CONSENT_DENIED, ads.verdict to ads.reason)
            assertEquals(
                ConsentMode(ConsentStatus.DENIED, ConsentStatus.GRANTED, ConsentStatus.DENIED, ConsentStatus.DENIED),
                gk.consentMode(),
            )
            // The same strings again record nothing.
            assertTrue(gk.tcfImport(TcStrings.ANALYTICS, TcStrings.AC_META, "tcf_cmp").isEmpty())
            // Without an AC string, the AC provider's SDK is denied.
            gk.tcfImport(TcStrings.ALL, null, "tcf_cmp")
            assertEquals(Verdict.DENY, gk.decideSdk("facebook").verdict)
            assertEquals(ConsentStatus.GRANTED, gk.consentMode().adPersonalization)
        }
    }

    @Test
    fun `stale, outdated and malformed strings are typed errors that record nothing`() {
        val clock = ManualClock()
        eeaUser(clock).use { gk ->
            val events = gk.verify().events
            clock.set(Instant.parse("2027-02-01T00:00:00.001Z"))
            val stale = assertThrows<GatekeeperException.TcfStale> { gk.tcfImport(TcStrings.ALL, null, "tcf_cmp") }
            assertTrue(stale.message!!.contains("more than 13 months"), stale.message)
            clock.set(T0)
            assertThrows<GatekeeperException.TcfPolicyOutdated> { gk.tcfImport(TcStrings.OUTDATED, null, "tcf_cmp") }
            assertThrows<GatekeeperException.TcfInvalid> { gk.tcfImport("not a TC string", null, "tcf_cmp") }
            assertThrows<GatekeeperException.TcfInvalid> { gk.tcfImport(TcStrings.ALL, "3~1", "tcf_cmp") }
            assertEquals(events, gk.verify().events)
            assertTrue(gk.verify().ok)
            // At exactly 13 months it still counts.
            clock.set(Instant.parse("2027-02-01T00:00:00Z"))
            assertFalse(gk.tcfImport(TcStrings.ALL, null, "tcf_cmp").isEmpty())
        }
    }

    @Test
    fun `the importer imports the CMP's keys at start and whenever they change`() {
        eeaUser().use { gk ->
            val keys = FakeKeys()
            val errors = CopyOnWriteArrayList<GatekeeperException>()
            val importer = TcfImporter(gk, keys, onError = { errors.add(it) })
            importer.start()
            assertEquals(Verdict.ASK, gk.decideSdk("firebase_analytics").verdict, "no string yet: nothing")
            // The CMP writes its result: the AC string first, then the TC string.
            keys.put(IabTcfKeys.ADDTL_CONSENT, TcStrings.AC_META)
            keys.put(IabTcfKeys.TC_STRING, TcStrings.ANALYTICS)
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
            assertEquals(Verdict.ALLOW, gk.decideSdk("facebook").verdict)
            val events = gk.verify().events
            // Another key changing, or the same value written again, imports nothing.
            keys.put("IABTCF_CmpSdkID", 300)
            keys.put(IabTcfKeys.TC_STRING, TcStrings.ANALYTICS)
            assertEquals(events, gk.verify().events)
            // The user refuses everything in the CMP's privacy options.
            keys.put(IabTcfKeys.TC_STRING, TcStrings.REFUSE)
            assertEquals(Verdict.DENY, gk.decideSdk("firebase_analytics").verdict)
            assertEquals(allDenied, gk.consentMode())
            // A refused string goes to onError, and records nothing.
            val before = gk.verify().events
            keys.put(IabTcfKeys.TC_STRING, TcStrings.OUTDATED)
            assertEquals(1, errors.size)
            assertTrue(errors[0] is GatekeeperException.TcfPolicyOutdated, errors[0].toString())
            assertEquals(before, gk.verify().events)
            // After close, changes are not heard.
            importer.close()
            assertEquals(0, keys.observerCount)
            keys.put(IabTcfKeys.TC_STRING, TcStrings.ALL)
            assertEquals(Verdict.DENY, gk.decideSdk("firebase_analytics").verdict)
            assertTrue(importer.importNow().isNotEmpty(), "importNow still imports on demand")
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
        }
    }

    @Test
    fun `the importer waits while GDPR does not apply and imports what is there at start`() {
        eeaUser().use { gk ->
            val keys = FakeKeys()
            keys.put(IabTcfKeys.GDPR_APPLIES, 0)
            keys.put(IabTcfKeys.TC_STRING, TcStrings.ALL)
            val importer = TcfImporter(gk, keys)
            importer.start()
            assertEquals(Verdict.ASK, gk.decideSdk("firebase_analytics").verdict)
            keys.put(IabTcfKeys.GDPR_APPLIES, 1)
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
            // A string that disappears (a CMP reset) records nothing: the choices stand.
            keys.put(IabTcfKeys.TC_STRING, null)
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
            importer.close()
        }
        // Already written before start (the next launch): imported at start.
        val second = dir.resolve("second")
        java.nio.file.Files.createDirectories(second)
        openExample(second, ManualClock()).use { gk ->
            gk.setProfile("DE", 30)
            gk.acceptPolicy(false, "first_run_dialog")
            val keys = FakeKeys()
            keys.put(IabTcfKeys.TC_STRING, TcStrings.ANALYTICS)
            TcfImporter(gk, keys).use { it.start() }
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
        }
    }

    @Test
    fun `the importer runs imports on its executor`() {
        eeaUser().use { gk ->
            val keys = FakeKeys()
            val queued = CopyOnWriteArrayList<Runnable>()
            val importer = TcfImporter(gk, keys, executor = { queued.add(it) })
            importer.start()
            keys.put(IabTcfKeys.TC_STRING, TcStrings.ANALYTICS)
            assertEquals(Verdict.ASK, gk.decideSdk("firebase_analytics").verdict, "nothing ran on the caller's thread")
            val worker = Thread { queued.forEach { it.run() } }
            worker.start()
            worker.join()
            assertEquals(Verdict.ALLOW, gk.decideSdk("firebase_analytics").verdict)
            importer.close()
        }
    }
}
