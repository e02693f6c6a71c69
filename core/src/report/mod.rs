//! What the store shows a person: the current state (contract §7 `state`, in
//! `state.rs`), the export document with consent receipts (contract §6, in
//! `export.rs`) and the start-log audit (contract §9.3, in `audit.rs`). These are the only
//! outputs that hold personal data (the profile); they are returned to the caller and never
//! logged. Beside them, two views of the decisions that hold no personal data: why one
//! subject is decided as it is (`explain.rs`) and every subject's answer in one table
//! (`status.rs`).

mod audit;
mod explain;
mod export;
mod object;
mod state;
mod status;

pub use audit::{AuditReport, SdkRun, Violation, ViolationKind, DEFAULT_GRACE_SECONDS};
pub use explain::{rule_of, Explanation, Remedy, TimeChange, MAX_STEPS, RULES};
pub use export::{log_row_json, Export, Receipt};
pub use state::{ChoiceStatus, ItemStatus, PermissionStatus, PermissionStatusKind, StateReport};
pub use status::{subjects, StatusReport, StatusRow};
