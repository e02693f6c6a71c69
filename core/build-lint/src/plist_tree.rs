//! A property list as a small tree whose every key and value knows its line: what the
//! Info.plist and privacy-manifest checks walk.
//!
//! Two maintained parsers each do what they are good at:
//! - the **`plist` crate** decides what the plist *means*: its XML and binary readers
//!   produce the events (start of a dictionary, a string, a boolean…) this tree is built
//!   from, so every plist rule (valid integers, dates, base64, one root value…) is the
//!   crate's, not ours. Binary plists (`bplist00`, what an Info.plist is inside a built
//!   .ipa) are read by it alone.
//! - **roxmltree** first checks that an XML plist is well-formed (with the entity and depth
//!   guards of [`crate::xml`]) and gives positions: walking its tree in document order
//!   yields the elements in the same order as the plist crate's events, so event `i` gets
//!   the line of element `i`. A plist error at event `i` is reported at that line.
//!
//! A binary plist has no lines: its findings have line 0, and their message names the key
//! instead (`plutil -convert xml1` gives a file with lines).
//!
//! The events are consumed one at a time under limits, because a binary plist is a graph:
//! objects can be referenced many times, so a few KB can describe an exponentially large
//! tree (a "billion laughs" of binary plists). At most [`MAX_EVENTS`] events, [`MAX_TEXT`]
//! bytes of strings and [`crate::xml::MAX_DEPTH`] levels are accepted.

use std::io::Cursor;

use plist::stream::{BinaryReader, Event, XmlReader};

use crate::error::FileError;
use crate::finding::quoted;
use crate::xml::{Text, MAX_DEPTH};

/// Most plist events (keys, values, collection starts and ends) accepted.
pub(crate) const MAX_EVENTS: usize = 1_000_000;
/// Most bytes of keys and strings accepted (the expansion of a shared string counts each time).
pub(crate) const MAX_TEXT: usize = 64 * 1024 * 1024;

/// A parsed plist.
#[derive(Debug)]
pub(crate) struct Plist {
    pub(crate) root: Node,
    /// Whether the lines are real (XML) or all 0 (binary).
    pub(crate) binary: bool,
}

/// A value and the line it starts on (0 in a binary plist).
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) line: u32,
    pub(crate) value: Value,
}

#[derive(Debug)]
pub(crate) enum Value {
    /// Entries in file order; a repeated key is kept twice (checks look at all of them).
    Dict(Vec<Entry>),
    Array(Vec<Node>),
    Bool(bool),
    String(String),
    /// Integers, reals, dates, data and UIDs: nothing build lint reads.
    Other,
}

#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) key: String,
    /// The line of the `<key>` element.
    pub(crate) line: u32,
    pub(crate) value: Node,
}

impl Node {
    pub(crate) fn as_dict(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Dict(entries) => Some(entries),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// Every entry with this key, in file order.
pub(crate) fn entries<'a>(dict: &'a [Entry], key: &'a str) -> impl Iterator<Item = &'a Entry> {
    dict.iter().filter(move |e| e.key == key)
}

/// Parses an XML or binary plist whose root must be a dictionary.
pub(crate) fn parse(bytes: &[u8]) -> Result<Plist, FileError> {
    let plist = if bytes.starts_with(b"bplist") {
        if !bytes.starts_with(b"bplist00") {
            return Err(FileError::Plist {
                line: 0,
                message: "binary plist format other than bplist00; convert it with `plutil -convert xml1`".into(),
            });
        }
        let events = BinaryReader::new(Cursor::new(bytes));
        Plist { root: build(events, &[])?, binary: true }
    } else {
        let text = Text::decode(bytes)?;
        if !text.text.trim_start_matches('\u{feff}').trim_start().starts_with('<') {
            return Err(FileError::Plist {
                line: 1,
                message: "neither an XML nor a binary property list (old-style text plists are not read; \
                          convert with `plutil -convert xml1`)"
                    .into(),
            });
        }
        let doc = text.parse()?;
        let lines = event_lines(&doc, &text);
        let events = XmlReader::new(Cursor::new(bytes));
        Plist { root: build(events, &lines)?, binary: false }
    };
    if plist.root.as_dict().is_none() {
        return Err(FileError::WrongShape {
            line: plist.root.line,
            message: "is a property list whose root is not a dictionary".into(),
        });
    }
    Ok(plist)
}

/// The line of each event the plist crate's XML reader will produce, in order: one per
/// element start (except `<plist>`), plus one per `</dict>` and `</array>`. The contents
/// of a leaf element (`<string>`, `<key>`…) produce no further events.
fn event_lines(doc: &roxmltree::Document<'_>, text: &Text<'_>) -> Vec<u32> {
    let mut lines = Vec::new();
    // `</dict>` and `</array>` not yet passed, innermost last: (end offset).
    let mut open: Vec<usize> = Vec::new();
    // The end of the leaf element whose contents are being skipped.
    let mut leaf_end = 0usize;
    for node in doc.root().descendants().filter(roxmltree::Node::is_element) {
        let range = node.range();
        if range.start < leaf_end {
            continue;
        }
        while open.last().is_some_and(|&end| end <= range.start) {
            if let Some(end) = open.pop() {
                lines.push(text.line_of(end.saturating_sub(1)));
            }
        }
        let name = node.tag_name().name();
        if name == "plist" {
            continue;
        }
        lines.push(text.line_of(range.start));
        if name == "dict" || name == "array" {
            open.push(range.end);
        } else {
            leaf_end = range.end;
        }
    }
    while let Some(end) = open.pop() {
        lines.push(text.line_of(end.saturating_sub(1)));
    }
    lines
}

enum Frame {
    Dict { line: u32, entries: Vec<Entry>, key: Option<(String, u32)> },
    Array { line: u32, items: Vec<Node> },
}

/// Builds the tree from the plist crate's events, under the limits of this module.
fn build<I>(events: I, lines: &[u32]) -> Result<Node, FileError>
where
    I: Iterator<Item = Result<Event<'static>, plist::Error>>,
{
    let last_line = lines.last().copied().unwrap_or(0);
    let line_at = |i: usize| lines.get(i).copied().unwrap_or(last_line);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut text_bytes = 0usize;
    for (i, event) in events.enumerate() {
        let line = line_at(i);
        let fail = |message: String| FileError::Plist { line, message };
        if i >= MAX_EVENTS {
            return Err(fail(format!("has more than {MAX_EVENTS} values")));
        }
        let event = event.map_err(|e| fail(e.to_string()))?;
        let value = match event {
            Event::StartDictionary(_) | Event::StartArray(_) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(format!("nests more than {MAX_DEPTH} levels deep")));
                }
                stack.push(match event {
                    Event::StartDictionary(_) => Frame::Dict { line, entries: Vec::new(), key: None },
                    _ => Frame::Array { line, items: Vec::new() },
                });
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some(Frame::Dict { key: Some((key, _)), .. }) => {
                    return Err(fail(format!("key `{}` has no value", quoted(&key))));
                }
                Some(Frame::Dict { line, entries, key: None }) => Node { line, value: Value::Dict(entries) },
                Some(Frame::Array { line, items }) => Node { line, value: Value::Array(items) },
                None => return Err(fail("closes a collection that was never opened".into())),
            },
            Event::String(s) => {
                text_bytes += s.len();
                if text_bytes > MAX_TEXT {
                    return Err(fail(format!("holds more than {MAX_TEXT} bytes of text")));
                }
                if let Some(Frame::Dict { key: key @ None, .. }) = stack.last_mut() {
                    *key = Some((s.into_owned(), line));
                    continue;
                }
                Node { line, value: Value::String(s.into_owned()) }
            }
            Event::Boolean(b) => Node { line, value: Value::Bool(b) },
            _ => Node { line, value: Value::Other },
        };
        match stack.last_mut() {
            None if root.is_none() => root = Some(value),
            None => return Err(fail("has more than one root value".into())),
            Some(Frame::Array { items, .. }) => items.push(value),
            Some(Frame::Dict { entries, key, .. }) => match key.take() {
                Some((key, key_line)) => entries.push(Entry { key, line: key_line, value }),
                None => return Err(fail("a dictionary key is not a string".into())),
            },
        }
    }
    if !stack.is_empty() {
        return Err(FileError::Plist {
            line: last_line,
            message: "ends inside an unclosed dictionary or array".into(),
        });
    }
    root.ok_or(FileError::Plist { line: last_line, message: "holds no value".into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>NSCameraUsageDescription</key>
	<string>Scan receipts</string>
	<key>List</key>
	<array>
		<integer>3</integer>
		<true/>
	</array>
	<key>After</key>
	<false/>
</dict>
</plist>
"#;

    #[test]
    fn xml_keys_and_values_carry_their_lines() {
        let plist = parse(XML.as_bytes()).unwrap();
        let dict = plist.root.as_dict().unwrap();
        assert_eq!(
            dict.iter().map(|e| (e.key.as_str(), e.line)).collect::<Vec<_>>(),
            [("NSCameraUsageDescription", 5), ("List", 7), ("After", 12)]
        );
        assert_eq!(dict[0].value.as_str(), Some("Scan receipts"));
        assert_eq!(dict[0].value.line, 6);
        let list = dict[1].value.as_array().unwrap();
        assert_eq!((list[1].as_bool(), list[1].line), (Some(true), 10));
        assert_eq!((dict[2].value.as_bool(), dict[2].value.line), (Some(false), 13));
        assert!(!plist.binary);
    }

    #[test]
    fn binary_plists_are_read_without_lines() {
        let mut dict = plist::Dictionary::new();
        dict.insert("NSCameraUsageDescription".into(), plist::Value::String("Scan".into()));
        let mut bytes = Vec::new();
        plist::Value::Dictionary(dict).to_writer_binary(&mut bytes).unwrap();
        let plist = parse(&bytes).unwrap();
        assert!(plist.binary);
        let entry = &plist.root.as_dict().unwrap()[0];
        assert_eq!((entry.key.as_str(), entry.line), ("NSCameraUsageDescription", 0));
    }

    #[test]
    fn a_plist_error_is_at_the_line_of_the_bad_element() {
        let bad = XML.replace("<integer>3</integer>", "<integer>three</integer>");
        match parse(bad.as_bytes()) {
            Err(FileError::Plist { line: 9, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_xml_is_an_xml_error_with_its_line() {
        let bad = XML.replace("</array>", "</arra>");
        assert!(matches!(parse(bad.as_bytes()), Err(FileError::Xml { line: 11, .. })));
    }

    #[test]
    fn the_root_must_be_a_dictionary() {
        let doc = "<plist><array/></plist>";
        assert!(matches!(parse(doc.as_bytes()), Err(FileError::WrongShape { .. })));
        assert!(matches!(parse(b"{ a = b; }"), Err(FileError::Plist { line: 1, .. })));
        assert!(matches!(parse(b"bplist15xxxx"), Err(FileError::Plist { line: 0, .. })));
    }
}
