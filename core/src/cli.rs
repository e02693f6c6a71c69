//! The `gatekeeper` command line's argument parser (contract §7), in the library so the
//! fuzzer (`core/fuzz`, target `cli`) can drive it; the binary
//! (`core/src/bin/gatekeeper.rs`) only runs what it returns.
//!
//! Global options are accepted before or after the command; `--flag=value` and
//! `--flag value` are the same. Anything wrong is a usage [`Failure`] (exit status 2).

use std::path::PathBuf;

use crate::decide::{Subject, Trigger};
use crate::error::Error;
use crate::ledger::{EventKind, PermissionResult};
use crate::manifest::ManifestIssue;
use crate::time::parse_rfc3339;

/// The text of `gatekeeper --help`.
pub const USAGE: &str = "\
usage: gatekeeper [--db PATH] [--policy FILE] [--now RFC3339] [--json] COMMAND

commands:
  demo                                    walk the example app through first run, consent,
                                          SDK start, permission prompts and withdrawal
                                          (on a store of its own: it erases it first)
  lint FILE                               validate a manifest; exit 1 listing every error
  profile --country CC [--age N]          set the user's country and age
  accept-policy [--guardian] [--source S] record acceptance of the current policy
  grant    [PURPOSE...] [--sdk ID]... [--separate] [--guardian] [--source S]
  deny     [PURPOSE...] [--sdk ID]... [--source S]
  withdraw [PURPOSE...] [--sdk ID]... [--source S]
  permission-result ID granted|denied|denied_permanently
  decide sdk ID | decide purpose ID | decide permission ID [--trigger T]
                                          T: user_action (default), background, app_launch
  state | log | export | erase | verify

options:
  --db PATH        the store (default ./gatekeeper.db)
  --policy FILE    the policy manifest (default: the embedded example)
  --now RFC3339    the time to act at (default: the system clock)
  --json           print one JSON document on stdout
";

/// A failure, with the exit status it maps to.
#[derive(Debug)]
pub struct Failure {
    /// The exit status: 1 invalid input or a failed check, 2 usage error.
    pub status: u8,
    /// A stable code (`usage`, or the error's code).
    pub code: String,
    pub message: String,
    /// The manifest's issues, when the failure is an invalid manifest.
    pub issues: Vec<ManifestIssue>,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { status: 2, code: "usage".into(), message: message.into(), issues: Vec::new() }
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

/// The options every command takes.
#[derive(Debug, Default)]
pub struct Global {
    pub db: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    /// `--now`, in UTC milliseconds.
    pub now: Option<i64>,
    pub json: bool,
}

/// One command, parsed and checked.
#[derive(Debug, PartialEq)]
pub enum Command {
    Help,
    Demo,
    Lint(PathBuf),
    Profile { country: String, age: Option<u32> },
    AcceptPolicy { guardian: bool, source: String },
    Choice { kind: EventKind, purposes: Vec<String>, sdks: Vec<String>, separate: bool, guardian: bool, source: String },
    PermissionResult { id: String, result: PermissionResult },
    Decide(Subject),
    State,
    Log,
    Export,
    Erase,
    Verify,
}

/// Splits `--flag=value` and takes the value of `--flag value`.
fn take_value(flag: &str, inline: Option<String>, rest: &mut std::vec::IntoIter<String>) -> Result<String, Failure> {
    match inline.or_else(|| rest.next()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Failure::usage(format!("{flag} needs a value"))),
    }
}

/// Parses the arguments after the program name.
///
/// # Errors
/// A [`Failure`] with status 2 naming what is wrong (never echoing an age).
pub fn parse_args(args: Vec<String>) -> Result<(Global, Command), Failure> {
    let mut g = Global::default();
    let mut words: Vec<String> = Vec::new();
    let mut flags: Vec<(String, Option<String>)> = Vec::new();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            words.extend(it.by_ref());
            break;
        }
        if !arg.starts_with("--") || arg.len() == 2 {
            if arg == "-h" {
                return Ok((g, Command::Help));
            }
            words.push(arg);
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        match name.as_str() {
            "--db" => g.db = Some(PathBuf::from(take_value("--db", inline, &mut it)?)),
            "--policy" => g.policy = Some(PathBuf::from(take_value("--policy", inline, &mut it)?)),
            "--now" => {
                let v = take_value("--now", inline, &mut it)?;
                g.now =
                    Some(parse_rfc3339(&v).ok_or_else(|| {
                        Failure::usage("--now must be an RFC 3339 time such as 2026-01-01T00:00:00Z")
                    })?);
            }
            "--json" | "--help" if inline.is_some() => return Err(Failure::usage(format!("{name} takes no value"))),
            "--json" => g.json = true,
            "--help" => return Ok((g, Command::Help)),
            "--country" | "--age" | "--source" | "--sdk" | "--trigger" => {
                let v = take_value(&name, inline, &mut it)?;
                flags.push((name, Some(v)));
            }
            "--guardian" | "--separate" => {
                if inline.is_some() {
                    return Err(Failure::usage(format!("{name} takes no value")));
                }
                flags.push((name, None));
            }
            other => return Err(Failure::usage(format!("unknown option {other}"))),
        }
    }
    let cmd = parse_command(&words, &flags)?;
    Ok((g, cmd))
}

/// Checks that only `allowed` flags were given, and returns a getter for them.
struct Flags<'a>(&'a [(String, Option<String>)]);

impl Flags<'_> {
    fn only(&self, command: &str, allowed: &[&str]) -> Result<(), Failure> {
        match self.0.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
            Some((n, _)) => Err(Failure::usage(format!("{command} does not take {n}"))),
            None => Ok(()),
        }
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(n, _)| n == name).filter_map(|(_, v)| v.clone()).collect()
    }
    fn one(&self, name: &str) -> Result<Option<String>, Failure> {
        let mut v = self.all(name);
        if v.len() > 1 {
            return Err(Failure::usage(format!("{name} given more than once")));
        }
        Ok(v.pop())
    }
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
    fn source(&self) -> Result<String, Failure> {
        Ok(self.one("--source")?.unwrap_or_else(|| "cli".into()))
    }
}

fn arity(words: &[String], n: usize, form: &str) -> Result<(), Failure> {
    if words.len() == n {
        Ok(())
    } else {
        Err(Failure::usage(format!("expected: gatekeeper {form}")))
    }
}

fn parse_command(words: &[String], flags: &[(String, Option<String>)]) -> Result<Command, Failure> {
    let f = Flags(flags);
    let Some(cmd) = words.first() else {
        return Err(Failure::usage("no command given (try: gatekeeper demo)"));
    };
    let rest = &words[1..];
    let simple = |c: Command| -> Result<Command, Failure> {
        f.only(cmd, &[])?;
        arity(rest, 0, cmd)?;
        Ok(c)
    };
    match cmd.as_str() {
        "help" => Ok(Command::Help),
        "demo" => simple(Command::Demo),
        "state" => simple(Command::State),
        "log" => simple(Command::Log),
        "export" => simple(Command::Export),
        "erase" => simple(Command::Erase),
        "verify" => simple(Command::Verify),
        "lint" => {
            f.only(cmd, &[])?;
            arity(rest, 1, "lint FILE")?;
            Ok(Command::Lint(PathBuf::from(&rest[0])))
        }
        "profile" => {
            f.only(cmd, &["--country", "--age"])?;
            arity(rest, 0, "profile --country CC [--age N]")?;
            let country = f.one("--country")?.ok_or_else(|| Failure::usage("profile needs --country CC"))?;
            let age = match f.one("--age")? {
                Some(a) => Some(a.parse::<u32>().map_err(|_| {
                    // The value is not echoed: an age is personal data.
                    Failure::usage("--age must be a whole number of years from 0 to 150")
                })?),
                None => None,
            };
            Ok(Command::Profile { country: country.to_ascii_uppercase(), age })
        }
        "accept-policy" => {
            f.only(cmd, &["--guardian", "--source"])?;
            arity(rest, 0, "accept-policy [--guardian] [--source S]")?;
            Ok(Command::AcceptPolicy { guardian: f.has("--guardian"), source: f.source()? })
        }
        "grant" | "deny" | "withdraw" => {
            let kind = match cmd.as_str() {
                "grant" => {
                    f.only(cmd, &["--sdk", "--separate", "--guardian", "--source"])?;
                    EventKind::Granted
                }
                "deny" => {
                    f.only(cmd, &["--sdk", "--source"])?;
                    EventKind::Denied
                }
                _ => {
                    f.only(cmd, &["--sdk", "--source"])?;
                    EventKind::Withdrawn
                }
            };
            let sdks = f.all("--sdk");
            if rest.is_empty() && sdks.is_empty() {
                return Err(Failure::usage(format!("{cmd} needs at least one PURPOSE or --sdk ID")));
            }
            Ok(Command::Choice {
                kind,
                purposes: rest.to_vec(),
                sdks,
                separate: f.has("--separate"),
                guardian: f.has("--guardian"),
                source: f.source()?,
            })
        }
        "permission-result" => {
            f.only(cmd, &[])?;
            arity(rest, 2, "permission-result ID granted|denied|denied_permanently")?;
            let result = PermissionResult::parse(&rest[1]).ok_or_else(|| {
                Failure::usage(format!(
                    "permission result must be granted, denied or denied_permanently, found `{}`",
                    clip(&rest[1])
                ))
            })?;
            Ok(Command::PermissionResult { id: rest[0].clone(), result })
        }
        "decide" => {
            let form = "decide sdk ID | decide purpose ID | decide permission ID [--trigger T]";
            arity(rest, 2, form)?;
            let id = rest[1].clone();
            match rest[0].as_str() {
                "sdk" => {
                    f.only(cmd, &[])?;
                    Ok(Command::Decide(Subject::Sdk(id)))
                }
                "purpose" => {
                    f.only(cmd, &[])?;
                    Ok(Command::Decide(Subject::Purpose(id)))
                }
                "permission" => {
                    f.only(cmd, &["--trigger"])?;
                    let trigger = match f.one("--trigger")? {
                        Some(t) => Trigger::parse(&t).ok_or_else(|| {
                            Failure::usage(format!(
                                "--trigger must be user_action, background or app_launch, found `{}`",
                                clip(&t)
                            ))
                        })?,
                        None => Trigger::UserAction,
                    };
                    Ok(Command::Decide(Subject::Permission(id, trigger)))
                }
                other => {
                    Err(Failure::usage(format!("decide takes sdk, purpose or permission, found `{}`", clip(other))))
                }
            }
        }
        other => Err(Failure::usage(format!("unknown command `{}` (see gatekeeper --help)", clip(other)))),
    }
}

pub fn clip(s: &str) -> String {
    s.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<(Global, Command), Failure> {
        parse_args(args.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn global_flags_may_come_anywhere() {
        let (g, c) =
            parse(&["decide", "--json", "sdk", "facebook", "--db=x.db", "--now", "2026-01-01T00:00:00Z"]).ok().unwrap();
        assert!(g.json);
        assert_eq!(g.db, Some(PathBuf::from("x.db")));
        assert_eq!(c, Command::Decide(Subject::Sdk("facebook".into())));
    }

    #[test]
    fn grant_collects_purposes_and_sdks() {
        let (_, c) = parse(&["grant", "analytics", "--sdk", "facebook", "--separate", "ads"]).ok().unwrap();
        assert_eq!(
            c,
            Command::Choice {
                kind: EventKind::Granted,
                purposes: vec!["analytics".into(), "ads".into()],
                sdks: vec!["facebook".into()],
                separate: true,
                guardian: false,
                source: "cli".into()
            }
        );
    }

    #[test]
    fn usage_errors_exit_2_and_name_the_problem() {
        for (args, needle) in [
            (vec!["--now", "yesterday", "state"], "--now"),
            (vec!["decide", "permission", "camera", "--trigger", "boot"], "--trigger"),
            (vec!["deny", "--separate", "analytics"], "--separate"),
            (vec!["profile", "--age", "ten", "--country", "CN"], "--age"),
            (vec!["frobnicate"], "frobnicate"),
            (vec![], "no command"),
            (vec!["grant"], "at least one"),
            (vec!["permission-result", "camera", "maybe"], "maybe"),
        ] {
            match parse(&args) {
                Err(f) => {
                    assert_eq!(f.status, 2, "{args:?}");
                    assert!(f.message.contains(needle), "{args:?}: {}", f.message);
                }
                Ok(_) => panic!("{args:?} parsed"),
            }
        }
    }
}
