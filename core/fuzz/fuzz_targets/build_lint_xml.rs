//! Fuzzes build lint's XML entry point: `gatekeeper_build_lint::lint_build` on an
//! AndroidManifest.xml (roxmltree behind the entity and nesting guards, then the permission
//! and SDK checks).
//!
//! A build file comes from the app's build or from anywhere a developer points the CLI, so
//! it is untrusted. Checked on every input, against an empty manifest and a small one
//! (`core/build-lint/tests/support/invariants.rs`, shared with the property tests): no
//! panic, no stack overflow, every finding names the file and line, a malformed file gets
//! exactly one `malformed_file` error, `ok` means no error.
#![no_main]

use gatekeeper_build_lint::{Declared, FileKind};
use libfuzzer_sys::fuzz_target;

#[path = "../../build-lint/tests/support/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    for declared in [Declared::default(), invariants::small_declared()] {
        invariants::check(&declared, FileKind::AndroidManifest, "app/AndroidManifest.xml", data);
    }
});
