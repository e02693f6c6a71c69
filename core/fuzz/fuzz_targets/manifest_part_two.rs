//! Fuzzes part two's manifest sections (contract §9): the `data_access` array and the
//! purposes' `basic` flag, spliced into a manifest that is valid around them, so the
//! fuzzer's bytes reach these readers instead of failing the JSON syntax first.
//!
//! The input is split at the first NUL: the bytes before it become the value of
//! `data_access`, the bytes after it the value of the `basic` field of a `contract`
//! purpose and of a `consent` purpose. Checked on every input:
//! - `parse` never panics, and every issue has a JSON-pointer path and a message;
//! - an accepted manifest's data accesses each serve at least one declared purpose, have
//!   distinct ids, and only `contract` / `legal_obligation` purposes are basic;
//! - decided on an empty ledger, no `access:` subject is allowed (no policy accepted), and
//!   after a decline, one is allowed only when all its purposes are basic, with reason
//!   `basic_mode`; a background read of foreground-only data is always `background_access`.
#![no_main]

use std::borrow::Cow;

use gatekeeper::decide::Context;
use gatekeeper::ledger::{Event, EventKind, LedgerState};
use gatekeeper::manifest::Basis;
use gatekeeper::{Reason, Subject, Verdict};
use libfuzzer_sys::fuzz_target;

const TEMPLATE: &str = r#"{"schema": 1,
 "policy": {"id": "qa", "version": "2.0", "effective": "2026-01-01", "controller": {"name": "QA"}},
 "default_jurisdiction": "CN",
 "jurisdictions": [{"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]}],
 "purposes": [
   {"id": "browse", "title": "Browse", "basis": "contract", "basic": @BASIC@},
   {"id": "analytics", "title": "Analytics", "basis": "consent", "basic": @BASIC@},
   {"id": "records", "title": "Records", "basis": "legal_obligation", "basic": true}],
 "permissions": [],
 "sdks": [],
 "data_access": @ACCESS@}"#;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let access: Cow<'_, str> = String::from_utf8_lossy(&data[..split]);
    let basic: Cow<'_, str> = String::from_utf8_lossy(data.get(split + 1..).unwrap_or(b"false"));
    let basic = if basic.is_empty() { Cow::Borrowed("false") } else { basic };
    let text = TEMPLATE.replace("@ACCESS@", &access).replace("@BASIC@", &basic);
    let manifest = match gatekeeper::manifest::parse(&text) {
        Ok(m) => m,
        Err(issues) => {
            assert!(!issues.is_empty(), "rejected without saying why");
            for issue in &issues {
                assert!(issue.path.is_empty() || issue.path.starts_with('/'), "bad issue path: {issue:?}");
                assert!(!issue.message.is_empty(), "issue without a message: {issue:?}");
            }
            return;
        }
    };
    for p in &manifest.purposes {
        assert!(!p.basic || matches!(p.basis, Basis::Contract | Basis::LegalObligation), "basic {p:?}");
    }
    let mut ids = std::collections::HashSet::new();
    for a in &manifest.data_access {
        assert!(ids.insert(a.id.as_str()), "duplicate data access id {}", a.id);
        assert!(!a.purposes.is_empty(), "a data access without a purpose");
        assert!(a.purposes.iter().all(|p| manifest.purpose(p).is_some()), "undeclared purpose in {a:?}");
    }
    let empty = LedgerState::default();
    let mut decline = Event::new(EventKind::PolicyDeclined, 0);
    decline.policy_version = Some(manifest.policy.version.clone());
    let declined = LedgerState::fold([&decline]);
    for a in &manifest.data_access {
        for background in [false, true] {
            let subject = Subject::Access(a.id.clone(), background);
            let d = Context { manifest: &manifest, ledger: &empty, now: 1, accesses: None }.decide(&subject);
            assert_ne!(d.verdict, Verdict::Allow, "allowed with no policy accepted: {d:?}");
            let d = Context { manifest: &manifest, ledger: &declined, now: 1, accesses: None }.decide(&subject);
            if background && a.foreground_only {
                assert_eq!(d.reason, Reason::BackgroundAccess, "{d:?}");
            }
            if d.verdict == Verdict::Allow {
                let all_basic = a.purposes.iter().all(|p| manifest.purpose(p).is_some_and(|p| p.basic));
                assert!(all_basic && d.reason == Reason::BasicMode, "allowed in basic mode, not basic: {d:?}");
            }
        }
    }
});
