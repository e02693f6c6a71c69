//! The TC string's fixed-width bit fields (12 special features, 24 purposes, up to 63
//! custom purposes): one bit per id, the leftmost bit for id 1. [`IdBits`] keeps such a
//! field as a 64-bit mask, and the reader and writer here turn it into and out of `width`
//! bits of a segment.

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::bits::{BitReader, BitWriter};
use super::error::{EncodeError, TcfError};

/// A set of small ids, 1..=64.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct IdBits(u64);

impl IdBits {
    /// The empty set.
    pub const EMPTY: IdBits = IdBits(0);

    /// The set of the given ids; ids outside 1..=64 are left out (no TCF field has them).
    pub fn from_ids(ids: impl IntoIterator<Item = u8>) -> Self {
        IdBits(ids.into_iter().filter_map(bit).fold(0, |m, b| m | b))
    }

    /// Whether `id` is in the set; false for ids outside 1..=64.
    pub fn contains(self, id: u8) -> bool {
        bit(id).is_some_and(|b| self.0 & b != 0)
    }

    /// Whether the set holds no id.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of ids in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The largest id in the set.
    pub fn max(self) -> Option<u8> {
        (self.0 != 0).then(|| 64 - self.0.leading_zeros() as u8)
    }

    /// The ids, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (1..=64u8).filter(move |&id| self.contains(id))
    }

    /// Reads a `width`-bit field (`width <= 64`).
    pub(crate) fn read(r: &mut BitReader<'_>, field: &'static str, width: u32) -> Result<IdBits, TcfError> {
        r.read_lsb_first(field, width.min(64)).map(IdBits)
    }

    /// Writes the set as a `width`-bit field, refusing ids beyond it.
    pub(crate) fn write(self, w: &mut BitWriter, field: &'static str, width: u32) -> Result<(), EncodeError> {
        if let Some(max) = self.max() {
            if u32::from(max) > width {
                return Err(EncodeError::IdOutOfRange { field, id: max.into(), max: width });
            }
        }
        w.write(reverse_low(self.0, width), width);
        Ok(())
    }
}

/// Serialises as the ascending list of ids.
impl Serialize for IdBits {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_ids(serializer, self.len(), self.iter())
    }
}

/// Serialises `len` ids as a JSON array without collecting them first.
pub(crate) fn serialize_ids<S: Serializer, T: Serialize>(
    serializer: S,
    len: usize,
    ids: impl Iterator<Item = T>,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(len))?;
    for id in ids {
        seq.serialize_element(&id)?;
    }
    seq.end()
}

fn bit(id: u8) -> Option<u64> {
    (1..=64).contains(&id).then(|| 1u64 << (id - 1))
}

/// Mirrors the low `width` bits: field bit 0 (the leftmost, id 1) becomes mask bit 0.
fn reverse_low(v: u64, width: u32) -> u64 {
    match width {
        0 => 0,
        w if w >= 64 => v.reverse_bits(),
        w => (v & ((1u64 << w) - 1)).reverse_bits() >> (64 - w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcf::error::SegmentKind;

    #[test]
    fn the_leftmost_bit_is_id_1() {
        let bytes = [0b1000_0000, 0b0100_0001];
        let mut r = BitReader::new(&bytes, 16, 1, SegmentKind::Core);
        let f = IdBits::read(&mut r, "PurposesConsent", 12).unwrap();
        assert_eq!(f.iter().collect::<Vec<_>>(), vec![1, 10]);
        assert_eq!(f.max(), Some(10));
        assert!(f.contains(1) && f.contains(10) && !f.contains(2) && !f.contains(0) && !f.contains(65));
    }

    #[test]
    fn writes_what_it_reads() {
        for width in [0u32, 1, 6, 12, 24, 48, 63, 64] {
            let ids: Vec<u8> = (1..=width as u8).filter(|i| i % 3 != 1).collect();
            let f = IdBits::from_ids(ids.iter().copied());
            let mut w = BitWriter::new();
            f.write(&mut w, "f", width).unwrap();
            w.write(1, 1);
            let bytes = w.into_bytes();
            let mut r = BitReader::new(&bytes, width as usize + 1, 1, SegmentKind::Core);
            assert_eq!(IdBits::read(&mut r, "f", width).unwrap(), f, "width {width}");
            assert!(r.read_bool("end").unwrap());
        }
    }

    #[test]
    fn refuses_ids_wider_than_the_field() {
        let mut w = BitWriter::new();
        let err = IdBits::from_ids([13]).write(&mut w, "SpecialFeatureOptIns", 12).unwrap_err();
        assert_eq!(err, EncodeError::IdOutOfRange { field: "SpecialFeatureOptIns", id: 13, max: 12 });
        assert_eq!(IdBits::from_ids([0, 65, 200]), IdBits::EMPTY);
        assert_eq!(serde_json::to_string(&IdBits::from_ids([24, 1])).unwrap(), "[1,24]");
    }
}
