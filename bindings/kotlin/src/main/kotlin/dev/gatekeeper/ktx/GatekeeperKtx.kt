// Small Kotlin conveniences over the uniffi-generated API (package dev.gatekeeper).
// Plain Kotlin, no android.* imports: it compiles and is tested on a desktop JVM.
package dev.gatekeeper.ktx

import dev.gatekeeper.ChangeListener
import dev.gatekeeper.Decision
import dev.gatekeeper.DecisionChange
import dev.gatekeeper.DecisionSubject
import dev.gatekeeper.Disclosure
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperException
import dev.gatekeeper.GatekeeperInterface
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.TimeSource
import dev.gatekeeper.Trigger
import dev.gatekeeper.Verdict
import java.time.Instant
import java.util.Locale

/** The `source` recorded with a choice when the caller names none. */
const val DEFAULT_SOURCE: String = "app"

/**
 * Opens (or creates) the store at [dbPath] for the policy in [manifestJson], with the
 * system clock unless a [timeSource] is given.
 *
 * @throws GatekeeperException.InvalidManifest, PolicyMismatch, NewerSchema, Storage
 */
@Throws(GatekeeperException::class)
fun Gatekeeper.Companion.openDefault(
    dbPath: String,
    manifestJson: String,
    timeSource: TimeSource? = null,
): Gatekeeper = Gatekeeper.open(dbPath, manifestJson, GatekeeperOptions(timeSource))

/**
 * The disclosure lists (contract §10.2) in [locale]'s language, as its BCP 47 tag
 * (`Locale.SIMPLIFIED_CHINESE` asks for `zh-CN`); texts the manifest lacks in it fall back to
 * `en`. The root locale asks for the default language.
 */
@Throws(GatekeeperException::class)
fun GatekeeperInterface.disclose(locale: Locale): Disclosure =
    disclose(locale.toLanguageTag().takeUnless { it == "und" })

/** True when the verdict is `allow`. */
val Decision.isAllowed: Boolean get() = verdict == Verdict.ALLOW

/** The id part of the subject (`sdk:facebook` -> `facebook`). */
val Decision.subjectId: String get() = subject.substringAfter(':')

/** Records a grant; named arguments, nothing to spell out but what was granted. */
@Throws(GatekeeperException::class)
fun GatekeeperInterface.grant(
    purposes: List<String> = emptyList(),
    sdks: List<String> = emptyList(),
    separate: Boolean = false,
    byGuardian: Boolean = false,
    source: String = DEFAULT_SOURCE,
): List<DecisionChange> = grant(purposes, sdks, separate, byGuardian, source)

/** Records a refusal. */
@Throws(GatekeeperException::class)
fun GatekeeperInterface.deny(
    purposes: List<String> = emptyList(),
    sdks: List<String> = emptyList(),
    source: String = DEFAULT_SOURCE,
): List<DecisionChange> = deny(purposes, sdks, source)

/** Records a withdrawal (the listener hears of every SDK it switches off). */
@Throws(GatekeeperException::class)
fun GatekeeperInterface.withdraw(
    purposes: List<String> = emptyList(),
    sdks: List<String> = emptyList(),
    source: String = DEFAULT_SOURCE,
): List<DecisionChange> = withdraw(purposes, sdks, source)

/** Records that the user (or, with [byGuardian], their guardian) accepted the policy. */
@Throws(GatekeeperException::class)
fun GatekeeperInterface.acceptPolicy(
    byGuardian: Boolean = false,
    source: String = DEFAULT_SOURCE,
): List<DecisionChange> = acceptPolicy(byGuardian, source)

/** May the app show this permission prompt now? The trigger defaults to a user action. */
fun GatekeeperInterface.decidePermission(id: String): Decision = decidePermission(id, Trigger.USER_ACTION)

/**
 * Decides every SDK in [ids] in ONE call across the FFI and returns the decisions by
 * SDK id, in the order given. Use this instead of a loop of `decideSdk`: each FFI call
 * from Kotlin costs a JNA round trip.
 */
fun GatekeeperInterface.decideSdks(ids: Collection<String>): Map<String, Decision> {
    if (ids.isEmpty()) return emptyMap()
    val list = ids.toList()
    val decisions = decideMany(list.map { DecisionSubject.Sdk(it) })
    return list.zip(decisions).toMap(LinkedHashMap())
}

/** A [ChangeListener] from a lambda (the generated interface is not a `fun interface`). */
fun changeListener(block: (List<DecisionChange>) -> Unit): ChangeListener =
    object : ChangeListener {
        override fun onChange(changes: List<DecisionChange>) = block(changes)
    }

/** A [TimeSource] from a lambda. */
fun timeSource(block: () -> Instant): TimeSource =
    object : TimeSource {
        override fun now(): Instant = block()
    }
