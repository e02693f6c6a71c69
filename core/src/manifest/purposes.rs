//! The `purposes` section: what the app uses personal information for, each with its
//! legal basis (which decides, with the jurisdiction's law, whether it needs a grant)
//! and whether it concerns sensitive data (which needs a separate grant under PIPL and
//! GDPR). SDKs and permissions refer to purposes by id.

use serde::Serialize;

use super::checker::Checker;
use super::cross_refs::Kind;
use super::json::Json;
use super::location::Loc;

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
}

/// One purpose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Purpose {
    /// The purpose's id (`^[a-z][a-z0-9_]*$`).
    pub id: String,
    /// What the user is shown.
    pub title: String,
    /// Its legal basis.
    pub basis: Basis,
    /// Concerns sensitive personal information. Default false.
    pub sensitive: bool,
}

/// The fields of a purpose.
const PURPOSE_FIELDS: &[&str] = &["id", "title", "basis", "sensitive"];

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
        let title = self.field(&obj, "title", Self::text);
        let basis = self.field(&obj, "basis", |c, v, at| c.choice(v, at, BASES));
        let sensitive = self.optional(&obj, "sensitive", Self::boolean);
        Some(Purpose { id: id?, title: title?, basis: basis?, sensitive: sensitive.unwrap_or(false) })
    }
}
