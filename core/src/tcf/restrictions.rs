//! Publisher restrictions: the core segment's last section, in which the publisher narrows
//! what vendors may do for a purpose (`NumPubRestrictions` entries of `PurposeId`,
//! `RestrictionType` and a range section of vendor ids).
//!
//! A string may carry several entries for the same purpose and type (iabtcf-es's issue 201
//! string does, and iabtcf-java's encoder writes them); they mean the union of their
//! vendors, so they are merged into one entry per (purpose, type), ordered by purpose then
//! type. That form is canonical: two strings that restrict the same vendors compare equal.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::bits::{BitReader, BitWriter};
use super::error::{EncodeError, TcfError};
use super::vendor_set::VendorSet;
use super::vendors;

/// The most entries a merged list can have: 63 purposes times 4 types.
const MAX_GROUPS: usize = 63 * 4;

/// What a publisher restriction requires (the 2-bit `RestrictionType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, uniffi::Enum)]
pub enum RestrictionType {
    /// 0: the purpose is flatly not allowed for these vendors.
    NotAllowed,
    /// 1: the vendors need consent for the purpose (not legitimate interest).
    RequireConsent,
    /// 2: the vendors must rely on legitimate interest for the purpose.
    RequireLegitimateInterest,
    /// 3: reserved by the TCF ("UNDEFINED, not used"); kept as found, as iabtcf-java does.
    /// A caller should read it as [`RestrictionType::NotAllowed`].
    Undefined,
}

impl RestrictionType {
    /// The type for a 2-bit `RestrictionType` (only the low two bits of `v` count).
    pub fn from_bits(v: u8) -> RestrictionType {
        match v & 3 {
            0 => RestrictionType::NotAllowed,
            1 => RestrictionType::RequireConsent,
            2 => RestrictionType::RequireLegitimateInterest,
            _ => RestrictionType::Undefined,
        }
    }

    /// The 2-bit `RestrictionType` the encoder writes.
    pub fn bits(self) -> u8 {
        match self {
            RestrictionType::NotAllowed => 0,
            RestrictionType::RequireConsent => 1,
            RestrictionType::RequireLegitimateInterest => 2,
            RestrictionType::Undefined => 3,
        }
    }

    /// The name in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionType::NotAllowed => "not_allowed",
            RestrictionType::RequireConsent => "require_consent",
            RestrictionType::RequireLegitimateInterest => "require_legitimate_interest",
            RestrictionType::Undefined => "undefined",
        }
    }
}

impl Serialize for RestrictionType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One restriction: a purpose, what is required for it, and the vendors it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublisherRestriction {
    /// The TCF purpose (1..=63; 0 is refused).
    pub purpose: u8,
    /// What the publisher requires of these vendors for the purpose.
    pub restriction_type: RestrictionType,
    /// The vendors (GVL ids) the restriction applies to.
    pub vendors: VendorSet,
}

/// Serialises as `{"purpose", "type", "vendors"}` (contract section 11).
impl Serialize for PublisherRestriction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PublisherRestriction", 3)?;
        s.serialize_field("purpose", &self.purpose)?;
        s.serialize_field("type", &self.restriction_type)?;
        s.serialize_field("vendors", &self.vendors)?;
        s.end()
    }
}

/// The publisher restrictions of a TC string, one entry per (purpose, type), ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PublisherRestrictions(Vec<PublisherRestriction>);

impl PublisherRestrictions {
    /// The restrictions of `entries`, merging those of the same purpose and type.
    pub fn new(entries: impl IntoIterator<Item = PublisherRestriction>) -> Self {
        let mut entries: Vec<PublisherRestriction> = entries.into_iter().collect();
        crate::sort::sort_by_key(&mut entries, |e| (e.purpose, e.restriction_type));
        let mut merged: Vec<PublisherRestriction> = Vec::with_capacity(entries.len());
        for e in entries {
            match merged.last_mut() {
                Some(last) if (last.purpose, last.restriction_type) == (e.purpose, e.restriction_type) => {
                    last.vendors.union_with(&e.vendors);
                }
                _ => merged.push(e),
            }
        }
        PublisherRestrictions(merged)
    }

    /// The entries, by purpose then type.
    pub fn iter(&self) -> impl Iterator<Item = &PublisherRestriction> {
        self.0.iter()
    }

    /// Whether the string restricts nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of merged (purpose, type) entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The vendors under `restriction_type` for `purpose`, if the string has that entry.
    pub fn vendors(&self, purpose: u8, restriction_type: RestrictionType) -> Option<&VendorSet> {
        self.0.iter().find(|e| e.purpose == purpose && e.restriction_type == restriction_type).map(|e| &e.vendors)
    }

    /// The restriction on `vendor` for `purpose`, if any. The TCF gives a vendor at most
    /// one per purpose; a string that gives it several is contradictory, and the answer is
    /// then [`RestrictionType::NotAllowed`] (fail closed).
    pub fn restriction(&self, purpose: u8, vendor: u16) -> Option<RestrictionType> {
        let mut found =
            self.0.iter().filter(|e| e.purpose == purpose && e.vendors.contains(vendor)).map(|e| e.restriction_type);
        let first = found.next()?;
        Some(if found.next().is_some() { RestrictionType::NotAllowed } else { first })
    }

    /// Reads the Publisher Restrictions section.
    pub(crate) fn read(r: &mut BitReader<'_>) -> Result<Self, TcfError> {
        r.set_section(Some("Publisher Restrictions section"));
        let n = r.read_u16("NumPubRestrictions", 12)?;
        // Merged as they are read, so that memory is bounded by the (purpose, type) pairs
        // (at most `MAX_GROUPS` sets of at most 8 KB), not by the up to 4095 entries.
        let mut entries: Vec<PublisherRestriction> = Vec::with_capacity(usize::from(n).min(MAX_GROUPS));
        for _ in 0..n {
            let at = r.position();
            let purpose = r.read_u8("PurposeId", 6)?;
            if purpose == 0 {
                return Err(TcfError::ZeroId { at: r.at(at), field: "PurposeId" });
            }
            let restriction_type = RestrictionType::from_bits(r.read_u8("RestrictionType", 2)?);
            let i = match entries.iter().position(|e| e.purpose == purpose && e.restriction_type == restriction_type) {
                Some(i) => i,
                None => {
                    entries.push(PublisherRestriction { purpose, restriction_type, vendors: VendorSet::new() });
                    entries.len() - 1
                }
            };
            if let Some(e) = entries.get_mut(i) {
                vendors::read_ranges_into(r, None, &mut e.vendors)?;
            }
        }
        r.set_section(None);
        // Already one entry per (purpose, type): only the order is left to settle.
        crate::sort::sort_by_key(&mut entries, |e| (e.purpose, e.restriction_type));
        Ok(PublisherRestrictions(entries))
    }

    /// Writes the Publisher Restrictions section.
    pub(crate) fn write(&self, w: &mut BitWriter) -> Result<(), EncodeError> {
        // At most 63 purposes x 4 types: always fits NumPubRestrictions' 12 bits.
        w.write(self.0.len() as u64, 12);
        for e in &self.0 {
            if !(1..=63).contains(&e.purpose) {
                return Err(EncodeError::IdOutOfRange { field: "PurposeId", id: e.purpose.into(), max: 63 });
            }
            w.write(e.purpose.into(), 6);
            w.write(e.restriction_type.bits().into(), 2);
            vendors::write_ranges(w, &e.vendors, "publisher restriction vendors")?;
        }
        Ok(())
    }
}

/// Serialises as the list of `{"purpose", "type", "vendors"}`.
impl Serialize for PublisherRestrictions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcf::error::SegmentKind;

    fn entry(purpose: u8, t: RestrictionType, ids: &[u16]) -> PublisherRestriction {
        PublisherRestriction { purpose, restriction_type: t, vendors: VendorSet::from_ids(ids.iter().copied()) }
    }

    #[test]
    fn merges_entries_of_one_purpose_and_type() {
        use RestrictionType::*;
        let r = PublisherRestrictions::new([
            entry(5, NotAllowed, &[1, 2]),
            entry(2, RequireConsent, &[8]),
            entry(5, NotAllowed, &[3, 7, 10]),
            entry(2, NotAllowed, &[]),
        ]);
        let got: Vec<(u8, RestrictionType, Vec<u16>)> =
            r.iter().map(|e| (e.purpose, e.restriction_type, e.vendors.iter().collect())).collect();
        assert_eq!(
            got,
            vec![(2, NotAllowed, vec![]), (2, RequireConsent, vec![8]), (5, NotAllowed, vec![1, 2, 3, 7, 10])]
        );
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"[{"purpose":2,"type":"not_allowed","vendors":[]},{"purpose":2,"type":"require_consent","vendors":[8]},{"purpose":5,"type":"not_allowed","vendors":[1,2,3,7,10]}]"#
        );
    }

    #[test]
    fn lookup_fails_closed_on_contradictions() {
        use RestrictionType::*;
        let r = PublisherRestrictions::new([
            entry(1, RequireConsent, &[3, 4]),
            entry(1, RequireLegitimateInterest, &[4]),
            entry(2, RequireLegitimateInterest, &[3]),
            entry(7, Undefined, &[3]),
        ]);
        assert_eq!(r.restriction(1, 3), Some(RequireConsent));
        assert_eq!(r.restriction(1, 4), Some(NotAllowed));
        assert_eq!(r.restriction(2, 3), Some(RequireLegitimateInterest));
        assert_eq!(r.restriction(7, 3), Some(Undefined));
        assert_eq!(r.restriction(2, 4), None);
        assert_eq!(r.vendors(1, RequireConsent).map(|v| v.len()), Some(2));
        assert_eq!(r.vendors(3, NotAllowed), None);
    }

    #[test]
    fn round_trips_and_refuses_purpose_0() {
        use RestrictionType::*;
        let r = PublisherRestrictions::new([
            entry(1, NotAllowed, &[]),
            entry(3, Undefined, &[1, 2, 3, 9]),
            entry(63, RequireConsent, &[u16::MAX]),
        ]);
        let mut w = BitWriter::new();
        r.write(&mut w).unwrap();
        let bytes = w.into_bytes();
        let mut rd = BitReader::new(&bytes, bytes.len() * 8, 1, SegmentKind::Core);
        assert_eq!(PublisherRestrictions::read(&mut rd).unwrap(), r);

        let mut w = BitWriter::new();
        w.write(1, 12);
        w.write(0, 6);
        w.write(0, 2);
        w.write(0, 12);
        let bytes = w.into_bytes();
        let mut rd = BitReader::new(&bytes, bytes.len() * 8, 1, SegmentKind::Core);
        let err = PublisherRestrictions::read(&mut rd).unwrap_err();
        assert_eq!(
            err.to_string(),
            "segment 1 (core), Publisher Restrictions section, bit 12: PurposeId is 0, but ids start at 1"
        );
        let mut w = BitWriter::new();
        assert!(PublisherRestrictions::new([entry(0, NotAllowed, &[1])]).write(&mut w).is_err());
    }
}
