//! AndroidManifest.xml: undeclared runtime permissions and undisclosed SDK components, each
//! at its file and line, on the fixture app's merged and source manifests.

mod common;

use common::*;
use gatekeeper_build_lint::{Code, Declared, FileKind};

#[test]
fn the_matching_build_passes_with_nothing_to_say() {
    let report = lint(&pinshop(), &all_files());
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.findings().count(), 0, "{report}");
    assert_eq!(serde_json::to_value(&report).unwrap(), serde_json::json!({"ok": true, "errors": [], "warnings": []}));
}

#[test]
fn every_undeclared_runtime_permission_is_found_at_its_line() {
    let declared = without_permission(without_permission(pinshop(), "phone_state"), "location");
    let declared = without_permission(declared, "notifications");
    let report = lint(&declared, &[(FileKind::AndroidManifest, MERGED)]);
    let text = fixture_text(MERGED);
    let expected = [
        ("<uses-permission>", "android.permission.ACCESS_FINE_LOCATION"),
        ("<uses-permission>", "android.permission.ACCESS_COARSE_LOCATION"),
        ("<uses-permission>", "android.permission.POST_NOTIFICATIONS"),
        ("<uses-permission>", "android.permission.READ_PHONE_STATE"),
        ("<uses-permission-sdk-23>", "android.permission.ACCESS_BACKGROUND_LOCATION"),
    ];
    let found = with_code(&report, Code::UndeclaredPermission);
    assert_eq!(found.len(), expected.len(), "{report}");
    for (element, name) in expected {
        let path = format!("{MERGED}:{}", element_line(&text, &format!("\"{name}\"")));
        let f = the(&report, Code::UndeclaredPermission, &path);
        assert!(f.message.contains(name) && f.message.contains(element), "{}", f.message);
    }
    assert!(!report.is_ok());
    // Normal permissions and the vendors' own permissions are never reported.
    assert!(report.findings().all(|f| !f.message.contains("INTERNET") && !f.message.contains("RECIEVE_MCS")));
}

/// (needle identifying the element, prefix or key named, SDK name named)
const SDK_ELEMENTS: &[(&str, &str, &str)] = &[
    ("com.example.pinshop.wxapi.WXEntryActivity", ".wxapi.WXEntryActivity", "WeChat OpenSDK"),
    ("com.example.pinshop.wxapi.WXPayEntryActivity", ".wxapi.WXPayEntryActivity", "WeChat OpenSDK"),
    ("com.alipay.sdk.app.H5PayActivity", "com.alipay", "Alipay SDK"),
    ("com.alipay.sdk.app.H5AuthActivity", "com.alipay", "Alipay SDK"),
    ("com.alipay.sdk.app.PayResultActivity", "com.alipay", "Alipay SDK"),
    ("com.huawei.hms.client.appid", "com.huawei.hms", "HUAWEI HMS Core"),
    ("com.huawei.hms.activity.BridgeActivity", "com.huawei.hms", "HUAWEI HMS Core"),
    ("com.huawei.hms.push.HmsMessageService", "com.huawei.hms.push", "HUAWEI Push Kit"),
    ("core.provider.AGConnectInitializeProvider", "com.huawei.agconnect", "HUAWEI HMS Core"),
    ("\"com.huawei.agconnect.core.ServiceDiscovery\"", "com.huawei.agconnect", "HUAWEI HMS Core"),
    ("com.huawei.services.capabilities:", "com.huawei.agconnect", "HUAWEI HMS Core"),
    ("com.xiaomi.push.service.XMPushService", "com.xiaomi.push", "Xiaomi Push"),
    ("com.xiaomi.push.service.XMJobService", "com.xiaomi.push", "Xiaomi Push"),
    ("com.xiaomi.mipush.sdk.PushMessageHandler", "com.xiaomi.mipush.sdk", "Xiaomi Push"),
    ("com.xiaomi.mipush.sdk.MessageHandleService", "com.xiaomi.mipush.sdk", "Xiaomi Push"),
    ("receivers.NetworkStatusReceiver", "com.xiaomi.push", "Xiaomi Push"),
    ("\"JPUSH_CHANNEL\"", "JPUSH_CHANNEL", "JPush"),
    ("\"JPUSH_APPKEY\"", "JPUSH_APPKEY", "JPush"),
    ("cn.jpush.android.ui.PopWinActivity", "cn.jpush", "JPush"),
    ("cn.jpush.android.ui.JNotifyActivity", "cn.jpush", "JPush"),
    ("cn.jpush.android.service.PushService", "cn.jpush", "JPush"),
    ("cn.jpush.android.service.DataProvider", "cn.jpush", "JPush"),
    ("cn.jpush.android.service.PushReceiver", "cn.jpush", "JPush"),
    ("\"UMENG_APPKEY\"", "UMENG_APPKEY", "Umeng"),
    ("\"UMENG_CHANNEL\"", "UMENG_CHANNEL", "Umeng"),
    ("com.amap.api.v2.apikey", "com.amap.api", "AMap"),
    ("com.amap.api.location.APSService", "com.amap.api", "AMap"),
    ("sdk.dialog.SchemeActivity", "com.sensorsdata.analytics", "Sensors Analytics SDK"),
    ("com.facebook.sdk.ApplicationId", "com.facebook", "Facebook SDK"),
    ("com.facebook.sdk.ClientToken", "com.facebook", "Facebook SDK"),
    ("\"com.facebook.FacebookActivity\"", "com.facebook", "Facebook SDK"),
    ("com.facebook.CustomTabMainActivity", "com.facebook", "Facebook SDK"),
    ("\"com.facebook.CustomTabActivity\"", "com.facebook", "Facebook SDK"),
    ("com.facebook.internal.FacebookInitProvider", "com.facebook", "Facebook SDK"),
    ("\"com.facebook.FacebookContentProvider\"", "com.facebook", "Facebook SDK"),
    ("CurrentAccessTokenExpirationBroadcastReceiver", "com.facebook", "Facebook SDK"),
    ("signin.internal.SignInHubActivity", "com.google.android.gms.auth", "Google Sign-In"),
    ("signin.RevocationBoundService", "com.google.android.gms.auth", "Google Sign-In"),
    ("com.google.android.gms.common.api.GoogleApiActivity", "com.google.android.gms", "Google Play services"),
    ("\"com.google.android.gms.version\"", "com.google.android.gms", "Google Play services"),
];

#[test]
fn every_undisclosed_sdk_component_is_found_at_its_line() {
    let mut declared = pinshop();
    declared.sdks.clear();
    let report = lint(&declared, &[(FileKind::AndroidManifest, MERGED)]);
    let text = fixture_text(MERGED);
    let found = with_code(&report, Code::UndisclosedSdk);
    for (needle, signature, name) in SDK_ELEMENTS {
        let path = format!("{MERGED}:{}", element_line(&text, needle));
        let f = the(&report, Code::UndisclosedSdk, &path);
        assert!(f.message.contains(&format!("`{signature}`")), "{needle}: {}", f.message);
        assert!(f.message.contains(name), "{needle}: {}", f.message);
    }
    // Nothing else: the app's own classes (including its JPush service subclass and the
    // WeChat callbacks' package), AndroidX and the <queries> entries are not SDKs.
    assert_eq!(found.len(), SDK_ELEMENTS.len(), "{report}");
}

#[test]
fn a_partly_declared_build_reports_only_the_undeclared_sdks() {
    let declared = without_sdk(without_sdk(pinshop(), "amap"), "sensors_analytics");
    let report = lint(&declared, &[(FileKind::AndroidManifest, MERGED)]);
    let text = fixture_text(MERGED);
    let lines: Vec<String> = with_code(&report, Code::UndisclosedSdk).iter().map(|f| f.path.clone()).collect();
    let expected: Vec<String> =
        ["com.amap.api.v2.apikey", "com.amap.api.location.APSService", "sdk.dialog.SchemeActivity"]
            .iter()
            .map(|n| format!("{MERGED}:{}", element_line(&text, n)))
            .collect();
    assert_eq!(lines, expected, "{report}");
    assert_eq!(report.errors().len(), 3);
}

#[test]
fn a_declared_sdk_whose_packages_miss_a_namespace_is_told_where_to_add_it() {
    let mut declared = pinshop();
    sdk_mut(&mut declared, "google_sign_in").packages = vec!["com.google.android.gms.auth".into()];
    let report = lint(&declared, &[(FileKind::AndroidManifest, MERGED)]);
    let found = with_code(&report, Code::UndisclosedSdk);
    assert_eq!(found.len(), 2, "GoogleApiActivity and gms.version: {report}");
    for f in found {
        assert!(f.message.contains("Google Play services") && f.message.contains("google_sign_in"), "{}", f.message);
    }
}

#[test]
fn a_manifest_written_before_packages_existed_vouches_by_name() {
    // The same SDKs, declared by id and name only (no `packages`).
    let mut declared = pinshop();
    for s in &mut declared.sdks {
        s.packages.clear();
    }
    let report = lint(&declared, &[(FileKind::AndroidManifest, MERGED)]);
    assert!(report.is_ok(), "{report}");
    // `sdk_not_found` judges only SDKs that list packages.
    assert!(with_code(&report, Code::SdkNotFound).is_empty(), "{report}");
}

#[test]
fn the_source_manifest_honours_tools_node_remove_and_relative_names() {
    let declared = Declared::default();
    let report = lint(&declared, &[(FileKind::AndroidManifest, SOURCE)]);
    let text = fixture_text(SOURCE);
    let at = |needle: &str| format!("{SOURCE}:{}", element_line(&text, needle));
    // Requested runtime permissions are reported; removed ones are absent.
    the(&report, Code::UndeclaredPermission, &at("android.permission.CAMERA"));
    the(&report, Code::UndeclaredPermission, &at("android.permission.POST_NOTIFICATIONS"));
    assert_eq!(with_code(&report, Code::UndeclaredPermission).len(), 2, "{report}");
    the(&report, Code::UndeclaredSpecialPermission, &at("QUERY_ALL_PACKAGES"));
    // A relative WeChat callback still reveals WeChat; removed and placeholder entries do not count.
    the(&report, Code::UndisclosedSdk, &at(".wxapi.WXEntryActivity"));
    the(&report, Code::UndisclosedSdk, &at("\"JPUSH_CHANNEL\""));
    the(&report, Code::UndisclosedSdk, &at("\"UMENG_APPKEY\""));
    assert_eq!(with_code(&report, Code::UndisclosedSdk).len(), 3, "{report}");
    assert!(report.findings().all(|f| !f.message.contains("PopWinActivity")), "{report}");
}

#[test]
fn a_class_under_the_app_s_own_vendor_namespace_is_the_app_s() {
    // An app published by Tencent lives under com.tencent; its own classes are not "Tencent SDK".
    let manifest = r#"<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.tencent.qqmusic">
  <application android:name=".MusicApp">
    <activity android:name="com.tencent.qqmusic.PlayerActivity"/>
    <service android:name="com.tencent.bugly.beta.tinker.TinkerResultService"/>
  </application>
</manifest>"#;
    let report = gatekeeper_build_lint::lint_build(
        &Declared::default(),
        &[gatekeeper_build_lint::BuildFile::new(FileKind::AndroidManifest, "m.xml", manifest.as_bytes())],
    );
    let found = with_code(&report, Code::UndisclosedSdk);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0].path, "m.xml:4");
    assert!(found[0].message.contains("Tencent Bugly"), "{}", found[0].message);
}

#[test]
fn any_namespace_prefix_for_android_is_accepted() {
    let manifest = r#"<manifest xmlns:a="http://schemas.android.com/apk/res/android" package="com.example">
  <uses-permission a:name="android.permission.CAMERA"/>
  <uses-permission name="android.permission.RECORD_AUDIO"/>
</manifest>"#;
    let report = gatekeeper_build_lint::lint_build(
        &Declared::default(),
        &[gatekeeper_build_lint::BuildFile::new(FileKind::AndroidManifest, "m.xml", manifest.as_bytes())],
    );
    // The attribute without the Android namespace is not android:name (aapt2 would ignore it).
    assert_eq!(with_code(&report, Code::UndeclaredPermission).len(), 1, "{report}");
    assert_eq!(report.errors()[0].path, "m.xml:2");
}
