//! The policy manifest as an app needs it for its screens ([`ManifestInfo`]: its
//! purposes, permissions and SDKs), and validating one (`lint`).

use crate::manifest::{self, Basis, Manifest, ManifestIssue, Role};

/// The result of validating a manifest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintReport {
    pub ok: bool,
    pub errors: Vec<LintIssue>,
}

/// One manifest problem, with its JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintIssue {
    pub path: String,
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
    pub id: String,
    pub title: String,
    pub basis: Basis,
    pub sensitive: bool,
}

/// An OS permission of the policy, with its platform names.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionInfo {
    pub id: String,
    pub title: String,
    pub android: Vec<String>,
    pub ios: Vec<String>,
    pub purposes: Vec<String>,
    pub user_initiated: bool,
    pub allow_at_launch: bool,
}

/// A third-party SDK of the policy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SdkInfo {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub vendor_country: Option<String>,
    pub role: Role,
    pub purposes: Vec<String>,
    pub data: Vec<String>,
    pub permissions: Vec<String>,
    pub platforms: Vec<String>,
}

/// The policy manifest, as an app needs it for its screens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ManifestInfo {
    pub policy_id: String,
    pub version: String,
    pub effective: String,
    pub controller: String,
    pub contact: Option<String>,
    pub url: Option<String>,
    pub purposes: Vec<PurposeInfo>,
    pub permissions: Vec<PermissionInfo>,
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
                    title: p.title.clone(),
                    basis: p.basis,
                    sensitive: p.sensitive,
                })
                .collect(),
            permissions: m
                .permissions
                .iter()
                .map(|p| PermissionInfo {
                    id: p.id.clone(),
                    title: p.title.clone(),
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
