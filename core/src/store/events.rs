//! The `events` table, the consent ledger on disk: appending one event (chained onto
//! the real last event, under the write lock, after catching up with what other
//! processes appended; several at once when one write records several), reading the rows
//! back, and erasing them all down to one marker.
//!
//! An event is committed with the ledger head (`meta.ledger_head`) in one transaction
//! and is durable (`synchronous=FULL`) before the call returns. One that takes something
//! away is also copied out of the WAL at once (see [`Store::record`]).

use log::{info, warn};
use rusqlite::{params, Connection};

use super::audit;
use super::meta::{self, MetaKey};
use super::recovery;
use super::write::LedgerNeed;
use super::{Change, Store};
use crate::decide::Verdict;
use crate::error::{Error, Result, SqlContext};
use crate::ledger::{chain_hash, to_hex, ChainReport, Event, EventKind, LedgerState, StoredEvent, GENESIS_HASH};

/// Limits on what an app may pass as a `source`.
const MAX_SOURCE_LEN: usize = 64;

/// The most characters of an id an error message quotes back.
const MAX_ID_CHARS: usize = 64;

impl Store {
    /// Appends one event: fills in id, time, policy version and jurisdiction, chains it,
    /// commits it durably, folds it in, and reports what changed.
    ///
    /// Nothing is chained onto a ledger the audit has not vouched for, or one found
    /// tampered with.
    pub(super) fn record(&mut self, e: Event) -> Result<Vec<Change>> {
        self.record_all(vec![e], None).map(|(_, changes)| changes)
    }

    /// Appends `events` in ONE write, as [`Store::record`] appends one: one transaction,
    /// chained in order, and one batch of changes for the listener (a TCF import's grant
    /// and denial together). With `once` (a `meta` key and a value), nothing is appended
    /// when the key already holds that value, checked under the write lock after catching
    /// up with other writers; otherwise the value is stored in the same transaction.
    /// Returns whether the events were appended.
    pub(super) fn record_all(
        &mut self,
        events: Vec<Event>,
        once: Option<(MetaKey<'static>, &str)>,
    ) -> Result<(bool, Vec<Change>)> {
        let narrowing = events.iter().any(Event::may_narrow);
        let (appended, changes) = self.changing(LedgerNeed::Intact, |s, now| s.append(events, once, now))?;
        self.checkpoint_if_narrowed(narrowing && appended, &changes);
        Ok((appended, changes))
    }

    /// Under the write lock: catches up with events other processes appended since this
    /// store last looked, chains `events` onto the real last event, and folds them in
    /// once committed (see [`Store::record_all`] for `once`).
    fn append(&mut self, mut events: Vec<Event>, once: Option<(MetaKey<'static>, &str)>, now: i64) -> Result<bool> {
        let head = self.in_write("a ledger write", |s| {
            s.flush_pending()?;
            s.catch_up()?;
            if let Some(first_broken) = s.chain.first_broken {
                return Err(Error::LedgerTampered { path: s.path.display().to_string(), first_broken });
            }
            if let Some((key, value)) = once {
                if meta::get(&s.conn, key)?.as_deref() == Some(value) {
                    return Ok(None);
                }
            }
            // Catching up may have brought later events: nothing is recorded before them.
            let now = now.max(s.ledger.last_ts);
            let (mut id, mut hash) = (s.last_id, s.last_hash);
            for e in &mut events {
                hash = s.fill_and_insert(e, id, &hash, now)?;
                id = e.id;
            }
            if let Some((key, value)) = once {
                meta::set(&s.conn, key, value, "recording what was imported")?;
            }
            Ok(Some((id, hash)))
        })?;
        let Some((id, hash)) = head else { return Ok(false) };
        for e in &events {
            self.ledger.apply(e);
            info!("gatekeeper: recorded {}", e.kind.as_str());
        }
        self.last_hash = hash;
        self.last_id = id;
        self.chain.events += events.len() as u64;
        Ok(true)
    }

    /// A write that takes something away is copied into the main file now (never
    /// waiting for other connections): SQLite drops WAL frames that fail their
    /// checksum, and a lost withdrawal would let an older grant allow again. That is a
    /// write of a narrowing kind, or any write that turned an allow into something else
    /// (a child's own acceptance replacing the guardian's, say). Any other write stays in the WAL
    /// until the next checkpoint: it is as durable against a crash (the WAL is synced
    /// on commit), and if a damaged WAL loses it, the user is asked again, which fails
    /// closed. That keeps a grant at one fsync. Failure here loses nothing: the write is
    /// already durable in the WAL.
    fn checkpoint_if_narrowed(&self, narrowing: bool, changes: &[Change]) {
        let took_away = changes.iter().any(|c| c.old.verdict == Verdict::Allow && c.new.verdict != Verdict::Allow);
        if narrowing || took_away {
            if let Err(err) = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                warn!("gatekeeper: checkpoint after a write did not run: {err}");
            }
        }
    }

    /// Gives `e` its id (after `prev_id`), time, policy version and jurisdiction, and
    /// inserts it chained onto `prev_hash`, as the new ledger head. Runs inside the write
    /// transaction.
    fn fill_and_insert(&self, e: &mut Event, prev_id: i64, prev_hash: &[u8; 32], now: i64) -> Result<[u8; 32]> {
        e.id = prev_id + 1;
        e.ts = now;
        e.policy_version = Some(self.manifest.policy.version.clone());
        // The jurisdiction the event was made under; a profile change is recorded under
        // the jurisdiction it moves the user into.
        e.jurisdiction = Some(match e.kind {
            EventKind::ProfileSet => self.manifest.jurisdiction_for(e.country.as_deref()).id.clone(),
            _ => self.context(now).jurisdiction().id.clone(),
        });
        let body = e.canonical();
        let hash = chain_hash(prev_hash, &body);
        insert(&self.conn, e, &body, &hash, "appending to the ledger")?;
        Ok(hash)
    }

    /// Erases the ledger and the decision log down to one `erased` marker, in one
    /// transaction, then the copies of the store moved aside.
    pub(super) fn erase_all(&mut self, now: i64) -> Result<()> {
        let mut marker = Event::new(EventKind::Erased, now);
        marker.id = 1;
        let body = marker.canonical();
        let hash = chain_hash(&GENESIS_HASH, &body);
        self.in_write("the erase", |s| {
            let tx = &s.conn;
            tx.execute("DELETE FROM events", []).ctx("erasing events")?;
            super::decision_log::erase(tx)?;
            recovery::forget_note(tx)?;
            meta::delete(tx, MetaKey::FoldSnapshot, "erasing recovery notes and the fold snapshot")?;
            meta::delete(tx, MetaKey::TcfImport, "erasing what was imported from a CMP")?;
            insert(tx, &marker, &body, &hash, "writing the erase marker")
        })?;
        // Push the deleted pages out of the WAL too; secure_delete has zeroed them.
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        recovery::remove_moved_aside(&self.path);
        self.ledger = LedgerState::fold([&marker]);
        self.last_hash = hash;
        self.last_id = marker.id;
        self.chain = ChainReport { events: 1, first_broken: None };
        self.heads.clear();
        self.memo.clear();
        self.forget_accesses();
        self.snapshot_forgotten = false;
        self.pending_check = false;
        self.recovery = None;
        self.broken = None;
        info!("gatekeeper: store erased");
        Ok(())
    }

    /// Inside a transaction: when another connection changed the ledger since this
    /// store last read it, re-reads and re-folds it (and the decision-log heads).
    /// Returns whether it did.
    pub(super) fn catch_up(&mut self) -> Result<bool> {
        if meta::get(&self.conn, MetaKey::LedgerHead)? == self.known_head() {
            return Ok(false);
        }
        self.load_ledger()?;
        // Pending repeats were written before catching up; heads are read again lazily.
        self.heads.clear();
        self.memo.clear();
        info!("gatekeeper: caught up with another writer, {} event(s)", self.chain.events);
        Ok(true)
    }

    /// Reads the whole ledger again and checks it (inside the caller's transaction).
    pub(super) fn load_ledger(&mut self) -> Result<()> {
        let head = meta::get(&self.conn, MetaKey::LedgerHead)?;
        let found = audit::read_ledger(&self.conn, head.as_deref())?;
        if found.chain.first_broken.is_some() {
            warn!("gatekeeper: ledger hash chain broken; decisions fail closed until erase");
        }
        self.chain = found.chain;
        self.ledger = found.ledger;
        self.last_hash = found.last_hash;
        self.last_id = found.last_id;
        self.memo.clear();
        Ok(())
    }

    /// The ledger head this store knows, as recorded in `meta`.
    pub(super) fn known_head(&self) -> Option<String> {
        (self.last_id > 0).then(|| meta::head_text(self.last_id, &self.last_hash))
    }
}

/// Inserts one event row and records it as the ledger head (inside the caller's write
/// transaction); `what` names the write in an error.
fn insert(conn: &Connection, e: &Event, body: &str, hash: &[u8; 32], what: &'static str) -> Result<()> {
    conn.prepare_cached("INSERT INTO events (id, ts, kind, body, hash) VALUES (?1, ?2, ?3, ?4, ?5)")
        .and_then(|mut stmt| stmt.execute(params![e.id, e.ts, e.kind.as_str(), body, to_hex(hash)]))
        .ctx(what)?;
    meta::set(conn, MetaKey::LedgerHead, &meta::head_text(e.id, hash), "recording the ledger head")
}

/// Every stored event row, in order.
///
/// # Errors
/// SQLite errors.
pub(super) fn stored_events(conn: &Connection) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn.prepare("SELECT id, ts, kind, body, hash FROM events ORDER BY id").ctx("reading the ledger")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(StoredEvent { id: r.get(0)?, ts: r.get(1)?, kind: r.get(2)?, body: r.get(3)?, hash: r.get(4)? })
        })
        .ctx("reading the ledger")?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx("reading the ledger")?;
    Ok(rows)
}

/// A `source` the app passed, if it is a short word of letters, digits and `_-.:`.
///
/// # Errors
/// [`Error::InvalidArgument`], without echoing the value.
pub(super) fn check_source(source: &str) -> Result<String> {
    let ok = !source.is_empty()
        && source.len() <= MAX_SOURCE_LEN
        && source.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    if ok {
        Ok(source.to_owned())
    } else {
        Err(Error::invalid(
            "source",
            format!("expected 1-{MAX_SOURCE_LEN} characters of letters, digits, _ - . or : (e.g. first_run_dialog)"),
        ))
    }
}

/// `items` in their first order, each once.
pub(super) fn dedup(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

/// Ids in error messages are capped so a pasted blob never ends up in a log.
pub(super) fn clip(id: &str) -> String {
    id.chars().take(MAX_ID_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_a_short_word() {
        for good in ["first_run_dialog", "settings", "a", "just-in-time", "v1.2:x", &"s".repeat(64)] {
            assert_eq!(check_source(good).unwrap(), good);
        }
        for bad in ["", "two words", "x;y", "é", &"s".repeat(65)] {
            match check_source(bad) {
                Err(Error::InvalidArgument { what, message }) => {
                    assert_eq!(what, "source");
                    assert!(bad.is_empty() || !message.contains(bad), "{message}");
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn repeated_items_are_kept_once_in_their_first_order() {
        let items: Vec<String> = ["b", "a", "b", "c", "a"].map(String::from).to_vec();
        assert_eq!(dedup(&items), ["b", "a", "c"]);
        assert!(dedup(&[]).is_empty());
    }

    #[test]
    fn ids_in_messages_are_clipped() {
        assert_eq!(clip("short"), "short");
        assert_eq!(clip(&"é".repeat(100)).chars().count(), 64);
    }

    #[test]
    fn an_inserted_event_becomes_the_recorded_head() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn, 0).unwrap();
        let mut e = Event::new(EventKind::PolicyAccepted, 1000);
        e.id = 1;
        let body = e.canonical();
        let hash = chain_hash(&GENESIS_HASH, &body);
        insert(&conn, &e, &body, &hash, "a test").unwrap();
        let rows = stored_events(&conn).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].id, rows[0].body.as_str(), rows[0].hash.clone()), (1, body.as_str(), to_hex(&hash)));
        assert_eq!(meta::head(&conn).unwrap(), Some(meta::head_text(1, &hash)));
    }
}
