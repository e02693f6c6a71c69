//! The TCF's vendor list encodings. A vendor section (vendor consents, vendor legitimate
//! interests, disclosed and allowed vendors) starts with `MaxVendorId` (16 bits) and
//! `IsRangeEncoding` (1 bit), then holds either a bit field of `MaxVendorId` bits (bit 0 is
//! vendor 1) or a range section: `NumEntries` (12 bits) entries of `IsARange` (1 bit),
//! `StartOrOnlyVendorId` (16 bits) and, for a range, `EndVendorId` (16 bits). Publisher
//! restrictions use the range section alone, without a maximum.
//!
//! Decoding refuses what cannot be meant: a vendor id 0, a range whose end is below its
//! start, and in a vendor section an id above the section's `MaxVendorId`. Ranges may come
//! in any order and overlap (the IAB encoders never write that, but nothing forbids it);
//! the set is their union. Encoding picks the shorter form and, on a tie, the bit field,
//! as iabtcf-es does.

use super::bits::{BitReader, BitWriter};
use super::error::{EncodeError, TcfError};
use super::vendor_set::VendorSet;

const MAX_ENTRIES: usize = (1 << 12) - 1;

/// How a vendor section is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    BitField,
    Range,
}

/// Reads a vendor section (`MaxVendorId`, `IsRangeEncoding`, then the ids).
pub(crate) fn read_section(r: &mut BitReader<'_>, section: &'static str) -> Result<VendorSet, TcfError> {
    r.set_section(Some(section));
    let max = r.read_u16("MaxVendorId", 16)?;
    let set = if r.read_bool("IsRangeEncoding")? { read_ranges(r, Some(max))? } else { read_bit_field(r, max)? };
    r.set_section(None);
    Ok(set)
}

fn read_bit_field(r: &mut BitReader<'_>, max: u16) -> Result<VendorSet, TcfError> {
    // Field bit `i` is vendor `i + 1`, and the set keeps ids in the field's order (id 0
    // first): the field goes in after an empty bit 0, a word at a time.
    let mut words = Vec::with_capacity(usize::from(max) / 64 + 1);
    r.read_words("BitField", u32::from(max), 1, &mut words)?;
    Ok(VendorSet::from_words(words))
}

/// Reads a range section (`NumEntries` and its entries); `max` bounds the ids when the
/// section has a `MaxVendorId`.
pub(crate) fn read_ranges(r: &mut BitReader<'_>, max: Option<u16>) -> Result<VendorSet, TcfError> {
    let mut set = VendorSet::new();
    read_ranges_into(r, max, &mut set)?;
    Ok(set)
}

/// Reads a range section into `set` (adding to what it holds). Entries are read in
/// batches on the stack, so that the set grows once per batch, not once per entry.
pub(crate) fn read_ranges_into(r: &mut BitReader<'_>, max: Option<u16>, set: &mut VendorSet) -> Result<(), TcfError> {
    const BATCH: usize = 64;
    let mut left = usize::from(r.read_u16("NumEntries", 12)?);
    let mut batch = [(0u16, 0u16); BATCH];
    while left > 0 {
        let k = left.min(BATCH);
        let entries = batch.get_mut(..k).unwrap_or_default();
        let mut top = 0;
        for slot in entries.iter_mut() {
            *slot = read_entry(r, max)?;
            top = top.max(slot.1);
        }
        set.insert_ranges(entries, top);
        left -= k;
    }
    Ok(())
}

/// One range entry: `IsARange`, `StartOrOnlyVendorId`, and `EndVendorId` for a range.
#[inline]
fn read_entry(r: &mut BitReader<'_>, max: Option<u16>) -> Result<(u16, u16), TcfError> {
    if r.remaining() >= 33 {
        // The common case in one read (an entry is 17 or 33 bits).
        let entry = r.peek(33);
        let is_range = entry >> 32 == 1;
        let start = (entry >> 16) as u16;
        let end = if is_range { entry as u16 } else { start };
        // 1 <= start <= end <= max, in two comparisons (start 0 wraps to u16::MAX).
        if start.wrapping_sub(1) < end && end <= max.unwrap_or(u16::MAX) {
            r.advance(if is_range { 33 } else { 17 });
            return Ok((start, end));
        }
    }
    // At the end of the segment, or wrong: field by field, for the error that says so.
    let is_range = r.read_bool("IsARange")?;
    let start_at = r.position();
    let start = r.read_u16("StartOrOnlyVendorId", 16)?;
    if start == 0 {
        return Err(TcfError::ZeroId { at: r.at(start_at), field: "StartOrOnlyVendorId" });
    }
    let (end, end_at, field) = if is_range {
        let end_at = r.position();
        let end = r.read_u16("EndVendorId", 16)?;
        if end < start {
            return Err(TcfError::ReversedRange { at: r.at(start_at), start, end });
        }
        (end, end_at, "EndVendorId")
    } else {
        (start, start_at, "StartOrOnlyVendorId")
    };
    match max {
        Some(max) if end > max => Err(TcfError::IdAboveMax { at: r.at(end_at), field, id: end, max }),
        _ => Ok((start, end)),
    }
}

/// Bits of a range section for `set` (`NumEntries` and the entries).
fn range_section_bits(ranges: &[(u16, u16)]) -> usize {
    12 + ranges.iter().map(|&(s, e)| if s == e { 17 } else { 33 }).sum::<usize>()
}

/// The encoding the encoder picks for `set`, and the section's length in bits (with its
/// 17-bit header).
pub(crate) fn chosen_encoding(set: &VendorSet) -> (Encoding, usize) {
    let bit_field = usize::from(set.max().unwrap_or(0));
    let range = range_section_bits(&set.ranges());
    if range < bit_field {
        (Encoding::Range, 17 + range)
    } else {
        (Encoding::BitField, 17 + bit_field)
    }
}

fn check_ids(set: &VendorSet, field: &'static str) -> Result<(), EncodeError> {
    match set.min() {
        Some(0) => Err(EncodeError::IdOutOfRange { field, id: 0, max: u16::MAX.into() }),
        _ => Ok(()),
    }
}

/// Writes a vendor section in the shorter encoding.
pub(crate) fn write_section(w: &mut BitWriter, set: &VendorSet, field: &'static str) -> Result<(), EncodeError> {
    check_ids(set, field)?;
    let max = set.max().unwrap_or(0);
    w.write(max.into(), 16);
    match chosen_encoding(set).0 {
        Encoding::Range => {
            w.write_bool(true);
            write_ranges(w, set, field)
        }
        Encoding::BitField => {
            w.write_bool(false);
            for id in 1..=max {
                w.write_bool(set.contains(id));
            }
            Ok(())
        }
    }
}

/// Writes a range section (`NumEntries` and one entry per maximal range).
pub(crate) fn write_ranges(w: &mut BitWriter, set: &VendorSet, field: &'static str) -> Result<(), EncodeError> {
    check_ids(set, field)?;
    let ranges = set.ranges();
    let n = ranges.len();
    if n > MAX_ENTRIES {
        return Err(EncodeError::TooWide { field: "NumEntries", value: n as u64, bits: 12 });
    }
    w.write(n as u64, 12);
    for &(s, e) in &ranges {
        w.write_bool(s != e);
        w.write(s.into(), 16);
        if s != e {
            w.write(e.into(), 16);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcf::error::SegmentKind;

    fn encode(set: &VendorSet) -> (Vec<u8>, usize) {
        let mut w = BitWriter::new();
        write_section(&mut w, set, "VendorConsents").unwrap();
        let bits = chosen_encoding(set).1;
        (w.into_bytes(), bits)
    }

    fn decode(bytes: &[u8], bits: usize) -> Result<VendorSet, TcfError> {
        let mut r = BitReader::new(bytes, bits, 1, SegmentKind::Core);
        read_section(&mut r, "Vendor Consent section")
    }

    /// A section written bit by bit: `MaxVendorId`, `IsRangeEncoding`, then `rest`.
    fn section(max: u16, range: bool, rest: &[(u64, u32)]) -> (Vec<u8>, usize) {
        let mut w = BitWriter::new();
        w.write(max.into(), 16);
        w.write_bool(range);
        let mut bits = 17;
        for &(v, n) in rest {
            w.write(v, n);
            bits += n as usize;
        }
        (w.into_bytes(), bits)
    }

    #[test]
    fn decodes_a_bit_field() {
        let (bytes, bits) = section(10, false, &[(0b10_0000_0011, 10)]);
        assert_eq!(decode(&bytes, bits).unwrap().iter().collect::<Vec<_>>(), vec![1, 9, 10]);
        let (bytes, bits) = section(0, false, &[]);
        assert!(decode(&bytes, bits).unwrap().is_empty());
    }

    #[test]
    fn decodes_ranges_in_any_order() {
        // 3 entries: 20-25, 7, 10-12.
        let (bytes, bits) =
            section(30, true, &[(3, 12), (1, 1), (20, 16), (25, 16), (0, 1), (7, 16), (1, 1), (10, 16), (12, 16)]);
        assert_eq!(decode(&bytes, bits).unwrap().ranges(), &[(7, 7), (10, 12), (20, 25)]);
    }

    #[test]
    fn refuses_impossible_ranges() {
        let (bytes, bits) = section(30, true, &[(1, 12), (1, 1), (9, 16), (8, 16)]);
        assert!(matches!(decode(&bytes, bits), Err(TcfError::ReversedRange { start: 9, end: 8, at }) if at.bit == 30));
        let (bytes, bits) = section(30, true, &[(1, 12), (1, 1), (9, 16), (31, 16)]);
        assert!(matches!(
            decode(&bytes, bits),
            Err(TcfError::IdAboveMax { field: "EndVendorId", id: 31, max: 30, at }) if at.bit == 46
        ));
        let (bytes, bits) = section(30, true, &[(1, 12), (0, 1), (31, 16)]);
        assert!(matches!(decode(&bytes, bits), Err(TcfError::IdAboveMax { field: "StartOrOnlyVendorId", .. })));
        let (bytes, bits) = section(30, true, &[(1, 12), (1, 1), (0, 16), (4, 16)]);
        assert!(
            matches!(decode(&bytes, bits), Err(TcfError::ZeroId { field: "StartOrOnlyVendorId", at }) if at.bit == 30)
        );
        let (bytes, bits) = section(0, true, &[(1, 12), (0, 1), (1, 16)]);
        assert!(matches!(decode(&bytes, bits), Err(TcfError::IdAboveMax { id: 1, max: 0, .. })));
    }

    #[test]
    fn a_short_section_is_truncated_not_zero() {
        let (bytes, bits) = section(100, false, &[(0, 50)]);
        assert!(matches!(decode(&bytes, bits), Err(TcfError::Truncated { field: "BitField", width: 100, .. })));
        let (bytes, bits) = section(100, true, &[(2, 12), (0, 1), (5, 16)]);
        assert!(matches!(decode(&bytes, bits), Err(TcfError::Truncated { field: "IsARange", .. })));
    }

    #[test]
    fn the_largest_vendor_ids_decode_and_round_trip() {
        // One range 1-65535 in 50 bits.
        let (bytes, bits) = section(u16::MAX, true, &[(1, 12), (1, 1), (1, 16), (u16::MAX.into(), 16)]);
        let set = decode(&bytes, bits).unwrap();
        assert_eq!((set.len(), set.ranges()), (65_535, vec![(1, u16::MAX)]));
        // A full 65535-bit field.
        let set = VendorSet::from_ranges([(1, 40_000), (40_002, u16::MAX)]);
        let (bytes, bits) = encode(&set);
        assert_eq!(decode(&bytes, bits).unwrap(), set);
    }

    #[test]
    fn encodes_the_shorter_form_and_round_trips() {
        let cases = [
            VendorSet::new(),
            VendorSet::from_ids([1]),
            VendorSet::from_ids([u16::MAX]),
            VendorSet::from_ranges([(1, 46)]),
            VendorSet::from_ids((1..=500).filter(|i| i % 7 != 0)),
            VendorSet::from_ranges([(3, 3), (9, 700), (702, 702), (1000, 1001)]),
        ];
        for set in cases {
            let (bytes, bits) = encode(&set);
            let mut w = BitWriter::new();
            write_section(&mut w, &set, "v").unwrap();
            assert_eq!(w.len(), bits);
            assert_eq!(decode(&bytes, bits).unwrap(), set);
        }
        assert_eq!(chosen_encoding(&VendorSet::from_ranges([(1, 45)])), (Encoding::BitField, 62));
        assert_eq!(chosen_encoding(&VendorSet::from_ranges([(1, 46)])), (Encoding::Range, 62));
    }

    #[test]
    fn refuses_to_encode_vendor_0() {
        let mut w = BitWriter::new();
        assert_eq!(
            write_section(&mut w, &VendorSet::from_ids([0, 5]), "VendorConsents"),
            Err(EncodeError::IdOutOfRange { field: "VendorConsents", id: 0, max: 65_535 })
        );
    }

    /// The vendor vectors of iabtcf-es's `VendorVectorEncoder.test.ts`, carried over as data
    /// in `tests/fixtures/tcf/es_vendor_vectors.json`: the encoding each set must get, its
    /// length, and the round trip.
    #[test]
    fn iabtcf_es_vendor_vectors() {
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/tcf/es_vendor_vectors.json")).unwrap();
        let cases = fixture["cases"].as_array().unwrap();
        assert!(cases.len() >= 10);
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let max = case["max_id"].as_u64().unwrap() as u16;
            let gap_every = case["unset_every"].as_u64().map(|g| g as u16);
            let unset: Vec<u16> =
                case["unset"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u16).collect();
            let set = VendorSet::from_ids(
                (1..=max).filter(|id| gap_every.is_none_or(|g| id % g != 0) && !unset.contains(id)),
            );
            let (encoding, bits) = chosen_encoding(&set);
            if let Some(expected) = case["encoding"].as_str() {
                let expected = if expected == "range" { Encoding::Range } else { Encoding::BitField };
                assert_eq!(encoding, expected, "{name}");
            }
            if let Some(expected) = case["section_bits"].as_u64() {
                assert_eq!(bits as u64, expected, "{name}");
            }
            let (bytes, bits) = encode(&set);
            assert_eq!(decode(&bytes, bits).unwrap(), set, "{name}");
        }
    }
}
