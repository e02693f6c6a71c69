//! `gatekeeper`: the command line for app developers and scripted tests (contract §7).
//!
//! Every command opens the store, does one thing and closes it (flushing the decision
//! log). With `--json` each command prints exactly one JSON document on stdout, errors
//! included. Exit status: 0 done (whatever the verdict), 1 invalid input or a failed
//! check, 2 usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use gatekeeper::cli::{parse_args, Command, Failure, Global, USAGE};
use gatekeeper::decide::Context;
use gatekeeper::ledger::LedgerState;
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::{log_row_json, Export, StateReport};
use gatekeeper::store::Change;
use gatekeeper::time::{format_rfc3339, Clock, FixedClock, SystemClock};
use gatekeeper::{Decision, Error, Store};
use serde_json::{json, Value};

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
        Err(e) if e.is_unopenable() => {
            // An unreachable store still answers a decision: it fails closed.
            if let Command::Decide(subject) = &cmd {
                let ledger = LedgerState::default();
                let ctx = Context { manifest: &manifest, ledger: &ledger, now: clock.now_ms() };
                let d = ctx.unavailable(subject);
                eprintln!("gatekeeper: warning: {e}; failing closed");
                return Ok(Output::ok(d.to_json(), decision_text(&d)));
            }
            return Err(e.into());
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
            // Every answer is logged; one that cannot be (a full disk) fails closed,
            // as the library does when it cannot write a new log row.
            if let Err(e) = store.flush() {
                eprintln!("gatekeeper: warning: cannot write the decision log ({e}); failing closed");
                let ledger = LedgerState::default();
                let d = Context { manifest: &manifest, ledger: &ledger, now: clock.now_ms() }.unavailable(&subject);
                return Ok(Output::ok(d.to_json(), decision_text(&d)));
            }
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
