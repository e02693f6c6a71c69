//! `gatekeeper profile --country CC [--age N]`: records the user's country (which decides
//! their jurisdiction) and age. An age that does not parse or is over 150 is refused
//! with one fixed message and exit status 1: it is personal data and is never echoed.

use clap::Args as ClapArgs;
use gatekeeper::Store;

use crate::failure::{non_empty, Refused};
use crate::{Failure, Output};

/// The arguments of `profile`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper profile --country CC [--age N]")]
pub struct Args {
    /// The user's country, ISO 3166-1 alpha-2 (upper-cased)
    #[arg(long, value_name = "CC", value_parser = country)]
    pub country: String,
    /// The user's age in whole years
    #[arg(long, value_name = "N", value_parser = age, allow_hyphen_values = true)]
    pub age: Option<u32>,
}

/// `--country`, upper-cased (the store checks it is a country code).
fn country(s: &str) -> Result<String, Refused> {
    non_empty("--country", s).map(|c| c.to_ascii_uppercase())
}

/// `--age`: a whole number of years from 0 to 150, as the store takes it. Anything
/// else, negative, too large or not a number, is refused with the same message (exit
/// status 1), which does not echo it.
fn age(s: &str) -> Result<u32, Refused> {
    s.parse::<u32>()
        .ok()
        .filter(|a| *a <= gatekeeper::store::MAX_AGE)
        .ok_or_else(|| Refused::new("--age must be a whole number of years from 0 to 150"))
}

impl Args {
    /// Records the profile.
    ///
    /// # Errors
    /// A malformed country or an impossible age, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.set_profile(Some(&self.country), self.age)?;
        Ok(Output::changes("profile_set", &changes))
    }
}
