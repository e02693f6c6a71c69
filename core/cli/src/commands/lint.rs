//! `gatekeeper lint FILE`: validates a manifest (contract §2) and lists every error
//! with its JSON path, `FILE:/path: message`; exit status 1 when there is one. A valid
//! manifest may still get warnings (`FILE:/path: warning: message`; in the JSON a
//! `"warnings"` list beside `"errors"`, present only when there are any; exit status 0): values that are allowed but mean nothing. It opens no store.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use gatekeeper::manifest;
use serde_json::json;

use crate::output::display_path;
use crate::{Failure, Output};

/// The arguments of `lint`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper lint FILE")]
pub struct Args {
    /// The manifest to check
    #[arg(value_name = "FILE", value_parser = any_path)]
    pub file: PathBuf,
}

/// A path as given, even an empty one (reading it then fails and says so).
fn any_path(s: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(s))
}

impl Args {
    /// Checks the manifest.
    ///
    /// # Errors
    /// The file cannot be read (exit status 1).
    pub(crate) fn run(self) -> Result<Output, Failure> {
        let path = &self.file;
        let text =
            std::fs::read_to_string(path).map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))?;
        let (issues, warnings) = match manifest::parse(&text) {
            Ok(m) => (Vec::new(), manifest::warnings(&m)),
            Err(issues) => (issues, Vec::new()),
        };
        let listed = |list: &[manifest::ManifestIssue]| {
            list.iter().map(|i| json!({"path": i.path, "message": i.message})).collect::<Vec<_>>()
        };
        let mut json = json!({
            "ok": issues.is_empty(),
            "errors": listed(&issues),
        });
        // Only when there are any: the contract's document is `{"ok", "errors"}`.
        if !warnings.is_empty() {
            json["warnings"] = listed(&warnings).into();
        }
        let text = if issues.is_empty() {
            let mut t: Vec<String> = warnings
                .iter()
                .map(|w| format!("{}:{}: warning: {}", path.display(), display_path(&w.path), w.message))
                .collect();
            t.push(format!("{}: ok", path.display()));
            t.join("\n")
        } else {
            let mut t: Vec<String> =
                issues.iter().map(|i| format!("{}:{}: {}", path.display(), display_path(&i.path), i.message)).collect();
            t.push(format!("{} error(s)", issues.len()));
            t.join("\n")
        };
        Ok(Output { json, text, status: if issues.is_empty() { 0 } else { 1 } })
    }
}
