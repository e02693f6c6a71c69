//! The errors of the TCF codecs. A TC string or an AC string comes from a CMP the app does
//! not control, so every way it can be malformed has its own variant, and every message says
//! what is wrong and where: the segment (counted from 1 in the dotted string), the section,
//! the bit offset inside the segment and the IAB field name. Messages quote positions,
//! field names and numbers from the string's structure, never the string itself.

use std::fmt;

/// The kind of a TC string segment, by its `SegmentType` (the core segment has none: its
/// first bits are the version, whose top three bits are 0 in version 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SegmentKind {
    /// The core segment (always first): the consent and legitimate-interest signals.
    Core,
    /// `SegmentType` 1: the vendors the CMP disclosed to the user.
    DisclosedVendors,
    /// `SegmentType` 2: the vendors the publisher allows (OOB signalling).
    AllowedVendors,
    /// `SegmentType` 3: the publisher's own purposes and custom purposes.
    PublisherTc,
}

impl SegmentKind {
    /// The kind for a 3-bit `SegmentType`, if the TCF defines it.
    pub fn from_type(segment_type: u8) -> Option<SegmentKind> {
        match segment_type {
            0 => Some(SegmentKind::Core),
            1 => Some(SegmentKind::DisclosedVendors),
            2 => Some(SegmentKind::AllowedVendors),
            3 => Some(SegmentKind::PublisherTc),
            _ => None,
        }
    }

    /// The 3-bit `SegmentType` written at the start of every segment but the core.
    pub fn segment_type(self) -> u8 {
        match self {
            SegmentKind::Core => 0,
            SegmentKind::DisclosedVendors => 1,
            SegmentKind::AllowedVendors => 2,
            SegmentKind::PublisherTc => 3,
        }
    }
}

impl fmt::Display for SegmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SegmentKind::Core => "core",
            SegmentKind::DisclosedVendors => "disclosed vendors",
            SegmentKind::AllowedVendors => "allowed vendors",
            SegmentKind::PublisherTc => "publisher TC",
        })
    }
}

/// Where in a TC string a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// Position of the segment in the dotted string, counting from 1.
    pub segment: usize,
    /// The kind of that segment.
    pub kind: SegmentKind,
    /// The section being read (`"Vendor Consent section"`), or `None` for the segment's
    /// fixed fields.
    pub section: Option<&'static str>,
    /// Offset of the offending field's first bit inside the segment.
    pub bit: usize,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "segment {} ({})", self.segment, self.kind)?;
        if let Some(section) = self.section {
            write!(f, ", {section}")?;
        }
        write!(f, ", bit {}", self.bit)
    }
}

/// A TC string that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TcfError {
    /// The string has no characters at all.
    #[error("the TC string is empty")]
    Empty,
    /// The string is longer than [`MAX_TC_STRING_LEN`](super::MAX_TC_STRING_LEN) and
    /// was not read.
    #[error("the TC string is {len} bytes long, over the limit of {max} bytes")]
    TooLong {
        /// The string's length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// A dot starts or ends the string, or two dots follow each other.
    #[error("segment {segment} is empty (a dot at the start or the end, or two dots in a row)")]
    EmptySegment {
        /// The empty segment's position, from 1.
        segment: usize,
    },
    /// More dotted segments than [`MAX_SEGMENTS`](super::MAX_SEGMENTS).
    #[error("the TC string has more than {max} segments")]
    TooManySegments {
        /// The most segments a string may have.
        max: usize,
    },
    /// A character outside the base64url alphabet (and not trailing `=` padding).
    #[error("segment {segment}: character {position} is not base64url (A-Z, a-z, 0-9, '-' or '_')")]
    InvalidCharacter {
        /// The segment's position, from 1.
        segment: usize,
        /// The character's position inside the segment, from 1.
        position: usize,
    },
    /// `=` padding that does not end the segment, or pads it to a wrong length.
    #[error(
        "segment {segment}: '=' padding at character {position} is misplaced or of the wrong length \
         (padding may only end a segment, to a multiple of 4 characters)"
    )]
    BadPadding {
        /// The segment's position, from 1.
        segment: usize,
        /// The position of the first misplaced `=` inside the segment, from 1.
        position: usize,
    },
    /// The core segment's `Version` is not 2 (version 1 strings are TCF v1, long retired).
    #[error("TC string version {version} is not supported: only version 2 (TCF v2.0 to v2.3) is")]
    UnsupportedVersion {
        /// The `Version` found.
        version: u8,
    },
    /// The first segment is one of the optional segments: the core is missing or misplaced.
    #[error("segment 1 is a {found} segment; a TC string must start with its core segment")]
    CoreNotFirst {
        /// The kind of the segment found first.
        found: SegmentKind,
    },
    /// An optional segment whose `SegmentType` is 4-7.
    #[error("segment {segment} has SegmentType {segment_type}, which the TCF does not define")]
    UnknownSegmentType {
        /// The segment's position, from 1.
        segment: usize,
        /// The `SegmentType` found.
        segment_type: u8,
    },
    /// A segment kind that appears twice.
    #[error("segment {segment} is a second {kind} segment (the first is segment {first})")]
    DuplicateSegment {
        /// The second segment's position, from 1.
        segment: usize,
        /// The kind both segments have.
        kind: SegmentKind,
        /// The first one's position, from 1.
        first: usize,
    },
    /// A field runs past the end of its segment.
    #[error("{at}: {field} needs {width} bits, but the segment ends at bit {available}")]
    Truncated {
        /// Where the field starts.
        at: At,
        /// The IAB name of the field.
        field: &'static str,
        /// The field's width in bits.
        width: u32,
        /// The segment's length in bits.
        available: usize,
    },
    /// A 6-bit letter (`ConsentLanguage`, `PublisherCC`) above 25.
    #[error("{at}: {field} holds {value}, which is not a letter (0-25 for A-Z)")]
    InvalidLetter {
        /// Where the letter starts.
        at: At,
        /// The IAB name of the field.
        field: &'static str,
        /// The 6-bit value found.
        value: u8,
    },
    /// A vendor or purpose id of 0, which the TCF never assigns.
    #[error("{at}: {field} is 0, but ids start at 1")]
    ZeroId {
        /// Where the id starts.
        at: At,
        /// The IAB name of the field.
        field: &'static str,
    },
    /// A range entry whose end id is below its start id.
    #[error("{at}: the range {start}-{end} ends before it starts")]
    ReversedRange {
        /// Where the range entry starts.
        at: At,
        /// Its `StartVendorId`.
        start: u16,
        /// Its `EndVendorId`.
        end: u16,
    },
    /// A range entry naming a vendor above the section's declared `MaxVendorId`.
    #[error("{at}: {field} {id} is above the section's MaxVendorId {max}")]
    IdAboveMax {
        /// Where the id starts.
        at: At,
        /// The IAB name of the field.
        field: &'static str,
        /// The id found.
        id: u16,
        /// The section's `MaxVendorId`.
        max: u16,
    },
}
impl TcfError {
    /// The stable error code a caller reports for any undecodable TC string (contract
    /// section 11).
    pub fn code(&self) -> &'static str {
        "tcf_invalid"
    }
}

/// A [`TcString`](super::TcString) whose values do not fit the TC string format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A number larger than its field's width (a `CmpId` above 4095, a timestamp past
    /// 36 bits...).
    #[error("{field} is {value}, which does not fit in its {bits} bits")]
    TooWide {
        /// The IAB name of the field.
        field: &'static str,
        /// The value that does not fit.
        value: u64,
        /// The field's width in bits.
        bits: u32,
    },
    /// An id of 0 or above the largest its field can hold.
    #[error("{field} holds id {id}, outside 1..={max}")]
    IdOutOfRange {
        /// The IAB name of the field (or of the vendor list).
        field: &'static str,
        /// The id.
        id: u32,
        /// The largest id the field can hold.
        max: u32,
    },
}

/// An Additional Consent string that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcError {
    /// The string has no characters.
    #[error("the AC string is empty")]
    Empty,
    /// The string is longer than [`MAX_AC_STRING_LEN`](super::MAX_AC_STRING_LEN) and
    /// was not read.
    #[error("the AC string is {len} bytes long, over the limit of {max} bytes")]
    TooLong {
        /// The string's length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The text before the first `~` is not `1` or `2`.
    #[error("the AC string's version must be 1 or 2 (the text before the first '~')")]
    UnsupportedVersion,
    /// Version 1 has two `~`-separated parts, version 2 three.
    #[error("an AC string of version {version} has {expected} parts separated by '~', this one has {found}")]
    WrongPartCount {
        /// The string's version.
        version: u8,
        /// How many parts that version has.
        expected: usize,
        /// How many the string has.
        found: usize,
    },
    /// A version 2 string whose disclosed list does not start with `dv.`.
    #[error(
        "the third part of a version 2 AC string must start with \"dv.\" (or be \"dv\" when no provider is listed)"
    )]
    MissingDisclosedPrefix,
    /// A dot-separated id list with an empty entry.
    #[error("the {list} list: id {position} is empty (a dot at the start or the end, or two dots in a row)")]
    EmptyId {
        /// Which list: consented or disclosed.
        list: &'static str,
        /// The entry's position in the list, from 1.
        position: usize,
    },
    /// An id that is not a decimal number in range.
    #[error("the {list} list: id {position} is not a decimal number from 1 to {max}")]
    InvalidId {
        /// Which list: consented or disclosed.
        list: &'static str,
        /// The entry's position in the list, from 1.
        position: usize,
        /// The largest id accepted.
        max: u32,
    },
}

impl AcError {
    /// The stable error code a caller reports for an undecodable AC string.
    pub fn code(&self) -> &'static str {
        "tcf_invalid"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_segment_section_bit_and_field() {
        let at = At { segment: 1, kind: SegmentKind::Core, section: Some("Vendor Consent section"), bit: 230 };
        let e = TcfError::IdAboveMax { at, field: "EndVendorId", id: 900, max: 800 };
        assert_eq!(
            e.to_string(),
            "segment 1 (core), Vendor Consent section, bit 230: EndVendorId 900 is above the section's MaxVendorId 800"
        );
        let at = At { segment: 2, kind: SegmentKind::PublisherTc, section: None, bit: 3 };
        let e = TcfError::Truncated { at, field: "PubPurposesConsent", width: 24, available: 12 };
        assert_eq!(
            e.to_string(),
            "segment 2 (publisher TC), bit 3: PubPurposesConsent needs 24 bits, but the segment ends at bit 12"
        );
    }

    #[test]
    fn segment_kinds_round_trip_their_type() {
        for t in 0..8u8 {
            match SegmentKind::from_type(t) {
                Some(kind) => assert_eq!(kind.segment_type(), t),
                None => assert!(t > 3),
            }
        }
    }
}
