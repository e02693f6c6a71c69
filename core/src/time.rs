//! Time, injected. Every rule with a deadline (grant expiry, re-ask after a denial,
//! permission re-prompt pacing, log retention) reads the time from a [`Clock`] passed
//! in by the caller, so tests and the CLI's `--now` can pin it and check both sides of
//! each boundary. Times are UTC milliseconds since the Unix epoch; this module also
//! converts them to and from RFC 3339 without pulling in a date-time crate.

use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds in a second.
pub const MS_PER_SECOND: i64 = 1_000;
/// Milliseconds in an hour.
pub const MS_PER_HOUR: i64 = 3_600 * MS_PER_SECOND;
/// Milliseconds in a day.
pub const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;

/// The earliest time the tool accepts or works at: 1970-01-01T00:00:00Z.
pub const MIN_TIME_MS: i64 = 0;

/// The latest time the tool accepts or works at, and the latest it writes:
/// 9999-12-31T23:59:59.999Z, the last moment of four-digit RFC 3339 (issue 13, defect 13).
/// A time worked out past it (a grant near the end expiring after it) is written as this
/// moment by [`format_rfc3339`]: earlier than the real one, which for a `valid_until` only
/// makes a cache ask again sooner, and no decision can be made after it anyway.
pub const MAX_TIME_MS: i64 = 253_402_300_799_999;

/// `ms` held within [`MIN_TIME_MS`]..=[`MAX_TIME_MS`]: what a clock outside them counts as.
pub fn bounded(ms: i64) -> i64 {
    ms.clamp(MIN_TIME_MS, MAX_TIME_MS)
}

/// Whether the tool accepts `ms` as a time (`--now`, a clock).
pub fn in_bounds(ms: i64) -> bool {
    (MIN_TIME_MS..=MAX_TIME_MS).contains(&ms)
}

/// Where the core reads "now" from.
pub trait Clock: Send + Sync {
    /// UTC milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The operating system's clock: its coarse wall clock on Linux and Android, which
/// trails the precise one by at most a timer tick (see `coarse_clock.rs`), else
/// `SystemTime::now`.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        if let Some(ms) = crate::coarse_clock::now_ms() {
            return ms;
        }
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
        }
    }
}

/// A clock that stays where it is put; for tests, the CLI's `--now` and the demo.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock at `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        FixedClock(AtomicI64::new(now_ms))
    }
    /// Puts the clock at `now_ms`.
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst)
    }
    /// Moves the clock by `by_ms` (backwards when negative).
    pub fn advance(&self, by_ms: i64) {
        self.0.fetch_add(by_ms, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date for a count of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses a calendar date `YYYY-MM-DD` (a real date: no 2025-02-30) into days since
/// the epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&s[0..4])? as i64;
    let m = digits(&s[5..7])?;
    let d = digits(&s[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Parses an RFC 3339 timestamp (`2026-01-01T00:00:00Z`, `2026-01-01T08:00:00.250+08:00`)
/// into UTC milliseconds. Fractions finer than a millisecond are truncated.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    if !s.is_ascii() || s.len() < 20 {
        return None;
    }
    let days = parse_date(&s[0..10])?;
    let b = s.as_bytes();
    if !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let h = digits(&s[11..13])? as i64;
    let mi = digits(&s[14..16])? as i64;
    let sec = digits(&s[17..19])? as i64;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut ms = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let f = &frac[..n];
        let padded = format!("{:0<3}", &f[..n.min(3)]);
        ms = padded.parse::<i64>().ok()?;
        rest = &frac[n..];
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && &o[3..4] == ":" => {
            let oh = digits(&o[1..3])? as i64;
            let om = digits(&o[4..6])? as i64;
            if oh > 23 || om > 59 {
                return None;
            }
            let v = oh * 60 + om;
            if o.starts_with('-') {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + h * 3_600 + mi * 60 + sec.min(59) - offset_min * 60;
    Some(secs * MS_PER_SECOND + ms)
}

/// Formats UTC milliseconds as RFC 3339 in UTC: `2026-01-01T00:00:00Z`, with `.mmm`
/// only when the time has milliseconds. A time after [`MAX_TIME_MS`] is written as it, so
/// the text is always four-digit RFC 3339 that `--now` reads back.
pub fn format_rfc3339(ms: i64) -> String {
    let ms = ms.min(MAX_TIME_MS);
    let secs = ms.div_euclid(MS_PER_SECOND);
    let milli = ms.rem_euclid(MS_PER_SECOND);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s) = (sod / 3_600, (sod % 3_600) / 60, sod % 60);
    if milli == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

/// A compact UTC stamp for file names: `20260101T000000Z`.
pub fn file_stamp(ms: i64) -> String {
    // Whole seconds: the fraction is cut from the text, because rounding `ms` down
    // first (`ms - ms.rem_euclid(1000)`) overflows within a second of `i64::MIN`.
    let text = format_rfc3339(ms);
    let whole = match text.split_once('.') {
        Some((seconds, _)) => format!("{seconds}Z"),
        None => text,
    };
    whole.replace(['-', ':'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_the_first_and_the_last_moment_accepted() {
        assert_eq!(format_rfc3339(MIN_TIME_MS), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(MAX_TIME_MS), "9999-12-31T23:59:59.999Z");
        assert_eq!(parse_rfc3339("9999-12-31T23:59:59.999Z"), Some(MAX_TIME_MS));
        assert!(in_bounds(MAX_TIME_MS) && !in_bounds(MAX_TIME_MS + 1));
        assert!(in_bounds(MIN_TIME_MS) && !in_bounds(MIN_TIME_MS - 1));
        assert_eq!(bounded(i64::MAX), MAX_TIME_MS);
        assert_eq!(bounded(-1), MIN_TIME_MS);
        // A time worked out past the end is written as the end, never as year 10000.
        assert_eq!(format_rfc3339(MAX_TIME_MS + 395 * MS_PER_DAY), "9999-12-31T23:59:59.999Z");
        assert_eq!(format_rfc3339(MAX_TIME_MS - 999), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn round_trips_rfc3339() {
        for s in ["1970-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2024-02-29T23:59:59.123Z"] {
            assert_eq!(format_rfc3339(parse_rfc3339(s).unwrap()), s);
        }
    }

    #[test]
    fn applies_offsets() {
        assert_eq!(parse_rfc3339("2026-01-01T08:00:00+08:00"), parse_rfc3339("2026-01-01T00:00:00Z"));
        assert_eq!(parse_rfc3339("2025-12-31T19:00:00-05:00"), parse_rfc3339("2026-01-01T00:00:00Z"));
    }

    #[test]
    fn rejects_malformed_times() {
        for s in [
            "",
            "2026-01-01",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00+0800",
            "2026-01-01T00:00:00.Z",
            "yesterday",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s}");
        }
    }

    #[test]
    fn validates_dates() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2025-3-01").is_none());
        assert_eq!(parse_date("1970-01-02"), Some(1));
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let c = FixedClock::new(5);
        c.advance(MS_PER_HOUR);
        assert_eq!(c.now_ms(), 5 + MS_PER_HOUR);
        c.set(1);
        assert_eq!(c.now_ms(), 1);
    }

    #[test]
    fn file_stamp_has_no_separators() {
        assert_eq!(file_stamp(parse_rfc3339("2026-01-01T10:20:30.5Z").unwrap()), "20260101T102030Z");
    }

    #[test]
    fn file_stamp_does_not_overflow_near_i64_min() {
        // Found by the `time` fuzz target (core/fuzz): i64::MIN + 306 ms has 498 ms past
        // its second, so rounding it down to the second underflowed.
        for ms in [i64::MIN, i64::MIN + 306, i64::MIN + 807, i64::MAX] {
            let stamp = file_stamp(ms);
            assert!(stamp.ends_with('Z') && !stamp.contains(['.', ':']), "{ms}: {stamp}");
        }
        assert_eq!(file_stamp(-1), "19691231T235959Z");
        assert_eq!(file_stamp(0), "19700101T000000Z");
    }
}
