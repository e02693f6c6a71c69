//! The manifest as written: a small JSON tree that keeps object members in document
//! order and keeps repeated keys, so every issue is reported in document order and a
//! key given twice is reported instead of silently keeping the last value. serde's
//! derived `Deserialize` stops at the first error and cannot report unknown fields
//! together with missing ones, so the manifest is read from this tree instead.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ManifestIssue;

/// A JSON document as written. Unlike `serde_json::Value`, objects keep their members
/// in document order and keep repeated keys, so issues come out in document order and
/// a key given twice is reported instead of silently keeping the last value. Strings
/// and keys without escapes borrow from the manifest's text.
#[derive(Debug)]
pub(super) enum Json<'d> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'d, str>),
    Array(Vec<Json<'d>>),
    Object(Vec<(Cow<'d, str>, Json<'d>)>),
}

impl Json<'_> {
    /// What kind of value this is, for "expected …, found …" messages.
    pub(super) fn kind(&self) -> &'static str {
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
pub(super) fn syntax_issue(error: &serde_json::Error) -> ManifestIssue {
    let full = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let what = full.strip_suffix(&position).unwrap_or(&full);
    ManifestIssue {
        path: String::new(),
        message: format!("invalid JSON at line {}, column {}: {what}", error.line(), error.column()),
    }
}
