//! What the store shows a person: the current state (contract §7 `state`, in
//! `state.rs`) and the export document with consent receipts (contract §6, in
//! `export.rs`). These are the only outputs that hold personal data (the profile); they
//! are returned to the caller and never logged.

mod export;
mod state;

pub use export::{log_row_json, Export, Receipt};
pub use state::{ChoiceStatus, ItemStatus, PermissionStatus, PermissionStatusKind, StateReport};
