//! `gatekeeper`, the command line for app developers and scripted tests (contract §7),
//! kept out of the library that ships to phones.
//!
//! The arguments are parsed with clap's derive API: [`Cli`] holds the global options,
//! accepted before or after the command, and [`Command`] one variant per command, each
//! command in its own file under `commands/` with its arguments, its help and what it
//! does. Every command opens the store, does one thing and closes it (flushing the
//! decision log). With `--json` each command prints exactly one JSON document on
//! stdout, errors included. Exit status: 0 done (whatever the verdict), 1 invalid input
//! or a failed check, 2 usage error.
//!
//! | file | what |
//! | --- | --- |
//! | `lib.rs` | [`Cli`], [`parse_args`] and [`main`]: arguments in, one output and an exit status out |
//! | `options.rs` | the global options and what they resolve to (the manifest, the store's path, the clock) |
//! | `failure.rs` | [`Failure`]: a usage error (from clap) or a failed command, with its exit status |
//! | `output.rs` | [`Output`]: the JSON document and the text of a command, and printing them |
//! | `commands/` | one file per command |
//!
//! Habits (issue 13): `--version`; `gatekeeper COMMAND --help` for each command; a usage
//! error is one line and the usage line after it; an invalid value exits 1 showing the
//! value (never an age); an undeclared id comes with a "did you mean"; `GATEKEEPER_DB`
//! and `GATEKEEPER_POLICY` stand in for `--db` and `--policy`; `--strict` makes a store
//! that cannot be used exit 1 instead of failing closed.

#![warn(missing_docs)]

pub mod commands;
mod failure;
mod options;
mod output;

use clap::{CommandFactory, Parser};

pub use commands::Command;
pub use failure::Failure;
pub use options::Global;
pub use output::Output;

/// The command line, as clap parses it.
#[derive(Debug, Parser)]
#[command(
    name = "gatekeeper",
    bin_name = "gatekeeper",
    version,
    about = "On-device consent gatekeeper: decides SDK starts, permission prompts and uses of data under the user's recorded consent",
    override_usage = "gatekeeper [--db PATH] [--policy FILE] [--now RFC3339] [--json] COMMAND",
    help_template = "usage: {usage}\n\n{about}\n\n{all-args}"
)]
pub struct Cli {
    /// The options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the arguments ask for.
#[derive(Debug, PartialEq)]
pub enum Invocation {
    /// Print this help (`--help`, `-h`, `help [COMMAND]`) or the version (`--version`, `-V`).
    Help(String),
    /// Run a command with the global options.
    Run(Global, Command),
}

/// Parses the arguments after the program name.
///
/// # Errors
/// A usage [`Failure`] (status 2) naming what is wrong, never echoing an age and
/// quoting at most 64 characters of anything else.
pub fn parse_args(args: Vec<String>) -> Result<Invocation, Failure> {
    let argv = std::iter::once("gatekeeper".to_owned()).chain(args);
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
            return Ok(Invocation::Help(e.to_string()))
        }
        Err(e) => return Err(Failure::from_clap(&e)),
    };
    let command = cli.command.ok_or_else(|| Failure::usage("no command given (try: gatekeeper demo)"))?;
    command.check()?;
    Ok(Invocation::Run(cli.global, command))
}

/// The generated help of the whole command line.
pub fn help() -> String {
    Cli::command().render_help().to_string()
}

/// Runs the command line on `args` (after the program name): parses them, runs the
/// command, prints its output (one JSON document on stdout with `--json`), and returns
/// the exit status.
pub fn main(args: Vec<String>) -> u8 {
    let json_wanted = args.iter().any(|a| a == "--json");
    let result = parse_args(args).and_then(|invocation| match invocation {
        Invocation::Help(text) => Ok(Output::ok(serde_json::json!({ "usage": text }), text.trim_end().to_owned())),
        Invocation::Run(global, command) => command.run(&global),
    });
    match result {
        Ok(out) => out.print(json_wanted),
        Err(f) => f.print(json_wanted),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::commands::choice::Items;
    use crate::commands::decide::{self, What};
    use crate::commands::grant;

    fn parse(args: &[&str]) -> Result<Invocation, Failure> {
        parse_args(args.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn global_flags_may_come_anywhere() {
        let parsed =
            parse(&["decide", "--json", "sdk", "facebook", "--db=x.db", "--now", "2026-01-01T00:00:00Z"]).ok().unwrap();
        let Invocation::Run(g, c) = parsed else { panic!("{parsed:?}") };
        assert!(g.json);
        assert_eq!(g.db, Some(PathBuf::from("x.db")));
        assert_eq!(g.now, Some(1_767_225_600_000));
        assert_eq!(c, Command::Decide(decide::Args { what: What::Sdk { id: "facebook".into() } }));
        // Given twice, the last one counts, as before the command line used clap.
        let Ok(Invocation::Run(g, _)) = parse(&["--db", "a.db", "state", "--db", "b.db", "--json", "--json"]) else {
            panic!()
        };
        assert_eq!((g.db, g.json), (Some(PathBuf::from("b.db")), true));
    }

    #[test]
    fn grant_collects_purposes_and_sdks() {
        let Ok(Invocation::Run(_, c)) = parse(&["grant", "analytics", "--sdk", "facebook", "--separate", "ads"]) else {
            panic!()
        };
        assert_eq!(
            c,
            Command::Grant(grant::Args {
                items: Items { purposes: vec!["analytics".into(), "ads".into()], sdks: vec!["facebook".into()] },
                separate: true,
                guardian: false,
                source: "cli".into()
            })
        );
    }

    #[test]
    fn usage_errors_exit_2_and_name_the_problem() {
        for (args, needle) in [
            (vec!["deny", "--separate", "analytics"], "--separate"),
            (vec!["frobnicate"], "frobnicate"),
            (vec![], "no command"),
            (vec!["grant"], "at least one"),
            (vec!["--json=yes", "state"], "--json takes no value"),
            (vec!["state", "--source", ""], "--source"),
            (vec!["accept-policy", "--source="], "--source needs a value"),
        ] {
            match parse(&args) {
                Err(f) => {
                    assert_eq!(f.status, 2, "{args:?}");
                    assert_eq!(f.code, "usage", "{args:?}");
                    assert!(f.message.contains(needle), "{args:?}: {}", f.message);
                    assert!(!f.message.contains('\n'), "{args:?}: {}", f.message);
                }
                Ok(_) => panic!("{args:?} parsed"),
            }
        }
    }

    /// Issue 13, defect 8: a value an option does not take exits 1 (not 2), showing
    /// the value (clipped), whoever refused it: our parsers or clap's possible values.
    #[test]
    fn invalid_values_exit_1_and_show_the_value() {
        for (args, needle) in [
            (vec!["--now", "yesterday", "state"], "--now 'yesterday' is not an RFC 3339 time"),
            (vec!["decide", "permission", "camera", "--trigger", "boot"], "'boot'"),
            (vec!["permission-result", "camera", "maybe"], "'maybe'"),
        ] {
            match parse(&args) {
                Err(f) => {
                    assert_eq!((f.status, f.code.as_str()), (1, "invalid_argument"), "{args:?}: {}", f.message);
                    assert!(f.message.contains(needle), "{args:?}: {}", f.message);
                    assert!(!f.message.contains('\n'), "{args:?}: {}", f.message);
                }
                Ok(_) => panic!("{args:?} parsed"),
            }
        }
        let long = "9".repeat(200);
        let Err(f) = parse(&["--now", &long, "state"]) else { panic!() };
        assert!(f.message.contains(&format!("'{}…'", "9".repeat(64))), "{}", f.message);
    }

    #[test]
    fn version_is_printed() {
        let Ok(Invocation::Help(text)) = parse(&["--version"]) else { panic!() };
        assert_eq!(text.trim(), format!("gatekeeper {}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn an_age_is_never_echoed() {
        for age in ["-137", "1e9", "thirty", "", "--json", "-h", "+", "4294967296", "151", "200", "-1"] {
            match parse(&["profile", "--country", "CN", "--age", age]) {
                Err(f) => {
                    assert_eq!(f.message, "--age must be a whole number of years from 0 to 150", "{age:?}");
                    assert_eq!((f.status, f.code.as_str()), (1, "invalid_argument"), "{age:?}");
                }
                Ok(parsed) => panic!("{age:?}: {parsed:?}"),
            }
        }
        let Ok(Invocation::Run(_, Command::Profile(p))) = parse(&["profile", "--country", "cn", "--age", "30"]) else {
            panic!()
        };
        assert_eq!((p.country.as_str(), p.age), ("CN", Some(30)));
        let Ok(Invocation::Run(_, Command::Profile(p))) = parse(&["profile", "--country", "CN", "--age", "150"]) else {
            panic!()
        };
        assert_eq!(p.age, Some(150));
    }

    #[test]
    fn help_is_generated_and_lists_every_command() {
        let Ok(Invocation::Help(text)) = parse(&["--help"]) else { panic!() };
        assert!(text.starts_with("usage: gatekeeper [--db PATH] [--policy FILE] [--now RFC3339] [--json] COMMAND"));
        for command in [
            "demo",
            "lint",
            "profile",
            "accept-policy",
            "grant",
            "deny",
            "withdraw",
            "permission-result",
            "decide",
            "state",
            "log",
            "export",
            "erase",
            "verify",
            "explain",
            "status",
            "diff",
        ] {
            assert!(text.contains(&format!("\n  {command} ")), "{command} missing from:\n{text}");
        }
        let Ok(Invocation::Help(decide)) = parse(&["help", "decide"]) else { panic!() };
        assert!(decide.contains("permission"), "{decide}");
    }
}
