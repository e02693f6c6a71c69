//! The `purposes` section: what the app uses personal information for, each with its
//! legal basis (which decides, with the jurisdiction's law, whether it needs a grant)
//! and whether it concerns sensitive data (which needs a separate grant under PIPL and
//! GDPR). SDKs and permissions refer to purposes by id. For the EEA (contract section 11),
//! a purpose may map the IAB TCF purposes and special features that a CMP's TC string
//! grants it with (`tcf_purposes`, `tcf_special_features`), and the Google Consent Mode
//! signals it stands for (`consent_mode`). For the disclosure lists (contract §10.1), a
//! purpose names the personal information collected for it (`data`) and says how it is
//! used (`usage`, like `title` a string or a language map).

use serde::Serialize;

use super::checker::Checker;
use super::cross_refs::Kind;
use super::json::Json;
use super::localized::LocalizedText;
use super::location::Loc;
use crate::consent_mode::ConsentSignal;
use crate::tcf::{MAX_TCF_PURPOSE, MAX_TCF_SPECIAL_FEATURE};

/// The legal basis of a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The user's consent.
    Consent,
    /// Needed for the service the user asked for: met by accepting the policy.
    Contract,
    /// Required by law: met by accepting the policy.
    LegalObligation,
    /// The app's legitimate interest: met unless the user objects (consent under PIPL).
    LegitimateInterest,
}

impl Basis {
    /// The manifest's name for the basis.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Consent => "consent",
            Basis::Contract => "contract",
            Basis::LegalObligation => "legal_obligation",
            Basis::LegitimateInterest => "legitimate_interest",
        }
    }

    /// Whether the user's choice can matter: consent and legitimate interest (an
    /// objection). Contract and legal obligation rest on the policy acceptance, so a
    /// withdrawal of them is refused and `sensitive` means nothing on them.
    pub fn rests_on_choice(self) -> bool {
        matches!(self, Basis::Consent | Basis::LegitimateInterest)
    }
}

/// One purpose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Purpose {
    /// The purpose's id (`^[a-z][a-z0-9_]*$`).
    pub id: String,
    /// What the user is shown: one string or one per language.
    pub title: LocalizedText,
    /// Its legal basis.
    pub basis: Basis,
    /// Concerns sensitive personal information. Default false.
    pub sensitive: bool,
    /// Needed by the basic service a user who declined the policy keeps (§9.1). Only a
    /// `contract` or `legal_obligation` purpose may be basic. Default false.
    pub basic: bool,
    /// The IAB TCF purposes (1-11) a TC string must consent to for an import to grant
    /// this purpose (`tcf import`); empty (the default) when no TC string decides it.
    pub tcf_purposes: Vec<u8>,
    /// The TCF special features (1 precise geolocation, 2 device scanning) the user must
    /// also have opted in to. Default empty.
    pub tcf_special_features: Vec<u8>,
    /// The Google Consent Mode signals this purpose stands for (`decide consent-mode`).
    /// Default empty.
    pub consent_mode: Vec<ConsentSignal>,
    /// The personal information collected for it (free strings; the README recommends a
    /// vocabulary that build lint maps to Apple's and Google Play's types). Default empty.
    pub data: Vec<String>,
    /// How and when the information is used, for the disclosure lists. None by default.
    pub usage: Option<LocalizedText>,
}

impl Purpose {
    /// Whether a TC string decides this purpose (it maps TCF purposes or special features).
    pub fn is_tcf_mapped(&self) -> bool {
        !self.tcf_purposes.is_empty() || !self.tcf_special_features.is_empty()
    }
}

/// The fields of a purpose.
const PURPOSE_FIELDS: &[&str] = &[
    "id",
    "title",
    "basis",
    "sensitive",
    "basic",
    "tcf_purposes",
    "tcf_special_features",
    "consent_mode",
    "data",
    "usage",
];

/// The values of `basis`.
const BASES: &[(&str, Basis)] = &[
    ("consent", Basis::Consent),
    ("contract", Basis::Contract),
    ("legal_obligation", Basis::LegalObligation),
    ("legitimate_interest", Basis::LegitimateInterest),
];

impl Checker {
    pub(super) fn purpose(&mut self, value: &Json, loc: &Loc) -> Option<Purpose> {
        let obj = self.object(value, loc, PURPOSE_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Purpose);
        let title = self.field(&obj, "title", Self::localized);
        let basis = self.field(&obj, "basis", |c, v, at| c.choice(v, at, BASES));
        let sensitive = self.optional(&obj, "sensitive", Self::boolean);
        let basic = self.optional(&obj, "basic", |c, v, at| {
            let basic = c.boolean(v, at)?;
            if basic && basis.is_some_and(|b| !matches!(b, Basis::Contract | Basis::LegalObligation)) {
                c.report(at, "only a purpose with basis `contract` or `legal_obligation` may be basic");
                return None;
            }
            Some(basic)
        });
        let tcf_purposes = self.optional(&obj, "tcf_purposes", |c, v, at| c.tcf_ids(v, at, MAX_TCF_PURPOSE));
        let tcf_special_features =
            self.optional(&obj, "tcf_special_features", |c, v, at| c.tcf_ids(v, at, MAX_TCF_SPECIAL_FEATURE));
        let consent_mode = self.optional(&obj, "consent_mode", |c, v, at| c.distinct_list(v, at, Self::signal));
        let data = self.optional(&obj, "data", Self::texts);
        let usage = self.optional(&obj, "usage", Self::localized);
        Some(Purpose {
            id: id?,
            title: title?,
            basis: basis?,
            sensitive: sensitive.unwrap_or(false),
            basic: basic.unwrap_or(false),
            tcf_purposes: tcf_purposes.unwrap_or_default(),
            tcf_special_features: tcf_special_features.unwrap_or_default(),
            consent_mode: consent_mode.unwrap_or_default(),
            data: data.unwrap_or_default(),
            usage,
        })
    }

    /// A list of distinct TCF ids from 1 to `max`.
    fn tcf_ids(&mut self, value: &Json, loc: &Loc, max: u8) -> Option<Vec<u8>> {
        let ids = self.distinct_list(value, loc, |c, v, at| c.number_in(v, at, 1, max.into()))?;
        Some(ids.into_iter().filter_map(|id| u8::try_from(id).ok()).collect())
    }

    /// A Consent Mode signal's name.
    fn signal(&mut self, value: &Json, loc: &Loc) -> Option<ConsentSignal> {
        let options = ConsentSignal::ALL.map(|s| (s.as_str(), s));
        self.choice(value, loc, &options)
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::tests::{issues_after, minimal};

    fn purpose_issues(fields: serde_json::Value) -> Vec<(String, String)> {
        let issues = issues_after(|m| {
            let purpose = m["purposes"][0].as_object_mut().unwrap();
            purpose.extend(fields.as_object().unwrap().clone());
        });
        issues.into_iter().map(|i| (i.path, i.message)).collect()
    }

    #[test]
    fn only_a_contract_or_legal_obligation_purpose_may_be_basic() {
        let mut m = minimal();
        m["purposes"][0]["basic"] = serde_json::json!(true);
        let parsed = crate::manifest::parse(&m.to_string()).expect("valid");
        assert!(parsed.purposes[0].basic && !parsed.purposes[1].basic);
        m["purposes"][1]["basic"] = serde_json::json!(true);
        m["purposes"].as_array_mut().unwrap().push(serde_json::json!(
            {"id": "law", "title": "Tax records", "basis": "legal_obligation", "basic": true}
        ));
        m["purposes"].as_array_mut().unwrap().push(serde_json::json!(
            {"id": "fraud", "title": "Fraud checks", "basis": "legitimate_interest", "basic": "yes"}
        ));
        let issues = crate::manifest::parse(&m.to_string()).expect_err("invalid");
        let found: Vec<(&str, &str)> = issues.iter().map(|i| (i.path.as_str(), i.message.as_str())).collect();
        assert_eq!(
            found,
            [
                ("/purposes/1/basic", "only a purpose with basis `contract` or `legal_obligation` may be basic"),
                ("/purposes/3/basic", "expected a boolean, found a string"),
            ]
        );
        let mut m = minimal();
        m["purposes"][1]["basic"] = serde_json::json!(false);
        assert!(crate::manifest::parse(&m.to_string()).is_ok(), "false is always fine");
    }

    #[test]
    fn tcf_fields_are_read_with_their_defaults() {
        let mut m = minimal();
        m["purposes"][0]["tcf_purposes"] = serde_json::json!([1, 3, 4]);
        m["purposes"][0]["tcf_special_features"] = serde_json::json!([1]);
        m["purposes"][0]["consent_mode"] = serde_json::json!(["ad_storage", "ad_user_data"]);
        let parsed = crate::manifest::parse(&m.to_string()).expect("valid");
        let p = &parsed.purposes[0];
        assert_eq!((p.tcf_purposes.as_slice(), p.tcf_special_features.as_slice()), (&[1, 3, 4][..], &[1][..]));
        assert_eq!(p.consent_mode.iter().map(|s| s.as_str()).collect::<Vec<_>>(), ["ad_storage", "ad_user_data"]);
        assert!(p.is_tcf_mapped());
        let plain = crate::manifest::parse(&minimal().to_string()).expect("valid");
        let p = &plain.purposes[0];
        assert!(p.tcf_purposes.is_empty() && p.tcf_special_features.is_empty() && p.consent_mode.is_empty());
        assert!(!p.is_tcf_mapped());
    }

    #[test]
    fn tcf_ids_are_in_range_and_listed_once_and_signals_are_googles() {
        let issues = purpose_issues(serde_json::json!({
            "tcf_purposes": [1, 0, 12, 3, 3, -1, 2.5, "4"],
            "tcf_special_features": [3],
            "consent_mode": ["ad_storage", "ads", "ad_storage"],
        }));
        let expected: Vec<(String, String)> = [
            ("/purposes/0/tcf_purposes/1", "expected an integer from 1 to 11, found 0"),
            ("/purposes/0/tcf_purposes/2", "expected an integer from 1 to 11, found 12"),
            ("/purposes/0/tcf_purposes/4", "`3` is listed more than once"),
            ("/purposes/0/tcf_purposes/5", "expected an integer from 1 to 11, found -1"),
            ("/purposes/0/tcf_purposes/6", "expected an integer from 1 to 11, found 2.5"),
            ("/purposes/0/tcf_purposes/7", "expected an integer from 1 to 11, found a string"),
            ("/purposes/0/tcf_special_features/0", "expected an integer from 1 to 2, found 3"),
            (
                "/purposes/0/consent_mode/1",
                "`ads` is not one of: ad_storage, analytics_storage, ad_user_data, ad_personalization",
            ),
            ("/purposes/0/consent_mode/2", "`ad_storage` is listed more than once"),
        ]
        .iter()
        .map(|(p, m)| (p.to_string(), m.to_string()))
        .collect();
        assert_eq!(issues, expected);
        let wrong = purpose_issues(serde_json::json!({"tcf_purposes": 1, "consent_mode": "ad_storage"}));
        assert_eq!(
            wrong,
            [
                ("/purposes/0/tcf_purposes".to_string(), "expected an array, found a number".to_string()),
                ("/purposes/0/consent_mode".to_string(), "expected an array, found a string".to_string()),
            ]
        );
    }
}
