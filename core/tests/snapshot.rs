//! Opening from the fold snapshot, and the background audit that follows (how an app
//! opens its store: `Store::open_with(.., LedgerCheck::Background)`, the FFI's
//! `Gatekeeper::open`). Each test compares with a full open of the same file, or
//! damages the file in one way the audit must catch.

mod common;

use std::path::Path;
use std::sync::Arc;

use gatekeeper::decide::Context;
use gatekeeper::ffi::{Gatekeeper, GatekeeperOptions};
use gatekeeper::ledger::{chain_hash, from_hex, to_hex, Choice, ChoiceKind, Event, GENESIS_HASH};
use gatekeeper::manifest;
use gatekeeper::snapshot::{self, Snapshot};
use gatekeeper::store::LedgerCheck;
use gatekeeper::{Decision, Error, EventKind, FixedClock, PermissionResult, Reason, Store, Subject, Verdict};
use rusqlite::{params, Connection, OptionalExtension};

use common::{example, strings, t0, TempStore};

fn sensors() -> Subject {
    Subject::Sdk("sensors_analytics".into())
}

/// A store for a user in China who accepted the policy, granted analytics (when
/// `analytics`) and answered `results` camera prompts; then opened once more, so it has
/// a fold snapshot of all of that.
fn with_history(analytics: bool, results: usize) -> TempStore {
    let f = TempStore::new();
    let mut s = f.open();
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    if analytics {
        s.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    }
    for i in 0..results {
        f.clock.advance(1000);
        let r = if i % 2 == 0 { PermissionResult::Denied } else { PermissionResult::Granted };
        s.record_permission_result("camera", r).unwrap();
    }
    drop(s);
    drop(f.open());
    assert!(stored_snapshot(&f).is_some(), "opening a store with history writes its snapshot");
    f
}

/// The fold snapshot as stored, read by another connection.
fn stored_snapshot(f: &TempStore) -> Option<String> {
    f.raw().query_row("SELECT value FROM meta WHERE key = 'fold_snapshot'", [], |r| r.get(0)).optional().unwrap()
}

/// What the app would be told about every watched subject, without logging.
fn answers(s: &Store) -> Vec<(String, Verdict, Reason)> {
    Context::watched_subjects(s.manifest())
        .iter()
        .map(|subject| {
            let d: Decision = s.peek(subject);
            (d.subject, d.verdict, d.reason)
        })
        .collect()
}

#[test]
fn a_background_open_agrees_with_a_full_open() {
    let f = with_history(true, 40);
    let text = stored_snapshot(&f).unwrap();
    let snap = snapshot::decode(&text).expect("the stored snapshot checks out");
    assert_eq!(snap.through_id, 43, "through the last of 43 events");

    let full = f.open();
    let (ledger, chain, said) = (full.ledger().clone(), full.chain(), answers(&full));
    drop(full);
    let mut quick = f.open_background();
    assert_eq!(quick.ledger(), &ledger);
    assert_eq!(answers(&quick), said);
    assert_eq!(quick.decide(&sensors()).verdict, Verdict::Allow);
    quick.settle();
    assert_eq!(quick.chain(), chain);
    assert_eq!(quick.ledger(), &ledger);
    assert!(quick.take_unreported().is_empty(), "a clean audit changes nothing");

    // Events written after the snapshot are checked and folded on top of it.
    quick.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    quick.record_permission_result("camera", PermissionResult::DeniedPermanently).unwrap();
    drop(quick);
    let again = f.open_background();
    let (quick_ledger, quick_said) = (again.ledger().clone(), answers(&again));
    assert_eq!(again.peek(&sensors()).reason, Reason::ConsentWithdrawn);
    drop(again);
    let full = f.open();
    assert_eq!(full.ledger(), &quick_ledger);
    assert_eq!(answers(&full), quick_said);
}

#[test]
fn an_edited_event_is_caught_by_the_audit_and_everything_fails_closed() {
    let f = with_history(true, 20);
    // The analytics grant (event 3) edited behind the store's back; its hash no longer
    // matches. The snapshot is untouched, so the open itself does not notice.
    let n = f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    assert_eq!(n, 1);
    let mut s = f.open_background();
    s.settle();
    assert_eq!(s.chain().first_broken, Some(3));
    let d = s.decide(&sensors());
    assert_eq!((d.verdict, d.reason), (Verdict::Deny, Reason::StoreUnavailable));
    let changes = s.take_unreported();
    let c = changes.iter().find(|c| c.subject == "sdk:sensors_analytics").expect("the switch-off is reported");
    assert_eq!((c.old.verdict, c.new.verdict), (Verdict::Allow, Verdict::Deny));
    match s.record_permission_result("camera", PermissionResult::Granted) {
        Err(Error::LedgerTampered { first_broken: 3, .. }) => {}
        other => panic!("a write onto the edited ledger must be refused, got {other:?}"),
    }
}

#[test]
fn writes_wait_for_the_audit() {
    let f = with_history(true, 20);
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    // No settle: the write itself must wait for the audit and refuse.
    let mut s = f.open_background();
    assert!(matches!(s.accept_policy(false, "settings"), Err(Error::LedgerTampered { first_broken: 3, .. })));
    assert_eq!(f.raw().query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0)).unwrap(), 23);
}

#[test]
fn a_snapshot_that_disagrees_with_the_events_gives_way_to_them() {
    let f = with_history(false, 20);
    // A forged snapshot (checksum recomputed) claiming an analytics grant the ledger
    // does not hold.
    let mut snap = snapshot::decode(&stored_snapshot(&f).unwrap()).unwrap();
    let forged = Choice {
        kind: ChoiceKind::Granted,
        at: t0(),
        separate: false,
        by_guardian: false,
        policy_version: "3.1".into(),
        event_id: 2,
    };
    snap.state.purposes.insert("analytics".into(), forged);
    let text = snapshot::encode(&snap);
    f.raw().execute("UPDATE meta SET value = ?1 WHERE key = 'fold_snapshot'", [&text]).unwrap();

    let mut s = f.open_background();
    s.settle();
    assert_eq!(s.chain().first_broken, None, "the events themselves are intact");
    let d = s.decide(&sensors());
    assert_eq!((d.verdict, d.reason), (Verdict::Ask, Reason::ConsentMissing));
    let changes = s.take_unreported();
    assert!(
        changes.iter().any(|c| c.subject == "sdk:sensors_analytics" && c.old.verdict == Verdict::Allow),
        "the correction is reported: {changes:?}"
    );
    let rewritten: Snapshot = snapshot::decode(&stored_snapshot(&f).unwrap()).unwrap();
    assert_eq!(&rewritten.state, s.ledger(), "the snapshot is rewritten from the events");
}

#[test]
fn a_damaged_snapshot_is_ignored_and_rewritten() {
    let f = with_history(true, 20);
    let text = stored_snapshot(&f).unwrap();
    let damaged = text.replacen("\"CN\"", "\"US\"", 1);
    assert_ne!(damaged, text);
    f.raw().execute("UPDATE meta SET value = ?1 WHERE key = 'fold_snapshot'", [&damaged]).unwrap();
    let s = f.open_background();
    assert_eq!(s.ledger().profile.country.as_deref(), Some("CN"), "read from the events, not the snapshot");
    assert_eq!(s.peek(&sensors()).verdict, Verdict::Allow);
    assert_eq!(stored_snapshot(&f), Some(text), "written again from the events");
}

#[test]
fn erase_deletes_the_snapshot() {
    let f = with_history(true, 20);
    let mut s = f.open_background();
    s.erase().unwrap();
    drop(s);
    assert_eq!(stored_snapshot(&f), None);
    let cn: i64 = f.raw().query_row("SELECT count(*) FROM meta WHERE value LIKE '%\"CN\"%'", [], |r| r.get(0)).unwrap();
    assert_eq!(cn, 0, "no profile left in the metadata");
    let s = f.open_background();
    assert_eq!(s.peek(&sensors()).reason, Reason::PolicyNotAccepted);
}

/// The page of the file holding `needle`, overwritten with its b-tree type byte
/// cleared: SQLite reports it corrupt when it reads that page.
fn corrupt_page_holding(path: &Path, needle: &[u8]) -> usize {
    let mut bytes = std::fs::read(path).unwrap();
    let page_size = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("the text is in the main file");
    let page = at / page_size;
    assert!(page > 0, "not the schema page");
    assert_eq!(bytes[page * page_size], 0x0d, "a table leaf page");
    bytes[page * page_size] = 0;
    std::fs::write(path, bytes).unwrap();
    page
}

#[test]
fn a_corrupt_page_found_by_the_audit_moves_the_store_aside() {
    // Enough events to fill several pages; the open reads only the last one.
    let f = with_history(true, 300);
    corrupt_page_holding(&f.path, br#"{"id":4,"#);
    let mut s = f.open_background();
    s.settle();
    let r = s.recovery().expect("the corrupt file was moved aside").clone();
    assert!(r.moved_to.contains(".corrupt-"));
    assert!(Path::new(&r.moved_to).exists());
    let d = s.decide(&sensors());
    assert_eq!((d.verdict, d.reason), (Verdict::Ask, Reason::PolicyNotAccepted), "a fresh store asks again");
    let changes = s.take_unreported();
    assert!(changes.iter().any(|c| c.subject == "sdk:sensors_analytics" && c.old.verdict == Verdict::Allow));
    // The fresh store works.
    s.accept_policy(false, "first_run_dialog").unwrap();
    drop(s);
    assert_eq!(f.open().chain().events, 1);
}

#[test]
fn a_file_that_is_not_a_database_is_moved_aside_by_a_background_open_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatekeeper.db");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let clock = Arc::new(FixedClock::new(t0()));
    let s = Store::open_with(&path, example(), clock, LedgerCheck::Background).unwrap();
    assert!(s.recovery().is_some());
    assert_eq!(s.peek(&sensors()).reason, Reason::PolicyNotAccepted);
}

#[test]
fn the_ffi_reports_what_the_audit_found() {
    let f = with_history(true, 20);
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    let g = Gatekeeper::open(
        f.path.display().to_string(),
        manifest::EXAMPLE_MANIFEST.to_owned(),
        GatekeeperOptions { time_source: None },
    )
    .unwrap();
    // The state waits for the audit (it does not recompute the chain itself).
    let state = g.state().unwrap();
    assert_eq!((state.ledger_intact, state.first_broken), (false, Some(3)));
    assert_eq!(g.decide_sdk("sensors_analytics".into()).verdict, Verdict::Deny);
    let v = g.verify().unwrap();
    assert_eq!((v.ok, v.first_broken), (false, Some(3)));
}

#[test]
fn a_broken_chain_is_found_before_answering_on_the_next_launch() {
    let f = with_history(true, 20);
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    let mut s = f.open_background();
    s.settle();
    assert_eq!(s.chain().first_broken, Some(3));
    drop(s);
    assert_eq!(stored_snapshot(&f), None, "the snapshot of a broken ledger is deleted");
    for _ in 0..3 {
        let mut s = f.open_background();
        let d = s.decide(&sensors());
        assert_eq!((d.verdict, d.reason), (Verdict::Deny, Reason::StoreUnavailable), "the first answer fails closed");
    }

    // The same when the break is found by a full open (the CLI's).
    let f = with_history(true, 20);
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    assert_eq!(f.open().chain().first_broken, Some(3));
    assert_eq!(stored_snapshot(&f), None);
    assert_eq!(f.open_background().decide(&sensors()).reason, Reason::StoreUnavailable);
}

/// Appends `n` camera results straight into the file (as fast as SQL allows), chained
/// and with the head recorded, as the store would have written them.
fn append_raw(path: &Path, n: i64) {
    let mut c = Connection::open(path).unwrap();
    let tx = c.transaction().unwrap();
    let (mut id, hash): (i64, String) = tx
        .query_row("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let mut prev = from_hex(&hash).unwrap();
    for _ in 0..n {
        id += 1;
        let mut e = Event::new(EventKind::PermissionResult, t0() + id);
        e.id = id;
        e.policy_version = Some("3.1".into());
        e.jurisdiction = Some("CN".into());
        e.permission = Some("camera".into());
        e.result = Some(PermissionResult::Granted);
        let body = e.canonical();
        prev = chain_hash(&prev, &body);
        tx.execute(
            "INSERT INTO events (id, ts, kind, body, hash) VALUES (?1, ?2, 'permission_result', ?3, ?4)",
            params![id, e.ts, body, to_hex(&prev)],
        )
        .unwrap();
    }
    tx.execute("UPDATE meta SET value = ?1 WHERE key = 'ledger_head'", [format!("{id}:{}", to_hex(&prev))]).unwrap();
    tx.commit().unwrap();
}

/// Erases the store as another process's `Store::erase` does.
fn erase_raw(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    let mut marker = Event::new(EventKind::Erased, t0() + 999_999);
    marker.id = 1;
    let body = marker.canonical();
    let h = chain_hash(&GENESIS_HASH, &body);
    c.execute_batch(
        "BEGIN IMMEDIATE; DELETE FROM events; DELETE FROM decision_log; DELETE FROM meta WHERE key = 'fold_snapshot';",
    )
    .unwrap();
    c.execute(
        "INSERT INTO events (id, ts, kind, body, hash) VALUES (1, ?1, 'erased', ?2, ?3)",
        params![marker.ts, body, to_hex(&h)],
    )
    .unwrap();
    c.execute("UPDATE meta SET value = ?1 WHERE key = 'ledger_head'", [format!("1:{}", to_hex(&h))]).unwrap();
    c.execute_batch("COMMIT").unwrap();
}

/// An audit of a ledger another process has since erased (and this store caught up
/// with) must not put the old ledger back. The ledger is long, so the audit is still
/// running when the erase is caught up (were it not, the test would check the ordinary
/// order instead).
#[test]
fn an_audit_of_a_ledger_erased_meanwhile_is_set_aside() {
    let f = with_history(true, 0);
    append_raw(&f.path, 20_000);
    drop(f.open()); // a snapshot through the last event
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    let mut s = f.open_background();
    // Time for the audit to begin its read (its thread can start half a millisecond
    // late); checking 20,000 events then takes it far longer than the erase.
    std::thread::sleep(std::time::Duration::from_millis(20));
    erase_raw(&f.path);
    s.refresh().unwrap();
    s.settle();
    let d = s.peek(&sensors());
    assert_eq!((d.verdict, d.reason), (Verdict::Ask, Reason::PolicyNotAccepted), "an erased user starts afresh");
    assert!(s.ledger().erased_at.is_some() && s.ledger().profile.country.is_none());
    let v = s.verify().unwrap();
    assert_eq!(v.first_broken, None);
    assert!(s.ledger().erased_at.is_some() && s.ledger().acceptance.is_none(), "verify keeps the state it checked");
    assert_eq!(s.peek(&sensors()).reason, Reason::PolicyNotAccepted);
}

#[test]
fn closing_before_the_audit_reports_still_acts_on_what_it_finds() {
    let f = with_history(true, 20);
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    // Opened and closed at once, as a short-lived process would.
    drop(f.open_background());
    assert_eq!(stored_snapshot(&f), None, "the audit's finding is applied on close");
    assert_eq!(f.open_background().decide(&sensors()).reason, Reason::StoreUnavailable);

    // The same through the FFI's close.
    let f = with_history(true, 20);
    f.raw().execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    let options = || GatekeeperOptions { time_source: None };
    let path = f.path.display().to_string();
    Gatekeeper::open(path.clone(), manifest::EXAMPLE_MANIFEST.to_owned(), options()).unwrap().close();
    assert_eq!(stored_snapshot(&f), None);
    let g = Gatekeeper::open(path, manifest::EXAMPLE_MANIFEST.to_owned(), options()).unwrap();
    assert_eq!(g.decide_sdk("sensors_analytics".into()).verdict, Verdict::Deny);
}

#[test]
fn a_snapshot_another_process_wrote_is_deleted_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatekeeper.db");
    let clock = Arc::new(FixedClock::new(t0()));
    // This store opens an empty file; another process then writes the history and,
    // opening again, its snapshot.
    let mut early = Store::open(&path, example(), clock.clone()).unwrap();
    {
        let mut other = Store::open(&path, example(), clock.clone()).unwrap();
        other.set_profile(Some("CN"), Some(30)).unwrap();
        other.accept_policy(false, "first_run_dialog").unwrap();
        other.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    }
    drop(Store::open(&path, example(), clock.clone()).unwrap());
    let raw = Connection::open(&path).unwrap();
    let stored = || -> Option<String> {
        raw.query_row("SELECT value FROM meta WHERE key = 'fold_snapshot'", [], |r| r.get(0)).optional().unwrap()
    };
    assert!(stored().is_some());
    raw.execute("UPDATE events SET body = replace(body, 'settings', 'settingz') WHERE id = 3", []).unwrap();
    assert_eq!(early.verify().unwrap().first_broken, Some(3));
    assert_eq!(stored(), None);
}

#[test]
fn a_snapshot_write_never_fails_or_stalls_the_open() {
    let f = with_history(true, 20);
    let before = stored_snapshot(&f).unwrap();
    // One event after the snapshot, so the open would rewrite it...
    {
        let mut s = f.open();
        s.record_permission_result("camera", PermissionResult::Granted).unwrap();
        // (its own writes keep the snapshot where it was)
    }
    f.raw().execute("UPDATE meta SET value = ?1 WHERE key = 'fold_snapshot'", [&before]).unwrap();
    // ...while another connection holds the write lock for the whole open.
    let holder = f.raw();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let s = f.open_background();
    assert_eq!(s.peek(&sensors()).verdict, Verdict::Allow);
    assert_eq!(s.ledger().events, 24, "the event after the snapshot is folded");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(s);
    assert_eq!(stored_snapshot(&f), Some(before), "the snapshot is left for a later open");
    drop(f.open_background());
    assert_ne!(stored_snapshot(&f).map(|t| snapshot::decode(&t).unwrap().through_id), Some(23));
}
