//! `Explanation` and `StatusReport` (`gatekeeper explain`, `gatekeeper status`) on the
//! example manifest and a fixed clock: the deciding rule, the least that would change
//! each answer (a plain or a separate prompt, a guardian, accepting the policy, the
//! system settings), the changes by time alone on both sides of their boundaries, and
//! every subject's row agreeing with a decision.

mod common;

use common::{example, t0};
use gatekeeper::decide::Context;
use gatekeeper::ledger::{Event, EventKind, LedgerState};
use gatekeeper::report::{rule_of, Explanation, Remedy, StatusReport};
use gatekeeper::{PermissionResult, Reason, Subject, Trigger, Verdict};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// A ledger built from events, as the store folds them.
struct Ledger(LedgerState);

impl Ledger {
    fn new() -> Self {
        Ledger(LedgerState::default())
    }

    fn event(mut self, kind: EventKind, at: i64, f: impl FnOnce(&mut Event)) -> Self {
        let mut e = Event::new(kind, at);
        e.policy_version = Some("3.1".into());
        f(&mut e);
        self.0.apply(&e);
        self
    }

    fn profile(self, country: &str, age: u32) -> Self {
        self.event(EventKind::ProfileSet, t0(), |e| {
            e.country = Some(country.into());
            e.age = Some(age);
        })
    }

    fn accepted(self, by_guardian: bool) -> Self {
        self.event(EventKind::PolicyAccepted, t0(), |e| e.by_guardian = by_guardian)
    }

    fn choice(self, kind: EventKind, at: i64, purposes: &[&str], sdks: &[&str], separate: bool) -> Self {
        self.event(kind, at, |e| {
            e.purposes = purposes.iter().map(|s| s.to_string()).collect();
            e.sdks = sdks.iter().map(|s| s.to_string()).collect();
            e.separate = separate;
        })
    }
}

fn explain(ledger: &Ledger, now: i64, subject: Subject) -> Explanation {
    let m = example();
    let ctx = Context { manifest: &m, ledger: &ledger.0, now, accesses: None };
    Explanation::of(&ctx, &subject, true)
}

fn sdk(id: &str) -> Subject {
    Subject::Sdk(id.into())
}

#[test]
fn the_policy_gate_is_rule_3_and_acceptance_changes_it_by_a_guardian_for_a_child() {
    let adult = Ledger::new().profile("CN", 30);
    let e = explain(&adult, t0(), sdk("mmkv"));
    assert_eq!((e.decision.reason, e.rule), (Reason::PolicyNotAccepted, 3));
    let (remedy, then) = e.remedy.clone().unwrap();
    assert_eq!(remedy, Remedy::AcceptPolicy { by_guardian: false });
    assert_eq!((then.verdict, then.reason), (Verdict::Allow, Reason::NotConsentBased));
    assert!(e.by_time.is_empty());

    let child = Ledger::new().profile("CN", 10);
    let e = explain(&child, t0(), sdk("mmkv"));
    assert_eq!(e.remedy.unwrap().0, Remedy::AcceptPolicy { by_guardian: true });
    // Accepted by the child alone: still rule 3, guardian_consent_required, no blockers.
    let e = explain(&child.accepted(false), t0(), sdk("mmkv"));
    assert_eq!((e.decision.reason, e.rule), (Reason::GuardianConsentRequired, 3));
    assert_eq!(e.remedy.unwrap().0, Remedy::AcceptPolicy { by_guardian: true });
}

#[test]
fn a_separate_prompt_is_named_only_when_it_is_needed() {
    let eea = Ledger::new().profile("DE", 30).accepted(false);
    // GDPR: analytics needs a grant, not a separate one; the SDK needs nothing of its own.
    let e = explain(&eea, t0(), sdk("sensors_analytics"));
    assert_eq!((e.decision.reason, e.rule), (Reason::ConsentMissing, 4));
    let (remedy, then) = e.remedy.unwrap();
    assert_eq!(
        remedy,
        Remedy::Grant {
            purposes: vec!["analytics".into()],
            sdks: vec![],
            separate: false,
            by_guardian: false,
            user_initiated_only: false
        }
    );
    assert_eq!(then.verdict, Verdict::Allow);
    // A sensitive purpose needs a separate prompt.
    let e = explain(&eea, t0(), Subject::Purpose("face_recognition".into()));
    assert_eq!(e.decision.reason, Reason::SeparateConsentRequired);
    assert!(matches!(e.remedy.unwrap().0, Remedy::Grant { separate: true, .. }));

    // PIPL: analytics granted, facebook (independent, US) needs its own separate grant:
    // rule 5, and the remedy is a separate prompt for the SDK alone.
    let cn =
        Ledger::new().profile("CN", 30).accepted(false).choice(EventKind::Granted, t0(), &["analytics"], &[], false);
    let e = explain(&cn, t0(), sdk("facebook"));
    assert_eq!((e.decision.reason, e.rule), (Reason::SeparateConsentRequired, 5));
    let (remedy, then) = e.remedy.unwrap();
    assert_eq!(
        remedy,
        Remedy::Grant {
            purposes: vec![],
            sdks: vec!["facebook".into()],
            separate: true,
            by_guardian: false,
            user_initiated_only: false
        }
    );
    assert_eq!((then.verdict, then.reason), (Verdict::Allow, Reason::Consented));
    assert!(remedy.describe(&sdk("facebook")).contains("gatekeeper grant --sdk facebook --separate"));
}

#[test]
fn a_childs_grant_must_be_a_guardians() {
    let child = Ledger::new().profile("DE", 12).accepted(true);
    let e = explain(&child, t0(), sdk("sensors_analytics"));
    let (remedy, then) = e.remedy.unwrap();
    assert!(matches!(remedy, Remedy::Grant { by_guardian: true, separate: false, .. }), "{remedy:?}");
    assert_eq!(then.verdict, Verdict::Allow);
}

#[test]
fn a_refusal_changes_only_by_the_users_own_choice_and_by_time_on_both_sides_of_the_boundary() {
    let denied_at = t0();
    let l = Ledger::new().profile("DE", 30).accepted(false).choice(
        EventKind::Denied,
        denied_at,
        &["analytics"],
        &[],
        false,
    );
    let reask = denied_at + 180 * DAY;
    let e = explain(&l, reask - 1, sdk("sensors_analytics"));
    assert_eq!((e.decision.verdict, e.decision.reason), (Verdict::Deny, Reason::ConsentDenied));
    assert!(matches!(e.remedy.unwrap().0, Remedy::Grant { user_initiated_only: true, .. }));
    assert_eq!(e.by_time.len(), 1, "{:?}", e.by_time);
    assert_eq!(e.by_time[0].at, reask);
    assert_eq!((e.by_time[0].decision.verdict, e.by_time[0].decision.reason), (Verdict::Ask, Reason::ConsentExpired));
    // At the boundary itself the answer is already the later one, and nothing follows.
    let at = explain(&l, reask, sdk("sensors_analytics"));
    assert_eq!(at.decision.reason, Reason::ConsentExpired);
    assert!(at.by_time.is_empty(), "{:?}", at.by_time);
}

#[test]
fn a_grant_expires_by_time_alone() {
    let l =
        Ledger::new().profile("DE", 30).accepted(false).choice(EventKind::Granted, t0(), &["analytics"], &[], false);
    let expiry = t0() + 395 * DAY;
    let e = explain(&l, expiry - 1, sdk("sensors_analytics"));
    assert_eq!((e.decision.verdict, e.rule), (Verdict::Allow, 7));
    assert!(e.remedy.is_none());
    assert_eq!(
        e.by_time.iter().map(|c| (c.at, c.decision.reason)).collect::<Vec<_>>(),
        [(expiry, Reason::ConsentExpired)]
    );
    assert!(explain(&l, expiry, sdk("sensors_analytics")).by_time.is_empty());
}

#[test]
fn permissions_rules_2_and_6() {
    let l = Ledger::new().profile("CN", 30).accepted(false);
    let e = explain(&l, t0(), Subject::Permission("camera".into(), Trigger::AppLaunch));
    assert_eq!((e.decision.reason, e.rule), (Reason::LaunchTimeRequest, 2));
    let (remedy, then) = e.remedy.unwrap();
    assert_eq!((remedy, then.verdict), (Remedy::UserAction, Verdict::Allow));

    let denied = |r| {
        Ledger::new().profile("CN", 30).accepted(false).event(EventKind::PermissionResult, t0(), |e| {
            e.permission = Some("camera".into());
            e.result = Some(r);
        })
    };
    let camera = || Subject::Permission("camera".into(), Trigger::UserAction);
    let e = explain(&denied(PermissionResult::DeniedPermanently), t0(), camera());
    assert_eq!((e.decision.reason, e.rule), (Reason::DeniedPermanently, 6));
    assert_eq!(e.remedy.unwrap().0, Remedy::SystemSettings);
    let e = explain(&denied(PermissionResult::Denied), t0() + 48 * HOUR - 1, camera());
    assert_eq!((e.decision.reason, e.rule), (Reason::RecentlyDenied, 6));
    assert!(e.remedy.is_none());
    assert_eq!(
        e.by_time.iter().map(|c| (c.at, c.decision.verdict)).collect::<Vec<_>>(),
        [(t0() + 48 * HOUR, Verdict::Allow)]
    );
}

#[test]
fn unknown_ids_and_an_unusable_store_are_rule_1_with_nothing_to_change() {
    let l = Ledger::new();
    let e = explain(&l, t0(), sdk("tiktok"));
    assert_eq!((e.decision.reason, e.rule, e.remedy.is_none()), (Reason::UnknownSubject, 1, true));
    let m = example();
    let ctx = Context { manifest: &m, ledger: &l.0, now: t0(), accesses: None };
    let e = Explanation::of(&ctx, &sdk("mmkv"), false);
    assert_eq!((e.decision.reason, e.rule, e.remedy.is_none()), (Reason::StoreUnavailable, 1, true));
    let json = e.to_json(&sdk("mmkv"));
    assert_eq!(json["rule"]["number"], 1);
    assert_eq!(json["would_change"], serde_json::Value::Null);
}

#[test]
fn rule_of_reads_the_rule_off_every_reason() {
    let m = example();
    let l =
        Ledger::new().profile("CN", 30).accepted(false).choice(EventKind::Granted, t0(), &["analytics"], &[], false);
    let ctx = Context { manifest: &m, ledger: &l.0, now: t0(), accesses: None };
    for s in Context::watched_subjects(&m) {
        let d = ctx.decide(&s);
        let rule = rule_of(&d);
        let expected = match d.reason {
            Reason::Consented | Reason::NotConsentBased | Reason::OptOutNotExercised => 7,
            Reason::SeparateConsentRequired if d.purposes.is_empty() => 5,
            _ => 4,
        };
        assert_eq!(rule, expected, "{d:?}");
    }
}

#[test]
fn status_lists_every_subject_with_its_decision() {
    let m = example();
    let l =
        Ledger::new().profile("CN", 30).accepted(false).choice(EventKind::Granted, t0(), &["analytics"], &[], false);
    let ctx = Context { manifest: &m, ledger: &l.0, now: t0(), accesses: None };
    let report = StatusReport::of(&ctx, true);
    assert_eq!(report.rows.len(), m.sdks.len() + m.permissions.len() + m.purposes.len() + m.data_access.len());
    assert!(!m.data_access.is_empty(), "the example declares data accesses");
    assert_eq!((report.policy_version.as_str(), report.jurisdiction.as_str()), ("3.1", "CN"));
    for r in &report.rows {
        let subject = match r.kind {
            "sdk" => Subject::Sdk(r.id.clone()),
            "permission" => Subject::Permission(r.id.clone(), Trigger::UserAction),
            "access" => Subject::Access(r.id.clone(), false),
            _ => Subject::Purpose(r.id.clone()),
        };
        assert_eq!(r.decision, ctx.decide(&subject));
    }
    let sensors = report.rows.iter().find(|r| r.id == "sensors_analytics").unwrap();
    assert_eq!(sensors.decision.reason, Reason::Consented);
    let json = report.to_json();
    assert_eq!(json["subjects"].as_array().unwrap().len(), report.rows.len());
    assert_eq!(json["subjects"][0]["subject"], "sdk:mmkv");
    assert!(report.to_text().lines().any(|l| l.starts_with("sdk:sensors_analytics") && l.contains("consented")));

    let down = StatusReport::of(&ctx, false);
    assert!(down.rows.iter().all(|r| r.decision.reason == Reason::StoreUnavailable));
}
