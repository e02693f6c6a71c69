//! The input: what the policy manifest declares, as plain structs the CLI fills from the
//! parsed manifest. This crate does not parse the manifest itself (the core does, and the
//! core must not depend on this developer-only crate), so the CLI copies the few fields
//! build lint needs.
//!
//! Keep every list in manifest order: the manifest-side warnings (`unused_permission`,
//! `sdk_not_found`) point at `/permissions/<index>/…` and `/sdks/<index>/…` using the
//! position in these vectors.

/// What the manifest declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// Every purpose, in manifest order.
    pub purposes: Vec<DeclaredPurpose>,
    /// Every permission, in manifest order.
    pub permissions: Vec<DeclaredPermission>,
    /// Every SDK, in manifest order.
    pub sdks: Vec<DeclaredSdk>,
}

/// A manifest purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredPurpose {
    pub id: String,
    /// `basis` is `consent`. Only such a purpose covers tracking: Apple's App Tracking
    /// Transparency and the GDPR/PIPL both need the user's consent for it.
    pub consent_based: bool,
    /// The purpose's `data` (contract §10.1), compared with privacy manifests' collected
    /// data types through [`crate::data_vocabulary`].
    pub data: Vec<String>,
}

/// A manifest permission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredPermission {
    pub id: String,
    /// Android permission names, such as `android.permission.CAMERA` (compared exactly).
    pub android: Vec<String>,
    /// Info.plist keys, such as `NSCameraUsageDescription` (compared exactly).
    pub ios: Vec<String>,
}

/// A manifest SDK.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredSdk {
    pub id: String,
    pub name: String,
    /// Ids of its purposes. The SDK is consent-based when any of them is: it cannot start
    /// before that purpose's consent (contract §4 rule 4 needs every purpose met).
    pub purposes: Vec<String>,
    /// The SDK's own `data`; its purposes' `data` counts too.
    pub data: Vec<String>,
    /// Android package prefixes (`com.facebook`): a class under one belongs to this SDK.
    pub packages: Vec<String>,
    /// iOS module names (`FBSDKCoreKit`): a `NAME.framework` or `NAME.bundle` privacy
    /// manifest belongs to this SDK.
    pub ios_modules: Vec<String>,
    /// Hosts it contacts (`graph.facebook.com`, or `facebook.com` for every subdomain).
    pub domains: Vec<String>,
}

impl Declared {
    pub fn purpose(&self, id: &str) -> Option<&DeclaredPurpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// Whether any of the SDK's purposes is consent-based. An unknown purpose id counts as
    /// not consent-based (fail closed: tracking under it is reported).
    pub fn sdk_consent_based(&self, sdk: &DeclaredSdk) -> bool {
        sdk.purposes.iter().any(|id| self.purpose(id).is_some_and(|p| p.consent_based))
    }

    /// Whether the app has a consent-based purpose, which is what covers tracking by the
    /// app's own code (a privacy manifest outside any framework or bundle).
    pub fn app_consent_based(&self) -> bool {
        self.purposes.iter().any(|p| p.consent_based)
    }

    /// The data an SDK is declared to collect: its own `data` and its purposes' `data`.
    pub fn sdk_data<'a>(&'a self, sdk: &'a DeclaredSdk) -> impl Iterator<Item = &'a str> + Clone {
        let own = sdk.data.iter().map(String::as_str);
        let purposes =
            sdk.purposes.iter().filter_map(|id| self.purpose(id)).flat_map(|p| p.data.iter().map(String::as_str));
        own.chain(purposes)
    }

    /// The data the app itself is declared to collect: every purpose's `data`.
    pub fn app_data(&self) -> impl Iterator<Item = &str> + Clone {
        self.purposes.iter().flat_map(|p| p.data.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> Declared {
        Declared {
            purposes: vec![
                DeclaredPurpose { id: "essential".into(), consent_based: false, data: vec!["crash_log".into()] },
                DeclaredPurpose { id: "ads".into(), consent_based: true, data: vec!["advertising_id".into()] },
            ],
            permissions: vec![],
            sdks: vec![
                DeclaredSdk {
                    id: "fb".into(),
                    purposes: vec!["ads".into()],
                    data: vec!["device_id".into()],
                    ..Default::default()
                },
                DeclaredSdk { id: "x".into(), purposes: vec!["nope".into()], ..Default::default() },
            ],
        }
    }

    #[test]
    fn consent_basis_comes_from_the_purposes() {
        let d = declared();
        assert!(d.sdk_consent_based(&d.sdks[0]));
        assert!(!d.sdk_consent_based(&d.sdks[1]), "an unknown purpose is not consent");
        assert!(d.app_consent_based());
    }

    #[test]
    fn sdk_data_includes_its_purposes_data() {
        let d = declared();
        assert_eq!(d.sdk_data(&d.sdks[0]).collect::<Vec<_>>(), ["device_id", "advertising_id"]);
        assert_eq!(d.app_data().collect::<Vec<_>>(), ["crash_log", "advertising_id"]);
    }
}
