//! The store guarantees of contract §6 (and the ledger operations of §3 it carries:
//! erase and verify), through the Rust API on a fixed clock.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::{Export, StateReport};
use gatekeeper::schema;
use gatekeeper::time::{format_rfc3339, MS_PER_DAY, MS_PER_HOUR};
use gatekeeper::{
    Clock, Decision, Error, EventKind, FixedClock, PermissionResult, Reason, Store, Subject, Trigger, Verdict,
};
use rusqlite::Connection;
use serde_json::{json, Value};

use common::{example, strings, t0, TempStore as Fixture};

/// The example manifest with `policy.<key>` replaced.
fn example_with_policy(key: &str, value: &str) -> Arc<Manifest> {
    let mut doc: Value = serde_json::from_str(manifest::EXAMPLE_MANIFEST).unwrap();
    doc["policy"][key] = json!(value);
    Arc::new(manifest::parse(&doc.to_string()).unwrap())
}

fn sdk(id: &str) -> Subject {
    Subject::Sdk(id.into())
}

fn perm(id: &str) -> Subject {
    Subject::Permission(id.into(), Trigger::UserAction)
}

fn purpose(id: &str) -> Subject {
    Subject::Purpose(id.into())
}

/// A Chinese adult who accepted the policy, granted analytics, granted the Facebook SDK
/// separately and denied personalised ads; the clock moves one minute per event.
fn consenting_user(store: &mut Store, clock: &FixedClock, source: &str) {
    store.set_profile(Some("CN"), Some(30)).unwrap();
    clock.advance(60_000);
    store.accept_policy(false, source).unwrap();
    clock.advance(60_000);
    store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, source).unwrap();
    clock.advance(60_000);
    store.record_choice(EventKind::Granted, &[], &strings(&["facebook"]), true, false, source).unwrap();
    clock.advance(60_000);
    store.record_choice(EventKind::Denied, &strings(&["personalised_ads"]), &[], false, false, source).unwrap();
    clock.advance(60_000);
}

fn verdict_reason(d: &Decision) -> (Verdict, Reason) {
    (d.verdict, d.reason)
}

fn journal_mode(path: &Path) -> String {
    let c = Connection::open(path).unwrap();
    c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap()
}

fn user_version(path: &Path) -> u32 {
    let c = Connection::open(path).unwrap();
    c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

fn table_names(path: &Path) -> Vec<String> {
    let c = Connection::open(path).unwrap();
    let mut stmt = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<Vec<String>>>().unwrap();
    names
}

/// (subject, verdict, reason, count) of every decision-log row, read from the file.
fn raw_log(c: &Connection) -> Vec<(String, String, String, i64)> {
    let mut stmt = c.prepare("SELECT subject, verdict, reason, count FROM decision_log ORDER BY id").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
    rows.collect::<rusqlite::Result<Vec<_>>>().unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn read_or_empty(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

// --- reopening, WAL ---------------------------------------------------------------------

#[test]
fn reopening_gives_the_same_decisions_and_state() {
    let f = Fixture::new();
    let subjects =
        [sdk("facebook"), sdk("sensors_analytics"), sdk("huawei_push"), perm("camera"), purpose("analytics")];
    let (before, state_before) = {
        let mut store = f.open();
        consenting_user(&mut store, &f.clock, "first_run_dialog");
        let before: Vec<Decision> = subjects.iter().map(|s| store.decide(s)).collect();
        (before, StateReport::of(&store).to_json())
    };
    assert_eq!(
        before.iter().map(verdict_reason).collect::<Vec<_>>(),
        vec![
            (Verdict::Allow, Reason::Consented),
            (Verdict::Allow, Reason::Consented),
            (Verdict::Ask, Reason::ConsentMissing),
            (Verdict::Allow, Reason::NotConsentBased),
            (Verdict::Allow, Reason::Consented),
        ]
    );
    assert_eq!(state_before["profile"], json!({"country": "CN", "age": 30}));
    assert_eq!(state_before["ledger"], json!({"events": 5, "intact": true, "first_broken": null}));

    let mut store = f.open();
    let after: Vec<Decision> = subjects.iter().map(|s| store.decide(s)).collect();
    assert_eq!(after, before);
    assert_eq!(StateReport::of(&store).to_json(), state_before);
    assert!(store.recovery().is_none());
    assert_eq!(store.chain().events, 5);
}

#[test]
fn the_file_is_in_wal_mode() {
    let f = Fixture::new();
    let mut store = f.open();
    store.accept_policy(false, "first_run_dialog").unwrap();
    assert_eq!(journal_mode(&f.path), "wal");
    assert!(f.side("-wal").exists());
    drop(store);
    // WAL is a property of the file: it stays on after close.
    assert_eq!(journal_mode(&f.path), "wal");
    // `synchronous` is a per-connection setting and cannot be read from another
    // connection; what can be checked from outside is that an acknowledged write is in
    // the file for a second connection to read, with the writer still open.
    let mut store = f.open();
    store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    let kinds: Vec<String> = {
        let c = f.raw();
        let mut stmt = c.prepare("SELECT kind FROM events ORDER BY id").unwrap();
        let kinds = stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<Vec<String>>>().unwrap();
        kinds
    };
    assert_eq!(kinds, ["policy_accepted", "granted"]);
}

// --- schema and migrations --------------------------------------------------------------

#[test]
fn a_new_file_is_created_at_the_current_schema() {
    let f = Fixture::new();
    assert!(!f.path.exists());
    drop(f.open());
    assert_eq!(user_version(&f.path), schema::CURRENT_VERSION);
    assert_eq!(table_names(&f.path), ["decision_log", "events", "meta"]);
    let c = f.raw();
    let pinned: String = c.query_row("SELECT value FROM meta WHERE key = 'policy_id'", [], |r| r.get(0)).unwrap();
    assert_eq!(pinned, "phocol");
}

#[test]
fn an_empty_zero_byte_file_opens_as_a_new_store() {
    let f = Fixture::new();
    std::fs::write(&f.path, b"").unwrap();
    let mut store = f.open();
    assert!(store.recovery().is_none());
    assert_eq!(store.chain().events, 0);
    assert_eq!(verdict_reason(&store.decide(&sdk("mmkv"))), (Verdict::Ask, Reason::PolicyNotAccepted));
    store.accept_policy(false, "first_run_dialog").unwrap();
    drop(store);
    assert_eq!(user_version(&f.path), schema::CURRENT_VERSION);
    let leftovers: Vec<_> = std::fs::read_dir(f.path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".corrupt-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_file_from_a_newer_schema_is_refused_and_left_untouched() {
    for wal in [false, true] {
        let f = Fixture::new();
        let newer = schema::CURRENT_VERSION + 1;
        {
            let c = f.raw();
            if wal {
                let _: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
            }
            c.execute_batch(&format!(
                "CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('from the future'); PRAGMA user_version = {newer};"
            ))
            .unwrap();
        }
        let bytes = std::fs::read(&f.path).unwrap();
        match f.open_with(example()) {
            Err(Error::NewerSchema { path, found, supported }) => {
                assert_eq!(path, f.path.display().to_string());
                assert_eq!(found, newer);
                assert_eq!(supported, schema::CURRENT_VERSION);
            }
            Err(e) => panic!("wal={wal}: expected NewerSchema, got {e}"),
            Ok(_) => panic!("wal={wal}: a newer schema was opened"),
        }
        assert_eq!(std::fs::read(&f.path).unwrap(), bytes, "wal={wal}");
        assert_eq!(user_version(&f.path), newer);
        assert_eq!(table_names(&f.path), ["future"]);
        assert!(!f.side(&format!(".corrupt-{}", gatekeeper::time::file_stamp(t0()))).exists());
    }
}

/// Copies the store at `from` with its WAL while `writer` still holds it open, as if the
/// app had been killed: the copy has a WAL that was never checkpointed.
fn copy_with_hot_wal(from: &Path, to: &Path) {
    let wal = |p: &Path| PathBuf::from(format!("{}-wal", p.display()));
    assert!(std::fs::metadata(wal(from)).unwrap().len() > 0);
    std::fs::copy(from, to).unwrap();
    std::fs::copy(wal(from), wal(to)).unwrap();
}

#[test]
fn a_newer_schema_file_with_a_hot_wal_is_not_checkpointed() {
    let f = Fixture::new();
    let origin = f.path.with_file_name("origin.db");
    let writer = Connection::open(&origin).unwrap();
    let _: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
    writer
        .execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = 0; CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('x');
             PRAGMA user_version = {};",
            schema::CURRENT_VERSION + 1
        ))
        .unwrap();
    copy_with_hot_wal(&origin, &f.path);
    let main = std::fs::read(&f.path).unwrap();
    let wal = std::fs::read(f.side("-wal")).unwrap();
    assert!(matches!(f.open_with(example()), Err(Error::NewerSchema { .. })));
    // Closing the refused file did not fold its WAL into it.
    assert_eq!(std::fs::read(&f.path).unwrap(), main);
    assert_eq!(std::fs::read(f.side("-wal")).unwrap(), wal);
    drop(writer);
}

#[test]
fn every_older_schema_migrates_to_the_current_one() {
    assert_eq!(schema::MIGRATIONS.len() as u32, schema::CURRENT_VERSION);
    for from in 0..schema::CURRENT_VERSION {
        let f = Fixture::new();
        {
            // A store exactly as schema `from` left it.
            let c = f.raw();
            for step in &schema::MIGRATIONS[..from as usize] {
                c.execute_batch(step).unwrap();
            }
            c.execute_batch(&format!("PRAGMA user_version = {from};")).unwrap();
        }
        assert_eq!(user_version(&f.path), from);
        {
            let mut store = f.open();
            assert!(store.recovery().is_none(), "from {from}");
            store.accept_policy(false, "first_run_dialog").unwrap();
            assert_eq!(
                verdict_reason(&store.decide(&purpose("essential"))),
                (Verdict::Allow, Reason::NotConsentBased),
                "from {from}"
            );
        }
        assert_eq!(user_version(&f.path), schema::CURRENT_VERSION, "from {from}");
        assert_eq!(table_names(&f.path), ["decision_log", "events", "meta"], "from {from}");
        let mut store = f.open();
        assert_eq!(store.chain().events, 1, "from {from}");
        assert_eq!(store.verify().unwrap().first_broken, None, "from {from}");
    }
}

// --- decision log -----------------------------------------------------------------------

#[test]
fn identical_decisions_share_one_row_and_the_count_survives_close() {
    let f = Fixture::new();
    {
        let mut store = f.open();
        for _ in 0..5 {
            f.clock.advance(1_000);
            assert_eq!(verdict_reason(&store.decide(&sdk("facebook"))), (Verdict::Ask, Reason::PolicyNotAccepted));
        }
        // Dropped without an explicit flush: closing writes the buffered count.
    }
    assert_eq!(raw_log(&f.raw()), [("sdk:facebook".to_owned(), "ask".to_owned(), "policy_not_accepted".to_owned(), 5)]);
    let mut store = f.open();
    let rows = store.decision_log().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].count, 5);
    assert_eq!(rows[0].first_seen, t0() + 1_000);
    assert_eq!(rows[0].last_seen, t0() + 5_000);
    assert_eq!(rows[0].policy_version, "3.1");
    assert_eq!(rows[0].jurisdiction, "default");
    // The reopened store continues the same row.
    f.clock.advance(1_000);
    store.decide(&sdk("facebook"));
    store.decide(&sdk("facebook"));
    let rows = store.decision_log().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].count, 7);
    assert_eq!(rows[0].last_seen, t0() + 6_000);
}

#[test]
fn a_changed_decision_adds_a_row() {
    let f = Fixture::new();
    let mut store = f.open();
    store.set_profile(Some("CN"), Some(30)).unwrap();
    store.decide(&sdk("sensors_analytics"));
    store.decide(&sdk("sensors_analytics"));
    store.accept_policy(false, "first_run_dialog").unwrap();
    store.decide(&sdk("sensors_analytics"));
    store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    for _ in 0..3 {
        store.decide(&sdk("sensors_analytics"));
    }
    store.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    store.decide(&sdk("sensors_analytics"));
    store.decide(&sdk("mmkv"));
    let rows: Vec<(String, String, String, u64)> =
        store.decision_log().unwrap().into_iter().map(|r| (r.subject, r.verdict, r.reason, r.count)).collect();
    let row = |s: &str, v: &str, r: &str, n: u64| (s.to_owned(), v.to_owned(), r.to_owned(), n);
    assert_eq!(
        rows,
        [
            row("sdk:sensors_analytics", "ask", "policy_not_accepted", 2),
            row("sdk:sensors_analytics", "ask", "consent_missing", 1),
            row("sdk:sensors_analytics", "allow", "consented", 3),
            row("sdk:sensors_analytics", "deny", "consent_withdrawn", 1),
            row("sdk:mmkv", "allow", "not_consent_based", 1),
        ]
    );
    drop(store);

    // A new policy MINOR: the same verdict and reason, but another policy version, is
    // a new row.
    let mut store = f.open_with(example_with_policy("version", "3.2")).unwrap();
    store.decide(&sdk("mmkv"));
    let rows = store.decision_log().unwrap();
    assert_eq!(rows.len(), 6);
    let last = &rows[5];
    assert_eq!(
        (last.subject.as_str(), last.verdict.as_str(), last.reason.as_str()),
        ("sdk:mmkv", "allow", "not_consent_based")
    );
    assert_eq!((last.policy_version.as_str(), last.count), ("3.2", 1));
    assert_eq!(rows[4].policy_version, "3.1");
}

#[test]
fn repeated_decisions_write_nothing_until_flush() {
    let f = Fixture::new();
    let mut store = f.open();
    store.decide(&sdk("facebook"));
    let reader = f.raw();
    let ask = |n| vec![("sdk:facebook".to_owned(), "ask".to_owned(), "policy_not_accepted".to_owned(), n)];
    // A new decision is written before it is returned.
    assert_eq!(raw_log(&reader), ask(1));
    let main = std::fs::read(&f.path).unwrap();
    let wal = read_or_empty(&f.side("-wal"));
    for _ in 0..4 {
        f.clock.advance(1_000);
        store.decide(&sdk("facebook"));
    }
    // Repeats are only counted in memory: neither file changed.
    assert_eq!(raw_log(&reader), ask(1));
    assert_eq!(std::fs::read(&f.path).unwrap(), main);
    assert_eq!(read_or_empty(&f.side("-wal")), wal);
    store.flush().unwrap();
    assert_eq!(raw_log(&reader), ask(5));
    let last_seen: i64 = reader.query_row("SELECT last_seen FROM decision_log", [], |r| r.get(0)).unwrap();
    assert_eq!(last_seen, t0() + 4_000);
    // A consent write also writes the buffered repeats, in the same transaction.
    store.decide(&sdk("facebook"));
    assert_eq!(raw_log(&reader), ask(5));
    store.accept_policy(false, "first_run_dialog").unwrap();
    assert_eq!(raw_log(&reader), ask(6));
}

#[test]
fn log_rows_past_retention_are_pruned_on_open() {
    let f = Fixture::new();
    let retention = i64::from(example().settings.decision_log_retention_days) * MS_PER_DAY;
    assert_eq!(retention, 400 * MS_PER_DAY);
    {
        let mut store = f.open();
        f.clock.set(t0());
        store.decide(&sdk("mmkv")); // last seen at t0: one ms past retention at reopen
        f.clock.set(t0() + 1);
        store.decide(&sdk("matisse")); // exactly at the retention age: not older, kept
        f.clock.set(t0() + 2);
        store.decide(&sdk("facebook")); // one ms inside retention: kept
        f.clock.set(t0() - 30 * MS_PER_DAY);
        store.decide(&perm("camera")); // first seen long before, ...
        f.clock.set(t0() + 10 * MS_PER_DAY);
        store.decide(&perm("camera")); // ... but seen again recently: kept
    }
    // Opening one ms before the first row falls out prunes nothing.
    f.clock.set(t0() + retention);
    {
        let mut store = f.open();
        let subjects: Vec<String> = store.decision_log().unwrap().into_iter().map(|r| r.subject).collect();
        assert_eq!(subjects, ["sdk:mmkv", "sdk:matisse", "sdk:facebook", "permission:camera"]);
    }
    f.clock.set(t0() + retention + 1);
    let mut store = f.open();
    let rows = store.decision_log().unwrap();
    let subjects: Vec<&str> = rows.iter().map(|r| r.subject.as_str()).collect();
    assert_eq!(subjects, ["sdk:matisse", "sdk:facebook", "permission:camera"]);
    let camera = &rows[2];
    assert_eq!(
        (camera.first_seen, camera.last_seen, camera.count),
        (t0() - 30 * MS_PER_DAY, t0() + 10 * MS_PER_DAY, 2)
    );
    // The pruned subject starts a new row rather than counting on a deleted one.
    store.decide(&sdk("mmkv"));
    let rows = store.decision_log().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!((rows[3].subject.as_str(), rows[3].count, rows[3].first_seen), ("sdk:mmkv", 1, t0() + retention + 1));
}

// --- corruption ---------------------------------------------------------------------------

fn garbage() -> Vec<u8> {
    (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1).collect()
}

#[test]
fn a_file_that_is_not_a_database_is_moved_aside_and_a_fresh_store_started() {
    let f = Fixture::new();
    let bytes = garbage();
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
    std::fs::write(&f.path, &bytes).unwrap();
    let moved = f.side(".corrupt-20260101T000000Z");
    {
        let mut store = f.open();
        let r = store.recovery().cloned().expect("recovery");
        assert_eq!(r.at, t0());
        assert_eq!(r.moved_to, moved.display().to_string());
        assert_eq!(std::fs::read(&moved).unwrap(), bytes);
        assert_eq!(store.chain().events, 0);
        for s in [sdk("mmkv"), sdk("facebook"), perm("camera"), purpose("essential")] {
            assert_eq!(verdict_reason(&store.decide(&s)), (Verdict::Ask, Reason::PolicyNotAccepted), "{s:?}");
        }
        let state = StateReport::of(&store).to_json();
        assert_eq!(state["recovered_from_corruption"], json!(true));
        assert_eq!(
            state["recovery"],
            json!({"at": "2026-01-01T00:00:00Z", "moved_aside_to": moved.display().to_string()})
        );
        assert_eq!(state["store_usable"], json!(true));
    }
    assert_eq!(user_version(&f.path), schema::CURRENT_VERSION);
    // Still reported after reopening, a day later.
    f.clock.advance(MS_PER_DAY);
    let mut store = f.open();
    assert_eq!(store.recovery().map(|r| r.at), Some(t0()));
    let state = StateReport::of(&store).to_json();
    assert_eq!(state["recovered_from_corruption"], json!(true));
    // The fresh store works until the user's account is deleted: erasing forgets the
    // recovery note and deletes the moved-aside copy, which may hold the user's data.
    store.accept_policy(false, "first_run_dialog").unwrap();
    assert!(moved.exists());
    let unrelated = f.path.with_file_name("other.db.corrupt-20260101T000000Z");
    std::fs::write(&unrelated, b"not ours").unwrap();
    store.erase().unwrap();
    assert!(store.recovery().is_none());
    assert!(!moved.exists());
    assert_eq!(std::fs::read(&unrelated).unwrap(), b"not ours");
    drop(store);
    let store = f.open();
    assert!(store.recovery().is_none());
}

#[test]
fn a_damaged_page_behind_a_valid_header_is_moved_aside() {
    let f = Fixture::new();
    {
        let mut store = f.open();
        consenting_user(&mut store, &f.clock, "first_run_dialog");
    }
    let mut bytes = std::fs::read(&f.path).unwrap();
    assert!(bytes.len() >= 3 * 4096, "{}", bytes.len());
    bytes[4096..8192].fill(0xFF);
    std::fs::write(&f.path, &bytes).unwrap();
    let mut store = f.open();
    let moved = f.side(".corrupt-20260101T000500Z");
    assert_eq!(store.recovery().map(|r| r.moved_to.clone()), Some(moved.display().to_string()));
    assert_eq!(std::fs::read(&moved).unwrap(), bytes);
    assert_eq!(store.chain().events, 0);
    assert_eq!(verdict_reason(&store.decide(&sdk("sensors_analytics"))), (Verdict::Ask, Reason::PolicyNotAccepted));
}

#[test]
fn a_foreign_database_is_refused_with_an_error_naming_the_path() {
    let f = Fixture::new();
    f.raw().execute_batch("CREATE TABLE meta (something_else INTEGER); INSERT INTO meta VALUES (42);").unwrap();
    let before = std::fs::read(&f.path).unwrap();
    let e = f.open_with(example()).err().expect("a foreign database was opened");
    // Byte for byte as it was: not even switched to WAL.
    assert_eq!(std::fs::read(&f.path).unwrap(), before);
    match &e {
        Error::Open { path, message } => {
            assert_eq!(path, &f.path.display().to_string());
            assert!(message.contains("another program, not a Gatekeeper store"), "{message}");
        }
        other => panic!("expected Error::Open, got {other:?}"),
    }
    assert_eq!(e.code(), "store_unavailable");
    // Its data is still there, and nothing was moved aside.
    let n: i64 = f.raw().query_row("SELECT something_else FROM meta", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 42);
    assert!(!f.side(".corrupt-20260101T000000Z").exists());
}

#[test]
fn a_second_corruption_does_not_overwrite_the_first_moved_file() {
    let f = Fixture::new();
    std::fs::write(&f.path, b"first garbage, long enough to not be a database header at all").unwrap();
    drop(f.open());
    std::fs::write(&f.path, garbage()).unwrap();
    drop(f.open());
    let first = f.side(".corrupt-20260101T000000Z");
    let second = f.side(".corrupt-20260101T000000Z-2");
    assert_eq!(std::fs::read(&first).unwrap(), b"first garbage, long enough to not be a database header at all");
    assert_eq!(std::fs::read(&second).unwrap(), garbage());
}

// --- policy pinning ------------------------------------------------------------------------

#[test]
fn a_store_made_for_another_policy_is_refused_and_untouched() {
    let f = Fixture::new();
    {
        let mut store = f.open();
        store.accept_policy(false, "first_run_dialog").unwrap();
        store.decide(&sdk("mmkv"));
    }
    let bytes = std::fs::read(&f.path).unwrap();
    assert!(!f.side("-wal").exists());
    f.clock.advance(1000 * MS_PER_DAY); // would prune the log if the open went ahead
    match f.open_with(example_with_policy("id", "other_app")) {
        Err(Error::PolicyMismatch { path, store_policy, manifest_policy }) => {
            assert_eq!(path, f.path.display().to_string());
            assert_eq!(store_policy, "phocol");
            assert_eq!(manifest_policy, "other_app");
        }
        Err(e) => panic!("expected PolicyMismatch, got {e}"),
        Ok(_) => panic!("a store of another policy was opened"),
    }
    assert_eq!(std::fs::read(&f.path).unwrap(), bytes);
    assert_eq!(raw_log(&f.raw()).len(), 1);
    // Also when the store was left with a WAL that was never checkpointed.
    let f2 = Fixture::new();
    let mut live = f.open();
    live.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    copy_with_hot_wal(&f.path, &f2.path);
    let (main, wal) = (std::fs::read(&f2.path).unwrap(), std::fs::read(f2.side("-wal")).unwrap());
    assert!(matches!(f2.open_with(example_with_policy("id", "other_app")), Err(Error::PolicyMismatch { .. })));
    assert_eq!(std::fs::read(&f2.path).unwrap(), main);
    assert_eq!(std::fs::read(f2.side("-wal")).unwrap(), wal);
    drop(live);
    // The error names the store and both policies.
    let e = f.open_with(example_with_policy("id", "other_app")).err().unwrap();
    let msg = e.to_string();
    assert!(
        msg.contains(&f.path.display().to_string()) && msg.contains("phocol") && msg.contains("other_app"),
        "{msg}"
    );
    assert_eq!(e.code(), "policy_mismatch");
}

// --- erase --------------------------------------------------------------------------------

#[test]
fn erase_leaves_one_marker_and_no_personal_data_in_the_files() {
    let f = Fixture::new();
    let source = "unique_src_7f3a9c";
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, source);
    store.record_permission_result("camera", PermissionResult::Denied).unwrap();
    for s in [sdk("facebook"), sdk("sensors_analytics"), perm("camera")] {
        store.decide(&s);
        store.decide(&s);
    }
    store.flush().unwrap();
    let before = [std::fs::read(&f.path).unwrap(), read_or_empty(&f.side("-wal"))].concat();
    assert!(contains(&before, "\"country\":\"CN\""));
    assert!(contains(&before, source));

    f.clock.advance(MS_PER_HOUR);
    let erased_at = f.clock.now_ms();
    store.erase().unwrap();

    let rows = store.stored_events().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].id, rows[0].ts, rows[0].kind.as_str()), (1, erased_at, "erased"));
    assert_eq!(rows[0].body, format!("{{\"id\":1,\"kind\":\"erased\",\"ts\":{erased_at}}}"));
    assert!(store.decision_log().unwrap().is_empty());
    assert_eq!(store.ledger().profile, Default::default());
    assert!(store.ledger().purposes.is_empty() && store.ledger().sdks.is_empty());
    assert_eq!(store.ledger().erased_at, Some(erased_at));
    assert_eq!(store.verify().unwrap(), gatekeeper::ledger::ChainReport { events: 1, first_broken: None });
    let state = StateReport::of(&store).to_json();
    assert_eq!(state["profile"], json!({"country": null, "age": null}));
    assert_eq!(state["policy"]["accepted"], json!(false));
    assert_eq!(state["purposes"]["analytics"]["status"], json!("undecided"));
    assert_eq!(state["sdks"]["facebook"]["status"], json!("undecided"));
    assert_eq!(state["permissions"]["camera"]["status"], json!("not_asked"));
    assert_eq!(state["erased_at"], json!(format_rfc3339(erased_at)));

    // Neither the main file nor the WAL still holds the erased data.
    let after = [std::fs::read(&f.path).unwrap(), read_or_empty(&f.side("-wal"))].concat();
    assert!(!contains(&after, "\"country\":\"CN\""));
    assert!(!contains(&after, source));
    assert!(!contains(&after, "personalised_ads"));

    // A new user: everything asks for the policy again, and is logged afresh.
    for s in [sdk("facebook"), sdk("mmkv"), perm("camera"), purpose("analytics")] {
        assert_eq!(verdict_reason(&store.decide(&s)), (Verdict::Ask, Reason::PolicyNotAccepted), "{s:?}");
    }
    assert_eq!(store.decision_log().unwrap().len(), 4);
    drop(store);

    let after_close = [std::fs::read(&f.path).unwrap(), read_or_empty(&f.side("-wal"))].concat();
    assert!(!contains(&after_close, "\"country\":\"CN\""));
    assert!(!contains(&after_close, source));
    let mut store = f.open();
    assert_eq!(store.stored_events().unwrap().len(), 1);
    assert_eq!(store.ledger().profile, Default::default());
    let receipts = Export::of(&mut store).unwrap().receipts;
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0].event, EventKind::Erased);
    assert_eq!((receipts[0].subject.as_deref(), receipts[0].basis.as_deref()), (None, None));
    assert_eq!(receipts[0].source, None);
}

// --- verify -------------------------------------------------------------------------------

#[test]
fn verify_accepts_an_intact_chain() {
    let f = Fixture::new();
    let mut store = f.open();
    assert_eq!(store.verify().unwrap(), gatekeeper::ledger::ChainReport { events: 0, first_broken: None });
    consenting_user(&mut store, &f.clock, "settings");
    assert_eq!(store.verify().unwrap(), gatekeeper::ledger::ChainReport { events: 5, first_broken: None });
    drop(store);
    let mut store = f.open();
    assert_eq!(store.verify().unwrap(), gatekeeper::ledger::ChainReport { events: 5, first_broken: None });
    assert!(store.is_usable());
}

#[test]
fn verify_names_an_event_whose_body_was_rewritten_and_decisions_fail_closed() {
    let f = Fixture::new();
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, "settings");
    assert_eq!(verdict_reason(&store.decide(&sdk("facebook"))), (Verdict::Allow, Reason::Consented));
    // Event 5 is the denial of personalised_ads; make it say analytics instead, keeping
    // the body well-formed and canonical.
    let changed = f
        .raw()
        .execute("UPDATE events SET body = replace(body, '\"personalised_ads\"', '\"analytics\"') WHERE id = 5", [])
        .unwrap();
    assert_eq!(changed, 1);
    assert_eq!(store.verify().unwrap(), gatekeeper::ledger::ChainReport { events: 5, first_broken: Some(5) });
    assert_eq!(verdict_reason(&store.decide(&sdk("facebook"))), (Verdict::Deny, Reason::StoreUnavailable));
    drop(store);

    let mut store = f.open();
    assert!(!store.is_usable());
    for s in [sdk("facebook"), sdk("mmkv"), perm("camera"), purpose("essential")] {
        assert_eq!(verdict_reason(&store.decide(&s)), (Verdict::Deny, Reason::StoreUnavailable), "{s:?}");
    }
    let state = StateReport::of(&store).to_json();
    assert_eq!(state["ledger"], json!({"events": 5, "intact": false, "first_broken": 5}));
    assert_eq!(state["store_usable"], json!(false));
    assert_eq!(store.verify().unwrap().first_broken, Some(5));
}

#[test]
fn verify_names_an_event_whose_kind_was_rewritten() {
    let f = Fixture::new();
    {
        let mut store = f.open();
        consenting_user(&mut store, &f.clock, "settings");
    }
    // Event 3 granted analytics; rewrite it to a denial in both the column and the body.
    let changed = f
        .raw()
        .execute(
            "UPDATE events SET kind = 'denied', body = replace(body, '\"kind\":\"granted\"', '\"kind\":\"denied\"') WHERE id = 3",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let mut store = f.open();
    assert_eq!(store.chain(), gatekeeper::ledger::ChainReport { events: 5, first_broken: Some(3) });
    assert_eq!(store.verify().unwrap(), gatekeeper::ledger::ChainReport { events: 5, first_broken: Some(3) });
    assert_eq!(verdict_reason(&store.decide(&sdk("sensors_analytics"))), (Verdict::Deny, Reason::StoreUnavailable));
    // Erasing is the way out: the user starts afresh with an intact ledger.
    store.erase().unwrap();
    assert!(store.is_usable());
    assert_eq!(verdict_reason(&store.decide(&sdk("sensors_analytics"))), (Verdict::Ask, Reason::PolicyNotAccepted));
}

// --- export -------------------------------------------------------------------------------

#[test]
fn export_holds_profile_state_receipts_and_the_decision_log() {
    let f = Fixture::new();
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, "first_run_dialog");
    store.record_choice(EventKind::Granted, &strings(&["face_recognition"]), &[], true, true, "just_in_time").unwrap();
    store.record_permission_result("camera", PermissionResult::DeniedPermanently).unwrap();
    for _ in 0..3 {
        store.decide(&sdk("facebook"));
    }
    store.decide(&perm("camera"));
    let rows = store.stored_events().unwrap();
    assert_eq!(rows.len(), 7);
    let doc = Export::of(&mut store).unwrap().to_json();

    assert_eq!(doc["format"], json!("gatekeeper-export"));
    assert_eq!(doc["profile"], json!({"country": "CN", "age": 30}));
    assert_eq!(doc["state"], StateReport::of(&store).to_json());
    assert_eq!(doc["exported_at"], json!(format_rfc3339(t0() + 5 * 60_000)));

    let receipts = doc["receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), rows.len());
    let at = |minutes: i64| format_rfc3339(t0() + minutes * 60_000);
    let policy = json!({"id": "phocol", "version": "3.1", "url": "https://example.com/privacy"});
    let controller = json!({"name": "Zhuhai Quyin Technology Co., Ltd.", "contact": "support@phocolprinter.com"});
    #[allow(clippy::type_complexity)]
    let expected: [(i64, &str, &str, Value, &str, bool, bool, Value); 7] = [
        // A profile change is recorded under the jurisdiction it moves the user into.
        (0, "profile_set", "CN", json!({"subject": "profile", "basis": "contract"}), "set", false, false, Value::Null),
        (
            1,
            "policy_accepted",
            "CN",
            json!({"subject": "policy:phocol", "basis": "contract"}),
            "accepted",
            false,
            false,
            json!("first_run_dialog"),
        ),
        (
            2,
            "granted",
            "CN",
            json!({"subject": "purpose:analytics", "basis": "consent"}),
            "granted",
            false,
            false,
            json!("first_run_dialog"),
        ),
        (
            3,
            "granted",
            "CN",
            json!({"subject": "sdk:facebook", "basis": "consent"}),
            "granted",
            true,
            false,
            json!("first_run_dialog"),
        ),
        (
            4,
            "denied",
            "CN",
            json!({"subject": "purpose:personalised_ads", "basis": "consent"}),
            "denied",
            false,
            false,
            json!("first_run_dialog"),
        ),
        (
            5,
            "granted",
            "CN",
            json!({"subject": "purpose:face_recognition", "basis": "consent"}),
            "granted",
            true,
            true,
            json!("just_in_time"),
        ),
        (
            5,
            "permission_result",
            "CN",
            json!({"subject": "permission:camera", "basis": "contract"}),
            "denied_permanently",
            false,
            false,
            Value::Null,
        ),
    ];
    for (i, (r, (minute, event, jurisdiction, subjects, choice, separate, by_guardian, source))) in
        receipts.iter().zip(expected).enumerate()
    {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "receipt_id",
                "event_id",
                "timestamp",
                "event",
                "jurisdiction",
                "law",
                "policy_id",
                "policy_version",
                "policy_url",
                "controller",
                "subject",
                "basis",
                "choice",
                "separate",
                "by_guardian",
                "source",
                "intact"
            ]
        );
        assert_eq!(r["intact"], json!(true), "receipt {i}");
        assert_eq!(r["receipt_id"], json!(rows[i].hash[..16]), "receipt {i}");
        assert_eq!(r["event_id"], json!(i + 1), "receipt {i}");
        assert_eq!(r["timestamp"], json!(at(minute)), "receipt {i}");
        assert_eq!(r["event"], json!(event), "receipt {i}");
        assert_eq!(r["jurisdiction"], json!(jurisdiction), "receipt {i}");
        assert_eq!(r["law"], json!("pipl"), "receipt {i}");
        assert_eq!(
            [&r["policy_id"], &r["policy_version"], &r["policy_url"]],
            [&policy["id"], &policy["version"], &policy["url"]],
            "receipt {i}"
        );
        assert_eq!(r["controller"], controller, "receipt {i}");
        assert_eq!(json!({"subject": r["subject"], "basis": r["basis"]}), subjects, "receipt {i}");
        assert_eq!(r["choice"], json!(choice), "receipt {i}");
        assert_eq!(r["separate"], json!(separate), "receipt {i}");
        assert_eq!(r["by_guardian"], json!(by_guardian), "receipt {i}");
        assert_eq!(r["source"], source, "receipt {i}");
    }
    let mut ids: Vec<&str> = receipts.iter().map(|r| r["receipt_id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 7);

    let log = doc["decision_log"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[0],
        json!({"id": 1, "subject": "sdk:facebook", "verdict": "allow", "reason": "consented", "policy_version": "3.1",
               "jurisdiction": "CN", "first_seen": at(5), "last_seen": at(5), "count": 3})
    );
    assert_eq!(
        (log[1]["subject"].as_str(), log[1]["verdict"].as_str(), log[1]["reason"].as_str(), log[1]["count"].as_u64()),
        (Some("permission:camera"), Some("deny"), Some("denied_permanently"), Some(1))
    );
}

// --- bad input ----------------------------------------------------------------------------

/// Everything observable about a store: its rows, log, state.
fn snapshot(store: &mut Store) -> (Vec<(i64, String, String)>, Value, Value) {
    let events = store.stored_events().unwrap().into_iter().map(|r| (r.id, r.body, r.hash)).collect();
    let export = Export::of(store).unwrap().to_json();
    (events, export["decision_log"].clone(), StateReport::of(store).to_json())
}

#[test]
fn bad_input_leaves_the_store_as_it_was() {
    let f = Fixture::new();
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, "first_run_dialog");
    store.decide(&sdk("facebook"));
    let before = snapshot(&mut store);
    let file_before = (std::fs::read(&f.path).unwrap(), read_or_empty(&f.side("-wal")));

    let unknown = |r: Result<Vec<gatekeeper::Change>, Error>, kind: &str, id: &str| match r {
        Err(Error::UnknownId { kind: k, id: i }) => assert_eq!((k, i.as_str()), (kind, id)),
        other => panic!("expected UnknownId {kind} {id}, got {other:?}"),
    };
    let invalid = |r: Result<Vec<gatekeeper::Change>, Error>, what: &str| match r {
        Err(Error::InvalidArgument { what: w, .. }) => assert_eq!(w, what),
        other => panic!("expected InvalidArgument {what}, got {other:?}"),
    };

    // Unknown ids, also mixed with known ones: nothing of the call is recorded.
    unknown(
        store.record_choice(EventKind::Granted, &strings(&["analytics", "telemetry"]), &[], false, false, "settings"),
        "purpose",
        "telemetry",
    );
    unknown(
        store.record_choice(EventKind::Withdrawn, &[], &strings(&["facebook", "tiktok"]), false, false, "settings"),
        "sdk",
        "tiktok",
    );
    unknown(store.record_permission_result("gps", PermissionResult::Granted), "permission", "gps");
    // Bad countries and ages.
    for country in ["UK", "cn", "CHN", "", "C1", "XX"] {
        invalid(store.set_profile(Some(country), Some(30)), "country");
    }
    invalid(store.set_profile(Some("DE"), Some(151)), "age");
    // Bad sources.
    let long = "s".repeat(65);
    for source in ["", "two words", "semi;colon", "quote\"", "naïve", long.as_str()] {
        invalid(store.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, source), "source");
        invalid(store.accept_policy(false, source), "source");
    }
    // Nothing to record, or not a choice.
    invalid(store.record_choice(EventKind::Granted, &[], &[], false, false, "settings"), "items");
    invalid(store.record_choice(EventKind::Erased, &strings(&["analytics"]), &[], false, false, "settings"), "kind");

    assert_eq!((std::fs::read(&f.path).unwrap(), read_or_empty(&f.side("-wal"))), file_before);
    assert_eq!(snapshot(&mut store), before);
    assert_eq!(store.chain().events, 5);
    assert_eq!(verdict_reason(&store.decide(&sdk("facebook"))), (Verdict::Allow, Reason::Consented));

    // The longest allowed source and every allowed character still work.
    let ok = "a".repeat(64);
    store.record_choice(EventKind::Granted, &strings(&["push_notifications"]), &[], false, false, &ok).unwrap();
    store.accept_policy(false, "Settings-v2.1:main_screen").unwrap();
    assert_eq!(store.chain().events, 7);
}

// --- the ledger's head, a tampered ledger, receipts per subject and per version -----------

#[test]
fn deleting_the_last_event_is_caught_and_fails_closed() {
    let f = Fixture::new();
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, "settings");
    store.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    assert_eq!(verdict_reason(&store.decide(&sdk("sensors_analytics"))), (Verdict::Deny, Reason::ConsentWithdrawn));
    drop(store);
    // Dropping the withdrawal leaves a valid, shorter chain that would allow the SDK again.
    f.raw().execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events)", []).unwrap();

    let mut store = f.open();
    assert_eq!(store.verify().unwrap().first_broken, Some(6));
    assert_eq!(verdict_reason(&store.decide(&sdk("sensors_analytics"))), (Verdict::Deny, Reason::StoreUnavailable));
}

#[test]
fn an_event_added_behind_the_stores_back_is_caught() {
    let f = Fixture::new();
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, "settings");
    let last = store.stored_events().unwrap().pop().unwrap();
    drop(store);
    // A copy of the last row under a new id: its hash no longer chains, nor matches the head.
    f.raw()
        .execute(
            "INSERT INTO events (id, ts, kind, body, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![last.id + 1, last.ts, last.kind, last.body, last.hash],
        )
        .unwrap();
    assert_eq!(f.open().verify().unwrap().first_broken, Some(last.id + 1));
}

#[test]
fn a_tampered_ledger_records_nothing_more_until_erased() {
    let f = Fixture::new();
    let mut store = f.open();
    consenting_user(&mut store, &f.clock, "settings");
    drop(store);
    f.raw().execute("UPDATE events SET body = replace(body, 'analytics', 'marketing') WHERE id = 3", []).unwrap();

    let mut store = f.open();
    let events = store.stored_events().unwrap().len();
    match store.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings") {
        Err(e @ Error::LedgerTampered { first_broken: 3, .. }) => {
            assert!(e.to_string().contains(&f.path.display().to_string()), "{e}");
            assert_eq!(e.code(), "ledger_tampered");
        }
        other => panic!("expected LedgerTampered at 3, got {other:?}"),
    }
    assert_eq!(store.stored_events().unwrap().len(), events);
    // Erase is the way out: a new user, a sound chain, writes accepted again.
    store.erase().unwrap();
    assert_eq!(store.verify().unwrap().first_broken, None);
    store.accept_policy(false, "first_run_dialog").unwrap();
    assert_eq!(verdict_reason(&store.decide(&purpose("essential"))), (Verdict::Allow, Reason::NotConsentBased));
}

#[test]
fn an_event_about_several_subjects_gives_one_receipt_each() {
    let f = Fixture::new();
    let mut store = f.open();
    store.set_profile(Some("DE"), Some(40)).unwrap();
    store.accept_policy(false, "first_run_dialog").unwrap();
    store
        .record_choice(
            EventKind::Granted,
            &strings(&["analytics", "crash_reporting"]),
            &strings(&["facebook"]),
            false,
            false,
            "first_run_dialog",
        )
        .unwrap();
    let receipts = Export::of(&mut store).unwrap().receipts;
    let grant: Vec<(&str, Option<&str>, Option<&str>)> = receipts
        .iter()
        .filter(|r| r.event_id == 3)
        .map(|r| (r.receipt_id.as_str(), r.subject.as_deref(), r.basis.as_deref()))
        .collect();
    let hash = &store.stored_events().unwrap()[2].hash[..16];
    assert_eq!(
        grant,
        [
            (format!("{hash}-1").as_str(), Some("purpose:analytics"), Some("consent")),
            (format!("{hash}-2").as_str(), Some("purpose:crash_reporting"), Some("legitimate_interest")),
            (format!("{hash}-3").as_str(), Some("sdk:facebook"), Some("consent")),
        ]
    );
    assert!(receipts.iter().filter(|r| r.event_id == 3).all(|r| r.law == Some(gatekeeper::manifest::Law::Gdpr)));
}

#[test]
fn a_receipt_names_the_url_of_the_policy_version_it_was_recorded_under() {
    let f = Fixture::new();
    let mut store = f.open();
    store.accept_policy(false, "first_run_dialog").unwrap();
    drop(store);
    let mut doc: Value = serde_json::from_str(manifest::EXAMPLE_MANIFEST).unwrap();
    doc["policy"]["version"] = json!("3.2");
    doc["policy"]["url"] = json!("https://example.com/privacy/v3.2");
    let mut store = f.open_with(Arc::new(manifest::parse(&doc.to_string()).unwrap())).unwrap();
    store.accept_policy(false, "notice_banner").unwrap();
    let urls: Vec<(Option<String>, Option<String>)> =
        Export::of(&mut store).unwrap().receipts.into_iter().map(|r| (r.policy_version, r.policy_url)).collect();
    assert_eq!(
        urls,
        [
            (Some("3.1".into()), Some("https://example.com/privacy".into())),
            (Some("3.2".into()), Some("https://example.com/privacy/v3.2".into())),
        ]
    );
}
