//! The decision rules of contract §4, scenario by scenario, on a fixed clock.
//!
//! Every test runs a real [`Store`] in a temporary directory against the compact
//! manifest `fixtures/rules.json` (ttl 30 days, re-ask 10 days, re-prompt 48 hours,
//! microphone 24 hours), and moves a shared [`FixedClock`] to check each time rule one
//! millisecond before and exactly at its boundary. Expected times are computed from the
//! fixed start `2026-01-01T00:00:00Z`.

mod common;

use std::sync::Arc;

use common::t0;
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::StateReport;
use gatekeeper::time::{FixedClock, MS_PER_DAY, MS_PER_HOUR};
use gatekeeper::{Decision, EventKind, PermissionResult, Reason, Store, Subject, Trigger, Verdict};
use serde_json::json;
use tempfile::TempDir;

use Reason::*;
use Verdict::{Allow, Ask, Deny};

const FIXTURE: &str = include_str!("fixtures/rules.json");
const DB: &str = "gatekeeper.db";

/// `settings.consent_ttl_days` = 30.
const TTL: i64 = 30 * MS_PER_DAY;
/// `settings.reask_after_denial_days` = 10.
const REASK: i64 = 10 * MS_PER_DAY;
/// `settings.reprompt_after_denial_hours` = 48.
const REPROMPT: i64 = 48 * MS_PER_HOUR;
/// `permissions[microphone].reprompt_after_denial_hours` = 24.
const MIC_REPROMPT: i64 = 24 * MS_PER_HOUR;

/// The fixture with another policy version and/or `unknown_age` setting.
fn manifest(version: &str, unknown_age: &str) -> Arc<Manifest> {
    let version_field = r#""version": "1.0""#;
    let age_field = r#""unknown_age": "adult""#;
    assert!(FIXTURE.contains(version_field) && FIXTURE.contains(age_field), "fixture layout changed");
    let text = FIXTURE
        .replace(version_field, &format!(r#""version": "{version}""#))
        .replace(age_field, &format!(r#""unknown_age": "{unknown_age}""#));
    Arc::new(manifest::parse(&text).unwrap_or_else(|issues| panic!("fixture is invalid: {issues:#?}")))
}

/// One app install: a store in a temp dir, on a clock the test moves.
struct App {
    dir: TempDir,
    clock: Arc<FixedClock>,
    store: Store,
}

impl App {
    /// A fresh install under policy 1.0 at t0.
    fn new() -> App {
        App::with(manifest("1.0", "adult"))
    }

    fn with(m: Arc<Manifest>) -> App {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::new(t0()));
        let store = Store::open(dir.path().join(DB), m, clock.clone()).unwrap();
        App { dir, clock, store }
    }

    /// An adult (age unknown, `unknown_age` adult) in `country` who accepted the policy.
    fn accepted_in(country: &str) -> App {
        let mut app = App::new();
        app.profile(Some(country), None);
        app.accept();
        app
    }

    /// Closes the store, keeping its directory and clock.
    fn close(self) -> (TempDir, Arc<FixedClock>) {
        let App { dir, clock, store } = self;
        drop(store);
        (dir, clock)
    }

    /// Opens the store file in `dir`.
    fn open(dir: TempDir, clock: Arc<FixedClock>, m: Arc<Manifest>) -> App {
        let store = Store::open(dir.path().join(DB), m, clock.clone()).unwrap();
        App { dir, clock, store }
    }

    /// Closes the store and opens the same file with another manifest (an app update).
    fn reopen(self, m: Arc<Manifest>) -> App {
        let (dir, clock) = self.close();
        App::open(dir, clock, m)
    }

    fn set_time(&self, ms: i64) {
        self.clock.set(ms);
    }

    fn profile(&mut self, country: Option<&str>, age: Option<u32>) {
        self.store.set_profile(country, age).unwrap();
    }

    fn accept(&mut self) {
        self.store.accept_policy(false, "first_run_dialog").unwrap();
    }

    fn accept_as_guardian(&mut self) {
        self.store.accept_policy(true, "first_run_dialog").unwrap();
    }

    /// Records a choice; items are purpose ids or `sdk:<id>`.
    fn choose(&mut self, kind: EventKind, items: &[&str], separate: bool, by_guardian: bool) {
        let (sdks, purposes): (Vec<&str>, Vec<&str>) = items.iter().partition(|i| i.starts_with("sdk:"));
        let purposes: Vec<String> = purposes.iter().map(|p| p.to_string()).collect();
        let sdks: Vec<String> = sdks.iter().map(|s| s.trim_start_matches("sdk:").to_string()).collect();
        self.store.record_choice(kind, &purposes, &sdks, separate, by_guardian, "settings").unwrap();
    }

    fn grant(&mut self, items: &[&str]) {
        self.choose(EventKind::Granted, items, false, false);
    }

    /// A grant given in a prompt dedicated to the items.
    fn grant_separately(&mut self, items: &[&str]) {
        self.choose(EventKind::Granted, items, true, false);
    }

    fn deny(&mut self, items: &[&str]) {
        self.choose(EventKind::Denied, items, false, false);
    }

    fn withdraw(&mut self, items: &[&str]) {
        self.choose(EventKind::Withdrawn, items, false, false);
    }

    fn os(&mut self, permission: &str, result: PermissionResult) {
        self.store.record_permission_result(permission, result).unwrap();
    }

    fn sdk(&mut self, id: &str) -> Decision {
        self.store.decide(&Subject::Sdk(id.into()))
    }

    fn purpose(&mut self, id: &str) -> Decision {
        self.store.decide(&Subject::Purpose(id.into()))
    }

    fn permission(&mut self, id: &str, trigger: Trigger) -> Decision {
        self.store.decide(&Subject::Permission(id.into(), trigger))
    }

    /// A permission prompt after the user tapped the feature that needs it.
    fn tap(&mut self, id: &str) -> Decision {
        self.permission(id, Trigger::UserAction)
    }

    fn state(&self) -> StateReport {
        StateReport::of(&self.store)
    }
}

#[track_caller]
fn check(d: &Decision, verdict: Verdict, reason: Reason) {
    assert_eq!((d.verdict, d.reason), (verdict, reason), "{d:#?}");
}

/// Verdict, reason and the blocking purposes and SDKs.
#[track_caller]
fn check_blocking(d: &Decision, verdict: Verdict, reason: Reason, purposes: &[&str], sdks: &[&str]) {
    check(d, verdict, reason);
    assert_eq!(d.purposes, purposes, "blocking purposes of {d:#?}");
    assert_eq!(d.sdks, sdks, "blocking sdks of {d:#?}");
}

/// The two times of a decision.
#[track_caller]
fn check_times(d: &Decision, retry_after: Option<i64>, valid_until: Option<i64>) {
    assert_eq!((d.retry_after, d.valid_until), (retry_after, valid_until), "(retry_after, valid_until) of {d:#?}");
}

// --- rule 1: unknown ids, unusable store ------------------------------------------------

#[test]
fn unknown_ids_are_denied_unknown_subject_even_before_policy_acceptance() {
    let mut app = App::new();
    for d in [app.sdk("nope"), app.purpose("nope"), app.permission("nope", Trigger::AppLaunch), app.tap("nope")] {
        check_blocking(&d, Deny, UnknownSubject, &[], &[]);
        check_times(&d, None, None);
    }
    app.profile(Some("CN"), None);
    app.accept();
    check(&app.sdk("facebook"), Deny, UnknownSubject);
    check(&app.purpose("Analytics"), Deny, UnknownSubject);
    check(&app.tap("contacts"), Deny, UnknownSubject);
    assert_eq!(app.sdk("facebook").subject, "sdk:facebook");
}

#[test]
fn a_tampered_ledger_makes_every_decision_deny_store_unavailable() {
    let mut app = App::accepted_in("CN"); // events 1 (profile) and 2 (acceptance)
    app.grant(&["analytics"]); // event 3
    check(&app.sdk("cn_crash"), Allow, Consented);
    check(&app.purpose("essential"), Allow, NotConsentBased);

    // Someone edits the stored grant behind the core's back.
    let (dir, clock) = app.close();
    let conn = rusqlite::Connection::open(dir.path().join(DB)).unwrap();
    let changed =
        conn.execute("UPDATE events SET body = replace(body, '\"analytics\"', '\"ads\"') WHERE id = 3", []).unwrap();
    assert_eq!(changed, 1);
    drop(conn);

    let mut app = App::open(dir, clock, manifest("1.0", "adult"));
    assert_eq!(app.store.chain().first_broken, Some(3));
    assert!(!app.store.is_usable());
    for subject in [
        Subject::Sdk("cn_crash".into()),
        Subject::Purpose("essential".into()),
        Subject::Permission("camera".into(), Trigger::UserAction),
        Subject::Permission("camera".into(), Trigger::AppLaunch),
    ] {
        let d = app.store.decide(&subject);
        check_blocking(&d, Deny, StoreUnavailable, &[], &[]);
        check_times(&d, None, None);
        assert_eq!(d.subject, subject.key());
        assert_eq!(d.decided_at, t0());
    }
    // Rule 1 lists unknown ids first: an undeclared id is unknown even on an untrusted store.
    check_blocking(&app.store.decide(&Subject::Sdk("nope".into())), Deny, UnknownSubject, &[], &[]);
}

// --- rule 2: permission prompts only inside the feature ---------------------------------

#[test]
fn a_prompt_at_app_launch_is_denied_launch_time_request() {
    let mut app = App::accepted_in("CN");
    for id in ["camera", "location", "microphone"] {
        let d = app.permission(id, Trigger::AppLaunch);
        check_blocking(&d, Deny, LaunchTimeRequest, &[], &[]);
        check_times(&d, None, None);
        assert_eq!(d.subject, format!("permission:{id}"));
    }
}

#[test]
fn a_permission_with_allow_at_launch_may_prompt_at_launch() {
    let mut app = App::accepted_in("CN");
    let d = app.permission("notifications", Trigger::AppLaunch);
    check_blocking(&d, Allow, NotConsentBased, &[], &[]);
    check_times(&d, None, None);
}

#[test]
fn a_background_prompt_for_a_user_initiated_permission_is_denied_not_user_initiated() {
    let mut app = App::accepted_in("CN");
    check_blocking(&app.permission("camera", Trigger::Background), Deny, NotUserInitiated, &[], &[]);
    check_blocking(&app.permission("microphone", Trigger::Background), Deny, NotUserInitiated, &[], &[]);
    check(&app.tap("camera"), Allow, NotConsentBased);
}

#[test]
fn a_permission_that_is_not_user_initiated_may_prompt_in_the_background() {
    let mut app = App::accepted_in("US");
    check(&app.permission("notifications", Trigger::Background), Allow, NotConsentBased);
    // location serves a legitimate interest: under opt_out it rests on no opt-out.
    check(&app.permission("location", Trigger::Background), Allow, OptOutNotExercised);
    // ... but not at launch, which it does not allow.
    check(&app.permission("location", Trigger::AppLaunch), Deny, LaunchTimeRequest);
}

/// `allow_at_launch` is the manifest's specific word on the launch trigger, so it lets a
/// launch prompt through even for a permission that keeps the default
/// `user_initiated: true` (`tracking`); in the background that permission stays denied.
#[test]
fn allow_at_launch_admits_the_launch_trigger_of_a_user_initiated_permission() {
    let mut app = App::accepted_in("US");
    check(&app.permission("tracking", Trigger::AppLaunch), Allow, OptOutNotExercised);
    check(&app.permission("tracking", Trigger::Background), Deny, NotUserInitiated);
    check(&app.tap("tracking"), Allow, OptOutNotExercised);
}

#[test]
fn rule_2_applies_before_the_policy_is_accepted() {
    let mut app = App::new();
    check(&app.permission("camera", Trigger::AppLaunch), Deny, LaunchTimeRequest);
    check(&app.permission("camera", Trigger::Background), Deny, NotUserInitiated);
    check(&app.tap("camera"), Ask, PolicyNotAccepted);
    check(&app.permission("notifications", Trigger::AppLaunch), Ask, PolicyNotAccepted);
}

// --- rule 3: the policy itself ----------------------------------------------------------

#[test]
fn nothing_starts_before_the_policy_is_accepted() {
    let mut app = App::new();
    app.profile(Some("CN"), None);
    for d in [app.sdk("cn_payments"), app.sdk("cn_social"), app.purpose("essential"), app.tap("camera")] {
        check_blocking(&d, Ask, PolicyNotAccepted, &[], &[]);
        check_times(&d, None, None);
    }
    // Consent given before acceptance does not let anything start either.
    app.grant_separately(&["analytics", "sdk:cn_social"]);
    check(&app.sdk("cn_social"), Ask, PolicyNotAccepted);
    app.accept();
    check(&app.sdk("cn_payments"), Allow, NotConsentBased);
    check(&app.sdk("cn_social"), Allow, Consented);
}

#[test]
fn a_major_policy_update_requires_acceptance_again() {
    let mut app = App::accepted_in("CN");
    check(&app.purpose("essential"), Allow, NotConsentBased);

    let mut app = app.reopen(manifest("2.0", "adult"));
    for d in [app.purpose("essential"), app.sdk("cn_payments"), app.tap("camera")] {
        check_blocking(&d, Ask, PolicyUpdateRequiresAcceptance, &[], &[]);
        assert_eq!(d.policy_version, "2.0");
    }
    assert!(!app.state().policy_accepted);
    app.accept();
    let d = app.purpose("essential");
    check(&d, Allow, NotConsentBased);
    assert_eq!(d.policy_version, "2.0");
}

#[test]
fn a_minor_policy_update_keeps_acceptance_and_choices_and_sets_notice_pending() {
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    assert!(!app.state().notice_pending);

    let mut app = app.reopen(manifest("1.1", "adult"));
    let d = app.purpose("analytics");
    check(&d, Allow, Consented);
    check_times(&d, None, Some(t0() + TTL));
    assert_eq!(d.policy_version, "1.1");
    check(&app.sdk("cn_payments"), Allow, NotConsentBased);
    let state = app.state();
    assert!(state.policy_accepted && state.notice_pending, "{state:#?}");

    app.accept();
    assert!(!app.state().notice_pending);
}

#[test]
fn a_choice_made_under_an_older_major_is_void() {
    let mut app = App::accepted_in("CN");
    app.grant_separately(&["analytics", "face_login", "sdk:cn_social"]);
    app.deny(&["ads"]);
    check(&app.sdk("cn_social"), Allow, Consented);
    check(&app.purpose("ads"), Deny, ConsentDenied);

    let mut app = app.reopen(manifest("2.0", "adult"));
    app.accept();
    check_blocking(&app.purpose("analytics"), Ask, ConsentMissing, &["analytics"], &[]);
    check_blocking(&app.purpose("face_login"), Ask, SeparateConsentRequired, &["face_login"], &[]);
    // A denial is void too: the user decides afresh.
    check_blocking(&app.purpose("ads"), Ask, ConsentMissing, &["ads"], &[]);
    check_blocking(&app.sdk("cn_social"), Ask, ConsentMissing, &["analytics"], &["cn_social"]);

    app.grant_separately(&["analytics", "sdk:cn_social"]);
    check(&app.sdk("cn_social"), Allow, Consented);
}

#[test]
fn a_child_needs_the_policy_accepted_by_a_guardian() {
    let mut app = App::new();
    app.profile(Some("CN"), Some(13));
    app.accept();
    for d in [app.purpose("essential"), app.sdk("cn_payments"), app.tap("camera")] {
        check_blocking(&d, Ask, GuardianConsentRequired, &[], &[]);
        check_times(&d, None, None);
    }
    app.accept_as_guardian();
    check(&app.purpose("essential"), Allow, NotConsentBased);
    check(&app.tap("camera"), Allow, NotConsentBased);
}

#[test]
fn the_age_of_consent_is_the_jurisdictions() {
    // (country, age, child?) — CN 14, EEA 16, US 13, default 16.
    let cases = [
        (Some("CN"), 13, true),
        (Some("CN"), 14, false),
        (Some("DE"), 15, true),
        (Some("FR"), 16, false),
        (Some("US"), 12, true),
        (Some("US"), 13, false),
        (Some("JP"), 15, true),
        (None, 15, true),
        (None, 16, false),
    ];
    for (country, age, child) in cases {
        let mut app = App::new();
        app.profile(country, Some(age));
        app.accept();
        let d = app.purpose("essential");
        let expected = if child { (Ask, GuardianConsentRequired) } else { (Allow, NotConsentBased) };
        assert_eq!((d.verdict, d.reason), expected, "{country:?} age {age}");
    }
}

#[test]
fn an_unknown_age_is_a_child_when_the_manifest_says_so() {
    let mut app = App::with(manifest("1.0", "child"));
    app.profile(Some("DE"), None);
    app.accept();
    check(&app.purpose("essential"), Ask, GuardianConsentRequired);
    app.accept_as_guardian();
    check(&app.purpose("essential"), Allow, NotConsentBased);

    // A known adult age overrides the setting.
    let mut app = App::with(manifest("1.0", "child"));
    app.profile(Some("DE"), Some(30));
    app.accept();
    check(&app.purpose("essential"), Allow, NotConsentBased);

    // And with the default setting an unknown age is an adult.
    let mut app = App::new();
    app.profile(Some("DE"), None);
    app.accept();
    check(&app.purpose("essential"), Allow, NotConsentBased);
}

// --- rule 4: purposes, by law -----------------------------------------------------------

#[test]
fn contract_and_legal_obligation_are_met_by_acceptance_under_every_law() {
    for country in ["CN", "DE", "US"] {
        let mut app = App::accepted_in(country);
        for id in ["essential", "invoices"] {
            let d = app.purpose(id);
            check_blocking(&d, Allow, NotConsentBased, &[], &[]);
            check_times(&d, None, None);
        }
        // Refusing a contract purpose does not switch it off: it is not consent-based.
        app.deny(&["essential"]);
        check(&app.purpose("essential"), Allow, NotConsentBased);
        check(&app.sdk("cn_payments"), Allow, NotConsentBased);
    }
}

#[test]
fn legitimate_interest_under_gdpr_and_opt_out_is_met_until_the_user_objects() {
    for country in ["DE", "US"] {
        let mut app = App::accepted_in(country);
        let d = app.purpose("fraud_prevention");
        check_blocking(&d, Allow, OptOutNotExercised, &[], &[]);
        check_times(&d, None, None);

        app.set_time(t0() + MS_PER_HOUR);
        app.deny(&["fraud_prevention"]);
        let d = app.purpose("fraud_prevention");
        check_blocking(&d, Deny, ConsentDenied, &["fraud_prevention"], &[]);
        check_times(&d, Some(t0() + MS_PER_HOUR + REASK), Some(t0() + MS_PER_HOUR + REASK));
    }
}

#[test]
fn legitimate_interest_under_pipl_is_treated_as_consent() {
    let mut app = App::accepted_in("CN");
    check_blocking(&app.purpose("fraud_prevention"), Ask, ConsentMissing, &["fraud_prevention"], &[]);
    app.grant(&["fraud_prevention"]);
    let d = app.purpose("fraud_prevention");
    check_blocking(&d, Allow, Consented, &[], &[]);
    check_times(&d, None, Some(t0() + TTL));
}

#[test]
fn consent_under_gdpr_and_pipl_needs_an_explicit_grant() {
    for country in ["DE", "CN"] {
        let mut app = App::accepted_in(country);
        let d = app.purpose("analytics");
        check_blocking(&d, Ask, ConsentMissing, &["analytics"], &[]);
        check_times(&d, None, None);
        app.grant(&["analytics"]);
        let d = app.purpose("analytics");
        check_blocking(&d, Allow, Consented, &[], &[]);
        check_times(&d, None, Some(t0() + TTL));
    }
}

#[test]
fn consent_under_opt_out_is_met_until_denied_or_withdrawn() {
    let mut app = App::accepted_in("US");
    let d = app.purpose("analytics");
    check_blocking(&d, Allow, OptOutNotExercised, &[], &[]);
    check_times(&d, None, None);

    app.deny(&["analytics"]);
    let d = app.purpose("analytics");
    check_blocking(&d, Deny, ConsentDenied, &["analytics"], &[]);
    check_times(&d, Some(t0() + REASK), Some(t0() + REASK));

    let mut app = App::accepted_in("US");
    app.set_time(t0() + 2 * MS_PER_DAY);
    app.withdraw(&["ads"]);
    let d = app.purpose("ads");
    check_blocking(&d, Deny, ConsentWithdrawn, &["ads"], &[]);
    check_times(&d, Some(t0() + 2 * MS_PER_DAY + REASK), Some(t0() + 2 * MS_PER_DAY + REASK));
    check(&app.purpose("analytics"), Allow, OptOutNotExercised);
}

#[test]
fn a_sensitive_purpose_under_opt_out_needs_a_grant_but_not_a_separate_one() {
    let mut app = App::accepted_in("US");
    check_blocking(&app.purpose("face_login"), Ask, ConsentMissing, &["face_login"], &[]);
    app.grant(&["face_login"]);
    let d = app.purpose("face_login");
    check(&d, Allow, Consented);
    check_times(&d, None, Some(t0() + TTL));
}

/// Contract and legal obligation are "met by policy acceptance"; being sensitive does not
/// turn them into consent (PIPL art. 13, GDPR art. 9(2) exceptions), and a refusal
/// cannot switch off a legal duty.
#[test]
fn a_sensitive_legal_obligation_is_met_by_acceptance_and_cannot_be_refused() {
    for country in ["CN", "DE", "US"] {
        let mut app = App::accepted_in(country);
        check(&app.purpose("identity_check"), Allow, NotConsentBased);
        app.deny(&["identity_check"]);
        check(&app.purpose("identity_check"), Allow, NotConsentBased);
    }
}

#[test]
fn a_sensitive_purpose_under_pipl_and_gdpr_needs_a_separate_grant() {
    for country in ["CN", "DE"] {
        let mut app = App::accepted_in(country);
        // Never decided: the app must show a dedicated prompt.
        check_blocking(&app.purpose("face_login"), Ask, SeparateConsentRequired, &["face_login"], &[]);
        app.grant(&["face_login", "analytics"]);
        check_blocking(&app.purpose("face_login"), Ask, SeparateConsentRequired, &["face_login"], &[]);
        // The same bundled grant is enough for a purpose that is not sensitive.
        check(&app.purpose("analytics"), Allow, Consented);
        app.set_time(t0() + MS_PER_HOUR);
        app.grant_separately(&["face_login"]);
        let d = app.purpose("face_login");
        check(&d, Allow, Consented);
        check_times(&d, None, Some(t0() + MS_PER_HOUR + TTL));
    }
}

#[test]
fn a_childs_grant_counts_only_when_given_by_a_guardian() {
    let mut app = App::new();
    app.profile(Some("CN"), Some(10));
    app.accept_as_guardian();
    app.grant(&["analytics"]);
    check_blocking(&app.purpose("analytics"), Ask, GuardianConsentRequired, &["analytics"], &[]);
    check_blocking(&app.sdk("cn_crash"), Ask, GuardianConsentRequired, &["analytics"], &[]);
    app.choose(EventKind::Granted, &["analytics"], false, true);
    check(&app.purpose("analytics"), Allow, Consented);
    check(&app.sdk("cn_crash"), Allow, Consented);

    // An SDK's own grant, too.
    app.grant_separately(&["sdk:cn_social"]);
    check_blocking(&app.sdk("cn_social"), Ask, GuardianConsentRequired, &[], &["cn_social"]);
    app.choose(EventKind::Granted, &["sdk:cn_social"], true, true);
    check(&app.sdk("cn_social"), Allow, Consented);
}

#[test]
fn a_denial_blocks_until_the_reask_window_ends_then_asks_again() {
    let mut app = App::accepted_in("CN");
    let denied_at = t0() + 3 * MS_PER_HOUR;
    app.set_time(denied_at);
    app.deny(&["analytics"]);
    let retry = denied_at + REASK;

    let d = app.purpose("analytics");
    check_blocking(&d, Deny, ConsentDenied, &["analytics"], &[]);
    check_times(&d, Some(retry), Some(retry));

    app.set_time(retry - 1);
    let d = app.purpose("analytics");
    check(&d, Deny, ConsentDenied);
    check_times(&d, Some(retry), Some(retry));

    app.set_time(retry);
    let d = app.purpose("analytics");
    check_blocking(&d, Ask, ConsentExpired, &["analytics"], &[]);
    check_times(&d, None, None);

    app.set_time(retry + 100 * MS_PER_DAY);
    check(&app.purpose("analytics"), Ask, ConsentExpired);
}

#[test]
fn a_withdrawal_blocks_until_the_reask_window_ends_then_asks_again() {
    let mut app = App::accepted_in("DE");
    app.grant(&["analytics"]);
    let withdrawn_at = t0() + 2 * MS_PER_DAY;
    app.set_time(withdrawn_at);
    app.withdraw(&["analytics"]);
    let retry = withdrawn_at + REASK;

    let d = app.purpose("analytics");
    check_blocking(&d, Deny, ConsentWithdrawn, &["analytics"], &[]);
    check_times(&d, Some(retry), Some(retry));

    app.set_time(retry - 1);
    check(&app.purpose("analytics"), Deny, ConsentWithdrawn);

    app.set_time(retry);
    let d = app.purpose("analytics");
    check(&d, Ask, ConsentExpired);
    check_times(&d, None, None);
}

#[test]
fn a_grant_expires_after_the_consent_ttl() {
    let mut app = App::accepted_in("CN");
    let granted_at = t0() + 5 * MS_PER_HOUR;
    app.set_time(granted_at);
    app.grant(&["analytics"]);
    let expires = granted_at + TTL;

    app.set_time(expires - 1);
    let d = app.purpose("analytics");
    check_blocking(&d, Allow, Consented, &[], &[]);
    check_times(&d, None, Some(expires));

    app.set_time(expires);
    let d = app.purpose("analytics");
    check_blocking(&d, Ask, ConsentExpired, &["analytics"], &[]);
    check_times(&d, None, None);

    // Granting again starts a new period.
    app.grant(&["analytics"]);
    let d = app.purpose("analytics");
    check(&d, Allow, Consented);
    check_times(&d, None, Some(expires + TTL));
}

#[test]
fn under_opt_out_the_reask_window_also_ends_in_an_ask() {
    let mut app = App::accepted_in("US");
    app.deny(&["analytics"]);
    app.set_time(t0() + REASK - 1);
    check(&app.purpose("analytics"), Deny, ConsentDenied);
    app.set_time(t0() + REASK);
    check_blocking(&app.purpose("analytics"), Ask, ConsentExpired, &["analytics"], &[]);
    // Under opt_out a plain consent purpose never *needs* a grant, so even after an
    // explicit grant rule 7 reports opt_out_not_exercised, with nothing to expire.
    app.grant(&["analytics"]);
    let d = app.purpose("analytics");
    check(&d, Allow, OptOutNotExercised);
    check_times(&d, None, None);
}

// --- several blocking purposes ----------------------------------------------------------

// `ad_network` declares its purposes as ["ads", "analytics"]; the manifest declares
// analytics before ads, so "first in manifest order" is analytics.

#[test]
fn every_blocking_purpose_is_listed_in_manifest_order() {
    let mut app = App::accepted_in("CN");
    let d = app.sdk("ad_network");
    check_blocking(&d, Ask, ConsentMissing, &["analytics", "ads"], &[]);
    check_times(&d, None, None);
}

#[test]
fn a_met_purpose_is_not_listed_and_an_ask_has_no_valid_until() {
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    let d = app.sdk("ad_network");
    check_blocking(&d, Ask, ConsentMissing, &["ads"], &[]);
    // analytics expiring at t0 + ttl only adds an ask: the verdict cannot change by time.
    check_times(&d, None, None);
    app.grant(&["ads"]);
    check_blocking(&app.sdk("ad_network"), Allow, Consented, &[], &[]);
}

#[test]
fn deny_outranks_ask_and_lists_every_blocking_purpose() {
    let mut app = App::accepted_in("CN");
    app.deny(&["ads"]);
    let d = app.sdk("ad_network");
    check_blocking(&d, Deny, ConsentDenied, &["analytics", "ads"], &[]);
    check_times(&d, Some(t0() + REASK), Some(t0() + REASK));
}

#[test]
fn the_reason_is_the_first_blocking_purpose_with_the_winning_verdict() {
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    app.set_time(t0() + MS_PER_DAY);
    app.withdraw(&["analytics"]);
    app.set_time(t0() + 2 * MS_PER_DAY);
    app.deny(&["ads"]);
    let analytics_retry = t0() + MS_PER_DAY + REASK;
    let ads_retry = t0() + 2 * MS_PER_DAY + REASK;

    // Both deny: analytics comes first in the manifest.
    let d = app.sdk("ad_network");
    check_blocking(&d, Deny, ConsentWithdrawn, &["analytics", "ads"], &[]);
    // Asking again is acceptable only once every denial has run out, and only then can
    // the verdict change.
    check_times(&d, Some(ads_retry), Some(ads_retry));

    // analytics may be asked again, ads still denies: deny wins, with ads' reason.
    app.set_time(analytics_retry);
    let d = app.sdk("ad_network");
    check_blocking(&d, Deny, ConsentDenied, &["analytics", "ads"], &[]);
    check_times(&d, Some(ads_retry), Some(ads_retry));

    app.set_time(ads_retry);
    let d = app.sdk("ad_network");
    check_blocking(&d, Ask, ConsentExpired, &["analytics", "ads"], &[]);
    check_times(&d, None, None);
}

#[test]
fn a_deny_stays_valid_until_its_retry_after_even_when_a_grant_expires_first() {
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]); // expires at t0 + 30 days
    let denied_at = t0() + 25 * MS_PER_DAY;
    app.set_time(denied_at);
    app.deny(&["ads"]); // may be asked again at t0 + 35 days
    let retry = denied_at + REASK;

    let d = app.sdk("ad_network");
    check_blocking(&d, Deny, ConsentDenied, &["ads"], &[]);
    check_times(&d, Some(retry), Some(retry));

    // analytics expires: still a deny (with analytics now listed too).
    app.set_time(t0() + TTL);
    let d = app.sdk("ad_network");
    check_blocking(&d, Deny, ConsentDenied, &["analytics", "ads"], &[]);
    check_times(&d, Some(retry), Some(retry));

    app.set_time(retry - 1);
    check(&app.sdk("ad_network"), Deny, ConsentDenied);
    app.set_time(retry);
    let d = app.sdk("ad_network");
    check_blocking(&d, Ask, ConsentExpired, &["analytics", "ads"], &[]);
    check_times(&d, None, None);
}

#[test]
fn among_asks_the_reason_is_the_first_blocking_purpose_in_manifest_order() {
    // ads granted and expired, analytics never decided: analytics (manifest-first) wins
    // although the SDK lists ads first.
    let mut app = App::accepted_in("CN");
    app.grant(&["ads"]);
    app.set_time(t0() + TTL);
    check_blocking(&app.sdk("ad_network"), Ask, ConsentMissing, &["analytics", "ads"], &[]);

    // analytics granted and expired, ads never decided.
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    app.set_time(t0() + TTL);
    check_blocking(&app.sdk("ad_network"), Ask, ConsentExpired, &["analytics", "ads"], &[]);
}

// --- rule 5: SDKs under PIPL ------------------------------------------------------------

#[test]
fn an_independent_sdk_needs_its_own_separate_grant_under_pipl() {
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    let d = app.sdk("cn_social");
    check_blocking(&d, Ask, SeparateConsentRequired, &[], &["cn_social"]);
    check_times(&d, None, None);

    // A grant bundled with other items is not a separate one.
    app.grant(&["sdk:cn_social"]);
    check_blocking(&app.sdk("cn_social"), Ask, SeparateConsentRequired, &[], &["cn_social"]);

    app.set_time(t0() + MS_PER_DAY);
    app.grant_separately(&["sdk:cn_social"]);
    let d = app.sdk("cn_social");
    check_blocking(&d, Allow, Consented, &[], &[]);
    // analytics (granted at t0) expires before the SDK's own grant.
    check_times(&d, None, Some(t0() + TTL));
}

#[test]
fn a_missing_purpose_and_a_missing_sdk_grant_are_listed_together() {
    let mut app = App::accepted_in("CN");
    let d = app.sdk("cn_social");
    check_blocking(&d, Ask, ConsentMissing, &["analytics"], &["cn_social"]);
}

#[test]
fn an_entrusted_sdk_of_the_users_own_country_needs_no_grant_of_its_own() {
    let mut app = App::accepted_in("CN");
    check_blocking(&app.sdk("cn_crash"), Ask, ConsentMissing, &["analytics"], &[]);
    app.grant(&["analytics"]);
    let d = app.sdk("cn_crash");
    check_blocking(&d, Allow, Consented, &[], &[]);
    check_times(&d, None, Some(t0() + TTL));
}

#[test]
fn a_foreign_or_unknown_vendor_country_needs_a_separate_sdk_grant() {
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    for id in ["us_metrics", "no_country"] {
        check_blocking(&app.sdk(id), Ask, SeparateConsentRequired, &[], &[id]);
        app.grant_separately(&[&format!("sdk:{id}")]);
        check(&app.sdk(id), Allow, Consented);
    }
}

#[test]
fn an_unknown_user_country_needs_a_separate_sdk_grant() {
    // No profile at all: the default jurisdiction (pipl) and no country to compare.
    let mut app = App::new();
    app.accept();
    app.grant(&["analytics"]);
    let d = app.sdk("cn_crash");
    check_blocking(&d, Ask, SeparateConsentRequired, &[], &["cn_crash"]);
    assert_eq!(d.jurisdiction, "default");
    // Even an SDK serving only the contract needs it, being a transfer of its own.
    check_blocking(&app.sdk("cn_payments"), Ask, SeparateConsentRequired, &[], &["cn_payments"]);
    app.grant_separately(&["sdk:cn_crash"]);
    check(&app.sdk("cn_crash"), Allow, Consented);
}

#[test]
fn a_denied_sdk_is_denied_consent_denied_and_outranks_a_missing_purpose() {
    let mut app = App::accepted_in("CN");
    app.deny(&["sdk:cn_social"]);
    let d = app.sdk("cn_social");
    check_blocking(&d, Deny, ConsentDenied, &["analytics"], &["cn_social"]);
    check_times(&d, Some(t0() + REASK), Some(t0() + REASK));

    app.grant(&["analytics"]);
    check_blocking(&app.sdk("cn_social"), Deny, ConsentDenied, &[], &["cn_social"]);
    app.set_time(t0() + REASK - 1);
    check(&app.sdk("cn_social"), Deny, ConsentDenied);
    app.set_time(t0() + REASK);
    let d = app.sdk("cn_social");
    check_blocking(&d, Ask, ConsentExpired, &[], &["cn_social"]);
    check_times(&d, None, None);
}

#[test]
fn an_sdk_grant_expires_like_a_purpose_grant() {
    let mut app = App::accepted_in("CN");
    app.grant_separately(&["sdk:cn_social"]);
    app.set_time(t0() + MS_PER_DAY);
    app.grant(&["analytics"]);
    let d = app.sdk("cn_social");
    check(&d, Allow, Consented);
    check_times(&d, None, Some(t0() + TTL));
    app.set_time(t0() + TTL);
    check_blocking(&app.sdk("cn_social"), Ask, ConsentExpired, &[], &["cn_social"]);
}

#[test]
fn outside_pipl_an_sdk_needs_no_grant_of_its_own() {
    let mut app = App::accepted_in("DE");
    check_blocking(&app.sdk("cn_social"), Ask, ConsentMissing, &["analytics"], &[]);
    app.grant(&["analytics"]);
    for id in ["cn_crash", "cn_social", "us_metrics", "no_country"] {
        check_blocking(&app.sdk(id), Allow, Consented, &[], &[]);
    }
    let mut app = App::accepted_in("US");
    for id in ["cn_social", "us_metrics", "no_country"] {
        check_blocking(&app.sdk(id), Allow, OptOutNotExercised, &[], &[]);
    }
}

/// Not spelled out by §4 (rule 5 is pipl-only); decide.rs keeps an explicitly refused
/// SDK off under every law, as §5 requires withdrawal to switch things off.
#[test]
fn outside_pipl_an_sdk_the_user_withdrew_stays_off() {
    let mut app = App::accepted_in("DE");
    app.grant(&["analytics"]);
    app.withdraw(&["sdk:cn_social"]);
    check_blocking(&app.sdk("cn_social"), Deny, ConsentWithdrawn, &[], &["cn_social"]);
    check(&app.sdk("cn_crash"), Allow, Consented);
}

#[test]
fn a_contract_only_sdk_is_not_consent_based() {
    for country in ["CN", "DE", "US"] {
        let mut app = App::accepted_in(country);
        let d = app.sdk("cn_payments");
        check_blocking(&d, Allow, NotConsentBased, &[], &[]);
        check_times(&d, None, None);
    }
}

// --- rule 6: OS permission pacing -------------------------------------------------------

#[test]
fn after_an_os_denial_no_reprompt_for_48_hours() {
    let mut app = App::accepted_in("CN");
    let denied_at = t0() + 7 * MS_PER_HOUR;
    app.set_time(denied_at);
    app.os("camera", PermissionResult::Denied);
    let retry = denied_at + REPROMPT;

    let d = app.tap("camera");
    check_blocking(&d, Deny, RecentlyDenied, &[], &[]);
    check_times(&d, Some(retry), Some(retry));

    app.set_time(retry - 1);
    let d = app.tap("camera");
    check(&d, Deny, RecentlyDenied);
    check_times(&d, Some(retry), Some(retry));

    app.set_time(retry);
    let d = app.tap("camera");
    check_blocking(&d, Allow, NotConsentBased, &[], &[]);
    check_times(&d, None, None);
}

#[test]
fn a_per_permission_reprompt_window_overrides_the_setting() {
    let mut app = App::accepted_in("CN");
    app.os("microphone", PermissionResult::Denied);
    app.os("camera", PermissionResult::Denied);
    let d = app.tap("microphone");
    check(&d, Deny, RecentlyDenied);
    check_times(&d, Some(t0() + MIC_REPROMPT), Some(t0() + MIC_REPROMPT));

    app.set_time(t0() + MIC_REPROMPT - 1);
    check(&app.tap("microphone"), Deny, RecentlyDenied);
    app.set_time(t0() + MIC_REPROMPT);
    check(&app.tap("microphone"), Allow, NotConsentBased);
    // camera keeps the 48 hours of the settings.
    check(&app.tap("camera"), Deny, RecentlyDenied);
}

#[test]
fn denied_permanently_holds_until_a_later_os_grant() {
    let mut app = App::accepted_in("CN");
    app.os("camera", PermissionResult::DeniedPermanently);
    let d = app.tap("camera");
    check_blocking(&d, Deny, DeniedPermanently, &[], &[]);
    check_times(&d, None, None);

    app.set_time(t0() + 90 * MS_PER_DAY);
    check(&app.tap("camera"), Deny, DeniedPermanently);

    // A plain denial afterwards does not make it less permanent.
    app.os("camera", PermissionResult::Denied);
    app.set_time(t0() + 95 * MS_PER_DAY);
    check(&app.tap("camera"), Deny, DeniedPermanently);

    // The user turned it on in system settings.
    app.os("camera", PermissionResult::Granted);
    check(&app.tap("camera"), Allow, NotConsentBased);
}

#[test]
fn an_os_grant_after_a_denial_ends_the_reprompt_window() {
    let mut app = App::accepted_in("CN");
    app.os("camera", PermissionResult::Denied);
    app.set_time(t0() + MS_PER_HOUR);
    app.os("camera", PermissionResult::Granted);
    let d = app.tap("camera");
    check(&d, Allow, NotConsentBased);
    check_times(&d, None, None);
}

#[test]
fn consent_rules_come_before_os_pacing() {
    // location serves fraud_prevention, a legitimate interest treated as consent under pipl.
    let mut app = App::accepted_in("CN");
    app.os("location", PermissionResult::Denied);
    check_blocking(&app.tap("location"), Ask, ConsentMissing, &["fraud_prevention"], &[]);

    app.set_time(t0() + MS_PER_HOUR);
    app.grant(&["fraud_prevention"]);
    let d = app.tap("location");
    check_blocking(&d, Deny, RecentlyDenied, &[], &[]);
    check_times(&d, Some(t0() + REPROMPT), Some(t0() + REPROMPT));

    app.set_time(t0() + REPROMPT);
    let d = app.tap("location");
    check(&d, Allow, Consented);
    check_times(&d, None, Some(t0() + MS_PER_HOUR + TTL));
}

#[test]
fn a_recent_denial_is_valid_only_until_the_purpose_grant_expires() {
    let mut app = App::accepted_in("CN");
    app.grant(&["fraud_prevention"]);
    let denied_at = t0() + 29 * MS_PER_DAY;
    app.set_time(denied_at);
    app.os("location", PermissionResult::Denied);
    let d = app.tap("location");
    check(&d, Deny, RecentlyDenied);
    check_times(&d, Some(denied_at + REPROMPT), Some(t0() + TTL));

    app.set_time(t0() + TTL);
    check_blocking(&app.tap("location"), Ask, ConsentExpired, &["fraud_prevention"], &[]);
}

// --- rule 7: allowed, and on what ground ------------------------------------------------

#[test]
fn allow_says_consented_when_anything_needed_a_grant() {
    // tracking serves essential (contract) and ads (consent).
    let mut app = App::accepted_in("CN");
    check_blocking(&app.tap("tracking"), Ask, ConsentMissing, &["ads"], &[]);
    app.grant(&["ads"]);
    let d = app.tap("tracking");
    check(&d, Allow, Consented);
    check_times(&d, None, Some(t0() + TTL));

    // antifraud under gdpr: fraud_prevention rests on no objection, analytics on a grant.
    let mut app = App::accepted_in("DE");
    check_blocking(&app.sdk("antifraud"), Ask, ConsentMissing, &["analytics"], &[]);
    app.grant(&["analytics"]);
    check(&app.sdk("antifraud"), Allow, Consented);
}

#[test]
fn allow_says_opt_out_not_exercised_when_something_relied_on_no_objection() {
    let mut app = App::accepted_in("US");
    for d in [app.tap("tracking"), app.sdk("antifraud"), app.sdk("ad_network")] {
        check_blocking(&d, Allow, OptOutNotExercised, &[], &[]);
        check_times(&d, None, None);
    }
}

#[test]
fn allow_says_not_consent_based_when_nothing_was_consent_based() {
    let mut app = App::accepted_in("US");
    for d in [app.tap("camera"), app.sdk("cn_payments"), app.purpose("invoices")] {
        check_blocking(&d, Allow, NotConsentBased, &[], &[]);
        check_times(&d, None, None);
        assert_eq!(d.retry_after, None);
    }
}

// --- the decision object ----------------------------------------------------------------

#[test]
fn the_decision_json_has_exactly_the_shape_of_the_contract_example() {
    // The contract's example: an independent SDK whose purpose is granted, under CN.
    let mut app = App::accepted_in("CN");
    app.grant(&["analytics"]);
    let json = app.sdk("cn_social").to_json();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected_keys = [
        "subject",
        "verdict",
        "reason",
        "purposes",
        "sdks",
        "retry_after",
        "valid_until",
        "policy_version",
        "jurisdiction",
        "decided_at",
    ];
    expected_keys.sort_unstable();
    assert_eq!(keys, expected_keys);
    assert_eq!(
        json,
        json!({"subject": "sdk:cn_social", "verdict": "ask", "reason": "separate_consent_required",
               "purposes": [], "sdks": ["cn_social"], "retry_after": null, "valid_until": null,
               "policy_version": "1.0", "jurisdiction": "CN", "decided_at": "2026-01-01T00:00:00Z"})
    );
}

#[test]
fn decision_times_are_rfc3339_in_utc() {
    let mut app = App::accepted_in("CN");
    let denied_at = t0() + 1_500; // 2026-01-01T00:00:01.500Z
    app.set_time(denied_at);
    app.deny(&["analytics"]);
    assert_eq!(
        app.purpose("analytics").to_json(),
        json!({"subject": "purpose:analytics", "verdict": "deny", "reason": "consent_denied",
               "purposes": ["analytics"], "sdks": [], "retry_after": "2026-01-11T00:00:01.500Z",
               "valid_until": "2026-01-11T00:00:01.500Z", "policy_version": "1.0", "jurisdiction": "CN",
               "decided_at": "2026-01-01T00:00:01.500Z"})
    );

    let mut app = App::accepted_in("DE");
    app.set_time(t0() + 6 * MS_PER_HOUR);
    app.grant(&["analytics"]);
    let json = app.sdk("us_metrics").to_json();
    assert_eq!(json["verdict"], "allow");
    assert_eq!(json["reason"], "consented");
    assert_eq!(json["jurisdiction"], "EEA");
    assert_eq!(json["valid_until"], "2026-01-31T06:00:00Z");
    assert_eq!(json["retry_after"], serde_json::Value::Null);
    assert_eq!(json["decided_at"], "2026-01-01T06:00:00Z");
    assert_eq!(json["purposes"], json!([]));

    app.os("camera", PermissionResult::Denied);
    let json = app.tap("camera").to_json();
    assert_eq!(json["subject"], "permission:camera");
    assert_eq!(json["reason"], "recently_denied");
    assert_eq!(json["retry_after"], "2026-01-03T06:00:00Z");
}

// --- jurisdiction -----------------------------------------------------------------------

#[test]
fn the_jurisdiction_is_the_one_listing_the_country_else_the_default() {
    let cases = [
        (Some("CN"), "CN"),
        (Some("DE"), "EEA"),
        (Some("FR"), "EEA"),
        (Some("US"), "US"),
        (Some("JP"), "default"),
        (None, "default"),
    ];
    for (country, jurisdiction) in cases {
        let mut app = App::new();
        app.profile(country, None);
        app.accept();
        let d = app.purpose("essential");
        assert_eq!(d.jurisdiction, jurisdiction, "{country:?}");
        assert_eq!(app.state().jurisdiction, jurisdiction, "{country:?}");
    }
}

#[test]
fn without_any_profile_the_default_jurisdiction_decides() {
    let mut app = App::new();
    let d = app.purpose("analytics");
    check(&d, Ask, PolicyNotAccepted);
    assert_eq!(d.jurisdiction, "default");
    app.accept();
    // default is pipl: consent needs a grant.
    let d = app.purpose("analytics");
    check(&d, Ask, ConsentMissing);
    assert_eq!(d.jurisdiction, "default");
}

#[test]
fn the_law_follows_the_users_country() {
    let mut app = App::accepted_in("JP"); // unlisted: default, pipl
    check(&app.purpose("analytics"), Ask, ConsentMissing);
    check(&app.purpose("fraud_prevention"), Ask, ConsentMissing);
    app.profile(Some("US"), None);
    let d = app.purpose("analytics");
    check(&d, Allow, OptOutNotExercised);
    assert_eq!(d.jurisdiction, "US");
    app.profile(Some("FR"), None);
    let d = app.purpose("analytics");
    check(&d, Ask, ConsentMissing);
    assert_eq!(d.jurisdiction, "EEA");
    check(&app.purpose("fraud_prevention"), Allow, OptOutNotExercised);
}
