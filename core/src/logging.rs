//! Logging for the core. On Android the core logs to logcat through `android_logger`
//! under the tag `Gatekeeper`; elsewhere the app may install a [`LogSink`] (the Swift
//! package forwards it to `os_log`). Either way the logger is installed once, through
//! `once_cell`, and is the only global state in the library.
//!
//! Log lines name operations, ids of purposes/SDKs/permissions and counts only: never
//! a profile value, a country, an age or anything that identifies the user.

use std::sync::Arc;

use once_cell::sync::OnceCell;

/// Severity, as the platform loggers know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something went wrong and was handled (often: failing closed).
    Warn,
    /// What the core did.
    Info,
    /// Detail for developers.
    Debug,
    /// Everything.
    Trace,
}

impl From<log::Level> for LogLevel {
    fn from(l: log::Level) -> Self {
        match l {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        }
    }
}

/// Where log lines go, implemented by the app (Kotlin or Swift).
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// # Errors
    /// Whatever the app's sink throws is dropped: logging never fails an operation.
    fn log(&self, level: LogLevel, target: String, message: String) -> Result<(), crate::error::CallbackError>;
}

static SINK: OnceCell<Arc<dyn LogSink>> = OnceCell::new();

struct Forwarder;

impl log::Log for Forwarder {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target().starts_with("gatekeeper")
    }

    fn log(&self, record: &log::Record<'_>) {
        if let (true, Some(sink)) = (self.enabled(record.metadata()), SINK.get()) {
            let _ = sink.log(record.level().into(), record.target().to_owned(), record.args().to_string());
        }
    }

    fn flush(&self) {}
}

static FORWARDER: Forwarder = Forwarder;

/// Installs the app's log sink. Only the first call takes effect; it returns whether
/// this call installed it.
#[uniffi::export]
pub fn install_log_sink(sink: Arc<dyn LogSink>, max_level: LogLevel) -> bool {
    if SINK.set(sink).is_err() {
        return false;
    }
    let filter = match max_level {
        LogLevel::Error => log::LevelFilter::Error,
        LogLevel::Warn => log::LevelFilter::Warn,
        LogLevel::Info => log::LevelFilter::Info,
        LogLevel::Debug => log::LevelFilter::Debug,
        LogLevel::Trace => log::LevelFilter::Trace,
    };
    if log::set_logger(&FORWARDER).is_ok() {
        log::set_max_level(filter);
    }
    true
}

/// On Android, routes the core's logs to logcat once; elsewhere does nothing.
pub(crate) fn init_platform_logger() {
    #[cfg(target_os = "android")]
    {
        static ANDROID: OnceCell<()> = OnceCell::new();
        ANDROID.get_or_init(|| {
            android_logger::init_once(
                android_logger::Config::default().with_tag("Gatekeeper").with_max_level(log::LevelFilter::Info),
            );
        });
    }
}
