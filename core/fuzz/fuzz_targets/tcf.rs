//! Fuzzes the TC string and Additional Consent decoders of `gatekeeper::tcf` (the strings
//! a CMP stored in `IABTCF_TCString` / `IABTCF_AddtlConsent`, which the app does not
//! control).
//!
//! The input is read as text (`String::from_utf8_lossy`), except that an input starting
//! with `#` is raw segment bits: the rest is split at `#` bytes and each part is
//! base64url-encoded, so the fuzzer reaches the bit-level fields without first having to
//! discover base64. Checked on every input:
//! - `TcString::decode` and `AdditionalConsent::decode` never panic (overflow checks on);
//! - a TC string it accepts encodes, and decoding that encoding gives back the same value
//!   (the same consent); its JSON and its staleness can be computed;
//! - an AC string it accepts encodes to text that decodes to the same value.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatekeeper::tcf::{AdditionalConsent, TcString};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match data.strip_prefix(b"#") {
        Some(raw) => raw.split(|&b| b == b'#').map(|s| URL_SAFE_NO_PAD.encode(s)).collect::<Vec<_>>().join("."),
        None => String::from_utf8_lossy(data).into_owned(),
    };

    if let Ok(tc) = TcString::decode(&text) {
        let encoded = tc.encode().expect("a decoded TC string must encode");
        let again = TcString::decode(&encoded).expect("an encoded TC string must decode");
        assert_eq!(again, tc, "encode then decode changed {text:?} (encoded as {encoded:?})");
        let _ = tc.to_json();
        let _ = tc.is_stale(i64::MAX);
        let _ = tc.is_stale(i64::MIN);
    }

    if let Ok(ac) = AdditionalConsent::decode(&text) {
        assert_eq!(AdditionalConsent::decode(&ac.encode()).as_ref(), Ok(&ac), "{text:?} does not round-trip");
    }
});
