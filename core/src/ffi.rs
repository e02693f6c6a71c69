//! The object Kotlin and Swift call (contract §8), generated through uniffi.
//!
//! [`Gatekeeper`] wraps a [`Store`] in a mutex so it is safe to call from any thread,
//! converts times to platform instants, and calls the app's [`ChangeListener`] after
//! the lock is released, so a listener may call back into the gatekeeper. It never
//! panics across the FFI: a poisoned lock or a closed store answers decisions with
//! `deny store_unavailable` and writes with a typed error.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::decide::{self, Reason, Trigger, Verdict};
use crate::error::{CallbackError, Error, GatekeeperError};
use crate::ledger::LedgerState;
use crate::ledger::{EventKind, PermissionResult};
use crate::manifest::{self, Basis, Law, Manifest, ManifestIssue, Role};
use crate::report::{self, ChoiceStatus, PermissionStatusKind, StateReport};
use crate::store::{self, LedgerCheck, Store};
use crate::time::{Clock, SystemClock};

type Result<T> = std::result::Result<T, GatekeeperError>;

fn instant(ms: i64) -> SystemTime {
    // Checked: a platform's SystemTime may not reach every i64 millisecond. An instant
    // it cannot hold (only from an absurd app clock) becomes the epoch, never a panic.
    let span = Duration::from_millis(ms.unsigned_abs());
    let t = if ms >= 0 { UNIX_EPOCH.checked_add(span) } else { UNIX_EPOCH.checked_sub(span) };
    t.unwrap_or(UNIX_EPOCH)
}

fn millis(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

/// Counts and ages cross the FFI as signed integers: Java callers of the Kotlin
/// bindings cannot use Kotlin's unsigned types.
fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A source of time the app may pass in (tests pin it; apps normally leave it out).
#[uniffi::export(foreign)]
pub trait TimeSource: Send + Sync {
    /// # Errors
    /// Whatever the app's clock throws; the core then reads the system clock.
    fn now(&self) -> std::result::Result<SystemTime, CallbackError>;
}

struct ForeignClock(Arc<dyn TimeSource>);

impl Clock for ForeignClock {
    fn now_ms(&self) -> i64 {
        match self.0.now() {
            Ok(t) => millis(t),
            // The app's exception text is not logged: it is the app's, and may hold anything.
            Err(_) => {
                log::warn!("gatekeeper: the app's time source failed; using the system clock");
                SystemClock.now_ms()
            }
        }
    }
}

/// Options for [`Gatekeeper::open`].
#[derive(uniffi::Record)]
pub struct GatekeeperOptions {
    /// Where time comes from; `None` means the system clock.
    #[uniffi(default = None)]
    pub time_source: Option<Arc<dyn TimeSource>>,
}

/// One answer (contract §4).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Decision {
    /// `sdk:<id>`, `permission:<id>` or `purpose:<id>`.
    pub subject: String,
    pub verdict: Verdict,
    pub reason: Reason,
    /// Purposes the user must decide (or has refused).
    pub purposes: Vec<String>,
    /// SDKs that need their own, separate consent (or were refused).
    pub sdks: Vec<String>,
    pub retry_after: Option<SystemTime>,
    /// Cache this decision until then, or until the listener reports a change.
    pub valid_until: Option<SystemTime>,
    pub policy_version: String,
    pub jurisdiction: String,
    pub decided_at: SystemTime,
}

impl From<decide::Decision> for Decision {
    fn from(d: decide::Decision) -> Self {
        Decision {
            subject: d.subject,
            verdict: d.verdict,
            reason: d.reason,
            purposes: d.purposes,
            sdks: d.sdks,
            retry_after: d.retry_after.map(instant),
            valid_until: d.valid_until.map(instant),
            policy_version: d.policy_version,
            jurisdiction: d.jurisdiction,
            decided_at: instant(d.decided_at),
        }
    }
}

/// A subject whose verdict or reason changed (contract §5).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DecisionChange {
    pub subject: String,
    pub old: Decision,
    pub new: Decision,
    /// The write that caused it, numbered in commit order (one number per write). Two
    /// threads' notifications may reach the listener in either order; act on the
    /// highest sequence seen for a subject.
    pub sequence: i64,
}

fn change(c: store::Change, sequence: i64) -> DecisionChange {
    DecisionChange { subject: c.subject, old: c.old.into(), new: c.new.into(), sequence }
}

/// What to decide, for [`Gatekeeper::decide_many`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DecisionSubject {
    Sdk { id: String },
    Permission { id: String, trigger: Trigger },
    Purpose { id: String },
}

impl From<DecisionSubject> for decide::Subject {
    fn from(s: DecisionSubject) -> Self {
        match s {
            DecisionSubject::Sdk { id } => decide::Subject::Sdk(id),
            DecisionSubject::Permission { id, trigger } => decide::Subject::Permission(id, trigger),
            DecisionSubject::Purpose { id } => decide::Subject::Purpose(id),
        }
    }
}

/// Told after every call that changed state, with every SDK and permission whose
/// decision changed. Called on the thread that made the change, after the
/// gatekeeper's lock is released.
#[uniffi::export(foreign)]
pub trait ChangeListener: Send + Sync {
    /// # Errors
    /// Whatever the app's listener throws is logged and otherwise ignored: the change
    /// it reports is already committed.
    fn on_change(&self, changes: Vec<DecisionChange>) -> std::result::Result<(), CallbackError>;
}

/// How one purpose or SDK stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ItemStatus {
    pub id: String,
    pub status: ChoiceStatus,
    pub at: Option<SystemTime>,
    pub separate: bool,
    pub by_guardian: bool,
    pub expires_at: Option<SystemTime>,
    pub retry_after: Option<SystemTime>,
}

/// What the OS last said about one permission.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionStatus {
    pub id: String,
    pub status: PermissionStatusKind,
    pub at: Option<SystemTime>,
    pub retry_after: Option<SystemTime>,
}

/// The current consent state (the CLI's `state`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentState {
    pub policy_id: String,
    pub current_version: String,
    pub policy_accepted: bool,
    pub accepted_version: Option<String>,
    pub accepted_at: Option<SystemTime>,
    pub accepted_by_guardian: bool,
    pub notice_pending: bool,
    pub country: Option<String>,
    pub age: Option<i32>,
    pub jurisdiction: String,
    pub law: Law,
    pub age_of_consent: i32,
    pub child: bool,
    pub purposes: Vec<ItemStatus>,
    pub sdks: Vec<ItemStatus>,
    pub permissions: Vec<PermissionStatus>,
    pub events: i64,
    pub ledger_intact: bool,
    pub first_broken: Option<i64>,
    pub store_usable: bool,
    pub recovered_from_corruption: bool,
    pub erased_at: Option<SystemTime>,
}

impl From<StateReport> for ConsentState {
    fn from(s: StateReport) -> Self {
        let item = |i: report::ItemStatus| ItemStatus {
            id: i.id,
            status: i.status,
            at: i.at.map(instant),
            separate: i.separate,
            by_guardian: i.by_guardian,
            expires_at: i.expires_at.map(instant),
            retry_after: i.retry_after.map(instant),
        };
        ConsentState {
            policy_id: s.policy_id,
            current_version: s.current_version,
            policy_accepted: s.policy_accepted,
            accepted_version: s.accepted_version,
            accepted_at: s.accepted_at.map(instant),
            accepted_by_guardian: s.accepted_by_guardian,
            notice_pending: s.notice_pending,
            country: s.country,
            age: s.age.map(to_i32),
            jurisdiction: s.jurisdiction,
            law: s.law,
            age_of_consent: to_i32(s.age_of_consent),
            child: s.child,
            purposes: s.purposes.into_iter().map(item).collect(),
            sdks: s.sdks.into_iter().map(item).collect(),
            permissions: s
                .permissions
                .into_iter()
                .map(|p| PermissionStatus {
                    id: p.id,
                    status: p.status,
                    at: p.at.map(instant),
                    retry_after: p.retry_after.map(instant),
                })
                .collect(),
            events: to_i64(s.events),
            ledger_intact: s.ledger_intact,
            first_broken: s.first_broken,
            store_usable: s.store_usable,
            recovered_from_corruption: s.recovered_from_corruption,
            erased_at: s.erased_at.map(instant),
        }
    }
}

/// One decision-log row: a run of identical decisions for one subject.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogEntry {
    pub id: i64,
    pub subject: String,
    pub verdict: Verdict,
    pub reason: Reason,
    pub policy_version: String,
    pub jurisdiction: String,
    pub first_seen: SystemTime,
    pub last_seen: SystemTime,
    pub count: i64,
}

impl From<store::LogRow> for LogEntry {
    fn from(r: store::LogRow) -> Self {
        // A row the store cannot read back as a verdict and reason (edited by hand) is
        // shown as the fail-closed answer rather than dropped.
        let (verdict, reason) = match (Verdict::parse(&r.verdict), Reason::parse(&r.reason)) {
            (Some(v), Some(reason)) => (v, reason),
            _ => (Verdict::Deny, Reason::StoreUnavailable),
        };
        LogEntry {
            id: r.id,
            subject: r.subject,
            verdict,
            reason,
            policy_version: r.policy_version,
            jurisdiction: r.jurisdiction,
            first_seen: instant(r.first_seen),
            last_seen: instant(r.last_seen),
            count: to_i64(r.count),
        }
    }
}

/// A consent receipt: one subject of one ledger event.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Receipt {
    pub receipt_id: String,
    pub event_id: i64,
    pub timestamp: SystemTime,
    pub event: EventKind,
    pub jurisdiction: Option<String>,
    pub law: Option<Law>,
    pub policy_id: String,
    pub policy_version: Option<String>,
    pub policy_url: Option<String>,
    pub controller: Option<String>,
    pub controller_contact: Option<String>,
    /// `purpose:<id>`, `sdk:<id>`, `permission:<id>`, `policy:<id>` or `profile`;
    /// none for the erase marker.
    pub subject: Option<String>,
    /// The legal basis the subject was asked under.
    pub basis: Option<String>,
    pub choice: String,
    pub separate: bool,
    pub by_guardian: bool,
    pub source: Option<String>,
}

/// The export document: the state, every receipt and the decision log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportDocument {
    pub exported_at: SystemTime,
    pub state: ConsentState,
    pub receipts: Vec<Receipt>,
    pub decision_log: Vec<LogEntry>,
    /// The same document as the CLI's `export --json`.
    pub json: String,
}

/// The result of recomputing the ledger's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifyReport {
    pub ok: bool,
    pub events: i64,
    pub first_broken: Option<i64>,
}

/// The result of validating a manifest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintReport {
    pub ok: bool,
    pub errors: Vec<LintIssue>,
}

/// One manifest problem, with its JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintIssue {
    pub path: String,
    pub message: String,
}

impl From<ManifestIssue> for LintIssue {
    fn from(i: ManifestIssue) -> Self {
        LintIssue { path: i.path, message: i.message }
    }
}

/// A purpose of the policy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PurposeInfo {
    pub id: String,
    pub title: String,
    pub basis: Basis,
    pub sensitive: bool,
}

/// An OS permission of the policy, with its platform names.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionInfo {
    pub id: String,
    pub title: String,
    pub android: Vec<String>,
    pub ios: Vec<String>,
    pub purposes: Vec<String>,
    pub user_initiated: bool,
    pub allow_at_launch: bool,
}

/// A third-party SDK of the policy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SdkInfo {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub vendor_country: Option<String>,
    pub role: Role,
    pub purposes: Vec<String>,
    pub data: Vec<String>,
    pub permissions: Vec<String>,
    pub platforms: Vec<String>,
}

/// The policy manifest, as an app needs it for its screens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ManifestInfo {
    pub policy_id: String,
    pub version: String,
    pub effective: String,
    pub controller: String,
    pub contact: Option<String>,
    pub url: Option<String>,
    pub purposes: Vec<PurposeInfo>,
    pub permissions: Vec<PermissionInfo>,
    pub sdks: Vec<SdkInfo>,
}

impl From<&Manifest> for ManifestInfo {
    fn from(m: &Manifest) -> Self {
        ManifestInfo {
            policy_id: m.policy.id.clone(),
            version: m.policy.version.clone(),
            effective: m.policy.effective.clone(),
            controller: m.policy.controller.name.clone(),
            contact: m.policy.controller.contact.clone(),
            url: m.policy.url.clone(),
            purposes: m
                .purposes
                .iter()
                .map(|p| PurposeInfo {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    basis: p.basis,
                    sensitive: p.sensitive,
                })
                .collect(),
            permissions: m
                .permissions
                .iter()
                .map(|p| PermissionInfo {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    android: p.android.clone(),
                    ios: p.ios.clone(),
                    purposes: p.purposes.clone(),
                    user_initiated: p.user_initiated,
                    allow_at_launch: p.allow_at_launch,
                })
                .collect(),
            sdks: m
                .sdks
                .iter()
                .map(|s| SdkInfo {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    vendor: s.vendor.clone(),
                    vendor_country: s.vendor_country.clone(),
                    role: s.role,
                    purposes: s.purposes.clone(),
                    data: s.data.clone(),
                    permissions: s.permissions.clone(),
                    platforms: s.platforms.clone(),
                })
                .collect(),
        }
    }
}

/// Validates a manifest, listing every problem (the CLI's `lint`).
#[uniffi::export]
pub fn lint_manifest(manifest_json: String) -> LintReport {
    match manifest::parse(&manifest_json) {
        Ok(_) => LintReport { ok: true, errors: Vec::new() },
        Err(issues) => LintReport { ok: false, errors: issues.into_iter().map(Into::into).collect() },
    }
}

/// The example manifest embedded in the library (the one the CLI demo uses).
#[uniffi::export]
pub fn example_manifest() -> String {
    manifest::EXAMPLE_MANIFEST.to_owned()
}

/// The consent gatekeeper for one user's store. Safe to call from any thread.
#[derive(uniffi::Object)]
pub struct Gatekeeper {
    store: Mutex<Option<Store>>,
    listener: Mutex<Option<Arc<dyn ChangeListener>>>,
    /// Kept beside the store so a closed or poisoned gatekeeper still answers
    /// `deny store_unavailable` with the right policy version and time.
    manifest: Arc<Manifest>,
    clock: Arc<dyn Clock>,
    /// Numbers writes in commit order; only advanced while the store lock is held.
    writes: AtomicI64,
}

impl Gatekeeper {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> crate::Result<T>) -> Result<T> {
        let (result, changes) = {
            let mut guard = self.lock()?;
            let store = guard.as_mut().ok_or(Error::Closed)?;
            // What reports or writes the ledger waits for its background audit, and
            // what that (or anything else outside a call) changed reaches the listener.
            store.settle();
            let result = f(store);
            (result, self.sequenced(store.take_unreported()))
        };
        self.tell(&changes);
        Ok(result?)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Option<Store>>> {
        self.store
            .lock()
            .map_err(|_| GatekeeperError::Storage("the gatekeeper's lock was poisoned by an earlier failure".into()))
    }

    /// Runs a write and tells the listener, after the lock is released. Changes the
    /// store found outside any call (see [`Store::take_unreported`]) come first, merged
    /// per subject; the listener hears of those even when the write fails.
    fn write(&self, f: impl FnOnce(&mut Store) -> crate::Result<Vec<store::Change>>) -> Result<Vec<DecisionChange>> {
        let (result, changes) = {
            let mut guard = self.lock()?;
            let store = guard.as_mut().ok_or(Error::Closed)?;
            let result = f(store);
            let mut changes = store.take_unreported();
            let result = result.map(|c| store::merge_changes(&mut changes, c));
            // Every write takes a number, even one that changed nothing.
            let sequence = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
            (result, changes.into_iter().map(|c| change(c, sequence)).collect::<Vec<_>>())
        };
        self.tell(&changes);
        result?;
        Ok(changes)
    }

    /// Numbers changes a decision found, in commit order. Called with the store lock held.
    fn sequenced(&self, changes: Vec<store::Change>) -> Vec<DecisionChange> {
        if changes.is_empty() {
            return Vec::new();
        }
        let sequence = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        changes.into_iter().map(|c| change(c, sequence)).collect()
    }

    /// Gives changes to the app's listener. Called with the store lock released.
    fn tell(&self, changes: &[DecisionChange]) {
        if changes.is_empty() {
            return;
        }
        let listener = self.listener.lock().ok().and_then(|l| l.clone());
        if let Some(l) = listener {
            if l.on_change(changes.to_vec()).is_err() {
                log::warn!("gatekeeper: the app's change listener failed; the change itself is committed");
            }
        }
    }

    /// Decides each subject under one lock; fails closed when there is no store. A
    /// decision that saw another process's write (or the store failing) tells the
    /// listener afterwards.
    fn decide_all(&self, subjects: &[decide::Subject]) -> Vec<Decision> {
        let mut guard = self.lock().ok();
        let (decisions, changes) = match guard.as_mut().and_then(|g| g.as_mut()) {
            Some(store) => {
                let decisions = subjects.iter().map(|s| store.decide(s).into()).collect();
                (decisions, self.sequenced(store.take_unreported()))
            }
            None => (subjects.iter().map(|s| self.unavailable(s)).collect(), Vec::new()),
        };
        drop(guard);
        self.tell(&changes);
        decisions
    }

    /// `deny store_unavailable` (or `unknown_subject`) without a store.
    fn unavailable(&self, subject: &decide::Subject) -> Decision {
        let ledger = LedgerState::default();
        let ctx = decide::Context { manifest: &self.manifest, ledger: &ledger, now: self.clock.now_ms() };
        ctx.unavailable(subject).into()
    }

    /// One subject, on the hot path: no list built around it.
    fn decide(&self, subject: decide::Subject) -> Decision {
        let mut guard = self.lock().ok();
        let (decision, changes) = match guard.as_mut().and_then(|g| g.as_mut()) {
            Some(store) => {
                let decision = store.decide(&subject).into();
                (decision, self.sequenced(store.take_unreported()))
            }
            None => (self.unavailable(&subject), Vec::new()),
        };
        drop(guard);
        self.tell(&changes);
        decision
    }
}

#[uniffi::export]
impl Gatekeeper {
    /// Opens (or creates) the store at `db_path` for the policy in `manifest_json`.
    ///
    /// Made for the app's launch: it returns once the store's fold snapshot and the
    /// events after it check out, and SQLite's integrity check and the full ledger check
    /// run on the `gatekeeper.audit` thread. Decisions do not wait for them; writes,
    /// `verify`, `state`, `export` and `log` do. What the audit finds (a broken chain, a
    /// corrupt file moved aside) reaches the listener after the next call.
    ///
    /// # Errors
    /// `InvalidManifest` (every problem, with its JSON path), `PolicyMismatch` (the
    /// store was made for another policy id), `NewerSchema`, `Storage` (the path cannot
    /// be opened).
    #[uniffi::constructor]
    pub fn open(db_path: String, manifest_json: String, options: GatekeeperOptions) -> Result<Arc<Self>> {
        crate::logging::init_platform_logger();
        let manifest: Manifest = manifest::parse(&manifest_json).map_err(Error::InvalidManifest)?;
        let clock: Arc<dyn Clock> = match options.time_source {
            Some(t) => Arc::new(ForeignClock(t)),
            None => Arc::new(SystemClock),
        };
        let manifest = Arc::new(manifest);
        // The app's launch path: the full ledger check runs on its own thread after the
        // store opens from its fold snapshot (see `crate::audit`).
        let store = Store::open_with(&db_path, manifest.clone(), clock.clone(), LedgerCheck::Background)?;
        Ok(Arc::new(Gatekeeper {
            store: Mutex::new(Some(store)),
            listener: Mutex::new(None),
            manifest,
            clock,
            writes: AtomicI64::new(0),
        }))
    }

    /// The policy this gatekeeper decides with: its purposes, permissions and SDKs, so
    /// an app builds its consent screens and permission mapping from the one manifest.
    pub fn manifest(&self) -> ManifestInfo {
        ManifestInfo::from(self.manifest.as_ref())
    }

    /// Registers the one change listener (`None` removes it).
    pub fn set_listener(&self, listener: Option<Arc<dyn ChangeListener>>) {
        if let Ok(mut l) = self.listener.lock() {
            *l = listener;
        }
    }

    /// Records the user's country (ISO 3166-1 alpha-2) and age.
    ///
    /// # Errors
    /// `InvalidArgument` for a malformed country or an impossible age; `Storage`, `Closed`.
    pub fn set_profile(&self, country: Option<String>, age: Option<i32>) -> Result<Vec<DecisionChange>> {
        let country = country.map(|c| c.to_ascii_uppercase());
        let age = match age.map(u32::try_from) {
            Some(Err(_)) => {
                return Err(Error::invalid("age", "expected a whole number of years from 0 to 150").into());
            }
            Some(Ok(a)) => Some(a),
            None => None,
        };
        self.write(|s| s.set_profile(country.as_deref(), age))
    }

    /// Records that the user (or their guardian) accepted the current policy.
    ///
    /// # Errors
    /// `InvalidArgument` for a malformed source; `Storage`, `Closed`.
    pub fn accept_policy(&self, by_guardian: bool, source: String) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.accept_policy(by_guardian, &source))
    }

    /// Records a grant for purposes and/or SDKs.
    ///
    /// # Errors
    /// `UnknownId` for an undeclared id (nothing recorded); `InvalidArgument`; `Storage`, `Closed`.
    pub fn grant(
        &self,
        purposes: Vec<String>,
        sdks: Vec<String>,
        separate: bool,
        by_guardian: bool,
        source: String,
    ) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.record_choice(EventKind::Granted, &purposes, &sdks, separate, by_guardian, &source))
    }

    /// Records a refusal for purposes and/or SDKs.
    ///
    /// # Errors
    /// `UnknownId`; `InvalidArgument`; `Storage`, `Closed`.
    pub fn deny(&self, purposes: Vec<String>, sdks: Vec<String>, source: String) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.record_choice(EventKind::Denied, &purposes, &sdks, false, false, &source))
    }

    /// Records a withdrawal; the listener hears of every SDK it switches off.
    ///
    /// # Errors
    /// `UnknownId`; `InvalidArgument`; `Storage`, `Closed`.
    pub fn withdraw(&self, purposes: Vec<String>, sdks: Vec<String>, source: String) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.record_choice(EventKind::Withdrawn, &purposes, &sdks, false, false, &source))
    }

    /// Records what the OS answered to a permission prompt.
    ///
    /// # Errors
    /// `UnknownId`; `Storage`, `Closed`.
    pub fn record_permission_result(
        &self,
        permission: String,
        result: PermissionResult,
    ) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.record_permission_result(&permission, result))
    }

    /// May this SDK start now?
    pub fn decide_sdk(&self, id: String) -> Decision {
        self.decide(decide::Subject::Sdk(id))
    }

    /// May the app show this permission prompt now?
    pub fn decide_permission(&self, id: String, trigger: Trigger) -> Decision {
        self.decide(decide::Subject::Permission(id, trigger))
    }

    /// May the app use data for this purpose now?
    pub fn decide_purpose(&self, id: String) -> Decision {
        self.decide(decide::Subject::Purpose(id))
    }

    /// Decides many subjects in one call across the FFI (for app start-up, where a
    /// call per SDK would cost a JNA round trip each).
    pub fn decide_many(&self, subjects: Vec<DecisionSubject>) -> Vec<Decision> {
        let subjects: Vec<decide::Subject> = subjects.into_iter().map(Into::into).collect();
        self.decide_all(&subjects)
    }

    /// The current consent state.
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn state(&self) -> Result<ConsentState> {
        self.with_store(|s| Ok(StateReport::of(s).into()))
    }

    /// The decision log, oldest first.
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn log(&self) -> Result<Vec<LogEntry>> {
        self.with_store(|s| Ok(s.decision_log()?.into_iter().map(Into::into).collect()))
    }

    /// Everything the store holds about the user, for a data-access request.
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn export(&self) -> Result<ExportDocument> {
        self.with_store(|s| {
            let e = report::Export::of(s)?;
            let json = e.to_json().to_string();
            Ok(ExportDocument {
                exported_at: instant(e.exported_at),
                receipts: e
                    .receipts
                    .into_iter()
                    .map(|r| Receipt {
                        receipt_id: r.receipt_id,
                        event_id: r.event_id,
                        timestamp: instant(r.timestamp),
                        event: r.event,
                        jurisdiction: r.jurisdiction,
                        law: r.law,
                        policy_id: r.policy_id,
                        policy_version: r.policy_version,
                        policy_url: r.policy_url,
                        controller: r.controller,
                        controller_contact: r.controller_contact,
                        subject: r.subject,
                        basis: r.basis,
                        choice: r.choice,
                        separate: r.separate,
                        by_guardian: r.by_guardian,
                        source: r.source,
                    })
                    .collect(),
                decision_log: e.decision_log.into_iter().map(Into::into).collect(),
                state: e.state.into(),
                json,
            })
        })
    }

    /// Deletes everything about the user (account deletion), keeping one `erased` marker.
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn erase(&self) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.erase())
    }

    /// Recomputes the ledger's hash chain.
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.with_store(|s| {
            let r = s.verify()?;
            Ok(VerifyReport { ok: r.first_broken.is_none(), events: to_i64(r.events), first_broken: r.first_broken })
        })
    }

    /// Looks at once for consent another process wrote to the same store (an app's
    /// second process, say), and returns what it changed; the listener hears of it too.
    /// Writes always see other processes' writes; decisions look by themselves at
    /// least every second or 1024 decisions, and then tell the listener too.
    ///
    /// # Errors
    /// `Storage` (decisions then fail closed), `Closed`.
    pub fn refresh(&self) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.refresh())
    }

    /// Writes buffered decision-log repeat counts.
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn flush(&self) -> Result<()> {
        self.write(|s| s.flush().map(|()| Vec::new())).map(drop)
    }

    /// Flushes and closes the store. Later decisions answer `deny store_unavailable`;
    /// later writes fail with `Closed`. Closing twice is harmless. (Named `closeStore`
    /// in Kotlin and Swift: Kotlin objects already have `close()`, which frees the
    /// native object.)
    #[uniffi::method(name = "close_store")]
    pub fn close(&self) {
        if let Ok(mut guard) = self.store.lock() {
            if let Some(mut store) = guard.take() {
                let _ = store.flush();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn exported_objects_are_send_and_sync() {
        assert_send_sync::<Gatekeeper>();
    }

    fn open(dir: &std::path::Path) -> Arc<Gatekeeper> {
        let path = dir.join("g.db").display().to_string();
        Gatekeeper::open(path, example_manifest(), GatekeeperOptions { time_source: None }).unwrap()
    }

    #[test]
    fn a_closed_gatekeeper_fails_closed_with_the_policy_version() {
        let dir = tempfile::tempdir().unwrap();
        let g = open(dir.path());
        g.close();
        g.close();
        let d = g.decide_sdk("facebook".into());
        assert_eq!((d.verdict, d.reason), (Verdict::Deny, Reason::StoreUnavailable));
        assert_eq!(d.policy_version, "3.1");
        assert!(matches!(g.accept_policy(false, "test".into()), Err(GatekeeperError::Closed(_))));
    }

    #[test]
    fn decide_many_answers_each_subject_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let g = open(dir.path());
        let out = g.decide_many(vec![
            DecisionSubject::Sdk { id: "facebook".into() },
            DecisionSubject::Permission { id: "camera".into(), trigger: Trigger::AppLaunch },
            DecisionSubject::Purpose { id: "nope".into() },
        ]);
        let got: Vec<(&str, Reason)> = out.iter().map(|d| (d.subject.as_str(), d.reason)).collect();
        assert_eq!(
            got,
            vec![
                ("sdk:facebook", Reason::PolicyNotAccepted),
                ("permission:camera", Reason::LaunchTimeRequest),
                ("purpose:nope", Reason::UnknownSubject),
            ]
        );
    }

    #[test]
    fn errors_cross_the_ffi_typed_and_with_their_place() {
        let dir = tempfile::tempdir().unwrap();
        let bad = Gatekeeper::open(
            dir.path().join("g.db").display().to_string(),
            "{\"schema\": 2}".into(),
            GatekeeperOptions { time_source: None },
        );
        match bad {
            Err(GatekeeperError::InvalidManifest(m)) => assert!(m.contains("/schema"), "{m}"),
            other => panic!("expected InvalidManifest, got {:?}", other.err()),
        }
        let g = open(dir.path());
        match g.grant(vec!["telepathy".into()], vec![], false, false, "settings".into()) {
            Err(GatekeeperError::UnknownId(m)) => assert!(m.contains("telepathy"), "{m}"),
            other => panic!("expected UnknownId, got {other:?}"),
        }
        let missing = dir.path().join("no/such/dir/g.db").display().to_string();
        match Gatekeeper::open(missing, example_manifest(), GatekeeperOptions { time_source: None }) {
            Err(GatekeeperError::Storage(m)) => assert!(m.contains("no/such/dir"), "{m}"),
            other => panic!("expected Storage, got {:?}", other.err()),
        }
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    struct Recorder(Mutex<Vec<Vec<DecisionChange>>>);

    impl ChangeListener for Recorder {
        fn on_change(&self, changes: Vec<DecisionChange>) -> std::result::Result<(), CallbackError> {
            self.0.lock().unwrap().push(changes);
            Ok(())
        }
    }

    #[test]
    fn changes_carry_one_sequence_number_per_write_in_commit_order() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gatekeeper::open(
            dir.path().join("g.db").display().to_string(),
            example_manifest(),
            GatekeeperOptions { time_source: None },
        )
        .unwrap();
        let rec = Arc::new(Recorder(Mutex::new(Vec::new())));
        g.set_listener(Some(rec.clone()));
        g.set_profile(Some("cn".into()), Some(30)).unwrap();
        g.accept_policy(false, "first_run_dialog".into()).unwrap();
        g.grant(vec!["analytics".into()], vec![], false, false, "settings".into()).unwrap();
        let batches = rec.0.lock().unwrap().clone();
        // The profile write changed nothing, so the listener heard of writes 2 and 3.
        let seqs: Vec<Vec<i64>> = batches.iter().map(|b| b.iter().map(|c| c.sequence).collect()).collect();
        assert_eq!(seqs.len(), 2);
        assert!(seqs[0].iter().all(|s| *s == 2) && seqs[1].iter().all(|s| *s == 3), "{seqs:?}");
        assert_eq!(g.state().unwrap().country.as_deref(), Some("CN"));
    }

    struct StepClock(std::sync::atomic::AtomicI64);

    impl TimeSource for StepClock {
        fn now(&self) -> std::result::Result<SystemTime, CallbackError> {
            let ms = self.0.load(Ordering::SeqCst) as u64;
            Ok(SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(ms))
        }
    }

    /// Another process's withdrawal, seen by a decision, reaches the listener once: an
    /// app caching decisions must hear of it even though no write of its own ran.
    #[test]
    fn a_change_seen_by_a_decision_reaches_the_listener_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db").display().to_string();
        let clock = Arc::new(StepClock(std::sync::atomic::AtomicI64::new(1_767_225_600_000)));
        let open = || {
            Gatekeeper::open(path.clone(), example_manifest(), GatekeeperOptions { time_source: Some(clock.clone()) })
                .unwrap()
        };
        let app = open();
        app.set_profile(Some("CN".into()), Some(30)).unwrap();
        app.accept_policy(false, "first_run_dialog".into()).unwrap();
        app.grant(vec!["analytics".into()], vec![], false, false, "settings".into()).unwrap();
        assert_eq!(app.decide_sdk("sensors_analytics".into()).verdict, Verdict::Allow);
        let rec = Arc::new(Recorder(Mutex::new(Vec::new())));
        app.set_listener(Some(rec.clone()));

        let other = open();
        other.withdraw(vec!["analytics".into()], vec![], "settings".into()).unwrap();
        clock.0.fetch_add(1000, Ordering::SeqCst);
        assert_eq!(app.decide_sdk("sensors_analytics".into()).verdict, Verdict::Deny);
        let heard: Vec<DecisionChange> = rec.0.lock().unwrap().concat();
        assert!(
            heard.iter().any(|c| c.subject == "sdk:sensors_analytics" && c.new.verdict == Verdict::Deny),
            "{heard:?}"
        );
        assert!(app.refresh().unwrap().is_empty(), "already reported");
        assert_eq!(rec.0.lock().unwrap().len(), 1, "reported once");
    }

    #[test]
    fn a_negative_age_is_an_invalid_argument_that_does_not_echo_it() {
        let dir = tempfile::tempdir().unwrap();
        let g = Gatekeeper::open(
            dir.path().join("g.db").display().to_string(),
            example_manifest(),
            GatekeeperOptions { time_source: None },
        )
        .unwrap();
        match g.set_profile(Some("CN".into()), Some(-4)) {
            Err(GatekeeperError::InvalidArgument(m)) => assert!(!m.contains("-4"), "{m}"),
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
        assert_eq!(g.state().unwrap().events, 0);
    }

    #[test]
    fn the_manifest_is_readable_through_the_ffi() {
        let info = ManifestInfo::from(&manifest::parse(&example_manifest()).unwrap());
        assert_eq!((info.policy_id.as_str(), info.version.as_str()), ("phocol", "3.1"));
        let camera = info.permissions.iter().find(|p| p.id == "camera").unwrap();
        assert_eq!(camera.android, ["android.permission.CAMERA"]);
        let facebook = info.sdks.iter().find(|s| s.id == "facebook").unwrap();
        assert_eq!((facebook.role, facebook.vendor_country.as_deref()), (Role::Independent, Some("US")));
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn extreme_app_times_saturate_instead_of_overflowing() {
        let far_future = UNIX_EPOCH + Duration::from_secs(u64::MAX / 2);
        assert_eq!(millis(far_future), i64::MAX);
        if let Some(far_past) = UNIX_EPOCH.checked_sub(Duration::from_secs(u64::MAX / 4)) {
            assert_eq!(millis(far_past), i64::MIN);
        }
        assert_eq!(millis(instant(-1_500)), -1_500);
        assert_eq!(millis(instant(1_767_225_600_000)), 1_767_225_600_000);
    }
}
