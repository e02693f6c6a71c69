//! When a TC string is too old to act on. The TCF policy makes CMPs remind users of their
//! choices at least every 13 months, and Google stops honouring a string whose consent
//! decision is "more than 13 months old" (its TCF v2.2 troubleshooting guide, error 3.3);
//! neither says how a month is counted.
//!
//! Gatekeeper counts calendar months in UTC, as `java.time`'s `plusMonths` does (what a
//! person means by "13 months"): `LastUpdated` plus 13 months is the same day of
//! the month and the same time of day 13 months later, the day clamped to the end of a
//! shorter month (31 January 2025 + 13 months = 28 February 2026; 29 February 2024 + 13
//! months = 29 March 2025). A string is stale once `now` is strictly after that instant,
//! so it is still fresh at the instant itself and stale one millisecond later. Counted
//! this way, 13 months are 393 to 397 days, which a fixed 395-day window would get wrong
//! by up to two days either side. A `LastUpdated` in the future (a device clock set back)
//! is not stale.

use super::string::TcString;
use crate::time::{civil_from_days, days_from_civil, MS_PER_DAY};

/// How many calendar months a TC string stays usable after its `LastUpdated`.
pub const STALE_AFTER_MONTHS: u32 = 13;

/// `ms` (UTC milliseconds) plus `months` calendar months, the day of the month clamped to
/// the length of the target month, the time of day kept.
pub fn add_calendar_months(ms: i64, months: u32) -> i64 {
    let days = ms.div_euclid(MS_PER_DAY);
    let time_of_day = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let index = y * 12 + i64::from(m) - 1 + i64::from(months);
    let (ty, tm) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    let first = days_from_civil(ty, tm, 1);
    let (ny, nm) = if tm == 12 { (ty + 1, 1) } else { (ty, tm + 1) };
    let month_len = days_from_civil(ny, nm, 1) - first;
    let day = i64::from(d).min(month_len);
    (first + day - 1).saturating_mul(MS_PER_DAY).saturating_add(time_of_day)
}

impl TcString {
    /// The last instant (UTC ms) at which the string is still fresh: `LastUpdated` plus
    /// [`STALE_AFTER_MONTHS`] calendar months.
    pub fn fresh_until_ms(&self) -> i64 {
        add_calendar_months(self.last_updated_ms(), STALE_AFTER_MONTHS)
    }

    /// Whether `now_ms` is more than 13 calendar months after `LastUpdated` (the refusal
    /// `tcf_stale` of contract section 11).
    pub fn is_stale(&self, now_ms: i64) -> bool {
        now_ms > self.fresh_until_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{format_rfc3339, parse_rfc3339};

    fn plus13(t: &str) -> String {
        format_rfc3339(add_calendar_months(parse_rfc3339(t).unwrap(), 13))
    }

    #[test]
    fn thirteen_calendar_months_with_day_clamping() {
        assert_eq!(plus13("2025-01-15T00:00:00Z"), "2026-02-15T00:00:00Z");
        assert_eq!(plus13("2025-01-31T10:20:30.400Z"), "2026-02-28T10:20:30.400Z");
        assert_eq!(plus13("2023-01-31T00:00:00Z"), "2024-02-29T00:00:00Z");
        assert_eq!(plus13("2024-02-29T00:00:00Z"), "2025-03-29T00:00:00Z");
        assert_eq!(plus13("2025-11-30T23:59:59.999Z"), "2026-12-30T23:59:59.999Z");
        assert_eq!(plus13("2025-12-31T00:00:00Z"), "2027-01-31T00:00:00Z");
        assert_eq!(plus13("1969-12-31T12:00:00Z"), "1971-01-31T12:00:00Z");
        assert_eq!(format_rfc3339(add_calendar_months(0, 0)), "1970-01-01T00:00:00Z");
        // Far outside any TC string's range (36-bit deciseconds), still no overflow.
        for ms in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
            let _ = add_calendar_months(ms, u32::MAX);
            let _ = add_calendar_months(ms, 13);
        }
    }

    #[test]
    fn stale_one_millisecond_after_thirteen_months() {
        let mut tc = TcString::decode("COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA").unwrap();
        // A v2.2 day-level timestamp: 2025-01-31T00:00:00Z.
        tc.last_updated_ds = parse_rfc3339("2025-01-31T00:00:00Z").unwrap() as u64 / 100;
        let limit = parse_rfc3339("2026-02-28T00:00:00Z").unwrap();
        assert_eq!(tc.fresh_until_ms(), limit);
        assert!(!tc.is_stale(limit - 1));
        assert!(!tc.is_stale(limit));
        assert!(tc.is_stale(limit + 1));
        // 395 days after would be 2026-03-02: already stale here.
        assert!(tc.is_stale(parse_rfc3339("2026-03-01T00:00:00Z").unwrap()));
        // A string from the future is not stale.
        assert!(!tc.is_stale(parse_rfc3339("2024-01-01T00:00:00Z").unwrap()));
    }
}
