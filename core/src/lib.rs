//! Gatekeeper: an on-device consent gatekeeper for mobile apps.
//!
//! Before an app starts a third-party SDK, shows an OS permission prompt or uses data
//! for a purpose, it asks Gatekeeper, which answers from the app's policy manifest and
//! the user's recorded consent, and writes the answer to a decision log. The contract
//! is `shared/spec/gatekeeper.md`; the modules follow its sections:
//!
//! - [`manifest`]: the policy manifest and its validation (§2);
//! - [`ledger`]: the hash-chained consent ledger and its fold (§3);
//! - [`decide`]: the decision rules (§4);
//! - [`store`]: SQLite persistence, the decision log and change notifications (§5, §6);
//!   [`snapshot`] (re-exported from the store) is the saved fold, so opening does not
//!   grow with the user's history, and [`schema`] the tables and their migrations;
//! - [`report`]: the state and export documents (§6, §7);
//! - [`disclosure`]: the collection and sharing lists an app publishes (个人信息收集清单,
//!   第三方信息共享清单), as a typed document and as Markdown and HTML (§10.2);
//! - [`tcf`]: IAB TCF v2 TC strings and Google's Additional Consent strings, decoded
//!   and encoded, and what an import of them grants (§11); [`consent_mode`] the Google
//!   Consent Mode signals worked out from the user's consent (§11);
//! - [`ffi`]: the object Kotlin and Swift call (§8).
//!
//! The command line (§7) is the crate `gatekeeper-cli` (`core/cli`), built on this one;
//! it is not part of the library apps ship.

#![warn(missing_docs)]

mod coarse_clock;
pub mod consent_mode;
pub mod country;
pub mod decide;
pub mod disclosure;
pub mod error;
pub mod ffi;
pub mod id_map;
pub mod ledger;
pub mod logging;
pub mod manifest;
pub mod report;
mod sort;
pub mod store;
pub mod tcf;
mod thread_priority;
pub mod time;

pub use decide::{Decision, Reason, Subject, Trigger, Verdict};
pub use error::{Error, GatekeeperError, Result};
pub use ledger::{EventKind, PermissionResult};
pub use manifest::Manifest;
pub use store::{schema, snapshot, Change, Listener, Store};
pub use time::{Clock, FixedClock, SystemClock};

uniffi::setup_scaffolding!();
