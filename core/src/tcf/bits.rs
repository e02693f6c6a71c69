//! Reading and writing a TC string segment as a big-endian bit stream. The TCF packs its
//! fields MSB first with no byte alignment (a 36-bit timestamp, 6-bit letters, one bit per
//! vendor), so the codecs need a reader that takes any width at any bit offset, checks
//! every read against the end of the segment (a truncated string is an error, never a
//! panic or a silent zero), and reads long bit fields 64 bits at a time instead of a bit
//! at a time. The writer is the reader's mirror for the encoder.

use super::error::{At, SegmentKind, TcfError};

/// The widest single read (the TCF's widest number is 36 bits; bit fields are read 64
/// bits at a time).
pub(crate) const MAX_WIDTH: u32 = 64;

/// A cursor over the bits of one decoded segment.
pub(crate) struct BitReader<'a> {
    bytes: &'a [u8],
    /// Number of bits in the segment (6 per base64url character).
    len: usize,
    pos: usize,
    segment: usize,
    kind: SegmentKind,
    section: Option<&'static str>,
}

impl<'a> BitReader<'a> {
    /// A reader over the first `len` bits of `bytes` (bits beyond `bytes` read as 0 but are
    /// never reached: `len` is checked first).
    pub(crate) fn new(bytes: &'a [u8], len: usize, segment: usize, kind: SegmentKind) -> Self {
        BitReader { bytes, len: len.min(bytes.len().saturating_mul(8)), pos: 0, segment, kind, section: None }
    }

    /// Names the section the next reads belong to, for error messages.
    pub(crate) fn set_section(&mut self, section: Option<&'static str>) {
        self.section = section;
    }

    pub(crate) fn set_kind(&mut self, kind: SegmentKind) {
        self.kind = kind;
    }

    /// Offset of the next bit to read.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Where the reader is, for an error about the field starting at `bit`.
    pub(crate) fn at(&self, bit: usize) -> At {
        At { segment: self.segment, kind: self.kind, section: self.section, bit }
    }

    #[inline]
    fn ensure(&self, field: &'static str, width: u32) -> Result<usize, TcfError> {
        match self.pos.checked_add(width as usize) {
            Some(end) if end <= self.len => Ok(end),
            _ => Err(TcfError::Truncated { at: self.at(self.pos), field, width, available: self.len }),
        }
    }

    /// Bits left before the end of the segment.
    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }

    /// `N` bytes from `byte` on, zero past the end of the buffer.
    #[inline]
    fn bytes_at<const N: usize>(&self, byte: usize) -> [u8; N] {
        if let Some(w) = self.bytes.get(byte..byte.saturating_add(N)).and_then(|s| <[u8; N]>::try_from(s).ok()) {
            return w;
        }
        let mut w = [0u8; N];
        for (dst, src) in w.iter_mut().zip(self.bytes.get(byte..).unwrap_or(&[])) {
            *dst = *src;
        }
        w
    }

    /// The `width` (at most 64) bits at the cursor, MSB first, without moving it or
    /// checking the end of the segment (callers checked).
    #[inline]
    pub(crate) fn peek(&self, width: u32) -> u64 {
        let width = width.min(MAX_WIDTH);
        if width == 0 {
            return 0;
        }
        let shift = (self.pos & 7) as u32;
        if width <= 56 {
            // Eight bytes hold any 56 bits after a shift of at most 7.
            return (u64::from_be_bytes(self.bytes_at(self.pos >> 3)) << shift) >> (64 - width);
        }
        ((u128::from_be_bytes(self.bytes_at(self.pos >> 3)) << shift) >> (128 - width)) as u64
    }

    /// Moves the cursor `width` bits on (callers checked).
    #[inline]
    pub(crate) fn advance(&mut self, width: u32) {
        self.pos = self.pos.saturating_add(width.min(MAX_WIDTH) as usize);
    }

    /// Reads an unsigned field of `width` bits (at most [`MAX_WIDTH`]), MSB first.
    #[inline]
    pub(crate) fn read(&mut self, field: &'static str, width: u32) -> Result<u64, TcfError> {
        debug_assert!(width <= MAX_WIDTH);
        self.ensure(field, width)?;
        let v = self.peek(width);
        self.advance(width);
        Ok(v)
    }

    /// Reads a `count`-bit field, checked as one field, as 64-bit words appended to `out`,
    /// MSB first: the field's first bit is bit `lead` (from the most significant; at most
    /// 63) of the first word, and the bits before it and after the field's end are 0. It is
    /// the layout of a [`VendorSet`](super::VendorSet), copied in one unaligned load per
    /// word instead of field by field.
    pub(crate) fn read_words(
        &mut self,
        field: &'static str,
        count: u32,
        lead: u32,
        out: &mut Vec<u64>,
    ) -> Result<(), TcfError> {
        self.ensure(field, count)?;
        let lead = lead.min(63);
        let first = count.min(64 - lead);
        out.push(if first == 0 { 0 } else { self.peek(first) << (64 - lead - first) });
        self.advance(first);
        let left = count - first;
        // Every whole word has the same bit offset within its bytes: one 16-byte load and
        // a shift each (the loads at the very end of the buffer are zero-filled).
        let (start, shift) = (self.pos >> 3, (self.pos & 7) as u32);
        let whole = (left / 64) as usize;
        out.extend((0..whole).map(|i| ((u128::from_be_bytes(self.bytes_at(start + 8 * i)) << shift) >> 64) as u64));
        self.pos += whole * 64;
        let tail = left % 64;
        if tail > 0 {
            out.push(self.peek(tail) << (64 - tail));
            self.advance(tail);
        }
        Ok(())
    }

    /// Reads `width` (at most 64) bits with the first at bit 0 of the result: the form of
    /// the TCF's one-bit-per-id fields.
    #[inline]
    pub(crate) fn read_lsb_first(&mut self, field: &'static str, width: u32) -> Result<u64, TcfError> {
        let v = self.read(field, width)?;
        Ok(if width == 0 { 0 } else { v.reverse_bits() >> (64 - width.min(64)) })
    }

    #[inline]
    pub(crate) fn read_bool(&mut self, field: &'static str) -> Result<bool, TcfError> {
        Ok(self.read(field, 1)? == 1)
    }

    /// Reads a field of at most 8 bits.
    #[inline]
    pub(crate) fn read_u8(&mut self, field: &'static str, width: u32) -> Result<u8, TcfError> {
        debug_assert!(width <= 8);
        Ok(self.read(field, width.min(8))? as u8)
    }

    /// Reads a field of at most 16 bits.
    #[inline]
    pub(crate) fn read_u16(&mut self, field: &'static str, width: u32) -> Result<u16, TcfError> {
        debug_assert!(width <= 16);
        Ok(self.read(field, width.min(16))? as u16)
    }
}

/// Builds a segment bit by bit, MSB first.
#[derive(Debug, Default)]
pub(crate) struct BitWriter {
    bytes: Vec<u8>,
    len: usize,
}

impl BitWriter {
    pub(crate) fn new() -> Self {
        BitWriter::default()
    }

    /// Number of bits written.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Appends the low `width` bits of `value` (callers checked that it fits).
    pub(crate) fn write(&mut self, value: u64, width: u32) {
        for i in (0..width.min(64)).rev() {
            self.write_bool((value >> i) & 1 == 1);
        }
    }

    pub(crate) fn write_bool(&mut self, bit: bool) {
        let byte = self.len / 8;
        if byte == self.bytes.len() {
            self.bytes.push(0);
        }
        if bit {
            if let Some(b) = self.bytes.get_mut(byte) {
                *b |= 0x80 >> (self.len % 8);
            }
        }
        self.len += 1;
    }

    /// The bytes written, the last one padded with 0 bits.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> BitReader<'_> {
        BitReader::new(bytes, bytes.len() * 8, 1, SegmentKind::Core)
    }

    /// The indices of the 1 bits of a `count`-bit field after `skip` bits, read 64 bits at
    /// a time with [`BitReader::read_lsb_first`].
    fn ones(bytes: &[u8], skip: u32, count: usize) -> Vec<usize> {
        let mut r = reader(bytes);
        r.read("skip", skip).unwrap();
        let mut out = Vec::new();
        let mut base = 0;
        while base < count {
            let k = (count - base).min(64);
            let bits = r.read_lsb_first("BitField", k as u32).unwrap();
            out.extend((0..k).filter(|j| bits >> j & 1 == 1).map(|j| base + j));
            base += k;
        }
        out
    }

    #[test]
    fn reads_fields_across_byte_boundaries() {
        let mut r = reader(&[0b1010_1100, 0b0011_0101, 0xFF]);
        assert_eq!(r.read("a", 1).unwrap(), 1);
        assert_eq!(r.read("b", 3).unwrap(), 0b010);
        assert_eq!(r.read("c", 8).unwrap(), 0b1100_0011);
        assert_eq!(r.read("d", 12).unwrap(), 0b0101_1111_1111);
        assert_eq!(r.position(), 24);
    }

    #[test]
    fn a_read_past_the_end_is_a_truncation_error_and_moves_nothing() {
        let mut r = reader(&[0xFF]);
        assert_eq!(r.read("x", 5).unwrap(), 0b11111);
        match r.read("CmpId", 12) {
            Err(TcfError::Truncated { at, field: "CmpId", width: 12, available: 8 }) => assert_eq!(at.bit, 5),
            other => panic!("{other:?}"),
        }
        assert_eq!(r.position(), 5);
        assert_eq!(r.read("rest", 3).unwrap(), 0b111);
        assert!(r.read("more", 1).is_err());
    }

    #[test]
    fn the_length_is_in_bits_not_bytes() {
        // 6 bits of a 1-character segment inside a byte buffer: the 7th bit is past the end.
        let bytes = [0xFF];
        let mut r = BitReader::new(&bytes, 6, 1, SegmentKind::Core);
        assert_eq!(r.read("Version", 6).unwrap(), 63);
        assert!(r.read_bool("next").is_err());
        // A length beyond the buffer is clamped to it.
        let mut r = BitReader::new(&bytes, 1000, 1, SegmentKind::Core);
        assert!(r.read("x", 9).is_err());
    }

    #[test]
    fn zero_width_reads_nothing() {
        let mut r = reader(&[]);
        assert_eq!(r.read("nothing", 0).unwrap(), 0);
        assert_eq!(r.read_lsb_first("empty", 0).unwrap(), 0);
    }

    #[test]
    fn reads_36_bits_at_every_offset() {
        let value: u64 = 0xA_BCDE_F123;
        for offset in 0..16u32 {
            let mut w = BitWriter::new();
            w.write(0, offset);
            w.write(value, 36);
            w.write(0b101, 3);
            let bytes = w.into_bytes();
            let mut r = reader(&bytes);
            r.read("pad", offset).unwrap();
            assert_eq!(r.read("Created", 36).unwrap(), value, "offset {offset}");
            assert_eq!(r.read("tail", 3).unwrap(), 0b101);
        }
    }

    #[test]
    fn bit_fields_read_64_bits_at_a_time() {
        // bits 0-2 set, 7 set, 30-40 set, 63 set, 64-70 set (crossing a 64-bit read).
        let set = |i: usize| matches!(i, 0..=2 | 7 | 30..=40 | 63..=70);
        let mut w = BitWriter::new();
        for i in 0..80 {
            w.write_bool(set(i));
        }
        let bytes = w.into_bytes();
        for skip in [0u32, 1, 5, 7] {
            let expected: Vec<usize> = (skip as usize..80).filter(|&i| set(i)).map(|i| i - skip as usize).collect();
            assert_eq!(ones(&bytes, skip, 80 - skip as usize), expected, "skip {skip}");
        }
        assert_eq!(ones(&[0xFF; 24], 0, 150), (0..150).collect::<Vec<_>>());
        assert_eq!(ones(&[0; 16], 3, 100), Vec::<usize>::new());
        let mut r = reader(&[0b1100_0000]);
        assert_eq!(r.read_lsb_first("f", 3).unwrap(), 0b011);
        assert_eq!(r.read_lsb_first("f", 0).unwrap(), 0);
    }

    #[test]
    fn peek_does_not_move_and_reads_64_bits_at_any_offset() {
        let value: u64 = 0xDEAD_BEEF_0123_4567;
        for offset in 0..9u32 {
            let mut w = BitWriter::new();
            w.write(0, offset);
            w.write(value, 64);
            let bytes = w.into_bytes();
            let mut r = BitReader::new(&bytes, offset as usize + 64, 1, SegmentKind::Core);
            r.read("pad", offset).unwrap();
            assert_eq!(r.peek(33), value >> 31);
            assert_eq!(r.remaining(), 64);
            assert_eq!(r.read("all", 64).unwrap(), value, "offset {offset}");
            assert_eq!(r.remaining(), 0);
        }
    }

    #[test]
    fn a_bit_field_past_the_end_is_an_error() {
        let mut r = reader(&[0xFF, 0xFF]);
        assert!(matches!(r.read_lsb_first("BitField", 17), Err(TcfError::Truncated { width: 17, .. })));
        assert_eq!(r.position(), 0);
    }

    /// Shifts a byte string right by one bit as a whole (iabtcf-java BitReaderTest's
    /// `shift`).
    fn shift_right(bytes: &mut [u8]) {
        let mut carry = 0u8;
        for b in bytes {
            let next = *b & 1;
            *b = (*b >> 1) | (carry << 7);
            carry = next;
        }
    }

    /// The vectors of iabtcf-java's `BitReaderTest`, carried over as data in
    /// `tests/fixtures/tcf/java_bit_reader.json`.
    #[test]
    fn iabtcf_java_bit_reader_vectors() {
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/tcf/java_bit_reader.json")).unwrap();
        let cases = fixture["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 69);
        let mut runs_checked = 0;
        for case in cases {
            let test = case["test"].as_str().unwrap();
            let (mut bytes, len) = if let Some(b) = case["bytes"].as_array() {
                let bytes: Vec<u8> = b.iter().map(|v| v.as_u64().unwrap() as u8).collect();
                let len = bytes.len() * 8;
                (bytes, len)
            } else if let Some(text) = case["base64url"].as_str() {
                let mut buf = Vec::new();
                let len = crate::tcf::segments::decode(1, text, &mut buf).unwrap();
                (buf, len)
            } else {
                let mut w = BitWriter::new();
                for c in case["bits"].as_str().unwrap().chars().filter(|c| !c.is_whitespace()) {
                    w.write_bool(c == '1');
                }
                let bytes = w.into_bytes();
                let len = bytes.len() * 8;
                (bytes, len)
            };
            let offset = case["offset"].as_u64().unwrap() as u32;
            let width = case["width"].as_u64().unwrap() as u32;
            for s in 0..case["shifts"].as_u64().unwrap_or(1) as u32 {
                if s > 0 {
                    shift_right(&mut bytes);
                }
                let mut r = BitReader::new(&bytes, len, 1, SegmentKind::Core);
                let mut skip = offset + s;
                while skip > 0 {
                    let k = skip.min(64);
                    r.read("skip", k).unwrap();
                    skip -= k;
                }
                let what = format!("{test}, shift {s}");
                match case["kind"].as_str().unwrap() {
                    "uint" => assert_eq!(Some(r.read("v", width).unwrap()), case["expect"].as_u64(), "{what}"),
                    "bitset" => {
                        let bits = r.read_lsb_first("v", width).unwrap();
                        let set: Vec<usize> = (0..width as usize).filter(|j| bits >> j & 1 == 1).collect();
                        let expect: Vec<usize> =
                            case["expect"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
                        assert_eq!(set, expect, "{what}");
                    }
                    _ => {
                        let code = crate::tcf::AlphaCode::read(&mut r, "ConsentLanguage").unwrap();
                        assert_eq!(Some(code.as_str()), case["expect"].as_str(), "{what}");
                    }
                }
                runs_checked += 1;
            }
        }
        assert_eq!(runs_checked, 69 + 6 * 9 + 1);
    }

    #[test]
    fn writer_packs_msb_first() {
        let mut w = BitWriter::new();
        w.write(0b000010, 6);
        w.write(1, 1);
        w.write(0b11, 2);
        assert_eq!(w.len(), 9);
        assert_eq!(w.into_bytes(), vec![0b0000_1011, 0b1000_0000]);
    }
}
