//! The consent ledger: an append-only, hash-chained list of what the user did
//! (contract §3), and the fold of those events into the current consent state.
//!
//! Events are the only source of truth. The state the decision engine reads is always
//! derived by folding them in order, so a regulator can replay exactly how a decision
//! came about, and tampering with any stored event is caught by [`verify_chain`].

use crate::id_map::IdMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// What happened. The names are the contract's event names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    PolicyAccepted,
    Granted,
    Denied,
    Withdrawn,
    PermissionResult,
    ProfileSet,
    Erased,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::PolicyAccepted => "policy_accepted",
            EventKind::Granted => "granted",
            EventKind::Denied => "denied",
            EventKind::Withdrawn => "withdrawn",
            EventKind::PermissionResult => "permission_result",
            EventKind::ProfileSet => "profile_set",
            EventKind::Erased => "erased",
        }
    }
}

/// What the operating system answered to a permission prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum PermissionResult {
    Granted,
    Denied,
    DeniedPermanently,
}

impl PermissionResult {
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionResult::Granted => "granted",
            PermissionResult::Denied => "denied",
            PermissionResult::DeniedPermanently => "denied_permanently",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "granted" => Some(PermissionResult::Granted),
            "denied" => Some(PermissionResult::Denied),
            "denied_permanently" => Some(PermissionResult::DeniedPermanently),
            _ => None,
        }
    }
}

/// One ledger event. The serialised form (keys sorted, see [`canonical_json`]) is what
/// the hash chain covers and what is stored, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: i64,
    /// UTC milliseconds.
    pub ts: i64,
    pub kind: EventKind,
    /// The policy version in force when the event was recorded (absent on `erased`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_version: Option<String>,
    /// The jurisdiction the user was in when the event was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Where in the app this happened (first_run_dialog, settings, just_in_time, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdks: Vec<String>,
    /// Given in a prompt dedicated to that item.
    #[serde(default, skip_serializing_if = "is_false")]
    pub separate: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub by_guardian: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<PermissionResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Event {
    /// A bare event of `kind`; callers fill in what the kind needs.
    pub fn new(kind: EventKind, ts: i64) -> Self {
        Event {
            id: 0,
            ts,
            kind,
            policy_version: None,
            jurisdiction: None,
            source: None,
            purposes: Vec::new(),
            sdks: Vec::new(),
            separate: false,
            by_guardian: false,
            permission: None,
            result: None,
            country: None,
            age: None,
        }
    }

    /// Whether this kind of event is meant to take away something that was allowed: a
    /// refusal, a withdrawal, an OS denial (which starts the re-prompt pacing), a profile
    /// change (which can move the user under a stricter law or make them a child) or an
    /// erase. Losing such an event would let an older, wider state allow again, so the
    /// store copies it out of the WAL at once (see `Store::append`, which does the same
    /// for any other event whose recording turned an allow into something else).
    pub fn may_narrow(&self) -> bool {
        match self.kind {
            EventKind::PolicyAccepted | EventKind::Granted => false,
            EventKind::PermissionResult => self.result != Some(PermissionResult::Granted),
            EventKind::Denied | EventKind::Withdrawn | EventKind::ProfileSet | EventKind::Erased => true,
        }
    }

    /// The canonical text of this event: JSON with keys sorted, no spaces.
    pub fn canonical(&self) -> String {
        // Written field by field, in sorted key order, into one buffer: every event is
        // rebuilt this way when a store opens (to check its stored text is canonical), and
        // going through a `serde_json::Value` cost more than parsing it. The test
        // `canonical_text_is_the_sorted_json_of_the_event` holds it to `canonical_json`.
        let mut out = Vec::with_capacity(256);
        let mut w = FieldWriter { out: &mut out, first: true };
        if let Some(age) = self.age {
            w.field("age", &age);
        }
        if self.by_guardian {
            w.field("by_guardian", &true);
        }
        w.optional("country", &self.country);
        w.field("id", &self.id);
        w.optional("jurisdiction", &self.jurisdiction);
        w.field("kind", &self.kind);
        w.optional("permission", &self.permission);
        w.optional("policy_version", &self.policy_version);
        if !self.purposes.is_empty() {
            w.field("purposes", &self.purposes);
        }
        w.optional("result", &self.result);
        if !self.sdks.is_empty() {
            w.field("sdks", &self.sdks);
        }
        if self.separate {
            w.field("separate", &true);
        }
        w.optional("source", &self.source);
        w.field("ts", &self.ts);
        out.push(b'}');
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Writes `"key":value` pairs of one JSON object, compact, in the order given.
struct FieldWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl FieldWriter<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.out.push(if self.first { b'{' } else { b',' });
        self.first = false;
        write_scalar(key, self.out);
        self.out.push(b':');
        // Strings, numbers, bools and lists of strings: compact, as `canonical_json` writes them.
        write_scalar(value, self.out);
    }

    fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.field(key, v);
        }
    }
}

/// JSON text with object keys sorted at every level and no insignificant white space,
/// so the same content always hashes to the same bytes.
pub fn canonical_json(v: &Value) -> String {
    let mut out = Vec::with_capacity(256);
    write_canonical(v, &mut out);
    // serde_json writes UTF-8 only, and so does everything else here.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Every event's text is rebuilt when a store opens (to check it is canonical), so this
/// writes straight into one buffer: no text per key or value.
fn write_canonical(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_scalar(k.as_str(), out);
                out.push(b':');
                write_canonical(&map[*k], out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        other => write_scalar(other, out),
    }
}

/// Compact JSON of a string, number, bool or null, exactly as `Value`'s `Display` writes it.
fn write_scalar<T: Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    // Writing a scalar into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
}

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
    pub id: i64,
    pub ts: i64,
    pub kind: String,
    pub body: String,
    pub hash: String,
}

impl StoredEvent {
    pub fn borrowed(&self) -> RowRef<'_> {
        RowRef { id: self.id, ts: self.ts, kind: &self.kind, body: &self.body, hash: &self.hash }
    }
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainReport {
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
    pub id: i64,
    pub ts: i64,
    pub kind: &'a str,
    pub body: &'a str,
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

/// The user's last choice about one purpose or SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceKind {
    Granted,
    Denied,
    Withdrawn,
}

impl ChoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceKind::Granted => "granted",
            ChoiceKind::Denied => "denied",
            ChoiceKind::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub kind: ChoiceKind,
    pub at: i64,
    pub separate: bool,
    pub by_guardian: bool,
    /// The policy version the choice was made under.
    pub policy_version: String,
    pub event_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptance {
    pub version: String,
    pub at: i64,
    pub by_guardian: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PermissionHistory {
    pub last: Option<PermissionResult>,
    pub last_at: Option<i64>,
    /// Set by `denied_permanently`, cleared only by a later `granted`.
    pub permanently_denied: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Profile {
    pub country: Option<String>,
    pub age: Option<u32>,
}

/// The fold of the ledger: the last word on every item. Whether a choice still counts
/// (made under the current policy MAJOR, unexpired, …) is the decision engine's call;
/// the fold only remembers what happened and when.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LedgerState {
    pub acceptance: Option<Acceptance>,
    pub profile: Profile,
    pub purposes: IdMap<Choice>,
    pub sdks: IdMap<Choice>,
    pub permissions: IdMap<PermissionHistory>,
    pub erased_at: Option<i64>,
    pub events: u64,
}

impl LedgerState {
    /// Folds one event into the state.
    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        let version = e.policy_version.clone().unwrap_or_default();
        match e.kind {
            EventKind::PolicyAccepted => {
                self.acceptance = Some(Acceptance { version, at: e.ts, by_guardian: e.by_guardian });
            }
            EventKind::Granted | EventKind::Denied | EventKind::Withdrawn => {
                let kind = match e.kind {
                    EventKind::Granted => ChoiceKind::Granted,
                    EventKind::Denied => ChoiceKind::Denied,
                    _ => ChoiceKind::Withdrawn,
                };
                let choice = Choice {
                    kind,
                    at: e.ts,
                    separate: e.separate,
                    by_guardian: e.by_guardian,
                    policy_version: version,
                    event_id: e.id,
                };
                for p in &e.purposes {
                    self.purposes.insert(p.clone(), choice.clone());
                }
                for s in &e.sdks {
                    self.sdks.insert(s.clone(), choice.clone());
                }
            }
            EventKind::PermissionResult => {
                if let (Some(p), Some(r)) = (&e.permission, e.result) {
                    let h = self.permissions.entry(p.clone()).or_default();
                    h.last = Some(r);
                    h.last_at = Some(e.ts);
                    match r {
                        PermissionResult::Granted => h.permanently_denied = false,
                        PermissionResult::DeniedPermanently => h.permanently_denied = true,
                        PermissionResult::Denied => {}
                    }
                }
            }
            EventKind::ProfileSet => {
                self.profile = Profile { country: e.country.clone(), age: e.age };
            }
            EventKind::Erased => {
                *self = LedgerState { erased_at: Some(e.ts), events: 1, ..Default::default() };
            }
        }
    }

    /// Folds a whole ledger.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut s = LedgerState::default();
        for e in events {
            s.apply(e);
        }
        s
    }
}

/// The MAJOR part of a "MAJOR.MINOR" version, if it has one.
pub fn major_of(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// The MINOR part of a "MAJOR.MINOR" version, if it has one.
pub fn minor_of(version: &str) -> Option<u32> {
    version.split('.').nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_is_the_sorted_json_of_the_event() {
        let mut every = Event::new(EventKind::Granted, 1_767_225_600_123);
        every.id = 42;
        every.policy_version = Some("3.1".into());
        every.jurisdiction = Some("CN \"quoted\" \\ é ✓ \u{1}".into());
        every.source = Some("first_run_dialog".into());
        every.purposes = vec!["analytics".into(), "face_recognition".into()];
        every.sdks = vec!["facebook".into()];
        every.separate = true;
        every.by_guardian = true;
        every.permission = Some("camera".into());
        every.result = Some(PermissionResult::DeniedPermanently);
        every.country = Some("CN".into());
        every.age = Some(13);
        let mut profile = Event::new(EventKind::ProfileSet, -5);
        profile.age = Some(0);
        let events =
            [every, Event::new(EventKind::Erased, 0), profile, Event::new(EventKind::PermissionResult, i64::MAX)];
        for e in events {
            let reference = canonical_json(&serde_json::to_value(&e).unwrap());
            assert_eq!(e.canonical(), reference);
            assert_eq!(serde_json::from_str::<Event>(&e.canonical()).unwrap(), e);
        }
    }

    fn grant(id: i64, ts: i64, purposes: &[&str]) -> Event {
        let mut e = Event::new(EventKind::Granted, ts);
        e.id = id;
        e.policy_version = Some("3.1".into());
        e.purposes = purposes.iter().map(|s| s.to_string()).collect();
        e
    }

    fn stored(events: &[Event]) -> Vec<StoredEvent> {
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

    #[test]
    fn canonical_json_sorts_keys_and_round_trips() {
        let e = grant(7, 1000, &["analytics"]);
        let c = e.canonical();
        assert_eq!(c, r#"{"id":7,"kind":"granted","policy_version":"3.1","purposes":["analytics"],"ts":1000}"#);
        let back: Event = serde_json::from_str(&c).unwrap();
        assert_eq!(back, e);
    }

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

    #[test]
    fn fold_keeps_the_last_choice_and_erase_forgets_everything() {
        let mut withdraw = grant(2, 20, &["analytics"]);
        withdraw.kind = EventKind::Withdrawn;
        let mut profile = Event::new(EventKind::ProfileSet, 5);
        profile.country = Some("CN".into());
        profile.age = Some(30);
        let s = LedgerState::fold(&[profile.clone(), grant(1, 10, &["analytics"]), withdraw]);
        assert_eq!(s.purposes["analytics"].kind, ChoiceKind::Withdrawn);
        assert_eq!(s.profile.country.as_deref(), Some("CN"));
        let mut s2 = s.clone();
        s2.apply(&Event::new(EventKind::Erased, 99));
        assert!(s2.purposes.is_empty());
        assert_eq!(s2.profile, Profile::default());
        assert_eq!(s2.erased_at, Some(99));
    }

    #[test]
    fn permanent_denial_lasts_until_a_later_grant() {
        let mut s = LedgerState::default();
        let mut e = Event::new(EventKind::PermissionResult, 1);
        e.permission = Some("camera".into());
        e.result = Some(PermissionResult::DeniedPermanently);
        s.apply(&e);
        e.result = Some(PermissionResult::Denied);
        s.apply(&e);
        assert!(s.permissions["camera"].permanently_denied);
        e.result = Some(PermissionResult::Granted);
        s.apply(&e);
        assert!(!s.permissions["camera"].permanently_denied);
    }

    #[test]
    fn versions_split_into_major_and_minor() {
        assert_eq!(major_of("3.1"), Some(3));
        assert_eq!(minor_of("3.1"), Some(1));
        assert_eq!(major_of("x"), None);
    }
}
