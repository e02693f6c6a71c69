//! The publisher TC segment (`SegmentType` 3): the publisher's own consent and legitimate
//! interest signals for the TCF purposes, and for up to 63 custom purposes it defines
//! itself (`NumCustomPurposes`, then one consent bit and one legitimate-interest bit per
//! custom purpose).

use serde::Serialize;

use super::bits::{BitReader, BitWriter};
use super::error::{EncodeError, TcfError};
use super::flags::IdBits;

/// The publisher's transparency and consent signals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PublisherTc {
    /// `PubPurposesConsent`: TCF purposes 1-24 the user consented to for the publisher.
    pub purpose_consents: IdBits,
    /// `PubPurposesLITransparency`.
    pub purpose_legitimate_interests: IdBits,
    /// `NumCustomPurposes` (0-63): custom purposes are numbered 1 to this.
    pub num_custom_purposes: u8,
    /// `CustomPurposesConsent`.
    pub custom_purpose_consents: IdBits,
    /// `CustomPurposesLITransparency`.
    pub custom_purpose_legitimate_interests: IdBits,
}

impl PublisherTc {
    /// Reads the segment after its `SegmentType`.
    pub(crate) fn read(r: &mut BitReader<'_>) -> Result<PublisherTc, TcfError> {
        let purpose_consents = IdBits::read(r, "PubPurposesConsent", 24)?;
        let purpose_legitimate_interests = IdBits::read(r, "PubPurposesLITransparency", 24)?;
        let num_custom_purposes = r.read_u8("NumCustomPurposes", 6)?;
        let n = u32::from(num_custom_purposes);
        let custom_purpose_consents = IdBits::read(r, "CustomPurposesConsent", n)?;
        let custom_purpose_legitimate_interests = IdBits::read(r, "CustomPurposesLITransparency", n)?;
        Ok(PublisherTc {
            purpose_consents,
            purpose_legitimate_interests,
            num_custom_purposes,
            custom_purpose_consents,
            custom_purpose_legitimate_interests,
        })
    }

    /// Writes the segment after its `SegmentType`.
    pub(crate) fn write(&self, w: &mut BitWriter) -> Result<(), EncodeError> {
        self.purpose_consents.write(w, "PubPurposesConsent", 24)?;
        self.purpose_legitimate_interests.write(w, "PubPurposesLITransparency", 24)?;
        if self.num_custom_purposes > 63 {
            return Err(EncodeError::TooWide {
                field: "NumCustomPurposes",
                value: self.num_custom_purposes.into(),
                bits: 6,
            });
        }
        let n = u32::from(self.num_custom_purposes);
        w.write(n.into(), 6);
        self.custom_purpose_consents.write(w, "CustomPurposesConsent", n)?;
        self.custom_purpose_legitimate_interests.write(w, "CustomPurposesLITransparency", n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcf::error::SegmentKind;

    #[test]
    fn round_trips_and_bounds_custom_purposes_by_their_count() {
        let p = PublisherTc {
            purpose_consents: IdBits::from_ids([1, 24]),
            purpose_legitimate_interests: IdBits::from_ids([2]),
            num_custom_purposes: 63,
            custom_purpose_consents: IdBits::from_ids([1, 63]),
            custom_purpose_legitimate_interests: IdBits::from_ids([40]),
        };
        let mut w = BitWriter::new();
        p.write(&mut w).unwrap();
        let bytes = w.into_bytes();
        let mut r = BitReader::new(&bytes, 24 + 24 + 6 + 126, 1, SegmentKind::PublisherTc);
        assert_eq!(PublisherTc::read(&mut r).unwrap(), p);

        let too_many =
            PublisherTc { num_custom_purposes: 2, custom_purpose_consents: IdBits::from_ids([3]), ..p.clone() };
        assert!(matches!(
            too_many.write(&mut BitWriter::new()),
            Err(EncodeError::IdOutOfRange { field: "CustomPurposesConsent", id: 3, max: 2 })
        ));
        let wide = PublisherTc { num_custom_purposes: 64, ..PublisherTc::default() };
        assert!(wide.write(&mut BitWriter::new()).is_err());
    }

    #[test]
    fn custom_purpose_bits_must_be_present() {
        // 48 purpose bits, NumCustomPurposes = 5, then only 4 bits.
        let mut w = BitWriter::new();
        w.write(0, 48);
        w.write(5, 6);
        w.write(0b1111, 4);
        let bytes = w.into_bytes();
        let mut r = BitReader::new(&bytes, 58, 3, SegmentKind::PublisherTc);
        let err = PublisherTc::read(&mut r).unwrap_err();
        assert_eq!(
            err.to_string(),
            "segment 3 (publisher TC), bit 54: CustomPurposesConsent needs 5 bits, but the segment ends at bit 58"
        );
    }
}
