//! `gatekeeper permission-result ID granted|denied|denied_permanently`: records what the
//! OS answered to a permission prompt.

use clap::{Args as ClapArgs, ValueEnum};
use gatekeeper::{PermissionResult, Store};

use crate::{Failure, Output};

/// The arguments of `permission-result`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper permission-result ID granted|denied|denied_permanently")]
pub struct Args {
    /// The permission, by id
    pub id: String,
    /// What the OS answered
    #[arg(value_enum)]
    pub result: Answer,
}

/// What the OS answered, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Answer {
    /// The user allowed it
    Granted,
    /// The user refused, this time
    Denied,
    /// The user refused and asked not to be asked again
    DeniedPermanently,
}

impl From<Answer> for PermissionResult {
    fn from(a: Answer) -> Self {
        match a {
            Answer::Granted => PermissionResult::Granted,
            Answer::Denied => PermissionResult::Denied,
            Answer::DeniedPermanently => PermissionResult::DeniedPermanently,
        }
    }
}

impl Args {
    /// Records the answer.
    ///
    /// # Errors
    /// An undeclared permission, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.record_permission_result(&self.id, self.result.into())?;
        Ok(Output::changes("permission_result", &changes))
    }
}
