//! [`Gatekeeper`], the object Kotlin and Swift call (contract §8).
//!
//! It wraps a [`Store`] in a mutex so it is safe to call from any thread, and calls the
//! app's [`ChangeListener`] after the lock is released, so a listener may call back into
//! the gatekeeper. It never panics across the FFI: a poisoned lock or a closed store
//! answers decisions with `deny store_unavailable` and writes with a typed error.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::decision::change;
use super::time_source::ForeignClock;
use super::{
    AuditResult, ChangeListener, ConsentState, Decision, DecisionChange, DecisionSubject, ExportDocument, LogEntry,
    ManifestInfo, Result, TimeSource, VerifyReport,
};
use crate::consent_mode::ConsentMode;
use crate::decide::{self, Trigger};
use crate::disclosure::{self, Disclosure};
use crate::error::{Error, GatekeeperError};
use crate::ledger::{EventKind, LedgerState, PermissionResult};
use crate::manifest::{self, Manifest};
use crate::report::{self, StateReport};
use crate::store::{self, LedgerCheck, Store};
use crate::time::{Clock, SystemClock};

/// Options for [`Gatekeeper::open`].
#[derive(uniffi::Record)]
pub struct GatekeeperOptions {
    /// Where time comes from; `None` means the system clock.
    #[uniffi(default = None)]
    pub time_source: Option<Arc<dyn TimeSource>>,
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
        let ctx =
            decide::Context { manifest: &self.manifest, ledger: &ledger, now: self.clock.now_ms(), accesses: None };
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

    /// The disclosure lists of the policy (contract §10.2): the personal information it
    /// collects per purpose (个人信息收集清单), its permissions, and the third-party SDKs it
    /// shares with (第三方信息共享清单), with titles and usage texts in `lang` (a BCP 47
    /// tag; a text without it falls back to `en`, then to any language it has; `None`:
    /// `en`), for the app to render natively. It reads the manifest only.
    ///
    /// # Errors
    /// `InvalidArgument` for a `lang` that is not a BCP 47 language tag.
    pub fn disclose(&self, lang: Option<String>) -> Result<Disclosure> {
        if lang.as_deref().is_some_and(|t| !manifest::is_language_tag(t)) {
            return Err(Error::invalid("lang", "expected a BCP 47 language tag such as en or zh-CN").into());
        }
        Ok(disclosure::disclose(&self.manifest, lang.as_deref()))
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

    /// Records that the user declined the current policy (§9.1): the app keeps its basic
    /// service (subjects whose purposes are all basic allow with `basic_mode`) and
    /// everything else asks `policy_not_accepted` until the user accepts. A MAJOR change
    /// voids it; a decline after an acceptance takes the acceptance back.
    ///
    /// # Errors
    /// `InvalidArgument` for a malformed source; `Storage`, `Closed`.
    pub fn decline_policy(&self, source: String) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.decline_policy(&source))
    }

    /// Records that the app (or its adapter) actually started the SDK (§9.3), for the
    /// start log that [`Gatekeeper::audit`] and `gatekeeper audit` check.
    ///
    /// # Errors
    /// `UnknownId` for an undeclared SDK; `Storage`, `Closed`.
    pub fn record_sdk_started(&self, id: String) -> Result<()> {
        self.write(|s| s.record_sdk_started(&id)).map(drop)
    }

    /// Records that the app (or its adapter) actually stopped the SDK (§9.3).
    ///
    /// # Errors
    /// `UnknownId` for an undeclared SDK; `Storage`, `Closed`.
    pub fn record_sdk_stopped(&self, id: String) -> Result<()> {
        self.write(|s| s.record_sdk_stopped(&id)).map(drop)
    }

    /// Checks the start log (§9.3): no SDK started while its decision was not allow, and
    /// every SDK whose decision left allow while it ran was stopped within
    /// `grace_seconds` (the CLI's default is 10).
    ///
    /// # Errors
    /// `Storage`, `Closed`.
    pub fn audit(&self, grace_seconds: u32) -> Result<AuditResult> {
        self.with_store(|s| Ok(report::AuditReport::of(s, grace_seconds)?.into()))
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

    /// Records a refusal for purposes and/or SDKs; `by_guardian` (default false, so
    /// `deny(purposes, sdks, source)` still calls it) when the user's guardian refused.
    ///
    /// # Errors
    /// `UnknownId`; `InvalidArgument`; `Storage`, `Closed`.
    #[uniffi::method(default(by_guardian = false))]
    pub fn deny(
        &self,
        purposes: Vec<String>,
        sdks: Vec<String>,
        source: String,
        by_guardian: bool,
    ) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.record_choice(EventKind::Denied, &purposes, &sdks, false, by_guardian, &source))
    }

    /// Records a withdrawal; the listener hears of every SDK it switches off.
    /// `by_guardian` (default false, so `withdraw(purposes, sdks, source)` still calls it)
    /// when the user's guardian withdrew.
    ///
    /// # Errors
    /// `UnknownId`; `InvalidArgument` (also for a `contract` or `legal_obligation`
    /// purpose, which cannot be withdrawn; nothing is recorded); `Storage`, `Closed`.
    #[uniffi::method(default(by_guardian = false))]
    pub fn withdraw(
        &self,
        purposes: Vec<String>,
        sdks: Vec<String>,
        source: String,
        by_guardian: bool,
    ) -> Result<Vec<DecisionChange>> {
        self.write(|s| s.record_choice(EventKind::Withdrawn, &purposes, &sdks, false, by_guardian, &source))
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

    /// Imports what the app's certified CMP stored (contract section 11): the TC string
    /// (`IABTCF_TCString`) and, if there is one, the Additional Consent string
    /// (`IABTCF_AddtlConsent`). In one write, grants the purposes whose `tcf_purposes`
    /// (and `tcf_special_features`) the string consents to and the SDKs whose `gvl_id`
    /// vendor and `ac_id` provider it consents to, and denies the others it maps; the
    /// listener hears of every SDK that changes. The same strings as the last import
    /// record nothing.
    ///
    /// # Errors
    /// Recording nothing: `TcfInvalid` (a string does not decode), `TcfStale` (last
    /// updated more than 13 months ago: show the CMP again), `TcfPolicyOutdated` (before
    /// TCF v2.2); `InvalidArgument` for a malformed source; `Storage`, `Closed`.
    pub fn tcf_import(
        &self,
        tc_string: String,
        ac_string: Option<String>,
        source: String,
    ) -> Result<Vec<DecisionChange>> {
        self.write(|s| Ok(s.import_tcf(&tc_string, ac_string.as_deref(), &source)?.changes))
    }

    /// The Google Consent Mode signals now, for Firebase's `setConsent` and the Google
    /// Mobile Ads SDK: each is granted only when every purpose declaring it in
    /// `consent_mode` is allowed. Every signal is denied without a usable store. Call it
    /// again after every change notification.
    pub fn consent_mode(&self) -> ConsentMode {
        let mut guard = self.lock().ok();
        let (mode, changes) = match guard.as_mut().and_then(|g| g.as_mut()) {
            Some(store) => {
                let mode = store.consent_mode();
                (mode, self.sequenced(store.take_unreported()))
            }
            None => (ConsentMode::DENIED, Vec::new()),
        };
        drop(guard);
        self.tell(&changes);
        mode
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

    /// May the app read this sensitive data now (§9.2), in the background when
    /// `background`? An allow **is** the access: it is recorded and starts the id's
    /// `min_interval_seconds`, so never cache this answer; ask before every read.
    pub fn decide_access(&self, id: String, background: bool) -> Decision {
        self.decide(decide::Subject::Access(id, background))
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
        self.with_store(|s| Ok(report::Export::of(s)?.into()))
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
        self.with_store(|s| Ok(s.verify()?.into()))
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
