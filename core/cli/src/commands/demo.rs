//! `gatekeeper demo`: the guided demo. The example app's first run, a declined policy
//! and the basic mode it leaves (§9.1), the policy accepted, a consent dialog, SDK starts
//! recorded in the start log (§9.3), reads of sensitive data paced by their intervals
//! (§9.2), a camera prompt the OS denies and the 48-hour pacing after it, a withdrawal
//! that switches the analytics SDKs off (and records their stops), the export and verify
//! a regulator would ask for, and at the end the start-log audit of its own store.
//!
//! It drives a real [`Store`] on a clock it moves by hand, so its output is the same on
//! every run for the same `--now`, and its steps double as an end-to-end test.

use std::path::Path;
use std::sync::Arc;

use clap::Args as ClapArgs;
use gatekeeper::decide::{Decision, Subject, Trigger, Verdict};
use gatekeeper::ledger::{EventKind, PermissionResult};
use gatekeeper::manifest::Manifest;
use gatekeeper::report::{AuditReport, Export, DEFAULT_GRACE_SECONDS};
use gatekeeper::store::{Change, Store};
use gatekeeper::time::{format_rfc3339, Clock, FixedClock, MS_PER_HOUR};
use gatekeeper::{Error, Result};
use serde_json::{json, Value};

use crate::options::Session;
use crate::{Failure, Output};

/// The arguments of `demo` (none: it uses `--db`, `--policy` and `--now`).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper demo")]
pub struct Args {}

impl Args {
    /// Runs the demo and prints its steps.
    ///
    /// # Errors
    /// A store that holds a ledger the demo did not make, a manifest without the
    /// `analytics` purpose or the `camera` permission, a store error.
    pub(crate) fn run(self, session: &Session) -> std::result::Result<Output, Failure> {
        let path = &session.path;
        let lines = run(path, session.manifest.clone(), session.clock.now_ms())?;
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
        Ok(Output::ok(json, text.join("\n").trim_start().to_owned()))
    }
}

/// One line of the demo.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    step: u32,
    title: &'static str,
    text: String,
    /// The decision or change this line shows, as JSON (for `demo --json`).
    detail: Value,
}

struct Demo {
    store: Store,
    clock: Arc<FixedClock>,
    lines: Vec<Line>,
    step: u32,
    title: &'static str,
}

impl Demo {
    fn step(&mut self, title: &'static str) {
        self.step += 1;
        self.title = title;
    }

    fn say(&mut self, text: impl Into<String>) {
        self.push(text.into(), Value::Null);
    }

    fn push(&mut self, text: String, detail: Value) {
        self.lines.push(Line { step: self.step, title: self.title, text, detail });
    }

    fn decide(&mut self, subject: Subject) -> Decision {
        let d = self.store.decide(&subject);
        let mut text = format!("{:<28} {:<5} {}", d.subject, d.verdict.as_str(), d.reason.as_str());
        if !d.purposes.is_empty() || !d.sdks.is_empty() {
            text.push_str(&format!("  (decide: {})", blockers(&d)));
        }
        if let Some(t) = d.retry_after {
            text.push_str(&format!("  retry after {}", format_rfc3339(t)));
        }
        self.push(text, d.to_json());
        d
    }

    fn changes(&mut self, what: &str, changes: Vec<Change>) {
        if changes.is_empty() {
            self.say(format!("{what}: no decision changed"));
        }
        for c in changes {
            let text = format!(
                "{what}: {:<28} {} {} -> {} {}",
                c.subject,
                c.old.verdict.as_str(),
                c.old.reason.as_str(),
                c.new.verdict.as_str(),
                c.new.reason.as_str()
            );
            let detail = json!({"subject": c.subject, "old": c.old.to_json(), "new": c.new.to_json()});
            self.push(text, detail);
        }
    }

    /// The app starts an allowed SDK (once) and records it in the start log.
    fn start(&mut self, subject: &Subject, running: &mut Vec<String>) -> Result<()> {
        let Subject::Sdk(id) = subject else { return Ok(()) };
        if running.contains(id) {
            return Ok(());
        }
        self.store.record_sdk_started(id)?;
        running.push(id.clone());
        self.say(format!("started {id} (recorded in the start log)"));
        Ok(())
    }

    fn advance_hours(&mut self, hours: i64) {
        self.clock.advance(hours * MS_PER_HOUR);
        let now = format_rfc3339(self.clock.now_ms());
        self.say(format!("… {hours} hour(s) later ({now})"));
    }
}

fn blockers(d: &Decision) -> String {
    d.purposes
        .iter()
        .map(|p| format!("purpose {p}"))
        .chain(d.sdks.iter().map(|s| format!("sdk {s}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Picks the demo's cast from the manifest: it works with any manifest that has an SDK
/// serving `analytics` and a `camera` permission, and names what it cannot find.
fn analytics_sdks(m: &Manifest) -> Vec<String> {
    m.sdks.iter().filter(|s| s.purposes.iter().any(|p| p == "analytics")).map(|s| s.id.clone()).collect()
}

/// Runs the demo against the store at `path`, starting the clock at `start_ms`.
/// The store is erased first, so the walk always begins with a new user; a store
/// holding a ledger the demo did not make is refused rather than erased.
///
/// # Errors
/// [`Error::InvalidArgument`] for a store that is not the demo's; store errors; and
/// [`Error::UnknownId`] when the manifest lacks the `analytics` purpose or the `camera`
/// permission the walk needs.
fn run(path: &Path, manifest: Arc<Manifest>, start_ms: i64) -> Result<Vec<Line>> {
    if manifest.purpose("analytics").is_none() {
        return Err(Error::UnknownId { kind: "purpose", id: "analytics".into() });
    }
    if manifest.permission("camera").is_none() {
        return Err(Error::UnknownId { kind: "permission", id: "camera".into() });
    }
    let clock = Arc::new(FixedClock::new(start_ms));
    let store = Store::open(path, manifest.clone(), clock.clone())?;
    // The demo starts by erasing its store: never a store that holds a real user's ledger.
    if store.chain().events > 0 && !store.is_demo_store()? {
        return Err(Error::InvalidArgument {
            what: "--db".into(),
            message: format!(
                "{} already holds a consent ledger the demo did not make; the demo erases its store, so give it a new path (e.g. --db demo.db)",
                path.display()
            ),
        });
    }
    store.mark_demo_store()?;
    let mut demo = Demo { store, clock, lines: Vec::new(), step: 0, title: "" };
    let sdks: Vec<Subject> = manifest.sdks.iter().map(|s| Subject::Sdk(s.id.clone())).collect();
    let analytics = analytics_sdks(&manifest);

    demo.step("first run");
    demo.store.erase()?;
    demo.say("a new user in China, aged 30, opens the app for the first time");
    let c = demo.store.set_profile(Some("CN"), Some(30))?;
    demo.changes("profile set", c);
    for s in &sdks {
        demo.decide(s.clone());
    }
    demo.decide(Subject::Permission("camera".into(), Trigger::AppLaunch));

    demo.step("policy declined");
    demo.say("the user taps \"Disagree\": the app keeps its basic service (basic mode), and asks for nothing else");
    let c = demo.store.decline_policy("first_run_dialog")?;
    demo.changes("policy declined", c);
    let mut running: Vec<String> = Vec::new();
    for s in &sdks {
        if demo.decide(s.clone()).verdict == Verdict::Allow {
            demo.start(s, &mut running)?;
        }
    }
    demo.decide(Subject::Permission("camera".into(), Trigger::UserAction));
    if let Some(a) = manifest.data_access.iter().find(|a| all_basic(&manifest, &a.purposes)) {
        demo.decide(Subject::Access(a.id.clone(), false));
    }

    demo.step("policy accepted");
    demo.advance_hours(1);
    let c = demo.store.accept_policy(false, "first_run_dialog")?;
    demo.changes("policy accepted", c);

    demo.step("consent dialog");
    let c =
        demo.store.record_choice(EventKind::Granted, &["analytics".into()], &[], false, false, "first_run_dialog")?;
    demo.changes("granted analytics", c);
    let separate: Vec<String> = analytics
        .iter()
        .filter(|id| {
            let d = demo.store.peek(&Subject::Sdk((*id).clone()));
            d.sdks.contains(id)
        })
        .cloned()
        .collect();
    if !separate.is_empty() {
        demo.say(format!("a separate dialog for {} (third party on its own account / abroad)", separate.join(", ")));
        let c = demo.store.record_choice(EventKind::Granted, &[], &separate, true, false, "just_in_time")?;
        demo.changes("granted separately", c);
    }
    if manifest.purpose("personalised_ads").is_some() {
        let c = demo.store.record_choice(
            EventKind::Denied,
            &["personalised_ads".into()],
            &[],
            false,
            false,
            "first_run_dialog",
        )?;
        demo.changes("denied personalised_ads", c);
    }

    demo.step("sdk start");
    demo.say("the app starts every SDK whose verdict is allow, and no other, and records each start");
    for s in &sdks {
        if demo.decide(s.clone()).verdict == Verdict::Allow {
            demo.start(s, &mut running)?;
        }
    }

    if !manifest.data_access.is_empty() {
        demo.step("sensitive data");
        demo.say("the app asks before each read of sensitive data; an allow is the read, and starts its interval");
        let mut read = Vec::new();
        for a in &manifest.data_access {
            if demo.decide(Subject::Access(a.id.clone(), false)).verdict == Verdict::Allow {
                read.push(a);
            }
        }
        if let Some(a) = read.iter().find(|a| a.min_interval_seconds > 0) {
            demo.say(format!(
                "a second read of {} at once: sooner than its {} s interval",
                a.id, a.min_interval_seconds
            ));
            demo.decide(Subject::Access(a.id.clone(), false));
        }
        if let Some(a) = manifest.data_access.iter().find(|a| a.foreground_only) {
            demo.say(format!("a read of {} from the background", a.id));
            demo.decide(Subject::Access(a.id.clone(), true));
        }
    }

    demo.step("camera prompt");
    demo.advance_hours(1);
    demo.decide(Subject::Permission("camera".into(), Trigger::Background));
    demo.say("the user taps \"Scan\": the prompt is user-initiated");
    demo.decide(Subject::Permission("camera".into(), Trigger::UserAction));
    let c = demo.store.record_permission_result("camera", PermissionResult::Denied)?;
    demo.changes("the OS says denied", c);
    demo.decide(Subject::Permission("camera".into(), Trigger::UserAction));
    demo.advance_hours(47);
    demo.decide(Subject::Permission("camera".into(), Trigger::UserAction));
    demo.advance_hours(1);
    demo.decide(Subject::Permission("camera".into(), Trigger::UserAction));

    demo.step("withdrawal");
    demo.say("in Settings the user switches analytics off");
    let c = demo.store.record_choice(EventKind::Withdrawn, &["analytics".into()], &[], false, false, "settings")?;
    demo.changes("change notification", c);
    for id in &analytics {
        let subject = Subject::Sdk(id.clone());
        if demo.decide(subject.clone()).verdict != Verdict::Allow && running.contains(id) {
            demo.store.record_sdk_stopped(id)?;
            running.retain(|r| r != id);
            demo.say(format!("stopped {id} (recorded in the start log)"));
        }
    }

    demo.step("export and verify");
    let export = Export::of(&mut demo.store)?;
    demo.push(
        format!(
            "export: {} consent receipt(s), {} decision-log row(s)",
            export.receipts.len(),
            export.decision_log.len()
        ),
        json!({"receipts": export.receipts.len(), "decision_log_rows": export.decision_log.len()}),
    );
    let v = demo.store.verify()?;
    demo.push(
        format!(
            "verify: {} event(s), hash chain {}",
            v.events,
            if v.first_broken.is_none() { "intact" } else { "BROKEN" }
        ),
        json!({"ok": v.first_broken.is_none(), "events": v.events, "first_broken": v.first_broken}),
    );

    demo.step("start-log audit");
    demo.say("what `gatekeeper audit` checks on a store pulled from a device after a QA run");
    let audit = AuditReport::of(&mut demo.store, DEFAULT_GRACE_SECONDS)?;
    let text = if audit.ok {
        format!(
            "audit: ok, {} SDK run(s), no SDK started before its allow, every one stopped after a withdrawal",
            audit.sdks.len()
        )
    } else {
        format!("audit: FAILED, {} violation(s)", audit.violations.len())
    };
    demo.push(text, audit.to_json());
    demo.store.flush()?;
    Ok(demo.lines)
}

/// Whether every one of `purposes` is basic (§9.1).
fn all_basic(m: &Manifest, purposes: &[String]) -> bool {
    purposes.iter().all(|p| m.purpose(p).is_some_and(|p| p.basic))
}
