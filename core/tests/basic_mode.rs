//! Basic-function mode (contract §9.1, 基本功能模式): a user who declines the policy keeps
//! the basic service. On the fixture `fixtures/part_two.json` (policy 2.0; `browse` and
//! `records` are basic), through a real store: without a decline nothing changes; after
//! one, subjects whose purposes are all basic go on through the remaining rules and
//! allow with `basic_mode`, everything else asks `policy_not_accepted`; an acceptance
//! clears the decline, a decline takes an acceptance back, and a MAJOR change voids a
//! decline as it voids an acceptance (a MINOR change does not).

mod common;

use std::sync::Arc;

use common::{strings, TempStore};
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::{Export, StateReport};
use gatekeeper::{EventKind, Reason, Store, Subject, Trigger, Verdict};

use Reason::*;
use Verdict::{Allow, Ask, Deny};

const FIXTURE: &str = include_str!("fixtures/part_two.json");

fn fixture(version: &str) -> Arc<Manifest> {
    let text = FIXTURE.replace(r#""version": "2.0""#, &format!(r#""version": "{version}""#));
    Arc::new(manifest::parse(&text).unwrap())
}

fn open(f: &TempStore, version: &str) -> Store {
    f.open_with(fixture(version)).unwrap()
}

fn sdk(id: &str) -> Subject {
    Subject::Sdk(id.into())
}

fn verdict(s: &mut Store, subject: &Subject) -> (Verdict, Reason) {
    let d = s.decide(subject);
    (d.verdict, d.reason)
}

/// The subjects whose answers change in basic mode, with what they are then.
fn basic_mode_answers() -> Vec<(Subject, (Verdict, Reason))> {
    vec![
        (sdk("storage"), (Allow, BasicMode)),
        (sdk("chat"), (Ask, SeparateConsentRequired)), // rule 5 still applies: a US vendor
        (sdk("mixed"), (Ask, PolicyNotAccepted)),      // `orders` is not basic
        (sdk("stats"), (Ask, PolicyNotAccepted)),
        (Subject::Purpose("browse".into()), (Allow, BasicMode)),
        (Subject::Purpose("records".into()), (Allow, BasicMode)),
        (Subject::Purpose("orders".into()), (Ask, PolicyNotAccepted)),
        (Subject::Permission("bluetooth".into(), Trigger::UserAction), (Allow, BasicMode)),
        (Subject::Permission("bluetooth".into(), Trigger::Background), (Deny, NotUserInitiated)),
        (Subject::Permission("camera".into(), Trigger::UserAction), (Ask, PolicyNotAccepted)),
        (Subject::Access("clipboard".into(), false), (Allow, BasicMode)),
        (Subject::Access("device_id".into(), false), (Ask, PolicyNotAccepted)),
    ]
}

#[test]
fn without_a_decline_the_first_run_dialog_comes_first() {
    let f = TempStore::new();
    let mut s = open(&f, "2.0");
    for (subject, _) in basic_mode_answers() {
        let expected = match subject {
            Subject::Permission(_, Trigger::Background) => (Deny, NotUserInitiated),
            _ => (Ask, PolicyNotAccepted),
        };
        assert_eq!(verdict(&mut s, &subject), expected, "{subject:?}");
    }
    assert!(!StateReport::of(&s).declined);
}

#[test]
fn a_decline_keeps_the_basic_service_and_asks_for_everything_else() {
    let f = TempStore::new();
    let mut s = open(&f, "2.0");
    s.set_profile(Some("CN"), Some(30)).unwrap();
    let changes = s.decline_policy("first_run_dialog").unwrap();
    let storage = changes.iter().find(|c| c.subject == "sdk:storage").expect("storage changed");
    assert_eq!((storage.old.reason, storage.new.verdict, storage.new.reason), (PolicyNotAccepted, Allow, BasicMode));
    assert!(changes.iter().all(|c| c.subject != "sdk:stats"), "stats still asks: {changes:?}");
    for (subject, expected) in basic_mode_answers() {
        assert_eq!(verdict(&mut s, &subject), expected, "{subject:?}");
    }
    let state = StateReport::of(&s);
    assert!(state.declined && !state.policy_accepted);
    assert_eq!(state.declined_at, Some(common::t0()));
    let json = state.to_json();
    assert_eq!(json["policy"]["declined"], true);
    assert_eq!(json["policy"]["accepted"], false);
}

#[test]
fn grants_do_not_open_anything_but_the_basic_service_in_basic_mode() {
    let f = TempStore::new();
    let mut s = open(&f, "2.0");
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.decline_policy("first_run_dialog").unwrap();
    s.record_choice(EventKind::Granted, &strings(&["analytics"]), &strings(&["chat"]), true, false, "settings")
        .unwrap();
    assert_eq!(verdict(&mut s, &sdk("stats")), (Ask, PolicyNotAccepted));
    // The grant for chat's own consent counts in basic mode: its purposes are basic.
    assert_eq!(verdict(&mut s, &sdk("chat")), (Allow, BasicMode));
}

#[test]
fn an_acceptance_clears_a_decline_and_a_decline_takes_an_acceptance_back() {
    let f = TempStore::new();
    let mut s = open(&f, "2.0");
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.decline_policy("first_run_dialog").unwrap();
    s.accept_policy(false, "settings").unwrap();
    assert_eq!(verdict(&mut s, &sdk("storage")), (Allow, NotConsentBased));
    assert_eq!(verdict(&mut s, &sdk("mixed")), (Allow, NotConsentBased));
    assert!(!StateReport::of(&s).declined && StateReport::of(&s).policy_accepted);

    let changes = s.decline_policy("settings").unwrap();
    let mixed = changes.iter().find(|c| c.subject == "sdk:mixed").expect("mixed changed");
    assert_eq!((mixed.old.verdict, mixed.new.verdict, mixed.new.reason), (Allow, Ask, PolicyNotAccepted));
    assert_eq!(verdict(&mut s, &sdk("storage")), (Allow, BasicMode));
    let state = StateReport::of(&s);
    assert!(state.declined && !state.policy_accepted);
}

#[test]
fn a_major_change_voids_a_decline_and_a_minor_one_does_not() {
    let f = TempStore::new();
    {
        let mut s = open(&f, "2.0");
        s.set_profile(Some("CN"), Some(30)).unwrap();
        s.decline_policy("first_run_dialog").unwrap();
    }
    {
        let mut minor = open(&f, "2.1");
        assert_eq!(verdict(&mut minor, &sdk("storage")), (Allow, BasicMode));
        assert!(StateReport::of(&minor).declined);
    }
    let mut major = open(&f, "3.0");
    assert_eq!(verdict(&mut major, &sdk("storage")), (Ask, PolicyNotAccepted));
    assert_eq!(verdict(&mut major, &sdk("mixed")), (Ask, PolicyNotAccepted));
    assert!(!StateReport::of(&major).declined);
    // Declining the new MAJOR brings basic mode back.
    major.decline_policy("update_dialog").unwrap();
    assert_eq!(verdict(&mut major, &sdk("storage")), (Allow, BasicMode));
}

#[test]
fn an_acceptance_under_an_older_major_then_a_decline_of_the_new_one_is_basic_mode() {
    let f = TempStore::new();
    {
        let mut s = open(&f, "1.0");
        s.set_profile(Some("CN"), Some(30)).unwrap();
        s.accept_policy(false, "first_run_dialog").unwrap();
    }
    let mut s = open(&f, "2.0");
    assert_eq!(verdict(&mut s, &sdk("storage")), (Ask, PolicyUpdateRequiresAcceptance));
    s.decline_policy("update_dialog").unwrap();
    assert_eq!(verdict(&mut s, &sdk("storage")), (Allow, BasicMode));
    assert_eq!(verdict(&mut s, &sdk("mixed")), (Ask, PolicyNotAccepted));
}

#[test]
fn a_decline_is_a_receipt_in_the_export_and_erase_forgets_it() {
    let f = TempStore::new();
    let mut s = open(&f, "2.0");
    s.decline_policy("first_run_dialog").unwrap();
    let export = Export::of(&mut s).unwrap();
    let receipt = export.receipts.iter().find(|r| r.event == EventKind::PolicyDeclined).expect("a receipt");
    assert_eq!(
        (receipt.subject.as_deref(), receipt.choice.as_str(), receipt.source.as_deref()),
        (Some("policy:qa"), "declined", Some("first_run_dialog"))
    );
    assert_eq!(export.to_json()["state"]["policy"]["declined"], true);
    assert!(s.decline_policy("bad source!").is_err());
    s.erase().unwrap();
    assert!(!StateReport::of(&s).declined);
    assert_eq!(verdict(&mut s, &sdk("storage")), (Ask, PolicyNotAccepted));
}
