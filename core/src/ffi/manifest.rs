//! The policy manifest as an app needs it for its screens ([`ManifestInfo`]: its
//! purposes, permissions and SDKs), and validating one (`lint`).

use crate::manifest::{self, Basis, Manifest, ManifestIssue, Role};

/// The result of validating a manifest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintReport {
    /// The manifest is valid.
    pub ok: bool,
    /// Every problem, in document order.
    pub errors: Vec<LintIssue>,
}

/// One manifest problem, with its JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintIssue {
    /// Its JSON pointer (`""` for the whole document).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl From<ManifestIssue> for LintIssue {
    fn from(i: ManifestIssue) -> Self {
        LintIssue { path: i.path, message: i.message }
    }
}

/// A purpose of the policy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PurposeInfo {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// What the user is shown.
    pub title: String,
    /// The legal basis the subject was asked under.
    pub basis: Basis,
    /// Concerns sensitive personal information.
    pub sensitive: bool,
}

/// An OS permission of the policy, with its platform names.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionInfo {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// What the user is shown.
    pub title: String,
    /// Android manifest permission names.
    pub android: Vec<String>,
    /// iOS Info.plist usage-description keys.
    pub ios: Vec<String>,
    /// The purposes it serves.
    pub purposes: Vec<String>,
    /// Asked only after a user action.
    pub user_initiated: bool,
    /// May be asked at app launch.
    pub allow_at_launch: bool,
}

/// A third-party SDK of the policy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SdkInfo {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// Its product name.
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// The vendor's country, if the manifest says.
    pub vendor_country: Option<String>,
    /// On whose account it processes data.
    pub role: Role,
    /// The purposes it serves.
    pub purposes: Vec<String>,
    /// The data it collects.
    pub data: Vec<String>,
    /// The permissions it uses.
    pub permissions: Vec<String>,
    /// The platforms it runs on.
    pub platforms: Vec<String>,
}

/// The policy manifest, as an app needs it for its screens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ManifestInfo {
    /// The policy's id.
    pub policy_id: String,
    /// The policy version.
    pub version: String,
    /// When it took effect (YYYY-MM-DD).
    pub effective: String,
    /// The controller's name.
    pub controller: String,
    /// The controller's contact.
    pub contact: Option<String>,
    /// Where the policy is published.
    pub url: Option<String>,
    /// Its purposes, in manifest order.
    pub purposes: Vec<PurposeInfo>,
    /// Its permissions.
    pub permissions: Vec<PermissionInfo>,
    /// Its SDKs.
    pub sdks: Vec<SdkInfo>,
}

impl From<&Manifest> for ManifestInfo {
    fn from(m: &Manifest) -> Self {
        ManifestInfo {
            policy_id: m.policy.id.clone(),
            version: m.policy.version.clone(),
            effective: m.policy.effective.clone(),
            controller: m.policy.controller.name.clone(),
            contact: m.policy.controller.contact.clone(),
            url: m.policy.url.clone(),
            purposes: m
                .purposes
                .iter()
                .map(|p| PurposeInfo {
                    id: p.id.clone(),
                    title: p.title.text().to_owned(),
                    basis: p.basis,
                    sensitive: p.sensitive,
                })
                .collect(),
            permissions: m
                .permissions
                .iter()
                .map(|p| PermissionInfo {
                    id: p.id.clone(),
                    title: p.title.text().to_owned(),
                    android: p.android.clone(),
                    ios: p.ios.clone(),
                    purposes: p.purposes.clone(),
                    user_initiated: p.user_initiated,
                    allow_at_launch: p.allow_at_launch,
                })
                .collect(),
            sdks: m
                .sdks
                .iter()
                .map(|s| SdkInfo {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    vendor: s.vendor.clone(),
                    vendor_country: s.vendor_country.clone(),
                    role: s.role,
                    purposes: s.purposes.clone(),
                    data: s.data.clone(),
                    permissions: s.permissions.clone(),
                    platforms: s.platforms.clone(),
                })
                .collect(),
        }
    }
}

/// Validates a manifest, listing every problem (the CLI's `lint`).
#[uniffi::export]
pub fn lint_manifest(manifest_json: String) -> LintReport {
    match manifest::parse(&manifest_json) {
        Ok(_) => LintReport { ok: true, errors: Vec::new() },
        Err(issues) => LintReport { ok: false, errors: issues.into_iter().map(Into::into).collect() },
    }
}

/// The example manifest embedded in the library (the one the CLI demo uses).
#[uniffi::export]
pub fn example_manifest() -> String {
    manifest::EXAMPLE_MANIFEST.to_owned()
}
