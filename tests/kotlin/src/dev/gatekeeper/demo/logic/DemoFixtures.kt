package dev.gatekeeper.demo.logic

import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.TimeSource
import dev.gatekeeper.exampleManifest
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicReference

/** A settable clock the core reads through the `TimeSource` callback (contract §1: deterministic). */
class DemoClock(start: Instant = DemoFixtures.START) : TimeSource {
    private val current = AtomicReference(start)
    override fun now(): Instant = current.get()
    fun advance(d: Duration) {
        current.updateAndGet { it.plus(d) }
    }
}

/** Stub SDKs: starting and stopping only appends "start:<id>" / "stop:<id>" to [events]. */
class StubSdks(vararg ids: String) {
    val ids = ids.toList()
    val events = CopyOnWriteArrayList<String>()

    fun registerAll(registry: SdkRegistry): SdkRegistry {
        for (id in ids) registry.register(id, start = { events += "start:$id" }, stop = { events += "stop:$id" })
        return registry
    }

    fun count(event: String) = events.count { it == event }
}

object DemoFixtures {
    val START: Instant = Instant.parse("2026-01-01T00:00:00Z")

    /** The Phocol manifest the library embeds (the same file the Android demo ships as assets/policy.json). */
    val MANIFEST: String by lazy { exampleManifest() }

    fun open(dir: Path, clock: TimeSource, manifest: String = MANIFEST): Gatekeeper =
        Gatekeeper.open(dir.resolve("gatekeeper.db").toString(), manifest, GatekeeperOptions(clock))

    /** A user in China, aged 30 (PIPL; age of consent 14), on a fresh store. */
    fun openCnAdult(dir: Path, clock: TimeSource): Gatekeeper =
        open(dir, clock).also { it.setProfile("CN", 30) }
}
