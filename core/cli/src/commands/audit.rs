//! `gatekeeper audit [--grace-seconds N]` (contract §9.3): reads a store (one pulled from
//! a device or an emulator after a QA run, say) and checks its start log: no SDK started
//! while its decision was not allow (`started_without_allow`), and every SDK whose
//! decision left allow while it was running was stopped within the grace period
//! (`not_stopped_after_withdrawal`). Exit status 1 when there is a violation.

use clap::Args as ClapArgs;
use gatekeeper::report::{AuditReport, DEFAULT_GRACE_SECONDS};
use gatekeeper::time::format_rfc3339;
use gatekeeper::Store;

use crate::{Failure, Output};

/// The arguments of `audit`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper audit [--grace-seconds N]")]
pub struct Args {
    /// How long an SDK may keep running after its decision left allow, in seconds
    #[arg(long, value_name = "N", default_value_t = DEFAULT_GRACE_SECONDS)]
    pub grace_seconds: u32,
}

impl Args {
    /// Audits the store's start log.
    ///
    /// # Errors
    /// A store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let report = AuditReport::of(store, self.grace_seconds)?;
        Ok(output(&report))
    }
}

/// The report as the command prints it: exit status 1 on any violation.
pub(crate) fn output(report: &AuditReport) -> Output {
    let mut lines = Vec::new();
    lines.push(if report.ok {
        format!("ok: {} SDK run(s), no violation", report.sdks.len())
    } else {
        format!("FAILED: {} violation(s) in {} SDK run(s)", report.violations.len(), report.sdks.len())
    });
    for v in &report.violations {
        lines.push(format!(
            "  {} {} at {} ({} {})",
            v.sdk,
            v.kind.as_str(),
            format_rfc3339(v.at),
            v.decision.verdict.as_str(),
            v.decision.reason.as_str()
        ));
    }
    for r in &report.sdks {
        let at = |t: Option<i64>| t.map_or_else(|| "-".to_owned(), format_rfc3339);
        lines.push(format!(
            "  run {}: started {} ({}), stopped {}",
            r.sdk,
            at(r.started_at),
            r.verdict_at_start.map_or("-", |v| v.as_str()),
            at(r.stopped_at)
        ));
    }
    Output { json: report.to_json(), text: lines.join("\n"), status: if report.ok { 0 } else { 1 } }
}
