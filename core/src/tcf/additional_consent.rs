//! Google's Additional Consent (AC) string, which CMPs store beside the TC string
//! (`IABTCF_AddtlConsent`) for Google ad technology providers that are not on the IAB's
//! vendor list. Two forms, both still in use:
//!
//! - version 1, `1~1.35.41.101`: the version, `~`, then the consented provider ids;
//! - version 2 (since December 2023), `2~1.35.41.101~dv.9.21.81`: the version, `~`, the
//!   consented ids, `~dv.`, then the ids disclosed to the user but not consented.
//!
//! Either list may be empty (`1~`, `2~~dv.9`, `2~1.35~dv.`; `dv` without its dot is taken
//! for an empty disclosed list). Ids are positive decimal numbers separated by single dots,
//! in any order (Google's own strings are not sorted); repeats are allowed and mean the
//! same as one. Anything else is refused with an [`AcError`].

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::error::AcError;

/// The longest AC string accepted, in bytes (Google's provider list, a few thousand ids,
/// fits in about 10 KB).
pub const MAX_AC_STRING_LEN: usize = 64 * 1024;

/// A decoded Additional Consent string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AdditionalConsent {
    version: u8,
    consented: Vec<u32>,
    disclosed: Vec<u32>,
}

impl AdditionalConsent {
    /// A value of `version` (1 or 2) with these ids (any order, repeats merged). `None` for
    /// another version, a provider id 0, or disclosed ids in version 1 (which cannot say
    /// them).
    pub fn new(
        version: u8,
        consented: impl IntoIterator<Item = u32>,
        disclosed: impl IntoIterator<Item = u32>,
    ) -> Option<Self> {
        let consented = canonical(consented.into_iter().collect());
        let disclosed = canonical(disclosed.into_iter().collect());
        let valid = matches!(version, 1 | 2)
            && consented.first() != Some(&0)
            && disclosed.first() != Some(&0)
            && (version == 2 || disclosed.is_empty());
        valid.then_some(AdditionalConsent { version, consented, disclosed })
    }

    /// Decodes an AC string.
    pub fn decode(ac: &str) -> Result<Self, AcError> {
        if ac.is_empty() {
            return Err(AcError::Empty);
        }
        if ac.len() > MAX_AC_STRING_LEN {
            return Err(AcError::TooLong { len: ac.len(), max: MAX_AC_STRING_LEN });
        }
        let parts: Vec<&str> = ac.splitn(4, '~').collect();
        let found = ac.matches('~').count() + 1;
        let version = match parts.first() {
            Some(&"1") => 1,
            Some(&"2") => 2,
            _ => return Err(AcError::UnsupportedVersion),
        };
        match (version, parts.as_slice()) {
            (1, [_, consented]) => {
                Ok(AdditionalConsent { version, consented: ids("consented", consented)?, disclosed: Vec::new() })
            }
            (2, [_, consented, disclosed]) => {
                let disclosed = match *disclosed {
                    "dv" => "",
                    d => d.strip_prefix("dv.").ok_or(AcError::MissingDisclosedPrefix)?,
                };
                Ok(AdditionalConsent {
                    version,
                    consented: ids("consented", consented)?,
                    disclosed: ids("disclosed", disclosed)?,
                })
            }
            _ => Err(AcError::WrongPartCount { version, expected: usize::from(version) + 1, found }),
        }
    }

    /// The AC string text (`2~1.35~dv.9`, ids ascending).
    pub fn encode(&self) -> String {
        let join = |ids: &[u32]| ids.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        match self.version {
            1 => format!("1~{}", join(&self.consented)),
            _ => format!("2~{}~dv.{}", join(&self.consented), join(&self.disclosed)),
        }
    }

    /// 1 or 2.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The consented provider ids, ascending.
    pub fn consented(&self) -> &[u32] {
        &self.consented
    }

    /// The disclosed-but-not-consented provider ids, ascending (always empty in version 1).
    pub fn disclosed(&self) -> &[u32] {
        &self.disclosed
    }

    /// Whether the user consented to provider `id` (a manifest's `ac_id`).
    pub fn provider_consent(&self, id: u32) -> bool {
        self.consented.binary_search(&id).is_ok()
    }

    /// Whether provider `id` was disclosed to the user (consented or not); `None` for a
    /// version 1 string, which does not record disclosure.
    pub fn provider_disclosed(&self, id: u32) -> Option<bool> {
        (self.version == 2).then(|| self.provider_consent(id) || self.disclosed.binary_search(&id).is_ok())
    }
}

/// Serialises as `{"version", "consented", "disclosed"}`, `disclosed` being `null` for
/// version 1.
impl Serialize for AdditionalConsent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AdditionalConsent", 3)?;
        s.serialize_field("version", &self.version)?;
        s.serialize_field("consented", &self.consented)?;
        s.serialize_field("disclosed", &(self.version == 2).then_some(&self.disclosed))?;
        s.end()
    }
}

fn canonical(mut ids: Vec<u32>) -> Vec<u32> {
    crate::sort::sort_by_key(&mut ids, |&id| id);
    ids.dedup();
    ids
}

/// Parses a dot-separated id list (`""` is the empty list).
fn ids(list: &'static str, text: &str) -> Result<Vec<u32>, AcError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, id) in text.split('.').enumerate() {
        let position = i + 1;
        if id.is_empty() {
            return Err(AcError::EmptyId { list, position });
        }
        let value = id
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| id.parse::<u32>().ok())
            .flatten()
            .filter(|&v| v > 0)
            .ok_or(AcError::InvalidId { list, position, max: u32::MAX })?;
        out.push(value);
    }
    Ok(canonical(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both_versions() {
        let v1 = AdditionalConsent::decode("1~1.35.41.101").unwrap();
        assert_eq!((v1.version(), v1.consented(), v1.disclosed()), (1, &[1, 35, 41, 101][..], &[][..]));
        assert_eq!(v1.provider_disclosed(1), None);
        let v2 = AdditionalConsent::decode("2~1.35.41~dv.33").unwrap();
        assert_eq!((v2.consented(), v2.disclosed()), (&[1, 35, 41][..], &[33][..]));
        assert!(v2.provider_consent(35) && !v2.provider_consent(33));
        assert_eq!(
            (v2.provider_disclosed(33), v2.provider_disclosed(41), v2.provider_disclosed(2)),
            (Some(true), Some(true), Some(false))
        );
        assert_eq!(serde_json::to_string(&v2).unwrap(), r#"{"version":2,"consented":[1,35,41],"disclosed":[33]}"#);
        assert_eq!(serde_json::to_string(&v1).unwrap(), r#"{"version":1,"consented":[1,35,41,101],"disclosed":null}"#);
    }

    #[test]
    fn empty_lists_unsorted_ids_and_repeats() {
        assert_eq!(AdditionalConsent::decode("1~").unwrap().consented(), &[] as &[u32]);
        for s in ["2~~dv.", "2~~dv"] {
            let ac = AdditionalConsent::decode(s).unwrap();
            assert!(ac.consented().is_empty() && ac.disclosed().is_empty(), "{s}");
        }
        let ac = AdditionalConsent::decode("2~2072.70.89.70~dv.").unwrap();
        assert_eq!(ac.consented(), &[70, 89, 2072]);
        assert_eq!(ac.encode(), "2~70.89.2072~dv.");
        assert_eq!(AdditionalConsent::decode("2~007~dv.").unwrap().consented(), &[7]);
    }

    #[test]
    fn refuses_malformed_strings() {
        use AcError::*;
        let cases: &[(&str, AcError)] = &[
            ("", Empty),
            ("3~1~dv.", UnsupportedVersion),
            ("0~1", UnsupportedVersion),
            (" 2~1~dv.", UnsupportedVersion),
            ("2", WrongPartCount { version: 2, expected: 3, found: 1 }),
            ("2~1", WrongPartCount { version: 2, expected: 3, found: 2 }),
            ("2~1~dv.2~3", WrongPartCount { version: 2, expected: 3, found: 4 }),
            ("1~1~dv.", WrongPartCount { version: 1, expected: 2, found: 3 }),
            ("1", WrongPartCount { version: 1, expected: 2, found: 1 }),
            ("2~1~disclosed.2", MissingDisclosedPrefix),
            ("2~1~dv2", MissingDisclosedPrefix),
            ("2~1..2~dv.", EmptyId { list: "consented", position: 2 }),
            ("2~.1~dv.", EmptyId { list: "consented", position: 1 }),
            ("2~1.~dv.", EmptyId { list: "consented", position: 2 }),
            ("2~1~dv.2.", EmptyId { list: "disclosed", position: 2 }),
            ("2~-1~dv.", InvalidId { list: "consented", position: 1, max: u32::MAX }),
            ("2~1 2~dv.", InvalidId { list: "consented", position: 1, max: u32::MAX }),
            ("2~٣~dv.", InvalidId { list: "consented", position: 1, max: u32::MAX }),
            ("2~0~dv.", InvalidId { list: "consented", position: 1, max: u32::MAX }),
            ("2~1~dv.4294967296", InvalidId { list: "disclosed", position: 1, max: u32::MAX }),
            ("1~+5", InvalidId { list: "consented", position: 1, max: u32::MAX }),
        ];
        for (s, e) in cases {
            assert_eq!(AdditionalConsent::decode(s).as_ref(), Err(e), "{s:?}");
        }
        let long = format!("1~{}", "1.".repeat(MAX_AC_STRING_LEN));
        assert!(matches!(AdditionalConsent::decode(&long), Err(TooLong { .. })));
    }

    #[test]
    fn encodes_what_it_decodes() {
        for s in ["1~1.35.41.101", "1~", "2~1.35.41.101~dv.9.21.81", "2~~dv.1.2.3.4.10", "2~1.2.3.4.10~dv."] {
            let ac = AdditionalConsent::decode(s).unwrap();
            assert_eq!(ac.encode(), s);
            assert_eq!(AdditionalConsent::decode(&ac.encode()).unwrap(), ac);
        }
        assert_eq!(AdditionalConsent::new(1, [5], [6]), None);
        assert_eq!(AdditionalConsent::new(3, [5], []), None);
        assert_eq!(AdditionalConsent::new(2, [0], []), None);
        assert_eq!(AdditionalConsent::new(2, [9, 1, 9], [4]).unwrap().encode(), "2~1.9~dv.4");
    }
}
