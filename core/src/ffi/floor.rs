//! The floor the Kotlin and Swift benchmarks measure an FFI decision against.
//!
//! A decision from Kotlin crosses the FFI through uniffi (on the JVM, JNA), and that
//! crossing, not the decision, is most of what it costs. To tell the two apart,
//! `.ci/bench` times `decideSdk` against this function: same argument, a returned record
//! of the same shape ([`Decision`]), and no work. It is exported from the library apps
//! ship (a few hundred bytes) so that the library measured is the library whose size the
//! benchmark reports; apps have no reason to call it.

use std::time::UNIX_EPOCH;

use super::Decision;
use crate::decide::{Reason, Verdict};

/// Does nothing and returns a fixed `allow` decision for `sdk:<id>`, shaped like the one
/// `decideSdk` returns, for benchmarking the FFI crossing alone. Not for app use.
#[uniffi::export]
pub fn ffi_floor_decision(id: String) -> Decision {
    Decision {
        subject: id,
        verdict: Verdict::Allow,
        reason: Reason::Consented,
        purposes: Vec::new(),
        sdks: Vec::new(),
        retry_after: None,
        valid_until: Some(UNIX_EPOCH),
        policy_version: String::new(),
        jurisdiction: String::new(),
        decided_at: UNIX_EPOCH,
    }
}
