//! TC strings for the import tests, built field by field and encoded with the library's
//! own encoder (whose output the reference suites check in `core/tests/tcf.rs`): a
//! UMP-style string as Google's UMP SDK writes one (CMP 300, TCF v2.2, service-specific,
//! timestamps at 00:00 UTC of the day of the last update, a disclosed vendors segment), and
//! a few deliberately broken ones.

use gatekeeper::tcf::{
    AlphaCode, IdBits, PublisherRestriction, PublisherRestrictions, RestrictionType, TcString, VendorSet,
};
use gatekeeper::time::parse_rfc3339;

/// Google's vendor id on the Global Vendor List.
pub const GOOGLE: u16 = 755;

/// What a UMP-style string says.
#[derive(Clone, Debug)]
pub struct Ump {
    /// `LastUpdated` (and `Created`), RFC 3339.
    pub last_updated: String,
    /// Purposes consented to.
    pub purposes: Vec<u8>,
    /// Purposes on legitimate interest, not objected to.
    pub purpose_lis: Vec<u8>,
    /// Special features opted in to.
    pub special_features: Vec<u8>,
    /// Vendors consented to.
    pub vendors: Vec<u16>,
    /// Vendors on legitimate interest, not objected to.
    pub vendor_lis: Vec<u16>,
    /// `(purpose, type, vendors)` publisher restrictions.
    pub restrictions: Vec<(u8, RestrictionType, Vec<u16>)>,
    /// `TcfPolicyVersion`.
    pub policy_version: u8,
    /// `PurposeOneTreatment`.
    pub purpose_one_treatment: bool,
}

impl Ump {
    /// A user who consented to everything for Google, on `last_updated`.
    pub fn all_consent(last_updated: &str) -> Ump {
        Ump {
            last_updated: last_updated.to_owned(),
            purposes: (1..=11).collect(),
            purpose_lis: Vec::new(),
            special_features: vec![1, 2],
            vendors: vec![GOOGLE],
            vendor_lis: Vec::new(),
            restrictions: Vec::new(),
            policy_version: 4,
            purpose_one_treatment: false,
        }
    }

    /// The decoded value.
    pub fn value(&self) -> TcString {
        let ds = parse_rfc3339(&self.last_updated).expect("an RFC 3339 time") as u64 / 100;
        let mut disclosed: Vec<u16> = self.vendors.iter().chain(&self.vendor_lis).copied().collect();
        disclosed.push(GOOGLE);
        TcString {
            created_ds: ds,
            last_updated_ds: ds,
            cmp_id: 300,
            cmp_version: 2,
            consent_screen: 1,
            consent_language: AlphaCode::new("EN").unwrap(),
            vendor_list_version: 80,
            tcf_policy_version: self.policy_version,
            is_service_specific: true,
            use_non_standard_texts: false,
            special_feature_opt_ins: IdBits::from_ids(self.special_features.iter().copied()),
            purpose_consents: IdBits::from_ids(self.purposes.iter().copied()),
            purpose_legitimate_interests: IdBits::from_ids(self.purpose_lis.iter().copied()),
            purpose_one_treatment: self.purpose_one_treatment,
            publisher_cc: AlphaCode::new("DE").unwrap(),
            vendor_consents: VendorSet::from_ids(self.vendors.iter().copied()),
            vendor_legitimate_interests: VendorSet::from_ids(self.vendor_lis.iter().copied()),
            publisher_restrictions: PublisherRestrictions::new(self.restrictions.iter().map(|(p, t, v)| {
                PublisherRestriction {
                    purpose: *p,
                    restriction_type: *t,
                    vendors: VendorSet::from_ids(v.iter().copied()),
                }
            })),
            disclosed_vendors: Some(VendorSet::from_ids(disclosed)),
            allowed_vendors: None,
            publisher_tc: None,
        }
    }

    /// The TC string.
    pub fn encode(&self) -> String {
        self.value().encode().expect("a UMP-style string encodes")
    }
}

/// Malformed TC strings, each with what it breaks: bad base64url, truncated segments,
/// impossible ranges, a huge `MaxVendorId`, unknown and repeated segments.
pub fn malformed() -> Vec<(&'static str, String)> {
    let good = Ump::all_consent("2026-01-01T00:00:00Z").encode();
    let core = good.split('.').next().unwrap().to_owned();
    vec![
        ("empty", String::new()),
        ("not base64url", good.replace('A', "/")),
        ("a space", format!(" {good}")),
        ("truncated core", core[..core.len() / 2].to_owned()),
        ("truncated optional segment", format!("{core}.IBAg")),
        ("an empty segment", format!("{core}..{core}")),
        ("version 1", "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA".to_owned()),
        ("unknown segment type", format!("{core}.gAAA")),
        ("a repeated core", format!("{core}.{core}")),
        // All ones from the vendor consent section on: a huge MaxVendorId, nothing after it.
        ("huge MaxVendorId", format!("{}{}", &core[..36], "__________")),
        ("oversized", "C".repeat(70_000)),
        ("misplaced padding", format!("{}={}", &core[..8], &core[8..])),
    ]
}
