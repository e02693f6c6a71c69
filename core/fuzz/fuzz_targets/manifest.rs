//! Fuzzes the policy-manifest parser and validator, `gatekeeper::manifest::parse`.
//!
//! The manifest is shipped by the app team but read on the device, so it is treated as
//! untrusted text. Checked on every input:
//! - `parse` never panics (valid UTF-8 is passed as is; other bytes go through
//!   `String::from_utf8_lossy`, so U+FFFD shows up too);
//! - every issue has a path that is `""` (the whole document) or a JSON pointer
//!   starting with `/`, and a non-empty message; a rejected manifest has at least one
//!   issue;
//! - an accepted manifest can be used: its default jurisdiction resolves, and its
//!   disclosure lists (contract §10.2) build and render in Chinese, English and a language
//!   it may not have, with no markup of its texts in the HTML page (no `<script`).
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text: Cow<'_, str> = String::from_utf8_lossy(data);
    match gatekeeper::manifest::parse(&text) {
        Ok(manifest) => {
            let default = manifest.jurisdiction_for(None);
            assert!(manifest.jurisdiction(&default.id).is_some(), "resolved to an undeclared jurisdiction");
            for lang in [Some("zh-CN"), Some("en"), Some("fr"), None] {
                let doc = gatekeeper::disclosure::disclose(&manifest, lang);
                assert_eq!(doc.sharing.len(), manifest.sdks.len());
                let html = gatekeeper::disclosure::to_html(&doc);
                assert!(!html.to_ascii_lowercase().contains("<script"), "markup in the page");
                let _ = gatekeeper::disclosure::to_markdown(&doc);
            }
        }
        Err(issues) => {
            assert!(!issues.is_empty(), "rejected without saying why");
            for issue in &issues {
                assert!(issue.path.is_empty() || issue.path.starts_with('/'), "bad issue path: {issue:?}");
                assert!(!issue.message.is_empty(), "issue without a message: {issue:?}");
            }
        }
    }
});
