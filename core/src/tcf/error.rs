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
    Core,
    DisclosedVendors,
    AllowedVendors,
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
    #[error("the TC string is empty")]
    Empty,
    #[error("the TC string is {len} bytes long, over the limit of {max} bytes")]
    TooLong { len: usize, max: usize },
    #[error("segment {segment} is empty (a dot at the start or the end, or two dots in a row)")]
    EmptySegment { segment: usize },
    #[error("the TC string has more than {max} segments")]
    TooManySegments { max: usize },
    #[error("segment {segment}: character {position} is not base64url (A-Z, a-z, 0-9, '-' or '_')")]
    InvalidCharacter { segment: usize, position: usize },
    #[error(
        "segment {segment}: '=' padding at character {position} is misplaced or of the wrong length \
         (padding may only end a segment, to a multiple of 4 characters)"
    )]
    BadPadding { segment: usize, position: usize },
    #[error("TC string version {version} is not supported: only version 2 (TCF v2.0 to v2.3) is")]
    UnsupportedVersion { version: u8 },
    #[error("segment 1 is a {found} segment; a TC string must start with its core segment")]
    CoreNotFirst { found: SegmentKind },
    #[error("segment {segment} has SegmentType {segment_type}, which the TCF does not define")]
    UnknownSegmentType { segment: usize, segment_type: u8 },
    #[error("segment {segment} is a second {kind} segment (the first is segment {first})")]
    DuplicateSegment { segment: usize, kind: SegmentKind, first: usize },
    #[error("{at}: {field} needs {width} bits, but the segment ends at bit {available}")]
    Truncated { at: At, field: &'static str, width: u32, available: usize },
    #[error("{at}: {field} holds {value}, which is not a letter (0-25 for A-Z)")]
    InvalidLetter { at: At, field: &'static str, value: u8 },
    #[error("{at}: {field} is 0, but ids start at 1")]
    ZeroId { at: At, field: &'static str },
    #[error("{at}: the range {start}-{end} ends before it starts")]
    ReversedRange { at: At, start: u16, end: u16 },
    #[error("{at}: {field} {id} is above the section's MaxVendorId {max}")]
    IdAboveMax { at: At, field: &'static str, id: u16, max: u16 },
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
    #[error("{field} is {value}, which does not fit in its {bits} bits")]
    TooWide { field: &'static str, value: u64, bits: u32 },
    #[error("{field} holds id {id}, outside 1..={max}")]
    IdOutOfRange { field: &'static str, id: u32, max: u32 },
}

/// An Additional Consent string that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcError {
    #[error("the AC string is empty")]
    Empty,
    #[error("the AC string is {len} bytes long, over the limit of {max} bytes")]
    TooLong { len: usize, max: usize },
    #[error("the AC string's version must be 1 or 2 (the text before the first '~')")]
    UnsupportedVersion,
    #[error("an AC string of version {version} has {expected} parts separated by '~', this one has {found}")]
    WrongPartCount { version: u8, expected: usize, found: usize },
    #[error(
        "the third part of a version 2 AC string must start with \"dv.\" (or be \"dv\" when no provider is listed)"
    )]
    MissingDisclosedPrefix,
    #[error("the {list} list: id {position} is empty (a dot at the start or the end, or two dots in a row)")]
    EmptyId { list: &'static str, position: usize },
    #[error("the {list} list: id {position} is not a decimal number from 1 to {max}")]
    InvalidId { list: &'static str, position: usize, max: u32 },
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
