//! The reader every section is read with: [`Checker`] walks the JSON tree, collecting
//! **every** issue with its JSON pointer as it goes, and its generic readers (an object
//! with its allowed fields, a required or optional field, a list, a string, a count, an
//! enum value, an id, a country code) say what is wrong in the same words everywhere.
//! Every reader that returns `None` has reported why, so a manifest is built only when
//! every part of it is valid.

use std::borrow::Cow;

use super::cross_refs::{IdSet, Seen};
use super::ident::{escaped, is_valid_jurisdiction_id};
use super::json::Json;
use super::limits::{MAX_ID_CHARS, MAX_LIST_ITEMS, MAX_TEXT_CHARS};
use super::location::{Loc, Place};
use super::{Manifest, ManifestIssue};
use crate::country;

/// The most characters of manifest text a message quotes back.
const MAX_QUOTE_CHARS: usize = 64;

/// An object's members, once its keys have been checked.
pub(super) struct Members<'a, 'p> {
    pub(super) loc: Loc<'p>,
    entries: &'a [(Cow<'a, str>, Json<'a>)],
}

impl<'a> Members<'a, '_> {
    /// The first member called `name`, with its location.
    pub(super) fn get(&self, name: &str) -> Option<(&'a Json<'a>, Loc<'_>)> {
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
pub(super) struct Checker {
    /// Every issue found, with its place in the document for sorting.
    pub(super) issues: Vec<(Vec<usize>, ManifestIssue)>,
    /// What the cross-checks need, gathered while the parts are read.
    pub(super) seen: Seen,
    /// Remember ids and references without their JSON pointers (see [`super::parse`]).
    pub(super) skip_places: bool,
}

impl Checker {
    pub(super) fn report(&mut self, loc: &Loc, message: impl Into<String>) {
        self.report_at(loc.place(), message);
    }

    pub(super) fn report_at(&mut self, place: Place, message: impl Into<String>) {
        let issue = ManifestIssue { path: place.pointer, message: message.into() };
        self.issues.push((place.order, issue));
    }

    pub(super) fn wrong_type(&mut self, value: &Json, loc: &Loc, expected: &str) {
        self.report(loc, format!("expected {expected}, found {}", value.kind()));
    }

    /// The issues in document order (ties in the order found), or the manifest.
    pub(super) fn finish(mut self, manifest: Option<Manifest>) -> Result<Manifest, Vec<ManifestIssue>> {
        crate::sort::sort_by(&mut self.issues, |a, b| a.0.cmp(&b.0));
        match manifest {
            Some(manifest) if self.issues.is_empty() => Ok(manifest),
            _ if self.issues.is_empty() => {
                Err(vec![ManifestIssue { path: String::new(), message: "the manifest could not be read".to_owned() }])
            }
            _ => Err(self.issues.into_iter().map(|(_, issue)| issue).collect()),
        }
    }

    /// An object whose keys are all in `allowed` and none repeated (each offender is
    /// reported; the object is still read).
    pub(super) fn object<'a, 'p>(
        &mut self,
        value: &'a Json<'a>,
        loc: &Loc<'p>,
        allowed: &[&str],
    ) -> Option<Members<'a, 'p>> {
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
    pub(super) fn field<'a, T>(
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
    pub(super) fn optional<'a, T>(
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
    pub(super) fn list<'a, T>(
        &mut self,
        value: &'a Json<'a>,
        loc: &Loc,
        mut read: impl FnMut(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Json::Array(items) = value else {
            self.wrong_type(value, loc, "an array");
            return None;
        };
        if !self.within_list_limit(items.len(), loc) {
            return None;
        }
        let read_item = |(index, item)| read(self, item, &loc.element(index));
        Some(items.iter().enumerate().filter_map(read_item).collect())
    }

    /// A list of `len` items is within [`MAX_LIST_ITEMS`]; else reports it.
    fn within_list_limit(&mut self, len: usize, loc: &Loc) -> bool {
        if len > MAX_LIST_ITEMS {
            self.report(loc, format!("the list has {len} items; at most {MAX_LIST_ITEMS} are allowed"));
            return false;
        }
        true
    }

    pub(super) fn string<'a>(&mut self, value: &'a Json<'a>, loc: &Loc) -> Option<&'a str> {
        match value {
            Json::String(s) => Some(s),
            _ => {
                self.wrong_type(value, loc, "a string");
                None
            }
        }
    }

    /// A non-empty string of at most [`MAX_TEXT_CHARS`] characters.
    pub(super) fn text(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        if s.is_empty() {
            self.report(loc, "expected a non-empty string, found an empty string");
            return None;
        }
        if s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS {
            let n = s.chars().count();
            self.report(loc, format!("the text has {n} characters; at most {MAX_TEXT_CHARS} are allowed"));
            return None;
        }
        Some(s.to_owned())
    }

    pub(super) fn texts(&mut self, value: &Json, loc: &Loc) -> Option<Vec<String>> {
        self.list(value, loc, Self::text)
    }

    pub(super) fn boolean(&mut self, value: &Json, loc: &Loc) -> Option<bool> {
        match value {
            Json::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(value, loc, "a boolean");
                None
            }
        }
    }

    /// A non-negative integer that fits a `u32`.
    pub(super) fn count(&mut self, value: &Json, loc: &Loc) -> Option<u32> {
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

    /// A count from `min` to `max` (a window of the settings, see [`super::limits`]).
    pub(super) fn count_in(&mut self, value: &Json, loc: &Loc, min: u32, max: u32) -> Option<u32> {
        let n = self.count(value, loc)?;
        if !(min..=max).contains(&n) {
            self.report(loc, format!("expected an integer from {min} to {max}, found {n}"));
            return None;
        }
        Some(n)
    }

    /// A whole number from `min` to `max` (a TCF purpose, a vendor id...).
    pub(super) fn number_in(&mut self, value: &Json, loc: &Loc, min: u32, max: u32) -> Option<u32> {
        let Json::Number(n) = value else {
            self.wrong_type(value, loc, &format!("an integer from {min} to {max}"));
            return None;
        };
        match n.as_u64().and_then(|wide| u32::try_from(wide).ok()) {
            Some(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                self.report(loc, format!("expected an integer from {min} to {max}, found {n}"));
                None
            }
        }
    }

    /// An array whose elements, each read with `read`, are all different: a repeat is
    /// reported at its own index and left out.
    pub(super) fn distinct_list<'a, T: PartialEq + std::fmt::Display>(
        &mut self,
        value: &'a Json<'a>,
        loc: &Loc,
        mut read: impl FnMut(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Json::Array(items) = value else {
            self.wrong_type(value, loc, "an array");
            return None;
        };
        if !self.within_list_limit(items.len(), loc) {
            return None;
        }
        let mut out: Vec<T> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let at = loc.element(index);
            let Some(v) = read(self, item, &at) else { continue };
            if out.contains(&v) {
                self.report(&at, format!("{} is listed more than once", quote(&v.to_string())));
            } else {
                out.push(v);
            }
        }
        Some(out)
    }

    /// One of the names in `options`.
    pub(super) fn choice<T: Copy>(&mut self, value: &Json, loc: &Loc, options: &[(&str, T)]) -> Option<T> {
        let s = self.string(value, loc)?;
        if let Some((_, chosen)) = options.iter().find(|(name, _)| *name == s) {
            return Some(*chosen);
        }
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        self.report(loc, format!("{} is not one of: {}", quote(s), names.join(", ")));
        None
    }

    /// An id matching `^[a-z][a-z0-9_]*$`.
    pub(super) fn id(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        self.check_id(s, loc).then(|| s.to_owned())
    }

    pub(super) fn check_id(&mut self, s: &str, loc: &Loc) -> bool {
        let valid = is_valid_id(s);
        if !valid {
            self.report(
                loc,
                format!(
                    "{} is not a valid id: use a lower-case letter, then lower-case letters, \
                     digits or underscores (^[a-z][a-z0-9_]*$), at most {MAX_ID_CHARS} characters",
                    quote(s)
                ),
            );
        }
        valid
    }

    /// A jurisdiction id (see [`super::ident`]).
    pub(super) fn jurisdiction_id(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        if is_valid_jurisdiction_id(s) {
            return Some(s.to_owned());
        }
        let message = if s.is_empty() {
            "expected a non-empty string, found an empty string".to_owned()
        } else {
            format!(
                "{} is not a valid jurisdiction id: use ASCII letters, digits, `_`, `.` or `-`, \
                 starting with a letter or digit (^[A-Za-z0-9][A-Za-z0-9_.-]*$), at most {MAX_ID_CHARS} characters",
                quote(s)
            )
        };
        self.report(loc, message);
        None
    }

    /// An upper-case ISO 3166-1 alpha-2 country code.
    pub(super) fn country(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let code = self.string(value, loc)?;
        if country::is_iso_alpha2(code) {
            return Some(code.to_owned());
        }
        self.report(loc, bad_country(code));
        None
    }
}

pub(super) use super::ident::is_valid_id;

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

/// `value` in backticks for a message: at most [`MAX_QUOTE_CHARS`] characters, every
/// character outside printable ASCII escaped (see [`super::ident::escaped`]).
pub(super) fn quote(value: &str) -> String {
    let clipped: String = value.chars().take(MAX_QUOTE_CHARS).collect();
    let more = if value.chars().nth(MAX_QUOTE_CHARS).is_some() { "…" } else { "" };
    format!("`{}{more}`", escaped(&clipped))
}
