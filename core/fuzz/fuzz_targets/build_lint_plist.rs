//! Fuzzes build lint's plist entry point: `gatekeeper_build_lint::lint_build` on an
//! Info.plist or a PrivacyInfo.xcprivacy, XML (roxmltree for lines, the plist crate's XML
//! reader for meaning) or binary (the plist crate's binary reader, under the value, text
//! and depth limits).
//!
//! The first byte picks the file: even → an Info.plist; odd → a privacy manifest, the app's
//! own (`% 4 == 1`) or an SDK framework's (`% 4 == 3`, a module the small manifest lists).
//! The rest is the file. Checked on every input, against an empty manifest and a small one
//! (`core/build-lint/tests/support/invariants.rs`, shared with the property tests): no
//! panic, no stack overflow, every finding names the file and line, a malformed file gets
//! exactly one `malformed_file` error, `ok` means no error.
#![no_main]

use gatekeeper_build_lint::{Declared, FileKind};
use libfuzzer_sys::fuzz_target;

#[path = "../../build-lint/tests/support/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let (kind, path) = match selector % 4 {
        0 | 2 => (FileKind::InfoPlist, "Payload/Shop.app/Info.plist"),
        1 => (FileKind::PrivacyManifest, "Payload/Shop.app/PrivacyInfo.xcprivacy"),
        _ => (FileKind::PrivacyManifest, "Payload/Shop.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy"),
    };
    for declared in [Declared::default(), invariants::small_declared()] {
        invariants::check(&declared, kind, path, bytes);
    }
});
