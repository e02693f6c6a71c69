//! The system clock as a decision reads it: the kernel's coarse wall clock where there is
//! one.
//!
//! A repeated decision costs a lookup, a copy and one read of the clock, and on the
//! machines measured here the precise wall clock (`clock_gettime(CLOCK_REALTIME)`, what
//! `SystemTime::now` reads) takes 25-40 ns: a fifth of the whole decision. Linux and
//! Android keep a coarse copy of the same clock, updated at every timer tick, that costs a
//! read of memory (about 7 ns). Its resolution is the tick, 1-10 ms; every time rule is
//! stated in seconds, hours or days (re-prompt pacing, re-ask, consent expiry, data-access
//! intervals, log retention), so a time up to one tick old changes none of them by more
//! than that tick, and a withdrawal never waits on the clock at all (it is a new ledger
//! head). The coarse clock is used only when the kernel says it ticks at least every
//! [`MAX_TICK_NS`]; elsewhere (iOS, macOS, Windows, a kernel without it) `SystemTime::now`
//! is read, as before.

/// The coarsest tick the coarse clock may have to be used: 10 ms (a kernel at 100 Hz).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) const MAX_TICK_NS: i64 = 10_000_000;

/// UTC milliseconds from the coarse clock, or `None` where it is not used.
#[cfg(any(target_os = "linux", target_os = "android"))]
// `time_t` and `c_long` are 32 bits on 32-bit Android: the conversions are not useless there.
#[allow(clippy::useless_conversion)]
pub(crate) fn now_ms() -> Option<i64> {
    use once_cell::sync::Lazy;
    static FINE_ENOUGH: Lazy<bool> = Lazy::new(|| {
        let mut res = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: clock_getres writes one timespec, which is ours and lives through the call.
        let ok = unsafe { libc::clock_getres(libc::CLOCK_REALTIME_COARSE, &mut res) } == 0;
        ok && res.tv_sec == 0 && i64::from(res.tv_nsec) <= MAX_TICK_NS
    });
    if !*FINE_ENOUGH {
        return None;
    }
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: as above, for clock_gettime.
    if unsafe { libc::clock_gettime(libc::CLOCK_REALTIME_COARSE, &mut ts) } != 0 {
        return None;
    }
    Some(i64::from(ts.tv_sec).saturating_mul(1_000) + i64::from(ts.tv_nsec) / 1_000_000)
}

/// Where there is no coarse clock: always `None`.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn now_ms() -> Option<i64> {
    None
}

#[cfg(test)]
mod tests {
    use crate::time::{Clock, SystemClock};

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn the_coarse_clock_trails_the_precise_one_by_at_most_a_tick() {
        let precise = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        let Some(_) = super::now_ms() else {
            // A kernel without a fine enough coarse clock: nothing to compare.
            return;
        };
        for _ in 0..1_000 {
            let before = precise();
            let coarse = super::now_ms().unwrap();
            let after = precise();
            assert!(coarse <= after, "the coarse clock ran ahead: {coarse} > {after}");
            assert!(
                coarse >= before - super::MAX_TICK_NS / 1_000_000 - 1,
                "more than a tick behind: {coarse} < {before}"
            );
        }
    }

    #[test]
    fn the_system_clock_reads_the_wall_clock() {
        let precise = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        let read = SystemClock.now_ms();
        assert!((read - precise).abs() <= 1_000, "{read} against {precise}");
    }
}
