//! What the build-lint test files share: the fixtures, the manifest of the fixture app
//! ("PinShop") as a [`Declared`], and helpers to find lines and findings.
#![allow(dead_code)] // each test file uses a different part

use std::path::PathBuf;

use gatekeeper_build_lint::{
    lint_build, BuildFile, Code, Declared, DeclaredPermission, DeclaredPurpose, DeclaredSdk, FileKind, Finding, Report,
};

pub const MERGED: &str = "android/merged/AndroidManifest.xml";
pub const SOURCE: &str = "android/source/AndroidManifest.xml";
pub const INFO_PLIST: &str = "ios/Payload/PinShop.app/Info.plist";
pub const INFO_BINARY: &str = "ios/Info.binary.plist";
pub const APP_PRIVACY: &str = "ios/Payload/PinShop.app/PrivacyInfo.xcprivacy";
pub const FB_PRIVACY: &str = "ios/Payload/PinShop.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy";
pub const GOOGLE_PRIVACY: &str = "ios/Payload/PinShop.app/GoogleSignIn.bundle/PrivacyInfo.xcprivacy";

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

pub fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// The 1-based line of the first line of `text` containing `needle`.
pub fn line_of(text: &str, needle: &str) -> u32 {
    let index = text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("`{needle}` not in fixture"));
    index as u32 + 1
}

/// `FIXTURE:LINE` of the first line of fixture `name` containing `needle`: a finding's path.
pub fn at_line(name: &str, needle: &str) -> String {
    format!("{name}:{}", line_of(&fixture_text(name), needle))
}

/// The line of the element whose attribute line contains `needle`: the `<tag` line at or
/// before it (merged manifests put each attribute on its own line).
pub fn element_line(text: &str, needle: &str) -> u32 {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("`{needle}` not in fixture"));
    let start = (0..=at).rev().find(|&i| lines[i].trim_start().starts_with('<')).unwrap();
    start as u32 + 1
}

/// Lints fixtures, each given with its path relative to `tests/fixtures` (as the CLI would
/// pass a relative path).
pub fn lint(declared: &Declared, files: &[(FileKind, &str)]) -> Report {
    let contents: Vec<Vec<u8>> = files.iter().map(|(_, name)| fixture(name)).collect();
    let build: Vec<BuildFile<'_>> =
        files.iter().zip(&contents).map(|((kind, name), bytes)| BuildFile::new(*kind, name, bytes)).collect();
    lint_build(declared, &build)
}

/// Every file of the fixture app.
pub fn all_files() -> Vec<(FileKind, &'static str)> {
    vec![
        (FileKind::AndroidManifest, MERGED),
        (FileKind::InfoPlist, INFO_PLIST),
        (FileKind::PrivacyManifest, APP_PRIVACY),
        (FileKind::PrivacyManifest, FB_PRIVACY),
        (FileKind::PrivacyManifest, GOOGLE_PRIVACY),
    ]
}

pub fn with_code(report: &Report, code: Code) -> Vec<&Finding> {
    report.findings().filter(|f| f.code == code).collect()
}

/// The findings about build files (not the manifest-side warnings, whose paths are JSON
/// pointers).
pub fn in_files(report: &Report) -> Vec<&Finding> {
    report.findings().filter(|f| !f.path.starts_with('/')).collect()
}

/// The finding with `code` at `path`, which must exist exactly once.
pub fn the<'r>(report: &'r Report, code: Code, path: &str) -> &'r Finding {
    let found: Vec<&Finding> = report.findings().filter(|f| f.code == code && f.path == path).collect();
    assert_eq!(found.len(), 1, "expected one {code} at {path}, found {found:?}\nreport:\n{report}");
    found[0]
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn purpose(id: &str, consent_based: bool, data: &[&str]) -> DeclaredPurpose {
    DeclaredPurpose { id: id.into(), consent_based, data: strings(data) }
}

pub fn permission(id: &str, android: &[&str], ios: &[&str]) -> DeclaredPermission {
    DeclaredPermission { id: id.into(), android: strings(android), ios: strings(ios) }
}

pub fn sdk(id: &str, name: &str, purposes: &[&str], packages: &[&str], ios_modules: &[&str]) -> DeclaredSdk {
    DeclaredSdk {
        id: id.into(),
        name: name.into(),
        purposes: strings(purposes),
        packages: strings(packages),
        ios_modules: strings(ios_modules),
        ..Default::default()
    }
}

/// PinShop's policy manifest, as the CLI would copy it into a [`Declared`]: it discloses
/// exactly what the fixtures ship.
pub fn pinshop() -> Declared {
    let mut facebook = sdk(
        "facebook",
        "Facebook SDK",
        &["account_login", "personalised_ads"],
        &["com.facebook"],
        &["FBSDKCoreKit", "FBSDKLoginKit"],
    );
    facebook.domains = strings(&["facebook.com"]);
    facebook.data = strings(&["device_id", "crash_log", "app_usage"]);
    let mut google = sdk(
        "google_sign_in",
        "Google Sign-In",
        &["account_login"],
        &["com.google.android.gms"],
        &["GoogleSignIn", "AppAuth", "GTMAppAuth", "GTMSessionFetcher"],
    );
    google.data = strings(&["account_profile", "ip_address"]);
    Declared {
        purposes: vec![
            purpose("essential", false, &["user_id", "purchase_history", "photos", "crash_log"]),
            purpose("payments", false, &["payment_token", "transaction_details"]),
            purpose("account_login", true, &["account_profile", "email"]),
            purpose("push_notifications", true, &["push_token", "device_id"]),
            purpose("analytics", true, &["device_id", "app_usage", "device_info"]),
            purpose("location_services", true, &["location"]),
            purpose("personalised_ads", true, &["advertising_id", "advertising_data"]),
        ],
        permissions: vec![
            permission("camera", &["android.permission.CAMERA"], &["NSCameraUsageDescription"]),
            permission(
                "location",
                &[
                    "android.permission.ACCESS_FINE_LOCATION",
                    "android.permission.ACCESS_COARSE_LOCATION",
                    "android.permission.ACCESS_BACKGROUND_LOCATION",
                ],
                &["NSLocationWhenInUseUsageDescription"],
            ),
            permission(
                "photos",
                &[
                    "android.permission.READ_MEDIA_IMAGES",
                    "android.permission.READ_MEDIA_VIDEO",
                    "android.permission.READ_EXTERNAL_STORAGE",
                    "android.permission.WRITE_EXTERNAL_STORAGE",
                ],
                &["NSPhotoLibraryUsageDescription", "NSPhotoLibraryAddUsageDescription"],
            ),
            permission("microphone", &["android.permission.RECORD_AUDIO"], &["NSMicrophoneUsageDescription"]),
            permission("notifications", &["android.permission.POST_NOTIFICATIONS"], &[]),
            permission("phone_state", &["android.permission.READ_PHONE_STATE"], &[]),
            permission("tracking", &[], &["NSUserTrackingUsageDescription"]),
        ],
        sdks: vec![
            sdk("wechat", "WeChat OpenSDK", &["account_login", "payments"], &["com.tencent.mm.opensdk"], &[]),
            sdk("alipay", "Alipay SDK", &["payments"], &["com.alipay.sdk"], &[]),
            sdk(
                "huawei_push",
                "HUAWEI Push Kit",
                &["push_notifications"],
                &["com.huawei.hms", "com.huawei.agconnect"],
                &[],
            ),
            sdk(
                "xiaomi_push",
                "Xiaomi Push",
                &["push_notifications"],
                &["com.xiaomi.mipush.sdk", "com.xiaomi.push"],
                &[],
            ),
            sdk("jpush", "JPush", &["push_notifications"], &["cn.jpush", "cn.jiguang"], &[]),
            sdk("umeng", "Umeng U-App", &["analytics"], &["com.umeng"], &[]),
            sdk("amap", "AMap Location SDK", &["location_services"], &["com.amap.api"], &[]),
            sdk("sensors_analytics", "Sensors Analytics SDK", &["analytics"], &["com.sensorsdata.analytics"], &[]),
            facebook,
            google,
        ],
    }
}

/// `declared` without the SDK `id`.
pub fn without_sdk(mut declared: Declared, id: &str) -> Declared {
    let before = declared.sdks.len();
    declared.sdks.retain(|s| s.id != id);
    assert_eq!(declared.sdks.len() + 1, before, "no SDK {id}");
    declared
}

/// `declared` without the permission `id`.
pub fn without_permission(mut declared: Declared, id: &str) -> Declared {
    let before = declared.permissions.len();
    declared.permissions.retain(|p| p.id != id);
    assert_eq!(declared.permissions.len() + 1, before, "no permission {id}");
    declared
}

pub fn sdk_mut<'d>(declared: &'d mut Declared, id: &str) -> &'d mut DeclaredSdk {
    declared.sdks.iter_mut().find(|s| s.id == id).unwrap()
}
