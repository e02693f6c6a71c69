//! The hash chain (contract §3): each event stores SHA-256(previous hash || its
//! canonical text), so any edit, deletion, insertion or reordering of stored events is
//! caught and the first broken event named. The chain is recomputed one row at a time,
//! as SQLite steps, when a store opens (without re-serialising each body) and in full by
//! `verify` (holding each body to its canonical text too).

use sha2::{Digest, Sha256};

use super::Event;

/// The hash that starts every chain (and restarts it after an erase).
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// SHA-256(previous hash || canonical content), as lower-case hex.
pub fn chain_hash(prev: &[u8; 32], canonical: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical.as_bytes());
    h.finalize().into()
}

/// Lower-case hex. Called for every event when a store opens, so it formats nothing.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// The 32 bytes of 64 hex digits, if `s` is that.
pub fn from_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (i, pair) in s.as_bytes().chunks_exact(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

/// One stored ledger row, as read back from the store.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// The row's id.
    pub id: i64,
    /// Its time column.
    pub ts: i64,
    /// Its kind column.
    pub kind: String,
    /// The canonical text of the event, as stored.
    pub body: String,
    /// The chain hash it records, in hex.
    pub hash: String,
}

impl StoredEvent {
    /// The row, borrowed.
    pub fn borrowed(&self) -> RowRef<'_> {
        RowRef { id: self.id, ts: self.ts, kind: &self.kind, body: &self.body, hash: &self.hash }
    }
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows checked.
    pub events: u64,
    /// The id of the first event whose stored content or hash does not match.
    pub first_broken: Option<i64>,
}

/// Recomputes the hash chain over stored rows (in id order) and names the first event
/// that does not match: its body is not the canonical text of a valid event, its
/// columns disagree with its body, or its hash is not SHA-256(previous || body).
/// This is the audit (`verify`).
pub fn verify_chain(rows: &[StoredEvent]) -> ChainReport {
    ChainWalk::audit(rows).report()
}

/// The chain check done when a store opens, over all `rows`; see [`ChainWalk::opening`].
pub fn check_chain(rows: &[StoredEvent]) -> (ChainReport, Vec<Event>) {
    let mut walk = ChainWalk::opening();
    rows.iter().for_each(|row| walk.push(&row.borrowed()));
    (walk.report(), walk.events)
}

/// One stored ledger row, borrowed from wherever it was read.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    /// The row's id.
    pub id: i64,
    /// Its time column.
    pub ts: i64,
    /// Its kind column.
    pub kind: &'a str,
    /// The canonical text of the event.
    pub body: &'a str,
    /// The chain hash it records, in hex.
    pub hash: &'a str,
}

/// The hash chain recomputed one row at a time (in id order), so a store reads its
/// rows straight from SQLite without copying them.
#[derive(Debug)]
pub struct ChainWalk {
    prev: [u8; 32],
    canonical: bool,
    rows: u64,
    first_id: Option<i64>,
    last_id: Option<i64>,
    /// The hash the last row records, whether or not it is intact.
    last_recorded: Option<[u8; 32]>,
    first_broken: Option<i64>,
    /// The events of the intact prefix, parsed once.
    pub events: Vec<Event>,
}

impl ChainWalk {
    fn new(canonical: bool) -> Self {
        ChainWalk {
            prev: GENESIS_HASH,
            canonical,
            rows: 0,
            first_id: None,
            last_id: None,
            last_recorded: None,
            first_broken: None,
            events: Vec::new(),
        }
    }

    /// The check done when a store opens: every hash recomputed over the stored body
    /// and compared, every body parsed and held to its row's columns, as in
    /// [`verify_chain`], but the body is not re-serialised to check it is canonical.
    /// The hash covers the stored bytes, so an edited body breaks the chain either way;
    /// a non-canonical body with a matching hash can only come from someone
    /// recomputing the chain, which no unkeyed check catches, and it still parses to
    /// the event it hashed. The events of the intact prefix are kept, so they are
    /// folded without reading their JSON a second time.
    pub fn opening() -> Self {
        ChainWalk::new(false)
    }

    /// The opening check continued from an event already checked (`id`, whose hash is
    /// `hash`): the rows pushed next must chain onto it. Counts only the rows pushed.
    pub fn resume(id: i64, hash: [u8; 32]) -> Self {
        ChainWalk {
            prev: hash,
            first_id: Some(id),
            last_id: Some(id),
            last_recorded: Some(hash),
            ..ChainWalk::new(false)
        }
    }

    /// Whether every row pushed so far was intact.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }

    /// The full check of [`verify_chain`] over `rows`.
    pub fn audit(rows: &[StoredEvent]) -> Self {
        let mut walk = ChainWalk::new(true);
        rows.iter().for_each(|row| walk.push(&row.borrowed()));
        walk
    }

    /// Checks the next row (rows after the first broken one are only counted).
    pub fn push(&mut self, row: &RowRef<'_>) {
        self.rows += 1;
        self.first_id.get_or_insert(row.id);
        self.last_id = Some(row.id);
        let intact = self.first_broken.is_none().then(|| check_row(row, &self.prev, self.canonical)).flatten();
        match intact {
            Some((h, e)) => {
                self.prev = h;
                self.last_recorded = Some(h);
                self.events.push(e);
            }
            None => {
                self.first_broken.get_or_insert(row.id);
                self.last_recorded = from_hex(row.hash);
            }
        }
    }

    /// The rows seen and the first broken one.
    pub fn report(&self) -> ChainReport {
        ChainReport { events: self.rows, first_broken: self.first_broken }
    }

    /// The first and last row ids seen.
    pub fn ends(&self) -> Option<(i64, i64)> {
        self.first_id.zip(self.last_id)
    }

    /// The hash of the last intact event (the genesis hash before any).
    pub fn last_hash(&self) -> [u8; 32] {
        self.prev
    }

    /// The hash the last row records, intact or not (the genesis hash when there are
    /// no rows or it is not hex): what the next event would chain onto.
    pub fn last_recorded_hash(&self) -> [u8; 32] {
        self.last_recorded.unwrap_or(GENESIS_HASH)
    }
}

/// One row chained onto `prev`: its hash and event when it is intact.
fn check_row(row: &RowRef<'_>, prev: &[u8; 32], canonical: bool) -> Option<([u8; 32], Event)> {
    let e = serde_json::from_str::<Event>(row.body).ok()?;
    if e.id != row.id || e.ts != row.ts || e.kind.as_str() != row.kind {
        return None;
    }
    if canonical && e.canonical() != row.body {
        return None;
    }
    let h = chain_hash(prev, row.body);
    hex_matches(&h, row.hash).then_some((h, e))
}

/// Whether `hex` is the lower-case hex of `bytes` (as [`to_hex`] writes it), with
/// nothing allocated.
fn hex_matches(bytes: &[u8; 32], hex: &str) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let hex = hex.as_bytes();
    hex.len() == 64
        && bytes
            .iter()
            .zip(hex.chunks_exact(2))
            .all(|(b, pair)| pair[0] == DIGITS[usize::from(b >> 4)] && pair[1] == DIGITS[usize::from(b & 0x0f)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::{grant, stored};

    #[test]
    fn verify_names_the_first_rewritten_event() {
        let events = vec![grant(1, 10, &["a"]), grant(2, 20, &["b"]), grant(3, 30, &["c"])];
        let mut rows = stored(&events);
        assert_eq!(verify_chain(&rows), ChainReport { events: 3, first_broken: None });
        rows[1].body = rows[1].body.replace("\"b\"", "\"x\"");
        assert_eq!(verify_chain(&rows).first_broken, Some(2));
    }

    #[test]
    fn verify_catches_a_deleted_event_and_a_changed_column() {
        let events = vec![grant(1, 10, &["a"]), grant(2, 20, &["b"]), grant(3, 30, &["c"])];
        let mut rows = stored(&events);
        rows.remove(1);
        assert_eq!(verify_chain(&rows).first_broken, Some(3));
        let mut rows = stored(&events);
        rows[0].kind = "denied".into();
        assert_eq!(verify_chain(&rows).first_broken, Some(1));
    }

    #[test]
    fn hex_round_trips() {
        let h = chain_hash(&GENESIS_HASH, "x");
        assert_eq!(from_hex(&to_hex(&h)), Some(h));
        assert_eq!(from_hex("zz"), None);
        assert!(hex_matches(&h, &to_hex(&h)));
        assert!(!hex_matches(&h, &to_hex(&h).to_uppercase()));
        assert!(!hex_matches(&h, &to_hex(&h)[..62]));
    }

    #[test]
    fn only_the_audit_holds_bodies_to_their_canonical_text() {
        let mut rows = stored(&[grant(1, 10, &["a"]), grant(2, 20, &["b"])]);
        // Re-spaced and re-hashed: the same event, chained, but not canonical text.
        rows[1].body = rows[1].body.replace(',', ", ");
        rows[1].hash = to_hex(&chain_hash(&from_hex(&rows[0].hash).unwrap(), &rows[1].body));
        assert_eq!(verify_chain(&rows).first_broken, Some(2));
        let (report, events) = check_chain(&rows);
        assert_eq!(report.first_broken, None);
        assert_eq!(events[1], grant(2, 20, &["b"]));
        // An edit without a new hash breaks both.
        rows[1].body = rows[1].body.replace("\"b\"", "\"x\"");
        assert_eq!(check_chain(&rows).0.first_broken, Some(2));
    }
}
