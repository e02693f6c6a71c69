//! Background work at background priority.
//!
//! The ledger audit (`store/audit.rs`) starts as an app's store opens, which is the app's
//! launch: the busiest moment a phone has, when every core is wanted by the app's own
//! start-up. The audit is not urgent (decisions do not wait for it; only writes and
//! reports do), so its thread asks the scheduler for less than the app's threads get:
//! on Linux and Android a nice value of 10, Android's `THREAD_PRIORITY_BACKGROUND`.
//! Elsewhere (iOS and macOS, where this would be a QoS class; Windows) the thread keeps
//! its priority: this crate is not built for those targets here, and untried code does
//! not ship.

/// The nice value background threads take on Linux and Android.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's priority to background, as far as the platform allows.
/// A failure changes nothing and is not an error: the thread then runs as before.
pub(crate) fn lower_current_thread() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        // On Linux the nice value is the thread's own (the `who` 0 of PRIO_PROCESS is
        // the calling thread), so the app's other threads keep theirs. A thread already
        // at a lower priority keeps it: this only ever lowers.
        // SAFETY: getpriority and setpriority take plain integers and touch no memory
        // of ours.
        let current = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        if current >= BACKGROUND_NICE {
            return;
        }
        let result = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, BACKGROUND_NICE) };
        if result != 0 {
            log::debug!("gatekeeper: the audit thread keeps its priority (setpriority refused)");
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_lowered_thread_runs_at_background_nice_and_the_others_keep_theirs() {
        // SAFETY: getpriority takes plain integers.
        let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let before = nice();
        let inside = std::thread::spawn(move || {
            super::lower_current_thread();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(inside, before.max(super::BACKGROUND_NICE));
        assert_eq!(nice(), before, "the calling thread keeps its own priority");
    }
}
