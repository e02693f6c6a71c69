//! Text the user reads, in one language or several (contract §10.1): any `title`, and the
//! new `usage` fields, are either a plain string or an object of BCP 47 language tag →
//! string (`{"en": "Usage analytics", "zh-CN": "使用情况分析"}`). Screens and the
//! disclosure lists pick one language with [`LocalizedText::get`]; everything that showed a
//! title before (state, export, CLI output, the bindings' records) shows
//! [`LocalizedText::text`], the English (or only) text, so a plain-string manifest means
//! exactly what it meant before.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::checker::{quote, Checker};
use super::json::Json;
use super::location::Loc;

/// A text as the manifest gives it: one string, or one string per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalizedText {
    /// One string, for every language.
    Plain(String),
    /// `(language tag, text)` in manifest order; never empty, each tag once (compared
    /// case-insensitively).
    Languages(Vec<(String, String)>),
}

/// The language a map falls back to when the one asked for is missing.
pub const FALLBACK_LANGUAGE: &str = "en";

impl LocalizedText {
    /// The text shown where no language is asked for: the plain string, else `en`, else
    /// the first language given.
    pub fn text(&self) -> &str {
        self.get(None)
    }

    /// The text in `lang` (a BCP 47 tag, any case), falling back to `en`, then to the
    /// first language given. A tag finds itself, else its shorter forms (`zh-Hans-CN`,
    /// `zh-Hans`, `zh`: the RFC 4647 lookup), else a longer tag of the same language
    /// (`zh` finds `zh-CN`).
    pub fn get(&self, lang: Option<&str>) -> &str {
        match self {
            LocalizedText::Plain(s) => s,
            LocalizedText::Languages(entries) => {
                let chosen = lang.and_then(|l| lookup(entries, l)).or_else(|| lookup(entries, FALLBACK_LANGUAGE));
                chosen.or_else(|| entries.first().map(|(_, text)| text.as_str())).unwrap_or_default()
            }
        }
    }

    /// The language tags given (none for a plain string).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        let entries = match self {
            LocalizedText::Plain(_) => &[][..],
            LocalizedText::Languages(entries) => entries.as_slice(),
        };
        entries.iter().map(|(tag, _)| tag.as_str())
    }

    /// Whether the text has an entry for `lang` itself or one of its shorter or longer
    /// forms (no fallback): a plain string has every language.
    pub fn has_language(&self, lang: &str) -> bool {
        match self {
            LocalizedText::Plain(_) => true,
            LocalizedText::Languages(entries) => lookup(entries, lang).is_some(),
        }
    }
}

/// `lang`, then its truncations, then a longer tag of the same primary language.
fn lookup<'a>(entries: &'a [(String, String)], lang: &str) -> Option<&'a str> {
    let find = |tag: &str| entries.iter().find(|(t, _)| t.eq_ignore_ascii_case(tag)).map(|(_, s)| s.as_str());
    let mut tag = lang;
    loop {
        if let Some(found) = find(tag) {
            return Some(found);
        }
        match tag.rsplit_once('-') {
            Some((shorter, _)) => tag = shorter,
            None => break,
        }
    }
    let primary = lang.split('-').next().unwrap_or(lang);
    entries
        .iter()
        .find(|(t, _)| t.split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(primary)))
        .map(|(_, s)| s.as_str())
}

impl fmt::Display for LocalizedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl From<&str> for LocalizedText {
    fn from(s: &str) -> Self {
        LocalizedText::Plain(s.to_owned())
    }
}

/// As written: a string, or the object of languages in manifest order.
impl Serialize for LocalizedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            LocalizedText::Plain(s) => serializer.serialize_str(s),
            LocalizedText::Languages(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (tag, text) in entries {
                    map.serialize_entry(tag, text)?;
                }
                map.end()
            }
        }
    }
}

/// Whether `tag` is a well-formed BCP 47 language tag in the shape apps use: a primary
/// language of 2-3 letters (or `x`/`i` for private and grandfathered tags), then subtags
/// of 1-8 letters or digits, separated by `-`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok = (2..=3).contains(&primary.len()) || primary.eq_ignore_ascii_case("x") || primary == "i";
    primary_ok
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl Checker {
    /// A non-empty string, or a non-empty object of language tag → non-empty string.
    pub(super) fn localized(&mut self, value: &Json, loc: &Loc) -> Option<LocalizedText> {
        let Json::Object(members) = value else {
            if let Json::String(_) = value {
                return self.text(value, loc).map(LocalizedText::Plain);
            }
            // The same words as before titles took a language map (a string is still the
            // usual form).
            self.wrong_type(value, loc, "a string");
            return None;
        };
        if members.is_empty() {
            self.report(loc, "expected at least one language, found an empty object");
            return None;
        }
        let mut entries: Vec<(String, String)> = Vec::with_capacity(members.len());
        let mut valid = true;
        for (position, (tag, text)) in members.iter().enumerate() {
            let at = loc.member(tag, position);
            if !is_language_tag(tag) {
                self.report(&at, format!("{} is not a BCP 47 language tag (such as `en` or `zh-CN`)", quote(tag)));
                valid = false;
            } else if entries.iter().any(|(t, _)| t.eq_ignore_ascii_case(tag)) {
                self.report(&at, format!("language {} is given more than once", quote(tag)));
                valid = false;
            }
            match self.text(text, &at) {
                Some(text) => entries.push((tag.to_string(), text)),
                None => valid = false,
            }
        }
        valid.then_some(LocalizedText::Languages(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;
    use super::*;

    fn langs(pairs: &[(&str, &str)]) -> LocalizedText {
        LocalizedText::Languages(pairs.iter().map(|(t, s)| (t.to_string(), s.to_string())).collect())
    }

    #[test]
    fn a_language_falls_back_to_english_then_to_the_first() {
        let t = langs(&[("zh-CN", "使用情况分析"), ("en", "Usage analytics"), ("de", "Nutzungsanalyse")]);
        assert_eq!(t.get(Some("zh-CN")), "使用情况分析");
        assert_eq!(t.get(Some("ZH-cn")), "使用情况分析", "tags compare case-insensitively");
        assert_eq!(t.get(Some("zh")), "使用情况分析", "a shorter tag finds a longer one");
        assert_eq!(t.get(Some("zh-Hans-CN")), "使用情况分析", "primary language match");
        assert_eq!(t.get(Some("de-AT")), "Nutzungsanalyse", "RFC 4647 lookup truncates");
        assert_eq!(t.get(Some("fr")), "Usage analytics");
        assert_eq!(t.get(None), "Usage analytics");
        assert_eq!(t.text(), "Usage analytics");
        let no_en = langs(&[("zh-CN", "分析"), ("de", "Analyse")]);
        assert_eq!(no_en.get(Some("fr")), "分析", "then the first language given");
        assert_eq!(no_en.to_string(), "分析");
        let plain = LocalizedText::from("Analytics");
        assert_eq!((plain.get(Some("zh-CN")), plain.text()), ("Analytics", "Analytics"));
        assert!(plain.has_language("ja") && t.has_language("zh") && !t.has_language("fr"));
        assert_eq!(t.languages().collect::<Vec<_>>(), ["zh-CN", "en", "de"]);
    }

    #[test]
    fn language_tags_are_checked() {
        for ok in ["en", "zh-CN", "zh-Hans-CN", "yue-HK", "es-419", "x-klingon", "sr-Latn"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "e", "english", "zh_CN", "zh-", "-CN", "zh-CN-toolongsubtag", "中文", "1e"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn titles_take_a_language_map_and_every_mistake_has_its_path() {
        let mut m = minimal();
        m["purposes"][0]["title"] = json!({"en": "Core", "zh-CN": "核心功能"});
        let parsed = parse(&m.to_string()).expect("valid");
        assert_eq!(parsed.purposes[0].title.get(Some("zh-CN")), "核心功能");
        assert_eq!(parsed.purposes[0].title.text(), "Core");
        assert_eq!(
            serde_json::to_value(&parsed.purposes[0].title).unwrap(),
            json!({"en": "Core", "zh-CN": "核心功能"})
        );

        let found = issues_after(|m| {
            m["purposes"][0]["title"] = json!({"en": "Core", "zh_CN": "核心", "EN": "again", "de": ""});
            m["permissions"][0]["title"] = json!({});
            m["permissions"][0]["usage"] = json!(["Camera"]);
        });
        assert_eq!(
            found,
            [
                issue("/purposes/0/title/zh_CN", "`zh_CN` is not a BCP 47 language tag (such as `en` or `zh-CN`)"),
                issue("/purposes/0/title/EN", "language `EN` is given more than once"),
                issue("/purposes/0/title/de", "expected a non-empty string, found an empty string"),
                issue("/permissions/0/title", "expected at least one language, found an empty object"),
                issue("/permissions/0/usage", "expected a string, found an array"),
            ]
        );
    }
}
