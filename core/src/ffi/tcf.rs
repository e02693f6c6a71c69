//! The IAB TCF as Kotlin and Swift see it (contract section 11): a decoded TC string as a
//! typed record ([`tcf_decode`]), for an app's settings or debug screen and for tests.
//! Importing the CMP's strings and the Consent Mode signals are methods of the
//! [`Gatekeeper`](super::Gatekeeper) object (`tcfImport`, `consentMode`).
//!
//! Ids cross as signed integers, as every count does (see `convert.rs`). Where the JSON
//! of `tcf decode` gives an absent disclosed or allowed vendors segment as `[]`, the record
//! says `None`: a typed caller can tell "no segment" from "an empty one".

use std::time::SystemTime;

use super::convert::instant;
use super::Result;
use crate::error::Error;
use crate::tcf::{IdBits, PublisherRestriction, PublisherTc, RestrictionType, TcString, VendorSet};

/// A decoded TC string (TCF v2.0 to v2.3), field by field as the TCF names them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DecodedTcString {
    /// `Version`: 2.
    pub version: i32,
    /// `Created` (a TCF v2.2 CMP sets it to the day of the last update).
    pub created: SystemTime,
    /// `LastUpdated`.
    pub last_updated: SystemTime,
    /// The last instant at which the string still counts: `last_updated` plus 13 calendar
    /// months (after it, `tcfImport` refuses it as stale).
    pub fresh_until: SystemTime,
    /// `CmpId`.
    pub cmp_id: i32,
    /// `CmpVersion`.
    pub cmp_version: i32,
    /// `ConsentScreen`.
    pub consent_screen: i32,
    /// `ConsentLanguage`, two upper-case letters.
    pub consent_language: String,
    /// `VendorListVersion`.
    pub vendor_list_version: i32,
    /// `TcfPolicyVersion` (4 is TCF v2.2, 5 v2.3).
    pub tcf_policy_version: i32,
    /// `IsServiceSpecific`.
    pub is_service_specific: bool,
    /// `UseNonStandardTexts`.
    pub use_non_standard_texts: bool,
    /// Special features the user opted in to, ascending.
    pub special_feature_opt_ins: Vec<i32>,
    /// Purposes the user consented to, ascending.
    pub purpose_consents: Vec<i32>,
    /// Purposes whose legitimate interest was disclosed and not objected to, ascending.
    pub purpose_legitimate_interests: Vec<i32>,
    /// `PurposeOneTreatment`: purpose 1 was not disclosed.
    pub purpose_one_treatment: bool,
    /// `PublisherCC`, two upper-case letters.
    pub publisher_cc: String,
    /// Vendors (GVL ids) with the user's consent, ascending.
    pub vendor_consents: Vec<i32>,
    /// Vendors whose legitimate interest was disclosed and not objected to, ascending.
    pub vendor_legitimate_interests: Vec<i32>,
    /// The publisher's restrictions, one per purpose and type, ascending.
    pub publisher_restrictions: Vec<TcfPublisherRestriction>,
    /// The disclosed vendors segment, `None` when the string has none.
    pub disclosed_vendors: Option<Vec<i32>>,
    /// The allowed vendors segment, `None` when the string has none.
    pub allowed_vendors: Option<Vec<i32>>,
    /// The publisher TC segment, `None` when the string has none.
    pub publisher_tc: Option<TcfPublisherTc>,
}

/// One publisher restriction.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TcfPublisherRestriction {
    /// The TCF purpose.
    pub purpose: i32,
    /// What the publisher requires of these vendors for it.
    pub restriction_type: RestrictionType,
    /// The vendors it applies to, ascending.
    pub vendors: Vec<i32>,
}

/// The publisher TC segment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TcfPublisherTc {
    /// TCF purposes consented to for the publisher.
    pub purpose_consents: Vec<i32>,
    /// TCF purposes on the publisher's legitimate interest, not objected to.
    pub purpose_legitimate_interests: Vec<i32>,
    /// How many custom purposes the publisher defines (numbered from 1).
    pub num_custom_purposes: i32,
    /// Custom purposes consented to.
    pub custom_purpose_consents: Vec<i32>,
    /// Custom purposes on legitimate interest, not objected to.
    pub custom_purpose_legitimate_interests: Vec<i32>,
}

/// Decodes a TC string (as a CMP stored it in `IABTCF_TCString`) without recording
/// anything.
///
/// # Errors
/// `TcfInvalid`, saying what is wrong and where (never quoting the string).
#[uniffi::export]
pub fn tcf_decode(tc_string: String) -> Result<DecodedTcString> {
    let tc = TcString::decode(&tc_string).map_err(|e| Error::TcfInvalid { what: "TC", message: e.to_string() })?;
    Ok(DecodedTcString::from(&tc))
}

fn ids(bits: IdBits) -> Vec<i32> {
    bits.iter().map(i32::from).collect()
}

fn vendors(set: &VendorSet) -> Vec<i32> {
    set.iter().map(i32::from).collect()
}

impl From<&TcString> for DecodedTcString {
    fn from(tc: &TcString) -> Self {
        DecodedTcString {
            version: TcString::VERSION.into(),
            created: instant(tc.created_ms()),
            last_updated: instant(tc.last_updated_ms()),
            fresh_until: instant(tc.fresh_until_ms()),
            cmp_id: tc.cmp_id.into(),
            cmp_version: tc.cmp_version.into(),
            consent_screen: tc.consent_screen.into(),
            consent_language: tc.consent_language.as_str().to_owned(),
            vendor_list_version: tc.vendor_list_version.into(),
            tcf_policy_version: tc.tcf_policy_version.into(),
            is_service_specific: tc.is_service_specific,
            use_non_standard_texts: tc.use_non_standard_texts,
            special_feature_opt_ins: ids(tc.special_feature_opt_ins),
            purpose_consents: ids(tc.purpose_consents),
            purpose_legitimate_interests: ids(tc.purpose_legitimate_interests),
            purpose_one_treatment: tc.purpose_one_treatment,
            publisher_cc: tc.publisher_cc.as_str().to_owned(),
            vendor_consents: vendors(&tc.vendor_consents),
            vendor_legitimate_interests: vendors(&tc.vendor_legitimate_interests),
            publisher_restrictions: tc.publisher_restrictions.iter().map(TcfPublisherRestriction::from).collect(),
            disclosed_vendors: tc.disclosed_vendors.as_ref().map(vendors),
            allowed_vendors: tc.allowed_vendors.as_ref().map(vendors),
            publisher_tc: tc.publisher_tc.as_ref().map(TcfPublisherTc::from),
        }
    }
}

impl From<&PublisherRestriction> for TcfPublisherRestriction {
    fn from(r: &PublisherRestriction) -> Self {
        TcfPublisherRestriction {
            purpose: r.purpose.into(),
            restriction_type: r.restriction_type,
            vendors: vendors(&r.vendors),
        }
    }
}

impl From<&PublisherTc> for TcfPublisherTc {
    fn from(p: &PublisherTc) -> Self {
        TcfPublisherTc {
            purpose_consents: ids(p.purpose_consents),
            purpose_legitimate_interests: ids(p.purpose_legitimate_interests),
            num_custom_purposes: p.num_custom_purposes.into(),
            custom_purpose_consents: ids(p.custom_purpose_consents),
            custom_purpose_legitimate_interests: ids(p.custom_purpose_legitimate_interests),
        }
    }
}
