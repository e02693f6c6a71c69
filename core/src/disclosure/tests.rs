//! The disclosure document from the contract's and the embedded example manifests, and the
//! renderers' escaping.

use super::*;
use crate::manifest::{parse, EXAMPLE_MANIFEST};

const SPEC_EXAMPLE: &str = r#"{
  "schema": 1,
  "policy": {"id": "phocol", "version": "3.1", "effective": "2025-03-01",
             "controller": {"name": "Example Ltd.", "contact": "privacy@example.com"},
             "url": "https://example.com/privacy"},
  "default_jurisdiction": "default",
  "jurisdictions": [
    {"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]},
    {"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": ["DE", "FR"]},
    {"id": "US", "law": "opt_out", "age_of_consent": 13, "countries": ["US"]},
    {"id": "default", "law": "pipl", "age_of_consent": 16, "countries": []}
  ],
  "purposes": [
    {"id": "essential", "title": "Core service", "basis": "contract"},
    {"id": "analytics", "title": "Usage analytics", "basis": "consent"},
    {"id": "face_recognition", "title": "Face login", "basis": "consent", "sensitive": true}
  ],
  "permissions": [
    {"id": "camera", "title": "Camera", "android": ["android.permission.CAMERA"],
     "ios": ["NSCameraUsageDescription"], "purposes": ["essential"],
     "user_initiated": true, "allow_at_launch": false}
  ],
  "sdks": [
    {"id": "facebook", "name": "Facebook SDK", "vendor": "Meta Platforms, Inc.",
     "vendor_country": "US", "role": "independent", "purposes": ["analytics"],
     "data": ["device_id", "account_profile"], "permissions": [],
     "platforms": ["android", "ios"]},
    {"id": "mmkv", "name": "MMKV", "vendor": "Tencent", "vendor_country": "CN", "purposes": ["essential"]},
    {"id": "nowhere", "name": "No country", "vendor": "X", "purposes": ["essential"]}
  ]
}"#;

#[test]
fn the_contract_example_gives_the_contract_fields() {
    let m = parse(SPEC_EXAMPLE).expect("valid");
    let doc = serde_json::to_value(disclose(&m, None)).unwrap();
    assert_eq!(doc["policy"]["id"], "phocol");
    assert_eq!(doc["policy"]["version"], "3.1");
    let analytics = &doc["collection"][1];
    assert_eq!(
        (analytics["purpose"].as_str(), analytics["title"].as_str(), analytics["basis"].as_str()),
        (Some("analytics"), Some("Usage analytics"), Some("consent"))
    );
    assert_eq!(analytics["sensitive"], false);
    assert_eq!(analytics["sdks"], serde_json::json!(["facebook"]));
    assert_eq!(analytics["permissions"], serde_json::json!([]));
    assert_eq!(doc["collection"][0]["permissions"], serde_json::json!(["camera"]));
    assert_eq!(doc["collection"][0]["sdks"], serde_json::json!(["mmkv", "nowhere"]));
    let camera = &doc["permissions"][0];
    for key in ["permission", "title", "android", "ios", "purposes", "user_initiated", "allow_at_launch"] {
        assert!(camera.get(key).is_some(), "permissions[0] lacks {key}");
    }
    let fb = &doc["sharing"][0];
    for key in [
        "sdk",
        "name",
        "vendor",
        "vendor_country",
        "role",
        "purposes",
        "data",
        "platforms",
        "packages",
        "privacy_policy",
        "separate_consent_in",
    ] {
        assert!(fb.get(key).is_some(), "sharing[0] lacks {key}");
    }
    assert_eq!(fb["role"], "independent");
    assert_eq!(fb["privacy_policy"], serde_json::Value::Null);
    // The contract's own example value.
    assert_eq!(fb["separate_consent_in"], serde_json::json!(["CN", "default"]));
    // A Chinese entrusted SDK needs no separate grant from a user in China, but rule 5
    // treats a user of unknown country (the default jurisdiction) as cross-border.
    assert_eq!(doc["sharing"][1]["separate_consent_in"], serde_json::json!(["default"]));
    assert_eq!(doc["sharing"][2]["separate_consent_in"], serde_json::json!(["CN", "default"]));
}

#[test]
fn no_pipl_jurisdiction_means_no_separate_consent() {
    let gdpr_only = SPEC_EXAMPLE.replace("\"law\": \"pipl\"", "\"law\": \"gdpr\"");
    let m = parse(&gdpr_only).expect("valid");
    assert!(disclose(&m, None).sharing.iter().all(|s| s.separate_consent_in.is_empty()));
}

#[test]
fn a_default_that_is_not_pipl_and_a_pipl_jurisdiction_of_the_vendors_country() {
    // Only CN is pipl; the default is gdpr: MMKV (CN, entrusted) needs nothing anywhere.
    let m = parse(&SPEC_EXAMPLE.replace(r#"{"id": "default", "law": "pipl""#, r#"{"id": "default", "law": "gdpr""#))
        .expect("valid");
    let doc = disclose(&m, None);
    assert_eq!(doc.sharing[0].separate_consent_in, ["CN"]);
    assert!(doc.sharing[1].separate_consent_in.is_empty());
}

#[test]
fn the_example_lists_every_purpose_permission_and_sdk_in_both_languages() {
    let m = parse(EXAMPLE_MANIFEST).expect("valid");
    let en = disclose(&m, Some("en"));
    let zh = disclose(&m, Some("zh-CN"));
    assert_eq!(en.collection.len(), m.purposes.len());
    assert_eq!(en.permissions.len(), m.permissions.len());
    assert_eq!(en.sharing.len(), m.sdks.len());
    for (e, z) in en.collection.iter().zip(&zh.collection) {
        assert_ne!(e.title, z.title, "{} has no Chinese title", e.purpose);
        assert!(z.title.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", z.title);
    }
    for (e, z) in en.permissions.iter().zip(&zh.permissions) {
        assert_ne!(e.title, z.title, "{} has no Chinese title", e.permission);
    }
    for s in &zh.sharing {
        assert!(s.usage.is_some(), "{} has no usage", s.sdk);
        assert!(s.privacy_policy.as_deref().is_some_and(|u| u.starts_with("https://")), "{}", s.sdk);
    }
    assert_eq!(disclose(&m, None).collection[0].title, en.collection[0].title);
}

#[test]
fn html_escapes_every_manifest_text_and_loads_nothing() {
    let hostile = SPEC_EXAMPLE
        .replace("\"Usage analytics\"", r#""<script>alert(1)</script> & \"q\" 'a'""#)
        .replace("\"Meta Platforms, Inc.\"", r#""<img src=x onerror=alert(1)>""#);
    let m = parse(&hostile).expect("valid");
    let html = to_html(&disclose(&m, None));
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let example = to_html(&disclose(&parse(EXAMPLE_MANIFEST).expect("valid"), Some("zh-CN")));
    for outside in ["src=", "<link", "<script", "@import", "url(", "<img", "<iframe", "<object"] {
        assert!(!example.contains(outside), "{outside} in the page");
    }
    assert!(example.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let md = to_markdown(&disclose(&m, None));
    assert!(md.contains(r"\<script\>alert(1)\</script\>"), "{md}");
}

#[test]
fn the_page_is_in_the_language_asked_for() {
    let m = parse(EXAMPLE_MANIFEST).expect("valid");
    let zh = disclose(&m, Some("zh-CN"));
    let analytics = zh.collection.iter().find(|p| p.purpose == "analytics").unwrap();
    assert_eq!(analytics.data.len(), analytics.data_names.len());
    assert!(analytics.data_names.contains(&"设备标识符".to_owned()), "{:?}", analytics.data_names);
    let en = disclose(&m, None);
    assert!(en.collection[4].data_names.contains(&"Device identifiers".to_owned()));
    let html = to_html(&zh);
    assert!(html.contains("<html lang=\"zh-CN\">"));
    for heading in ["个人信息收集清单", "第三方信息共享清单", "应用权限申请清单"] {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(html.contains("设备标识符"));
    assert!(!html.contains(">device_id<") && !html.contains("、device_id"));
    assert!(to_html(&disclose(&m, Some("en-GB"))).contains("<html lang=\"en-GB\">"));
    // Texts and words fell back to English: the page says English, not French.
    assert!(to_html(&disclose(&m, Some("fr"))).contains("<html lang=\"en\">"));
    let md = to_markdown(&disclose(&m, Some("en")));
    assert!(md.starts_with("# Personal information we collect and share\n"), "{md}");
    assert!(md.contains("## Third parties we share information with"));
}

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::manifest::LocalizedText;

    proptest! {
        /// Whatever the texts, the page shows them as text: no markup of theirs survives.
        #[test]
        fn any_title_is_escaped_in_the_page(title in "\\PC{1,40}", lang in "(en|zh-CN|fr|de-AT)") {
            let manifest = SPEC_EXAMPLE.replace("\"Usage analytics\"", &serde_json::to_string(&title).unwrap());
            let m = parse(&manifest).expect("valid");
            let html = to_html(&disclose(&m, Some(&lang)));
            let escaped = html::escape(&title);
            prop_assert!(html.contains(&escaped));
            // The page's own markup, with every text taken out, has no script or outside resource.
            let bare = html.replace(&escaped, "");
            prop_assert!(!bare.contains("<script") && !bare.contains("src="));
        }

        /// A language map always answers with one of its texts, for any tag asked.
        #[test]
        fn a_language_map_answers_with_one_of_its_texts(
            entries in proptest::collection::vec(("[a-z]{2}(-[A-Z]{2})?", "\\PC{1,8}"), 1..5),
            asked in proptest::option::of("[a-zA-Z]{1,3}(-[a-zA-Z0-9]{1,8}){0,2}"),
        ) {
            let text = LocalizedText::Languages(entries.clone());
            let answer = text.get(asked.as_deref());
            prop_assert!(entries.iter().any(|(_, t)| t == answer));
            if let Some(exact) = asked.as_deref().and_then(|a| entries.iter().find(|(t, _)| t.eq_ignore_ascii_case(a))) {
                prop_assert_eq!(answer, exact.1.as_str());
            }
        }
    }
}
