//! The encoder: a [`TcString`] back to its dotted base64url text. It writes the core
//! segment, then the disclosed vendors, allowed vendors and publisher TC segments that the
//! value has, in that order; each vendor section in the shorter of its two encodings (the
//! bit field on a tie, as iabtcf-es does); each segment padded with 0 bits to a whole byte
//! and written as unpadded base64url. Values that do not fit their fields (a 13-bit CMP id,
//! purpose 25, vendor 0) are an [`EncodeError`], never silently cut.
//!
//! Gatekeeper is not a CMP and never hands out TC strings it made; the encoder exists so
//! that tests, fixtures and the fuzzer can check that decoding loses nothing.

use base64::Engine;

use super::bits::BitWriter;
use super::error::{EncodeError, SegmentKind};
use super::segments::ENCODER;
use super::string::TcString;
use super::{core_segment, vendor_segments};

impl TcString {
    /// The TC string text for this value. Decoding the result gives back an equal value.
    pub fn encode(&self) -> Result<String, EncodeError> {
        let mut out = String::new();
        let mut w = BitWriter::new();
        core_segment::write(self, &mut w)?;
        push_segment(&mut out, w);
        for (kind, set) in [
            (SegmentKind::DisclosedVendors, &self.disclosed_vendors),
            (SegmentKind::AllowedVendors, &self.allowed_vendors),
        ] {
            if let Some(set) = set {
                let mut w = BitWriter::new();
                vendor_segments::write(&mut w, kind, set)?;
                push_segment(&mut out, w);
            }
        }
        if let Some(p) = &self.publisher_tc {
            let mut w = BitWriter::new();
            w.write(SegmentKind::PublisherTc.segment_type().into(), 3);
            p.write(&mut w)?;
            push_segment(&mut out, w);
        }
        Ok(out)
    }
}

fn push_segment(out: &mut String, w: BitWriter) {
    if !out.is_empty() {
        out.push('.');
    }
    ENCODER.encode_string(w.into_bytes(), out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcf::{
        AlphaCode, IdBits, PublisherRestriction, PublisherRestrictions, PublisherTc, RestrictionType, VendorSet,
    };

    fn sample() -> TcString {
        TcString {
            created_ds: 16_000_000_000,
            last_updated_ds: 17_000_000_000,
            cmp_id: 4095,
            cmp_version: 7,
            consent_screen: 63,
            consent_language: AlphaCode::new("fr").unwrap(),
            vendor_list_version: 250,
            tcf_policy_version: 5,
            is_service_specific: true,
            use_non_standard_texts: true,
            special_feature_opt_ins: IdBits::from_ids([1, 12]),
            purpose_consents: IdBits::from_ids([1, 3, 24]),
            purpose_legitimate_interests: IdBits::from_ids([2, 7]),
            purpose_one_treatment: false,
            publisher_cc: AlphaCode::new("DE").unwrap(),
            vendor_consents: VendorSet::from_ranges([(1, 300), (755, 755)]),
            vendor_legitimate_interests: VendorSet::from_ids([2, 6, 1000]),
            publisher_restrictions: PublisherRestrictions::new([PublisherRestriction {
                purpose: 2,
                restriction_type: RestrictionType::RequireConsent,
                vendors: VendorSet::from_ids([3, 4, 5, 90]),
            }]),
            disclosed_vendors: Some(VendorSet::from_ranges([(1, 1200)])),
            allowed_vendors: Some(VendorSet::new()),
            publisher_tc: Some(PublisherTc {
                purpose_consents: IdBits::from_ids([1]),
                purpose_legitimate_interests: IdBits::from_ids([24]),
                num_custom_purposes: 2,
                custom_purpose_consents: IdBits::from_ids([2]),
                custom_purpose_legitimate_interests: IdBits::from_ids([1, 2]),
            }),
        }
    }

    #[test]
    fn encodes_every_segment_and_round_trips() {
        let tc = sample();
        let s = tc.encode().unwrap();
        assert_eq!(s.split('.').count(), 4);
        assert!(s.starts_with('C'), "version 2 begins with 'C': {s}");
        assert!(!s.contains('='));
        assert_eq!(TcString::decode(&s).unwrap(), tc);
        let core_only = TcString { disclosed_vendors: None, allowed_vendors: None, publisher_tc: None, ..tc };
        let s = core_only.encode().unwrap();
        assert_eq!(s.split('.').count(), 1);
        assert_eq!(TcString::decode(&s).unwrap(), core_only);
    }

    #[test]
    fn refuses_values_that_do_not_fit() {
        let wide = TcString { cmp_id: 4096, ..sample() };
        assert_eq!(wide.encode(), Err(EncodeError::TooWide { field: "CmpId", value: 4096, bits: 12 }));
        let late = TcString { last_updated_ds: 1 << 36, ..sample() };
        assert!(matches!(late.encode(), Err(EncodeError::TooWide { field: "LastUpdated", .. })));
        let purpose = TcString { purpose_consents: IdBits::from_ids([25]), ..sample() };
        assert!(matches!(purpose.encode(), Err(EncodeError::IdOutOfRange { field: "PurposesConsent", id: 25, .. })));
        let zero = TcString { vendor_consents: VendorSet::from_ids([0]), ..sample() };
        assert!(zero.encode().is_err());
    }
}
