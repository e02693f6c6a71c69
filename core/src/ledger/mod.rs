//! The consent ledger: an append-only, hash-chained list of what the user did
//! (contract §3), and the fold of those events into the current consent state.
//!
//! Events are the only source of truth. The state the decision engine reads is always
//! derived by folding them in order, so a regulator can replay exactly how a decision
//! came about, and tampering with any stored event is caught by [`verify_chain`].
//!
//! - `event.rs`: the events and their canonical text (part two's new kinds, such as
//!   `policy_declined` and `sdk_state`, are added there, and folded in `state.rs`);
//! - `chain.rs`: the hash chain and its check;
//! - `state.rs`: the fold.

mod chain;
mod event;
mod state;

pub use chain::{
    chain_hash, check_chain, from_hex, to_hex, verify_chain, ChainReport, ChainWalk, RowRef, StoredEvent, GENESIS_HASH,
};
pub use event::{canonical_json, Event, EventKind, PermissionResult};
pub use state::{major_of, minor_of, Acceptance, Choice, ChoiceKind, Decline, LedgerState, PermissionHistory, Profile};

/// Events and stored rows for the tests of this module's files.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub(crate) fn grant(id: i64, ts: i64, purposes: &[&str]) -> Event {
        let mut e = Event::new(EventKind::Granted, ts);
        e.id = id;
        e.policy_version = Some("3.1".into());
        e.purposes = purposes.iter().map(|s| s.to_string()).collect();
        e
    }

    pub(crate) fn stored(events: &[Event]) -> Vec<StoredEvent> {
        let mut prev = GENESIS_HASH;
        events
            .iter()
            .map(|e| {
                let body = e.canonical();
                let h = chain_hash(&prev, &body);
                prev = h;
                StoredEvent { id: e.id, ts: e.ts, kind: e.kind.as_str().into(), body, hash: to_hex(&h) }
            })
            .collect()
    }
}
