//! Property tests of both parsers' entry points: whatever the bytes, `lint_build` returns
//! (never panics), every finding names the file it came from, and a file that cannot be
//! read as its kind gets exactly one `malformed_file` error. Inputs are arbitrary bytes,
//! bytes behind a valid header (so the XML and binary-plist readers get past their first
//! check), and random mutations of the realistic fixtures.

mod common;
#[path = "support/invariants.rs"]
mod invariants;

use common::*;
use gatekeeper_build_lint::{Declared, FileKind};
use invariants::small_declared;
use proptest::prelude::*;

const KINDS: [FileKind; 3] = [FileKind::AndroidManifest, FileKind::InfoPlist, FileKind::PrivacyManifest];
const PATH: &str = "build/Some File.xml";

/// The invariants, against the fixture app's manifest, the small one and an empty one.
fn check(kind: FileKind, bytes: &[u8]) {
    for declared in [pinshop(), small_declared(), Declared::default()] {
        invariants::check(&declared, kind, PATH, bytes);
    }
}

/// A fixture with random byte edits: replaced, inserted, removed, or cut short.
fn mutated(original: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = original.len();
    (prop::collection::vec((0..len, any::<u8>(), 0u8..3), 1..8), 0..=len).prop_map(move |(edits, cut)| {
        let mut bytes = original.clone();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match op {
                0 if !bytes.is_empty() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        if cut < bytes.len() && cut % 3 == 0 {
            bytes.truncate(cut);
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), kind in 0usize..3) {
        check(KINDS[kind], &bytes);
    }

    #[test]
    fn bytes_behind_a_valid_header_never_panic(tail in prop::collection::vec(any::<u8>(), 0..1024), header in 0usize..4) {
        let header: &[u8] = [&b"bplist00"[..], b"<?xml version=\"1.0\"?><plist><dict><key>", b"<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\"><application>", b"<"][header];
        let bytes: Vec<u8> = header.iter().chain(&tail).copied().collect();
        for kind in KINDS {
            check(kind, &bytes);
        }
    }

    #[test]
    fn a_mutated_merged_manifest_never_panics(bytes in mutated(fixture(MERGED))) {
        check(FileKind::AndroidManifest, &bytes);
    }

    #[test]
    fn a_mutated_privacy_manifest_never_panics(bytes in mutated(fixture(FB_PRIVACY))) {
        check(FileKind::PrivacyManifest, &bytes);
    }

    #[test]
    fn a_mutated_binary_plist_never_panics(bytes in mutated(fixture(INFO_BINARY))) {
        check(FileKind::InfoPlist, &bytes);
        check(FileKind::PrivacyManifest, &bytes);
    }
}
