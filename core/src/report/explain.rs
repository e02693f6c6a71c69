//! Why a subject is decided as it is (`gatekeeper explain SUBJECT`): which rule of
//! contract §4 decided, what the user (or the app) could do now that would change the
//! answer, and when the answer changes by time alone. It exists so that an app team can
//! see through a verdict without reading the rules: "ask separate_consent_required"
//! becomes "rule 4; a separate consent prompt for face_recognition would allow it".
//!
//! Nothing here is a second copy of the rules. The deciding rule is read off the answer
//! (each reason code belongs to one rule; rule 3's answers list no blockers, rules 4
//! and 5 always do). What would change it is found by deciding again on a copy of the
//! ledger with the candidate event folded in (an acceptance, a grant, a permission
//! result), the least that changes the answer: a grant without `separate` is tried
//! before one with it, so `separate` is reported only when it is needed, and
//! `by_guardian` only for a child. The changes by time alone are the decision engine's
//! own `decide_until` boundaries, decided again at each, up to [`MAX_STEPS`] changes.
//! Nothing is recorded or logged.

use serde_json::{json, Value};

use crate::decide::{Context, Decision, Reason, Subject, Trigger, Verdict};
use crate::ledger::{Event, EventKind, LedgerState, PermissionResult};
use crate::time::format_rfc3339;

/// The most changes by time alone an explanation lists.
pub const MAX_STEPS: usize = 8;

/// The rules of contract §4, by number, as an explanation names them.
pub const RULES: [&str; 7] = [
    "unknown id or unusable store",
    "permission trigger",
    "policy acceptance",
    "purposes",
    "SDK separate consent (PIPL)",
    "OS permission result",
    "allow",
];

/// What could change an answer now, other than time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// The user accepts the policy (by a guardian when `by_guardian`).
    AcceptPolicy {
        /// The acceptance must be a guardian's.
        by_guardian: bool,
    },
    /// A consent prompt for these purposes and SDKs.
    Grant {
        /// The purposes to ask for.
        purposes: Vec<String>,
        /// The SDKs to ask for.
        sdks: Vec<String>,
        /// The prompt must be dedicated to them (a separate consent).
        separate: bool,
        /// The grant must be a guardian's.
        by_guardian: bool,
        /// The user refused or withdrew: the app must not prompt; only the user's own
        /// change of mind (in the app's settings) grants it before the re-ask time.
        user_initiated_only: bool,
    },
    /// Ask for the permission from a user action (trigger `user_action`).
    UserAction,
    /// The user turns the permission on in the system settings.
    SystemSettings,
}

impl Remedy {
    /// A short code for the JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Remedy::AcceptPolicy { .. } => "accept_policy",
            Remedy::Grant { user_initiated_only: false, .. } => "consent_prompt",
            Remedy::Grant { user_initiated_only: true, .. } => "user_changes_mind",
            Remedy::UserAction => "user_action",
            Remedy::SystemSettings => "system_settings",
        }
    }

    /// In words, with the CLI command that records it.
    pub fn describe(&self, subject: &Subject) -> String {
        match self {
            Remedy::AcceptPolicy { by_guardian: false } => {
                "the user accepts the policy (gatekeeper accept-policy)".into()
            }
            Remedy::AcceptPolicy { by_guardian: true } => {
                "the user's guardian accepts the policy (gatekeeper accept-policy --guardian)".into()
            }
            Remedy::Grant { purposes, sdks, separate, by_guardian, user_initiated_only } => {
                let mut what: Vec<String> = purposes.clone();
                what.extend(sdks.iter().map(|s| format!("SDK {s}")));
                let prompt = if *separate { "a separate consent prompt" } else { "a consent prompt" };
                let who = if *by_guardian { ", answered by the user's guardian" } else { "" };
                let mut cmd = String::from("gatekeeper grant");
                for p in purposes {
                    cmd.push(' ');
                    cmd.push_str(p);
                }
                for s in sdks {
                    cmd.push_str(" --sdk ");
                    cmd.push_str(s);
                }
                if *separate {
                    cmd.push_str(" --separate");
                }
                if *by_guardian {
                    cmd.push_str(" --guardian");
                }
                if *user_initiated_only {
                    format!(
                        "the user grants {} again of their own accord (in settings; the app must not prompt before the re-ask time){who} ({cmd})",
                        what.join(", ")
                    )
                } else {
                    format!("{prompt} for {}{who} ({cmd})", what.join(", "))
                }
            }
            Remedy::UserAction => {
                let id = match subject {
                    Subject::Permission(id, _) => id.as_str(),
                    _ => "",
                };
                format!("asking from a user action instead (gatekeeper decide permission {id} --trigger user_action)")
            }
            Remedy::SystemSettings => {
                "the user turns the permission on in the system settings (gatekeeper permission-result ID granted)"
                    .into()
            }
        }
    }
}

/// A change of the answer by time alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeChange {
    /// From when (UTC ms).
    pub at: i64,
    /// The answer from then on.
    pub decision: Decision,
}

/// Why a subject is decided as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The answer now.
    pub decision: Decision,
    /// The rule of contract §4 that decided (1-7).
    pub rule: u8,
    /// What could change the answer now, and the answer it would give; `None` when
    /// nothing the user does changes it (an unknown id, an unusable store, an allow).
    pub remedy: Option<(Remedy, Decision)>,
    /// The changes by time alone, in order.
    pub by_time: Vec<TimeChange>,
}

impl Explanation {
    /// Explains `subject` under `ctx`; `usable` is false when the store cannot be used
    /// (every answer is then `deny store_unavailable`, and nothing changes it).
    pub fn of(ctx: &Context<'_>, subject: &Subject, usable: bool) -> Explanation {
        if !usable {
            let decision = ctx.unavailable(subject);
            return Explanation { decision, rule: 1, remedy: None, by_time: Vec::new() };
        }
        let decision = ctx.decide(subject);
        let rule = rule_of(&decision);
        let remedy = remedy(ctx, subject, &decision);
        let by_time = by_time(ctx, subject);
        Explanation { decision, rule, remedy, by_time }
    }

    /// The rule's name.
    pub fn rule_name(&self) -> &'static str {
        RULES[usize::from(self.rule.clamp(1, 7)) - 1]
    }

    /// The `explain --json` document.
    pub fn to_json(&self, subject: &Subject) -> Value {
        json!({
            "subject": self.decision.subject,
            "decision": self.decision.to_json(),
            "rule": {"number": self.rule, "name": self.rule_name()},
            "would_change": self.remedy.as_ref().map(|(r, then)| {
                let mut v = json!({"action": r.code(), "description": r.describe(subject)});
                if let Remedy::Grant { purposes, sdks, separate, by_guardian, .. } = r {
                    v["purposes"] = json!(purposes);
                    v["sdks"] = json!(sdks);
                    v["separate"] = json!(separate);
                    v["by_guardian"] = json!(by_guardian);
                }
                if let Remedy::AcceptPolicy { by_guardian } = r {
                    v["by_guardian"] = json!(by_guardian);
                }
                v["then"] = json!({"verdict": then.verdict.as_str(), "reason": then.reason.as_str()});
                v
            }),
            "by_time": self.by_time.iter().map(|c| json!({
                "at": format_rfc3339(c.at),
                "verdict": c.decision.verdict.as_str(),
                "reason": c.decision.reason.as_str(),
            })).collect::<Vec<_>>(),
        })
    }

    /// The text `explain` prints.
    pub fn to_text(&self, subject: &Subject) -> String {
        let d = &self.decision;
        let mut t = format!(
            "{}: {} ({})\n  decided by rule {} ({})",
            d.subject,
            d.verdict.as_str(),
            d.reason.as_str(),
            self.rule,
            self.rule_name()
        );
        if !d.purposes.is_empty() {
            t.push_str(&format!("\n  blocking purposes: {}", d.purposes.join(", ")));
        }
        if !d.sdks.is_empty() {
            t.push_str(&format!("\n  blocking sdks: {}", d.sdks.join(", ")));
        }
        match &self.remedy {
            Some((r, then)) => t.push_str(&format!(
                "\n  would change with: {} -> {} ({})",
                r.describe(subject),
                then.verdict.as_str(),
                then.reason.as_str()
            )),
            None => t.push_str("\n  would change with: nothing the user can do now"),
        }
        if self.by_time.is_empty() {
            t.push_str("\n  by time alone: no change");
        }
        for c in &self.by_time {
            t.push_str(&format!(
                "\n  from {}: {} ({})",
                format_rfc3339(c.at),
                c.decision.verdict.as_str(),
                c.decision.reason.as_str()
            ));
        }
        t
    }
}

/// The rule that gave `d`: each reason code belongs to one rule, but for those rule 3
/// shares with rule 4 (`guardian_consent_required`) and rule 4 with rule 5: rule 3
/// lists no blockers; rule 5 blocks only SDKs.
pub fn rule_of(d: &Decision) -> u8 {
    use Reason::*;
    match d.reason {
        UnknownSubject | StoreUnavailable => 1,
        LaunchTimeRequest | NotUserInitiated => 2,
        PolicyNotAccepted | PolicyUpdateRequiresAcceptance => 3,
        DeniedPermanently | RecentlyDenied => 6,
        Consented | OptOutNotExercised | NotConsentBased => 7,
        _ if d.purposes.is_empty() && d.sdks.is_empty() => 3,
        _ if d.purposes.is_empty() => 5,
        _ => 4,
    }
}

/// The least the user or the app could do now that changes `d`, and the answer then.
fn remedy(ctx: &Context<'_>, subject: &Subject, d: &Decision) -> Option<(Remedy, Decision)> {
    let child = ctx.is_child();
    let changed = |then: &Decision| then.changed_from(d);
    match rule_of(d) {
        2 => {
            let Subject::Permission(id, _) = subject else { return None };
            let then = ctx.decide(&Subject::Permission(id.clone(), Trigger::UserAction));
            changed(&then).then_some((Remedy::UserAction, then))
        }
        3 => {
            let mut accept = event(ctx, EventKind::PolicyAccepted);
            accept.by_guardian = child;
            let then = with(ctx, subject, &accept);
            changed(&then).then_some((Remedy::AcceptPolicy { by_guardian: child }, then))
        }
        4 | 5 => {
            let user_initiated_only = d.verdict == Verdict::Deny;
            for separate in [false, true] {
                let mut grant = event(ctx, EventKind::Granted);
                grant.purposes = d.purposes.clone();
                grant.sdks = d.sdks.clone();
                grant.separate = separate;
                grant.by_guardian = child;
                let then = with(ctx, subject, &grant);
                if then.verdict == Verdict::Allow || (separate && changed(&then)) {
                    let r = Remedy::Grant {
                        purposes: d.purposes.clone(),
                        sdks: d.sdks.clone(),
                        separate,
                        by_guardian: child,
                        user_initiated_only,
                    };
                    return Some((r, then));
                }
            }
            None
        }
        6 if d.reason == Reason::DeniedPermanently => {
            let Subject::Permission(id, _) = subject else { return None };
            let mut granted = event(ctx, EventKind::PermissionResult);
            granted.permission = Some(id.clone());
            granted.result = Some(PermissionResult::Granted);
            let then = with(ctx, subject, &granted);
            changed(&then).then_some((Remedy::SystemSettings, then))
        }
        _ => None,
    }
}

/// An event of `kind` recorded now under the policy in force.
fn event(ctx: &Context<'_>, kind: EventKind) -> Event {
    let mut e = Event::new(kind, ctx.now);
    e.policy_version = Some(ctx.manifest.policy.version.clone());
    e.jurisdiction = Some(ctx.jurisdiction().id.clone());
    e
}

/// `subject` decided now, as if `e` had been recorded.
fn with(ctx: &Context<'_>, subject: &Subject, e: &Event) -> Decision {
    let mut ledger: LedgerState = ctx.ledger.clone();
    ledger.apply(e);
    Context { manifest: ctx.manifest, ledger: &ledger, now: ctx.now, accesses: ctx.accesses }.decide(subject)
}

/// The changes of the answer by time alone, from the engine's own boundaries.
fn by_time(ctx: &Context<'_>, subject: &Subject) -> Vec<TimeChange> {
    let mut out = Vec::new();
    let (mut last, mut until) = ctx.decide_until(subject);
    // Boundaries where only the lists change are stepped over; a bound on the steps
    // keeps a long chain of them finite.
    let mut steps = 0;
    while let Some(at) = until {
        steps += 1;
        if out.len() >= MAX_STEPS || steps > 4 * MAX_STEPS || at <= ctx.now && steps > 1 {
            break;
        }
        let (next, next_until) =
            Context { manifest: ctx.manifest, ledger: ctx.ledger, now: at, accesses: ctx.accesses }
                .decide_until(subject);
        if next.changed_from(&last) {
            out.push(TimeChange { at, decision: next.clone() });
        }
        if next_until.is_some_and(|n| n <= at) {
            break;
        }
        last = next;
        until = next_until;
    }
    out
}
