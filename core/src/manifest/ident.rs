//! The rule for identifiers (issue 13, defect 7), in one place, and the helper that shows
//! any character in a message escaped.
//!
//! An id that looks like another (a Cyrillic `а` for a Latin `a`, a trailing space, a
//! zero-width space or a right-to-left mark inside it) would be a second item to the
//! engine and the same one to a person reading a receipt. So every id is plain ASCII:
//! purposes, permissions, SDKs and platforms `^[a-z][a-z0-9_]*$` (the contract's rule),
//! jurisdiction ids (which the contract left as any non-empty string)
//! `^[A-Za-z0-9][A-Za-z0-9_.-]*$`, both at most [`MAX_ID_CHARS`] characters. Ids given on
//! the command line or through the bindings are held to the same rule by the store (an
//! unknown id is refused), and every message shows a character outside printable ASCII
//! as `\u{…}`, so it cannot hide.

use super::limits::MAX_ID_CHARS;

/// Whether `s` matches `^[a-z][a-z0-9_]*$` and is at most [`MAX_ID_CHARS`] long.
pub fn is_valid_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= MAX_ID_CHARS
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `s` is a valid jurisdiction id: `^[A-Za-z0-9][A-Za-z0-9_.-]*$`, at most
/// [`MAX_ID_CHARS`] long.
pub fn is_valid_jurisdiction_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= MAX_ID_CHARS
        && bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// `s` with every character outside printable ASCII (controls, spaces other than ' ',
/// zero-width and direction marks, every non-ASCII letter) written `\u{XXXX}`, and a
/// backslash written `\\`, so a message shows exactly what was given.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_ascii() {
        for good in ["analytics", "a", "a_1", &"a".repeat(64)] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in ["", "Analytics", "1a", "an\u{200b}alytics", "аnalytics", "analytics ", "a\u{200f}", &"a".repeat(65)]
        {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        for good in ["CN", "EEA", "default", "us-ca", "eu.v2", "1"] {
            assert!(is_valid_jurisdiction_id(good), "{good}");
        }
        for bad in ["", "CN ", " CN", "C\u{200b}N", "СN", "E\u{202e}EA", "EU/EEA", "-x", &"J".repeat(65)] {
            assert!(!is_valid_jurisdiction_id(bad), "{bad:?}");
        }
    }

    proptest::proptest! {
        /// Whatever is given, the escaped text is printable ASCII, and text that is
        /// already printable ASCII without a backslash is shown as it is.
        #[test]
        fn escaped_text_is_printable_ascii(s in proptest::prelude::any::<String>()) {
            let shown = escaped(&s);
            proptest::prop_assert!(shown.bytes().all(|b| (b' '..=b'~').contains(&b)), "{:?}", shown);
            if s.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'\\') {
                proptest::prop_assert_eq!(&shown, &s);
            }
            if is_valid_jurisdiction_id(&s) || is_valid_id(&s) {
                proptest::prop_assert_eq!(&shown, &s);
            }
        }
    }

    #[test]
    fn invisible_and_look_alike_characters_are_escaped() {
        assert_eq!(escaped("CN"), "CN");
        assert_eq!(escaped("C\u{200b}N"), "C\\u{200b}N");
        assert_eq!(escaped("СN"), "\\u{0421}N");
        assert_eq!(escaped("a\u{200f}\t\\"), "a\\u{200f}\\u{0009}\\\\");
        assert_eq!(escaped("trailing "), "trailing ");
    }
}
