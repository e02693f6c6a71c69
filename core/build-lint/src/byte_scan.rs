//! Finding the first of a few ASCII bytes in a text, eight bytes at a time. The guards'
//! depth pre-scan (`xml.rs`) reads every byte of a build file looking for `<`, `>` and
//! quotes; byte by byte, that scan cost a third as much as roxmltree's whole parse of a
//! merged manifest, and `str::find(char)` pays a setup per call that a short hop (the next
//! quote, the next tag) does not repay. This compares a word of the text against each
//! wanted byte at once, with the usual zero-byte test on their XOR. ASCII bytes never occur
//! inside a multi-byte UTF-8 sequence, so an offset found in a `str`'s bytes is always a
//! character boundary.

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The offset of the first byte of `bytes` at or after `from` that is one of `wanted`.
#[inline]
pub(crate) fn find_any<const N: usize>(bytes: &[u8], from: usize, wanted: [u8; N]) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut base = from;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let mut hits = 0;
        for w in wanted {
            let x = v ^ (LOW * u64::from(w));
            // The high bit of each byte of `x` that is zero. A borrow can flag a byte above
            // a zero byte too, never one below the first: the lowest flag is a true match.
            hits |= x.wrapping_sub(LOW) & !x & HIGH;
        }
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    words.remainder().iter().position(|b| wanted.contains(b)).map(|p| base + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive<const N: usize>(bytes: &[u8], from: usize, wanted: [u8; N]) -> Option<usize> {
        bytes.get(from..)?.iter().position(|b| wanted.contains(b)).map(|p| p + from)
    }

    #[test]
    fn finds_what_a_byte_by_byte_search_finds() {
        let text =
            "<manifest a=\"x\" b='y'>\n  <application\n    android:name=\"com.x.App\"/>\u{e9}\u{4e2d}></manifest>";
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() + 1 {
            assert_eq!(find_any(bytes, from, [b'<']), naive(bytes, from, [b'<']), "from {from}");
            assert_eq!(find_any(bytes, from, [b'"', b'\'', b'>', b'<']), naive(bytes, from, [b'"', b'\'', b'>', b'<']));
            assert_eq!(find_any(bytes, from, [b'\0']), None);
        }
        // Bytes next to a match, and 0x80/0xFF bytes, do not confuse the word test.
        let tricky = [0x3D, 0x3B, 0x3C, 0x3C, 0x80, 0xFF, 0x00, 0x01, 0x3E, 0x22, 0x21, 0x27, 0x7F, 0xBC, 0xBE, 0x3E];
        for from in 0..tricky.len() {
            for w in [0x3C, 0x3E, 0x22, 0x27, 0x00, 0x01, 0x7F] {
                assert_eq!(find_any(&tricky, from, [w]), naive(&tricky, from, [w]), "{w:#x} from {from}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_a_byte_by_byte_search(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80), from in 0usize..90, a: u8, b: u8) {
            proptest::prop_assert_eq!(find_any(&bytes, from, [a]), naive(&bytes, from, [a]));
            proptest::prop_assert_eq!(find_any(&bytes, from, [a, b, b'<', b'>']), naive(&bytes, from, [a, b, b'<', b'>']));
        }
    }
}
