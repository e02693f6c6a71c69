//! What Kotlin and Swift see (contract §8), generated through uniffi: the exported
//! [`Gatekeeper`] object apart from the records it takes and returns, each with its
//! conversion from the core's own types.
//!
//! | file | what |
//! | --- | --- |
//! | `gatekeeper.rs` | [`Gatekeeper`]: a mutex around a [`Store`](crate::Store), listeners called after it |
//! | `decision.rs` | [`Decision`], [`DecisionSubject`], [`DecisionChange`] and the [`ChangeListener`] |
//! | `state.rs` | [`ConsentState`] and how each item stands |
//! | `export.rs` | [`LogEntry`], [`Receipt`], [`ExportDocument`], [`VerifyReport`] |
//! | `manifest.rs` | [`ManifestInfo`] and `lint_manifest` |
//! | `audit.rs` | [`AuditResult`]: the start-log audit (§9.3) |
//! | (`crate::disclosure`) | [`Disclosure`] and its lists: the core's own records, returned by `Gatekeeper::disclose` |
//! | `tcf.rs` | [`DecodedTcString`] and `tcf_decode` (the import and Consent Mode are methods of [`Gatekeeper`]) |
//! | `time_source.rs`, `convert.rs` | the app's clock; instants and integers across the FFI |
//! | `floor.rs` | a no-op export, the floor the FFI benchmarks measure against |
//!
//! The names, records, enums and errors here are what the Kotlin and Swift bindings
//! are generated from: a new operation is a method in `gatekeeper.rs`, with its record
//! beside the others of its kind.

mod audit;
mod convert;
mod decision;
mod export;
mod floor;
mod gatekeeper;
mod manifest;
mod state;
mod tcf;
#[cfg(test)]
mod tests;
mod time_source;

use crate::error::GatekeeperError;

pub use crate::disclosure::{CollectedPurpose, DisclosedPermission, Disclosure, DisclosurePolicy, SharedSdk};
pub use audit::{AuditResult, AuditSdkRun, AuditViolation};
pub use decision::{ChangeListener, Decision, DecisionChange, DecisionSubject};
pub use export::{ExportDocument, LogEntry, Receipt, VerifyReport};
pub use floor::ffi_floor_decision;
pub use gatekeeper::{Gatekeeper, GatekeeperOptions};
pub use manifest::{
    example_manifest, lint_manifest, LintIssue, LintReport, ManifestInfo, PermissionInfo, PurposeInfo, SdkInfo,
};
pub use state::{ConsentState, ItemStatus, PermissionStatus};
pub use tcf::{tcf_decode, DecodedTcString, TcfPublisherRestriction, TcfPublisherTc};
pub use time_source::TimeSource;

/// What every exported call returns: its value, or the error Kotlin and Swift see.
type Result<T> = std::result::Result<T, GatekeeperError>;
