//! Change notifications (contract §5) through a Rust `Listener`.

mod common;

use std::sync::{Arc, Mutex};

use common::{strings, t0, TempStore};
use gatekeeper::time::{MS_PER_DAY, MS_PER_HOUR};
use gatekeeper::{Change, EventKind, FixedClock, Listener, PermissionResult, Reason, Store, Verdict};

/// Records every call it gets.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Vec<Change>>>>);

impl Listener for Recorder {
    fn on_change(&self, changes: &[Change]) {
        self.0.lock().unwrap().push(changes.to_vec());
    }
}

impl Recorder {
    fn take(&self) -> Vec<Vec<Change>> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

struct Fixture {
    _dir: TempStore,
    store: Store,
    clock: Arc<FixedClock>,
    calls: Recorder,
}

fn fixture() -> Fixture {
    let dir = TempStore::new();
    let mut store = dir.open();
    let calls = Recorder::default();
    store.set_listener(Some(Box::new(calls.clone())));
    Fixture { clock: dir.clock.clone(), _dir: dir, store, calls }
}

/// (subject, old verdict, old reason, new verdict, new reason)
type Flip = (String, Verdict, Reason, Verdict, Reason);

fn flips(changes: &[Change]) -> Vec<Flip> {
    changes.iter().map(|c| (c.subject.clone(), c.old.verdict, c.old.reason, c.new.verdict, c.new.reason)).collect()
}

fn flip(subject: &str, old: (Verdict, Reason), new: (Verdict, Reason)) -> Flip {
    (subject.to_owned(), old.0, old.1, new.0, new.1)
}

use Reason::*;
use Verdict::*;

/// A Chinese adult who accepted the policy, granted analytics, and granted the
/// Facebook SDK separately (it is a third party on its own account).
fn analytics_user(f: &mut Fixture) {
    f.store.set_profile(Some("CN"), Some(30)).unwrap();
    f.store.accept_policy(false, "first_run_dialog").unwrap();
    f.store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "first_run_dialog").unwrap();
    f.store.record_choice(EventKind::Granted, &[], &strings(&["facebook"]), true, false, "just_in_time").unwrap();
    f.calls.take();
}

#[test]
fn withdrawing_analytics_reports_every_analytics_sdk_in_the_same_call() {
    let mut f = fixture();
    analytics_user(&mut f);
    f.clock.advance(MS_PER_HOUR);
    let returned =
        f.store.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    let calls = f.calls.take();
    assert_eq!(calls.len(), 1, "one call for one withdrawal");
    assert_eq!(calls[0], returned);
    assert_eq!(
        flips(&returned),
        [
            flip("sdk:facebook", (Allow, Consented), (Deny, ConsentWithdrawn)),
            flip("sdk:sensors_analytics", (Allow, Consented), (Deny, ConsentWithdrawn)),
            // Never granted its own (cross-border) consent, but its purpose is now withdrawn.
            flip("sdk:firebase_analytics", (Ask, SeparateConsentRequired), (Deny, ConsentWithdrawn)),
        ]
    );
    let withdrawn_at = t0() + MS_PER_HOUR;
    for c in &returned {
        assert_eq!(c.subject, c.new.subject);
        assert_eq!(c.subject, c.old.subject);
        assert_eq!(c.new.purposes, ["analytics"]);
        if c.subject == "sdk:firebase_analytics" {
            // Still blocked by its own missing separate grant too.
            assert_eq!(c.new.sdks, ["firebase_analytics"]);
        } else {
            assert!(c.new.sdks.is_empty());
        }
        assert_eq!(c.new.retry_after, Some(withdrawn_at + 180 * MS_PER_DAY));
        assert_eq!(c.new.decided_at, withdrawn_at);
        assert_eq!(c.new.jurisdiction, "CN");
    }
}

#[test]
fn a_call_that_changes_no_decision_does_not_call_the_listener() {
    let mut f = fixture();
    analytics_user(&mut f);
    f.clock.advance(MS_PER_DAY);
    // Granting again moves the expiry, not the verdict or reason.
    let c = f.store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    assert!(c.is_empty());
    // The same profile again.
    assert!(f.store.set_profile(Some("CN"), Some(30)).unwrap().is_empty());
    // Accepting the same policy again.
    assert!(f.store.accept_policy(false, "settings").unwrap().is_empty());
    // A permission the OS granted: it was allowed already.
    assert!(f.store.record_permission_result("camera", PermissionResult::Granted).unwrap().is_empty());
    // Failed calls record nothing and report nothing.
    assert!(f
        .store
        .record_choice(EventKind::Withdrawn, &strings(&["analytics", "nope"]), &[], false, false, "settings")
        .is_err());
    assert!(f.store.set_profile(Some("UK"), None).is_err());
    // Decisions are reads: they report nothing either.
    f.store.decide(&gatekeeper::Subject::Sdk("facebook".into()));
    assert_eq!(f.calls.take(), Vec::<Vec<Change>>::new());
    assert_eq!(f.store.chain().events, 8);
}

#[test]
fn accepting_the_policy_reports_every_changed_sdk_and_permission_in_manifest_order() {
    let mut f = fixture();
    assert!(f.store.set_profile(Some("CN"), Some(30)).unwrap().is_empty());
    let returned = f.store.accept_policy(false, "first_run_dialog").unwrap();
    let calls = f.calls.take();
    assert_eq!(calls, std::slice::from_ref(&returned));
    let before = (Ask, PolicyNotAccepted);
    assert_eq!(
        flips(&returned),
        [
            // SDKs, in manifest order.
            flip("sdk:mmkv", before, (Allow, NotConsentBased)),
            flip("sdk:matisse", before, (Allow, NotConsentBased)),
            flip("sdk:zoho_mobilisten", before, (Ask, SeparateConsentRequired)),
            flip("sdk:google_pay", before, (Ask, SeparateConsentRequired)),
            flip("sdk:firebase_crashlytics", before, (Ask, ConsentMissing)),
            flip("sdk:google_sign_in", before, (Ask, ConsentMissing)),
            flip("sdk:facebook_login", before, (Ask, ConsentMissing)),
            flip("sdk:facebook", before, (Ask, ConsentMissing)),
            flip("sdk:sensors_analytics", before, (Ask, ConsentMissing)),
            flip("sdk:huawei_push", before, (Ask, ConsentMissing)),
            flip("sdk:amap", before, (Ask, SeparateConsentRequired)),
            flip("sdk:firebase_analytics", before, (Ask, ConsentMissing)),
            // Then permissions, decided for a user action.
            flip("permission:camera", before, (Allow, NotConsentBased)),
            flip("permission:location", before, (Ask, SeparateConsentRequired)),
            flip("permission:photos", before, (Allow, NotConsentBased)),
            flip("permission:microphone", before, (Allow, NotConsentBased)),
            flip("permission:contacts", before, (Allow, NotConsentBased)),
            flip("permission:bluetooth", before, (Allow, NotConsentBased)),
        ]
    );
    // firebase_crashlytics is blocked by its purpose and by its own separate grant.
    let crash = &returned[4].new;
    assert_eq!(
        (crash.purposes.as_slice(), crash.sdks.as_slice()),
        (&strings(&["crash_reporting"])[..], &strings(&["firebase_crashlytics"])[..])
    );
}

#[test]
fn erase_reports_everything_that_goes_back_to_policy_not_accepted() {
    let mut f = fixture();
    analytics_user(&mut f);
    f.store.record_permission_result("camera", PermissionResult::DeniedPermanently).unwrap();
    f.calls.take();
    let returned = f.store.erase().unwrap();
    assert_eq!(f.calls.take(), std::slice::from_ref(&returned));
    let after = (Ask, PolicyNotAccepted);
    assert_eq!(
        flips(&returned),
        [
            flip("sdk:mmkv", (Allow, NotConsentBased), after),
            flip("sdk:matisse", (Allow, NotConsentBased), after),
            flip("sdk:zoho_mobilisten", (Ask, SeparateConsentRequired), after),
            flip("sdk:google_pay", (Ask, SeparateConsentRequired), after),
            flip("sdk:firebase_crashlytics", (Ask, ConsentMissing), after),
            flip("sdk:google_sign_in", (Ask, ConsentMissing), after),
            flip("sdk:facebook_login", (Ask, ConsentMissing), after),
            flip("sdk:facebook", (Allow, Consented), after),
            flip("sdk:sensors_analytics", (Allow, Consented), after),
            flip("sdk:huawei_push", (Ask, ConsentMissing), after),
            flip("sdk:amap", (Ask, SeparateConsentRequired), after),
            flip("sdk:firebase_analytics", (Ask, SeparateConsentRequired), after),
            flip("permission:camera", (Deny, DeniedPermanently), after),
            flip("permission:location", (Ask, SeparateConsentRequired), after),
            flip("permission:photos", (Allow, NotConsentBased), after),
            flip("permission:microphone", (Allow, NotConsentBased), after),
            flip("permission:contacts", (Allow, NotConsentBased), after),
            flip("permission:bluetooth", (Allow, NotConsentBased), after),
        ]
    );
    // Erasing an erased store changes nothing.
    assert!(f.store.erase().unwrap().is_empty());
    assert!(f.calls.take().is_empty());
}

#[test]
fn a_permission_denial_reports_only_that_permission() {
    let mut f = fixture();
    analytics_user(&mut f);
    let returned = f.store.record_permission_result("camera", PermissionResult::Denied).unwrap();
    assert_eq!(f.calls.take(), std::slice::from_ref(&returned));
    assert_eq!(flips(&returned), [flip("permission:camera", (Allow, NotConsentBased), (Deny, RecentlyDenied))]);
    assert_eq!(returned[0].new.retry_after, Some(t0() + 48 * MS_PER_HOUR));
}

#[test]
fn a_removed_listener_is_not_called() {
    let mut f = fixture();
    f.store.set_profile(Some("CN"), Some(30)).unwrap();
    f.store.set_listener(None);
    let returned = f.store.accept_policy(false, "first_run_dialog").unwrap();
    assert_eq!(returned.len(), 18);
    assert!(f.calls.take().is_empty());
    // A new listener replaces the old one.
    let second = Recorder::default();
    f.store.set_listener(Some(Box::new(second.clone())));
    let returned =
        f.store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    assert_eq!(
        flips(&returned),
        [
            // Facebook and Firebase Analytics now wait for their own separate grant only.
            flip("sdk:facebook", (Ask, ConsentMissing), (Ask, SeparateConsentRequired)),
            flip("sdk:sensors_analytics", (Ask, ConsentMissing), (Allow, Consented)),
            flip("sdk:firebase_analytics", (Ask, ConsentMissing), (Ask, SeparateConsentRequired)),
        ]
    );
    assert_eq!(second.take(), [returned]);
    assert!(f.calls.take().is_empty());
}
