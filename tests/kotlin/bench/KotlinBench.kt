// The Kotlin rows of the benchmark (.ci/bench): what a decision costs from Kotlin on the
// JVM, through JNA, against floors measured in the same run. Not a test: it prints figures
// and writes target/bench/kotlin-rows.json (value, floor, target); the Rust bench's
// --summary step computes each ratio and writes summary.json.
//
//   java -Djna.library.path=target/release -cp ... dev.gatekeeper.bench.KotlinBenchKt OUT_DIR [--quick]
//
// OUT_DIR holds year-kotlin.db (a copy of the simulated-year store) and bench-manifest.json,
// both written by the Rust bench before this runs.
package dev.gatekeeper.bench

import dev.gatekeeper.Decision
import dev.gatekeeper.Gatekeeper
import dev.gatekeeper.GatekeeperOptions
import dev.gatekeeper.ffiFloorDecision
import dev.gatekeeper.ktx.DecisionCache
import java.io.File

/** Keeps results alive so the JIT cannot drop the work being timed. */
@Volatile
private var sink: Any? = null

private fun median(xs: DoubleArray): Double {
    val s = xs.sorted()
    val n = s.size
    return if (n % 2 == 1) s[n / 2] else (s[n / 2 - 1] + s[n / 2]) / 2
}

/** Times [batch] calls of [value] and of [floor], alternately, [reps] times; median ns per call of each. */
private inline fun interleaved(reps: Int, batch: Int, value: () -> Any?, floor: () -> Any?): Pair<Double, Double> {
    val v = DoubleArray(reps)
    val f = DoubleArray(reps)
    for (r in 0 until reps) {
        for (side in 0..1) {
            val measureValue = (side == 0) == (r % 2 == 0)
            var last: Any? = null
            val t = System.nanoTime()
            if (measureValue) {
                for (i in 0 until batch) last = value()
            } else {
                for (i in 0 until batch) last = floor()
            }
            val ns = (System.nanoTime() - t).toDouble() / batch
            sink = last
            if (measureValue) v[r] = ns else f[r] = ns
        }
    }
    return median(v) to median(f)
}

private fun row(name: String, value: Double, unit: String, floor: Double, target: Double, note: String): String {
    fun num(x: Double) = String.format(java.util.Locale.ROOT, "%.1f", x)
    val esc = note.replace("\\", "\\\\").replace("\"", "\\\"")
    println(String.format(java.util.Locale.ROOT, "%-14s %12s %s  floor %12s  ratio %.3f  target %.1f",
        name, num(value), unit, num(floor), value / floor, target))
    return """  {"name": "$name", "value": ${num(value)}, "unit": "$unit", "floor": ${num(floor)}, "target": $target, "note": "$esc"}"""
}

fun main(args: Array<String>) {
    val out = File(args.firstOrNull() ?: "target/bench")
    val quick = "--quick" in args
    val manifest = File(out, "bench-manifest.json").readText()
    val g = Gatekeeper.open(File(out, "year-kotlin.db").path, manifest, GatekeeperOptions(null))
    val rows = mutableListOf<String>()

    // kotlin_decide: decideSdk through JNA against a no-op export of the same signature.
    val sdk = "facebook"
    val d = g.decideSdk(sdk)
    println("kotlin_decide subject: ${d.subject} ${d.verdict}/${d.reason}, valid until ${d.validUntil}")
    repeat(20_000) { sink = g.decideSdk(sdk); sink = ffiFloorDecision(sdk) } // JIT warm-up
    val (fv, ff) = interleaved(if (quick) 101 else 301, 500, { g.decideSdk(sdk) }, { ffiFloorDecision(sdk) })
    rows += row("kotlin_decide", fv, "ns", ff, 1.5,
        "Gatekeeper.decideSdk(\"facebook\") from Kotlin through JNA (release cdylib); " +
            "floor: ffiFloorDecision(\"facebook\"), an exported no-op with the same argument and a Decision record")

    // kotlin_cached: DecisionCache hits against HashMap gets of the same decisions, cycling
    // through 8 SDKs on both sides (so neither loop looks up one constant key).
    val cache = DecisionCache(g)
    val ids = (listOf(sdk) + g.manifest().sdks.map { it.id }.filter { it != sdk }).take(8).toTypedArray()
    check(ids.size == 8) { "the bench manifest has at least 8 SDKs" }
    val map = HashMap<String, Decision>()
    for (id in ids) map[id] = g.decideSdk(id)
    check(cache.sdk(sdk).validUntil != null) { "facebook's allow carries a valid_until: the expiry path is live" }
    var k = 0
    repeat(400_000) { sink = cache.sdk(ids[k++ and 7]); sink = map[ids[k++ and 7]] } // JIT warm-up
    val (cv, cf) = interleaved(if (quick) 51 else 201, 200_000, { cache.sdk(ids[k++ and 7]) }, { map[ids[k++ and 7]] })
    rows += row("kotlin_cached", cv, "ns", cf, 3.0,
        "DecisionCache.sdk hits over 8 SDKs (system clock: generation checked, expiry by timer); " +
            "floor: HashMap<String, Decision>.get of the same 8 in the same run; misses: ${cache.misses}")
    cache.close()
    g.closeStore()
    g.close()

    File(out, "kotlin-rows.json").writeText("[\n" + rows.joinToString(",\n") + "\n]\n")
}
