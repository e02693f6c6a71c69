//! Change notifications (contract §5): after every call that changes state, every
//! watched subject (each declared SDK, each permission on a user action) is decided
//! again, and the listener hears, once, of every subject whose verdict or reason changed.
//!
//! What changes where no caller hears of it (another process's write seen by a
//! decision, the audit finding the chain broken, the store becoming unusable) is kept
//! for [`Store::take_unreported`] when no listener is set: the FFI object delivers it
//! after the call that found it.

use super::{Broken, Store};
use crate::decide::{Context, Decision};

/// One change reported to the listener: a subject whose verdict or reason changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `sdk:<id>` or `permission:<id>`.
    pub subject: String,
    /// What the app was told before.
    pub old: Decision,
    /// What it is told now.
    pub new: Decision,
}

/// Adds `more` (later changes) to `into` (earlier ones), one entry per subject: a subject
/// in both keeps its first `old` and its latest `new`, and is dropped when that is no
/// change at all.
pub fn merge_changes(into: &mut Vec<Change>, more: Vec<Change>) {
    for c in more {
        match into.iter().position(|e| e.subject == c.subject) {
            Some(i) => {
                into[i].new = c.new;
                if !into[i].new.changed_from(&into[i].old) {
                    into.remove(i);
                }
            }
            None => into.push(c),
        }
    }
}

/// Receives the changes after every call that changes state (contract §5).
pub trait Listener: Send {
    /// Called once per call that changed at least one watched subject's answer.
    fn on_change(&self, changes: &[Change]);
}

impl Store {
    /// What every watched subject would be told now (compared before and after a
    /// change, for the listener).
    pub(super) fn answers(&self, now: i64) -> Vec<Decision> {
        Context::watched_subjects(&self.manifest).iter().map(|s| self.answer(s, now)).collect()
    }

    /// Runs `f`, then tells the listener what it changed in the watched subjects'
    /// answers at `now`, and returns that too.
    pub(super) fn with_changes<T>(&mut self, now: i64, f: impl FnOnce(&mut Self) -> T) -> (T, Vec<Change>) {
        let before = self.answers(now);
        let out = f(self);
        let changes = self.notify(before, now);
        (out, changes)
    }

    /// Runs `f`, which changes state outside any call's own result (the audit's
    /// outcome, another writer seen, the store breaking), and keeps what it changed
    /// for [`Store::take_unreported`] after telling the listener.
    pub(super) fn unreported_changes(&mut self, f: impl FnOnce(&mut Self)) {
        let now = self.now();
        let ((), changes) = self.with_changes(now, f);
        self.keep_unreported(changes);
    }

    /// The changes from `before` to the answers at `now`; the listener hears of them.
    pub(super) fn notify(&self, before: Vec<Decision>, now: i64) -> Vec<super::Change> {
        let after = self.answers(now);
        let changes: Vec<Change> = before
            .into_iter()
            .zip(after)
            .filter(|(old, new)| new.changed_from(old))
            .map(|(old, new)| Change { subject: new.subject.clone(), old, new })
            .collect();
        if let (Some(l), false) = (&self.listener, changes.is_empty()) {
            l.on_change(&changes);
        }
        changes
    }

    /// Keeps changes no caller will receive, for [`Store::take_unreported`] (a
    /// [`Listener`], when set, has already heard of them).
    pub(super) fn keep_unreported(&mut self, changes: Vec<Change>) {
        if self.listener.is_none() {
            merge_changes(&mut self.unreported, changes);
        }
    }

    /// Marks the store unusable (or usable again) and reports what that changed.
    pub(super) fn set_broken(&mut self, broken: Option<Broken>) {
        if self.broken == broken {
            return;
        }
        self.unreported_changes(|s| s.broken = broken);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{Reason, Verdict};

    fn answer(subject: &str, verdict: Verdict, reason: Reason) -> Decision {
        Decision {
            subject: subject.into(),
            verdict,
            reason,
            purposes: Vec::new(),
            sdks: Vec::new(),
            retry_after: None,
            valid_until: None,
            policy_version: "3.1".into(),
            jurisdiction: "CN".into(),
            decided_at: 0,
        }
    }

    fn change(subject: &str, old: (Verdict, Reason), new: (Verdict, Reason)) -> Change {
        Change { subject: subject.into(), old: answer(subject, old.0, old.1), new: answer(subject, new.0, new.1) }
    }

    #[test]
    fn merged_changes_keep_the_first_old_and_the_last_new_answer() {
        let allow = (Verdict::Allow, Reason::Consented);
        let deny = (Verdict::Deny, Reason::ConsentWithdrawn);
        let ask = (Verdict::Ask, Reason::ConsentMissing);
        let mut into = vec![change("sdk:a", allow, deny), change("sdk:b", ask, allow)];
        merge_changes(
            &mut into,
            vec![change("sdk:a", deny, ask), change("sdk:b", allow, ask), change("sdk:c", ask, deny)],
        );
        // sdk:b went back to what it was: no change at all.
        assert_eq!(into, vec![change("sdk:a", allow, ask), change("sdk:c", ask, deny)]);
    }
}
