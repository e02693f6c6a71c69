//! Turning untrusted bytes into a roxmltree document safely, and byte offsets into lines.
//!
//! roxmltree is a maintained, strict XML parser that keeps every node's byte range, which is
//! what gives each finding its line. Fed hostile input directly it has two weaknesses,
//! both measured on roxmltree 0.20 before this module was written:
//! - **Entities.** Its loop detector stops the classic billion laughs (nested entities:
//!   `EntityReferenceLoop` in microseconds), but not one large entity referenced many times
//!   at the top level: a 1 MiB document expanded to 100 MiB of text in 19.5 s (quadratic).
//!   AndroidManifest.xml and plists never declare entities, so a document containing
//!   `<!ENTITY` is refused before parsing. Without a declaration only the five predefined
//!   entities and character references exist, which cannot expand.
//! - **Depth.** Its tokenizer recurses once per element nesting level, and a stack overflow
//!   aborts the process (it is not a panic): 50,000 nested elements (a 350 KB file) crashed
//!   an 8 MiB main thread. [`max_depth`] pre-scans the text and refuses more than
//!   [`MAX_DEPTH`] levels (real manifests nest under 10).
//!
//! Also: at most [`MAX_NODES`] nodes (memory), UTF-8 only (with a clear error for UTF-16
//! and for the binary XML inside an APK), and DTDs allowed only because every Apple plist
//! starts with an external `<!DOCTYPE plist …>` (roxmltree never fetches it).

use std::cell::OnceCell;

use crate::error::FileError;

/// Deepest element nesting accepted.
pub(crate) const MAX_DEPTH: usize = 256;
/// Most XML nodes accepted: a 5,000-line merged manifest has about 20,000.
pub(crate) const MAX_NODES: u32 = 1_000_000;

/// The text of a build file with a line lookup built only when a finding needs it.
pub(crate) struct Text<'a> {
    pub(crate) text: &'a str,
    newlines: OnceCell<Vec<usize>>,
}

impl<'a> Text<'a> {
    /// Decodes a build file's bytes, refusing what is not UTF-8 text.
    pub(crate) fn decode(bytes: &'a [u8]) -> Result<Self, FileError> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(FileError::Utf16);
        }
        if bytes.starts_with(&[0x03, 0x00, 0x08, 0x00]) {
            return Err(FileError::BinaryAndroidXml);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Text { text, newlines: OnceCell::new() }),
            Err(e) => {
                let valid = &bytes[..e.valid_up_to()];
                Err(FileError::NotUtf8 { line: line_count(valid) })
            }
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        let newlines = self.newlines.get_or_init(|| newline_offsets(self.text.as_bytes()));
        let line = newlines.partition_point(|&nl| nl < offset) + 1;
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// Parses the text as XML, with the guards of this module.
    pub(crate) fn parse(&self) -> Result<roxmltree::Document<'a>, FileError> {
        if let Some(at) = self.text.find("<!ENTITY") {
            return Err(FileError::EntityDeclaration { line: self.line_of(at) });
        }
        if let Err(at) = max_depth(self.text, MAX_DEPTH) {
            return Err(FileError::TooDeep { line: self.line_of(at), limit: MAX_DEPTH });
        }
        let options = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: MAX_NODES };
        roxmltree::Document::parse_with_options(self.text, options).map_err(|e| FileError::Xml {
            line: if matches!(e, roxmltree::Error::NodesLimitReached) { 0 } else { e.pos().row },
            message: e.to_string(),
        })
    }
}

/// The offset of every `\n`, ascending.
fn newline_offsets(bytes: &[u8]) -> Vec<usize> {
    memchr::memchr_iter(b'\n', bytes).collect()
}

fn line_count(bytes: &[u8]) -> u32 {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    u32::try_from(lines).unwrap_or(u32::MAX)
}

/// Checks that elements nest at most `limit` deep, returning the offset of the first tag
/// beyond it. It over-estimates roxmltree's recursion, never under-estimates it: comments,
/// CDATA, processing instructions and declarations are skipped as roxmltree skips them,
/// attribute values are skipped by their quotes, and a tag that is never closed counts as
/// open. Wherever this scan and roxmltree could disagree (a `<` inside an attribute value, a
/// stray quote), roxmltree stops with an error at that point, so it recurses no deeper than
/// the scan has counted.
pub(crate) fn max_depth(text: &str, limit: usize) -> Result<(), usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    // Every index `i` is just past an ASCII byte (or 0, or the end), so slicing is safe;
    // single bytes are found with the `memchr` crate (SIMD), short strings with `str::find`.
    while let Some(lt) = find_byte(bytes, i, b'<') {
        let rest = &bytes[lt..];
        i = if rest.starts_with(b"<!--") {
            find(text, lt + 4, "-->").map_or(bytes.len(), |e| e + 3)
        } else if rest.starts_with(b"<![CDATA[") {
            find(text, lt + 9, "]]>").map_or(bytes.len(), |e| e + 3)
        } else if rest.starts_with(b"<?") {
            find(text, lt + 2, "?>").map_or(bytes.len(), |e| e + 2)
        } else if rest.starts_with(b"<!") {
            find_byte(bytes, lt + 2, b'>').map_or(bytes.len(), |e| e + 1)
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            lt + 2
        } else {
            let (end, self_closing) = tag_end(text, lt + 1);
            if !self_closing {
                depth += 1;
                if depth > limit {
                    return Err(lt);
                }
            }
            end
        };
    }
    Ok(())
}

/// Where a start tag ends (just past its `>`), and whether it was `/>`. Quoted attribute
/// values are jumped over; a `<` outside quotes ends the tag early (it is malformed and
/// counts as open); so does the end of the text.
fn tag_end(text: &str, from: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(at) = tag_stop(bytes, i) {
        match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => match find_byte(bytes, at + 1, quote) {
                Some(end) => i = end + 1,
                None => return (bytes.len(), false),
            },
            Some(b'>') => return (at + 1, at > from && bytes.get(at - 1) == Some(&b'/')),
            _ => return (at, false),
        }
    }
    (bytes.len(), false)
}

/// The offset of byte `needle` in `bytes` at or after `from`.
fn find_byte(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, bytes.get(from..)?).map(|p| p + from)
}

/// The offset of the first quote, `>` or `<` at or after `from`: where a tag's scan stops.
/// `<` is looked for only before the first of the other three, so a scan never rereads
/// the rest of the file.
fn tag_stop(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let other = memchr::memchr3(b'"', b'\'', b'>', rest);
    let lt = memchr::memchr(b'<', rest.get(..other.unwrap_or(rest.len()))?);
    lt.or(other).map(|p| p + from)
}

/// The offset of `needle` in `text` at or after `from`.
fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?.find(needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {

    proptest::proptest! {
        /// The memchr searches find what a byte-by-byte search finds.
        #[test]
        fn byte_searches_agree_with_a_plain_scan(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            from in 0usize..90,
            b: u8,
        ) {
            let naive = |wanted: &[u8]| bytes.get(from..).and_then(|r| r.iter().position(|x| wanted.contains(x))).map(|p| p + from);
            proptest::prop_assert_eq!(super::find_byte(&bytes, from, b), naive(&[b]));
            proptest::prop_assert_eq!(super::tag_stop(&bytes, from), naive(b"\"'><"));
            let all: Vec<usize> = bytes.iter().enumerate().filter(|(_, x)| **x == b'\n').map(|(i, _)| i).collect();
            proptest::prop_assert_eq!(super::newline_offsets(&bytes), all);
        }
    }

    use super::*;

    #[test]
    fn lines_are_one_based_and_count_newlines_before_the_offset() {
        let t = Text::decode(b"a\nbc\n\nd").unwrap();
        assert_eq!([t.line_of(0), t.line_of(1), t.line_of(2), t.line_of(5), t.line_of(6)], [1, 1, 2, 3, 4]);
    }

    #[test]
    fn non_utf8_names_the_line_of_the_bad_byte() {
        assert!(matches!(Text::decode(b"<a>\n\n\xff</a>"), Err(FileError::NotUtf8 { line: 3 })));
        assert!(matches!(Text::decode(b"\xff\xfe<\0a\0"), Err(FileError::Utf16)));
        assert!(matches!(Text::decode(&[3, 0, 8, 0, 1, 2]), Err(FileError::BinaryAndroidXml)));
    }

    #[test]
    fn depth_counts_open_tags_only() {
        assert!(max_depth("<a><b/><c x='>'><!-- <d> --><![CDATA[<e>]]><?p <f>?></c></a>", 2).is_ok());
        assert_eq!(max_depth("<a>\n<b>\n<c>", 2), Err(8));
        assert!(max_depth("<a/><a/><a/>", 1).is_ok());
        // an unclosed tag counts as open
        assert!(max_depth("<a><b", 1).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_before_roxmltree_sees_it() {
        let deep = "<a>".repeat(100_000);
        let t = Text::decode(deep.as_bytes()).unwrap();
        assert!(matches!(t.parse(), Err(FileError::TooDeep { line: 1, limit: MAX_DEPTH })));
    }

    #[test]
    fn entity_declarations_are_refused_with_their_line() {
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY a \"aaaa\">\n]>\n<r>&a;</r>";
        let t = Text::decode(doc.as_bytes()).unwrap();
        assert!(matches!(t.parse(), Err(FileError::EntityDeclaration { line: 3 })));
    }

    #[test]
    fn apple_doctype_is_accepted() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict/></plist>";
        assert!(Text::decode(doc.as_bytes()).unwrap().parse().is_ok());
    }
}
