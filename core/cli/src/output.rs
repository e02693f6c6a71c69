//! What a command produced: the JSON document `--json` prints (the contract's shapes),
//! the text printed otherwise, and the exit status; and the two shapes most commands
//! share, a decision and the changes a write made.

use gatekeeper::store::Change;
use gatekeeper::time::format_rfc3339;
use gatekeeper::Decision;
use serde_json::{json, Value};

/// What a command produced.
#[derive(Debug)]
pub struct Output {
    /// The one JSON document printed with `--json`.
    pub json: Value,
    /// The text printed otherwise.
    pub text: String,
    /// The exit status: 0, or 1 for a failed check (lint, verify).
    pub status: u8,
}

impl Output {
    /// A command that did what it was asked (exit status 0).
    pub fn ok(json: Value, text: String) -> Self {
        Output { json, text, status: 0 }
    }

    /// A decision: the decision object of contract §4, or its text.
    pub(crate) fn decision(d: &Decision) -> Self {
        Output::ok(d.to_json(), decision_text(d))
    }

    /// A write: what it recorded and every decision it changed.
    pub(crate) fn changes(what: &str, changes: &[Change]) -> Self {
        let json = json!({
            "ok": true,
            "recorded": what,
            "changes": changes.iter().map(|c| json!({
                "subject": c.subject, "old": c.old.to_json(), "new": c.new.to_json()
            })).collect::<Vec<_>>(),
        });
        let mut text = format!("recorded: {what}");
        for c in changes {
            text.push_str(&format!(
                "\n  {}: {} ({}) -> {} ({})",
                c.subject,
                c.old.verdict.as_str(),
                c.old.reason.as_str(),
                c.new.verdict.as_str(),
                c.new.reason.as_str()
            ));
        }
        Output::ok(json, text)
    }

    /// Prints the JSON document or the text on stdout, and returns the exit status (1
    /// when stdout could not be written).
    pub(crate) fn print(&self, json: bool) -> u8 {
        let printed = if json { print_stdout(&self.json) } else { print_stdout(&self.text) };
        printed.err().map_or(self.status, |failed| failed.max(self.status))
    }
}

fn decision_text(d: &Decision) -> String {
    // An unknown id is echoed as given: escaped, so an invisible character shows.
    let subject = gatekeeper::manifest::ident::escaped(&d.subject);
    let mut t = format!("{subject}: {} ({})", d.verdict.as_str(), d.reason.as_str());
    if !d.purposes.is_empty() {
        t.push_str(&format!("\n  purposes: {}", d.purposes.join(", ")));
    }
    if !d.sdks.is_empty() {
        t.push_str(&format!("\n  sdks: {}", d.sdks.join(", ")));
    }
    if let Some(r) = d.retry_after {
        t.push_str(&format!("\n  retry after: {}", format_rfc3339(r)));
    }
    if let Some(v) = d.valid_until {
        t.push_str(&format!("\n  valid until: {}", format_rfc3339(v)));
    }
    t.push_str(&format!("\n  policy {} in jurisdiction {}", d.policy_version, d.jurisdiction));
    t
}

/// A JSON pointer as printed: `/` for the whole document.
pub(crate) fn display_path(p: &str) -> &str {
    if p.is_empty() {
        "/"
    } else {
        p
    }
}

/// Prints one line on stdout. `println!` would panic when stdout is closed or full; a
/// reader that went away (`| head`) is not an error, any other failure is exit 1.
pub(crate) fn print_stdout(what: &dyn std::fmt::Display) -> Result<(), u8> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{what}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("gatekeeper: error: cannot write the output to stdout: {e}");
            Err(1)
        }
    }
}
