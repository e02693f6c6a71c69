//! Fuzzes `gatekeeper::manifest::diff::diff` (`gatekeeper diff OLD.json NEW.json`) and
//! the manifest fingerprint, on two texts split from the input at its first NUL byte
//! (no NUL: the input against itself). Checked on every input:
//! - `diff` never panics; invalid input is `DiffError::Invalid` naming old or new;
//! - a valid manifest against itself has no change, needs no bump and is ok;
//! - a change that needs a bump is listed, and the required bump is the largest listed;
//! - two manifests with the same fingerprint differ by nothing `diff` reports.
#![no_main]

use gatekeeper::manifest::diff::{diff, Bump, DiffError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&x| x == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    match diff(&a, &b) {
        Ok(d) => {
            assert_eq!(d.required, d.changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None));
            if a == b {
                assert!(d.changes.is_empty() && d.ok(), "a manifest differs from itself: {d:?}");
            }
            let (fa, fb) = (gatekeeper::manifest::parse(&a).unwrap(), gatekeeper::manifest::parse(&b).unwrap());
            if fa.fingerprint == fb.fingerprint {
                assert!(d.changes.is_empty(), "same fingerprint, yet {d:?}");
            }
        }
        Err(DiffError::Invalid(which, issues)) => assert!(["old", "new"].contains(&which) && !issues.is_empty()),
        Err(DiffError::OtherPolicy { old, new }) => assert_ne!(old, new),
    }
});
