// Shared fixtures of the Kotlin tests: a clock the test controls, a recording listener,
// a call-counting gatekeeper, and the ids of the embedded example manifest.
package dev.gatekeeper.tests

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperInterface
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.ManifestInfo
import dev.gatekeeper.TimeSource
import dev.gatekeeper.Trigger
import dev.gatekeeper.exampleManifest
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference

/** 2026-01-01T00:00:00Z: where every test clock starts. */
val T0: Instant = Instant.parse("2026-01-01T00:00:00Z")

/** A [TimeSource] the test moves by hand (thread-safe). */
class ManualClock(start: Instant = T0) : TimeSource {
    private val current = AtomicReference(start)
    val calls = AtomicInteger()

    override fun now(): Instant {
        calls.incrementAndGet()
        return current.get()
    }

    fun set(t: Instant) = current.set(t)
    fun advance(d: Duration): Instant = current.updateAndGet { it.plus(d) }
    val instant: Instant get() = current.get()
}

/** Records every call of the listener, in order. */
class RecordingListener : ChangeListener {
    val calls = CopyOnWriteArrayList<List<DecisionChange>>()
    override fun onChange(changes: List<DecisionChange>) {
        calls.add(changes)
    }
}

/**
 * Counts the calls that cross the FFI for decisions and keeps the listener last set (so a
 * test can hand it a notification of its own); everything is delegated.
 */
class CountingGatekeeper(val inner: Gatekeeper) : GatekeeperInterface by inner {
    val decideMany = AtomicInteger()
    val decideOne = AtomicInteger()
    val subjectsDecided = AtomicInteger()
    val manifestCalls = AtomicInteger()

    @Volatile
    var listener: ChangeListener? = null
        private set

    override fun setListener(listener: ChangeListener?) {
        this.listener = listener
        inner.setListener(listener)
    }

    override fun manifest(): ManifestInfo {
        manifestCalls.incrementAndGet()
        return inner.manifest()
    }

    override fun decideMany(subjects: List<DecisionSubject>): List<Decision> {
        decideMany.incrementAndGet()
        subjectsDecided.addAndGet(subjects.size)
        return inner.decideMany(subjects)
    }

    override fun decideSdk(id: String): Decision {
        decideOne.incrementAndGet()
        return inner.decideSdk(id)
    }

    override fun decidePermission(id: String, trigger: Trigger): Decision {
        decideOne.incrementAndGet()
        return inner.decidePermission(id, trigger)
    }

    override fun decidePurpose(id: String): Decision {
        decideOne.incrementAndGet()
        return inner.decidePurpose(id)
    }
}

/** The ids of the embedded example manifest (core/policy/example-manifest.json), in order. */
object Example {
    val manifest: String by lazy { exampleManifest() }

    val purposes = listOf(
        "essential", "payments", "crash_reporting", "account_login", "analytics",
        "push_notifications", "personalised_ads", "location_services", "face_recognition",
    )
    /** The purposes with basis contract: met by accepting the policy, never withdrawn. */
    val contractPurposes = listOf("essential", "payments")
    val permissions = listOf("camera", "location", "photos", "microphone", "contacts", "bluetooth")
    val sdks = listOf(
        "mmkv", "matisse", "zoho_mobilisten", "google_pay", "firebase_crashlytics", "google_sign_in",
        "facebook_login", "facebook", "sensors_analytics", "huawei_push", "amap", "firebase_analytics",
    )

    /** Every SDK, every permission (user action) and every purpose. */
    val everything: List<DecisionSubject> =
        sdks.map { DecisionSubject.Sdk(it) } +
            permissions.map { DecisionSubject.Permission(it, Trigger.USER_ACTION) } +
            purposes.map { DecisionSubject.Purpose(it) }
}

/** Opens the example policy's store in [dir], on [clock] (null: the system clock). */
fun openExample(dir: Path, clock: TimeSource? = null, name: String = "gatekeeper.db"): Gatekeeper =
    Gatekeeper.open(dir.resolve(name).toString(), Example.manifest, GatekeeperOptions(clock))

/**
 * The example policy's store in [dir] for a CN user aged 30 who accepted the policy and
 * granted analytics, and facebook separately, at the clock's time (null: the system clock).
 */
fun openConsentedExample(dir: Path, clock: TimeSource? = null, name: String = "gatekeeper.db"): Gatekeeper {
    val gk = openExample(dir, clock, name)
    gk.setProfile("CN", 30)
    gk.acceptPolicy(false, "first_run_dialog")
    gk.grant(listOf("analytics"), listOf("facebook"), true, false, "first_run_dialog")
    return gk
}

/** A small valid manifest (policy `mini`) for tests that need their own. */
val MINI_MANIFEST = """
{"schema": 1,
 "policy": {"id": "mini", "version": "1.0", "effective": "2025-01-01", "controller": {"name": "Mini Ltd."}},
 "default_jurisdiction": "default",
 "jurisdictions": [{"id": "default", "law": "gdpr", "age_of_consent": 16, "countries": []}],
 "purposes": [{"id": "essential", "title": "Core", "basis": "contract"},
              {"id": "analytics", "title": "Analytics", "basis": "consent"}],
 "permissions": [{"id": "camera", "title": "Camera", "purposes": ["essential"]}],
 "sdks": [{"id": "tracker", "name": "Tracker", "vendor": "T Inc.", "purposes": ["analytics"]}]}
""".trimIndent()

/** Verdict and reason only, for comparing decisions made at different times. */
fun Decision.outcome(): Pair<Any, Any> = verdict to reason

/**
 * `assertThrows<T> { }` (Debian's junit-jupiter-api is built without JUnit's Kotlin
 * extensions, so this is the same one-liner over the Java API).
 */
inline fun <reified T : Throwable> assertThrows(crossinline block: () -> Unit): T =
    org.junit.jupiter.api.Assertions.assertThrows(T::class.java) { block() }
