//! `gatekeeper withdraw [PURPOSE...] [--sdk ID]... [--guardian] [--source S]`: records a withdrawal for purposes
//! and/or SDKs, and prints every decision it switches off.

use gatekeeper::{EventKind, Store};

use super::choice;
use crate::{Failure, Output};

/// The arguments of `withdraw`: what is refused, and where.
pub type Args = choice::Refusal;

/// Records the choice.
///
/// # Errors
/// An undeclared id, a malformed source, a store error.
pub(crate) fn run(args: Args, store: &mut Store) -> Result<Output, Failure> {
    choice::record(store, EventKind::Withdrawn, &args.items, false, args.guardian, &args.source)
}
