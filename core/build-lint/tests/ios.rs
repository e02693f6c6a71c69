//! Info.plist (XML and binary) and privacy manifests (the app's and SDKs'): undeclared
//! permissions, undisclosed SDK frameworks, undeclared tracking, tracking domains and
//! collected data, each at its file and line.

mod common;

use common::*;
use gatekeeper_build_lint::{lint_build, BuildFile, Code, Declared, FileKind};

#[test]
fn an_undeclared_usage_description_is_found_at_its_key() {
    let declared = without_permission(without_permission(pinshop(), "tracking"), "microphone");
    let report = lint(&declared, &[(FileKind::InfoPlist, INFO_PLIST)]);
    let text = fixture_text(INFO_PLIST);
    for key in ["NSUserTrackingUsageDescription", "NSMicrophoneUsageDescription"] {
        let f = the(&report, Code::UndeclaredPermission, &format!("{INFO_PLIST}:{}", line_of(&text, key)));
        assert!(f.message.contains(key), "{}", f.message);
    }
    assert_eq!(report.errors().len(), 2, "{report}");
    // The app's other keys (SDK ids, URL schemes) are not permissions.
    assert!(report.findings().all(|f| !f.message.contains("FacebookAppID")));
}

#[test]
fn a_binary_info_plist_is_read_and_its_findings_name_the_key() {
    // The fixture was written by Python's plistlib; the same content as the XML one.
    let declared = without_permission(pinshop(), "camera");
    let report = lint(&declared, &[(FileKind::InfoPlist, INFO_BINARY)]);
    let f = the(&report, Code::UndeclaredPermission, &format!("{INFO_BINARY}:0"));
    assert!(f.message.contains("NSCameraUsageDescription") && f.message.contains("binary plist"), "{}", f.message);
    assert_eq!(report.errors().len(), 1, "{report}");
    // The photos permission lists keys that the binary plist has: it is used, no warning.
    assert!(with_code(&report, Code::UnusedPermission).iter().all(|f| !f.path.starts_with("/permissions/1")));
}

#[test]
fn a_binary_plist_made_by_the_plist_crate_reads_the_same() {
    let xml = fixture(INFO_PLIST);
    let value = plist::Value::from_reader_xml(&xml[..]).unwrap();
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).unwrap();
    let declared = Declared::default();
    let from_xml = lint_build(&declared, &[BuildFile::new(FileKind::InfoPlist, "Info.plist", &xml)]);
    let from_binary = lint_build(&declared, &[BuildFile::new(FileKind::InfoPlist, "Info.plist", &binary)]);
    let keys = |r: &gatekeeper_build_lint::Report| {
        let mut m: Vec<String> =
            r.errors().iter().map(|f| f.message.replace(" (binary plist: no line numbers)", "")).collect();
        m.sort();
        m
    };
    assert_eq!(keys(&from_xml), keys(&from_binary));
    assert_eq!(from_binary.errors().len(), 6);
    assert!(from_binary.errors().iter().all(|f| f.path == "Info.plist:0"));
}

#[test]
fn tracking_by_an_sdk_without_a_consent_purpose_is_undeclared_tracking() {
    let mut declared = pinshop();
    sdk_mut(&mut declared, "facebook").purposes = vec!["essential".into()];
    let report = lint(&declared, &[(FileKind::PrivacyManifest, FB_PRIVACY)]);
    let f = the(&report, Code::UndeclaredTracking, &at_line(FB_PRIVACY, "<key>NSPrivacyTracking</key>"));
    assert!(f.message.contains("SDK `facebook`") && f.message.contains("NSPrivacyTracking is true"), "{}", f.message);
    assert!(f.message.contains("DeviceID for tracking"), "{}", f.message);
    assert_eq!(report.errors().len(), 1, "{report}");
}

#[test]
fn a_tracking_data_type_alone_counts_as_tracking() {
    let text = fixture_text(FB_PRIVACY).replacen(
        "<key>NSPrivacyTracking</key>\n\t<true/>",
        "<key>NSPrivacyTracking</key>\n\t<false/>",
        1,
    );
    let mut declared = pinshop();
    sdk_mut(&mut declared, "facebook").purposes = vec!["essential".into()];
    let report = lint_build(&declared, &[BuildFile::new(FileKind::PrivacyManifest, FB_PRIVACY, text.as_bytes())]);
    let line = line_of(&text, "<key>NSPrivacyCollectedDataTypeTracking</key>");
    let f = the(&report, Code::UndeclaredTracking, &format!("{FB_PRIVACY}:{line}"));
    assert!(!f.message.contains("NSPrivacyTracking is true"), "{}", f.message);
}

#[test]
fn an_sdk_framework_no_manifest_sdk_lists_is_undisclosed_and_so_is_its_tracking() {
    let declared = without_sdk(pinshop(), "facebook");
    let report = lint(&declared, &[(FileKind::PrivacyManifest, FB_PRIVACY)]);
    let sdk = the(&report, Code::UndisclosedSdk, &at_line(FB_PRIVACY, "<dict>"));
    assert!(sdk.message.contains("FBSDKCoreKit") && sdk.message.contains("Facebook SDK"), "{}", sdk.message);
    the(&report, Code::UndeclaredTracking, &at_line(FB_PRIVACY, "<key>NSPrivacyTracking</key>"));
    let domain = the(&report, Code::UndeclaredTrackingDomain, &at_line(FB_PRIVACY, "ep1.facebook.com"));
    assert!(domain.message.contains("ep1.facebook.com"));
    assert_eq!(report.errors().len(), 2, "{report}");
}

#[test]
fn the_app_s_own_tracking_needs_a_consent_purpose() {
    let text = fixture_text(APP_PRIVACY).replacen("<false/>", "<true/>", 1);
    let mut declared = pinshop();
    let file = [BuildFile::new(FileKind::PrivacyManifest, APP_PRIVACY, text.as_bytes())];
    assert!(lint_build(&declared, &file).is_ok(), "the app has consent-based purposes");
    for p in &mut declared.purposes {
        p.consent_based = false;
    }
    let report = lint_build(&declared, &file);
    let f = the(&report, Code::UndeclaredTracking, &format!("{APP_PRIVACY}:{}", line_of(&text, "NSPrivacyTracking")));
    assert!(f.message.contains("the app's own code"), "{}", f.message);
}

#[test]
fn a_tracking_domain_no_sdk_lists_is_a_warning() {
    let mut declared = pinshop();
    sdk_mut(&mut declared, "facebook").domains = vec!["graph.facebook.com".into()];
    let report = lint(&declared, &[(FileKind::PrivacyManifest, FB_PRIVACY)]);
    assert!(report.is_ok(), "{report}");
    the(&report, Code::UndeclaredTrackingDomain, &at_line(FB_PRIVACY, "ep1.facebook.com"));
    // A parent domain covers its subdomains.
    sdk_mut(&mut declared, "facebook").domains = vec!["facebook.com".into()];
    assert_eq!(in_files(&lint(&declared, &[(FileKind::PrivacyManifest, FB_PRIVACY)])).len(), 0);
}

#[test]
fn collected_data_is_compared_with_the_manifest_s_data() {
    let mut declared = pinshop();
    sdk_mut(&mut declared, "google_sign_in").data = vec!["account_profile".into()];
    let report = lint(&declared, &[(FileKind::PrivacyManifest, GOOGLE_PRIVACY)]);
    let f = the(&report, Code::UndeclaredData, &at_line(GOOGLE_PRIVACY, "NSPrivacyCollectedDataTypeCoarseLocation"));
    assert!(f.message.contains("SDK `google_sign_in`") && f.message.contains("coarse_location"), "{}", f.message);
    assert_eq!(in_files(&report).len(), 1, "{report}");
    // Apple's own type name in `data` counts too.
    sdk_mut(&mut declared, "google_sign_in").data.push("NSPrivacyCollectedDataTypeCoarseLocation".into());
    assert_eq!(in_files(&lint(&declared, &[(FileKind::PrivacyManifest, GOOGLE_PRIVACY)])).len(), 0);
}

#[test]
fn a_data_type_that_is_not_apple_s_is_a_warning() {
    // Older Adjust SDK releases shipped "Device Name" and "Device Type" as data types.
    let text = fixture_text(GOOGLE_PRIVACY).replace("NSPrivacyCollectedDataTypeCoarseLocation", "Device Name");
    let path = "Payload/PinShop.app/Frameworks/AdjustSdk.framework/PrivacyInfo.xcprivacy";
    let mut declared = pinshop();
    declared.sdks.push(sdk("adjust", "Adjust", &["personalised_ads"], &["com.adjust.sdk"], &["AdjustSdk"]));
    sdk_mut(&mut declared, "adjust").data = vec!["account_profile".into()];
    let report = lint_build(&declared, &[BuildFile::new(FileKind::PrivacyManifest, path, text.as_bytes())]);
    let f = the(&report, Code::UnknownDataType, &format!("{path}:{}", line_of(&text, "Device Name")));
    assert!(f.message.contains("Device Name"));
    assert!(report.is_ok(), "{report}");
}

#[test]
fn bundles_are_matched_by_module_and_by_the_parts_of_their_name() {
    let bytes = fixture(GOOGLE_PRIVACY);
    let declared = pinshop();
    for path in [
        "Payload/PinShop.app/GoogleSignIn_GoogleSignIn.bundle/PrivacyInfo.xcprivacy", // SwiftPM
        "Payload/PinShop.app/Frameworks/GoogleSignIn.framework/GoogleSignIn.bundle/PrivacyInfo.xcprivacy",
        "Payload/PinShop.app/Frameworks/GTMSessionFetcher.framework/PrivacyInfo.xcprivacy",
    ] {
        let report = lint_build(&declared, &[BuildFile::new(FileKind::PrivacyManifest, path, &bytes)]);
        assert_eq!(in_files(&report).len(), 0, "{path}: {report}");
    }
    // An app-extension's or the app's own folder is the app's.
    let report = lint_build(
        &declared,
        &[BuildFile::new(
            FileKind::PrivacyManifest,
            "Payload/PinShop.app/PlugIns/Share.appex/PrivacyInfo.xcprivacy",
            &bytes,
        )],
    );
    assert!(report.is_ok(), "{report}");
}

#[test]
fn an_unknown_module_is_still_an_undisclosed_sdk() {
    let path = "Frameworks/AcmeTracker.framework/PrivacyInfo.xcprivacy";
    let report = lint_build(&pinshop(), &[BuildFile::new(FileKind::PrivacyManifest, path, &fixture(FB_PRIVACY))]);
    let f = the(&report, Code::UndisclosedSdk, &format!("{path}:4"));
    assert!(f.message.contains("AcmeTracker") && !f.message.contains("looks like"), "{}", f.message);
    assert_eq!(with_code(&report, Code::UndeclaredTracking).len(), 1);
}

#[test]
fn a_binary_privacy_manifest_is_judged_like_the_xml_one() {
    let value = plist::Value::from_reader_xml(&fixture(FB_PRIVACY)[..]).unwrap();
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).unwrap();
    let declared = without_sdk(pinshop(), "facebook");
    let report = lint_build(&declared, &[BuildFile::new(FileKind::PrivacyManifest, FB_PRIVACY, &binary)]);
    let codes: Vec<Code> = in_files(&report).iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::UndisclosedSdk, Code::UndeclaredTracking, Code::UndeclaredTrackingDomain], "{report}");
    assert!(in_files(&report).iter().all(|f| f.path == format!("{FB_PRIVACY}:0")));
}
