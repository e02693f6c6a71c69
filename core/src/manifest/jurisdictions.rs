//! The `jurisdictions` section and `default_jurisdiction`: which law applies to a user
//! (`pipl`, `gdpr` or `opt_out`), from the country in their profile, and the age under
//! which they are a child. A country belongs to one jurisdiction; a user whose country
//! no jurisdiction lists (or who has none) is in the default one.

use serde::Serialize;

use super::checker::Checker;
use super::cross_refs::Kind;
use super::json::Json;
use super::location::{Loc, Located};

/// The law a jurisdiction applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Law {
    /// China's PIPL: opt-in consent, separate consent for sensitive data and third parties.
    Pipl,
    /// The EU's GDPR: opt-in consent per purpose.
    Gdpr,
    /// Consent is assumed until the user opts out (sensitive data still needs a grant).
    OptOut,
}

impl Law {
    /// The manifest's name for the law.
    pub fn as_str(self) -> &'static str {
        match self {
            Law::Pipl => "pipl",
            Law::Gdpr => "gdpr",
            Law::OptOut => "opt_out",
        }
    }
}

/// One jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jurisdiction {
    /// `^[A-Za-z0-9][A-Za-z0-9_.-]*$`, at most 64 characters (see `manifest::ident`).
    pub id: String,
    /// The law it applies.
    pub law: Law,
    /// Under this age a user is a child. 0..=21.
    pub age_of_consent: u32,
    /// The countries it covers: ISO 3166-1 alpha-2, upper case.
    pub countries: Vec<String>,
}

/// The fields of a jurisdiction.
const JURISDICTION_FIELDS: &[&str] = &["id", "law", "age_of_consent", "countries"];

/// The values of `law`.
const LAWS: &[(&str, Law)] = &[("pipl", Law::Pipl), ("gdpr", Law::Gdpr), ("opt_out", Law::OptOut)];

/// The highest `age_of_consent` a jurisdiction may set.
const MAX_AGE_OF_CONSENT: u64 = 21;

impl Checker {
    pub(super) fn default_jurisdiction(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let id = self.jurisdiction_id(value, loc)?;
        self.seen.default_jurisdiction = Some(Located::new(&id, loc, self.skip_places));
        Some(id)
    }

    pub(super) fn jurisdiction(&mut self, value: &Json, loc: &Loc) -> Option<Jurisdiction> {
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
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;

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
}
