//! Google Consent Mode v2 (contract section 11): the four signals Google's SDKs take
//! (`ad_storage`, `analytics_storage`, `ad_user_data`, `ad_personalization`), worked out
//! from the user's recorded consent so that Firebase and the Google Mobile Ads SDK are told
//! the same thing Gatekeeper enforces on every other SDK.
//!
//! A purpose lists the signals it stands for in its manifest field `consent_mode`. A signal
//! is `granted` only when at least one purpose declares it and **every** purpose that
//! declares it is met, a purpose being met when its own decision (`decide purpose ID`,
//! every rule of contract section 4) is `allow`. A signal no purpose declares is `denied`:
//! nothing the user agreed to covers it (fail closed).

use serde::Serialize;

use crate::decide::{Decision, Subject, Verdict};
use crate::manifest::Manifest;

/// One Consent Mode signal, as a purpose's `consent_mode` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSignal {
    /// Storage (cookies, device identifiers) for advertising.
    AdStorage,
    /// Storage for analytics, such as visit duration.
    AnalyticsStorage,
    /// Sending user data to Google for advertising.
    AdUserData,
    /// Personalised advertising (remarketing).
    AdPersonalization,
}

impl ConsentSignal {
    /// The four signals, in Google's order.
    pub const ALL: [ConsentSignal; 4] = [
        ConsentSignal::AdStorage,
        ConsentSignal::AnalyticsStorage,
        ConsentSignal::AdUserData,
        ConsentSignal::AdPersonalization,
    ];

    /// Google's name for the signal (`ad_storage`, ...), as the manifest spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentSignal::AdStorage => "ad_storage",
            ConsentSignal::AnalyticsStorage => "analytics_storage",
            ConsentSignal::AdUserData => "ad_user_data",
            ConsentSignal::AdPersonalization => "ad_personalization",
        }
    }

    /// The signal with Google's name `name`, if it is one.
    pub fn parse(name: &str) -> Option<ConsentSignal> {
        ConsentSignal::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The signal's place in [`ConsentSignal::ALL`].
    fn index(self) -> usize {
        match self {
            ConsentSignal::AdStorage => 0,
            ConsentSignal::AnalyticsStorage => 1,
            ConsentSignal::AdUserData => 2,
            ConsentSignal::AdPersonalization => 3,
        }
    }
}

impl std::fmt::Display for ConsentSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one signal says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// Every purpose that declares the signal is allowed.
    Granted,
    /// A purpose that declares it is not allowed, or no purpose declares it.
    Denied,
}

impl ConsentStatus {
    /// `granted` or `denied`, Google's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentStatus::Granted => "granted",
            ConsentStatus::Denied => "denied",
        }
    }
}

/// The four Consent Mode signals (`decide consent-mode`; `consentMode()` in Kotlin and
/// Swift), to pass to Firebase's `setConsent` and the Google Mobile Ads SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Record)]
pub struct ConsentMode {
    /// `ad_storage`.
    pub ad_storage: ConsentStatus,
    /// `analytics_storage`.
    pub analytics_storage: ConsentStatus,
    /// `ad_user_data`.
    pub ad_user_data: ConsentStatus,
    /// `ad_personalization`.
    pub ad_personalization: ConsentStatus,
}

impl ConsentMode {
    /// Every signal denied: what an app without a usable store is told.
    pub const DENIED: ConsentMode = ConsentMode {
        ad_storage: ConsentStatus::Denied,
        analytics_storage: ConsentStatus::Denied,
        ad_user_data: ConsentStatus::Denied,
        ad_personalization: ConsentStatus::Denied,
    };

    /// The signals for `manifest`, deciding each purpose that declares one with `decide`
    /// (once per purpose, in manifest order).
    pub fn from_decisions(manifest: &Manifest, mut decide: impl FnMut(&Subject) -> Decision) -> ConsentMode {
        // Per signal: declared by some purpose, and not yet contradicted.
        let mut declared = [false; 4];
        let mut met = [true; 4];
        for purpose in manifest.purposes.iter().filter(|p| !p.consent_mode.is_empty()) {
            let allowed = decide(&Subject::Purpose(purpose.id.clone())).verdict == Verdict::Allow;
            for signal in &purpose.consent_mode {
                let i = signal.index();
                declared[i] = true;
                met[i] &= allowed;
            }
        }
        let status = |s: ConsentSignal| {
            let i = s.index();
            if declared[i] && met[i] {
                ConsentStatus::Granted
            } else {
                ConsentStatus::Denied
            }
        };
        ConsentMode {
            ad_storage: status(ConsentSignal::AdStorage),
            analytics_storage: status(ConsentSignal::AnalyticsStorage),
            ad_user_data: status(ConsentSignal::AdUserData),
            ad_personalization: status(ConsentSignal::AdPersonalization),
        }
    }

    /// What `signal` says.
    pub fn get(&self, signal: ConsentSignal) -> ConsentStatus {
        match signal {
            ConsentSignal::AdStorage => self.ad_storage,
            ConsentSignal::AnalyticsStorage => self.analytics_storage,
            ConsentSignal::AdUserData => self.ad_user_data,
            ConsentSignal::AdPersonalization => self.ad_personalization,
        }
    }

    /// `{"ad_storage": "granted"|"denied", "analytics_storage": …, "ad_user_data": …,
    /// "ad_personalization": …}`, in that order (contract section 11).
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for s in ConsentSignal::ALL {
            map.insert(s.as_str().to_owned(), self.get(s).as_str().into());
        }
        serde_json::Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Reason;

    fn decision(subject: &Subject, verdict: Verdict) -> Decision {
        Decision {
            subject: subject.key(),
            verdict,
            reason: Reason::Consented,
            purposes: Vec::new(),
            sdks: Vec::new(),
            retry_after: None,
            valid_until: None,
            policy_version: "1.0".into(),
            jurisdiction: "EEA".into(),
            decided_at: 0,
        }
    }

    fn manifest(purposes: &str) -> Manifest {
        let text = format!(
            r#"{{"schema": 1,
             "policy": {{"id": "cm", "version": "1.0", "effective": "2025-01-01", "controller": {{"name": "C"}}}},
             "default_jurisdiction": "EEA",
             "jurisdictions": [{{"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": []}}],
             "purposes": [{purposes}], "permissions": [], "sdks": []}}"#
        );
        crate::manifest::parse(&text).unwrap()
    }

    #[test]
    fn a_signal_is_granted_only_when_every_purpose_declaring_it_is_allowed() {
        let m = manifest(
            r#"{"id": "ads", "title": "Ads", "basis": "consent", "consent_mode": ["ad_storage", "ad_user_data"]},
               {"id": "measure", "title": "Measure", "basis": "consent", "consent_mode": ["ad_storage", "analytics_storage"]},
               {"id": "plain", "title": "Plain", "basis": "consent"}"#,
        );
        let mut asked = Vec::new();
        let mode = ConsentMode::from_decisions(&m, |s| {
            asked.push(s.key());
            let verdict = if s.key() == "purpose:measure" { Verdict::Allow } else { Verdict::Deny };
            decision(s, verdict)
        });
        // Each declaring purpose decided once, the others not at all.
        assert_eq!(asked, ["purpose:ads", "purpose:measure"]);
        assert_eq!(mode.ad_storage, ConsentStatus::Denied, "ads is not allowed");
        assert_eq!(mode.analytics_storage, ConsentStatus::Granted);
        assert_eq!(mode.ad_user_data, ConsentStatus::Denied);
        // Declared by no purpose: denied, even with everything allowed.
        assert_eq!(mode.ad_personalization, ConsentStatus::Denied);
        let all = ConsentMode::from_decisions(&m, |s| decision(s, Verdict::Allow));
        assert_eq!(
            all.to_json(),
            serde_json::json!({"ad_storage": "granted", "analytics_storage": "granted",
                               "ad_user_data": "granted", "ad_personalization": "denied"})
        );
        // An ask is not an allow.
        assert_eq!(ConsentMode::from_decisions(&m, |s| decision(s, Verdict::Ask)), ConsentMode::DENIED);
    }

    #[test]
    fn json_keys_come_in_googles_order() {
        let keys: Vec<String> = ConsentMode::DENIED.to_json().as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"]);
    }
}
