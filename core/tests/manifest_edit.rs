//! A manifest edited without a version change (issue 13): the store keeps the first
//! fingerprint it saw per policy version in `meta`, notes a different one at open
//! (`Store::manifest_edit`, `state`'s `manifest_edited`) and keeps working; a raised
//! version, or the manifest put back, clears the note.

mod common;

use std::sync::Arc;

use common::{example, strings, TempStore};
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::StateReport;
use gatekeeper::{EventKind, Store, Subject};
use serde_json::{json, Value};

fn edited(f: impl FnOnce(&mut Value)) -> Arc<Manifest> {
    let mut v: Value = serde_json::from_str(manifest::EXAMPLE_MANIFEST).unwrap();
    f(&mut v);
    Arc::new(manifest::parse(&v.to_string()).unwrap())
}

fn open(t: &TempStore, m: Arc<Manifest>) -> Store {
    Store::open(&t.path, m, t.clock.clone()).unwrap()
}

#[test]
fn an_edit_without_a_version_change_is_noted_and_the_store_keeps_working() {
    let t = TempStore::new();
    let first = example();
    {
        let mut s = open(&t, first.clone());
        assert_eq!(s.manifest_edit(), None);
        s.accept_policy(false, "first_run_dialog").unwrap();
    }
    // The same content, laid out differently: no edit.
    let relaid = edited(|_| {});
    assert_eq!(relaid.fingerprint, first.fingerprint);
    assert_eq!(open(&t, relaid).manifest_edit(), None);

    let same_version = edited(|m| m["purposes"][4]["title"] = json!("Analytics of everything"));
    let mut s = open(&t, same_version.clone());
    let edit = s.manifest_edit().cloned().expect("noted");
    assert_eq!(
        (edit.version.as_str(), edit.recorded.as_str(), edit.current.as_str()),
        ("3.1", first.fingerprint.as_str(), same_version.fingerprint.as_str())
    );
    // Still deciding and recording.
    assert_eq!(s.decide(&Subject::Purpose("essential".into())).verdict.as_str(), "allow");
    s.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    let state = StateReport::of(&s).to_json();
    assert_eq!(
        state["manifest_edited"],
        json!({"version": "3.1", "recorded_fingerprint": first.fingerprint, "fingerprint": same_version.fingerprint})
    );
    drop(s);
    // The first fingerprint stays: opening again with the edit still notes it.
    assert!(open(&t, same_version).manifest_edit().is_some());
    // Put back: no note.
    let s = open(&t, example());
    assert_eq!(s.manifest_edit(), None);
    assert_eq!(StateReport::of(&s).to_json()["manifest_edited"], Value::Null);
    drop(s);
    // A raised version records its own fingerprint.
    let bumped = edited(|m| {
        m["policy"]["version"] = json!("3.2");
        m["purposes"][4]["title"] = json!("Analytics of everything");
    });
    assert_eq!(open(&t, bumped.clone()).manifest_edit(), None);
    let bumped_again = edited(|m| {
        m["policy"]["version"] = json!("3.2");
        m["purposes"][4]["title"] = json!("Analytics, edited again");
    });
    assert_eq!(open(&t, bumped_again).manifest_edit().map(|e| e.version.as_str()), Some("3.2"));
    assert_eq!(open(&t, bumped).manifest_edit(), None);
}

#[test]
fn a_store_from_before_fingerprints_records_one_at_its_next_open() {
    let t = TempStore::new();
    drop(open(&t, example()));
    // As a store written before this build: no fingerprint key.
    {
        let c = rusqlite::Connection::open(&t.path).unwrap();
        assert_eq!(c.execute("DELETE FROM meta WHERE key = 'manifest:3.1'", []).unwrap(), 1);
    }
    let edit = edited(|m| m["purposes"][4]["title"] = json!("Analytics of everything"));
    assert_eq!(open(&t, edit).manifest_edit(), None, "the first one seen is the reference");
    assert!(open(&t, example()).manifest_edit().is_some());
}

#[test]
fn erase_keeps_the_fingerprints() {
    let t = TempStore::new();
    let mut s = open(&t, example());
    s.erase().unwrap();
    drop(s);
    let edit = edited(|m| m["purposes"][4]["title"] = json!("Analytics of everything"));
    assert!(open(&t, edit).manifest_edit().is_some());
}
