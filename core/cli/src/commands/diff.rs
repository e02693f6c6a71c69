//! `gatekeeper diff OLD.json NEW.json`: what changed between two versions of a policy
//! manifest, item by item, and whether the version change covers it: a new purpose,
//! SDK, permission or data use needs a MAJOR bump (earlier choices become void), other
//! changes a MINOR one (users see a notice), no change none. Exit 1 when the bump is
//! too small (an edit without a version change included), the version went back, either
//! file is not a valid manifest, or they are different policies. The comparison is the
//! library's (`gatekeeper::manifest::diff`). It opens no store.
//!
//! `--json`: `{"ok", "old_version", "new_version", "required_bump", "actual_bump",
//! "problem", "changes": [{"path", "kind", "bump", "old", "new"}]}`, bumps being
//! `none`, `minor` or `major`, paths JSON pointers with items named by id.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use gatekeeper::manifest::diff::{diff, DiffError};
use gatekeeper::Error;

use crate::output::display_path;
use crate::{Failure, Output};

/// The arguments of `diff`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper diff OLD.json NEW.json")]
pub struct Args {
    /// The manifest before
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The manifest after
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
}

impl Args {
    /// Compares the two manifests.
    ///
    /// # Errors
    /// A file that cannot be read or is not a valid manifest, or two different policies
    /// (exit status 1).
    pub(crate) fn run(self) -> Result<Output, Failure> {
        let read = |p: &PathBuf| {
            std::fs::read_to_string(p).map_err(|e| Failure::io(format!("cannot read {}: {e}", p.display())))
        };
        let (old, new) = (read(&self.old)?, read(&self.new)?);
        let d = diff(&old, &new).map_err(|e| match e {
            DiffError::Invalid(which, issues) => {
                let path = if which == "old" { &self.old } else { &self.new };
                let mut f = Failure::from(Error::InvalidManifest(issues));
                f.message = format!("{}: {}", path.display(), f.message);
                f
            }
            DiffError::OtherPolicy { old, new } => Failure {
                status: 1,
                code: "other_policy".into(),
                message: format!(
                    "{} is policy `{old}` and {} is policy `{new}`: diff compares versions of one policy",
                    self.old.display(),
                    self.new.display()
                ),
                issues: Vec::new(),
            },
        })?;
        let mut text = vec![format!(
            "{} -> {}: {} bump, the changes need {}",
            d.old_version,
            d.new_version,
            d.actual.map_or("a lower version", |a| a.as_str()),
            d.required.as_str()
        )];
        for c in &d.changes {
            text.push(format!("  {:<5}  {:<7}  {}", c.bump.as_str(), c.kind, display_path(&c.path)));
        }
        match d.problem() {
            Some(p) => text.push(format!("error: {p}")),
            None => text.push("ok".into()),
        }
        Ok(Output { json: d.to_json(), text: text.join("\n"), status: if d.ok() { 0 } else { 1 } })
    }
}
