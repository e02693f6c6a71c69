//! Importing what a certified CMP stored (issue 16, contract section 11) through the
//! store, and the Consent Mode signals that follow: a UMP-style string grants exactly the
//! mapped purposes and vendor SDKs and denies the rest, in one write; the refusals
//! (`tcf_invalid`, `tcf_stale` on both sides of its boundary, `tcf_policy_outdated`) and
//! every malformed string record nothing; publisher restrictions, purpose-one treatment,
//! legitimate interest, special features and Additional Consent; an unchanged string is
//! not recorded twice; a property test over random strings.

mod common;

use std::sync::{Arc, Mutex};

use common::tcf::{malformed, Ump, GOOGLE};
use common::{t0, TempStore};
use gatekeeper::consent_mode::{ConsentMode, ConsentStatus};
use gatekeeper::ledger::ChoiceKind;
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::tcf::{RestrictionType, TcString};
use gatekeeper::time::{format_rfc3339, parse_rfc3339};
use gatekeeper::{Change, Error, EventKind, Listener, Reason, Store, Subject, Verdict};
use proptest::prelude::*;

/// The TC strings' day: UMP writes 00:00 UTC of the day of the last update.
const DAY: &str = "2026-01-01T00:00:00Z";

/// Counts the listener's calls.
#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Vec<Vec<Change>>>>);

impl Listener for Calls {
    fn on_change(&self, changes: &[Change]) {
        self.0.lock().unwrap().push(changes.to_vec());
    }
}

/// An adult in Germany (EEA, gdpr) who accepted the example's policy.
fn eea_user(dir: &TempStore) -> Store {
    let mut store = dir.open();
    store.set_profile(Some("DE"), Some(30)).unwrap();
    store.accept_policy(false, "first_run_dialog").unwrap();
    store
}

fn verdict(store: &mut Store, subject: Subject) -> (Verdict, Reason) {
    let d = store.decide(&subject);
    (d.verdict, d.reason)
}

fn sdk(id: &str) -> Subject {
    Subject::Sdk(id.to_owned())
}

fn purpose(id: &str) -> Subject {
    Subject::Purpose(id.to_owned())
}

/// A string that consents to the analytics purposes (1, 8, 9, 10) and to Google, not to
/// the advertising ones (2, 3, 4, 7): "accept analytics only" in a UMP dialog.
fn analytics_only() -> Ump {
    let mut u = Ump::all_consent(DAY);
    u.purposes = vec![1, 8, 9, 10];
    u
}

/// How many events the ledger holds, and whether its chain checks out.
fn ledger_of(store: &mut Store) -> (usize, bool) {
    let rows = store.stored_events().unwrap().len();
    (rows, store.verify().unwrap().first_broken.is_none())
}

#[test]
fn a_ump_string_grants_exactly_the_mapped_purposes_and_vendor_sdks_and_denies_the_rest() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    let before = store.stored_events().unwrap().len();
    let done = store.import_tcf(&analytics_only().encode(), Some("2~89~dv.2.3"), "tcf_cmp").unwrap();
    assert!(done.recorded);
    assert_eq!(done.plan.granted_purposes, ["analytics"]);
    assert_eq!(done.plan.denied_purposes, ["personalised_ads"]);
    assert_eq!(done.plan.granted_sdks, ["facebook", "firebase_analytics"]);
    assert!(done.plan.denied_sdks.is_empty());

    // Two events, a grant and a denial, from the CMP, neither separate nor by a guardian.
    let rows = store.stored_events().unwrap();
    assert_eq!(rows.len(), before + 2);
    let ledger = store.ledger();
    let analytics = &ledger.purposes["analytics"];
    assert_eq!((analytics.kind, analytics.separate, analytics.by_guardian), (ChoiceKind::Granted, false, false));
    assert_eq!(ledger.purposes["personalised_ads"].kind, ChoiceKind::Denied);
    assert_eq!(ledger.sdks["facebook"].kind, ChoiceKind::Granted);
    assert_eq!(ledger.sdks["firebase_analytics"].kind, ChoiceKind::Granted);
    // Nothing the example does not map is touched.
    for id in ["account_login", "push_notifications", "location_services", "crash_reporting"] {
        assert!(!ledger.purposes.contains_key(id), "{id}");
    }
    assert!(!ledger.sdks.contains_key("google_sign_in") && !ledger.sdks.contains_key("sensors_analytics"));
    for r in &rows[before..] {
        assert!(r.body.contains(r#""source":"tcf_cmp""#), "{}", r.body);
        assert!(!r.body.contains("separate"), "{}", r.body);
    }

    // The decisions follow, by the normal rules.
    assert_eq!(verdict(&mut store, sdk("firebase_analytics")), (Verdict::Allow, Reason::Consented));
    assert_eq!(verdict(&mut store, sdk("facebook")), (Verdict::Allow, Reason::Consented));
    assert_eq!(verdict(&mut store, sdk("sensors_analytics")), (Verdict::Allow, Reason::Consented));
    assert_eq!(verdict(&mut store, purpose("personalised_ads")), (Verdict::Deny, Reason::ConsentDenied));
    assert_eq!(verdict(&mut store, purpose("account_login")), (Verdict::Ask, Reason::ConsentMissing));
    // And so does Consent Mode.
    let mode = store.consent_mode();
    assert_eq!(mode.analytics_storage, ConsentStatus::Granted);
    assert_eq!(
        (mode.ad_storage, mode.ad_user_data, mode.ad_personalization),
        (ConsentStatus::Denied, ConsentStatus::Denied, ConsentStatus::Denied)
    );
    assert!(store.verify().unwrap().first_broken.is_none());
}

#[test]
fn consent_everywhere_grants_everything_mapped_and_consent_mode_grants_all_four() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    assert_eq!(store.consent_mode(), ConsentMode::DENIED, "nothing granted yet");
    let done = store.import_tcf(&Ump::all_consent(DAY).encode(), Some("1~89"), "tcf_cmp").unwrap();
    assert_eq!(done.plan.granted_purposes, ["analytics", "personalised_ads"]);
    assert!(done.plan.denied_purposes.is_empty() && done.plan.denied_sdks.is_empty());
    let mode = store.consent_mode();
    assert_eq!(
        mode.to_json(),
        serde_json::json!({"ad_storage": "granted", "analytics_storage": "granted",
        "ad_user_data": "granted", "ad_personalization": "granted"})
    );
    // Exactly one event: a grant.
    let last = store.stored_events().unwrap().pop().unwrap();
    assert_eq!(last.kind, "granted");
}

#[test]
fn an_import_is_one_write_and_one_notification() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    store.import_tcf(&Ump::all_consent(DAY).encode(), Some("2~89~dv."), "tcf_cmp").unwrap();
    let calls = Calls::default();
    store.set_listener(Some(Box::new(calls.clone())));
    // The user changes their mind in the CMP: nothing consented but Meta.
    let mut refuse = Ump::all_consent("2026-01-02T00:00:00Z");
    refuse.purposes.clear();
    refuse.vendors.clear();
    let done = store.import_tcf(&refuse.encode(), Some("2~89~dv."), "tcf_cmp").unwrap();
    let calls = calls.0.lock().unwrap().clone();
    assert_eq!(calls.len(), 1, "one batch for the whole import");
    assert_eq!(calls[0], done.changes);
    let mut flipped: Vec<(&str, Verdict)> = done.changes.iter().map(|c| (c.subject.as_str(), c.new.verdict)).collect();
    flipped.sort_by_key(|(subject, _)| *subject);
    // Every SDK serving analytics goes off in that one call (firebase_analytics is
    // denied itself too); facebook's own grant from the AC string does not keep it on.
    assert_eq!(
        flipped,
        [
            ("sdk:facebook", Verdict::Deny),
            ("sdk:firebase_analytics", Verdict::Deny),
            ("sdk:sensors_analytics", Verdict::Deny)
        ]
    );
    let kinds: Vec<String> = store.stored_events().unwrap().iter().rev().take(2).map(|r| r.kind.clone()).collect();
    assert_eq!(kinds, ["denied", "granted"], "the denial and facebook's grant, in one write");
}

#[test]
fn without_an_ac_string_providers_are_denied_and_so_are_those_merely_disclosed() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    let tc = Ump::all_consent(DAY).encode();
    let done = store.import_tcf(&tc, None, "tcf_cmp").unwrap();
    assert_eq!(done.plan.denied_sdks, ["facebook"]);
    assert_eq!(done.plan.granted_sdks, ["firebase_analytics"]);
    assert_eq!(verdict(&mut store, sdk("facebook")), (Verdict::Deny, Reason::ConsentDenied));
    for ac in ["2~1.2~dv.89", "1~1.35.41", "2~~dv."] {
        let done = store.import_tcf(&tc, Some(ac), "tcf_cmp").unwrap();
        assert_eq!(done.plan.denied_sdks, ["facebook"], "{ac}");
    }
    let done = store.import_tcf(&tc, Some("2~35.89~dv.2"), "tcf_cmp").unwrap();
    assert_eq!(done.plan.granted_sdks, ["facebook", "firebase_analytics"]);
}

/// The refusals record nothing, and leave the next good import free to record.
#[test]
fn stale_outdated_and_undecodable_strings_record_nothing() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    let before = ledger_of(&mut store);
    let good = Ump::all_consent(DAY);

    // 13 calendar months after 2026-01-01 is 2027-02-01T00:00:00Z: still fresh at that
    // instant, stale one millisecond later.
    let limit = parse_rfc3339("2027-02-01T00:00:00Z").unwrap();
    assert_eq!(TcString::decode(&good.encode()).unwrap().fresh_until_ms(), limit);
    dir.clock.set(limit + 1);
    let err = store.import_tcf(&good.encode(), None, "tcf_cmp").unwrap_err();
    assert!(matches!(err, Error::TcfStale), "{err}");
    assert_eq!(err.code(), "tcf_stale");

    let mut v21 = good.clone();
    v21.policy_version = 3;
    dir.clock.set(t0());
    let err = store.import_tcf(&v21.encode(), None, "tcf_cmp").unwrap_err();
    assert!(matches!(err, Error::TcfPolicyOutdated { version: 3 }), "{err}");
    assert_eq!(err.code(), "tcf_policy_outdated");

    let err = store.import_tcf(&good.encode(), Some("3~1"), "tcf_cmp").unwrap_err();
    assert_eq!(err.code(), "tcf_invalid");
    assert!(err.to_string().starts_with("invalid AC string: "), "{err}");
    let err = store.import_tcf(&good.encode(), None, "two words").unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
    // An invalid TC string is reported before a stale or outdated one.
    let err = store.import_tcf("COtybn4PA_zT4KjACBENAPC", Some("2~~dv."), "tcf_cmp").unwrap_err();
    assert!(err.to_string().starts_with("invalid TC string: segment 1 (core)"), "{err}");

    assert_eq!(ledger_of(&mut store), before, "nothing recorded");
    assert!(!store.ledger().purposes.contains_key("analytics"));

    dir.clock.set(limit);
    assert!(store.import_tcf(&good.encode(), None, "tcf_cmp").unwrap().recorded, "fresh at the limit itself");
    // A string from the future (a device clock set back) is not stale either.
    dir.clock.set(parse_rfc3339("2025-06-01T00:00:00Z").unwrap());
    let mut later = good.clone();
    later.purposes = vec![1];
    assert!(store.import_tcf(&later.encode(), None, "tcf_cmp").unwrap().recorded);
    // TCF v2.3 (policy version 5) is accepted.
    let mut v23 = later.clone();
    v23.policy_version = 5;
    assert!(store.import_tcf(&v23.encode(), None, "tcf_cmp").is_ok());
}

#[test]
fn every_malformed_string_is_a_clear_error_that_records_nothing() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    store.import_tcf(&analytics_only().encode(), Some("2~89~dv."), "tcf_cmp").unwrap();
    let before = ledger_of(&mut store);
    let state = store.ledger().clone();
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/tcf/reference_strings.json")).unwrap();
    let mut strings: Vec<(String, String)> = malformed().into_iter().map(|(what, s)| (what.to_owned(), s)).collect();
    for case in fixtures["invalid"].as_array().unwrap() {
        strings.push((case["test"].as_str().unwrap().to_owned(), case["tc"].as_str().unwrap().to_owned()));
    }
    assert!(strings.len() >= 20);
    for (what, tc) in &strings {
        assert!(TcString::decode(tc).is_err(), "{what}: the codec accepts it");
        let err = store.import_tcf(tc, Some("2~89~dv."), "tcf_cmp").unwrap_err();
        assert_eq!(err.code(), "tcf_invalid", "{what}: {err}");
        let message = err.to_string();
        assert!(message.starts_with("invalid TC string: "), "{what}: {message}");
        // The message never quotes the string.
        if tc.len() >= 8 {
            assert!(!message.contains(tc.as_str()), "{what}: {message}");
            assert!(!message.contains(&tc[..8]), "{what}: {message}");
        }
    }
    let acs: serde_json::Value = serde_json::from_str(include_str!("fixtures/tcf/ac_strings.json")).unwrap();
    for case in acs["invalid"].as_array().unwrap() {
        let ac = case["ac"].as_str().unwrap();
        let err = store.import_tcf(&Ump::all_consent(DAY).encode(), Some(ac), "tcf_cmp").unwrap_err();
        assert_eq!(err.code(), "tcf_invalid", "{ac:?}");
    }
    assert_eq!(ledger_of(&mut store), before, "no event for any of them, and the chain still checks out");
    assert_eq!(store.ledger(), &state);
}

#[test]
fn an_unchanged_string_is_not_recorded_again_and_does_not_undo_a_later_choice() {
    let dir = TempStore::new();
    let mut store = eea_user(&dir);
    let tc = analytics_only().encode();
    assert!(store.import_tcf(&tc, Some("2~89~dv."), "tcf_cmp").unwrap().recorded);
    let (rows, _) = ledger_of(&mut store);
    // The app's next launch reads the same keys.
    let again = store.import_tcf(&tc, Some("2~89~dv."), "tcf_cmp").unwrap();
    assert!(!again.recorded && again.changes.is_empty());
    assert_eq!(again.plan.granted_purposes, ["analytics"], "it still says what the strings mean");
    assert_eq!(ledger_of(&mut store).0, rows);
    // The user withdraws analytics in the app; the unchanged CMP string does not bring it back.
    store.record_choice(EventKind::Withdrawn, &["analytics".into()], &[], false, false, "settings").unwrap();
    assert!(!store.import_tcf(&tc, Some("2~89~dv."), "tcf_cmp").unwrap().recorded);
    assert_eq!(verdict(&mut store, sdk("firebase_analytics")).0, Verdict::Deny);
    // A different AC string (or TC string) is a new choice, and is recorded.
    assert!(store.import_tcf(&tc, Some("2~~dv.89"), "tcf_cmp").unwrap().recorded);
    assert!(store.import_tcf(&tc, Some("2~89~dv."), "tcf_cmp").unwrap().recorded);
    assert_eq!(verdict(&mut store, sdk("firebase_analytics")), (Verdict::Allow, Reason::Consented));
    // Another process sees the same fingerprint: it is in the store, not in memory.
    let mut other = dir.open();
    assert!(!other.import_tcf(&tc, Some("2~89~dv."), "tcf_cmp").unwrap().recorded);
    drop(other);
    // Erase forgets it, with everything else.
    store.erase().unwrap();
    assert!(store.import_tcf(&tc, Some("2~89~dv."), "tcf_cmp").unwrap().recorded);
}

#[test]
fn a_manifest_that_maps_nothing_records_nothing() {
    let dir = TempStore::new();
    let m: Arc<Manifest> =
        Arc::new(manifest::parse(&mini(r#"{"id": "analytics", "title": "A", "basis": "consent"}"#, "")).unwrap());
    let mut store = dir.open_with(m).unwrap();
    let done = store.import_tcf(&Ump::all_consent(DAY).encode(), None, "tcf_cmp").unwrap();
    assert!(!done.recorded && done.plan.is_empty());
    assert_eq!(store.stored_events().unwrap().len(), 0);
}

/// A manifest with one gdpr jurisdiction, the given purposes and SDKs.
fn mini(purposes: &str, sdks: &str) -> String {
    format!(
        r#"{{"schema": 1,
         "policy": {{"id": "mini", "version": "1.0", "effective": "2025-01-01", "controller": {{"name": "Mini"}}}},
         "default_jurisdiction": "EEA",
         "jurisdictions": [{{"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": []}}],
         "purposes": [{purposes}], "permissions": [], "sdks": [{sdks}]}}"#
    )
}

/// A store for `mini(purposes, sdks)` with the policy accepted.
fn mini_store(dir: &TempStore, purposes: &str, sdks: &str) -> Store {
    let m: Arc<Manifest> = Arc::new(manifest::parse(&mini(purposes, sdks)).unwrap());
    let mut store = dir.open_with(m).unwrap();
    store.accept_policy(false, "first_run_dialog").unwrap();
    store
}

const ADS_AND_MEASURE: &str = r#"
    {"id": "ads", "title": "Ads", "basis": "consent", "tcf_purposes": [1, 2, 3, 4]},
    {"id": "measure", "title": "Measurement", "basis": "legitimate_interest", "tcf_purposes": [7, 8]},
    {"id": "geo", "title": "Geo ads", "basis": "consent", "tcf_purposes": [2], "tcf_special_features": [1]}"#;

const AD_SDKS: &str = r#"
    {"id": "admob", "name": "AdMob", "vendor": "Google", "purposes": ["ads", "measure"], "gvl_id": 755},
    {"id": "meter", "name": "Meter", "vendor": "M", "purposes": ["measure"], "gvl_id": 77},
    {"id": "both", "name": "Both", "vendor": "B", "purposes": ["ads"], "gvl_id": 755, "ac_id": 5}"#;

#[test]
fn legitimate_interest_special_features_and_purpose_one_treatment() {
    let dir = TempStore::new();
    let mut store = mini_store(&dir, ADS_AND_MEASURE, AD_SDKS);
    // Purposes 7 and 8 on legitimate interest only, no special feature: `measure` (basis
    // legitimate_interest) is met, `ads` (consent) only by consents, `geo` needs feature 1.
    let mut u = Ump::all_consent(DAY);
    u.purposes = vec![1, 2, 3, 4];
    u.purpose_lis = vec![7, 8];
    u.special_features = vec![2];
    u.vendors = vec![GOOGLE];
    u.vendor_lis = vec![77];
    let plan = store.import_tcf(&u.encode(), None, "tcf_cmp").unwrap().plan;
    assert_eq!(plan.granted_purposes, ["ads", "measure"]);
    assert_eq!(plan.denied_purposes, ["geo"]);
    // meter's vendor relies on legitimate interest for purposes its only purpose (LI) maps.
    assert_eq!(plan.granted_sdks, ["admob", "meter"]);
    assert_eq!(plan.denied_sdks, ["both"], "no AC string for its ac_id");
    u.special_features = vec![1];
    assert_eq!(
        store.import_tcf(&u.encode(), None, "tcf_cmp").unwrap().plan.granted_purposes,
        ["ads", "measure", "geo"]
    );

    // A consent purpose is not met by legitimate interest.
    let mut li_only = u.clone();
    li_only.purposes = vec![1, 3, 4];
    li_only.purpose_lis = vec![2, 7, 8];
    let plan = store.import_tcf(&li_only.encode(), None, "tcf_cmp").unwrap().plan;
    assert_eq!(plan.denied_purposes, ["ads", "geo"]);

    // Purpose-one treatment: purpose 1 was never asked, so it is not met, whatever its bit.
    let mut p1t = u.clone();
    p1t.purpose_one_treatment = true;
    let plan = store.import_tcf(&p1t.encode(), None, "tcf_cmp").unwrap().plan;
    assert_eq!(plan.denied_purposes, ["ads"]);
    assert_eq!(plan.granted_purposes, ["measure", "geo"]);
    assert_eq!(verdict(&mut store, purpose("ads")), (Verdict::Deny, Reason::ConsentDenied));
}

#[test]
fn publisher_restrictions_narrow_what_a_vendor_may_do() {
    let dir = TempStore::new();
    let mut store = mini_store(&dir, ADS_AND_MEASURE, AD_SDKS);
    let base = {
        let mut u = Ump::all_consent(DAY);
        u.vendors = vec![GOOGLE, 77];
        u.vendor_lis = vec![77];
        u
    };
    let plan_with = |store: &mut Store, restrictions: Vec<(u8, RestrictionType, Vec<u16>)>| {
        let mut u = base.clone();
        u.restrictions = restrictions;
        store.import_tcf(&u.encode(), Some("1~5"), "tcf_cmp").unwrap().plan
    };
    use RestrictionType::*;
    assert_eq!(plan_with(&mut store, vec![]).granted_sdks, ["admob", "meter", "both"]);
    // Not allowed (or the reserved type) for a purpose the SDK's purposes map: denied.
    let plan = plan_with(&mut store, vec![(8, NotAllowed, vec![GOOGLE])]);
    assert_eq!(
        (plan.granted_sdks, plan.denied_sdks),
        (vec!["meter".to_string(), "both".into()], vec!["admob".to_string()])
    );
    let plan = plan_with(&mut store, vec![(3, Undefined, vec![GOOGLE])]);
    assert_eq!(plan.denied_sdks, ["admob", "both"]);
    // A restriction on a purpose the SDK does not use, or on another vendor, changes nothing.
    assert_eq!(
        plan_with(&mut store, vec![(10, NotAllowed, vec![GOOGLE]), (3, NotAllowed, vec![5])]).denied_sdks.len(),
        0
    );
    // Require legitimate interest: the vendor needs it, consent is not enough.
    let plan = plan_with(&mut store, vec![(7, RequireLegitimateInterest, vec![GOOGLE, 77])]);
    assert_eq!(
        (plan.granted_sdks, plan.denied_sdks),
        (vec!["meter".to_string(), "both".into()], vec!["admob".to_string()])
    );
    // Require consent: legitimate interest is not enough.
    let mut no_consent = base.clone();
    no_consent.vendors = vec![GOOGLE];
    no_consent.restrictions = vec![(8, RequireConsent, vec![77])];
    let plan = store.import_tcf(&no_consent.encode(), Some("1~5"), "tcf_cmp").unwrap().plan;
    assert_eq!(plan.denied_sdks, ["meter"]);
    assert_eq!(verdict(&mut store, sdk("meter")), (Verdict::Deny, Reason::ConsentDenied));
}

#[test]
fn events_are_recorded_in_every_jurisdiction_and_count_through_the_normal_rules() {
    let dir = TempStore::new();
    let mut store = dir.open();
    store.set_profile(Some("CN"), Some(30)).unwrap();
    store.accept_policy(false, "first_run_dialog").unwrap();
    let done = store.import_tcf(&Ump::all_consent(DAY).encode(), Some("2~89~dv."), "tcf_cmp").unwrap();
    assert!(done.recorded);
    // Under PIPL, facebook (independent, abroad) needs a separate grant, which a CMP's
    // dialog is not.
    assert_eq!(verdict(&mut store, sdk("facebook")), (Verdict::Ask, Reason::SeparateConsentRequired));
    // A child's grant counts only from a guardian: a TCF import is not.
    let kid = TempStore::new();
    let mut store = kid.open();
    store.set_profile(Some("DE"), Some(12)).unwrap();
    store.accept_policy(true, "first_run_dialog").unwrap();
    store.import_tcf(&Ump::all_consent(DAY).encode(), Some("2~89~dv."), "tcf_cmp").unwrap();
    assert_eq!(verdict(&mut store, purpose("analytics")), (Verdict::Ask, Reason::GuardianConsentRequired));
}

#[test]
fn an_import_on_a_tampered_ledger_is_refused() {
    let dir = TempStore::new();
    drop(eea_user(&dir));
    dir.raw().execute("UPDATE events SET body = replace(body, 'DE', 'FR') WHERE kind = 'profile_set'", []).unwrap();
    let mut store = dir.open();
    let err = store.import_tcf(&Ump::all_consent(DAY).encode(), None, "tcf_cmp").unwrap_err();
    assert_eq!(err.code(), "ledger_tampered");
}

// ---- Properties ----

const PROPERTY_PURPOSES: &str = r#"
    {"id": "p_a", "title": "A", "basis": "consent", "tcf_purposes": [1]},
    {"id": "p_b", "title": "B", "basis": "consent", "tcf_purposes": [2, 3, 4]},
    {"id": "p_c", "title": "C", "basis": "consent", "tcf_purposes": [7, 9, 10]},
    {"id": "p_d", "title": "D", "basis": "consent", "tcf_purposes": [5, 6, 11]},
    {"id": "p_e", "title": "E", "basis": "consent"}"#;

const PROPERTY_SDKS: &str = r#"
    {"id": "v_1", "name": "1", "vendor": "V", "purposes": ["p_e"], "gvl_id": 1},
    {"id": "v_2", "name": "2", "vendor": "V", "purposes": ["p_e"], "gvl_id": 2},
    {"id": "v_755", "name": "755", "vendor": "V", "purposes": ["p_e"], "gvl_id": 755},
    {"id": "v_none", "name": "none", "vendor": "V", "purposes": ["p_e"]}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// An import of any encoded string grants exactly the purposes whose every mapped TCF
    /// purpose it consents to and the SDKs whose vendor it consents to, denies every other
    /// mapped one, and touches nothing unmapped.
    #[test]
    fn an_import_grants_exactly_the_mapped_purposes_and_vendors(
        consents in prop::collection::vec(1u8..=11, 0..11),
        vendors in prop::collection::vec(prop::sample::select(vec![1u16, 2, 3, 755, 900]), 0..5),
        days in 0i64..390,
    ) {
        let dir = TempStore::new();
        let mut store = mini_store(&dir, PROPERTY_PURPOSES, PROPERTY_SDKS);
        let mut u = Ump::all_consent(&format_rfc3339(t0() - days * 86_400_000));
        u.purposes = consents.clone();
        u.vendors = vendors.clone();
        let done = store.import_tcf(&u.encode(), None, "tcf_cmp").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mapped: [(&str, &[u8]); 4] = [("p_a", &[1]), ("p_b", &[2, 3, 4]), ("p_c", &[7, 9, 10]), ("p_d", &[5, 6, 11])];
        for (id, tcf) in mapped {
            let granted = tcf.iter().all(|p| consents.contains(p));
            let kind = store.ledger().purposes.get(id).map(|c| c.kind);
            prop_assert_eq!(kind, Some(if granted { ChoiceKind::Granted } else { ChoiceKind::Denied }), "{}", id);
            prop_assert_eq!(done.plan.granted_purposes.iter().any(|p| p == id), granted);
        }
        for (id, vendor) in [("v_1", 1u16), ("v_2", 2), ("v_755", 755)] {
            let granted = vendors.contains(&vendor);
            let kind = store.ledger().sdks.get(id).map(|c| c.kind);
            prop_assert_eq!(kind, Some(if granted { ChoiceKind::Granted } else { ChoiceKind::Denied }), "{}", id);
        }
        prop_assert!(!store.ledger().purposes.contains_key("p_e"));
        prop_assert!(!store.ledger().sdks.contains_key("v_none"));
        prop_assert!(store.verify().unwrap().first_broken.is_none());
    }
}
