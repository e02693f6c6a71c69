//! The fold snapshot: the folded consent state saved beside the ledger, with the event
//! it was folded through.
//!
//! The ledger is the only source of truth, and its fold grows with the user's history:
//! re-folding a year of events costs more than the rest of opening a store. So the
//! store keeps the fold it has checked in `meta`, and an app's store opens from it and
//! folds only the events after it (checking that they chain onto the snapshot's event).
//! The snapshot is a cache, never a record: it is checksummed and tied to one event's
//! hash, a snapshot that does not check out is ignored (the events are folded
//! instead), and the full chain is still re-checked after the store opens (see
//! the store's `audit.rs`). It holds the profile and choices, so erase deletes it.
//!
//! Writing or deleting it is tried once, with a short wait for the lock, and never
//! fails the open or the call it serves; this file holds those writes too.

use log::warn;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::connection;
use super::meta::{self, MetaKey};
use super::Store;
use crate::error::Result;
use crate::ledger::{from_hex, to_hex, LedgerState};

/// The snapshot's format; a snapshot in any other format is ignored. 2 since issue 13:
/// the fold gained the ledger's last time and the last change of MAJOR, which a format-1
/// snapshot does not hold, so it is read in full once and written again.
const FORMAT: u32 = 2;

/// A new snapshot is written when a store opens with at least this many events after
/// the last one (or with none). An app opens its store many times for each consent
/// change (the benchmark's simulated year: 3,650 launches, 175 events), and folding
/// costs every open while the write costs one open, so the first open after a change
/// writes it and the opens after it fold nothing. (With 16, an open folded up to 15
/// events: about 50 µs on the benchmark's machine.)
pub const REFRESH_AFTER_EVENTS: i64 = 1;

/// A checked snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The last event folded in.
    pub through_id: i64,
    /// That event's hash.
    pub through_hash: [u8; 32],
    /// Ledger rows up to and including `through_id` (what `verify` would count).
    pub rows: u64,
    /// The fold of the ledger through that event.
    pub state: LedgerState,
}

#[derive(Serialize, Deserialize)]
struct Doc {
    format: u32,
    through_id: i64,
    through_hash: String,
    rows: u64,
    state: LedgerState,
}

/// The stored text of a snapshot: the SHA-256 of the JSON in hex, a colon, the JSON.
pub fn encode(snapshot: &Snapshot) -> String {
    let doc = Doc {
        format: FORMAT,
        through_id: snapshot.through_id,
        through_hash: to_hex(&snapshot.through_hash),
        rows: snapshot.rows,
        state: snapshot.state.clone(),
    };
    // Serialising plain structs and string-keyed maps cannot fail.
    let json = serde_json::to_string(&doc).unwrap_or_default();
    format!("{}:{json}", to_hex(&checksum(json.as_bytes())))
}

/// The checksum a snapshot's text carries: SHA-256 of its JSON.
pub fn checksum(json: &[u8]) -> [u8; 32] {
    Sha256::digest(json).into()
}

/// The snapshot in `text`, or `None` when it is damaged, in another format or not a
/// snapshot at all.
pub fn decode(text: &str) -> Option<Snapshot> {
    let (sum, json) = text.split_once(':')?;
    if from_hex(sum)? != checksum(json.as_bytes()) {
        return None;
    }
    let doc: Doc = serde_json::from_str(json).ok()?;
    if doc.format != FORMAT || doc.through_id < 1 {
        return None;
    }
    Some(Snapshot {
        through_id: doc.through_id,
        through_hash: from_hex(&doc.through_hash)?,
        rows: doc.rows,
        state: doc.state,
    })
}

impl Store {
    /// A write of the fold snapshot, which is only a cache (see
    /// [`connection::write_cache`]): a failure is logged, never returned. `f` runs
    /// inside the transaction; `what` names it in the log.
    fn try_cache_write(&mut self, what: &str, f: impl FnOnce(&mut Self) -> Result<()>) -> bool {
        let done = connection::write_cache(self, f);
        if let Err(e) = &done {
            warn!("gatekeeper: {what} did not happen: {e}");
        }
        done.is_ok()
    }

    /// Writes the fold snapshot of the ledger as this store read it, unless another
    /// connection has changed the ledger or the stored snapshot since (`expected` is the
    /// snapshot text read at open): a snapshot deleted because the chain was found
    /// broken is never written back by an open that read it before.
    pub(super) fn try_write_snapshot(&mut self, expected: Option<&str>) {
        self.try_cache_write("writing the fold snapshot", |s| {
            if meta::get(&s.conn, MetaKey::LedgerHead)? == s.known_head()
                && meta::get(&s.conn, MetaKey::FoldSnapshot)?.as_deref() == expected
            {
                s.write_snapshot()?;
            }
            Ok(())
        });
    }

    /// Once the chain is known to be broken, deletes the fold snapshot (whoever wrote
    /// it), so that no later open answers from it before the chain has been checked
    /// again. Tried again at the next refresh, write, `verify` or close if it fails.
    pub(super) fn forget_snapshot_if_broken(&mut self) {
        if self.chain.first_broken.is_none() || self.snapshot_forgotten {
            return;
        }
        self.snapshot_forgotten = self.try_cache_write("deleting the fold snapshot of a broken ledger", |s| {
            meta::delete(&s.conn, MetaKey::FoldSnapshot, "deleting the fold snapshot")
        });
    }

    /// Saves the fold of the ledger as read (inside a write transaction).
    fn write_snapshot(&self) -> Result<()> {
        let text = encode(&Snapshot {
            through_id: self.last_id,
            through_hash: self.last_hash,
            rows: self.chain.events,
            state: self.ledger.clone(),
        });
        meta::set(&self.conn, MetaKey::FoldSnapshot, &text, "writing store metadata")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Event, EventKind, PermissionResult};

    fn sample() -> Snapshot {
        let mut g = Event::new(EventKind::Granted, 1_767_225_600_000);
        g.id = 2;
        g.policy_version = Some("3.1".into());
        g.purposes = vec!["analytics".into()];
        g.sdks = vec!["facebook".into()];
        g.separate = true;
        let mut p = Event::new(EventKind::PermissionResult, 1_767_225_700_000);
        p.id = 3;
        p.permission = Some("camera".into());
        p.result = Some(PermissionResult::DeniedPermanently);
        let mut a = Event::new(EventKind::PolicyAccepted, 1_767_225_500_000);
        a.id = 1;
        a.policy_version = Some("3.1".into());
        let mut state = LedgerState::fold([&a, &g, &p]);
        state.profile.country = Some("CN".into());
        state.profile.age = Some(17);
        Snapshot { through_id: 3, through_hash: [7; 32], rows: 3, state }
    }

    #[test]
    fn a_snapshot_reads_back_as_written() {
        let s = sample();
        assert_eq!(decode(&encode(&s)), Some(s));
    }

    #[test]
    fn a_damaged_snapshot_is_ignored() {
        let text = encode(&sample());
        // Any one character changed in the JSON (a digit of a timestamp, say) fails the
        // checksum; so does a changed checksum.
        let at = text.find("1767225600000").unwrap() + 3;
        let mut edited = text.clone();
        edited.replace_range(at..at + 1, "9");
        assert_eq!(decode(&edited), None);
        let mut bad_sum = text.clone();
        bad_sum.replace_range(0..1, if text.starts_with('0') { "1" } else { "0" });
        assert_eq!(decode(&bad_sum), None);
        assert_eq!(decode(""), None);
        assert_eq!(decode("not a snapshot"), None);
        assert!(decode(&text).is_some());
    }

    #[test]
    fn another_format_is_ignored() {
        // Format 1, written before issue 13, lacks fields of the fold: it is ignored.
        let current = encode(&sample());
        let text = current.replacen("\"format\":2", "\"format\":1", 1);
        assert_ne!(text, current);
        let json = text.split_once(':').unwrap().1;
        let resummed = format!("{}:{json}", to_hex(&Sha256::digest(json.as_bytes())));
        assert_eq!(decode(&resummed), None);
    }
}
