//! One ledger event (contract §3) and its canonical text: JSON with keys sorted and no
//! spaces, which is what is stored, byte for byte, and what the hash chain covers.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What happened. The names are the contract's event names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The user (or a guardian) accepted the policy.
    PolicyAccepted,
    /// A grant for purposes and/or SDKs.
    Granted,
    /// A refusal for purposes and/or SDKs.
    Denied,
    /// A withdrawal of an earlier grant.
    Withdrawn,
    /// What the OS answered to a permission prompt.
    PermissionResult,
    /// The user's country and age.
    ProfileSet,
    /// Everything about the user was erased; the marker that is left.
    Erased,
    /// The user declined the policy and keeps the basic service (§9.1).
    PolicyDeclined,
    /// The app or its adapter actually started or stopped an SDK (§9.3).
    SdkState,
}

impl EventKind {
    /// The contract's name for the event.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::PolicyAccepted => "policy_accepted",
            EventKind::Granted => "granted",
            EventKind::Denied => "denied",
            EventKind::Withdrawn => "withdrawn",
            EventKind::PermissionResult => "permission_result",
            EventKind::ProfileSet => "profile_set",
            EventKind::Erased => "erased",
            EventKind::PolicyDeclined => "policy_declined",
            EventKind::SdkState => "sdk_state",
        }
    }
}

/// What the operating system answered to a permission prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum PermissionResult {
    /// The user allowed it.
    Granted,
    /// The user refused, this time.
    Denied,
    /// The user refused and asked not to be asked again.
    DeniedPermanently,
}

impl PermissionResult {
    /// The contract's name for the answer.
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionResult::Granted => "granted",
            PermissionResult::Denied => "denied",
            PermissionResult::DeniedPermanently => "denied_permanently",
        }
    }

    /// The answer with this name, if it is one.
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
    /// Its place in the chain, from 1.
    pub id: i64,
    /// UTC milliseconds.
    pub ts: i64,
    /// What happened.
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
    /// The purposes a choice is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    /// The SDKs a choice is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdks: Vec<String>,
    /// Given in a prompt dedicated to that item.
    #[serde(default, skip_serializing_if = "is_false")]
    pub separate: bool,
    /// Given by the user's guardian.
    #[serde(default, skip_serializing_if = "is_false")]
    pub by_guardian: bool,
    /// The permission a `permission_result` is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// What the OS answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<PermissionResult>,
    /// The country a `profile_set` records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The age a `profile_set` records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// The SDK an `sdk_state` is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk: Option<String>,
    /// Whether an `sdk_state` records a start (true) or a stop (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<bool>,
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
            sdk: None,
            running: None,
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
            EventKind::PolicyAccepted | EventKind::Granted | EventKind::SdkState => false,
            EventKind::PermissionResult => self.result != Some(PermissionResult::Granted),
            EventKind::Denied
            | EventKind::Withdrawn
            | EventKind::ProfileSet
            | EventKind::Erased
            | EventKind::PolicyDeclined => true,
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
        w.optional("running", &self.running);
        w.optional("sdk", &self.sdk);
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
            crate::sort::sort_by(&mut keys, |a, b| a.cmp(b));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::grant;

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
        let mut started = Event::new(EventKind::SdkState, 5);
        started.sdk = Some("facebook".into());
        started.running = Some(false);
        let mut profile = Event::new(EventKind::ProfileSet, -5);
        profile.age = Some(0);
        let events = [
            every,
            Event::new(EventKind::Erased, 0),
            profile,
            Event::new(EventKind::PermissionResult, i64::MAX),
            started,
        ];
        for e in events {
            let reference = canonical_json(&serde_json::to_value(&e).unwrap());
            assert_eq!(e.canonical(), reference);
            assert_eq!(serde_json::from_str::<Event>(&e.canonical()).unwrap(), e);
        }
    }

    #[test]
    fn canonical_json_sorts_keys_and_round_trips() {
        let e = grant(7, 1000, &["analytics"]);
        let c = e.canonical();
        assert_eq!(c, r#"{"id":7,"kind":"granted","policy_version":"3.1","purposes":["analytics"],"ts":1000}"#);
        let back: Event = serde_json::from_str(&c).unwrap();
        assert_eq!(back, e);
    }
}
