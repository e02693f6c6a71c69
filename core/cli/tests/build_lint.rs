//! `gatekeeper lint FILE --android … --ios … --privacy-manifest …` (contract §10.3) through
//! the binary, on the Phocol build files in `tests/fixtures/phocol/` (a merged
//! AndroidManifest.xml with push, map, login and analytics SDK components, an Info.plist with
//! usage descriptions, the app's and SDKs' privacy manifests): they match the example
//! manifest, so lint passes; each undeclared permission, undisclosed SDK and undeclared
//! tracking added to them is an error at its `FILE:LINE`; bad files never crash it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policy/example-manifest.json");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/phocol")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

fn lint(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper")).args(args).current_dir(dir).output().unwrap();
    Run {
        code: out.status.code().expect("exited normally, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The fixture tree copied into `dir`, so a test can edit files in it.
fn copy_fixtures(dir: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let root = dir.join("phocol");
    copy(&fixtures(), &root);
    root
}

/// Every file of a fixture tree as lint arguments, paths relative to `root`'s parent.
fn build_args(root: &Path) -> Vec<String> {
    let mut args = vec!["--android".to_owned(), "phocol/android/AndroidManifest.xml".to_owned()];
    args.extend(["--ios".to_owned(), "phocol/ios/Payload/Phocol.app/Info.plist".to_owned()]);
    let mut manifests = Vec::new();
    let mut stack = vec![root.join("ios")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "PrivacyInfo.xcprivacy") {
                manifests.push(p.strip_prefix(root.parent().unwrap()).unwrap().display().to_string());
            }
        }
    }
    manifests.sort();
    for m in manifests {
        args.extend(["--privacy-manifest".to_owned(), m]);
    }
    args
}

fn run_lint(dir: &Path, root: &Path, manifest: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--json".to_owned(), "lint".to_owned(), manifest.to_owned()];
    args.extend(build_args(root));
    args.extend(extra.iter().map(|s| s.to_string()));
    lint(dir, &args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    1 + text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
}

fn codes_at(doc: &Value, list: &str) -> Vec<(String, String)> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_owned(), f["path"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn the_phocol_build_matches_the_example_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixtures(dir.path());
    let run = run_lint(dir.path(), &root, EXAMPLE, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(doc["ok"], json!(true));
    assert_eq!(doc["errors"], json!([]), "{doc:#}");
    // What the manifest declares and these files do not show is only a warning: MMKV has
    // no Android component, several SDKs' privacy manifests are not among the files.
    for (code, path) in codes_at(&doc, "warnings") {
        assert!(
            ["sdk_not_found", "undeclared_data"].contains(&code.as_str()),
            "unexpected warning {code} at {path}: {doc:#}"
        );
    }
    assert!(codes_at(&doc, "warnings").contains(&("sdk_not_found".into(), "/sdks/0/packages".into())));
    // Text: the file is named, and the summary counts.
    let mut args = vec!["lint".to_owned(), EXAMPLE.to_owned()];
    args.extend(build_args(&root));
    let text = lint(dir.path(), &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(text.code, 0, "{}", text.stdout);
    assert!(text.stdout.contains("/sdks/0/packages: warning[sdk_not_found]"), "{}", text.stdout);
    assert!(text.stdout.trim_end().ends_with("0 error(s), 10 warning(s)"), "{}", text.stdout);
}

#[test]
fn every_undeclared_permission_undisclosed_sdk_and_tracking_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixtures(dir.path());
    let android = root.join("android/AndroidManifest.xml");
    let xml = std::fs::read_to_string(&android).unwrap();
    let xml = xml
        .replace(
            "    <uses-permission android:name=\"android.permission.CAMERA\" />\n",
            "    <uses-permission android:name=\"android.permission.CAMERA\" />\n    \
             <uses-permission android:name=\"android.permission.POST_NOTIFICATIONS\" />\n    \
             <uses-permission-sdk-23 android:name=\"android.permission.READ_PHONE_STATE\" />\n",
        )
        .replace(
            "        <!-- AMap location -->\n",
            "        <!-- Umeng analytics and JPush, added by a dependency -->\n        \
             <meta-data android:name=\"UMENG_APPKEY\" android:value=\"5f8a1b2c3d4e5f6a7b8c9d0e\" />\n        \
             <service android:name=\"cn.jpush.android.service.PushService\" android:exported=\"false\" />\n        \
             <!-- AMap location -->\n",
        );
    std::fs::write(&android, xml).unwrap();
    let plist = root.join("ios/Payload/Phocol.app/Info.plist");
    let text = std::fs::read_to_string(&plist).unwrap().replace(
        "\t<key>UIBackgroundModes</key>\n",
        "\t<key>NSUserTrackingUsageDescription</key>\n\t<string>Allow tracking to see personalised offers.</string>\n\t<key>UIBackgroundModes</key>\n",
    );
    std::fs::write(&plist, text).unwrap();
    // An SDK framework the manifest does not declare, which tracks; and Crashlytics (a
    // legitimate-interest purpose) whose privacy manifest says it tracks.
    let fb = std::fs::read_to_string(
        root.join("ios/Payload/Phocol.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy"),
    )
    .unwrap();
    for module in ["AppsFlyerLib", "FirebaseCrashlytics"] {
        let d = root.join(format!("ios/Payload/Phocol.app/Frameworks/{module}.framework"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("PrivacyInfo.xcprivacy"), &fb).unwrap();
    }

    let run = run_lint(dir.path(), &root, EXAMPLE, &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(doc["ok"], json!(false));
    let at = |file: &str, line: usize| format!("{file}:{line}");
    let a = "phocol/android/AndroidManifest.xml";
    let i = "phocol/ios/Payload/Phocol.app/Info.plist";
    let appsflyer = "phocol/ios/Payload/Phocol.app/Frameworks/AppsFlyerLib.framework/PrivacyInfo.xcprivacy";
    let crashlytics = "phocol/ios/Payload/Phocol.app/Frameworks/FirebaseCrashlytics.framework/PrivacyInfo.xcprivacy";
    let tracking_line = line_of(&root.join(appsflyer.trim_start_matches("phocol/")), "NSPrivacyTracking</key>");
    let expected: Vec<(String, String)> = vec![
        ("undeclared_permission".into(), at(a, line_of(&android, "POST_NOTIFICATIONS"))),
        ("undeclared_permission".into(), at(a, line_of(&android, "READ_PHONE_STATE"))),
        ("undisclosed_sdk".into(), at(a, line_of(&android, "UMENG_APPKEY"))),
        ("undisclosed_sdk".into(), at(a, line_of(&android, "cn.jpush.android.service.PushService"))),
        ("undeclared_permission".into(), at(i, line_of(&plist, "NSUserTrackingUsageDescription"))),
    ];
    let errors = codes_at(&doc, "errors");
    for e in &expected {
        assert!(errors.contains(e), "{e:?} missing from {errors:#?}");
    }
    // The undeclared AppsFlyer framework: undisclosed, and its tracking undeclared.
    assert!(errors.iter().any(|(c, p)| c == "undisclosed_sdk" && p.starts_with(appsflyer)), "{errors:#?}");
    assert!(errors.contains(&("undeclared_tracking".into(), at(appsflyer, tracking_line))), "{errors:#?}");
    // Crashlytics is declared, but not for a consent-based purpose: its tracking is undeclared.
    assert!(errors.iter().any(|(c, p)| c == "undeclared_tracking" && p.starts_with(crashlytics)), "{errors:#?}");
    assert_eq!(errors.len(), expected.len() + 3, "{errors:#?}");
    for e in doc["errors"].as_array().unwrap() {
        assert_eq!(e.as_object().unwrap().len(), 3, "{e}");
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    let umeng =
        doc["errors"].as_array().unwrap().iter().find(|e| e["message"].as_str().unwrap().contains("UMENG_APPKEY"));
    assert!(umeng.unwrap()["message"].as_str().unwrap().contains("Umeng"), "names the SDK it looks like");
}

#[test]
fn an_invalid_manifest_is_reported_with_its_paths_and_the_build_is_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixtures(dir.path());
    let bad = dir.path().join("bad.json");
    let text = std::fs::read_to_string(EXAMPLE).unwrap().replacen(
        "\"packages\": [\n        \"com.tencent.mmkv\"",
        "\"packages\": [\n        \"com..mmkv\"",
        1,
    );
    std::fs::write(&bad, text).unwrap();
    let run = run_lint(dir.path(), &root, bad.to_str().unwrap(), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(
        codes_at(&doc, "errors"),
        [
            ("invalid_manifest".to_owned(), "/sdks/0/packages/0".to_owned()),
            ("invalid_manifest".to_owned(), String::new()),
        ]
    );
    assert!(doc["errors"][1]["message"].as_str().unwrap().contains("not checked"), "{doc}");
    assert_eq!(doc["warnings"], json!([]));
}

#[test]
fn bad_build_files_are_errors_naming_the_file_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("broken.xml"), "<manifest>\n  <application>\n</manifest>\n").unwrap();
    std::fs::write(d.join("binary.plist"), b"bplist00\xd1\x01\x02garbage").unwrap();
    let laughs = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n{}]>\n<manifest>&lol9;</manifest>\n",
        (1..10)
            .map(|n| format!(
                " <!ENTITY lol{n} \"{}\">\n",
                format!("&lol{};", if n == 1 { String::new() } else { (n - 1).to_string() }).repeat(10)
            ))
            .collect::<String>()
    );
    std::fs::write(d.join("laughs.xml"), laughs).unwrap();
    std::fs::create_dir(d.join("Some.framework")).unwrap();
    let huge = d.join("huge.xml");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(17 * 1024 * 1024).unwrap();
    let run = lint(
        d,
        &[
            "--json",
            "lint",
            EXAMPLE,
            "--android",
            "broken.xml",
            "--android",
            "laughs.xml",
            "--android",
            "huge.xml",
            "--ios",
            "binary.plist",
            "--privacy-manifest",
            "Some.framework",
            "--ios",
            "missing.plist",
        ],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let doc = run.json();
    let errors = codes_at(&doc, "errors");
    let by_file = |file: &str| errors.iter().find(|(_, p)| p.starts_with(&format!("{file}:"))).cloned();
    assert_eq!(by_file("broken.xml").map(|e| e.0), Some("malformed_file".into()), "{errors:#?}");
    assert_eq!(by_file("laughs.xml").map(|e| e.0), Some("malformed_file".into()), "{errors:#?}");
    assert_eq!(by_file("huge.xml").map(|e| e.0), Some("file_too_large".into()), "{errors:#?}");
    assert_eq!(by_file("binary.plist").map(|e| e.0), Some("malformed_file".into()), "{errors:#?}");
    assert_eq!(by_file("Some.framework").map(|e| e.0), Some("not_a_file".into()), "{errors:#?}");
    assert_eq!(by_file("missing.plist").map(|e| e.0), Some("file_not_found".into()), "{errors:#?}");
    // The broken XML's error names its line.
    let broken = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().starts_with("broken.xml:"))
        .unwrap();
    assert_ne!(broken["path"], json!("broken.xml:0"), "{broken}");
}

#[test]
fn binary_info_plists_as_a_built_ipa_has_them() {
    // Written from the fixture's Info.plist by Python's plistlib (FMT_BINARY): the same keys,
    // and in the second one also NSUserTrackingUsageDescription and NSFaceIDUsageDescription.
    let dir = fixtures();
    let run = lint(&dir, &["--json", "lint", EXAMPLE, "--ios", "ios/Info.binary.plist"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["errors"], json!([]));
    let run = lint(&dir, &["--json", "lint", EXAMPLE, "--ios", "ios/Info.tracking.binary.plist"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    // A binary plist has no lines: line 0, and the message names the key.
    let errors = codes_at(&doc, "errors");
    assert_eq!(
        errors,
        [
            ("undeclared_permission".to_owned(), "ios/Info.tracking.binary.plist:0".to_owned()),
            ("undeclared_permission".to_owned(), "ios/Info.tracking.binary.plist:0".to_owned()),
        ]
    );
    let messages: Vec<&str> =
        doc["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("NSUserTrackingUsageDescription")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("NSFaceIDUsageDescription")), "{messages:?}");
}
