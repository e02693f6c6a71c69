//! Errors. [`Error`] is the library's internal error, rich enough for Rust callers and
//! the CLI; [`GatekeeperError`] is what crosses the FFI to Kotlin and Swift, one variant
//! per thing an app can act on, each carrying a message that says what went wrong and
//! where. Neither ever carries personal data (no profile values, no user ids).

use crate::manifest::ManifestIssue;

/// The library's internal error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The manifest is not valid: every problem, with its JSON pointer.
    #[error("invalid manifest: {} problem(s); first at {}: {}", .0.len(), path_or_root(.0.first().map(|i| i.path.as_str())), .0.first().map(|i| i.message.as_str()).unwrap_or(""))]
    InvalidManifest(Vec<ManifestIssue>),

    /// The store was made for another `policy.id`; it was left untouched.
    #[error("the store at {path} was created for policy `{store_policy}`, but the manifest is policy `{manifest_policy}`; use the store made for this policy or another --db")]
    PolicyMismatch {
        /// The store's file.
        path: String,
        /// The policy id the store was made for.
        store_policy: String,
        /// The manifest's policy id.
        manifest_policy: String,
    },

    /// The store was written by a newer schema; it was left untouched.
    #[error("the store at {path} has schema version {found}, newer than this build understands ({supported}); it was left untouched")]
    NewerSchema {
        /// The store's file.
        path: String,
        /// Its schema version.
        found: u32,
        /// The newest this build understands.
        supported: u32,
    },

    /// An id the manifest does not declare; nothing was recorded.
    #[error("unknown {kind} id `{}`: it is not declared in the manifest", crate::manifest::ident::escaped(.id))]
    UnknownId {
        /// `purpose`, `sdk` or `permission`.
        kind: &'static str,
        /// The id, clipped to 64 characters.
        id: String,
    },

    /// An argument out of range or malformed; its value is not echoed.
    #[error("invalid argument {what}: {message}")]
    InvalidArgument {
        /// Which argument.
        what: String,
        /// What it should be.
        message: String,
    },

    /// The store cannot be opened (not a SQLite failure: another program's database,
    /// a file system without WAL, a corrupt file that cannot be moved aside).
    #[error("cannot open the store at {path}: {message}")]
    Open {
        /// The store's file.
        path: String,
        /// Why.
        message: String,
    },

    /// SQLite failed while the store was being opened.
    #[error("cannot open the store at {path}: {}", describe_sql(*.context, .source))]
    OpenSql {
        /// The store's file.
        path: String,
        /// What the open was doing, when it had got that far.
        context: Option<&'static str>,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },

    /// The ledger fails its hash check: nothing more is recorded until an erase.
    #[error("the consent ledger at {path} fails its hash check at event {first_broken}; nothing more is recorded and every decision fails closed. Export it first to keep the evidence (`gatekeeper export`; each receipt says whether its event is intact), then erase the store to start again")]
    LedgerTampered {
        /// The store's file.
        path: String,
        /// The first event that does not check out.
        first_broken: i64,
    },

    /// The open store cannot do what was asked (not a SQLite failure).
    #[error("store error at {path}: {message}")]
    Store {
        /// The store's file.
        path: String,
        /// Why.
        message: String,
    },

    /// SQLite failed on the open store.
    #[error("store error at {path}: {}", describe_sql(Some(*.context), .source))]
    StoreSql {
        /// The store's file.
        path: String,
        /// What the store was doing.
        context: &'static str,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },

    /// SQLite failed, inside the store, before the store's path was attached (see
    /// [`Error::OpenSql`] and [`Error::StoreSql`], which every public call returns).
    #[error("store error while {context}: {source}")]
    Sql {
        /// What the store was doing.
        context: &'static str,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },

    /// The store was closed.
    #[error("the store is closed")]
    Closed,

    /// A CMP's TC or AC string that cannot be decoded (contract section 11); nothing was
    /// recorded. The message says what is wrong and where, never the string.
    #[error("invalid {what} string: {message}")]
    TcfInvalid {
        /// `TC` or `AC`.
        what: &'static str,
        /// What is wrong, and where in the string.
        message: String,
    },

    /// A TC string last updated more than 13 months before now; nothing was recorded.
    #[error("the TC string was last updated more than 13 months before now, so it no longer counts (the TCF's limit; Google's error 3.3) and was not imported: the CMP must ask the user again")]
    TcfStale,

    /// A TC string from before TCF v2.2; nothing was recorded.
    #[error("the TC string's TcfPolicyVersion is {version}, below 4 (TCF v2.2), so it is no longer valid and was not imported: the CMP must be updated and ask the user again")]
    TcfPolicyOutdated {
        /// The string's `TcfPolicyVersion`.
        version: u8,
    },
}

/// A SQLite failure in words: what the store was doing, then why it failed (see
/// [`crate::store`]'s connection), without SQL text.
fn describe_sql(context: Option<&str>, source: &rusqlite::Error) -> String {
    match context {
        Some(context) => format!("{context}: {}", crate::store::describe_sql_failure(source)),
        None => source.to_string(),
    }
}

fn path_or_root(p: Option<&str>) -> &str {
    match p {
        Some("") | None => "the document root",
        Some(p) => p,
    }
}

impl Error {
    pub(crate) fn invalid(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument { what: what.into(), message: message.into() }
    }

    /// A SQLite failure while opening the store at `path`, named after it; any other
    /// error as it is.
    pub(crate) fn opening(self, path: &std::path::Path) -> Self {
        match self {
            Error::Sql { context, source } => {
                Error::OpenSql { path: path.display().to_string(), context: Some(context), source }
            }
            other => other,
        }
    }

    /// A SQLite failure on the open store at `path`, named after it; any other error
    /// as it is.
    pub(crate) fn located_at(self, path: &std::path::Path) -> Self {
        match self {
            Error::Sql { context, source } => Error::StoreSql { path: path.display().to_string(), context, source },
            other => other,
        }
    }

    /// Whether the store could not be opened at all (the CLI's `decide` then still
    /// answers, failing closed).
    pub fn is_unopenable(&self) -> bool {
        matches!(self, Error::Open { .. } | Error::OpenSql { .. })
    }

    /// A short, stable machine-readable code (the CLI's `{"error": {"code"}}`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidManifest(_) => "invalid_manifest",
            Error::PolicyMismatch { .. } => "policy_mismatch",
            Error::NewerSchema { .. } => "newer_schema",
            Error::UnknownId { .. } => "unknown_id",
            Error::InvalidArgument { .. } => "invalid_argument",
            Error::Open { .. } | Error::OpenSql { .. } => "store_unavailable",
            Error::LedgerTampered { .. } => "ledger_tampered",
            Error::Store { .. } | Error::StoreSql { .. } | Error::Sql { .. } => "store_error",
            Error::Closed => "store_closed",
            Error::TcfInvalid { .. } => "tcf_invalid",
            Error::TcfStale => "tcf_stale",
            Error::TcfPolicyOutdated { .. } => "tcf_policy_outdated",
        }
    }
}

/// Attaches what the store was doing to a SQLite error.
pub(crate) trait SqlContext<T> {
    fn ctx(self, context: &'static str) -> Result<T>;
}

impl<T> SqlContext<T> for std::result::Result<T, rusqlite::Error> {
    fn ctx(self, context: &'static str) -> Result<T> {
        self.map_err(|source| Error::Sql { context, source })
    }
}

/// The library's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error that crosses the FFI. Kotlin sees `GatekeeperException.InvalidManifest`
/// and so on, Swift `GatekeeperError.InvalidManifest(message:)`, each with the full
/// message.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum GatekeeperError {
    /// The manifest is not valid; the message lists every problem with its JSON path.
    #[error("{0}")]
    InvalidManifest(String),
    /// The store belongs to another policy id.
    #[error("{0}")]
    PolicyMismatch(String),
    /// The store was written by a newer schema and was left untouched.
    #[error("{0}")]
    NewerSchema(String),
    /// A purpose, SDK or permission id that the manifest does not declare.
    #[error("{0}")]
    UnknownId(String),
    /// An argument out of range or malformed (a country code, an age, a time…).
    #[error("{0}")]
    InvalidArgument(String),
    /// The store could not be opened, read or written.
    #[error("{0}")]
    Storage(String),
    /// The ledger failed its hash check: nothing more is recorded until it is erased.
    #[error("{0}")]
    LedgerTampered(String),
    /// The object was closed.
    #[error("{0}")]
    Closed(String),
    /// A TC or AC string that cannot be decoded; nothing was recorded.
    #[error("{0}")]
    TcfInvalid(String),
    /// A TC string last updated more than 13 months ago; nothing was recorded (the CMP
    /// must ask the user again).
    #[error("{0}")]
    TcfStale(String),
    /// A TC string from before TCF v2.2; nothing was recorded.
    #[error("{0}")]
    TcfPolicyOutdated(String),
}

impl From<Error> for GatekeeperError {
    fn from(e: Error) -> Self {
        let msg = match &e {
            Error::InvalidManifest(issues) => {
                let lines: Vec<String> = issues
                    .iter()
                    .map(|i| format!("{}: {}", if i.path.is_empty() { "/" } else { &i.path }, i.message))
                    .collect();
                format!("invalid manifest ({} problem(s)): {}", issues.len(), lines.join("; "))
            }
            other => other.to_string(),
        };
        match e {
            Error::InvalidManifest(_) => GatekeeperError::InvalidManifest(msg),
            Error::PolicyMismatch { .. } => GatekeeperError::PolicyMismatch(msg),
            Error::NewerSchema { .. } => GatekeeperError::NewerSchema(msg),
            Error::UnknownId { .. } => GatekeeperError::UnknownId(msg),
            Error::InvalidArgument { .. } => GatekeeperError::InvalidArgument(msg),
            Error::Open { .. }
            | Error::OpenSql { .. }
            | Error::Store { .. }
            | Error::StoreSql { .. }
            | Error::Sql { .. } => GatekeeperError::Storage(msg),
            Error::LedgerTampered { .. } => GatekeeperError::LedgerTampered(msg),
            Error::Closed => GatekeeperError::Closed(msg),
            Error::TcfInvalid { .. } => GatekeeperError::TcfInvalid(msg),
            Error::TcfStale => GatekeeperError::TcfStale(msg),
            Error::TcfPolicyOutdated { .. } => GatekeeperError::TcfPolicyOutdated(msg),
        }
    }
}

/// What a callback the app implements (listener, time source, log sink) may throw.
/// The core never lets it escape: a failing listener or log sink is logged and
/// ignored, a failing time source falls back to the system clock.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum CallbackError {
    /// The callback threw; its message, which the core never logs.
    #[error("the app's callback failed: {0}")]
    Failed(String),
}

impl From<uniffi::UnexpectedUniFFICallbackError> for CallbackError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        CallbackError::Failed(e.reason)
    }
}
