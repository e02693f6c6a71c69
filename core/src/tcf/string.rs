//! The decoded TC string: every field of the core segment and of the optional segments, and
//! the questions an importer asks of it (does purpose 3 have consent, does vendor 755,
//! what does the publisher restrict). Decoding walks the segments in order: the core
//! first, then any of disclosed vendors, allowed vendors and publisher TC, each at most
//! once, in any order (the TCF lets them come in any order).

use std::str::FromStr;

use super::bits::BitReader;
use super::error::{SegmentKind, TcfError};
use super::flags::IdBits;
use super::letters::AlphaCode;
use super::publisher::PublisherTc;
use super::restrictions::{PublisherRestrictions, RestrictionType};
use super::vendor_set::VendorSet;
use super::{core_segment, segments, vendor_segments};

/// A decoded TC string (version 2: TCF v2.0 to v2.3).
///
/// Equality is equality of the signals: two strings that encode the same ids with
/// different `MaxVendorId`s or encodings (bit field or ranges) decode to equal values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TcString {
    /// `Created`, in deciseconds since the Unix epoch (36 bits).
    pub created_ds: u64,
    /// `LastUpdated`, in deciseconds since the Unix epoch (36 bits). TCF v2.2 CMPs set
    /// both timestamps to the day of the last update (00:00 UTC).
    pub last_updated_ds: u64,
    /// `CmpId` (12 bits).
    pub cmp_id: u16,
    /// `CmpVersion` (12 bits).
    pub cmp_version: u16,
    /// `ConsentScreen` (6 bits).
    pub consent_screen: u8,
    /// `ConsentLanguage`: the ISO 639-1 language the CMP asked in (upper case).
    pub consent_language: AlphaCode,
    /// `VendorListVersion` (12 bits).
    pub vendor_list_version: u16,
    /// `TcfPolicyVersion` (6 bits): 2 for TCF v2.0, 3 for v2.1, 4 for v2.2, 5 for v2.3.
    pub tcf_policy_version: u8,
    /// `IsServiceSpecific`: the consent applies to this service (app) only, not to a
    /// group of sites and apps sharing it. TCF v2.2 CMPs always set it.
    pub is_service_specific: bool,
    /// `UseNonStandardTexts` (named `UseNonStandardStacks` before TCF v2.2).
    pub use_non_standard_texts: bool,
    /// `SpecialFeatureOptIns`, special features 1-12.
    pub special_feature_opt_ins: IdBits,
    /// `PurposesConsent`, purposes 1-24.
    pub purpose_consents: IdBits,
    /// `PurposesLITransparency`, purposes 1-24.
    pub purpose_legitimate_interests: IdBits,
    /// `PurposeOneTreatment`: purpose 1 (store and access information on a device) was
    /// not disclosed, because the publisher's country does not require it; see
    /// `publisher_cc`.
    pub purpose_one_treatment: bool,
    /// `PublisherCC`: the ISO 3166-1 country of the publisher (upper case), whose rules
    /// `purpose_one_treatment` follows.
    pub publisher_cc: AlphaCode,
    /// The Vendor Consent section: the GVL ids of the vendors the user consented to.
    pub vendor_consents: VendorSet,
    /// The Vendor Legitimate Interest section: the vendors whose legitimate interest was
    /// disclosed and not objected to.
    pub vendor_legitimate_interests: VendorSet,
    /// The Publisher Restrictions section, merged per (purpose, type).
    pub publisher_restrictions: PublisherRestrictions,
    /// The disclosed vendors segment, `None` when the string has none.
    pub disclosed_vendors: Option<VendorSet>,
    /// The allowed vendors segment, `None` when the string has none.
    pub allowed_vendors: Option<VendorSet>,
    /// The publisher TC segment, `None` when the string has none.
    pub publisher_tc: Option<PublisherTc>,
}

/// The `TcfPolicyVersion` of TCF v2.2; strings below it are invalid since 30 September
/// 2023 (the IAB's "Managing conflicting string versions").
pub const TCF_POLICY_VERSION_V2_2: u8 = 4;

impl TcString {
    /// The core segment's `Version` for TCF v2.x.
    pub const VERSION: u8 = 2;

    /// Decodes a TC string. Every malformed input is a [`TcfError`] naming what and where;
    /// nothing panics, and the work is bounded by
    /// [`MAX_TC_STRING_LEN`](super::MAX_TC_STRING_LEN).
    pub fn decode(tc: &str) -> Result<TcString, TcfError> {
        // One buffer for every segment, large enough for the longest.
        let mut buf = Vec::with_capacity(tc.len() / 4 * 3 + 3);
        let segments = segments::split(tc)?;
        let mut parts = segments.iter();
        let (first, text) = parts.next().ok_or(TcfError::Empty)?;
        let bits = segments::decode(first, text, &mut buf)?;
        let mut out = core_segment::read(&mut BitReader::new(&buf, bits, first, SegmentKind::Core))?;
        // Where each segment kind was seen, by SegmentType.
        let mut seen = [Some(first), None, None, None];
        for (segment, text) in parts {
            let bits = segments::decode(segment, text, &mut buf)?;
            let mut r = BitReader::new(&buf, bits, segment, SegmentKind::Core);
            let segment_type = r.read_u8("SegmentType", 3)?;
            let kind =
                SegmentKind::from_type(segment_type).ok_or(TcfError::UnknownSegmentType { segment, segment_type })?;
            let slot = seen
                .get_mut(usize::from(segment_type))
                .ok_or(TcfError::UnknownSegmentType { segment, segment_type })?;
            if let Some(first) = *slot {
                return Err(TcfError::DuplicateSegment { segment, kind, first });
            }
            *slot = Some(segment);
            r.set_kind(kind);
            match kind {
                SegmentKind::DisclosedVendors => out.disclosed_vendors = Some(vendor_segments::read(&mut r)?),
                SegmentKind::AllowedVendors => out.allowed_vendors = Some(vendor_segments::read(&mut r)?),
                SegmentKind::PublisherTc => out.publisher_tc = Some(PublisherTc::read(&mut r)?),
                // The core's slot is always taken, so a second core is reported above.
                SegmentKind::Core => return Err(TcfError::DuplicateSegment { segment, kind, first }),
            }
        }
        Ok(out)
    }

    /// `Created` in milliseconds since the Unix epoch.
    pub fn created_ms(&self) -> i64 {
        ds_to_ms(self.created_ds)
    }

    /// `LastUpdated` in milliseconds since the Unix epoch.
    pub fn last_updated_ms(&self) -> i64 {
        ds_to_ms(self.last_updated_ds)
    }

    /// Whether the user consented to TCF purpose `purpose` (1-24).
    pub fn purpose_consent(&self, purpose: u8) -> bool {
        self.purpose_consents.contains(purpose)
    }

    /// Whether legitimate interest was established for purpose `purpose` and not objected to.
    pub fn purpose_legitimate_interest(&self, purpose: u8) -> bool {
        self.purpose_legitimate_interests.contains(purpose)
    }

    /// Whether the user opted in to special feature `feature` (1-12).
    pub fn special_feature_opt_in(&self, feature: u8) -> bool {
        self.special_feature_opt_ins.contains(feature)
    }

    /// Whether vendor `vendor` (a GVL id) has the user's consent.
    pub fn vendor_consent(&self, vendor: u16) -> bool {
        self.vendor_consents.contains(vendor)
    }

    /// Whether vendor `vendor` has legitimate interest established and not objected to.
    pub fn vendor_legitimate_interest(&self, vendor: u16) -> bool {
        self.vendor_legitimate_interests.contains(vendor)
    }

    /// Whether the CMP disclosed vendor `vendor`; `None` when the string has no disclosed
    /// vendors segment (nothing is known).
    pub fn vendor_disclosed(&self, vendor: u16) -> Option<bool> {
        self.disclosed_vendors.as_ref().map(|d| d.contains(vendor))
    }

    /// The publisher's restriction on `vendor` for `purpose`, if any (see
    /// [`PublisherRestrictions::restriction`]).
    pub fn restriction(&self, purpose: u8, vendor: u16) -> Option<RestrictionType> {
        self.publisher_restrictions.restriction(purpose, vendor)
    }

    /// Whether the string's policy version is TCF v2.2's or later.
    pub fn meets_tcf_v2_2(&self) -> bool {
        self.tcf_policy_version >= TCF_POLICY_VERSION_V2_2
    }
}

impl FromStr for TcString {
    type Err = TcfError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TcString::decode(s)
    }
}

/// 36-bit deciseconds always fit: at most about 6.9e12 ms.
fn ds_to_ms(ds: u64) -> i64 {
    i64::try_from(ds.saturating_mul(100)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    // iabtcf-java TCStringV2Test.testCanConstructTCModelFromBase64String.
    const CORE: &str = "COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA";

    #[test]
    fn decodes_the_core_fields() {
        let tc = TcString::decode(CORE).unwrap();
        assert_eq!((tc.cmp_id, tc.cmp_version, tc.consent_screen), (675, 2, 1));
        assert_eq!((tc.consent_language.as_str(), tc.publisher_cc.as_str()), ("EN", "AA"));
        assert_eq!((tc.vendor_list_version, tc.tcf_policy_version), (15, 2));
        assert!(tc.purpose_consent(2) && tc.purpose_consent(10) && !tc.purpose_consent(1));
        assert!(tc.purpose_legitimate_interest(9) && tc.special_feature_opt_in(1));
        assert!(!tc.meets_tcf_v2_2());
        assert_eq!(tc.last_updated_ms(), crate::time::parse_rfc3339("2021-02-02T17:01:00Z").unwrap());
        assert_eq!(tc.vendor_disclosed(1), None);
        assert_eq!(CORE.parse::<TcString>().unwrap(), tc);
    }

    #[test]
    fn segments_come_in_any_order_but_once_each() {
        let disclosed = "IBAgAAAgAIAwgAgAAAAEAAAACA";
        let allowed = "QAagAQAgAIAwgA";
        let a = TcString::decode(&format!("{CORE}.{disclosed}.{allowed}")).unwrap();
        let b = TcString::decode(&format!("{CORE}.{allowed}.{disclosed}")).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.vendor_disclosed(23), Some(true));
        assert_eq!(
            TcString::decode(&format!("{CORE}.{disclosed}.{allowed}.{disclosed}")),
            Err(TcfError::DuplicateSegment { segment: 4, kind: SegmentKind::DisclosedVendors, first: 2 })
        );
        assert_eq!(
            TcString::decode(&format!("{CORE}.{CORE}")),
            Err(TcfError::DuplicateSegment { segment: 2, kind: SegmentKind::Core, first: 1 })
        );
    }

    #[test]
    fn refuses_unknown_segment_types_and_a_core_that_is_not_first() {
        // 'g' = 100000: SegmentType 4.
        assert_eq!(
            TcString::decode(&format!("{CORE}.gAAA")),
            Err(TcfError::UnknownSegmentType { segment: 2, segment_type: 4 })
        );
        assert_eq!(
            TcString::decode("IBAgAAAgAIAwgAgAAAAEAAAACA"),
            Err(TcfError::CoreNotFirst { found: SegmentKind::DisclosedVendors })
        );
        assert_eq!(TcString::decode("YAAAAAAAAAAA"), Err(TcfError::CoreNotFirst { found: SegmentKind::PublisherTc }));
        assert_eq!(
            TcString::decode("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA"),
            Err(TcfError::UnsupportedVersion { version: 1 })
        );
        assert_eq!(TcString::decode("DQ"), Err(TcfError::UnsupportedVersion { version: 3 }));
    }
}
