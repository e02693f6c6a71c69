//! The policy manifest: the app's privacy policy in machine-readable form (contract §2).
//!
//! A manifest is validated in one pass that collects **every** problem, each with the
//! JSON-pointer path where it was found, so an app team fixes their manifest in one
//! round trip instead of one error at a time. Parsing walks a small tree built with
//! serde_json that keeps keys in document order (and notices repeated keys), rather
//! than `#[derive(Deserialize)]`, because serde stops at the first error and cannot
//! report unknown fields together with missing ones.

use serde::Serialize;

/// The schema number this build understands (`"schema": 1`).
pub const SCHEMA_VERSION: u64 = 1;

/// The embedded example manifest (the Phocol-style printer/shopping app), also shipped
/// as `core/policy/example-manifest.json` for app teams to copy.
pub const EXAMPLE_MANIFEST: &str = include_str!("../policy/example-manifest.json");

/// A validated manifest. Every reference inside it has been checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    pub schema: u64,
    pub policy: PolicyInfo,
    pub settings: Settings,
    pub default_jurisdiction: String,
    pub jurisdictions: Vec<Jurisdiction>,
    pub purposes: Vec<Purpose>,
    pub permissions: Vec<Permission>,
    pub sdks: Vec<Sdk>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyInfo {
    pub id: String,
    /// "MAJOR.MINOR" exactly as written.
    pub version: String,
    pub major: u32,
    pub minor: u32,
    /// YYYY-MM-DD exactly as written.
    pub effective: String,
    pub controller: Controller,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Controller {
    pub name: String,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Default 395.
    pub consent_ttl_days: u32,
    /// Default 180.
    pub reask_after_denial_days: u32,
    /// Default 48.
    pub reprompt_after_denial_hours: u32,
    /// Default Adult.
    pub unknown_age: UnknownAge,
    /// Default 400.
    pub decision_log_retention_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            consent_ttl_days: 395,
            reask_after_denial_days: 180,
            reprompt_after_denial_hours: 48,
            unknown_age: UnknownAge::Adult,
            decision_log_retention_days: 400,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum UnknownAge {
    Adult,
    Child,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Law {
    Pipl,
    Gdpr,
    OptOut,
}

impl Law {
    pub fn as_str(self) -> &'static str {
        match self {
            Law::Pipl => "pipl",
            Law::Gdpr => "gdpr",
            Law::OptOut => "opt_out",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jurisdiction {
    /// Any non-empty string.
    pub id: String,
    pub law: Law,
    /// 0..=21.
    pub age_of_consent: u32,
    /// ISO 3166-1 alpha-2, upper case.
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Consent,
    Contract,
    LegalObligation,
    LegitimateInterest,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Consent => "consent",
            Basis::Contract => "contract",
            Basis::LegalObligation => "legal_obligation",
            Basis::LegitimateInterest => "legitimate_interest",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Purpose {
    pub id: String,
    pub title: String,
    pub basis: Basis,
    /// Default false.
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Permission {
    pub id: String,
    pub title: String,
    /// Android manifest permission names. Default empty.
    pub android: Vec<String>,
    /// iOS Info.plist usage-description keys. Default empty.
    pub ios: Vec<String>,
    /// Declared purpose ids, non-empty.
    pub purposes: Vec<String>,
    /// Default true.
    pub user_initiated: bool,
    /// Default false.
    pub allow_at_launch: bool,
    /// Per-permission override of `settings.reprompt_after_denial_hours`.
    pub reprompt_after_denial_hours: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Processes on the app's behalf (default).
    Entrusted,
    /// A third party acting on its own account.
    Independent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sdk {
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// ISO 3166-1 alpha-2, upper case. None when the manifest does not say.
    pub vendor_country: Option<String>,
    /// Default Entrusted.
    pub role: Role,
    /// Declared purpose ids, non-empty.
    pub purposes: Vec<String>,
    /// Free-form data categories (e.g. "device_id"). Default empty.
    pub data: Vec<String>,
    /// Declared permission ids. Default empty.
    pub permissions: Vec<String>,
    /// Default ["android", "ios"].
    pub platforms: Vec<String>,
}

/// One problem found in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestIssue {
    /// JSON pointer (RFC 6901), e.g. `/sdks/3/purposes/1`; `""` for the whole document.
    pub path: String,
    /// What is wrong, in plain words. Never contains personal data.
    pub message: String,
}

impl Manifest {
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }
    pub fn permission(&self, id: &str) -> Option<&Permission> {
        self.permissions.iter().find(|p| p.id == id)
    }
    pub fn sdk(&self, id: &str) -> Option<&Sdk> {
        self.sdks.iter().find(|s| s.id == id)
    }
    pub fn jurisdiction(&self, id: &str) -> Option<&Jurisdiction> {
        self.jurisdictions.iter().find(|j| j.id == id)
    }
    /// The jurisdiction for a user's country: the one listing it, else the default.
    pub fn jurisdiction_for(&self, country: Option<&str>) -> &Jurisdiction {
        country
            .and_then(|c| self.jurisdictions.iter().find(|j| j.countries.iter().any(|x| x == c)))
            .or_else(|| self.jurisdiction(&self.default_jurisdiction))
            .unwrap_or(&self.jurisdictions[0])
    }
}

// --- parsing and validation: written below ---

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasherDefault;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::country;
use crate::id_map::IdHasher;

/// A set of ids or keys from the manifest, hashed as [`crate::id_map`] explains.
type IdSet<'a> = HashSet<&'a str, BuildHasherDefault<IdHasher>>;
use crate::time::parse_date;

/// Parses a policy manifest (contract §2) and validates it. A leading byte-order mark
/// is ignored.
///
/// # Errors
///
/// **Every** problem found, in document order, each with the JSON pointer of the value
/// it concerns (a missing field is reported at the object that lacks it). Text that is
/// not JSON gives one issue at `""` naming the line and column.
pub fn parse(json: &str) -> Result<Manifest, Vec<ManifestIssue>> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let root: Json = serde_json::from_str(json).map_err(|e| vec![syntax_issue(&e)])?;
    // Most manifests are valid, and working out the JSON pointer of every id, country
    // and reference (in case a cross-check fails) is a third of the parse. So a first
    // pass skips them; only a manifest with problems is checked again with them, and
    // what it reports is that second pass's, the same as a single full pass.
    let mut quick = Checker { skip_places: true, ..Checker::default() };
    let manifest = quick.manifest(&root);
    quick.cross_check();
    if let Ok(m) = quick.finish(manifest) {
        return Ok(m);
    }
    let mut checker = Checker::default();
    let manifest = checker.manifest(&root);
    checker.cross_check();
    checker.finish(manifest)
}

/// The most characters of manifest text a message quotes back.
const MAX_QUOTE_CHARS: usize = 64;
/// The highest `age_of_consent` a jurisdiction may set.
const MAX_AGE_OF_CONSENT: u64 = 21;
/// Platforms an SDK runs on when the manifest does not say.
const DEFAULT_PLATFORMS: [&str; 2] = ["android", "ios"];

const TOP_FIELDS: &[&str] =
    &["schema", "policy", "settings", "default_jurisdiction", "jurisdictions", "purposes", "permissions", "sdks"];
const POLICY_FIELDS: &[&str] = &["id", "version", "effective", "controller", "url"];
const CONTROLLER_FIELDS: &[&str] = &["name", "contact"];
const SETTINGS_FIELDS: &[&str] = &[
    "consent_ttl_days",
    "reask_after_denial_days",
    "reprompt_after_denial_hours",
    "unknown_age",
    "decision_log_retention_days",
];
const JURISDICTION_FIELDS: &[&str] = &["id", "law", "age_of_consent", "countries"];
const PURPOSE_FIELDS: &[&str] = &["id", "title", "basis", "sensitive"];
const PERMISSION_FIELDS: &[&str] =
    &["id", "title", "android", "ios", "purposes", "user_initiated", "allow_at_launch", "reprompt_after_denial_hours"];
const SDK_FIELDS: &[&str] =
    &["id", "name", "vendor", "vendor_country", "role", "purposes", "data", "permissions", "platforms"];

const LAWS: &[(&str, Law)] = &[("pipl", Law::Pipl), ("gdpr", Law::Gdpr), ("opt_out", Law::OptOut)];
const BASES: &[(&str, Basis)] = &[
    ("consent", Basis::Consent),
    ("contract", Basis::Contract),
    ("legal_obligation", Basis::LegalObligation),
    ("legitimate_interest", Basis::LegitimateInterest),
];
const ROLES: &[(&str, Role)] = &[("entrusted", Role::Entrusted), ("independent", Role::Independent)];
const UNKNOWN_AGES: &[(&str, UnknownAge)] = &[("adult", UnknownAge::Adult), ("child", UnknownAge::Child)];

// --- JSON tree -------------------------------------------------------------------

/// A JSON document as written. Unlike `serde_json::Value`, objects keep their members
/// in document order and keep repeated keys, so issues come out in document order and
/// a key given twice is reported instead of silently keeping the last value. Strings
/// and keys without escapes borrow from the manifest's text.
#[derive(Debug)]
enum Json<'d> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'d, str>),
    Array(Vec<Json<'d>>),
    Object(Vec<(Cow<'d, str>, Json<'d>)>),
}

impl Json<'_> {
    /// What kind of value this is, for "expected …, found …" messages.
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// An object's key, borrowed from the text when it has no escapes.
struct Key<'d>(Cow<'d, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_str(JsonVisitor)? {
            Json::String(key) => Ok(Key(key)),
            other => Err(de::Error::custom(format!("expected a key, found {}", other.kind()))),
        }
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json<'de>, E> {
        serde_json::Number::from_f64(v).map(Json::Number).ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some((Key(key), value)) = map.next_entry::<Key<'de>, Json<'de>>()? {
            members.push((key, value));
        }
        Ok(Json::Object(members))
    }
}

/// The single issue for text that is not JSON: "invalid JSON at line 3, column 5: …".
fn syntax_issue(error: &serde_json::Error) -> ManifestIssue {
    let full = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let what = full.strip_suffix(&position).unwrap_or(&full);
    ManifestIssue {
        path: String::new(),
        message: format!("invalid JSON at line {}, column {}: {what}", error.line(), error.column()),
    }
}

// --- locations -------------------------------------------------------------------

/// Where a value is: the step that leads to it from its parent's location, which lives
/// in the caller's frame. Nothing is built while the manifest is read; a [`Place`]
/// (the JSON pointer and the position) is worked out only for a value that is
/// reported or remembered for the cross-checks.
#[derive(Debug, Clone, Copy)]
struct Loc<'p> {
    parent: Option<&'p Loc<'p>>,
    step: Step<'p>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'p> {
    /// The whole document.
    Root,
    /// The member `key`, the `position`-th member of its object.
    Member(&'p str, usize),
    /// The `index`-th element of an array.
    Element(usize),
    /// The absent member `key`: reported at its own path (`/purposes/2/title`),
    /// ordered after the object's other members.
    Missing(&'p str),
}

impl<'p> Loc<'p> {
    const ROOT: Loc<'static> = Loc { parent: None, step: Step::Root };

    fn member<'s>(&'s self, key: &'s str, position: usize) -> Loc<'s> {
        Loc { parent: Some(self), step: Step::Member(key, position) }
    }

    fn element(&self, index: usize) -> Loc<'_> {
        Loc { parent: Some(self), step: Step::Element(index) }
    }

    fn missing<'s>(&'s self, key: &'s str) -> Loc<'s> {
        Loc { parent: Some(self), step: Step::Missing(key) }
    }

    /// The JSON pointer and document position of this location.
    fn place(&self) -> Place {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(loc) = at {
            steps.push(loc.step);
            at = loc.parent;
        }
        let mut place = Place::default();
        for step in steps.iter().rev() {
            match *step {
                Step::Root => {}
                Step::Member(key, position) => place.push_key(key, position),
                Step::Element(index) => {
                    place.pointer.push('/');
                    place.pointer.push_str(&index.to_string());
                    place.order.push(index);
                }
                Step::Missing(key) => place.push_key(key, usize::MAX),
            }
        }
        place
    }
}

/// A location worked out: its JSON pointer, and its position in the document (the
/// index of each member or element on the way down), by which issues are sorted.
#[derive(Debug, Clone, Default)]
struct Place {
    pointer: String,
    order: Vec<usize>,
}

impl Place {
    /// Appends a member's reference token (`~` and `/` escaped, RFC 6901).
    fn push_key(&mut self, key: &str, position: usize) {
        self.pointer.push('/');
        for c in key.chars() {
            match c {
                '~' => self.pointer.push_str("~0"),
                '/' => self.pointer.push_str("~1"),
                c => self.pointer.push(c),
            }
        }
        self.order.push(position);
    }
}

/// A string from the manifest and where it was found.
#[derive(Debug, Clone)]
struct Located {
    value: String,
    place: Place,
}

impl Located {
    /// `value` found at `loc`; without working out where that is, with `skip_place`.
    fn new(value: &str, loc: &Loc, skip_place: bool) -> Self {
        Located { value: value.to_owned(), place: if skip_place { Place::default() } else { loc.place() } }
    }
}

// --- cross-reference bookkeeping ---------------------------------------------------

/// The kinds of declared ids that are checked for duplicates or referenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jurisdiction,
    Purpose,
    Permission,
    Sdk,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Jurisdiction, Kind::Purpose, Kind::Permission, Kind::Sdk];

    fn label(self) -> &'static str {
        match self {
            Kind::Jurisdiction => "jurisdiction",
            Kind::Purpose => "purpose",
            Kind::Permission => "permission",
            Kind::Sdk => "SDK",
        }
    }

    /// The top-level field that declares this kind.
    fn section(self) -> &'static str {
        match self {
            Kind::Jurisdiction => "jurisdictions",
            Kind::Purpose => "purposes",
            Kind::Permission => "permissions",
            Kind::Sdk => "sdks",
        }
    }
}

/// The ids declared for one kind.
#[derive(Debug, Default)]
struct Declared {
    ids: Vec<Located>,
    /// Every declaration's id could be read. When not, a reference that matches none
    /// of `ids` may still name the unreadable one, so it is not reported.
    complete: bool,
}

/// What the cross-checks need, gathered while the structure is read: every id that
/// could be read, even from an element that is otherwise broken.
#[derive(Debug, Default)]
struct Seen {
    jurisdictions: Declared,
    purposes: Declared,
    permissions: Declared,
    sdks: Declared,
    /// References to purposes and permissions, with what they refer to.
    references: Vec<(Kind, Located)>,
    /// Valid country codes listed by jurisdictions.
    countries: Vec<Located>,
    default_jurisdiction: Option<Located>,
}

impl Declared {
    /// The declared ids, or `None` when some declaration's id could not be read.
    fn known_ids(&self) -> Option<IdSet<'_>> {
        self.complete.then(|| self.ids.iter().map(|id| id.value.as_str()).collect())
    }
}

impl Seen {
    fn declared(&self, kind: Kind) -> &Declared {
        match kind {
            Kind::Jurisdiction => &self.jurisdictions,
            Kind::Purpose => &self.purposes,
            Kind::Permission => &self.permissions,
            Kind::Sdk => &self.sdks,
        }
    }

    fn declared_mut(&mut self, kind: Kind) -> &mut Declared {
        match kind {
            Kind::Jurisdiction => &mut self.jurisdictions,
            Kind::Purpose => &mut self.purposes,
            Kind::Permission => &mut self.permissions,
            Kind::Sdk => &mut self.sdks,
        }
    }
}

// --- the checker -------------------------------------------------------------------

/// An object's members, once its keys have been checked.
struct Members<'a, 'p> {
    loc: Loc<'p>,
    entries: &'a [(Cow<'a, str>, Json<'a>)],
}

impl<'a> Members<'a, '_> {
    /// The first member called `name`, with its location.
    fn get(&self, name: &str) -> Option<(&'a Json<'a>, Loc<'_>)> {
        let position = self.entries.iter().position(|(key, _)| key == name)?;
        let (key, value) = &self.entries[position];
        Some((value, self.loc.member(key, position)))
    }
}

/// Objects with more members than this find repeated keys with a hash set; smaller
/// ones (every object of a valid manifest) compare with the members before.
const SMALL_OBJECT: usize = 16;

/// Reads the manifest, collecting issues as it goes. Every reader that returns `None`
/// has reported why, so a manifest is built only when every part of it is valid.
#[derive(Debug, Default)]
struct Checker {
    issues: Vec<(Vec<usize>, ManifestIssue)>,
    seen: Seen,
    /// Remember ids and references without their JSON pointers (see [`parse`]).
    skip_places: bool,
}

impl Checker {
    fn report(&mut self, loc: &Loc, message: impl Into<String>) {
        self.report_at(loc.place(), message);
    }

    fn report_at(&mut self, place: Place, message: impl Into<String>) {
        let issue = ManifestIssue { path: place.pointer, message: message.into() };
        self.issues.push((place.order, issue));
    }

    fn wrong_type(&mut self, value: &Json, loc: &Loc, expected: &str) {
        self.report(loc, format!("expected {expected}, found {}", value.kind()));
    }

    /// The issues in document order (ties in the order found), or the manifest.
    fn finish(mut self, manifest: Option<Manifest>) -> Result<Manifest, Vec<ManifestIssue>> {
        self.issues.sort_by(|a, b| a.0.cmp(&b.0));
        match manifest {
            Some(manifest) if self.issues.is_empty() => Ok(manifest),
            _ if self.issues.is_empty() => {
                Err(vec![ManifestIssue { path: String::new(), message: "the manifest could not be read".to_owned() }])
            }
            _ => Err(self.issues.into_iter().map(|(_, issue)| issue).collect()),
        }
    }

    // --- generic readers ---

    /// An object whose keys are all in `allowed` and none repeated (each offender is
    /// reported; the object is still read).
    fn object<'a, 'p>(&mut self, value: &'a Json<'a>, loc: &Loc<'p>, allowed: &[&str]) -> Option<Members<'a, 'p>> {
        let Json::Object(entries) = value else {
            self.wrong_type(value, loc, "an object");
            return None;
        };
        let mut keys = IdSet::default();
        for (position, (key, _)) in entries.iter().enumerate() {
            let repeated = if entries.len() <= SMALL_OBJECT {
                entries[..position].iter().any(|(earlier, _)| earlier == key)
            } else {
                !keys.insert(key.as_ref())
            };
            if repeated {
                self.report(&loc.member(key, position), format!("field {} is given more than once", quote(key)));
            } else if !allowed.contains(&key.as_ref()) {
                self.report(&loc.member(key, position), unknown_field(key, allowed));
            }
        }
        Some(Members { loc: *loc, entries })
    }

    /// A required member, read with `read`.
    fn field<'a, T>(
        &mut self,
        obj: &Members<'a, '_>,
        name: &str,
        read: impl FnOnce(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<T> {
        match obj.get(name) {
            Some((value, at)) => read(self, value, &at),
            None => {
                self.report(&obj.loc.missing(name), format!("missing required field `{name}`"));
                None
            }
        }
    }

    /// An optional member, read with `read`; absent or `null` gives `None`. (An
    /// invalid value also gives `None`, having been reported.)
    fn optional<'a, T>(
        &mut self,
        obj: &Members<'a, '_>,
        name: &str,
        read: impl FnOnce(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<T> {
        match obj.get(name) {
            None | Some((Json::Null, _)) => None,
            Some((value, at)) => read(self, value, &at),
        }
    }

    /// An array, each element read with `read`; the elements that are valid.
    fn list<'a, T>(
        &mut self,
        value: &'a Json<'a>,
        loc: &Loc,
        mut read: impl FnMut(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Json::Array(items) = value else {
            self.wrong_type(value, loc, "an array");
            return None;
        };
        let read_item = |(index, item)| read(self, item, &loc.element(index));
        Some(items.iter().enumerate().filter_map(read_item).collect())
    }

    fn string<'a>(&mut self, value: &'a Json<'a>, loc: &Loc) -> Option<&'a str> {
        match value {
            Json::String(s) => Some(s),
            _ => {
                self.wrong_type(value, loc, "a string");
                None
            }
        }
    }

    /// A non-empty string.
    fn text(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        if s.is_empty() {
            self.report(loc, "expected a non-empty string, found an empty string");
            return None;
        }
        Some(s.to_owned())
    }

    fn texts(&mut self, value: &Json, loc: &Loc) -> Option<Vec<String>> {
        self.list(value, loc, Self::text)
    }

    fn boolean(&mut self, value: &Json, loc: &Loc) -> Option<bool> {
        match value {
            Json::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(value, loc, "a boolean");
                None
            }
        }
    }

    /// A non-negative integer that fits a `u32`.
    fn count(&mut self, value: &Json, loc: &Loc) -> Option<u32> {
        let Json::Number(n) = value else {
            self.wrong_type(value, loc, "a non-negative integer");
            return None;
        };
        let Some(wide) = n.as_u64() else {
            self.report(loc, format!("expected a non-negative integer, found {n}"));
            return None;
        };
        let narrow = u32::try_from(wide).ok();
        if narrow.is_none() {
            self.report(loc, format!("expected at most {}, found {wide}", u32::MAX));
        }
        narrow
    }

    /// One of the names in `options`.
    fn choice<T: Copy>(&mut self, value: &Json, loc: &Loc, options: &[(&str, T)]) -> Option<T> {
        let s = self.string(value, loc)?;
        if let Some((_, chosen)) = options.iter().find(|(name, _)| *name == s) {
            return Some(*chosen);
        }
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        self.report(loc, format!("{} is not one of: {}", quote(s), names.join(", ")));
        None
    }

    /// An id matching `^[a-z][a-z0-9_]*$`.
    fn id(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        self.check_id(s, loc).then(|| s.to_owned())
    }

    fn check_id(&mut self, s: &str, loc: &Loc) -> bool {
        let valid = is_valid_id(s);
        if !valid {
            self.report(
                loc,
                format!(
                    "{} is not a valid id: use a lower-case letter, then lower-case letters, \
                     digits or underscores (^[a-z][a-z0-9_]*$)",
                    quote(s)
                ),
            );
        }
        valid
    }

    /// An upper-case ISO 3166-1 alpha-2 country code.
    fn country(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let code = self.string(value, loc)?;
        if country::is_iso_alpha2(code) {
            return Some(code.to_owned());
        }
        self.report(loc, bad_country(code));
        None
    }

    /// The id of a `kind` declaration, remembered for the duplicate and reference
    /// checks even when it is malformed.
    fn declared_id(&mut self, obj: &Members<'_, '_>, kind: Kind) -> Option<String> {
        self.field(obj, "id", |c, value, at| {
            let raw = c.string(value, at)?;
            c.seen.declared_mut(kind).ids.push(Located::new(raw, at, c.skip_places));
            match kind {
                Kind::Jurisdiction => c.text(value, at),
                _ => c.check_id(raw, at).then(|| raw.to_owned()),
            }
        })
    }

    /// A top-level array of `kind` declarations, each read with `read`.
    fn declarations<'a, T>(
        &mut self,
        obj: &Members<'a, '_>,
        kind: Kind,
        read: impl FnMut(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.field(obj, kind.section(), |c, value, at| c.list(value, at, read));
        let count = match obj.get(kind.section()) {
            Some((Json::Array(elements), _)) => Some(elements.len()),
            _ => None,
        };
        let declared = self.seen.declared_mut(kind);
        declared.complete = count == Some(declared.ids.len());
        items
    }

    /// A list of ids referring to `kind` declarations, remembered for the cross-check.
    fn references(&mut self, value: &Json, loc: &Loc, kind: Kind) -> Option<Vec<String>> {
        self.list(value, loc, |c, item, at| {
            let id = c.string(item, at)?;
            c.seen.references.push((kind, Located::new(id, at, c.skip_places)));
            Some(id.to_owned())
        })
    }

    /// The required, non-empty `purposes` of a permission or SDK (`owner`, e.g. "an SDK").
    fn served_purposes(&mut self, obj: &Members<'_, '_>, owner: &str) -> Option<Vec<String>> {
        self.field(obj, "purposes", |c, value, at| {
            if matches!(value, Json::Array(items) if items.is_empty()) {
                c.report(at, format!("{owner} must serve at least one purpose"));
                return None;
            }
            c.references(value, at, Kind::Purpose)
        })
    }

    // --- the manifest's parts, top down ---

    fn manifest(&mut self, root: &Json) -> Option<Manifest> {
        let obj = self.object(root, &Loc::ROOT, TOP_FIELDS)?;
        let schema = self.field(&obj, "schema", Self::schema);
        let policy = self.field(&obj, "policy", Self::policy);
        let settings = self.optional(&obj, "settings", Self::settings);
        let default_jurisdiction = self.field(&obj, "default_jurisdiction", Self::default_jurisdiction);
        let jurisdictions = self.declarations(&obj, Kind::Jurisdiction, Self::jurisdiction);
        let purposes = self.declarations(&obj, Kind::Purpose, Self::purpose);
        let permissions = self.declarations(&obj, Kind::Permission, Self::permission);
        let sdks = self.declarations(&obj, Kind::Sdk, Self::sdk);
        Some(Manifest {
            schema: schema?,
            policy: policy?,
            settings: settings.unwrap_or_default(),
            default_jurisdiction: default_jurisdiction?,
            jurisdictions: jurisdictions?,
            purposes: purposes?,
            permissions: permissions?,
            sdks: sdks?,
        })
    }

    fn schema(&mut self, value: &Json, loc: &Loc) -> Option<u64> {
        let schema = u64::from(self.count(value, loc)?);
        if schema != SCHEMA_VERSION {
            self.report(loc, format!("schema must be {SCHEMA_VERSION}, found {schema}"));
            return None;
        }
        Some(schema)
    }

    fn policy(&mut self, value: &Json, loc: &Loc) -> Option<PolicyInfo> {
        let obj = self.object(value, loc, POLICY_FIELDS)?;
        let id = self.field(&obj, "id", Self::id);
        let version = self.field(&obj, "version", Self::version);
        let effective = self.field(&obj, "effective", Self::effective);
        let controller = self.field(&obj, "controller", Self::controller);
        let url = self.optional(&obj, "url", Self::text);
        let (version, major, minor) = version?;
        Some(PolicyInfo { id: id?, version, major, minor, effective: effective?, controller: controller?, url })
    }

    /// "MAJOR.MINOR": the text as written, and both numbers.
    fn version(&mut self, value: &Json, loc: &Loc) -> Option<(String, u32, u32)> {
        let s = self.string(value, loc)?;
        match parse_version(s) {
            Ok((major, minor)) => Some((s.to_owned(), major, minor)),
            Err(why) => {
                let hint = why.map(|why| format!(" ({why})")).unwrap_or_default();
                let found = quote(s);
                self.report(
                    loc,
                    format!("version must be MAJOR.MINOR with non-negative integers, found {found}{hint}"),
                );
                None
            }
        }
    }

    fn effective(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        if parse_date(s).is_none() {
            self.report(loc, format!("effective must be a date YYYY-MM-DD, found {}", quote(s)));
            return None;
        }
        Some(s.to_owned())
    }

    fn controller(&mut self, value: &Json, loc: &Loc) -> Option<Controller> {
        let obj = self.object(value, loc, CONTROLLER_FIELDS)?;
        let name = self.field(&obj, "name", Self::text);
        let contact = self.optional(&obj, "contact", Self::text);
        Some(Controller { name: name?, contact })
    }

    fn settings(&mut self, value: &Json, loc: &Loc) -> Option<Settings> {
        let obj = self.object(value, loc, SETTINGS_FIELDS)?;
        let defaults = Settings::default();
        Some(Settings {
            consent_ttl_days: self.optional(&obj, "consent_ttl_days", Self::count).unwrap_or(defaults.consent_ttl_days),
            reask_after_denial_days: self
                .optional(&obj, "reask_after_denial_days", Self::count)
                .unwrap_or(defaults.reask_after_denial_days),
            reprompt_after_denial_hours: self
                .optional(&obj, "reprompt_after_denial_hours", Self::count)
                .unwrap_or(defaults.reprompt_after_denial_hours),
            unknown_age: self
                .optional(&obj, "unknown_age", |c, v, at| c.choice(v, at, UNKNOWN_AGES))
                .unwrap_or(defaults.unknown_age),
            decision_log_retention_days: self
                .optional(&obj, "decision_log_retention_days", Self::count)
                .unwrap_or(defaults.decision_log_retention_days),
        })
    }

    fn default_jurisdiction(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let id = self.text(value, loc)?;
        self.seen.default_jurisdiction = Some(Located::new(&id, loc, self.skip_places));
        Some(id)
    }

    fn jurisdiction(&mut self, value: &Json, loc: &Loc) -> Option<Jurisdiction> {
        let obj = self.object(value, loc, JURISDICTION_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Jurisdiction);
        let law = self.field(&obj, "law", |c, v, at| c.choice(v, at, LAWS));
        let age_of_consent = self.field(&obj, "age_of_consent", Self::age_of_consent);
        let countries = self.field(&obj, "countries", |c, v, at| c.list(v, at, Self::listed_country));
        Some(Jurisdiction { id: id?, law: law?, age_of_consent: age_of_consent?, countries: countries? })
    }

    fn age_of_consent(&mut self, value: &Json, loc: &Loc) -> Option<u32> {
        let Json::Number(n) = value else {
            self.wrong_type(value, loc, "an integer");
            return None;
        };
        if n.is_f64() {
            self.report(loc, format!("expected an integer, found {n}"));
            return None;
        }
        let age = n.as_u64().filter(|age| *age <= MAX_AGE_OF_CONSENT).and_then(|age| u32::try_from(age).ok());
        if age.is_none() {
            self.report(loc, format!("age_of_consent must be between 0 and {MAX_AGE_OF_CONSENT}, found {n}"));
        }
        age
    }

    /// A country of a jurisdiction, remembered for the one-jurisdiction-per-country check.
    fn listed_country(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let code = self.country(value, loc)?;
        self.seen.countries.push(Located::new(&code, loc, self.skip_places));
        Some(code)
    }

    fn purpose(&mut self, value: &Json, loc: &Loc) -> Option<Purpose> {
        let obj = self.object(value, loc, PURPOSE_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Purpose);
        let title = self.field(&obj, "title", Self::text);
        let basis = self.field(&obj, "basis", |c, v, at| c.choice(v, at, BASES));
        let sensitive = self.optional(&obj, "sensitive", Self::boolean);
        Some(Purpose { id: id?, title: title?, basis: basis?, sensitive: sensitive.unwrap_or(false) })
    }

    fn permission(&mut self, value: &Json, loc: &Loc) -> Option<Permission> {
        let obj = self.object(value, loc, PERMISSION_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Permission);
        let title = self.field(&obj, "title", Self::text);
        let android = self.optional(&obj, "android", Self::texts);
        let ios = self.optional(&obj, "ios", Self::texts);
        let purposes = self.served_purposes(&obj, "a permission");
        let user_initiated = self.optional(&obj, "user_initiated", Self::boolean);
        let allow_at_launch = self.optional(&obj, "allow_at_launch", Self::boolean);
        let reprompt_after_denial_hours = self.optional(&obj, "reprompt_after_denial_hours", Self::count);
        Some(Permission {
            id: id?,
            title: title?,
            android: android.unwrap_or_default(),
            ios: ios.unwrap_or_default(),
            purposes: purposes?,
            user_initiated: user_initiated.unwrap_or(true),
            allow_at_launch: allow_at_launch.unwrap_or(false),
            reprompt_after_denial_hours,
        })
    }

    fn sdk(&mut self, value: &Json, loc: &Loc) -> Option<Sdk> {
        let obj = self.object(value, loc, SDK_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Sdk);
        let name = self.field(&obj, "name", Self::text);
        let vendor = self.field(&obj, "vendor", Self::text);
        let vendor_country = self.optional(&obj, "vendor_country", Self::country);
        let role = self.optional(&obj, "role", |c, v, at| c.choice(v, at, ROLES));
        let purposes = self.served_purposes(&obj, "an SDK");
        let data = self.optional(&obj, "data", Self::texts);
        let permissions = self.optional(&obj, "permissions", |c, v, at| c.references(v, at, Kind::Permission));
        let platforms = self.optional(&obj, "platforms", |c, v, at| c.list(v, at, Self::id));
        Some(Sdk {
            id: id?,
            name: name?,
            vendor: vendor?,
            vendor_country,
            role: role.unwrap_or(Role::Entrusted),
            purposes: purposes?,
            data: data.unwrap_or_default(),
            permissions: permissions.unwrap_or_default(),
            platforms: platforms.unwrap_or_else(|| Vec::from(DEFAULT_PLATFORMS.map(String::from))),
        })
    }

    // --- cross-checks ---

    /// The checks across parts: duplicate ids, undeclared references, the default
    /// jurisdiction, countries in two jurisdictions.
    fn cross_check(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        for kind in Kind::ALL {
            for (id, first) in repeats(&seen.declared(kind).ids) {
                let message =
                    format!("duplicate {} id {} (first declared at {})", kind.label(), quote(&id.value), first.pointer);
                self.report_at(id.place.clone(), message);
            }
        }
        let ids = |kind| seen.declared(kind).known_ids();
        let (purposes, permissions, jurisdictions) =
            (ids(Kind::Purpose), ids(Kind::Permission), ids(Kind::Jurisdiction));
        for (kind, reference) in &seen.references {
            let declared = if *kind == Kind::Purpose { &purposes } else { &permissions };
            self.check_declared(declared.as_ref(), *kind, reference);
        }
        if let Some(default) = &seen.default_jurisdiction {
            self.check_declared(jurisdictions.as_ref(), Kind::Jurisdiction, default);
        }
        for (code, first) in repeats(&seen.countries) {
            let message = format!(
                "country {} is already listed at {}; a country belongs to one jurisdiction",
                quote(&code.value),
                first.pointer
            );
            self.report_at(code.place.clone(), message);
        }
    }

    /// Reports `reference` unless it is among the `declared` ids of its kind. `None`
    /// (some declaration was unreadable and may be the one it names) reports nothing.
    fn check_declared(&mut self, declared: Option<&IdSet<'_>>, kind: Kind, reference: &Located) {
        if declared.is_some_and(|ids| !ids.contains(reference.value.as_str())) {
            let message = format!("{} is not a declared {}", quote(&reference.value), kind.label());
            self.report_at(reference.place.clone(), message);
        }
    }
}

/// Every item whose value appeared earlier, with where it first appeared.
fn repeats(items: &[Located]) -> Vec<(&Located, &Place)> {
    let mut first: HashMap<&str, &Place, BuildHasherDefault<IdHasher>> = HashMap::default();
    let mut repeated = Vec::new();
    for item in items {
        match first.entry(&item.value) {
            Entry::Vacant(slot) => {
                slot.insert(&item.place);
            }
            Entry::Occupied(earlier) => repeated.push((item, *earlier.get())),
        }
    }
    repeated
}

// --- small pure helpers ------------------------------------------------------------

/// Whether `s` matches `^[a-z][a-z0-9_]*$`.
fn is_valid_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Parses "MAJOR.MINOR"; on failure, says why when the shape alone does not.
fn parse_version(s: &str) -> Result<(u32, u32), Option<&'static str>> {
    let (major, minor) = s.split_once('.').ok_or(None)?;
    Ok((version_number(major)?, version_number(minor)?))
}

fn version_number(s: &str) -> Result<u32, Option<&'static str>> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(None);
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(Some("no leading zeros"));
    }
    s.parse().map_err(|_| Some("each number must be at most 4294967295"))
}

/// The message for a string that is not a country code, with a hint when the fix is known.
fn bad_country(code: &str) -> String {
    let message = format!("{} is not an ISO 3166-1 alpha-2 country code", quote(code));
    let upper = code.to_ascii_uppercase();
    if let Some(official) = country::official_for(&upper) {
        format!("{message} (did you mean `{official}`?)")
    } else if upper != code && country::is_iso_alpha2(&upper) {
        format!("{message} (codes are upper case: `{upper}`)")
    } else {
        message
    }
}

/// "unknown field `x`", with the closest allowed name, else the allowed names.
fn unknown_field(key: &str, allowed: &[&str]) -> String {
    let message = format!("unknown field {}", quote(key));
    let limit = if key.chars().count() <= 3 { 1 } else { 2 };
    let closest = allowed.iter().filter_map(|name| edit_distance(key, name, limit).map(|d| (d, *name))).min();
    match closest {
        Some((_, name)) => format!("{message} (did you mean `{name}`?)"),
        None => format!("{message} (allowed: {})", allowed.join(", ")),
    }
}

/// The Levenshtein distance between `a` and `b` if it is at most `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous.last().copied().filter(|d| *d <= limit)
}

/// `value` in backticks for a message: at most [`MAX_QUOTE_CHARS`] characters, control
/// characters escaped.
fn quote(value: &str) -> String {
    let mut out = String::from("`");
    for (i, c) in value.chars().enumerate() {
        if i == MAX_QUOTE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The example manifest of contract §2, verbatim.
    const SPEC_EXAMPLE: &str = r#"{
  "schema": 1,
  "policy": {"id": "phocol", "version": "3.1", "effective": "2025-03-01",
             "controller": {"name": "Example Ltd.", "contact": "privacy@example.com"},
             "url": "https://example.com/privacy"},
  "settings": {"consent_ttl_days": 395, "reask_after_denial_days": 180,
               "reprompt_after_denial_hours": 48, "unknown_age": "adult",
               "decision_log_retention_days": 400},
  "default_jurisdiction": "default",
  "jurisdictions": [
    {"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]},
    {"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": ["DE", "FR"]},
    {"id": "US", "law": "opt_out", "age_of_consent": 13, "countries": ["US"]},
    {"id": "default", "law": "pipl", "age_of_consent": 16, "countries": []}
  ],
  "purposes": [
    {"id": "essential", "title": "Core service", "basis": "contract"},
    {"id": "analytics", "title": "Usage analytics", "basis": "consent"},
    {"id": "face_recognition", "title": "Face login", "basis": "consent", "sensitive": true}
  ],
  "permissions": [
    {"id": "camera", "title": "Camera", "android": ["android.permission.CAMERA"],
     "ios": ["NSCameraUsageDescription"], "purposes": ["essential"],
     "user_initiated": true, "allow_at_launch": false}
  ],
  "sdks": [
    {"id": "facebook", "name": "Facebook SDK", "vendor": "Meta Platforms, Inc.",
     "vendor_country": "US", "role": "independent", "purposes": ["analytics"],
     "data": ["device_id", "account_profile"], "permissions": [],
     "platforms": ["android", "ios"]}
  ]
}"#;

    /// A valid manifest with only the required fields, for tests to break one thing at
    /// a time.
    fn minimal() -> Value {
        json!({
            "schema": 1,
            "policy": {
                "id": "app", "version": "1.0", "effective": "2025-01-01",
                "controller": {"name": "Example Ltd."}
            },
            "default_jurisdiction": "default",
            "jurisdictions": [
                {"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]},
                {"id": "default", "law": "gdpr", "age_of_consent": 16, "countries": []}
            ],
            "purposes": [
                {"id": "essential", "title": "Core service", "basis": "contract"},
                {"id": "analytics", "title": "Usage analytics", "basis": "consent"}
            ],
            "permissions": [
                {"id": "camera", "title": "Camera", "purposes": ["essential"]}
            ],
            "sdks": [
                {"id": "crashlytics", "name": "Crashlytics", "vendor": "Google LLC",
                 "purposes": ["analytics"]}
            ]
        })
    }

    /// The issues of `minimal()` after `edit`.
    fn issues_after(edit: impl FnOnce(&mut Value)) -> Vec<ManifestIssue> {
        let mut manifest = minimal();
        edit(&mut manifest);
        parse(&manifest.to_string()).expect_err("the manifest should be invalid")
    }

    /// The one issue of `minimal()` after `edit`.
    fn only_issue(edit: impl FnOnce(&mut Value)) -> ManifestIssue {
        let issues = issues_after(edit);
        assert_eq!(issues.len(), 1, "expected exactly one issue, got {issues:#?}");
        issues.into_iter().next().expect("one issue")
    }

    fn issue(path: &str, message: &str) -> ManifestIssue {
        ManifestIssue { path: path.to_owned(), message: message.to_owned() }
    }

    #[test]
    fn minimal_manifest_parses_with_defaults() {
        let manifest = parse(&minimal().to_string()).expect("valid");
        assert_eq!(manifest.schema, 1);
        assert_eq!((manifest.policy.major, manifest.policy.minor), (1, 0));
        assert_eq!(manifest.policy.url, None);
        assert_eq!(manifest.policy.controller.contact, None);
        assert_eq!(manifest.settings, Settings::default());
        assert!(!manifest.purpose("analytics").expect("declared").sensitive);
        let camera = manifest.permission("camera").expect("declared");
        assert!(camera.android.is_empty() && camera.ios.is_empty());
        assert!(camera.user_initiated);
        assert!(!camera.allow_at_launch);
        assert_eq!(camera.reprompt_after_denial_hours, None);
        let sdk = manifest.sdk("crashlytics").expect("declared");
        assert_eq!(sdk.role, Role::Entrusted);
        assert_eq!(sdk.vendor_country, None);
        assert!(sdk.data.is_empty() && sdk.permissions.is_empty());
        assert_eq!(sdk.platforms, ["android", "ios"]);
    }

    #[test]
    fn null_optional_fields_take_their_defaults() {
        let mut manifest = minimal();
        manifest["settings"] = Value::Null;
        manifest["policy"]["url"] = Value::Null;
        manifest["sdks"][0]["vendor_country"] = Value::Null;
        manifest["sdks"][0]["platforms"] = Value::Null;
        let manifest = parse(&manifest.to_string()).expect("valid");
        assert_eq!(manifest.settings, Settings::default());
        assert_eq!(manifest.sdks[0].platforms, ["android", "ios"]);
    }

    #[test]
    fn spec_example_parses() {
        let manifest = parse(SPEC_EXAMPLE).expect("the contract's example is valid");
        assert_eq!(manifest.policy.version, "3.1");
        assert_eq!((manifest.policy.major, manifest.policy.minor), (3, 1));
        assert_eq!(manifest.jurisdictions.len(), 4);
        assert_eq!(manifest.jurisdiction_for(Some("FR")).law, Law::Gdpr);
        assert_eq!(manifest.jurisdiction_for(Some("JP")).id, "default");
        assert!(manifest.purpose("face_recognition").expect("declared").sensitive);
        let facebook = manifest.sdk("facebook").expect("declared");
        assert_eq!(facebook.role, Role::Independent);
        assert_eq!(facebook.vendor_country.as_deref(), Some("US"));
        assert_eq!(facebook.data, ["device_id", "account_profile"]);
        assert_eq!(manifest.permission("camera").expect("declared").android, ["android.permission.CAMERA"]);
    }

    #[test]
    fn embedded_example_manifest_parses() {
        if let Err(issues) = parse(EXAMPLE_MANIFEST) {
            panic!("policy/example-manifest.json is invalid: {issues:#?}");
        }
    }

    #[test]
    fn settings_are_read() {
        let mut manifest = minimal();
        manifest["settings"] = json!({"consent_ttl_days": 30, "unknown_age": "child"});
        let settings = parse(&manifest.to_string()).expect("valid").settings;
        assert_eq!(settings.consent_ttl_days, 30);
        assert_eq!(settings.unknown_age, UnknownAge::Child);
        assert_eq!(settings.reask_after_denial_days, Settings::default().reask_after_denial_days);
    }

    #[test]
    fn reports_unknown_field() {
        let found = only_issue(|m| m["purposes"][0]["descripton"] = json!("x"));
        assert_eq!(found.path, "/purposes/0/descripton");
        assert!(found.message.starts_with("unknown field `descripton`"), "{}", found.message);

        let found = only_issue(|m| m["sdks"][0]["nmae"] = json!("x"));
        assert_eq!(found, issue("/sdks/0/nmae", "unknown field `nmae` (did you mean `name`?)"));
    }

    #[test]
    fn escapes_json_pointer_tokens() {
        let found = only_issue(|m| m["a/b~c"] = json!(1));
        assert_eq!(found.path, "/a~1b~0c");
    }

    #[test]
    fn reports_repeated_key() {
        let text = minimal().to_string().replacen("\"schema\":1", "\"schema\":1,\"schema\":1", 1);
        let issues = parse(&text).expect_err("invalid");
        assert_eq!(issues, [issue("/schema", "field `schema` is given more than once")]);
    }

    #[test]
    fn reports_missing_required_field() {
        let found = only_issue(|m| {
            m["purposes"][0].as_object_mut().expect("object").remove("title");
        });
        assert_eq!(found, issue("/purposes/0/title", "missing required field `title`"));

        let found = only_issue(|m| m["policy"]["controller"] = json!({}));
        assert_eq!(found, issue("/policy/controller/name", "missing required field `name`"));

        let found = only_issue(|m| {
            m.as_object_mut().expect("object").remove("default_jurisdiction");
        });
        assert_eq!(found, issue("/default_jurisdiction", "missing required field `default_jurisdiction`"));
    }

    #[test]
    fn reports_wrong_type() {
        let found = only_issue(|m| m["purposes"][0]["title"] = json!(5));
        assert_eq!(found, issue("/purposes/0/title", "expected a string, found a number"));

        let found = only_issue(|m| m["permissions"][0]["user_initiated"] = json!("yes"));
        assert_eq!(found, issue("/permissions/0/user_initiated", "expected a boolean, found a string"));

        let found = only_issue(|m| m["sdks"][0]["data"] = json!("device_id"));
        assert_eq!(found, issue("/sdks/0/data", "expected an array, found a string"));

        let found = only_issue(|m| m["purposes"][0]["title"] = json!(""));
        assert_eq!(found.path, "/purposes/0/title");
    }

    #[test]
    fn reports_wrong_number_for_a_count() {
        let cases = [
            (json!("395"), "expected a non-negative integer, found a string"),
            (json!(-1), "expected a non-negative integer, found -1"),
            (json!(1.5), "expected a non-negative integer, found 1.5"),
            (json!(5_000_000_000u64), "expected at most 4294967295, found 5000000000"),
        ];
        for (value, message) in cases {
            let found = only_issue(|m| m["settings"] = json!({"consent_ttl_days": value}));
            assert_eq!(found, issue("/settings/consent_ttl_days", message));
        }
        let found = only_issue(|m| m["permissions"][0]["reprompt_after_denial_hours"] = json!(-48));
        assert_eq!(found.path, "/permissions/0/reprompt_after_denial_hours");
    }

    #[test]
    fn element_of_wrong_type_is_reported_once_and_the_rest_still_checked() {
        let issues = issues_after(|m| {
            m["sdks"] = json!(["facebook", {"id": "x", "name": "X", "vendor": "V", "purposes": ["nope"]}]);
        });
        assert_eq!(
            issues,
            [
                issue("/sdks/0", "expected an object, found a string"),
                issue("/sdks/1/purposes/0", "`nope` is not a declared purpose"),
            ]
        );
    }

    #[test]
    fn reports_bad_enum_value() {
        let found = only_issue(|m| m["purposes"][0]["basis"] = json!("foo"));
        assert_eq!(
            found,
            issue("/purposes/0/basis", "`foo` is not one of: consent, contract, legal_obligation, legitimate_interest")
        );
        let found = only_issue(|m| m["jurisdictions"][0]["law"] = json!("ccpa"));
        assert_eq!(found, issue("/jurisdictions/0/law", "`ccpa` is not one of: pipl, gdpr, opt_out"));
        let found = only_issue(|m| m["sdks"][0]["role"] = json!("controller"));
        assert_eq!(found.path, "/sdks/0/role");
        let found = only_issue(|m| m["settings"] = json!({"unknown_age": "teen"}));
        assert_eq!(found.path, "/settings/unknown_age");
    }

    #[test]
    fn reports_duplicate_ids() {
        let found = only_issue(|m| {
            let purposes = m["purposes"].as_array_mut().expect("array");
            purposes.push(json!({"id": "analytics", "title": "Again", "basis": "consent"}));
        });
        assert_eq!(
            found,
            issue("/purposes/2/id", "duplicate purpose id `analytics` (first declared at /purposes/1/id)")
        );

        let found = only_issue(|m| {
            let jurisdictions = m["jurisdictions"].as_array_mut().expect("array");
            jurisdictions.push(json!({"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": []}));
        });
        assert_eq!(
            found,
            issue("/jurisdictions/2/id", "duplicate jurisdiction id `CN` (first declared at /jurisdictions/0/id)")
        );
    }

    #[test]
    fn reports_undeclared_purpose() {
        let found = only_issue(|m| m["sdks"][0]["purposes"] = json!(["analytics", "marketing"]));
        assert_eq!(found, issue("/sdks/0/purposes/1", "`marketing` is not a declared purpose"));

        let found = only_issue(|m| m["permissions"][0]["purposes"] = json!(["marketing"]));
        assert_eq!(found, issue("/permissions/0/purposes/0", "`marketing` is not a declared purpose"));
    }

    #[test]
    fn reports_undeclared_permission() {
        let found = only_issue(|m| m["sdks"][0]["permissions"] = json!(["camera", "location"]));
        assert_eq!(found, issue("/sdks/0/permissions/1", "`location` is not a declared permission"));
    }

    #[test]
    fn no_undeclared_reports_when_the_declarations_are_unreadable() {
        let found = only_issue(|m| m["purposes"][1] = json!("analytics"));
        assert_eq!(found, issue("/purposes/1", "expected an object, found a string"));
    }

    #[test]
    fn reports_empty_purposes() {
        let found = only_issue(|m| m["sdks"][0]["purposes"] = json!([]));
        assert_eq!(found, issue("/sdks/0/purposes", "an SDK must serve at least one purpose"));

        let found = only_issue(|m| m["permissions"][0]["purposes"] = json!([]));
        assert_eq!(found, issue("/permissions/0/purposes", "a permission must serve at least one purpose"));
    }

    #[test]
    fn reports_undeclared_default_jurisdiction() {
        let found = only_issue(|m| m["default_jurisdiction"] = json!("eu"));
        assert_eq!(found, issue("/default_jurisdiction", "`eu` is not a declared jurisdiction"));
    }

    #[test]
    fn reports_country_in_two_jurisdictions() {
        let found = only_issue(|m| m["jurisdictions"][1]["countries"] = json!(["JP", "CN"]));
        assert_eq!(found.path, "/jurisdictions/1/countries/1");
        assert!(found.message.contains("/jurisdictions/0/countries/0"), "{}", found.message);
    }

    #[test]
    fn reports_age_of_consent_out_of_range() {
        let found = only_issue(|m| m["jurisdictions"][0]["age_of_consent"] = json!(30));
        assert_eq!(
            found,
            issue("/jurisdictions/0/age_of_consent", "age_of_consent must be between 0 and 21, found 30")
        );
        let found = only_issue(|m| m["jurisdictions"][0]["age_of_consent"] = json!(-1));
        assert_eq!(found.message, "age_of_consent must be between 0 and 21, found -1");
        let found = only_issue(|m| m["jurisdictions"][0]["age_of_consent"] = json!(14.5));
        assert_eq!(found.message, "expected an integer, found 14.5");
        for age in [0, 21] {
            let mut manifest = minimal();
            manifest["jurisdictions"][0]["age_of_consent"] = json!(age);
            assert!(parse(&manifest.to_string()).is_ok(), "{age}");
        }
    }

    #[test]
    fn reports_malformed_version() {
        let found = only_issue(|m| m["policy"]["version"] = json!("3"));
        assert_eq!(
            found,
            issue("/policy/version", "version must be MAJOR.MINOR with non-negative integers, found `3`")
        );
        for bad in ["", "3.", ".1", "3.1.2", "-3.1", "3.x", "v3.1", "3.01", "4294967296.0", " 3.1"] {
            let found = only_issue(|m| m["policy"]["version"] = json!(bad));
            assert_eq!(found.path, "/policy/version", "{bad}");
        }
        let found = only_issue(|m| m["policy"]["version"] = json!(3.1));
        assert_eq!(found.message, "expected a string, found a number");

        let mut manifest = minimal();
        manifest["policy"]["version"] = json!("0.4294967295");
        let policy = parse(&manifest.to_string()).expect("valid").policy;
        assert_eq!((policy.major, policy.minor), (0, u32::MAX));
    }

    #[test]
    fn reports_malformed_date() {
        let found = only_issue(|m| m["policy"]["effective"] = json!("2025-02-30"));
        assert_eq!(found, issue("/policy/effective", "effective must be a date YYYY-MM-DD, found `2025-02-30`"));
        for bad in ["2025-3-01", "01/03/2025", "2025-03-01T00:00:00Z", "2025-0é-01", "2025-00-01"] {
            let found = only_issue(|m| m["policy"]["effective"] = json!(bad));
            assert_eq!(found.path, "/policy/effective", "{bad}");
        }
    }

    #[test]
    fn reports_malformed_country_code() {
        let found = only_issue(|m| m["jurisdictions"][0]["countries"] = json!(["CN", "UK"]));
        assert_eq!(
            found,
            issue(
                "/jurisdictions/0/countries/1",
                "`UK` is not an ISO 3166-1 alpha-2 country code (did you mean `GB`?)"
            )
        );
        let found = only_issue(|m| m["sdks"][0]["vendor_country"] = json!("cn"));
        assert_eq!(
            found,
            issue(
                "/sdks/0/vendor_country",
                "`cn` is not an ISO 3166-1 alpha-2 country code (codes are upper case: `CN`)"
            )
        );
        let found = only_issue(|m| m["sdks"][0]["vendor_country"] = json!("EL"));
        assert!(found.message.contains("`GR`"), "{}", found.message);
        let found = only_issue(|m| m["sdks"][0]["vendor_country"] = json!("CHN"));
        assert_eq!(found.message, "`CHN` is not an ISO 3166-1 alpha-2 country code");
    }

    #[test]
    fn reports_bad_id_pattern() {
        let found = only_issue(|m| m["permissions"][0]["id"] = json!("Camera"));
        assert_eq!(found.path, "/permissions/0/id");
        assert!(found.message.starts_with("`Camera` is not a valid id"), "{}", found.message);
        for bad in ["", "1st", "_x", "a-b", "a b", "ünicode"] {
            let found = only_issue(|m| m["policy"]["id"] = json!(bad));
            assert_eq!(found.path, "/policy/id", "{bad:?}");
        }
        let found = only_issue(|m| m["sdks"][0]["platforms"] = json!(["android", "iOS"]));
        assert_eq!(found.path, "/sdks/0/platforms/1");
        let found = only_issue(|m| m["jurisdictions"][0]["id"] = json!(""));
        assert_eq!(found.path, "/jurisdictions/0/id");
    }

    #[test]
    fn accepts_ids_matching_the_pattern() {
        for good in ["a", "face_recognition", "x9_", "a__1"] {
            assert!(is_valid_id(good), "{good}");
        }
    }

    #[test]
    fn reports_unsupported_schema() {
        let found = only_issue(|m| m["schema"] = json!(2));
        assert_eq!(found, issue("/schema", "schema must be 1, found 2"));
        let found = only_issue(|m| m["schema"] = json!("1"));
        assert_eq!(found, issue("/schema", "expected a non-negative integer, found a string"));
    }

    #[test]
    fn reports_invalid_json_syntax() {
        let issues = parse("{\n  \"schema\": 1,\n  \"policy\": }\n").expect_err("invalid");
        assert_eq!(issues, [issue("", "invalid JSON at line 3, column 13: expected value")]);
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        for text in ["", "{", "{} {}", "[1,]", &deep] {
            let issues = parse(text).expect_err("invalid");
            assert_eq!(issues.len(), 1, "{text:?}");
            assert_eq!(issues[0].path, "", "{text:?}");
            assert!(issues[0].message.starts_with("invalid JSON at line "), "{}", issues[0].message);
        }
    }

    #[test]
    fn ignores_a_byte_order_mark() {
        assert!(parse(&format!("\u{feff}{}", minimal())).is_ok());
    }

    #[test]
    fn whole_document_of_wrong_type() {
        assert_eq!(parse("[]").expect_err("invalid"), [issue("", "expected an object, found an array")]);
    }

    #[test]
    fn messages_quote_at_most_64_characters() {
        let long = "x".repeat(10_000);
        let found = only_issue(|m| m["purposes"][0]["basis"] = json!(long));
        assert!(found.message.len() < 200, "{}", found.message);
        assert!(found.message.contains(&format!("`{}…`", "x".repeat(64))), "{}", found.message);
        let found = only_issue(|m| m["sdks"][0]["vendor_country"] = json!("A\nB"));
        assert!(!found.message.contains('\n'), "{}", found.message);
    }

    /// Every JSON pointer to a node of `value`.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    pointers(member, format!("{at}/{token}"), out);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    pointers(item, format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    #[test]
    fn any_value_anywhere_is_reported_at_a_real_path_without_panicking() {
        let example: Value = serde_json::from_str(SPEC_EXAMPLE).expect("JSON");
        let mut all = Vec::new();
        pointers(&example, String::new(), &mut all);
        let replacements =
            [json!(null), json!(true), json!(-1), json!(2.5), json!(""), json!("x"), json!([]), json!({})];
        for pointer in all.iter().filter(|p| !p.is_empty()) {
            for replacement in &replacements {
                let mut mangled = example.clone();
                *mangled.pointer_mut(pointer).expect("exists") = replacement.clone();
                if let Err(issues) = parse(&mangled.to_string()) {
                    for issue in issues {
                        // A missing field is reported at its own (absent) path, under a
                        // parent that exists.
                        let real = match issue.message.starts_with("missing required field") {
                            true => issue.path.rsplit_once('/').map(|(parent, _)| parent),
                            false => Some(issue.path.as_str()),
                        };
                        assert!(real.and_then(|p| mangled.pointer(p)).is_some(), "{pointer}: {issue:?}");
                    }
                }
            }
        }
        for (end, _) in SPEC_EXAMPLE.char_indices() {
            assert!(parse(&SPEC_EXAMPLE[..end]).is_err());
        }
    }

    #[test]
    fn reports_every_mistake_in_document_order() {
        let text = r#"{
          "schema": 2,
          "policy": {"id": "Phocol", "version": "3", "effective": "2025-02-30", "controller": {}},
          "settings": {"consent_ttl_days": -5, "unknown_age": "teen"},
          "default_jurisdiction": "eu",
          "jurisdictions": [
            {"id": "CN", "law": "pipl", "age_of_consent": 30, "countries": ["CN", "UK"]},
            {"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": ["CN"]}
          ],
          "purposes": [
            {"id": "essential", "title": "Core", "basis": "contract"},
            {"id": "analytics", "title": "Analytics", "basis": "consent", "descripton": "x"},
            {"id": "analytics", "basis": "maybe"}
          ],
          "permissions": [
            {"id": "camera", "title": "Camera", "purposes": []}
          ],
          "sdks": [
            "facebook",
            {"id": "umeng", "name": "Umeng", "vendor": "Alibaba", "vendor_country": "China",
             "purposes": ["analytics", "marketing"], "permissions": ["location"]}
          ],
          "extra": true
        }"#;
        let issues = parse(text).expect_err("invalid");
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/schema",
                "/policy/id",
                "/policy/version",
                "/policy/effective",
                "/policy/controller/name",
                "/settings/consent_ttl_days",
                "/settings/unknown_age",
                "/default_jurisdiction",
                "/jurisdictions/0/age_of_consent",
                "/jurisdictions/0/countries/1",
                "/jurisdictions/1/countries/0",
                "/purposes/1/descripton",
                "/purposes/2/id",
                "/purposes/2/basis",
                "/purposes/2/title",
                "/permissions/0/purposes",
                "/sdks/0",
                "/sdks/1/vendor_country",
                "/sdks/1/purposes/1",
                "/sdks/1/permissions/0",
                "/extra",
            ],
            "{issues:#?}"
        );
        assert_eq!(issues[14].message, "missing required field `title`");
        assert_eq!(issues[18].message, "`marketing` is not a declared purpose");
    }
}
