//! Reliability (issue 6): a consent record is a legal record, so the store must never
//! lose an acknowledged choice, never allow anything on data it cannot read, and notice
//! when its records were edited. Each test prints its figures (trials, failures) and
//! appends them to `target/tmp/reliability-figures.txt`, which `tests/run-all.sh` shows.
//!
//! - **Crash safety:** a child process writing consent is killed with SIGKILL at random
//!   points (`GATEKEEPER_KILL_TRIALS`, default 50, for a long-lived library writer and
//!   as many for the CLI); then every acknowledged write is present, the store opens
//!   cleanly (not moved aside, `integrity_check` ok) and `verify` passes.
//!   Then 4 CLI writers at once, a quarter of their runs killed at a random moment.
//! - **Concurrency:** several processes, many threads in each (sharing one
//!   `Gatekeeper`, plus one with a `Store` of its own), and CLI writers at the same time
//!   on one store: no error reaches a caller, no write and no logged decision is lost,
//!   `verify` passes.
//! - **Another writer:** a long-lived store sees another store's consent on its
//!   decisions within a second (or at once through `refresh`) and chains onto it.
//! - **Corruption:** a truncated file, random bytes, a damaged header, a corrupt WAL, a
//!   read-only file and folder, a full disk: each fails closed with a clear status.
//! - **Tampering:** a changed, deleted, reordered or inserted event at every position
//!   is caught by `verify`, which names the first bad event.
//!
//! The children are this test binary run again with `GATEKEEPER_TEST_CHILD` set.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::example;
use common::ledgers::{self, Entropy, SplitMix};
use gatekeeper::ffi::{Gatekeeper, GatekeeperOptions};
use gatekeeper::ledger::{chain_hash, to_hex, Event, EventKind};
use gatekeeper::manifest::{Manifest, EXAMPLE_MANIFEST};
use gatekeeper::time::{FixedClock, SystemClock};
use gatekeeper::{Reason, Store, Subject, Verdict};
use rusqlite::Connection;
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_gatekeeper");
const CHILD: &str = "GATEKEEPER_TEST_CHILD";

/// Prints one line of figures and keeps it for `tests/run-all.sh`.
fn figures(line: &str) {
    println!("{line}");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reliability-figures.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(f, "{line}");
    }
}

fn trials() -> usize {
    std::env::var("GATEKEEPER_KILL_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(50)
}

/// This test binary again, running only `test` in the child role `role`.
fn child(test: &str, role: &str, envs: &[(&str, String)]) -> Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, role)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

fn child_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// The `source` of every stored event.
fn stored_sources(store: &Store) -> Vec<String> {
    store
        .stored_events()
        .unwrap()
        .iter()
        .filter_map(|r| serde_json::from_str::<Event>(&r.body).ok())
        .filter_map(|e| e.source)
        .collect()
}

fn integrity(path: &Path) -> String {
    let c = Connection::open(path).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap_or_else(|e| e.to_string())
}

/// Opens the store after a crash and checks it: opens cleanly, not moved aside,
/// `integrity_check` ok, `verify` intact, every acknowledged source present.
fn check_after_crash(path: &Path, acked: &[String], what: &str, failures: &mut Vec<String>) -> usize {
    let mut store = match Store::open(path, example(), Arc::new(SystemClock)) {
        Ok(s) => s,
        Err(e) => {
            failures.push(format!("{what}: the store does not open: {e}"));
            return 0;
        }
    };
    if let Some(r) = store.recovery() {
        failures.push(format!("{what}: the store was moved aside to {}", r.moved_to));
    }
    match store.verify() {
        Ok(r) if r.first_broken.is_none() => {}
        other => failures.push(format!("{what}: verify failed: {other:?}")),
    }
    let present: HashSet<String> = stored_sources(&store).into_iter().collect();
    let lost: Vec<&String> = acked.iter().filter(|a| !present.contains(*a)).collect();
    if !lost.is_empty() {
        failures.push(format!("{what}: acknowledged writes lost: {lost:?}"));
    }
    drop(store);
    let check = integrity(path);
    if check != "ok" {
        failures.push(format!("{what}: integrity_check: {check}"));
    }
    acked.len()
}

// --- crash safety -----------------------------------------------------------------------

const CONSENT_PURPOSES: [&str; 4] = ["analytics", "push_notifications", "personalised_ads", "account_login"];

/// The child: writes consent in a loop on a long-lived store, printing `ack <source>`
/// after each write returns, deciding and flushing the decision log in between.
fn crash_writer() -> ! {
    let db = child_env("GATEKEEPER_TEST_DB");
    let tag = child_env("GATEKEEPER_TEST_TAG");
    let mut out = std::io::stdout();
    // A new line first: libtest has printed "test <name> ... " without one.
    let _ = writeln!(out);
    let mut store = match Store::open(&db, example(), Arc::new(SystemClock)) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(out, "err open: {e}");
            std::process::exit(3);
        }
    };
    let kinds = [EventKind::Granted, EventKind::Withdrawn, EventKind::Denied];
    for i in 0usize.. {
        let source = format!("{tag}-{i}");
        let purpose = vec![CONSENT_PURPOSES[i % CONSENT_PURPOSES.len()].to_owned()];
        if let Err(e) = store.record_choice(kinds[i % 3], &purpose, &[], false, false, &source) {
            let _ = writeln!(out, "err write: {e}");
            std::process::exit(2);
        }
        let _ = writeln!(out, "ack {source}");
        let _ = out.flush();
        for sdk in ["sensors_analytics", "facebook", "huawei_push"] {
            if store.decide(&Subject::Sdk(sdk.into())).reason == Reason::StoreUnavailable {
                let _ = writeln!(out, "err decide: store unavailable");
                std::process::exit(2);
            }
        }
        if i % 5 == 0 && store.flush().is_err() {
            let _ = writeln!(out, "err flush");
            std::process::exit(2);
        }
    }
    unreachable!()
}

fn acks(text: &str) -> (Vec<String>, Vec<String>) {
    let acked = text.lines().filter_map(|l| l.strip_prefix("ack ")).map(str::to_owned).collect();
    let errors = text.lines().filter(|l| l.starts_with("err ")).map(str::to_owned).collect();
    (acked, errors)
}

/// How one CLI write ended.
enum Run {
    Acked,
    Killed,
    Failed(String),
}

/// Runs `gatekeeper --db <db> <verb> analytics --source <source>`, killing it with
/// SIGKILL if it is still running at `deadline`.
fn cli_write_until(db: &Path, verb: &str, source: &str, deadline: Instant) -> Run {
    let mut p = Command::new(CLI)
        .arg("--db")
        .arg(db)
        .args([verb, "analytics", "--source", source])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(s) = p.try_wait().unwrap() {
            break s;
        }
        if Instant::now() >= deadline {
            p.kill().unwrap();
            p.wait().unwrap();
            return Run::Killed;
        }
        std::thread::sleep(Duration::from_micros(500));
    };
    let (mut out, mut err) = (String::new(), String::new());
    p.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    p.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    if status.success() && out.starts_with("recorded:") && err.is_empty() {
        Run::Acked
    } else {
        Run::Failed(format!("exited {status}: {}", err.trim()))
    }
}

#[test]
fn crash_safety_under_sigkill() {
    if std::env::var(CHILD).as_deref() == Ok("crash") {
        crash_writer();
    }
    let n = trials();
    let mut rng = SplitMix(0x6b11);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();

    // A long-lived library writer, killed at a random point of its run.
    let lib_db = dir.path().join("library.db");
    let (mut lib_acked, mut lib_killed) = (0usize, 0usize);
    for trial in 0..n {
        let mut c = child(
            "crash_safety_under_sigkill",
            "crash",
            &[("GATEKEEPER_TEST_DB", lib_db.display().to_string()), ("GATEKEEPER_TEST_TAG", format!("w{trial}"))],
        );
        std::thread::sleep(Duration::from_micros(u64::from(rng.next_u32() % 150_000)));
        let alive = c.try_wait().unwrap().is_none();
        c.kill().unwrap();
        c.wait().unwrap();
        lib_killed += usize::from(alive);
        let mut text = String::new();
        c.stdout.take().unwrap().read_to_string(&mut text).unwrap();
        let (acked, errors) = acks(&text);
        if !errors.is_empty() {
            failures.push(format!("library trial {trial}: the writer reported {errors:?}"));
        }
        lib_acked += check_after_crash(&lib_db, &acked, &format!("library trial {trial}"), &mut failures);
    }

    // CLI writes back to back, the running one killed at a random moment.
    let cli_db = dir.path().join("cli.db");
    let (mut cli_acked, mut cli_killed) = (0usize, 0usize);
    let mut all_cli_acked = Vec::new();
    for trial in 0..n {
        let deadline = Instant::now() + Duration::from_micros(u64::from(rng.next_u32() % 80_000));
        for j in 0.. {
            let source = format!("c{trial}-{j}");
            let verb = ["grant", "withdraw", "deny"][j % 3];
            match cli_write_until(&cli_db, verb, &source, deadline) {
                Run::Acked => all_cli_acked.push(source),
                Run::Killed => {
                    cli_killed += 1;
                    break;
                }
                Run::Failed(why) => {
                    failures.push(format!("CLI trial {trial}: {verb} {why}"));
                    break;
                }
            }
        }
        cli_acked += check_after_crash(&cli_db, &all_cli_acked, &format!("CLI trial {trial}"), &mut failures);
    }
    figures(&format!(
        "crash safety: {} trials ({n} long-lived library writer, {n} CLI), {} SIGKILLs of a running writer, \
         {} acknowledged writes ({} library, {} CLI), {} presence checks after the kills, {} failures",
        2 * n,
        lib_killed + cli_killed,
        lib_acked + all_cli_acked.len(),
        lib_acked,
        all_cli_acked.len(),
        lib_acked + cli_acked,
        failures.len()
    ));
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(lib_acked > 0 && !all_cli_acked.is_empty(), "no write was acknowledged: the test proves nothing");
}

/// SIGKILL among concurrent writers: several CLI writers at once on one store, a
/// quarter of their runs killed at a random moment.
#[test]
fn sigkill_among_concurrent_cli_writers() {
    const WRITERS: usize = 4;
    const RUNS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(dir.path().join("gatekeeper.db"));
    let results: Vec<(Vec<String>, usize, Vec<String>)> = (0..WRITERS)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut rng = SplitMix(0x5157 + w as u64);
                let (mut acked, mut killed, mut failed) = (Vec::new(), 0, Vec::new());
                for j in 0..RUNS {
                    let source = format!("k{w}-{j}");
                    let wait = if rng.chance(4) { rng.next_u32() % 40_000 } else { 30_000_000 };
                    let deadline = Instant::now() + Duration::from_micros(u64::from(wait));
                    match cli_write_until(&db, ["grant", "withdraw"][j % 2], &source, deadline) {
                        Run::Acked => acked.push(source),
                        Run::Killed => killed += 1,
                        Run::Failed(why) => failed.push(format!("writer {w}, run {j}: {why}")),
                    }
                }
                (acked, killed, failed)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let mut failures: Vec<String> = results.iter().flat_map(|r| r.2.clone()).collect();
    let acked: Vec<String> = results.iter().flat_map(|r| r.0.clone()).collect();
    let killed: usize = results.iter().map(|r| r.1).sum();
    check_after_crash(&db, &acked, "after the concurrent kills", &mut failures);
    let stored = stored_sources(&Store::open(&*db, example(), Arc::new(SystemClock)).unwrap()).len();
    // A killed write may or may not have committed; nothing else may appear.
    if stored < acked.len() || stored > acked.len() + killed {
        failures.push(format!("{stored} events stored for {} acknowledged and {killed} killed writes", acked.len()));
    }
    figures(&format!(
        "crash safety under concurrency: {WRITERS} CLI writers at once, {} runs, {killed} SIGKILLs, \
         {} acknowledged writes all present, {stored} stored, {} failures",
        WRITERS * RUNS,
        acked.len(),
        failures.len()
    ));
    assert!(failures.is_empty(), "{failures:#?}");
}

// --- concurrency ------------------------------------------------------------------------

const PROCESSES: usize = 3;
const THREADS: usize = 4;
const WRITES_PER_THREAD: usize = 12;
const DECISIONS_PER_WRITE: usize = 4;

/// The child: `THREADS` threads sharing one `Gatekeeper`, and one more thread with a
/// `Store` of its own, each writing and deciding. Prints `ack <source>` per write,
/// `decisions <n>` per thread and `err …` for anything that went wrong.
fn concurrent_worker() -> ! {
    let db = child_env("GATEKEEPER_TEST_DB");
    let tag = child_env("GATEKEEPER_TEST_TAG");
    let gk = match Gatekeeper::open(db.clone(), EXAMPLE_MANIFEST.into(), GatekeeperOptions { time_source: None }) {
        Ok(g) => g,
        Err(e) => {
            println!("err open: {e}");
            std::process::exit(3);
        }
    };
    let out = Arc::new(std::sync::Mutex::new(String::new()));
    let mut handles = Vec::new();
    for t in 0..THREADS {
        let (gk, out, tag) = (gk.clone(), out.clone(), tag.clone());
        handles.push(std::thread::spawn(move || {
            let mut lines = Vec::new();
            let mut decisions = 0;
            for i in 0..WRITES_PER_THREAD {
                let source = format!("{tag}-t{t}-{i}");
                let p = vec![CONSENT_PURPOSES[(t + i) % CONSENT_PURPOSES.len()].to_owned()];
                let r = match i % 3 {
                    0 => gk.grant(p, vec![], false, false, source.clone()),
                    1 => gk.withdraw(p, vec![], source.clone(), false),
                    _ => gk.deny(p, vec!["facebook".into()], source.clone(), false),
                };
                match r {
                    Ok(_) => lines.push(format!("ack {source}")),
                    Err(e) => lines.push(format!("err write: {e}")),
                }
                for k in 0..DECISIONS_PER_WRITE {
                    let d = gk.decide_sdk(["sensors_analytics", "facebook", "huawei_push", "amap"][k].into());
                    decisions += 1;
                    if d.reason == Reason::StoreUnavailable {
                        lines.push("err decide: store unavailable".into());
                    }
                }
            }
            lines.push(format!("decisions {decisions}"));
            out.lock().unwrap().push_str(&(lines.join("\n") + "\n"));
        }));
    }
    // One more connection in this process: a Store of its own.
    let own = {
        let (out, tag) = (out.clone(), tag.clone());
        std::thread::spawn(move || {
            let mut lines = Vec::new();
            match Store::open(&db, example(), Arc::new(SystemClock)) {
                Err(e) => lines.push(format!("err open: {e}")),
                Ok(mut store) => {
                    let mut decisions = 0;
                    for i in 0..WRITES_PER_THREAD {
                        let source = format!("{tag}-own-{i}");
                        let kind = [EventKind::Granted, EventKind::Withdrawn][i % 2];
                        match store.record_choice(kind, &["analytics".into()], &[], false, false, &source) {
                            Ok(_) => lines.push(format!("ack {source}")),
                            Err(e) => lines.push(format!("err write: {e}")),
                        }
                        for _ in 0..DECISIONS_PER_WRITE {
                            decisions += 1;
                            if store.decide(&Subject::Sdk("sensors_analytics".into())).reason
                                == Reason::StoreUnavailable
                            {
                                lines.push("err decide: store unavailable".into());
                            }
                        }
                    }
                    if let Err(e) = store.flush() {
                        lines.push(format!("err flush: {e}"));
                    }
                    lines.push(format!("decisions {decisions}"));
                }
            }
            out.lock().unwrap().push_str(&(lines.join("\n") + "\n"));
        })
    };
    for h in handles {
        if h.join().is_err() {
            out.lock().unwrap().push_str("err a thread panicked\n");
        }
    }
    if own.join().is_err() {
        out.lock().unwrap().push_str("err a thread panicked\n");
    }
    gk.close();
    // A new line first: libtest has printed "test <name> ... " without one.
    print!("\n{}", out.lock().unwrap());
    std::process::exit(0);
}

#[test]
fn concurrent_processes_and_threads_lose_nothing() {
    if std::env::var(CHILD).as_deref() == Ok("concurrent") {
        concurrent_worker();
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let mut failures = Vec::new();
    let children: Vec<Child> = (0..PROCESSES)
        .map(|p| {
            child(
                "concurrent_processes_and_threads_lose_nothing",
                "concurrent",
                &[("GATEKEEPER_TEST_DB", db.display().to_string()), ("GATEKEEPER_TEST_TAG", format!("p{p}"))],
            )
        })
        .collect();
    // Meanwhile, CLI writers and deciders, several at a time.
    let (mut acked, mut decisions) = (Vec::new(), 0u64);
    for round in 0..4 {
        let cli: Vec<(Option<String>, Child)> = (0..5)
            .map(|k| {
                let source = format!("cli-{round}-{k}");
                let c = spawn_grant_or_decide(&db, k < 3, &source);
                ((k < 3).then_some(source), c)
            })
            .collect();
        for (source, c) in cli {
            match (finished_cleanly(c), source) {
                (Err(why), _) => failures.push(why),
                (Ok(()), Some(s)) => acked.push(s),
                (Ok(()), None) => decisions += 1,
            }
        }
    }
    for (p, c) in children.into_iter().enumerate() {
        let o = c.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        let (a, errors) = acks(&text);
        acked.extend(a);
        decisions += text
            .lines()
            .filter_map(|l| l.strip_prefix("decisions "))
            .filter_map(|n| n.parse::<u64>().ok())
            .sum::<u64>();
        if !o.status.success() || !errors.is_empty() {
            failures.push(format!("process {p}: exit {}, {errors:?}", o.status));
        }
    }
    let caller_errors = failures.len();
    let expected_writes = PROCESSES * (THREADS + 1) * WRITES_PER_THREAD + 4 * 3;
    let expected_decisions = (PROCESSES * (THREADS + 1) * WRITES_PER_THREAD * DECISIONS_PER_WRITE + 4 * 2) as u64;
    if acked.len() != expected_writes {
        failures.push(format!("{} writes acknowledged, {expected_writes} made", acked.len()));
    }

    let mut store = Store::open(&db, example(), Arc::new(SystemClock)).unwrap();
    let sources = stored_sources(&store);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for s in &sources {
        *seen.entry(s.as_str()).or_default() += 1;
    }
    let lost = acked.iter().filter(|a| !seen.contains_key(a.as_str())).count();
    let doubled = seen.values().filter(|n| **n > 1).count();
    if lost > 0 || doubled > 0 || sources.len() != acked.len() {
        failures.push(format!(
            "{} events stored, {} acknowledged: {lost} lost, {doubled} twice",
            sources.len(),
            acked.len()
        ));
    }
    let report = store.verify().unwrap();
    if report.first_broken.is_some() {
        failures.push(format!("verify: {report:?}"));
    }
    let logged: u64 = store.decision_log().unwrap().iter().map(|r| r.count).sum();
    if logged != decisions {
        failures.push(format!("{decisions} decisions made, {logged} in the decision log"));
    }
    drop(store);
    let check = integrity(&db);
    if check != "ok" {
        failures.push(format!("integrity_check: {check}"));
    }
    figures(&format!(
        "concurrency: {PROCESSES} processes x ({THREADS} threads sharing one Gatekeeper + 1 thread with its own Store) \
         + 20 CLI runs, {} calls, {caller_errors} errors reached a caller, {} of {expected_writes} writes acknowledged \
         and {} stored, {decisions} of {expected_decisions} decisions made and {logged} logged, {} failures",
        expected_writes as u64 + expected_decisions,
        acked.len(),
        sources.len(),
        failures.len()
    ));
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Starts `gatekeeper grant analytics --source <source>` when `write`, else
/// `gatekeeper --json decide sdk sensors_analytics`, on `db`.
fn spawn_grant_or_decide(db: &Path, write: bool, source: &str) -> Child {
    let args: Vec<&str> = if write {
        vec!["grant", "analytics", "--source", source]
    } else {
        vec!["--json", "decide", "sdk", "sensors_analytics"]
    };
    Command::new(CLI).arg("--db").arg(db).args(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

/// Waits for a CLI run: it must exit 0 with nothing on stderr and not fail closed.
fn finished_cleanly(c: Child) -> Result<(), String> {
    let o = c.wait_with_output().unwrap();
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    if o.status.success() && err.trim().is_empty() && !out.contains("store_unavailable") {
        Ok(())
    } else {
        Err(format!("CLI exit {}: stderr {:?}, stdout {:?}", o.status, err.trim(), out.trim()))
    }
}

/// A burst of CLI processes on a store that does not exist yet: they create, migrate
/// and write it at the same moment. None may fail, fail closed, or take the half-made
/// store for another program's database.
#[test]
fn a_burst_of_cli_processes_creates_one_store() {
    const ROUNDS: usize = 3;
    const AT_ONCE: usize = 30;
    let mut failures = Vec::new();
    let mut written = 0;
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new.db");
        let runs: Vec<(bool, Child)> = (0..AT_ONCE)
            .map(|i| {
                let write = i % 3 != 0;
                (write, spawn_grant_or_decide(&db, write, &format!("b{round}-{i}")))
            })
            .collect();
        let mut acked = 0;
        for (write, c) in runs {
            match finished_cleanly(c) {
                Err(why) => failures.push(format!("round {round}: {why}")),
                Ok(()) => acked += usize::from(write),
            }
        }
        let mut store = Store::open(&db, example(), Arc::new(SystemClock)).unwrap();
        let stored = stored_sources(&store).len();
        if stored != acked || store.verify().unwrap().first_broken.is_some() {
            failures.push(format!("round {round}: {acked} writes acknowledged, {stored} stored"));
        }
        written += stored;
    }
    figures(&format!(
        "concurrency (new store): {ROUNDS} bursts of {AT_ONCE} CLI processes creating one store at once, \
         {written} writes stored, {} failures",
        failures.len()
    ));
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A store in `dir` on a fixed clock, for an adult in CN who accepted the policy and
/// granted analytics (sensors_analytics is allowed): (path, clock, store).
fn analytics_granted(dir: &Path) -> (PathBuf, Arc<FixedClock>, Store) {
    let path = dir.join("gatekeeper.db");
    let clock = Arc::new(FixedClock::new(1_767_225_600_000));
    let mut app = Store::open(&path, example(), clock.clone()).unwrap();
    app.set_profile(Some("CN"), Some(30)).unwrap();
    app.accept_policy(false, "first_run_dialog").unwrap();
    app.record_choice(EventKind::Granted, &["analytics".into()], &[], false, false, "settings").unwrap();
    (path, clock, app)
}

/// Two stores on one file stand for two processes: a long-lived one sees the other's
/// withdrawal on its decisions within a second of clock time (or at once through
/// `refresh`), and its own next write chains onto the other's events.
#[test]
fn a_long_lived_store_sees_another_writers_consent() {
    let dir = tempfile::tempdir().unwrap();
    let (path, clock, mut app) = analytics_granted(dir.path());
    let sdk = Subject::Sdk("sensors_analytics".into());
    assert_eq!(app.decide(&sdk).verdict, Verdict::Allow);

    let mut other = Store::open(&path, example(), clock.clone()).unwrap();
    other.record_choice(EventKind::Withdrawn, &["analytics".into()], &[], false, false, "settings").unwrap();
    // Within the same second the repeated decision is answered from memory...
    assert_eq!(app.decide(&sdk).verdict, Verdict::Allow);
    // ...and one second later it has looked.
    clock.advance(1000);
    assert_eq!(app.decide(&sdk).verdict, Verdict::Deny);

    // An explicit refresh reports the change at once.
    other.record_choice(EventKind::Granted, &["analytics".into()], &[], false, false, "settings").unwrap();
    let changes = app.refresh().unwrap();
    assert!(changes.iter().any(|c| c.subject == "sdk:sensors_analytics" && c.new.verdict == Verdict::Allow));
    assert!(app.refresh().unwrap().is_empty(), "nothing new: nothing to report");

    // The long-lived store's write chains onto the other's events.
    other.record_choice(EventKind::Denied, &["push_notifications".into()], &[], false, false, "settings").unwrap();
    app.record_choice(EventKind::Withdrawn, &["analytics".into()], &[], false, false, "settings").unwrap();
    assert_eq!(app.ledger().events, 7);
    assert_eq!(app.verify().unwrap().first_broken, None);
    assert_eq!(other.verify().unwrap().first_broken, None);
    // And the other store catches up on its next write.
    other.record_choice(EventKind::Granted, &["account_login".into()], &[], false, false, "settings").unwrap();
    assert_eq!(other.ledger().events, 8);
    drop(app);
    let reopened = Store::open(&path, example(), clock.clone()).unwrap();
    assert_eq!(other.ledger(), reopened.ledger());
}

/// A write that fails after catching up with another process still reports what the
/// catch-up changed: here the other "process" tampered with the ledger, so every
/// decision turns to `deny store_unavailable`, and the app must hear of it.
#[test]
fn a_failed_write_still_reports_what_catching_up_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _clock, mut app) = analytics_granted(dir.path());
    assert_eq!(app.decide(&Subject::Sdk("sensors_analytics".into())).verdict, Verdict::Allow);
    let raw = Connection::open(&path).unwrap();
    raw.execute("UPDATE events SET body = replace(body, 'settings', 'elsewhere') WHERE id = 3", []).unwrap();
    raw.execute("UPDATE meta SET value = '3:00' WHERE key = 'ledger_head'", []).unwrap();
    drop(raw);
    let err = app.record_choice(EventKind::Granted, &["account_login".into()], &[], false, false, "settings");
    assert!(err.is_err(), "a write onto a tampered ledger must fail");
    let unreported = app.take_unreported();
    let sensors = unreported.iter().find(|c| c.subject == "sdk:sensors_analytics");
    assert!(
        sensors.is_some_and(|c| c.new.verdict == Verdict::Deny && c.new.reason == Reason::StoreUnavailable),
        "{unreported:?}"
    );
}

/// Repeats counted in memory by a long-lived store are never added to a row another
/// process logged after erasing the store (its row ids start again at 1).
#[test]
fn repeats_of_an_erased_log_row_do_not_land_on_a_new_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatekeeper.db");
    let clock = Arc::new(FixedClock::new(1_767_225_600_000));
    let mut app = Store::open(&path, example(), clock.clone()).unwrap();
    let camera = Subject::Permission("camera".into(), gatekeeper::Trigger::UserAction);
    for _ in 0..5 {
        app.decide(&camera);
    }
    clock.advance(10);
    let mut other = Store::open(&path, example(), clock.clone()).unwrap();
    other.erase().unwrap();
    other.decide(&Subject::Sdk("amap".into()));
    other.flush().unwrap();
    drop(other);
    // The long-lived store flushes its 4 pending repeats of the erased row.
    app.flush().unwrap();
    let log = app.decision_log().unwrap();
    let counts: Vec<(String, u64)> = log.iter().map(|r| (r.subject.clone(), r.count)).collect();
    figures(&format!("erased log rows: {} row(s) after another store's erase, counts {counts:?}", log.len()));
    assert_eq!(counts, vec![("sdk:amap".to_string(), 1)], "the erased row's repeats leaked into a new row");
}

// --- corruption -------------------------------------------------------------------------

/// A store in `dir` for a consenting adult in CN: analytics granted (sensors_analytics
/// is allowed), personalised ads withdrawn (facebook is denied). Closed, so everything
/// is in the main file.
fn consenting_store(dir: &Path) -> PathBuf {
    let path = dir.join("gatekeeper.db");
    let clock = Arc::new(SystemClock);
    let mut s = Store::open(&path, example(), clock).unwrap();
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    s.record_choice(EventKind::Granted, &["analytics".into()], &[], false, false, "settings").unwrap();
    s.record_choice(EventKind::Granted, &["personalised_ads".into()], &[], false, false, "settings").unwrap();
    s.record_choice(EventKind::Withdrawn, &["personalised_ads".into()], &[], false, false, "settings").unwrap();
    assert_eq!(s.decide(&Subject::Sdk("sensors_analytics".into())).verdict, Verdict::Allow);
    path
}

fn all_subjects(m: &Manifest) -> Vec<Subject> {
    ledgers::subjects(m)
}

/// What the CLI says: (exit code, stdout, stderr).
fn cli(db: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(CLI).arg("--db").arg(db).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

/// Checks the damaged store at `path` fails closed, through the library and the CLI,
/// and returns the status a user sees.
fn fails_closed(case: &str, path: &Path, failures: &mut Vec<String>) -> String {
    let m = example();
    let status = match Store::open(path, m.clone(), Arc::new(SystemClock)) {
        Err(e) => format!("open refused ({})", e.code()),
        Ok(mut s) => {
            let allowed: Vec<String> = all_subjects(&m)
                .iter()
                .map(|x| s.decide(x))
                .filter(|d| d.verdict == Verdict::Allow)
                .map(|d| d.subject)
                .collect();
            if !allowed.is_empty() {
                failures.push(format!("{case}: allowed from a damaged store: {allowed:?}"));
            }
            match s.recovery() {
                Some(_) => "moved aside; fresh store asks everything (recovered_from_corruption)".into(),
                None => "opened".into(),
            }
        }
    };
    let (code, out, err) = cli(path, &["--json", "decide", "sdk", "sensors_analytics"]);
    let d: Value = serde_json::from_str(&out).unwrap_or_default();
    if code != 0 || d["verdict"] == "allow" || d["verdict"].is_null() {
        failures.push(format!("{case}: CLI decide exit {code}: {out} {err}"));
    }
    format!("{status}; CLI decide: {} {}", d["verdict"].as_str().unwrap_or("?"), d["reason"].as_str().unwrap_or("?"))
}

/// Makes `path` unwritable even for root: chmod, then `chattr +i` if writing still
/// works. Returns an undo closure, or None when the OS cannot make it read-only here.
fn make_read_only(path: &Path, dir: bool) -> Option<Box<dyn Fn()>> {
    use std::os::unix::fs::PermissionsExt;
    let old = std::fs::metadata(path).unwrap().permissions();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(if dir { 0o555 } else { 0o444 })).unwrap();
    let writable = |p: &Path| {
        if dir {
            let probe = p.join(".probe");
            let ok = std::fs::write(&probe, b"x").is_ok();
            let _ = std::fs::remove_file(probe);
            ok
        } else {
            std::fs::OpenOptions::new().append(true).open(p).is_ok()
        }
    };
    let p = path.to_path_buf();
    let mut chattr = false;
    if writable(path) {
        chattr = Command::new("chattr").arg("+i").arg(path).status().is_ok_and(|s| s.success());
        if !chattr || writable(path) {
            let _ = Command::new("chattr").arg("-i").arg(path).status();
            std::fs::set_permissions(path, old).unwrap();
            return None;
        }
    }
    Some(Box::new(move || {
        if chattr {
            let _ = Command::new("chattr").arg("-i").arg(&p).status();
        }
        let _ = std::fs::set_permissions(&p, old.clone());
    }))
}

fn overwrite(path: &Path, at: u64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(bytes).unwrap();
    f.sync_all().unwrap();
}

#[test]
fn corrupt_and_unwritable_stores_fail_closed() {
    let mut failures = Vec::new();
    let mut table: Vec<(String, String)> = Vec::new();
    let mut rng = SplitMix(0xc0);

    // Truncated, random bytes, damaged header: the main file itself.
    type Damage = fn(&Path, &mut SplitMix);
    let file_cases: [(&str, Damage); 3] = [
        ("truncated file", |p, _| {
            let len = std::fs::metadata(p).unwrap().len();
            std::fs::OpenOptions::new().write(true).open(p).unwrap().set_len(len / 2 + 100).unwrap();
        }),
        ("random bytes", |p, r| {
            let len = std::fs::metadata(p).unwrap().len() as usize;
            let bytes: Vec<u8> = (0..len).map(|_| r.next_u32() as u8).collect();
            std::fs::write(p, bytes).unwrap();
        }),
        ("damaged header", |p, _| overwrite(p, 0, b"SQLite format 9\0\xff\xff")),
    ];
    for (case, damage) in file_cases {
        let dir = tempfile::tempdir().unwrap();
        let path = consenting_store(dir.path());
        damage(&path, &mut rng);
        table.push((case.into(), fails_closed(case, &path, &mut failures)));
    }

    // A corrupt WAL: the store is copied while open (so its WAL holds the latest
    // decision-log rows), then the WAL header or a frame is damaged.
    for (case, at) in [("corrupt WAL header", 0u64), ("corrupt WAL frame", 32 + 24 + 100)] {
        let dir = tempfile::tempdir().unwrap();
        let path = consenting_store(dir.path());
        let mut live = Store::open(&path, example(), Arc::new(SystemClock)).unwrap();
        for sdk in ["amap", "huawei_push", "facebook"] {
            live.decide(&Subject::Sdk(sdk.into()));
        }
        live.flush().unwrap();
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        let copy_wal = PathBuf::from(format!("{}-wal", copy.display()));
        std::fs::copy(&wal, &copy_wal).unwrap();
        drop(live);
        overwrite(&copy_wal, at, &[0xA5; 64]);
        // SQLite ignores WAL frames from the first one that fails its checksum. The
        // withdrawal (the last consent write) was checkpointed into the main file with
        // everything before it, so consent survives; only
        // the later decision-log rows are in the damaged frames.
        let status = match Store::open(&copy, example(), Arc::new(SystemClock)) {
            Err(e) => format!("open refused ({})", e.code()),
            Ok(mut s) => {
                let sources = stored_sources(&s);
                let intact = s.verify().map(|r| r.first_broken.is_none()).unwrap_or(false);
                let facebook = s.decide(&Subject::Sdk("facebook".into())).verdict;
                if s.recovery().is_none() && (sources.len() != 4 || !intact || facebook == Verdict::Allow) {
                    failures.push(format!(
                        "{case}: {} consent events, verify intact {intact}, facebook {facebook:?}",
                        sources.len()
                    ));
                }
                match s.recovery() {
                    Some(_) => "moved aside; fresh store asks everything".into(),
                    None => {
                        "opens at the last intact transaction; every acknowledged consent event kept, verify passes"
                            .into()
                    }
                }
            }
        };
        let (code, out, _) = cli(&copy, &["--json", "decide", "sdk", "facebook"]);
        let d: Value = serde_json::from_str(&out).unwrap_or_default();
        if code != 0 || d["verdict"] == "allow" {
            failures.push(format!("{case}: CLI decide facebook exit {code}: {out}"));
        }
        table.push((
            case.into(),
            format!("{status}; facebook (its purpose withdrawn) stays {}", d["verdict"].as_str().unwrap_or("?")),
        ));
    }

    // A read-only file, and a read-only folder.
    for (case, dir_only) in [("read-only file", false), ("read-only folder", true)] {
        let dir = tempfile::tempdir().unwrap();
        let path = consenting_store(dir.path());
        let target = if dir_only { dir.path().to_path_buf() } else { path.clone() };
        let Some(undo) = make_read_only(&target, dir_only) else {
            table.push((case.into(), "not run: this OS user can write to read-only files".into()));
            continue;
        };
        let status = fails_closed(case, &path, &mut failures);
        let (code, _, err) = cli(&path, &["grant", "push_notifications"]);
        if code != 1 || !err.contains(&path.display().to_string()) {
            failures.push(format!("{case}: a write gave exit {code}: {err}"));
        }
        undo();
        table.push((case.into(), format!("{status}; writes exit 1 naming the path")));
    }

    // A full disk.
    match full_disk(&mut failures) {
        Some(status) => table.push(("full disk".into(), status)),
        None => table.push(("full disk".into(), "not run: no way to mount a small file system here".into())),
    }

    for (case, status) in &table {
        println!("  {case}: {status}");
    }
    let run = table.iter().filter(|(_, s)| !s.starts_with("not run")).count();
    figures(&format!(
        "corruption: {} cases, {run} run ({}), {} failures",
        table.len(),
        table.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", "),
        failures.len()
    ));
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A damaged WAL never brings back an allow that a later write took away: a
/// withdrawal, or a child's own acceptance replacing the guardian's, is copied into the main file
/// when it is recorded. A grant still only in the WAL is lost with a damaged WAL, and
/// the SDK is then asked about again (fail closed).
#[test]
fn a_damaged_wal_loses_no_withdrawal() {
    type Write = fn(&mut Store);
    fn grant(s: &mut Store, purposes: &[&str], sdks: &[&str], separate: bool) {
        let p: Vec<String> = purposes.iter().map(|x| x.to_string()).collect();
        let d: Vec<String> = sdks.iter().map(|x| x.to_string()).collect();
        s.record_choice(EventKind::Granted, &p, &d, separate, false, "settings").unwrap();
    }
    // (case, writes before the store closes, the one write left in the WAL, the SDK
    // asked about, what it must answer once the WAL is damaged)
    let cases: [(&str, Write, Write, &str, Reason); 3] = [
        (
            "grant only in the WAL",
            |_| {},
            |s| grant(s, &["analytics"], &[], false),
            "sensors_analytics",
            Reason::ConsentMissing,
        ),
        (
            "withdrawal after a grant",
            |s| grant(s, &["analytics"], &[], false),
            |s| {
                s.record_choice(EventKind::Withdrawn, &["analytics".into()], &[], false, false, "settings").unwrap();
            },
            "sensors_analytics",
            Reason::ConsentWithdrawn,
        ),
        (
            // A plain grant no longer replaces a separate one (issue 13, defect 3), so the
            // write of a widening kind that takes an allow away is now a child's own
            // acceptance after the guardian's.
            "child's acceptance after the guardian's",
            |s| {
                s.set_profile(Some("CN"), Some(10)).unwrap();
                s.accept_policy(true, "first_run_dialog").unwrap();
                s.record_choice(EventKind::Granted, &["analytics".into()], &[], false, true, "settings").unwrap();
            },
            |s| {
                s.accept_policy(false, "settings").unwrap();
            },
            "sensors_analytics",
            Reason::GuardianConsentRequired,
        ),
    ];
    let mut failures = Vec::new();
    for (case, setup, last, sdk, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gatekeeper.db");
        let mut s = Store::open(&path, example(), Arc::new(SystemClock)).unwrap();
        s.set_profile(Some("CN"), Some(30)).unwrap();
        s.accept_policy(false, "first_run_dialog").unwrap();
        setup(&mut s);
        // Closing checkpoints: what follows is the only write in the WAL.
        drop(s);
        let mut s = Store::open(&path, example(), Arc::new(SystemClock)).unwrap();
        last(&mut s);
        // Copy the file and its WAL while the store is open (no checkpoint on close),
        // then damage the first WAL frame.
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        std::fs::copy(format!("{}-wal", path.display()), format!("{}-wal", copy.display())).unwrap();
        drop(s);
        overwrite(Path::new(&format!("{}-wal", copy.display())), 32, &[0xA5; 64]);
        let mut damaged = match Store::open(&copy, example(), Arc::new(SystemClock)) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{case}: open refused ({})", e.code()));
                continue;
            }
        };
        let d = damaged.decide(&Subject::Sdk(sdk.into()));
        let intact = damaged.verify().map(|r| r.first_broken.is_none()).unwrap_or(false);
        if d.verdict == Verdict::Allow || d.reason != expected || !intact {
            failures.push(format!("{case}: {sdk} {:?} ({:?}), verify intact {intact}", d.verdict, d.reason));
        }
    }
    figures(&format!("damaged WAL: {} cases (a grant, a withdrawal, a child's acceptance after the guardian's, each the last write), {} failures", cases.len(), failures.len()));
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A 256 KiB tmpfs, filled up while a store on it is open. Needs the right to mount
/// (root in a container); returns None elsewhere.
fn full_disk(failures: &mut Vec<String>) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        return None;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let path = consenting_store(&mnt);
    let mut s = Store::open(&path, example(), Arc::new(SystemClock)).unwrap();
    // Fill the rest of the file system.
    let filler = mnt.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    while f.write_all(&[0u8; 4096]).is_ok() {}
    let _ = f.sync_all();
    let mut refused = 0;
    let mut acked = Vec::new();
    for i in 0..40 {
        let source = format!("full-{i}");
        match s.record_choice(EventKind::Granted, &["push_notifications".into()], &[], false, false, &source) {
            Ok(_) => acked.push(source),
            Err(e) => {
                refused += 1;
                if i == 0 && !e.to_string().contains("full") {
                    failures.push(format!("full disk: unclear error: {e}"));
                }
            }
        }
    }
    if refused == 0 {
        failures.push("full disk: no write was refused".into());
    }
    // A decision that needs a new log row cannot be logged: it fails closed.
    let d = s.decide(&Subject::Sdk("amap".into()));
    let cli_status = fails_closed("full disk", &path, failures);
    drop(s);
    drop(f);
    std::fs::remove_file(&filler).unwrap();
    check_after_crash(&path, &acked, "full disk, after freeing space", failures);
    let kept = stored_sources(&Store::open(&path, example(), Arc::new(SystemClock)).unwrap()).len();
    // The 4 consent events with a source made before the disk filled, and every
    // write acknowledged on the full disk.
    if kept != 4 + acked.len() {
        failures.push(format!("full disk: {kept} events after freeing space, {} expected", 4 + acked.len()));
    }
    Some(format!(
        "{refused} of 40 writes refused with a storage error; an unloggable decision: {} {}; {cli_status}; after freeing space: opens, verify passes, every acknowledged write kept ({} on the full disk)",
        d.verdict.as_str(),
        d.reason.as_str(),
        acked.len()
    ))
}

// --- tampering --------------------------------------------------------------------------

/// A closed store with `n` events; returns its path.
fn ledger_of(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("gatekeeper.db");
    let clock = Arc::new(FixedClock::new(1_767_225_600_000));
    let mut s = Store::open(&path, example(), clock.clone()).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    for i in 1..n {
        clock.advance(60_000);
        let p = vec![CONSENT_PURPOSES[i % CONSENT_PURPOSES.len()].to_owned()];
        let kind = [EventKind::Granted, EventKind::Denied, EventKind::Withdrawn][i % 3];
        s.record_choice(kind, &p, &[], false, false, &format!("s{i}")).unwrap();
    }
    path
}

type Row = (i64, i64, String, String, String);

fn rows(c: &Connection) -> Vec<Row> {
    let mut st = c.prepare("SELECT id, ts, kind, body, hash FROM events ORDER BY id").unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn put(c: &Connection, r: &Row) {
    c.execute(
        "INSERT INTO events (id, ts, kind, body, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![r.0, r.1, r.2, r.3, r.4],
    )
    .unwrap();
}

#[test]
fn verify_names_the_first_changed_deleted_reordered_or_inserted_event() {
    const N: i64 = 6;
    let mut failures = Vec::new();
    let mut trials = 0;
    for kind in ["changed", "deleted", "reordered", "inserted"] {
        for k in 1..=N {
            if kind == "reordered" && k == N {
                continue;
            }
            trials += 1;
            let dir = tempfile::tempdir().unwrap();
            let path = ledger_of(dir.path(), N as usize);
            let c = Connection::open(&path).unwrap();
            let all = rows(&c);
            let row = all[(k - 1) as usize].clone();
            // The event verify must name.
            let expected = match kind {
                "changed" => {
                    let body = row.3.replace("\"source\":\"", "\"source\":\"x");
                    c.execute("UPDATE events SET body = ?1 WHERE id = ?2", rusqlite::params![body, k]).unwrap();
                    k
                }
                "deleted" => {
                    c.execute("DELETE FROM events WHERE id = ?1", [k]).unwrap();
                    // The next event's link is broken; the last one's absence is
                    // caught by the recorded head, which names the missing event.
                    k + i64::from(k < N)
                }
                "reordered" => {
                    let next = all[k as usize].clone();
                    c.execute("DELETE FROM events WHERE id IN (?1, ?2)", [k, k + 1]).unwrap();
                    put(&c, &(k, next.1, next.2.clone(), next.3.clone(), next.4.clone()));
                    put(&c, &(k + 1, row.1, row.2.clone(), row.3.clone(), row.4.clone()));
                    k
                }
                _ => {
                    // A forged grant placed before event k (later ids shift up), with a
                    // hash that does not chain.
                    c.execute("UPDATE events SET id = id + 1000 WHERE id >= ?1", [k]).unwrap();
                    c.execute("UPDATE events SET id = id - 999 WHERE id >= 1000", []).unwrap();
                    let mut forged = Event::new(EventKind::Granted, row.1);
                    forged.id = k;
                    forged.purposes = vec!["personalised_ads".into()];
                    forged.source = Some("forged".into());
                    forged.policy_version = Some("3.1".into());
                    let body = forged.canonical();
                    let hash = to_hex(&chain_hash(&[1; 32], &body));
                    put(&c, &(k, row.1, "granted".into(), body, hash));
                    k
                }
            };
            drop(c);
            let mut store = Store::open(&path, example(), Arc::new(SystemClock)).unwrap();
            let named = store.verify().unwrap().first_broken;
            let d = store.decide(&Subject::Sdk("sensors_analytics".into()));
            let (code, out, _) = cli(&path, &["--json", "verify"]);
            let json: Value = serde_json::from_str(&out).unwrap_or_default();
            let cli_ok = code == 1 && json["first_broken"] == expected;
            if named != Some(expected) || d.reason != Reason::StoreUnavailable || !cli_ok {
                failures.push(format!(
                    "{kind} event {k}: verify named {named:?}, expected {expected}; decision {:?}; CLI exit {code}: {out}",
                    d.reason
                ));
            }
        }
    }
    figures(&format!(
        "tampering: {trials} trials (changed, deleted, reordered, inserted at every position of a {N}-event ledger), \
         {} caught and named, {} failures",
        trials - failures.len(),
        failures.len()
    ));
    assert!(failures.is_empty(), "{failures:#?}");
}
