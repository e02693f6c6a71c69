//! The app's clock: a [`TimeSource`] the app may pass to `Gatekeeper.open` (tests pin
//! it; apps normally leave it out), read through the core's [`Clock`]. A time source
//! that throws falls back to the system clock, and what it threw is not logged.

use std::sync::Arc;
use std::time::SystemTime;

use super::convert::millis;
use crate::error::CallbackError;
use crate::time::{Clock, SystemClock};

/// A source of time the app may pass in (tests pin it; apps normally leave it out).
#[uniffi::export(foreign)]
pub trait TimeSource: Send + Sync {
    /// # Errors
    /// Whatever the app's clock throws; the core then reads the system clock.
    fn now(&self) -> std::result::Result<SystemTime, CallbackError>;
}

/// The app's [`TimeSource`] as the core's clock.
pub(super) struct ForeignClock(pub(super) Arc<dyn TimeSource>);

impl Clock for ForeignClock {
    fn now_ms(&self) -> i64 {
        match self.0.now() {
            Ok(t) => millis(t),
            // The app's exception text is not logged: it is the app's, and may hold anything.
            Err(_) => {
                log::warn!("gatekeeper: the app's time source failed; using the system clock");
                SystemClock.now_ms()
            }
        }
    }
}
