//! `gatekeeper`: the command line for app developers and scripted tests (contract §7).
//!
//! Every command opens the store, does one thing and closes it (flushing the decision
//! log). With `--json` each command prints exactly one JSON document on stdout, errors
//! included. Exit status: 0 done (whatever the verdict), 1 invalid input or a failed
//! check, 2 usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use gatekeeper::decide::Context;
use gatekeeper::ledger::LedgerState;
use gatekeeper::manifest::{self, Manifest, ManifestIssue};
use gatekeeper::report::{log_row_json, Export, StateReport};
use gatekeeper::store::Change;
use gatekeeper::time::{format_rfc3339, parse_rfc3339, Clock, FixedClock, SystemClock};
use gatekeeper::{Decision, Error, EventKind, PermissionResult, Store, Subject, Trigger};
use serde_json::{json, Value};

const USAGE: &str = "\
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
struct Failure {
    status: u8,
    code: String,
    message: String,
    issues: Vec<ManifestIssue>,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
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

#[derive(Debug, Default)]
struct Global {
    db: Option<PathBuf>,
    policy: Option<PathBuf>,
    now: Option<i64>,
    json: bool,
}

#[derive(Debug, PartialEq)]
enum Command {
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

fn parse_args(args: Vec<String>) -> Result<(Global, Command), Failure> {
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

fn clip(s: &str) -> String {
    s.chars().take(64).collect()
}

/// What a command produced: the JSON document, the human text, and its exit status.
struct Output {
    json: Value,
    text: String,
    status: u8,
}

impl Output {
    fn ok(json: Value, text: String) -> Self {
        Output { json, text, status: 0 }
    }
}

fn load_manifest(g: &Global) -> Result<Manifest, Failure> {
    let text = match &g.policy {
        Some(p) => std::fs::read_to_string(p).map_err(|e| Failure {
            status: 1,
            code: "io".into(),
            message: format!("cannot read the policy manifest {}: {e}", p.display()),
            issues: Vec::new(),
        })?,
        None => manifest::EXAMPLE_MANIFEST.to_owned(),
    };
    manifest::parse(&text).map_err(|issues| {
        let mut f = Failure::from(Error::InvalidManifest(issues));
        if let Some(p) = &g.policy {
            f.message = format!("{}: {}", p.display(), f.message);
        }
        f
    })
}

fn db_path(g: &Global) -> PathBuf {
    g.db.clone().unwrap_or_else(|| PathBuf::from("gatekeeper.db"))
}

fn clock(g: &Global) -> Arc<dyn Clock> {
    match g.now {
        Some(t) => Arc::new(FixedClock::new(t)),
        None => Arc::new(SystemClock),
    }
}

fn decision_text(d: &Decision) -> String {
    let mut t = format!("{}: {} ({})", d.subject, d.verdict.as_str(), d.reason.as_str());
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

fn changes_output(what: &str, changes: &[Change]) -> Output {
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

fn lint(path: &Path) -> Result<Output, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure {
        status: 1,
        code: "io".into(),
        message: format!("cannot read {}: {e}", path.display()),
        issues: Vec::new(),
    })?;
    let issues = manifest::parse(&text).err().unwrap_or_default();
    let json = json!({
        "ok": issues.is_empty(),
        "errors": issues.iter().map(|i| json!({"path": i.path, "message": i.message})).collect::<Vec<_>>(),
    });
    let text = if issues.is_empty() {
        format!("{}: ok", path.display())
    } else {
        let mut t: Vec<String> =
            issues.iter().map(|i| format!("{}:{}: {}", path.display(), display_path(&i.path), i.message)).collect();
        t.push(format!("{} error(s)", issues.len()));
        t.join("\n")
    };
    Ok(Output { json, text, status: if issues.is_empty() { 0 } else { 1 } })
}

fn display_path(p: &str) -> &str {
    if p.is_empty() {
        "/"
    } else {
        p
    }
}

fn run(g: &Global, cmd: Command) -> Result<Output, Failure> {
    if let Command::Lint(path) = &cmd {
        return lint(path);
    }
    let manifest = Arc::new(load_manifest(g)?);
    let path = db_path(g);
    let clock = clock(g);
    if cmd == Command::Demo {
        let start = clock.now_ms();
        let lines = gatekeeper::demo::run(&path, manifest, start)?;
        let mut text = Vec::new();
        let mut last_step = 0;
        for l in &lines {
            if l.step != last_step {
                text.push(format!("\n== {}. {}", l.step, l.title));
                last_step = l.step;
            }
            text.push(format!("  {}", l.text));
        }
        text.push(format!("\nthe demo's store is {}", path.display()));
        let json = json!({
            "db": path.display().to_string(),
            "steps": lines.iter().map(|l| json!({"step": l.step, "title": l.title, "text": l.text, "detail": l.detail})).collect::<Vec<_>>(),
        });
        return Ok(Output::ok(json, text.join("\n").trim_start().to_owned()));
    }
    let mut store = match Store::open(&path, manifest.clone(), clock.clone()) {
        Ok(s) => s,
        Err(Error::Open { path: p, message }) => {
            // An unreachable store still answers a decision: it fails closed.
            if let Command::Decide(subject) = &cmd {
                let ledger = LedgerState::default();
                let ctx = Context { manifest: &manifest, ledger: &ledger, now: clock.now_ms() };
                let d = ctx.unavailable(subject);
                eprintln!("gatekeeper: warning: cannot open the store at {p}: {message}; failing closed");
                return Ok(Output::ok(d.to_json(), decision_text(&d)));
            }
            return Err(Error::Open { path: p, message }.into());
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(r) = store.recovery() {
        eprintln!(
            "gatekeeper: warning: the store was corrupt; it was moved aside to {} and a fresh store started (everything asks or denies until the user decides again)",
            r.moved_to
        );
    }
    let out = match cmd {
        Command::Help | Command::Demo | Command::Lint(_) => unreachable!("handled above"),
        Command::Profile { country, age } => {
            let c = store.set_profile(Some(&country), age)?;
            changes_output("profile_set", &c)
        }
        Command::AcceptPolicy { guardian, source } => {
            let c = store.accept_policy(guardian, &source)?;
            changes_output("policy_accepted", &c)
        }
        Command::Choice { kind, purposes, sdks, separate, guardian, source } => {
            let c = store.record_choice(kind, &purposes, &sdks, separate, guardian, &source)?;
            changes_output(kind.as_str(), &c)
        }
        Command::PermissionResult { id, result } => {
            let c = store.record_permission_result(&id, result)?;
            changes_output("permission_result", &c)
        }
        Command::Decide(subject) => {
            let d = store.decide(&subject);
            Output::ok(d.to_json(), decision_text(&d))
        }
        Command::State => {
            let s = StateReport::of(&store);
            let json = s.to_json();
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            Output::ok(json, text)
        }
        Command::Log => {
            let rows = store.decision_log()?;
            let text = rows
                .iter()
                .map(|r| {
                    format!(
                        "{:>4}  {:<28} {:<5} {:<34} x{:<5} {} .. {}",
                        r.id,
                        r.subject,
                        r.verdict,
                        r.reason,
                        r.count,
                        format_rfc3339(r.first_seen),
                        format_rfc3339(r.last_seen)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Output::ok(Value::Array(rows.iter().map(log_row_json).collect()), text)
        }
        Command::Export => {
            let json = Export::of(&mut store)?.to_json();
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            Output::ok(json, text)
        }
        Command::Erase => {
            let changes = store.erase()?;
            let mut out = changes_output("erased", &changes);
            out.json["erased_at"] = json!(store.ledger().erased_at.map(format_rfc3339));
            out.text = format!("erased: the store now holds only an erase marker\n{}", out.text);
            out
        }
        Command::Verify => {
            let r = store.verify()?;
            let ok = r.first_broken.is_none();
            let json = json!({"ok": ok, "events": r.events, "first_broken": r.first_broken});
            let text = match r.first_broken {
                None => format!("ok: {} event(s), hash chain intact", r.events),
                Some(id) => format!("BROKEN: {} event(s); the first broken event is {id}", r.events),
            };
            Output { json, text, status: if ok { 0 } else { 1 } }
        }
    };
    store.flush()?;
    Ok(out)
}

/// Prints one line on stdout. `println!` would panic when stdout is closed or full; a
/// reader that went away (`| head`) is not an error, any other failure is exit 1.
fn print_stdout(what: &dyn std::fmt::Display) -> Result<(), u8> {
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

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(a) => a,
        Err(_) => {
            eprintln!("gatekeeper: arguments must be valid UTF-8");
            return ExitCode::from(2);
        }
    };
    let json_wanted = args.iter().any(|a| a == "--json");
    let result = parse_args(args).and_then(|(g, cmd)| {
        if cmd == Command::Help {
            return Ok(Output::ok(json!({"usage": USAGE}), USAGE.trim_end().to_owned()));
        }
        run(&g, cmd)
    });
    match result {
        Ok(out) => {
            let printed = if json_wanted { print_stdout(&out.json) } else { print_stdout(&out.text) };
            ExitCode::from(printed.err().map_or(out.status, |failed| failed.max(out.status)))
        }
        Err(f) => {
            if json_wanted {
                let mut err = json!({"code": f.code, "message": f.message});
                if !f.issues.is_empty() {
                    err["errors"] = f.issues.iter().map(|i| json!({"path": i.path, "message": i.message})).collect();
                }
                // A failure already exits non-zero; a failed print only adds its message.
                let _ = print_stdout(&json!({ "error": err }));
            } else {
                eprintln!("gatekeeper: error: {}", f.message);
                for i in &f.issues {
                    eprintln!("  {}: {}", display_path(&i.path), i.message);
                }
                if f.status == 2 {
                    eprintln!("\n{USAGE}");
                }
            }
            ExitCode::from(f.status)
        }
    }
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
