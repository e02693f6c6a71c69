//! What a CMP's TC string (and Additional Consent string) means for the app's manifest:
//! the refusals of contract section 11, and which purposes and SDKs an import grants and
//! denies ([`ImportPlan`]). The store records the plan ([`Store::import_tcf`]); this file
//! holds the rules, apart from any storage.
//!
//! **Refusals**, in this order, each recording nothing: a TC or AC string that does not
//! decode (`tcf_invalid`), a TC string last updated more than 13 calendar months before now
//! (`tcf_stale`, see `staleness.rs`), and one whose `TcfPolicyVersion` is below 4, TCF v2.2
//! (`tcf_policy_outdated`).
//!
//! **Purposes.** A purpose that maps TCF purposes (`tcf_purposes`) or special features
//! (`tcf_special_features`) is granted when every one of them is met, else denied:
//! - a TCF purpose is met by its consent bit; for a purpose whose basis is
//!   `legitimate_interest`, also by its legitimate-interest bit (the user saw it and did
//!   not object), except purpose 1, which the TCF allows on consent only;
//! - under `PurposeOneTreatment` purpose 1 was never put to the user, so it is not met
//!   (whatever its bit says): nothing was consented to;
//! - a special feature is met by its opt-in bit.
//!
//! **SDKs.** An SDK with a `gvl_id` is granted when that vendor may act for every TCF
//! purpose its manifest purposes map, else denied; with no mapped purpose, when it has the
//! vendor's consent. For each such purpose, the publisher's restriction on the vendor
//! decides: `not_allowed` (or the reserved type 3) never, `require_consent` on the
//! vendor's consent, `require_legitimate_interest` on its legitimate interest; with no
//! restriction, on its consent, or on its legitimate interest when every manifest purpose
//! of the SDK mapping that TCF purpose has basis `legitimate_interest`. An SDK with an
//! `ac_id` is granted only when the AC string lists that provider as consented: a provider
//! merely disclosed, one not listed, and every provider when the import has no AC string,
//! are denied (a CMP that writes no AC string asked nobody about them). An SDK with both
//! needs both.
//!
//! A grant from a TC string is not `separate` (the CMP's dialog is not a prompt dedicated
//! to one item) and not `by_guardian`, so sensitive purposes, PIPL's separate SDK
//! consent and a child's consent still ask, as the rules of contract section 4 say.
//!
//! [`Store::import_tcf`]: crate::Store::import_tcf

use sha2::{Digest, Sha256};

use super::{AdditionalConsent, RestrictionType, TcString};
use crate::error::Error;
use crate::ledger::to_hex;
use crate::manifest::{Basis, Manifest, Purpose, Sdk};

/// The highest TCF purpose a manifest may map (TCF v2.2 defines purposes 1-11).
pub const MAX_TCF_PURPOSE: u8 = 11;

/// The highest TCF special feature a manifest may map (1 precise geolocation data, 2
/// actively scanning device characteristics for identification).
pub const MAX_TCF_SPECIAL_FEATURE: u8 = 2;

/// The purposes and SDKs one import grants and denies, each list in manifest order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Purposes whose every mapped TCF purpose and special feature is met.
    pub granted_purposes: Vec<String>,
    /// Purposes with a mapping that the string does not meet.
    pub denied_purposes: Vec<String>,
    /// SDKs whose vendor (`gvl_id`) and provider (`ac_id`) may act.
    pub granted_sdks: Vec<String>,
    /// SDKs with a `gvl_id` or `ac_id` that may not.
    pub denied_sdks: Vec<String>,
}

impl ImportPlan {
    /// What `tc` (and `ac`, if the CMP wrote one) grants and denies under `manifest`.
    pub fn of(manifest: &Manifest, tc: &TcString, ac: Option<&AdditionalConsent>) -> ImportPlan {
        let mut plan = ImportPlan::default();
        for p in manifest.purposes.iter().filter(|p| p.is_tcf_mapped()) {
            let list = if purpose_met(p, tc) { &mut plan.granted_purposes } else { &mut plan.denied_purposes };
            list.push(p.id.clone());
        }
        for s in manifest.sdks.iter().filter(|s| s.gvl_id.is_some() || s.ac_id.is_some()) {
            let vendor_ok = s.gvl_id.is_none_or(|v| vendor_may_act(manifest, s, v, tc));
            let provider_ok = s.ac_id.is_none_or(|id| ac.is_some_and(|ac| ac.provider_consent(id)));
            let list = if vendor_ok && provider_ok { &mut plan.granted_sdks } else { &mut plan.denied_sdks };
            list.push(s.id.clone());
        }
        plan
    }

    /// Whether the manifest maps nothing the string could decide.
    pub fn is_empty(&self) -> bool {
        self.granted_purposes.is_empty()
            && self.denied_purposes.is_empty()
            && self.granted_sdks.is_empty()
            && self.denied_sdks.is_empty()
    }
}

/// Whether every TCF purpose and special feature `p` maps is met by `tc`.
fn purpose_met(p: &Purpose, tc: &TcString) -> bool {
    let li_allowed = p.basis == Basis::LegitimateInterest;
    let purposes = p.tcf_purposes.iter().all(|&id| {
        if id == 1 {
            // Purpose 1 is consent only, and under purpose-one treatment it was not asked.
            !tc.purpose_one_treatment && tc.purpose_consent(1)
        } else {
            tc.purpose_consent(id) || (li_allowed && tc.purpose_legitimate_interest(id))
        }
    });
    purposes && p.tcf_special_features.iter().all(|&f| tc.special_feature_opt_in(f))
}

/// Whether vendor `vendor` may act for every TCF purpose the SDK's purposes map.
fn vendor_may_act(manifest: &Manifest, sdk: &Sdk, vendor: u16, tc: &TcString) -> bool {
    let purposes: Vec<&Purpose> = sdk.purposes.iter().filter_map(|id| manifest.purpose(id)).collect();
    let mut mapped: Vec<u8> = purposes.iter().flat_map(|p| p.tcf_purposes.iter().copied()).collect();
    crate::sort::sort_by_key(&mut mapped, |&p| p);
    mapped.dedup();
    let consent = tc.vendor_consent(vendor);
    if mapped.is_empty() {
        return consent;
    }
    let li = tc.vendor_legitimate_interest(vendor);
    mapped.into_iter().all(|tcf_purpose| match tc.restriction(tcf_purpose, vendor) {
        Some(RestrictionType::NotAllowed | RestrictionType::Undefined) => false,
        Some(RestrictionType::RequireConsent) => consent,
        Some(RestrictionType::RequireLegitimateInterest) => li,
        None => {
            let on_li = purposes
                .iter()
                .filter(|p| p.tcf_purposes.contains(&tcf_purpose))
                .all(|p| p.basis == Basis::LegitimateInterest);
            consent || (li && on_li && tcf_purpose != 1)
        }
    })
}

/// Decodes the CMP's strings for an import and applies the refusals of contract section
/// 11 at `now_ms`, in order: undecodable (`tcf_invalid`), stale (`tcf_stale`), a policy
/// version before TCF v2.2 (`tcf_policy_outdated`).
///
/// # Errors
/// [`Error::TcfInvalid`], [`Error::TcfStale`], [`Error::TcfPolicyOutdated`]; none of their
/// messages quotes the strings.
pub fn read_for_import(
    tc: &str,
    ac: Option<&str>,
    now_ms: i64,
) -> Result<(TcString, Option<AdditionalConsent>), Error> {
    let decoded = TcString::decode(tc).map_err(|e| Error::TcfInvalid { what: "TC", message: e.to_string() })?;
    let ac = ac
        .map(|text| {
            AdditionalConsent::decode(text).map_err(|e| Error::TcfInvalid { what: "AC", message: e.to_string() })
        })
        .transpose()?;
    if decoded.is_stale(now_ms) {
        return Err(Error::TcfStale);
    }
    if !decoded.meets_tcf_v2_2() {
        return Err(Error::TcfPolicyOutdated { version: decoded.tcf_policy_version });
    }
    Ok((decoded, ac))
}

/// What identifies one import: the strings as the CMP wrote them and what they meant for
/// the manifest. The store records it with the import, and an import with the same
/// fingerprint as the last one records nothing (an app reads the CMP's keys at every
/// launch; an unchanged string is no new choice, and must not undo a choice the user made
/// in the app since).
pub fn fingerprint(tc: &str, ac: Option<&str>, plan: &ImportPlan) -> String {
    let mut h = Sha256::new();
    h.update(b"gatekeeper tcf import v1\0");
    for part in [Some(tc), ac] {
        match part {
            Some(text) => {
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    for list in [&plan.granted_purposes, &plan.denied_purposes, &plan.granted_sdks, &plan.denied_sdks] {
        h.update((list.len() as u64).to_be_bytes());
        for id in list {
            h.update((id.len() as u64).to_be_bytes());
            h.update(id.as_bytes());
        }
    }
    to_hex(&h.finalize())
}
