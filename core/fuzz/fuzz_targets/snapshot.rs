//! Fuzzes `gatekeeper::snapshot::decode`, which reads the fold snapshot back from the
//! store's `meta` table (a file on the device that may be corrupt or edited).
//!
//! The input is read as text (`String::from_utf8_lossy`). When it starts with `*`, the
//! rest is taken as the snapshot's JSON and given a correct checksum, so the fuzzer gets
//! past the checksum to the JSON. Checked on every input:
//! - `decode` never panics;
//! - a snapshot it accepts encodes to text that decodes to the same snapshot.
#![no_main]

use gatekeeper::ledger::to_hex;
use gatekeeper::snapshot::{checksum, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = match text.strip_prefix('*') {
        Some(json) => format!("{}:{json}", to_hex(&checksum(json.as_bytes()))),
        None => text.into_owned(),
    };
    if let Some(s) = decode(&text) {
        assert_eq!(decode(&encode(&s)).as_ref(), Some(&s), "a decoded snapshot must round-trip");
    }
});
