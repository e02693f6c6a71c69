//! Fuzzes the RFC 3339 and calendar-date parsers of `gatekeeper::time`.
//!
//! Checked on every input (bytes through `String::from_utf8_lossy`):
//! - `parse_date` and `parse_rfc3339` never panic (overflow checks are on);
//! - a date `parse_date` accepts is already canonical: formatting its day count back
//!   gives the same text;
//! - a timestamp ending in `Z` (upper or lower case, with or without a fraction) that
//!   `parse_rfc3339` accepts round-trips: `parse_rfc3339(format_rfc3339(ms)) == ms`;
//!   so does any accepted timestamp whose instant lies in years 0000..=9999 (the years
//!   `format_rfc3339` writes with four digits);
//! - `format_rfc3339` and `file_stamp` never panic on any i64 (the input's first 8
//!   bytes).
#![no_main]

use gatekeeper::time::{civil_from_days, days_from_civil, file_stamp, format_rfc3339, parse_date, parse_rfc3339};
use libfuzzer_sys::fuzz_target;

const MS_PER_DAY: i64 = 86_400_000;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    if let Some(days) = parse_date(s) {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(format!("{y:04}-{m:02}-{d:02}"), s, "parse_date accepted a non-canonical date");
    }

    if let Some(ms) = parse_rfc3339(s) {
        assert!(s.is_char_boundary(10) && parse_date(&s[..10]).is_some(), "accepted {s:?} without a valid date");
        let first = days_from_civil(0, 1, 1) * MS_PER_DAY;
        let last = (days_from_civil(9999, 12, 31) + 1) * MS_PER_DAY - 1;
        let zulu = s.ends_with('Z') || s.ends_with('z');
        if zulu || (first..=last).contains(&ms) {
            let formatted = format_rfc3339(ms);
            assert_eq!(parse_rfc3339(&formatted), Some(ms), "{s:?} -> {ms} -> {formatted:?} does not parse back");
        }
    }

    if let Some(bytes) = data.get(..8) {
        let ms = i64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        let _ = format_rfc3339(ms);
        let _ = file_stamp(ms);
    }
});
