//! Declared but absent: `unused_permission` and `sdk_not_found`, judged only for platforms
//! whose files were given and read.

mod common;

use common::*;
use gatekeeper_build_lint::{lint_build, lint_paths, BuildFile, Code, FileKind};

fn with_contacts_and_bugly() -> gatekeeper_build_lint::Declared {
    let mut declared = pinshop();
    declared.permissions.push(permission(
        "contacts",
        &["android.permission.READ_CONTACTS"],
        &["NSContactsUsageDescription"],
    ));
    declared.sdks.push(sdk("bugly", "Tencent Bugly", &["essential"], &["com.tencent.bugly"], &["Bugly"]));
    declared
}

#[test]
fn a_permission_and_an_sdk_the_build_never_shows_are_warned_about() {
    let declared = with_contacts_and_bugly();
    let report = lint(&declared, &all_files());
    assert!(report.is_ok(), "warnings only: {report}");
    let contacts = declared.permissions.len() - 1;
    let bugly = declared.sdks.len() - 1;
    let android = the(&report, Code::UnusedPermission, &format!("/permissions/{contacts}/android"));
    assert!(android.message.contains("READ_CONTACTS"), "{}", android.message);
    the(&report, Code::UnusedPermission, &format!("/permissions/{contacts}/ios"));
    let sdk = the(&report, Code::SdkNotFound, &format!("/sdks/{bugly}/packages"));
    assert!(sdk.message.contains("com.tencent.bugly"), "{}", sdk.message);
    the(&report, Code::SdkNotFound, &format!("/sdks/{bugly}/ios_modules"));
    assert_eq!(report.warnings().len(), 4, "{report}");
    // They come after the files' findings, in manifest order.
    assert_eq!(
        serde_json::to_value(&report).unwrap()["warnings"][0]["path"],
        serde_json::json!(format!("/permissions/{contacts}/android"))
    );
}

#[test]
fn only_platforms_whose_files_were_given_are_judged() {
    let declared = with_contacts_and_bugly();
    let android_only = lint(&declared, &[(FileKind::AndroidManifest, MERGED)]);
    let paths: Vec<&str> = android_only.warnings().iter().map(|f| f.path.as_str()).collect();
    assert!(paths.iter().all(|p| p.ends_with("/android") || p.ends_with("/packages")), "{android_only}");
    assert_eq!(paths.len(), 2, "{android_only}");

    let ios_only = lint(&declared, &[(FileKind::InfoPlist, INFO_PLIST)]);
    let paths: Vec<&str> = ios_only.warnings().iter().map(|f| f.path.as_str()).collect();
    // Without a privacy manifest, iOS modules are not judged; without an AndroidManifest.xml,
    // packages and Android names are not.
    assert_eq!(paths, [format!("/permissions/{}/ios", declared.permissions.len() - 1)], "{ios_only}");

    assert_eq!(lint(&declared, &[]).findings().count(), 0);
}

#[test]
fn a_platform_whose_file_failed_is_not_judged() {
    let declared = with_contacts_and_bugly();
    let broken = b"<manifest><application></manifest>";
    let report = lint_build(&declared, &[BuildFile::new(FileKind::AndroidManifest, "app/AndroidManifest.xml", broken)]);
    assert_eq!(report.errors().len(), 1);
    assert_eq!(report.errors()[0].code, Code::MalformedFile);
    assert!(report.warnings().is_empty(), "{report}");

    // Unreadable paths count as failed too.
    let missing = fixture_path("android/missing/AndroidManifest.xml");
    let report = lint_paths(&declared, &[(FileKind::AndroidManifest, missing)]);
    assert_eq!(report.errors()[0].code, Code::FileNotFound);
    assert!(report.warnings().is_empty(), "{report}");
}

#[test]
fn a_removed_permission_counts_as_absent() {
    // The source manifest removes READ_PHONE_STATE with tools:node="remove".
    let declared = pinshop();
    let report = lint(&declared, &[(FileKind::AndroidManifest, SOURCE)]);
    let phone_state = declared.permissions.iter().position(|p| p.id == "phone_state").unwrap();
    the(&report, Code::UnusedPermission, &format!("/permissions/{phone_state}/android"));
}

#[test]
fn an_unreadable_privacy_manifest_still_shows_its_module() {
    let declared = pinshop();
    let dir = tempfile::tempdir().unwrap();
    let framework = dir.path().join("FBSDKCoreKit.framework");
    std::fs::create_dir(&framework).unwrap();
    // A directory where the file should be: unreadable, but the path names the module.
    std::fs::create_dir(framework.join("PrivacyInfo.xcprivacy")).unwrap();
    let google = fixture_path(GOOGLE_PRIVACY);
    let report = lint_paths(
        &declared,
        &[(FileKind::PrivacyManifest, framework.join("PrivacyInfo.xcprivacy")), (FileKind::PrivacyManifest, google)],
    );
    assert_eq!(report.errors().len(), 1, "{report}");
    assert_eq!(report.errors()[0].code, Code::NotAFile);
    assert!(with_code(&report, Code::SdkNotFound).is_empty(), "{report}");
}
