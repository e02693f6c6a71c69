//! What a command line that did not succeed says: a usage error (exit status 2) from
//! clap (an unknown command or option, a missing argument or value, an empty value
//! counting as missing), an invalid value (exit
//! status 1, code `invalid_argument`, as the library's own refusals: a value an option's or argument's parser refused,
//! whether ours or clap's list of possible values), or a failed command (exit status 1),
//! from the library's typed errors. Every message names what was wrong and where, on
//! one line; an invalid value is shown (at most 64 characters of it), except an age,
//! which is personal data and never echoed.

use gatekeeper::manifest::ManifestIssue;
use gatekeeper::Error;
use serde_json::json;

use crate::output::print_stdout;

/// The most characters of an argument a message quotes back.
const MAX_QUOTE_CHARS: usize = 64;

/// A failure, with the exit status it maps to.
#[derive(Debug)]
pub struct Failure {
    /// The exit status: 1 invalid input or a failed check, 2 usage error.
    pub status: u8,
    /// A stable code (`usage`, `io`, or the error's code).
    pub code: String,
    /// What went wrong, and where.
    pub message: String,
    /// The manifest's issues, when the failure is an invalid manifest.
    pub issues: Vec<ManifestIssue>,
}

impl Failure {
    /// A usage error (exit status 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { status: 2, code: "usage".into(), message: message.into(), issues: Vec::new() }
    }

    /// A value an option or argument does not take (exit status 1, code
    /// `invalid_argument`, as when the library refuses a value).
    pub fn invalid_value(message: impl Into<String>) -> Self {
        Failure { status: 1, code: "invalid_argument".into(), message: message.into(), issues: Vec::new() }
    }

    /// `--strict`: the store cannot be used as it is (exit status 1).
    pub(crate) fn strict(message: String) -> Self {
        Failure { status: 1, code: "store_unusable".into(), message, issues: Vec::new() }
    }

    /// A file that cannot be read (exit status 1).
    pub(crate) fn io(message: String) -> Self {
        Failure { status: 1, code: "io".into(), message, issues: Vec::new() }
    }

    /// A usage error or an invalid value from clap, in one line: a value one of our
    /// parsers refused says only what it said (exit 1); a value outside clap's possible
    /// values is clap's message (exit 1); anything else is clap's message (exit 2), with
    /// the usage of the command it concerns and long values clipped.
    pub(crate) fn from_clap(e: &clap::Error) -> Self {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        if let Some(refused) = std::error::Error::source(e).and_then(|s| s.downcast_ref::<Refused>()) {
            return if refused.1 {
                Failure::usage(refused.0.clone())
            } else {
                Failure::invalid_value(refused.0.clone())
            };
        }
        // A value outside the possible ones; a missing value (the same kind, with no
        // value in its context) stays a usage error.
        let given = |v: &ContextValue| !matches!(v, ContextValue::String(s) if s.is_empty());
        if e.kind() == ErrorKind::InvalidValue && e.get(ContextKind::InvalidValue).is_some_and(given) {
            return Failure::invalid_value(one_line(&e.to_string()));
        }
        if e.kind() == ErrorKind::TooManyValues {
            if let Some(arg) = e.get(ContextKind::InvalidArg) {
                return Failure::usage(format!("{arg} takes no value"));
            }
        }
        Failure::usage(one_line(&e.to_string()))
    }

    /// Prints the failure (on stdout as `{"error": …}` with `--json`, else on stderr:
    /// one line, and after a usage error one more with the usage and where the help is)
    /// and returns its exit status.
    pub(crate) fn print(&self, json: bool) -> u8 {
        if json {
            let mut err = json!({"code": self.code, "message": self.message});
            if !self.issues.is_empty() {
                err["errors"] = self.issues.iter().map(|i| json!({"path": i.path, "message": i.message})).collect();
            }
            // A failure already exits non-zero; a failed print only adds its message.
            let _ = print_stdout(&json!({ "error": err }));
        } else {
            eprintln!("gatekeeper: error: {}", self.message);
            for i in &self.issues {
                eprintln!("  {}: {}", crate::output::display_path(&i.path), i.message);
            }
            if self.code == "usage" {
                eprintln!(
                    "usage: gatekeeper [--db PATH] [--policy FILE] [--now RFC3339] [--json] [--strict] COMMAND (gatekeeper --help lists the commands, gatekeeper COMMAND --help one's options)"
                );
            }
        }
        self.status
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let issues = match &e {
            Error::InvalidManifest(i) => i.clone(),
            _ => Vec::new(),
        };
        Failure { status: 1, code: e.code().into(), message: e.to_string(), issues }
    }
}

/// A value an argument's parser refused, with the message to print (which shows the
/// value only where the parser chose to, never an age): an invalid value (exit status
/// 1), or an empty one, which is a missing value and so a usage error (exit status 2),
/// as clap's own "a value is required".
#[derive(Debug)]
pub(crate) struct Refused(String, bool);

impl Refused {
    /// An invalid value, with this message.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Refused(message.into(), false)
    }

    /// A missing (empty) value, with this message.
    pub(crate) fn missing(message: impl Into<String>) -> Self {
        Refused(message.into(), true)
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// At most [`MAX_QUOTE_CHARS`] characters of `value`, for a message that shows it.
pub(crate) fn clipped(value: &str) -> String {
    if value.chars().count() > MAX_QUOTE_CHARS {
        let mut s: String = value.chars().take(MAX_QUOTE_CHARS).collect();
        s.push('…');
        s
    } else {
        value.to_owned()
    }
}

/// The value given to `flag`, refused when it is empty.
pub(crate) fn non_empty(flag: &str, value: &str) -> Result<String, Refused> {
    if value.is_empty() {
        Err(Refused::missing(format!("{flag} needs a value")))
    } else {
        Ok(value.to_owned())
    }
}

/// clap's message on one line: `error: ` and the pointer to `--help` dropped, the usage
/// it shows put in parentheses, and every quoted value clipped.
fn one_line(text: &str) -> String {
    let text = text.trim().strip_prefix("error: ").unwrap_or(text.trim());
    let text = text.split("\n\nFor more information").next().unwrap_or(text);
    let (what, usage) = match text.split_once("\n\nUsage: ") {
        Some((what, usage)) => (what, Some(usage)),
        None => (text, None),
    };
    let mut line = what.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(usage) = usage {
        line.push_str(&format!(" (usage: {})", usage.split_whitespace().collect::<Vec<_>>().join(" ")));
    }
    clip_quoted(&line)
}

/// `text` with each `'…'` quotation longer than [`MAX_QUOTE_CHARS`] cut short.
fn clip_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('\'') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find('\'') else { break };
        let quoted = &rest[..close];
        if quoted.chars().count() > MAX_QUOTE_CHARS {
            out.extend(quoted.chars().take(MAX_QUOTE_CHARS));
            out.push('…');
        } else {
            out.push_str(quoted);
        }
        out.push('\'');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_messages_come_on_one_line_with_their_usage() {
        let text = "error: the following required arguments were not provided:\n  <ID>\n\nUsage: gatekeeper decide sdk ID\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(text),
            "the following required arguments were not provided: <ID> (usage: gatekeeper decide sdk ID)"
        );
        assert_eq!(one_line("error: unexpected argument '--frob' found\n"), "unexpected argument '--frob' found");
    }

    #[test]
    fn long_quoted_values_are_clipped() {
        let long = "x".repeat(100);
        let clipped = clip_quoted(&format!("unrecognized subcommand '{long}' and 'short'"));
        assert_eq!(clipped, format!("unrecognized subcommand '{}…' and 'short'", "x".repeat(64)));
        assert_eq!(clip_quoted("an 'unclosed quote"), "an 'unclosed quote");
    }
}
