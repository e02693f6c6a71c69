//! Opening a store: the connection, then one read of everything the store keeps in
//! memory (the metadata, the ledger from its fold snapshot or in full, the decision
//! log's oldest row), then only the writes the open must make, in one transaction.
//!
//! An app opens its store at launch, many times for each consent change, so an open
//! writes nothing unless it must: the policy id of a new store, a policy version's url
//! not seen before, a recovery note, pruning when the oldest log row is past retention,
//! and a new fold snapshot when the ledger has moved on since the last one (a cache,
//! written apart and never failing the open). A file that turns out corrupt is moved
//! aside ([`super::recovery`]) and a fresh store started.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use log::{info, warn};
use rusqlite::Connection;

use super::audit::{self, Audit, Loaded};
use super::connection::{self, is_busy, OpenFailure};
use super::meta::{self, Meta, MetaKey};
use super::recovery::{self, Recovery};
use super::{snapshot, LedgerCheck, Store};
use crate::error::{Error, Result};
use crate::id_map::IdMap;
use crate::manifest::Manifest;
use crate::time::{Clock, MS_PER_DAY};

/// [`Store::open_with`]: opens, retrying the whole open while another process holds the
/// lock (an open may write a little), and names the path in any SQLite failure.
pub(super) fn open(path: &Path, manifest: Arc<Manifest>, clock: Arc<dyn Clock>, check: LedgerCheck) -> Result<Store> {
    let path = path.to_path_buf();
    let busy = |e: &Error| matches!(e, Error::Sql { source, .. } if is_busy(source));
    let store = connection::retry_while(busy, || open_inner(path.clone(), manifest.clone(), clock.clone(), check))
        .map_err(|e| e.opening(&path))?;
    // The file is ours and open: from now on closing may checkpoint the WAL again.
    if let Err(e) = connection::checkpoint_on_close(&store.conn, true) {
        warn!("gatekeeper: could not re-enable the checkpoint on close: {e}");
    }
    info!("gatekeeper: store open, {} event(s)", store.chain.events);
    Ok(store)
}

/// One open, moving a corrupt file aside and starting afresh once.
fn open_inner(path: PathBuf, manifest: Arc<Manifest>, clock: Arc<dyn Clock>, check: LedgerCheck) -> Result<Store> {
    let now = clock.now_ms();
    match open_once(&path, &manifest, &clock, check, None)? {
        Ok(store) => Ok(store),
        Err(why) => {
            let moved_to = recovery::move_aside(&path, now)?;
            warn!("gatekeeper: store was unreadable ({why}); moved aside and started afresh");
            let recovery = Recovery { at: now, moved_to };
            open_once(&path, &manifest, &clock, LedgerCheck::Full, Some(recovery))?
                .map_err(|why| Error::Open { path: path.display().to_string(), message: why })
        }
    }
}

/// One attempt at opening: `Ok(Err(why))` when the file is corrupt (and nothing was
/// written to it), so the caller moves it aside.
fn open_once(
    path: &Path,
    manifest: &Arc<Manifest>,
    clock: &Arc<dyn Clock>,
    check: LedgerCheck,
    recovery: Option<Recovery>,
) -> Result<std::result::Result<Store, String>> {
    let now = clock.now_ms();
    // An app's open leaves SQLite's integrity check to the audit thread, unless it
    // must write: the open writes nothing to a file that has not passed it. (A
    // decision-log row written before the audit ends can still land in a file the
    // audit then moves aside.)
    let checked = check == LedgerCheck::Full;
    let mut conn = match connection::open(path, checked) {
        Ok(conn) => conn,
        Err(OpenFailure::Fatal(e)) => return Err(e),
        Err(OpenFailure::Corrupt(why)) => return Ok(Err(why)),
    };
    // One read transaction: the metadata, the events and the recorded head from the
    // same moment, however many other processes are writing.
    let found = match connection::read(&mut conn, |c| read_at_open(c, check)) {
        Ok(found) => found,
        Err(e) => return connection::corruption(&e).map(Err).ok_or(e),
    };
    let Loaded { chain, ledger, last_hash, last_id } = found.loaded.clone();
    if chain.first_broken.is_some() {
        warn!("gatekeeper: ledger hash chain broken; decisions fail closed until erase");
    }
    let mut store = Store {
        conn,
        path: path.to_path_buf(),
        manifest: manifest.clone(),
        clock: clock.clone(),
        ledger,
        last_hash,
        last_id,
        chain,
        audit: None,
        pending_check: !checked,
        snapshot_forgotten: false,
        heads: IdMap::default(),
        memo: HashMap::default(),
        accesses: IdMap::default(),
        accesses_loaded: false,
        recovery: None,
        recovered_at_open: false,
        manifest_edit: None,
        listener: None,
        broken: None,
        unreported: Vec::new(),
        data_version: found.data_version,
        decisions_since_refresh: 0,
        refreshed_at: now,
    };
    let mut plan = store.open_plan(&found, recovery.as_ref(), now)?;
    match super::manifest_edit::check(&found.meta, &manifest.policy.version, &manifest.fingerprint) {
        Ok(record) => plan.fingerprint = record,
        Err(edit) => store.manifest_edit = Some(edit),
    }
    // A new snapshot only over a ledger that is intact as far as this open checked;
    // the snapshot of a broken one is deleted.
    let new_snapshot = store.chain.first_broken.is_none() && store.last_id > 0 && !found.snapshot_fresh;
    let forget = store.chain.first_broken.is_some() && found.meta.contains(MetaKey::FoldSnapshot);
    if (plan.writes() || new_snapshot || forget) && store.pending_check {
        if let Some(why) = connection::quick_check(&store.conn)? {
            return Ok(Err(why));
        }
        // With the chain read in full at this open, nothing is left for the audit.
        store.pending_check = found.from_snapshot;
    }
    store.open_writes(&plan, recovery.as_ref())?;
    store.recovered_at_open = recovery.is_some();
    store.recovery = recovery.or_else(|| recovery::noted(&found.meta));
    // The snapshot is a cache: writing or deleting it never fails the open.
    if new_snapshot {
        store.try_write_snapshot(found.snapshot_text.as_deref());
    }
    store.forget_snapshot_if_broken();
    if store.pending_check {
        store.audit = Audit::spawn(&store.path);
        if store.audit.is_none() {
            warn!("gatekeeper: could not start the ledger audit thread, checking in place");
            store.check_in_place();
        }
    }
    Ok(Ok(store))
}

/// What opening a store must write.
#[derive(Debug, Clone, Copy)]
struct OpenPlan {
    /// Record the policy id of a new store.
    pin: bool,
    /// Record the url and controller of a policy version not seen before.
    remember: bool,
    /// Write the recovery note of a store started afresh.
    recovery: bool,
    /// Record the manifest's fingerprint for its version, not recorded yet.
    fingerprint: bool,
    /// Prune decision-log rows last seen before this time.
    prune_before: Option<i64>,
}

impl OpenPlan {
    fn writes(&self) -> bool {
        self.pin || self.remember || self.recovery || self.fingerprint || self.prune_before.is_some()
    }
}

/// What a store reads when it opens, in one read transaction (so from one moment,
/// however many other processes are writing).
struct AtOpen {
    meta: Meta,
    /// The oldest `last_seen` in the decision log (to know whether to prune).
    oldest_log: Option<i64>,
    loaded: Loaded,
    /// Read from the fold snapshot: the full check is still to run.
    from_snapshot: bool,
    /// The stored snapshot is recent enough to keep (see [`snapshot::REFRESH_AFTER_EVENTS`]).
    snapshot_fresh: bool,
    /// The stored snapshot's text, as read.
    snapshot_text: Option<String>,
    data_version: i64,
}

fn read_at_open(conn: &Connection, check: LedgerCheck) -> Result<AtOpen> {
    let meta = Meta::read_all(conn)?;
    let oldest_log = super::decision_log::oldest(conn)?;
    let head = meta.get(MetaKey::LedgerHead);
    let snapshot_text = meta.get(MetaKey::FoldSnapshot).map(str::to_owned);
    let snap = snapshot_text.as_deref().and_then(snapshot::decode);
    let resumed = match (&snap, check) {
        (Some(s), LedgerCheck::Background) => audit::read_from_snapshot(conn, s, head)?,
        _ => None,
    };
    let from_snapshot = resumed.is_some();
    let loaded = match resumed {
        Some(l) => l,
        None => audit::read_ledger(conn, head)?,
    };
    // Kept while it is of this ledger, not too far behind (see
    // `snapshot::REFRESH_AFTER_EVENTS`), and (when it is of the last event, so
    // comparable) the same as the fold just checked.
    let snapshot_fresh = snap.as_ref().is_some_and(|s| {
        let behind = loaded.last_id.saturating_sub(s.through_id);
        (0..snapshot::REFRESH_AFTER_EVENTS).contains(&behind)
            && (from_snapshot || behind > 0 || s.state == loaded.ledger)
    });
    let data_version = connection::data_version(conn)?;
    Ok(AtOpen { meta, oldest_log, loaded, from_snapshot, snapshot_fresh, snapshot_text, data_version })
}

impl Store {
    /// What opening must write: the policy id of a new store (or the refusal of another
    /// policy's store), the url and controller of a policy version not seen before, a
    /// recovery note and the pruning of decision-log rows past retention.
    fn open_plan(&self, found: &AtOpen, recovery: Option<&Recovery>, now: i64) -> Result<OpenPlan> {
        let policy_id = &self.manifest.policy.id;
        let pin = match found.meta.get(MetaKey::PolicyId) {
            Some(stored) if stored == policy_id => false,
            Some(stored) => return Err(self.policy_mismatch(stored)),
            None => true,
        };
        Ok(OpenPlan {
            pin,
            remember: !found.meta.contains(MetaKey::PolicyVersion(&self.manifest.policy.version)),
            recovery: recovery.is_some(),
            fingerprint: false,
            prune_before: Some(now - i64::from(self.manifest.settings.decision_log_retention_days) * MS_PER_DAY)
                .filter(|cutoff| found.oldest_log.is_some_and(|t| t < *cutoff)),
        })
    }

    /// Writes what [`Store::open_plan`] found, in one transaction (none when nothing
    /// needs writing).
    fn open_writes(&mut self, plan: &OpenPlan, recovery: Option<&Recovery>) -> Result<()> {
        if !plan.writes() {
            return Ok(());
        }
        let policy_id = self.manifest.policy.id.clone();
        let OpenPlan { pin, remember, fingerprint, prune_before, .. } = *plan;
        let (version, print) = (self.manifest.policy.version.clone(), self.manifest.fingerprint.clone());
        self.in_write("opening the store", |s| {
            if pin {
                // Another process may have made the store meanwhile.
                match meta::get(&s.conn, MetaKey::PolicyId)? {
                    None => meta::set(&s.conn, MetaKey::PolicyId, &policy_id, "writing store metadata")?,
                    Some(stored) if stored == policy_id => {}
                    Some(stored) => return Err(s.policy_mismatch(&stored)),
                }
            }
            if remember {
                s.remember_policy_version()?;
            }
            if let Some(r) = recovery {
                recovery::note(&s.conn, r)?;
            }
            if fingerprint {
                // Another process may have recorded one meanwhile: the first one stays.
                meta::set_if_absent(
                    &s.conn,
                    MetaKey::ManifestFingerprint(&version),
                    &print,
                    "recording the manifest's fingerprint",
                )?;
            }
            if let Some(cutoff) = prune_before {
                super::decision_log::prune(&s.conn, cutoff)?;
            }
            Ok(())
        })
    }

    fn policy_mismatch(&self, stored: &str) -> Error {
        Error::PolicyMismatch {
            path: self.path.display().to_string(),
            store_policy: stored.to_owned(),
            manifest_policy: self.manifest.policy.id.clone(),
        }
    }

    /// Keeps the url and controller of each policy version the store has been opened
    /// with, so a receipt shows the policy an event was recorded under.
    fn remember_policy_version(&self) -> Result<()> {
        let p = &self.manifest.policy;
        let details = serde_json::json!({
            "url": p.url,
            "controller": {"name": p.controller.name, "contact": p.controller.contact},
        });
        meta::set_if_absent(
            &self.conn,
            MetaKey::PolicyVersion(&p.version),
            &details.to_string(),
            "recording the policy version",
        )
    }

    /// The url and controller recorded for a policy version (see [`Store::policy_details`]).
    pub(super) fn policy_details_inner(&self, version: &str) -> Result<Option<super::PolicyDetails>> {
        let Some(text) = meta::get(&self.conn, MetaKey::PolicyVersion(version))? else {
            return Ok(None);
        };
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let s = |x: &serde_json::Value| x.as_str().map(str::to_owned);
        Ok(Some(super::PolicyDetails {
            url: s(&v["url"]),
            controller: s(&v["controller"]["name"]).unwrap_or_default(),
            contact: s(&v["controller"]["contact"]),
        }))
    }
}
