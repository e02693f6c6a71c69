//! Two-letter codes as the TC string stores them (`ConsentLanguage`, an ISO 639-1 language,
//! and `PublisherCC`, an ISO 3166-1 country): 6 bits per letter, A=0 to Z=25. Values 26-63
//! are not letters and are refused rather than turned into punctuation.

use std::fmt;

use serde::{Serialize, Serializer};

use super::bits::{BitReader, BitWriter};
use super::error::TcfError;

/// Two upper-case ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlphaCode([u8; 2]);

impl AlphaCode {
    /// The code for two ASCII letters in either case (`"en"`, `"DE"`); `None` otherwise.
    pub fn new(code: &str) -> Option<AlphaCode> {
        match code.as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Some(AlphaCode([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => None,
        }
    }

    /// The two upper-case letters (`"EN"`, `"DE"`).
    pub fn as_str(&self) -> &str {
        // Always two ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    pub(crate) fn read(r: &mut BitReader<'_>, field: &'static str) -> Result<AlphaCode, TcfError> {
        let mut code = [0u8; 2];
        for letter in &mut code {
            let at = r.position();
            let v = r.read_u8(field, 6)?;
            if v > 25 {
                return Err(TcfError::InvalidLetter { at: r.at(at), field, value: v });
            }
            *letter = b'A' + v;
        }
        Ok(AlphaCode(code))
    }

    pub(crate) fn write(&self, w: &mut BitWriter) {
        for &letter in &self.0 {
            w.write(u64::from(letter.saturating_sub(b'A')), 6);
        }
    }
}

impl fmt::Display for AlphaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AlphaCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcf::error::SegmentKind;

    fn read(bits: u64) -> Result<AlphaCode, TcfError> {
        let mut w = BitWriter::new();
        w.write(bits, 12);
        let bytes = w.into_bytes();
        let mut r = BitReader::new(&bytes, 12, 1, SegmentKind::Core);
        AlphaCode::read(&mut r, "ConsentLanguage")
    }

    #[test]
    fn six_bits_per_letter() {
        // iabtcf-es LangEncoder.test.ts: "aa" = 000000 000000, "ba" = 000001 000000,
        // "zz" = 011001 011001; iabtcf-java BitReaderTest: 000000 000001 = "AB".
        assert_eq!(read(0b000000_000000).unwrap().as_str(), "AA");
        assert_eq!(read(0b000001_000000).unwrap().as_str(), "BA");
        assert_eq!(read(0b011001_011001).unwrap().as_str(), "ZZ");
        assert_eq!(read(0b000000_000001).unwrap().as_str(), "AB");
        for code in ["aa", "Ba", "zz", "FR"] {
            let c = AlphaCode::new(code).unwrap();
            let mut w = BitWriter::new();
            c.write(&mut w);
            let bytes = w.into_bytes();
            let mut r = BitReader::new(&bytes, 12, 1, SegmentKind::Core);
            assert_eq!(AlphaCode::read(&mut r, "f").unwrap(), c);
            assert_eq!(c.as_str(), code.to_ascii_uppercase());
        }
    }

    #[test]
    fn refuses_values_that_are_not_letters() {
        assert!(matches!(read(0b011010_000000), Err(TcfError::InvalidLetter { value: 26, at, .. }) if at.bit == 0));
        assert!(matches!(read(0b000000_111111), Err(TcfError::InvalidLetter { value: 63, at, .. }) if at.bit == 6));
        for bad in ["", "E", "ENG", "{Z", "-Z", "é"] {
            assert_eq!(AlphaCode::new(bad), None, "{bad}");
        }
    }
}
