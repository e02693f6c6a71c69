// `gatekeeper-bench OUT_DIR --split`: where the time of one swift_decide goes, for the README
// and for profiling; no row. It calls the C functions of the FFI directly (lowering the id
// and freeing the returned buffer by hand, lifting nothing), beside the generated bindings'
// full calls, so the difference is what lifting the `Decision` record costs in Swift.

import Foundation
import GatekeeperCore
import GatekeeperCoreFFI

enum CostSplit {
    /// The id as a Rust-owned buffer, as the generated bindings lower a String.
    private static func lowered(_ s: String) -> RustBuffer {
        var status = RustCallStatus()
        return Array(s.utf8).withUnsafeBufferPointer { p in
            ffi_gatekeeper_rustbuffer_from_bytes(ForeignBytes(len: Int32(p.count), data: p.baseAddress), &status)
        }
    }

    private static func free(_ b: RustBuffer) {
        var status = RustCallStatus()
        ffi_gatekeeper_rustbuffer_free(b, &status)
    }

    /// Median ns per call over 301 batches of 100 (sequential, not interleaved: a diagnostic).
    private static func time(_ name: String, _ body: () -> Void) {
        var xs: [Double] = []
        for _ in 0..<301 {
            let t = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<100 { body() }
            xs.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 100)
        }
        xs.sort()
        print(name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%9.0f ns", xs[150]))
    }

    static func run(_ g: Gatekeeper) {
        let id = "facebook"
        var size = (floor: 0, decide: 0)
        for round in 1...2 {
            print("round \(round) of 2 (the first warms up)")
            time("floor, C call only: lower id, call, free the buffer") {
                var status = RustCallStatus()
                let b = uniffi_gatekeeper_fn_func_ffi_floor_decision(lowered(id), &status)
                size.floor = Int(b.len)
                free(b)
            }
            time("decideSdk, C call only: clone handle, lower, call, free") {
                var status = RustCallStatus()
                let b = uniffi_gatekeeper_fn_method_gatekeeper_decide_sdk(g.uniffiCloneHandle(), lowered(id), &status)
                size.decide = Int(b.len)
                free(b)
            }
            time("ffiFloorDecision(id:), generated bindings (record lifted)") { sink = ffiFloorDecision(id: id) }
            time("decideSdk(id:), generated bindings (record lifted)") { sink = g.decideSdk(id: id) }
        }
        print("serialised Decision: \(size.floor) bytes (floor), \(size.decide) bytes (decideSdk)")
    }
}
