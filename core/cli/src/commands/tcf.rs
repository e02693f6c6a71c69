//! `gatekeeper tcf decode STRING` and `gatekeeper tcf import STRING [--ac AC_STRING]
//! [--source S]` (contract section 11): what a certified CMP stored, read and enforced.
//!
//! `decode` opens no store and prints the decoded TC string (`--json`: the contract's
//! fields, id lists ascending). `import` records, in one write, a grant and a denial for
//! the purposes and SDKs the manifest maps to TCF purposes, vendors and Additional Consent
//! providers (see `gatekeeper::tcf`'s `import.rs` for the rules), or refuses the strings,
//! recording nothing, with exit status 1 and the code `tcf_invalid`, `tcf_stale` or
//! `tcf_policy_outdated`. A TC string is personal data: no message quotes it.

use clap::{Args as ClapArgs, Subcommand};
use gatekeeper::tcf::{ImportPlan, TcString};
use gatekeeper::time::format_rfc3339;
use gatekeeper::{Error, Store};
use serde_json::json;

use super::choice;
use crate::failure::{non_empty, Refused};
use crate::options::{Global, Session};
use crate::{Failure, Output};

/// The `source` an import records when none is given.
const DEFAULT_SOURCE: &str = "tcf_cmp";

/// The arguments of `tcf`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper tcf decode STRING | tcf import STRING [--ac AC_STRING] [--source S]")]
pub struct Args {
    /// What to do with the CMP's strings.
    #[command(subcommand)]
    pub what: What,
}

/// What to do with a TC string.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum What {
    /// Decode a TC string (IABTCF_TCString) and print its fields; records nothing
    #[command(override_usage = "gatekeeper tcf decode STRING")]
    Decode {
        /// The TC string
        #[arg(value_name = "STRING", value_parser = tc_string)]
        string: String,
    },
    /// Record the grants and denials a TC string (and Additional Consent string) means
    /// for the manifest's purposes and SDKs
    #[command(override_usage = "gatekeeper tcf import STRING [--ac AC_STRING] [--source S]")]
    Import {
        /// The TC string (IABTCF_TCString)
        #[arg(value_name = "STRING", value_parser = tc_string)]
        string: String,
        /// The Additional Consent string (IABTCF_AddtlConsent); without it, every SDK
        /// with an ac_id is denied
        #[arg(long, value_name = "AC_STRING", value_parser = ac_string)]
        ac: Option<String>,
        /// Where the choice was made [default: tcf_cmp]
        #[arg(long, value_name = "S", default_value = DEFAULT_SOURCE, value_parser = choice::source)]
        source: String,
    },
}

/// A TC string argument: any non-empty text (the decoder says what is wrong with it).
fn tc_string(s: &str) -> Result<String, Refused> {
    non_empty("STRING", s)
}

/// `--ac`: any non-empty text.
fn ac_string(s: &str) -> Result<String, Refused> {
    non_empty("--ac", s)
}

impl Args {
    /// `decode` reads no manifest and opens no store; `import` runs on the store.
    ///
    /// # Errors
    /// A string that is refused, a store error (exit status 1).
    pub(crate) fn run(self, global: &Global) -> Result<Output, Failure> {
        match self.what {
            What::Decode { string } => decode(&string),
            What::Import { string, ac, source } => {
                Session::new(global)?.with_store(|store| import(store, &string, ac.as_deref(), &source))
            }
        }
    }
}

/// `tcf decode`.
fn decode(text: &str) -> Result<Output, Failure> {
    let tc = TcString::decode(text).map_err(|e| Error::TcfInvalid { what: "TC", message: e.to_string() })?;
    Ok(Output::ok(tc.to_json(), describe(&tc)))
}

/// The text of `tcf decode`: one line per group of fields.
fn describe(tc: &TcString) -> String {
    let list = |ids: Vec<String>| if ids.is_empty() { "none".to_owned() } else { ids.join(", ") };
    let small = |bits: gatekeeper::tcf::IdBits| list(bits.iter().map(|i| i.to_string()).collect());
    let vendors = |set: &gatekeeper::tcf::VendorSet| {
        let ranges: Vec<String> =
            set.ranges().into_iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
        format!("{} ({})", set.len(), list(ranges))
    };
    let mut t = format!(
        "TC string v{}, TCF policy version {}, CMP {} version {}, vendor list {}\n\
         created {}, last updated {}, fresh until {}\n\
         consent language {}, publisher country {}, service-specific {}, purpose one treatment {}\n\
         purpose consents: {}\n\
         purpose legitimate interests: {}\n\
         special feature opt-ins: {}\n\
         vendor consents: {}\n\
         vendor legitimate interests: {}",
        TcString::VERSION,
        tc.tcf_policy_version,
        tc.cmp_id,
        tc.cmp_version,
        tc.vendor_list_version,
        format_rfc3339(tc.created_ms()),
        format_rfc3339(tc.last_updated_ms()),
        format_rfc3339(tc.fresh_until_ms()),
        tc.consent_language.as_str(),
        tc.publisher_cc.as_str(),
        tc.is_service_specific,
        tc.purpose_one_treatment,
        small(tc.purpose_consents),
        small(tc.purpose_legitimate_interests),
        small(tc.special_feature_opt_ins),
        vendors(&tc.vendor_consents),
        vendors(&tc.vendor_legitimate_interests),
    );
    for r in tc.publisher_restrictions.iter() {
        t.push_str(&format!(
            "\npublisher restriction: purpose {} {} for vendors {}",
            r.purpose,
            r.restriction_type.as_str(),
            vendors(&r.vendors)
        ));
    }
    if let Some(d) = &tc.disclosed_vendors {
        t.push_str(&format!("\ndisclosed vendors: {}", vendors(d)));
    }
    if let Some(a) = &tc.allowed_vendors {
        t.push_str(&format!("\nallowed vendors: {}", vendors(a)));
    }
    if let Some(p) = &tc.publisher_tc {
        t.push_str(&format!(
            "\npublisher TC: purpose consents {}; legitimate interests {}; {} custom purpose(s)",
            small(p.purpose_consents),
            small(p.purpose_legitimate_interests),
            p.num_custom_purposes
        ));
    }
    t
}

/// `tcf import`.
fn import(store: &mut Store, tc: &str, ac: Option<&str>, source: &str) -> Result<Output, Failure> {
    let done = store.import_tcf(tc, ac, source)?;
    let mut out = Output::changes("tcf_import", &done.changes);
    let plan = &done.plan;
    let events: Vec<&str> = if done.recorded {
        [("granted", &plan.granted_purposes, &plan.granted_sdks), ("denied", &plan.denied_purposes, &plan.denied_sdks)]
            .into_iter()
            .filter(|(_, p, s)| !p.is_empty() || !s.is_empty())
            .map(|(kind, _, _)| kind)
            .collect()
    } else {
        Vec::new()
    };
    if let Some(doc) = out.json.as_object_mut() {
        doc.insert("events".into(), json!(events));
        doc.insert("granted".into(), json!({"purposes": plan.granted_purposes, "sdks": plan.granted_sdks}));
        doc.insert("denied".into(), json!({"purposes": plan.denied_purposes, "sdks": plan.denied_sdks}));
        doc.insert("already_imported".into(), json!(!done.recorded && !plan.is_empty()));
    }
    out.text = import_text(plan, done.recorded, &out.text);
    Ok(out)
}

/// The first line says what was recorded; the change lines of [`Output::changes`] follow.
fn import_text(plan: &ImportPlan, recorded: bool, changes_text: &str) -> String {
    let items = |purposes: &[String], sdks: &[String]| {
        let mut parts = Vec::new();
        if !purposes.is_empty() {
            parts.push(format!("purposes {}", purposes.join(", ")));
        }
        if !sdks.is_empty() {
            parts.push(format!("sdks {}", sdks.join(", ")));
        }
        parts.join("; ")
    };
    let first = if plan.is_empty() {
        "nothing recorded: the manifest maps no purpose or SDK to TCF purposes, vendors or AC providers".to_owned()
    } else if !recorded {
        "nothing recorded: these strings were the last ones imported".to_owned()
    } else {
        let mut kinds = Vec::new();
        let granted = items(&plan.granted_purposes, &plan.granted_sdks);
        if !granted.is_empty() {
            kinds.push(format!("granted ({granted})"));
        }
        let denied = items(&plan.denied_purposes, &plan.denied_sdks);
        if !denied.is_empty() {
            kinds.push(format!("denied ({denied})"));
        }
        format!("recorded: {}", kinds.join(", "))
    };
    // `changes_text` starts with Output::changes' own "recorded: …" line.
    let rest: Vec<&str> = changes_text.lines().skip(1).collect();
    std::iter::once(first.as_str()).chain(rest).collect::<Vec<_>>().join("\n")
}
