//! The store (contract §6): one SQLite file holding the consent ledger, the decision
//! log and a little metadata, behind one writer connection in WAL mode.
//!
//! [`Store`] is the library's entry point for Rust callers (the CLI uses it directly;
//! the FFI object wraps it in a mutex). It keeps the folded ledger and the head of the
//! decision log in memory, so a repeated decision does no disk I/O; every consent write
//! commits with `synchronous=FULL` before it returns. Opening reads a [fold
//! snapshot](snapshot) when it can, and an app's open leaves the full check of the file
//! to a thread of its own (`audit.rs`); a subject's last log row is read the first time it
//! is decided. A file that is not a database, or is corrupt, is moved aside and a
//! fresh, empty store (which denies and asks everything) takes its place; a store made
//! for another policy, or by a newer schema, is refused and left untouched.
//!
//! This file holds the [`Store`] itself and its public API, each call a few lines over
//! the files that do the work, one concern each:
//!
//! | file | what |
//! | --- | --- |
//! | `connection.rs` | opening the SQLite connection (pragmas, WAL, the busy policy) and the read and write transactions everything runs in |
//! | `schema.rs` | the tables and their migrations, keyed on `user_version` |
//! | `meta.rs` | the `meta` table and its keys (`MetaKey`) |
//! | `open.rs` | opening: what an open reads, checks and must write |
//! | `recovery.rs` | a corrupt file moved aside and a fresh store started |
//! | `events.rs` | the `events` table: appending to the ledger, catching up with other writers, erasing |
//! | `write.rs` | the steps every call that changes state shares |
//! | `notify.rs` | change notifications: what changed, who hears of it |
//! | `decisions.rs` | deciding through the store: reused answers, looking for other writers |
//! | `decision_log.rs` | the `decision_log` table |
//! | `data_access.rs` | data accesses (§9.2): each allow recorded, the last one per id read back from the log |
//! | `verify.rs` | `verify` and applying what the background audit found |
//! | `audit.rs` | reading the ledger and checking it, on the `gatekeeper.audit` thread for an app |
//! | `snapshot.rs` | the fold snapshot: its format, and writing or deleting it |

mod audit;
mod connection;
mod data_access;
mod decision_log;
mod decisions;
mod events;
mod manifest_edit;
mod meta;
mod notify;
mod open;
mod recovery;
pub mod schema;
pub mod snapshot;
mod verify;
mod write;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;

use crate::consent_mode::ConsentMode;
use crate::decide::{Decision, Subject};
use crate::error::{Error, Result};
use crate::id_map::{IdHasher, IdMap};
use crate::ledger::{ChainReport, Event, EventKind, LedgerState, PermissionResult, StoredEvent};
use crate::manifest::Manifest;
use crate::tcf::{self, ImportPlan};
use crate::time::Clock;

use audit::Audit;
use decision_log::LogHead;
use decisions::Memo;
use write::LedgerNeed;

pub(crate) use connection::describe as describe_sql_failure;
pub use decision_log::LogRow;
pub use manifest_edit::ManifestEdit;
pub use notify::{merge_changes, Change, Listener};
pub use recovery::Recovery;

/// The oldest age a profile takes, in whole years.
pub const MAX_AGE: u32 = 150;

/// What the store remembers of a policy version for receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDetails {
    /// The policy's url, as that version's manifest gave it.
    pub url: Option<String>,
    /// The controller's name.
    pub controller: String,
    /// The controller's contact, if the manifest gave one.
    pub contact: Option<String>,
}

/// What [`Store::import_tcf`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcfImport {
    /// What the strings grant and deny under the manifest.
    pub plan: ImportPlan,
    /// Whether anything was recorded: false when the manifest maps nothing, or the same
    /// strings, meaning the same, were the last ones imported.
    pub recorded: bool,
    /// Every decision the import changed.
    pub changes: Vec<Change>,
}

/// How much of the ledger check [`Store::open_with`] does before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerCheck {
    /// Every event's hash is recomputed and its body parsed before the store opens.
    Full,
    /// A store with a [fold snapshot](snapshot) opens from it, checking only the events
    /// after it; the full check then runs on the `gatekeeper.audit` thread (see
    /// the store's `audit.rs`). Decisions do not wait for it; writes, `verify`, the state and the
    /// export do. A store without a snapshot is checked in full, as with `Full`.
    Background,
}

/// Why a store answers `deny store_unavailable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broken {
    /// Looking for other writers' changes failed: the next successful look clears it.
    Read,
    /// A decision could not be logged: it stays until the store is reopened or erased,
    /// so that a full disk does not flip every SDK on and off.
    LogWrite,
    /// The audit found the file corrupt and it could not be replaced by a fresh store:
    /// it stays until the store is reopened.
    Corrupt,
}

/// The consent store. See the module docs.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    manifest: Arc<Manifest>,
    clock: Arc<dyn Clock>,
    ledger: LedgerState,
    last_hash: [u8; 32],
    last_id: i64,
    chain: ChainReport,
    /// The full ledger check still running after an open from the fold snapshot.
    audit: Option<Audit>,
    /// The file has not had its full check (SQLite's and the chain's) since this store
    /// opened from its snapshot. While the audit runs, decisions go on; once it has
    /// ended without clearing this, the store fails closed until a check succeeds.
    pending_check: bool,
    /// The fold snapshot of a broken ledger has been deleted (see
    /// [`Store::forget_snapshot_if_broken`]).
    snapshot_forgotten: bool,
    /// The last logged decision per subject, read from disk the first time a subject
    /// is decided.
    heads: IdMap<LogHead>,
    /// The last answer per declared subject, reused for repeated decisions.
    memo: HashMap<Subject, Memo, BuildHasherDefault<IdHasher>>,
    /// The last allowed access of each data access id (§9.2), read from the decision
    /// log the first time an access is decided (`accesses_loaded`).
    accesses: IdMap<i64>,
    accesses_loaded: bool,
    recovery: Option<Recovery>,
    /// Whether this open (not an earlier one) found the file corrupt and started afresh.
    recovered_at_open: bool,
    /// The manifest differs from the one first opened with its version.
    manifest_edit: Option<ManifestEdit>,
    listener: Option<Box<dyn Listener>>,
    /// Set when the store cannot be used: from then on every decision is
    /// `deny store_unavailable`.
    broken: Option<Broken>,
    /// Changes found where no caller receives them (another process's write seen by a
    /// decision, a failed write after catching up, the store becoming unusable), kept
    /// for [`Store::take_unreported`] when no [`Listener`] is set.
    unreported: Vec<Change>,
    /// `PRAGMA data_version` when this store last looked for other connections' writes.
    data_version: i64,
    /// Decisions since then, and the clock time it was done at.
    decisions_since_refresh: u32,
    refreshed_at: i64,
}

impl Store {
    // --- opening ----------------------------------------------------------------------

    /// Opens (creating if needed) the store at `path` for `manifest`, checking the
    /// whole ledger before it returns ([`LedgerCheck::Full`]).
    ///
    /// Prunes decision-log rows older than the retention setting, folds the ledger and
    /// checks its hash chain. A corrupt file is moved aside to `<name>.corrupt-<time>`
    /// and a fresh store is started; [`Store::recovery`] then says so.
    ///
    /// # Errors
    /// - [`Error::NewerSchema`] when the file was written by a newer schema (untouched).
    /// - [`Error::PolicyMismatch`] when the store was made for another `policy.id`.
    /// - [`Error::Open`] or [`Error::OpenSql`] when the file cannot be opened, read or
    ///   written (naming the path).
    pub fn open(path: impl AsRef<Path>, manifest: Arc<Manifest>, clock: Arc<dyn Clock>) -> Result<Store> {
        Store::open_with(path, manifest, clock, LedgerCheck::Full)
    }

    /// Opens the store as [`Store::open`] does, with the ledger checked as `check`
    /// says. An app opens it at launch with [`LedgerCheck::Background`] (the FFI's
    /// `Gatekeeper::open`), so the full check runs after the store opens.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_with(
        path: impl AsRef<Path>,
        manifest: Arc<Manifest>,
        clock: Arc<dyn Clock>,
        check: LedgerCheck,
    ) -> Result<Store> {
        open::open(path.as_ref(), manifest, clock, check)
    }

    // --- what it holds ----------------------------------------------------------------

    /// The manifest this store decides with.
    pub fn manifest(&self) -> &Arc<Manifest> {
        &self.manifest
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folded ledger.
    pub fn ledger(&self) -> &LedgerState {
        &self.ledger
    }

    /// Set when this store was started afresh because the old file was corrupt.
    pub fn recovery(&self) -> Option<&Recovery> {
        self.recovery.as_ref()
    }

    /// The manifest in use differs from the one this store first saw with the same
    /// policy version (an edit without a version change), if it does.
    pub fn manifest_edit(&self) -> Option<&ManifestEdit> {
        self.manifest_edit.as_ref()
    }

    /// The hash-chain check done when the store was opened (and kept up to date).
    pub fn chain(&self) -> ChainReport {
        self.chain
    }

    /// Whether decisions can be trusted: the store is writable and its ledger intact.
    pub fn is_usable(&self) -> bool {
        self.broken.is_none() && self.chain.first_broken.is_none() && !(self.pending_check && self.audit.is_none())
    }

    /// The time the store works at: the injected clock, but never earlier than the
    /// ledger's last event. A clock set back (by the user, or a bad sync) cannot record an
    /// event before the last one, reorder receipts, or make a decision as if a later
    /// choice (a withdrawal, a refusal) or the policy acceptance had not happened yet: the
    /// store then works at the last event's time until the clock catches up. The clock is
    /// also held within [`crate::time::MIN_TIME_MS`]..=[`crate::time::MAX_TIME_MS`].
    pub fn now(&self) -> i64 {
        crate::time::bounded(self.clock.now_ms()).max(self.ledger.last_ts)
    }

    /// The url and controller recorded for a policy version, if the store has seen it.
    ///
    /// # Errors
    /// Store errors.
    pub fn policy_details(&self, version: &str) -> Result<Option<PolicyDetails>> {
        self.policy_details_inner(version).map_err(|e| self.located(e))
    }

    /// Whether this store was made by `gatekeeper demo`, which may erase it freely.
    ///
    /// # Errors
    /// Store errors.
    pub fn is_demo_store(&self) -> Result<bool> {
        Ok(meta::get(&self.conn, meta::MetaKey::DemoStore)?.is_some())
    }

    /// Marks this store as the demo's (see [`Store::is_demo_store`]).
    ///
    /// # Errors
    /// Store errors.
    pub fn mark_demo_store(&self) -> Result<()> {
        meta::set(&self.conn, meta::MetaKey::DemoStore, "1", "writing store metadata")
    }

    // --- decisions --------------------------------------------------------------------

    /// Decides one subject and logs the answer (contract §4, §6).
    ///
    /// Never fails: an unusable store answers `deny store_unavailable`.
    pub fn decide(&mut self, subject: &Subject) -> Decision {
        self.decide_and_log(subject)
    }

    /// The Google Consent Mode signals now (contract section 11): each purpose that
    /// declares a signal is decided, and logged, as [`Store::decide`] does; a signal is
    /// granted only when every purpose declaring it is allowed.
    pub fn consent_mode(&mut self) -> ConsentMode {
        let manifest = self.manifest.clone();
        ConsentMode::from_decisions(&manifest, |subject| self.decide(subject))
    }

    /// Decides without logging: what the app would be told now.
    pub fn peek(&self, subject: &Subject) -> Decision {
        self.answer(subject, self.now())
    }

    // --- writes: each one event, appended through `Store::record` (a TCF import: two,
    // through `Store::record_all`) ------------------------------------------------------

    /// Records the user's country and age.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a country that is not an upper-case ISO 3166-1
    /// alpha-2 code or an age over 150; store errors.
    pub fn set_profile(&mut self, country: Option<&str>, age: Option<u32>) -> Result<Vec<Change>> {
        if let Some(c) = country {
            if !crate::country::is_iso_alpha2(c) {
                return Err(Error::invalid(
                    "country",
                    "expected an ISO 3166-1 alpha-2 code in upper case, such as CN or DE",
                ));
            }
        }
        if age.is_some_and(|a| a > MAX_AGE) {
            return Err(Error::invalid("age", "expected a whole number of years from 0 to 150"));
        }
        let mut e = Event::new(EventKind::ProfileSet, 0);
        e.country = country.map(str::to_owned);
        e.age = age;
        self.record(e)
    }

    /// Records that the user (or their guardian) accepted the current policy.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a malformed source; store errors.
    pub fn accept_policy(&mut self, by_guardian: bool, source: &str) -> Result<Vec<Change>> {
        let mut e = Event::new(EventKind::PolicyAccepted, 0);
        e.by_guardian = by_guardian;
        e.source = Some(events::check_source(source)?);
        self.record(e)
    }

    /// Records that the user declined the current policy (§9.1): from then on, until
    /// an acceptance (or a MAJOR change, which voids it), subjects whose purposes are
    /// all basic are decided in basic mode and everything else asks
    /// `policy_not_accepted`. A decline after an acceptance takes it back.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a malformed source; store errors.
    pub fn decline_policy(&mut self, source: &str) -> Result<Vec<Change>> {
        let mut e = Event::new(EventKind::PolicyDeclined, 0);
        e.source = Some(events::check_source(source)?);
        self.record(e)
    }

    /// Records that the app (or its adapter) actually started the SDK `sdk` (§9.3), for
    /// the start log that `audit` checks.
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an undeclared SDK; store errors.
    pub fn record_sdk_started(&mut self, sdk: &str) -> Result<Vec<Change>> {
        self.record_sdk_state(sdk, true)
    }

    /// Records that the app (or its adapter) actually stopped the SDK `sdk` (§9.3).
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an undeclared SDK; store errors.
    pub fn record_sdk_stopped(&mut self, sdk: &str) -> Result<Vec<Change>> {
        self.record_sdk_state(sdk, false)
    }

    fn record_sdk_state(&mut self, sdk: &str, running: bool) -> Result<Vec<Change>> {
        if self.manifest.sdk(sdk).is_none() {
            return Err(Error::UnknownId { kind: "sdk", id: events::clip(sdk) });
        }
        let mut e = Event::new(EventKind::SdkState, 0);
        e.sdk = Some(sdk.to_owned());
        e.running = Some(running);
        self.record(e)
    }

    /// Decides a read of the sensitive data `id` (§9.2), in the background when
    /// `background`, and logs it; an allow is the access and starts its interval.
    pub fn decide_access(&mut self, id: &str, background: bool) -> Decision {
        self.decide(&Subject::Access(id.to_owned(), background))
    }

    /// Records a grant, denial or withdrawal for purposes and/or SDKs.
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an id the manifest does not declare (nothing is
    /// recorded); [`Error::InvalidArgument`] for an empty list or a malformed source;
    /// store errors.
    pub fn record_choice(
        &mut self,
        kind: EventKind,
        purposes: &[String],
        sdks: &[String],
        separate: bool,
        by_guardian: bool,
        source: &str,
    ) -> Result<Vec<Change>> {
        if !matches!(kind, EventKind::Granted | EventKind::Denied | EventKind::Withdrawn) {
            return Err(Error::invalid("kind", "a choice is granted, denied or withdrawn"));
        }
        if purposes.is_empty() && sdks.is_empty() {
            return Err(Error::invalid("items", "name at least one purpose or SDK"));
        }
        for p in purposes {
            let Some(declared) = self.manifest.purpose(p) else {
                return Err(Error::UnknownId { kind: "purpose", id: events::clip(p) });
            };
            if kind == EventKind::Withdrawn && !declared.basis.rests_on_choice() {
                return Err(Error::invalid(
                    "purposes",
                    format!(
                        "purpose `{}` has basis {}: it rests on the policy acceptance, not on consent, \
                         so it cannot be withdrawn (nothing was recorded)",
                        declared.id,
                        declared.basis.as_str()
                    ),
                ));
            }
        }
        for s in sdks {
            if self.manifest.sdk(s).is_none() {
                return Err(Error::UnknownId { kind: "sdk", id: events::clip(s) });
            }
        }
        let mut e = Event::new(kind, 0);
        e.purposes = events::dedup(purposes);
        e.sdks = events::dedup(sdks);
        e.separate = separate;
        e.by_guardian = by_guardian;
        e.source = Some(events::check_source(source)?);
        self.record(e)
    }

    /// Records what the OS answered to a permission prompt.
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an undeclared permission; store errors.
    pub fn record_permission_result(&mut self, permission: &str, result: PermissionResult) -> Result<Vec<Change>> {
        if self.manifest.permission(permission).is_none() {
            return Err(Error::UnknownId { kind: "permission", id: events::clip(permission) });
        }
        let mut e = Event::new(EventKind::PermissionResult, 0);
        e.permission = Some(permission.to_owned());
        e.result = Some(result);
        self.record(e)
    }

    /// Imports what a CMP stored (contract section 11): the TC string `tc`
    /// (`IABTCF_TCString`) and, if it wrote one, the Additional Consent string `ac`
    /// (`IABTCF_AddtlConsent`). Records, in ONE write (one transaction, one batch of
    /// changes), a `granted` event for the purposes and SDKs the strings grant and a
    /// `denied` event for those they deny (see [`ImportPlan`]), with `source`, neither
    /// `separate` nor `by_guardian`. The events are recorded whatever the user's
    /// jurisdiction, and count through the rules of contract section 4 like any grant or
    /// denial. Strings the same as the last import's, meaning the same, record nothing.
    ///
    /// # Errors
    /// Recording nothing: [`Error::TcfInvalid`] (either string does not decode),
    /// [`Error::TcfStale`] (the TC string was last updated more than 13 months ago),
    /// [`Error::TcfPolicyOutdated`] (before TCF v2.2), [`Error::InvalidArgument`] for a
    /// malformed source; store errors.
    pub fn import_tcf(&mut self, tc: &str, ac: Option<&str>, source: &str) -> Result<TcfImport> {
        let source = events::check_source(source)?;
        let (decoded, ac_decoded) = tcf::read_for_import(tc, ac, self.now())?;
        let plan = ImportPlan::of(&self.manifest, &decoded, ac_decoded.as_ref());
        if plan.is_empty() {
            return Ok(TcfImport { plan, recorded: false, changes: Vec::new() });
        }
        let mut choices = Vec::with_capacity(2);
        for (kind, purposes, sdks) in [
            (EventKind::Granted, &plan.granted_purposes, &plan.granted_sdks),
            (EventKind::Denied, &plan.denied_purposes, &plan.denied_sdks),
        ] {
            if purposes.is_empty() && sdks.is_empty() {
                continue;
            }
            let mut e = Event::new(kind, 0);
            e.purposes = purposes.clone();
            e.sdks = sdks.clone();
            e.source = Some(source.clone());
            choices.push(e);
        }
        let fingerprint = tcf::fingerprint(tc, ac, &plan);
        let (recorded, changes) = self.record_all(choices, Some((meta::MetaKey::TcfImport, &fingerprint)))?;
        Ok(TcfImport { plan, recorded, changes })
    }

    /// Deletes every event, every decision-log row and the profile, leaving one
    /// `erased` marker with a timestamp only. Afterwards the user is a new user. Copies
    /// of this store moved aside as corrupt (`<name>.corrupt-*`) may hold the user's
    /// earlier events, so they are deleted too.
    ///
    /// # Errors
    /// Store errors; on error nothing was erased.
    pub fn erase(&mut self) -> Result<Vec<Change>> {
        let ((), changes) = self.changing(LedgerNeed::Any, Store::erase_all)?;
        Ok(changes)
    }

    // --- reading and checking the ledger ----------------------------------------------

    /// Every stored event row, in order.
    ///
    /// # Errors
    /// Store errors.
    pub fn stored_events(&self) -> Result<Vec<StoredEvent>> {
        events::stored_events(&self.conn).map_err(|e| self.located(e))
    }

    /// Recomputes the hash chain from disk (contract §3 `verify`). What the check
    /// changes (a chain found broken) is reported like another writer's change.
    ///
    /// # Errors
    /// Store errors.
    pub fn verify(&mut self) -> Result<ChainReport> {
        let (report, changes) = self.changing(LedgerNeed::Checked, Store::verify_chain)?;
        self.keep_unreported(changes);
        Ok(report)
    }

    /// Waits for the background ledger audit, if one is running, and applies what it
    /// found: a broken chain fails closed, a corrupt file is moved aside, and what that
    /// changed is reported. Call before reporting the ledger.
    pub fn settle(&mut self) {
        self.settle_audit(true);
    }

    /// Looks for consent written by other processes (or other `Store`s on the same
    /// file) and, when there is any, re-reads the ledger and reports what that changed
    /// to the listener. Cheap when nothing changed: one `PRAGMA data_version`.
    ///
    /// Writes always catch up first, under the write lock, so they are exact.
    /// [`Store::decide`] calls this itself after 1024 decisions or 1 s of clock time,
    /// whichever comes first; call it directly to see another process's write at once
    /// (on resume, say).
    ///
    /// # Errors
    /// Store errors (the caller should then fail closed).
    pub fn refresh(&mut self) -> Result<Vec<Change>> {
        self.look_for_other_writers()
    }

    // --- the decision log -------------------------------------------------------------

    /// Writes buffered repeat counts of the decision log.
    ///
    /// A flush that fails leaves decisions unlogged: from then on every decision is
    /// `deny store_unavailable`, as when a new log row cannot be written.
    ///
    /// # Errors
    /// Store errors.
    pub fn flush(&mut self) -> Result<()> {
        self.flush_log().map_err(|e| {
            log::warn!("gatekeeper: decision log flush failed, failing closed: {e}");
            self.set_broken(Some(Broken::LogWrite));
            self.located(e)
        })
    }

    /// The decision log, oldest first, with buffered repeats included.
    ///
    /// # Errors
    /// Store errors.
    pub fn decision_log(&mut self) -> Result<Vec<LogRow>> {
        self.read_decision_log().map_err(|e| self.located(e))
    }

    // --- change notifications ---------------------------------------------------------

    /// Registers the one listener (replacing any earlier one).
    pub fn set_listener(&mut self, listener: Option<Box<dyn Listener>>) {
        self.listener = listener;
    }

    /// Changes found since the last call where no caller received them: another
    /// process's write seen while deciding, the store becoming unusable or usable
    /// again, another process's write caught up by a write that then failed. An app
    /// without a [`Listener`] (the FFI object) takes them after each call.
    pub fn take_unreported(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.unreported)
    }

    // --- shared by the files of this module -------------------------------------------

    /// A SQLite failure on this open store, naming it (and keeping the SQLite error).
    fn located(&self, e: Error) -> Error {
        e.located_at(&self.path)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // What the audit finds still counts: a broken chain's snapshot must be deleted
        // before the next open reads it, and a corrupt file moved aside.
        self.settle_audit(true);
        if let Err(e) = self.flush() {
            log::warn!("gatekeeper: could not flush the decision log on close: {e}");
        }
    }
}
