//! The outer layer of a TC string: dot-separated segments, each base64url text. This is
//! where hostile input is stopped before any field is read: the length cap, the segment
//! count, empty segments, characters outside the base64url alphabet and misplaced `=`
//! padding. A segment is a stream of 6 bits per character (the IAB reference encoders pad
//! to a multiple of 24 bits, byte-oriented ones to a multiple of 8); decoding keeps all 6n
//! bits, so a field that ends in the last character's low bits is read, not dropped.
//! Correct trailing padding (`AA==`, `AAA=`) is accepted, as iabtcf-java's decoder does.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, NO_PAD};
use base64::engine::{DecodePaddingMode, Engine};
use base64::{alphabet, DecodeError, DecodeSliceError};

use super::error::TcfError;

/// The longest TC string accepted, in bytes. Real strings are a few hundred bytes to a few
/// kilobytes; three full 16-bit vendor bit fields (the largest a well-formed string can
/// carry besides publisher restrictions) take about 33 KB. The cap bounds the work and the
/// memory of a decode whatever the input.
pub const MAX_TC_STRING_LEN: usize = 64 * 1024;

/// The most segments a TC string can have: the core and one of each other kind.
pub const MAX_SEGMENTS: usize = 4;

/// Decodes the 4-character groups (padding already removed).
const DECODER: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Encodes a finished segment: unpadded base64url, as the TCF's examples are written.
pub(crate) const ENCODER: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, NO_PAD);

/// The segments of a TC string, in order, numbered from 1.
pub(crate) struct Segments<'a> {
    parts: [&'a str; MAX_SEGMENTS],
    count: usize,
}

impl<'a> Segments<'a> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        self.parts.iter().take(self.count).copied().enumerate().map(|(i, text)| (i + 1, text))
    }
}

/// Splits a TC string into its segments, checking the length cap and the segment count,
/// and that no segment is empty.
pub(crate) fn split(tc: &str) -> Result<Segments<'_>, TcfError> {
    if tc.is_empty() {
        return Err(TcfError::Empty);
    }
    if tc.len() > MAX_TC_STRING_LEN {
        return Err(TcfError::TooLong { len: tc.len(), max: MAX_TC_STRING_LEN });
    }
    let mut out = Segments { parts: [""; MAX_SEGMENTS], count: 0 };
    for (i, text) in tc.split('.').enumerate() {
        let segment = i + 1;
        let slot = out.parts.get_mut(i).ok_or(TcfError::TooManySegments { max: MAX_SEGMENTS })?;
        if text.is_empty() {
            return Err(TcfError::EmptySegment { segment });
        }
        *slot = text;
        out.count = segment;
    }
    Ok(out)
}

/// Decodes one segment's base64url text into `buf` (replacing its contents) and returns
/// the number of bits it holds.
pub(crate) fn decode(segment: usize, text: &str, buf: &mut Vec<u8>) -> Result<usize, TcfError> {
    let data = strip_padding(segment, text.as_bytes())?;
    let n = data.len();
    buf.clear();
    buf.resize(n / 4 * 3 + 3, 0);
    let written = if n % 4 == 1 {
        // A lone last character is not base64 to the crate: decode the whole groups, then
        // that character completed with 'A's (zero bits).
        let full = n - 1;
        let mut written = match data.get(..full) {
            Some(groups) if !groups.is_empty() => {
                DECODER.decode_slice(groups, buf.as_mut_slice()).map_err(|e| base64_error(segment, 0, e))?
            }
            _ => 0,
        };
        let last = data.get(full).copied().unwrap_or(b'A');
        let out = buf.get_mut(written..).unwrap_or(&mut []);
        written += DECODER.decode_slice([last, b'A', b'A', b'A'], out).map_err(|e| base64_error(segment, full, e))?;
        written
    } else {
        let written = DECODER.decode_slice(data, buf.as_mut_slice()).map_err(|e| base64_error(segment, 0, e))?;
        // A last group of 2 or 3 characters leaves 4 or 2 bits past the last whole byte,
        // which the crate drops (they are data in a TC string): keep them in one more byte.
        let kept = match (n % 4, data.last().and_then(|&c| sextet(c))) {
            (2, Some(v)) => Some((v & 0x0F) << 4),
            (3, Some(v)) => Some((v & 0x03) << 6),
            _ => None,
        };
        match (kept, buf.get_mut(written)) {
            (Some(byte), Some(slot)) => {
                *slot = byte;
                written + 1
            }
            _ => written,
        }
    };
    buf.truncate(written);
    Ok(n.saturating_mul(6))
}

/// The 6-bit value of a base64url character.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// The segment text without its trailing `=` padding, if that padding is well formed.
fn strip_padding(segment: usize, text: &[u8]) -> Result<&[u8], TcfError> {
    let pads = text.iter().rev().take_while(|&&b| b == b'=').count();
    let data_len = text.len() - pads;
    let well_formed = pads == 0 || (pads <= 2 && data_len % 4 == 4 - pads);
    if !well_formed {
        return Err(TcfError::BadPadding { segment, position: data_len + 1 });
    }
    Ok(text.get(..data_len).unwrap_or(&[]))
}

fn base64_error(segment: usize, offset: usize, e: DecodeSliceError) -> TcfError {
    match e {
        DecodeSliceError::DecodeError(DecodeError::InvalidByte(i, b'=')) => {
            TcfError::BadPadding { segment, position: offset + i + 1 }
        }
        DecodeSliceError::DecodeError(DecodeError::InvalidByte(i, _) | DecodeError::InvalidLastSymbol(i, _)) => {
            TcfError::InvalidCharacter { segment, position: offset + i + 1 }
        }
        // Lengths and padding were settled above and the buffer is sized for the input; a
        // report of either still names the segment rather than panicking.
        _ => TcfError::InvalidCharacter { segment, position: offset + 1 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes holding the segment's bits (the buffer may hold zero bytes beyond them),
    /// and the number of bits.
    fn bits(text: &str) -> Result<(Vec<u8>, usize), TcfError> {
        let mut buf = Vec::new();
        let n = decode(1, text, &mut buf)?;
        assert!(buf.len() * 8 >= n, "{text}: {} bytes for {n} bits", buf.len());
        assert!(buf.iter().skip(n.div_ceil(8)).all(|&b| b == 0));
        buf.truncate(n.div_ceil(8));
        Ok((buf, n))
    }

    #[test]
    fn keeps_six_bits_per_character() {
        // "Bg" = 000001 100000: 12 bits, not the 8 a byte decoder would keep.
        assert_eq!(bits("Bg").unwrap(), (vec![0b0000_0110, 0b0000_0000], 12));
        assert_eq!(bits("Bh").unwrap(), (vec![0b0000_0110, 0b0001_0000], 12));
        assert_eq!(bits("_").unwrap(), (vec![0b1111_1100], 6));
        assert_eq!(bits("AAAA").unwrap(), (vec![0, 0, 0], 24));
        assert_eq!(bits("-_-_").unwrap(), (vec![0xFB, 0xFF, 0xBF], 24));
        // The low bits of a last group's final character are kept: 4 of 2 characters, 2
        // of 3, 6 of a lone one.
        assert_eq!(bits("AP").unwrap(), (vec![0b0000_0000, 0b1111_0000], 12));
        assert_eq!(bits("AAD").unwrap(), (vec![0, 0, 0b1100_0000], 18));
        assert_eq!(bits("AAAA_").unwrap(), (vec![0, 0, 0, 0b1111_1100], 30));
        assert_eq!(bits("AAAA_w").unwrap(), (vec![0, 0, 0, 0b1111_1111, 0], 36));
    }

    #[test]
    fn accepts_only_well_formed_trailing_padding() {
        assert_eq!(bits("CA==").unwrap().1, 12);
        assert_eq!(bits("DQ==").unwrap().0[0], 13);
        assert_eq!(bits("AAA=").unwrap().1, 18);
        for (text, position) in [("CA=", 3), ("CAA==", 4), ("CA===", 3), ("CAAA=", 5), ("=", 1), ("AAAA====", 5)] {
            assert_eq!(bits(text), Err(TcfError::BadPadding { segment: 1, position }), "{text}");
        }
        assert_eq!(bits("C=AA"), Err(TcfError::BadPadding { segment: 1, position: 2 }));
        assert_eq!(bits("AAAAAC=A"), Err(TcfError::BadPadding { segment: 1, position: 7 }));
    }

    #[test]
    fn rejects_characters_outside_base64url_with_their_position() {
        for (text, position) in [("AB+C", 3), ("AB/C", 3), ("ABCD EFG", 5), ("ABCDE\n", 6), ("é", 1), ("AAAAAAA*", 8)]
        {
            assert_eq!(bits(text), Err(TcfError::InvalidCharacter { segment: 1, position }), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Every character's 6 bits, in order, and nothing else: the crate's decoding plus
        /// the kept tail bits agree with a character-by-character reading.
        #[test]
        fn decoding_keeps_exactly_six_bits_per_character(text in "[A-Za-z0-9_-]{1,80}") {
            let (bytes, n) = bits(&text).unwrap();
            proptest::prop_assert_eq!(n, text.len() * 6);
            for (i, c) in text.bytes().enumerate() {
                let v = sextet(c).unwrap();
                for b in 0..6 {
                    let bit = i * 6 + b;
                    let got = bytes[bit / 8] >> (7 - bit % 8) & 1;
                    proptest::prop_assert_eq!(got, v >> (5 - b) & 1, "bit {} of {:?}", bit, text);
                }
            }
        }
    }

    fn parts(tc: &str) -> Result<Vec<(usize, &str)>, TcfError> {
        split(tc).map(|s| s.iter().collect())
    }

    #[test]
    fn splits_on_dots_and_refuses_empty_and_extra_segments() {
        assert_eq!(parts("A.B"), Ok(vec![(1, "A"), (2, "B")]));
        assert_eq!(parts("A.B.C.D"), Ok(vec![(1, "A"), (2, "B"), (3, "C"), (4, "D")]));
        assert_eq!(parts(""), Err(TcfError::Empty));
        assert_eq!(parts("A..B"), Err(TcfError::EmptySegment { segment: 2 }));
        assert_eq!(parts(".A"), Err(TcfError::EmptySegment { segment: 1 }));
        assert_eq!(parts("A."), Err(TcfError::EmptySegment { segment: 2 }));
        assert_eq!(parts("A.B.C.D.E"), Err(TcfError::TooManySegments { max: 4 }));
        let long = "A".repeat(MAX_TC_STRING_LEN + 1);
        assert_eq!(parts(&long), Err(TcfError::TooLong { len: MAX_TC_STRING_LEN + 1, max: MAX_TC_STRING_LEN }));
        assert!(parts(&long[1..]).is_ok());
    }
}
