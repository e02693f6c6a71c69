//! The invariants every build-lint report must keep, whatever the input: shared by the
//! property tests (`tests/properties.rs`) and the fuzz targets (`core/fuzz`, which include
//! this file with `#[path]`), so both check the same things.

use gatekeeper_build_lint::{
    lint_build, BuildFile, Code, Declared, DeclaredPermission, DeclaredPurpose, DeclaredSdk, FileKind, Report,
};

/// A small manifest: one permission, an SDK with packages, modules and domains under a
/// consent-based purpose, and one declared by name only. Linting against it runs the
/// matching paths as well as the reporting ones.
pub fn small_declared() -> Declared {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Declared {
        purposes: vec![DeclaredPurpose { id: "ads".into(), consent_based: true, data: strings(&["device_id"]) }],
        permissions: vec![DeclaredPermission {
            id: "camera".into(),
            android: strings(&["android.permission.CAMERA"]),
            ios: strings(&["NSCameraUsageDescription"]),
        }],
        sdks: vec![
            DeclaredSdk {
                id: "facebook".into(),
                name: "Facebook SDK".into(),
                purposes: strings(&["ads"]),
                packages: strings(&["com.facebook"]),
                ios_modules: strings(&["FBSDKCoreKit"]),
                domains: strings(&["facebook.com"]),
                ..Default::default()
            },
            DeclaredSdk { id: "jpush".into(), name: "JPush".into(), ..Default::default() },
        ],
    }
}

/// Lints `bytes` as one file of `kind` at `path` and checks: every finding names the file
/// (`path:LINE`) or, for the manifest-side warnings only, a JSON pointer; every message says
/// something; a file that cannot be read as its kind gets exactly one error,
/// `malformed_file`, naming it; `ok` means no error.
pub fn check(declared: &Declared, kind: FileKind, path: &str, bytes: &[u8]) -> Report {
    let report = lint_build(declared, &[BuildFile::new(kind, path, bytes)]);
    for f in report.findings() {
        if f.path.starts_with('/') {
            assert!(!f.is_error(), "a JSON-pointer finding must be a warning: {f}");
        } else {
            let line = f.path.strip_prefix(path).and_then(|rest| rest.strip_prefix(':'));
            assert!(line.is_some_and(|l| l.parse::<u32>().is_ok()), "finding without FILE:LINE: {f}");
        }
        assert!(!f.message.is_empty(), "empty message: {f}");
    }
    if report.errors().iter().any(|f| f.code == Code::MalformedFile) {
        assert_eq!(report.errors().len(), 1, "a malformed file gets one error: {report}");
        assert!(report.errors()[0].message.contains(path), "the error names the file: {report}");
    }
    assert_eq!(report.is_ok(), report.errors().is_empty());
    report
}
