//! How values cross the FFI: times as platform instants (`java.time.Instant` in
//! Kotlin, `Date` in Swift), counts and ages as signed integers (Java callers of the
//! Kotlin bindings cannot use Kotlin's unsigned types). Nothing here panics: a value a
//! platform cannot hold saturates.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// UTC milliseconds as a platform instant.
pub(super) fn instant(ms: i64) -> SystemTime {
    // Checked: a platform's SystemTime may not reach every i64 millisecond. An instant
    // it cannot hold (only from an absurd app clock) becomes the epoch, never a panic.
    let span = Duration::from_millis(ms.unsigned_abs());
    let t = if ms >= 0 { UNIX_EPOCH.checked_add(span) } else { UNIX_EPOCH.checked_sub(span) };
    t.unwrap_or(UNIX_EPOCH)
}

/// A platform instant as UTC milliseconds.
pub(super) fn millis(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

/// Counts and ages cross the FFI as signed integers: Java callers of the Kotlin
/// bindings cannot use Kotlin's unsigned types.
pub(super) fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A count as a signed integer.
pub(super) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_app_times_saturate_instead_of_overflowing() {
        let far_future = UNIX_EPOCH + Duration::from_secs(u64::MAX / 2);
        assert_eq!(millis(far_future), i64::MAX);
        if let Some(far_past) = UNIX_EPOCH.checked_sub(Duration::from_secs(u64::MAX / 4)) {
            assert_eq!(millis(far_past), i64::MIN);
        }
        assert_eq!(millis(instant(-1_500)), -1_500);
        assert_eq!(millis(instant(1_767_225_600_000)), 1_767_225_600_000);
    }
}
