//! Deciding through the store (contract §4, §6): the rules' answer for the folded
//! ledger, logged before it is returned, with the hot path of a repeated decision kept
//! free of disk I/O and of most of the rules' work.
//!
//! The store keeps the last answer per declared subject with the ledger's chain head
//! and the time until which any part of it could change by time alone (see
//! [`Context::decide_until`]); a repeat within that window costs a lookup and a copy.
//! A long-lived store also looks, every 1024 decisions or second of clock time, for
//! what other processes wrote (`PRAGMA data_version`), so another process's withdrawal
//! reaches its decisions.

use log::{info, warn};

use super::{connection, merge_changes, Broken, Change, Store};
use crate::decide::{Context, Decision, Reason, Subject, Verdict};
use crate::error::Result;
use crate::report::StatusReport;

/// How often a long-lived store looks for other processes' writes on the decision
/// path: after this many decisions, or this much clock time, whichever comes first
/// (see [`Store::refresh`]). Writes always catch up exactly.
const REFRESH_EVERY_DECISIONS: u32 = 1024;
const REFRESH_EVERY_MS: i64 = 1000;

/// A decision kept for repeats: valid while the ledger has the same head and the time is
/// in `[from, until)` (see [`Context::decide_until`]).
#[derive(Debug, Clone)]
pub(super) struct Memo {
    decision: Decision,
    head: [u8; 32],
    from: i64,
    until: Option<i64>,
}

impl Store {
    /// Every subject's answer now ([`Store::now`]), as `gatekeeper status` shows it, logging nothing
    /// (a status is not the app asking). The data accesses' last reads are loaded first,
    /// so a read still inside its interval shows `rate_limited`, as the app would be told.
    ///
    /// # Errors
    /// The accesses could not be read.
    pub fn status(&mut self) -> Result<StatusReport> {
        self.load_accesses()?;
        let now = self.now();
        Ok(StatusReport::of(&self.context(now), self.is_usable()))
    }

    /// The rules' inputs at `now`.
    pub(super) fn context(&self, now: i64) -> Context<'_> {
        Context { manifest: &self.manifest, ledger: &self.ledger, now, accesses: Some(&self.accesses) }
    }

    /// What the app would be told about `subject` at `now`, without logging it: the
    /// rules' answer, or `deny store_unavailable` when the store cannot be trusted.
    pub(super) fn answer(&self, subject: &Subject, now: i64) -> Decision {
        let ctx = self.context(now);
        if self.is_usable() {
            ctx.decide(subject)
        } else {
            ctx.unavailable(subject)
        }
    }

    /// [`Store::decide`]: looks for other writers when it is time to, decides (reusing
    /// a repeated answer) and logs the answer; a decision that cannot be logged fails
    /// closed, and so does every one after it.
    pub(super) fn decide_and_log(&mut self, subject: &Subject) -> Decision {
        if self.audit.is_some() {
            self.settle_audit(false);
        }
        let now = self.now();
        self.decisions_since_refresh += 1;
        if self.decisions_since_refresh >= REFRESH_EVERY_DECISIONS
            || now.saturating_sub(self.refreshed_at) >= REFRESH_EVERY_MS
            || now < self.refreshed_at
        {
            match self.refresh() {
                Ok(changes) => self.keep_unreported(changes),
                Err(e) => warn!("gatekeeper: could not look for other writers' changes, failing closed: {e}"),
            }
        }
        if !self.is_usable() {
            return self.context(now).unavailable(subject);
        }
        if let Subject::Access(..) = subject {
            if let Err(e) = self.load_accesses() {
                warn!("gatekeeper: could not read the data accesses, failing closed: {e}");
                return self.context(now).unavailable(subject);
            }
        }
        let decision = self.decide_or_reuse(subject, now);
        if let Err(e) = self.log_decision(&decision) {
            warn!("gatekeeper: decision log write failed, failing closed: {e}");
            self.set_broken(Some(Broken::LogWrite));
            return self.context(now).unavailable(subject);
        }
        if let Subject::Access(id, _) = subject {
            if decision.verdict == Verdict::Allow {
                if let Err(e) = self.record_access(id, now) {
                    warn!("gatekeeper: a data access could not be recorded, failing closed: {e}");
                    self.set_broken(Some(Broken::LogWrite));
                    return self.context(now).unavailable(subject);
                }
            }
        }
        decision
    }

    /// The rules' answer, or the last one for this subject when neither the ledger (its
    /// chain head) nor anything time could change has moved since: a repeated decision
    /// then costs a lookup and a copy. Unknown ids are not kept (they cost nothing to
    /// answer, and an app could pass any number of them).
    fn decide_or_reuse(&mut self, subject: &Subject, now: i64) -> Decision {
        if let Some(m) = self.memo.get(subject) {
            if m.head == self.last_hash && m.from <= now && m.until.is_none_or(|u| now < u) {
                let mut d = m.decision.clone();
                d.decided_at = now;
                return d;
            }
        }
        let (decision, until) = self.context(now).decide_until(subject);
        if decision.reason != Reason::UnknownSubject {
            let memo = Memo { decision: decision.clone(), head: self.last_hash, from: now, until };
            self.memo.insert(subject.clone(), memo);
        }
        decision
    }

    /// [`Store::refresh`]: settles the audit if it is done (running the check here if
    /// no audit could), catches up with other writers, and clears or sets the read
    /// failure that makes decisions fail closed.
    pub(super) fn look_for_other_writers(&mut self) -> Result<Vec<Change>> {
        self.settle_audit(false);
        if self.pending_check && self.audit.is_none() {
            self.check_now();
        }
        let refreshed = self.catch_up_if_changed();
        self.forget_snapshot_if_broken();
        match refreshed {
            Ok(mut changes) => {
                if self.broken == Some(Broken::Read) {
                    let ((), more) = self.with_changes(self.refreshed_at, |s| {
                        s.broken = None;
                        info!("gatekeeper: the store can be read again");
                    });
                    merge_changes(&mut changes, more);
                }
                Ok(changes)
            }
            Err(e) => {
                if self.broken.is_none() {
                    self.set_broken(Some(Broken::Read));
                }
                Err(self.located(e))
            }
        }
    }

    /// One `PRAGMA data_version`; when another connection has committed since, the
    /// buffered log repeats are written and the ledger read again.
    fn catch_up_if_changed(&mut self) -> Result<Vec<Change>> {
        let now = self.now();
        self.decisions_since_refresh = 0;
        self.refreshed_at = now;
        let version = connection::data_version(&self.conn)?;
        if version == self.data_version && self.broken != Some(Broken::Read) {
            return Ok(Vec::new());
        }
        // Another connection wrote: it may have recorded data accesses too.
        self.forget_accesses();
        let before = self.answers(now);
        self.flush_log()?;
        let changed = self.in_read(|s| {
            s.data_version = connection::data_version(&s.conn)?;
            s.catch_up()
        })?;
        Ok(if changed { self.notify(before, now) } else { Vec::new() })
    }
}
