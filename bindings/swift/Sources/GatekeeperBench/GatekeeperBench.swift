// The Swift rows of the benchmark (.ci/bench): what a decision costs from Swift, through the
// uniffi bindings and the C ABI, against floors measured in the same run. Not a test: it
// prints figures and writes OUT_DIR/swift-rows.json (value, floor, target); the Rust bench's
// --summary step computes each ratio and writes summary.json. The Swift counterpart of
// tests/kotlin/bench/KotlinBench.kt, with the same method (interleaved batches, medians) and
// the same subjects.
//
//   GATEKEEPER_RUST_LIB_DIR=target/release swift build -c release --product gatekeeper-bench
//   bindings/swift/.build/release/gatekeeper-bench OUT_DIR [--quick] [--only ROW]
//
// --only ROW (swift_decide or swift_cached) measures that row alone, for profiling; the rows
// file then holds only it. --split prints where the time of one swift_decide goes (CostSplit)
// and writes no rows.
//
// OUT_DIR holds year-kotlin.db (the simulated-year store) and bench-manifest.json, both
// written by the Rust bench; this copies the store to year-swift.db and opens the copy.

import Foundation
import GatekeeperCore

/// Keeps results alive so the optimiser cannot drop the work being timed.
nonisolated(unsafe) var sink: Any?

@main
enum GatekeeperBench {
    static func main() throws {
        let args = Array(CommandLine.arguments.dropFirst())
        let only = args.firstIndex(of: "--only").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
        let out = URL(fileURLWithPath: args.first { !$0.hasPrefix("--") && $0 != only } ?? "target/bench")
        let quick = args.contains("--quick")
        let manifest = try String(contentsOf: out.appendingPathComponent("bench-manifest.json"), encoding: .utf8)
        let store = try copyStore(from: out.appendingPathComponent("year-kotlin.db"),
                                  to: out.appendingPathComponent("year-swift.db"))
        let g = try Gatekeeper.open(dbPath: store.path, manifestJson: manifest)
        if args.contains("--split") { CostSplit.run(g); return }
        var rows: [String] = []
        if only == nil || only == "swift_decide" { rows.append(decideRow(g, quick: quick)) }
        if only == nil || only == "swift_cached" { rows.append(try cachedRow(g, quick: quick)) }
        g.closeStore()

        let text = "[\n" + rows.joined(separator: ",\n") + "\n]\n"
        try text.write(to: out.appendingPathComponent("swift-rows.json"), atomically: true, encoding: .utf8)
    }

    /// swift_decide: decideSdk through the generated bindings against a no-op export of the
    /// same signature.
    static func decideRow(_ g: Gatekeeper, quick: Bool) -> String {
        let sdk = "facebook"
        let d = g.decideSdk(id: sdk)
        print("swift_decide subject: \(d.subject) \(d.verdict)/\(d.reason), valid until \(d.validUntil.map { "\($0)" } ?? "-")")
        for _ in 0..<20_000 { sink = g.decideSdk(id: sdk); sink = ffiFloorDecision(id: sdk) } // warm-up
        let (v, f) = interleaved(reps: quick ? 301 : 901, batch: 100,
                                 value: { g.decideSdk(id: sdk) }, floor: { ffiFloorDecision(id: sdk) })
        return row("swift_decide", v, "ns", f, 1.5,
                   "Gatekeeper.decideSdk(id: \"facebook\") from Swift through the uniffi bindings (release cdylib, swift build -c release); "
                       + "floor: ffiFloorDecision(id: \"facebook\"), an exported no-op with the same argument and a Decision record")
    }

    /// swift_cached: DecisionCache hits against Dictionary gets of the same decisions, cycling
    /// through 8 SDKs on both sides (so neither loop looks up one constant key).
    static func cachedRow(_ g: Gatekeeper, quick: Bool) throws -> String {
        let sdk = "facebook"
        let cache = DecisionCache(gatekeeper: g)
        defer { cache.close() }
        let ids = Array(([sdk] + g.manifest().sdks.map(\.id).filter { $0 != sdk }).prefix(8))
        guard ids.count == 8 else { throw BenchError("the bench manifest has fewer than 8 SDKs") }
        var map: [String: Decision] = [:]
        for id in ids { map[id] = g.decideSdk(id: id) }
        guard cache.sdk(sdk).validUntil != nil else {
            throw BenchError("facebook's allow carries no valid_until: the expiry path would not be live")
        }
        var k = 0
        for _ in 0..<400_000 { // warm-up
            sink = cache.sdk(ids[k & 7]); k &+= 1
            sink = map[ids[k & 7]]; k &+= 1
        }
        let (v, f) = interleaved(
            reps: quick ? 51 : 201, batch: 200_000,
            value: { () -> Decision? in defer { k &+= 1 }; return cache.sdk(ids[k & 7]) },
            floor: { () -> Decision? in defer { k &+= 1 }; return map[ids[k & 7]] })
        return row("swift_cached", v, "ns", f, 3.0,
                   "DecisionCache.sdk hits over 8 SDKs (system clock: NSLock, Dictionary lookup, expiry by timer); "
                       + "floor: Dictionary<String, Decision> subscript get of the same 8 in the same run; misses: \(cache.misses)")
    }

    struct BenchError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Copies the store (and its WAL, if any) to `to`, replacing what was there.
    static func copyStore(from: URL, to: URL) throws -> URL {
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: to.path + suffix) }
        for suffix in ["", "-wal"] where fm.fileExists(atPath: from.path + suffix) {
            try fm.copyItem(atPath: from.path + suffix, toPath: to.path + suffix)
        }
        return to
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Times `batch` calls of `value` and of `floor`, alternately, `reps` times; median ns per
    /// call of each.
    @inline(__always)
    static func interleaved<T>(reps: Int, batch: Int, value: () -> T, floor: () -> T) -> (Double, Double) {
        var v = [Double](repeating: 0, count: reps)
        var f = [Double](repeating: 0, count: reps)
        for r in 0..<reps {
            for side in 0...1 {
                let measureValue = (side == 0) == (r % 2 == 0)
                var last: T?
                let t = DispatchTime.now().uptimeNanoseconds
                if measureValue {
                    for _ in 0..<batch { last = value() }
                } else {
                    for _ in 0..<batch { last = floor() }
                }
                let ns = Double(DispatchTime.now().uptimeNanoseconds - t) / Double(batch)
                sink = last
                if measureValue { v[r] = ns } else { f[r] = ns }
            }
        }
        return (median(v), median(f))
    }

    static func row(_ name: String, _ value: Double, _ unit: String, _ floor: Double, _ target: Double, _ note: String) -> String {
        func num(_ x: Double) -> String { String(format: "%.1f", x) }
        let esc = note.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + " " + pad(num(value), 12) + " \(unit)  floor "
              + pad(num(floor), 12) + "  ratio " + String(format: "%.3f", value / floor) + "  target \(target)")
        return "  {\"name\": \"\(name)\", \"value\": \(num(value)), \"unit\": \"\(unit)\", \"floor\": \(num(floor)), \"target\": \(target), \"note\": \"\(esc)\"}"
    }
}
