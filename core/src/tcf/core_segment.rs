//! The core segment, the first of every TC string: the metadata (version, timestamps, CMP,
//! vendor list and policy versions), the purpose and special-feature signals, the
//! jurisdiction fields, both vendor sections and the publisher restrictions.
//!
//! TCF v2.0, v2.1, v2.2 and v2.3 all write `Version` 2 here and tell themselves apart by
//! `TcfPolicyVersion` (2 for v2.0, 3 for v2.1, 4 for v2.2, 5 for v2.3); the layout is the
//! same, so any policy version is decoded as found and judging it is left to the caller.

use super::bits::{BitReader, BitWriter};
use super::error::{EncodeError, SegmentKind, TcfError};
use super::flags::IdBits;
use super::letters::AlphaCode;
use super::restrictions::PublisherRestrictions;
use super::string::TcString;
use super::vendors;

/// Reads a core segment from its first bit. A first segment that is not a version 2 core
/// is refused: a later segment's `SegmentType` (1-3) in the top bits means the core is
/// missing, any other version is unsupported.
pub(crate) fn read(r: &mut BitReader<'_>) -> Result<TcString, TcfError> {
    let version = r.read_u8("Version", 6)?;
    if version != TcString::VERSION {
        return Err(match SegmentKind::from_type(version >> 3) {
            Some(found) if found != SegmentKind::Core => TcfError::CoreNotFirst { found },
            _ => TcfError::UnsupportedVersion { version },
        });
    }
    Ok(TcString {
        created_ds: r.read("Created", 36)?,
        last_updated_ds: r.read("LastUpdated", 36)?,
        cmp_id: r.read_u16("CmpId", 12)?,
        cmp_version: r.read_u16("CmpVersion", 12)?,
        consent_screen: r.read_u8("ConsentScreen", 6)?,
        consent_language: AlphaCode::read(r, "ConsentLanguage")?,
        vendor_list_version: r.read_u16("VendorListVersion", 12)?,
        tcf_policy_version: r.read_u8("TcfPolicyVersion", 6)?,
        is_service_specific: r.read_bool("IsServiceSpecific")?,
        use_non_standard_texts: r.read_bool("UseNonStandardTexts")?,
        special_feature_opt_ins: IdBits::read(r, "SpecialFeatureOptIns", 12)?,
        purpose_consents: IdBits::read(r, "PurposesConsent", 24)?,
        purpose_legitimate_interests: IdBits::read(r, "PurposesLITransparency", 24)?,
        purpose_one_treatment: r.read_bool("PurposeOneTreatment")?,
        publisher_cc: AlphaCode::read(r, "PublisherCC")?,
        vendor_consents: vendors::read_section(r, "Vendor Consent section")?,
        vendor_legitimate_interests: vendors::read_section(r, "Vendor Legitimate Interest section")?,
        publisher_restrictions: PublisherRestrictions::read(r)?,
        disclosed_vendors: None,
        allowed_vendors: None,
        publisher_tc: None,
    })
}

/// `value` if it fits in `bits` bits.
fn fit(field: &'static str, value: u64, bits: u32) -> Result<u64, EncodeError> {
    if value >> bits == 0 {
        Ok(value)
    } else {
        Err(EncodeError::TooWide { field, value, bits })
    }
}

/// Writes the core segment of `tc`.
pub(crate) fn write(tc: &TcString, w: &mut BitWriter) -> Result<(), EncodeError> {
    w.write(TcString::VERSION.into(), 6);
    w.write(fit("Created", tc.created_ds, 36)?, 36);
    w.write(fit("LastUpdated", tc.last_updated_ds, 36)?, 36);
    w.write(fit("CmpId", tc.cmp_id.into(), 12)?, 12);
    w.write(fit("CmpVersion", tc.cmp_version.into(), 12)?, 12);
    w.write(fit("ConsentScreen", tc.consent_screen.into(), 6)?, 6);
    tc.consent_language.write(w);
    w.write(fit("VendorListVersion", tc.vendor_list_version.into(), 12)?, 12);
    w.write(fit("TcfPolicyVersion", tc.tcf_policy_version.into(), 6)?, 6);
    w.write_bool(tc.is_service_specific);
    w.write_bool(tc.use_non_standard_texts);
    tc.special_feature_opt_ins.write(w, "SpecialFeatureOptIns", 12)?;
    tc.purpose_consents.write(w, "PurposesConsent", 24)?;
    tc.purpose_legitimate_interests.write(w, "PurposesLITransparency", 24)?;
    w.write_bool(tc.purpose_one_treatment);
    tc.publisher_cc.write(w);
    vendors::write_section(w, &tc.vendor_consents, "vendor consents")?;
    vendors::write_section(w, &tc.vendor_legitimate_interests, "vendor legitimate interests")?;
    tc.publisher_restrictions.write(w)
}
