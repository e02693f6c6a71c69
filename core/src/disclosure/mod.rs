//! The disclosure lists (contract §10.2): what Chinese regulators ask an app to publish —
//! the personal information it collects and why (个人信息收集清单), the device permissions
//! it asks for, and the third parties it shares information with (第三方信息共享清单) —
//! generated from the policy manifest alone, in one language.
//!
//! [`Disclosure`] is the typed document: its `Serialize` is `gatekeeper disclose --json`,
//! and it is also the record Kotlin and Swift get from `disclose(lang)`, so an app renders
//! the lists natively. `md.rs` and `html.rs` render it as Markdown and as one self-contained
//! HTML page, with the labels of `labels.rs` and the `data` terms' names of `data_names.rs`.
//!
//! `separate_consent_in` is worked out by rule 5's own test
//! ([`crate::decide::needs_own_grant`]), asked for every country a jurisdiction's users
//! can have, so the list and the decisions cannot disagree.

mod data_names;
mod html;
mod labels;
mod md;
mod page;

use serde::Serialize;

use crate::decide::needs_own_grant;
use crate::manifest::{Basis, Jurisdiction, LocalizedText, Manifest, Role, Sdk};

pub use data_names::{data_name, DATA_NAMES};
pub use html::to_html;
pub use labels::Labels;
pub use md::to_markdown;

/// The disclosure lists of one policy, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Disclosure {
    /// Which policy the lists are of.
    pub policy: DisclosurePolicy,
    /// The language asked for (a BCP 47 tag), None for the default (`en`, else the first
    /// language each text gives).
    pub lang: Option<String>,
    /// Every purpose, in manifest order: what is collected for it (个人信息收集清单).
    pub collection: Vec<CollectedPurpose>,
    /// Every permission, in manifest order.
    pub permissions: Vec<DisclosedPermission>,
    /// Every SDK, in manifest order: who information is shared with (第三方信息共享清单).
    pub sharing: Vec<SharedSdk>,
}

/// The policy the lists belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct DisclosurePolicy {
    /// `policy.id`.
    pub id: String,
    /// `policy.version`.
    pub version: String,
    /// When it took effect (YYYY-MM-DD).
    pub effective: String,
    /// The controller (个人信息处理者).
    pub controller: String,
    /// How to reach the controller, if the manifest says.
    pub contact: Option<String>,
    /// Where the policy is published, if the manifest says.
    pub url: Option<String>,
}

/// One purpose and what is collected for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CollectedPurpose {
    /// The purpose's id.
    pub purpose: String,
    /// Its title in the language asked for.
    pub title: String,
    /// Its legal basis.
    pub basis: Basis,
    /// It concerns sensitive personal information.
    pub sensitive: bool,
    /// The personal information collected for it (the manifest's `data`).
    pub data: Vec<String>,
    /// `data` as shown in the language asked for: a recommended vocabulary term by its
    /// name (`device_id`: "Device identifiers", "设备标识符"), anything else as written.
    pub data_names: Vec<String>,
    /// How it is used, in the language asked for, if the manifest says.
    pub usage: Option<String>,
    /// The permissions that serve it, by id.
    pub permissions: Vec<String>,
    /// The SDKs that serve it, by id.
    pub sdks: Vec<String>,
}

/// One OS permission the app may ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct DisclosedPermission {
    /// The permission's id.
    pub permission: String,
    /// Its title in the language asked for.
    pub title: String,
    /// When and why the app asks, in the language asked for, if the manifest says.
    pub usage: Option<String>,
    /// Android permission names.
    pub android: Vec<String>,
    /// iOS usage-description keys.
    pub ios: Vec<String>,
    /// The purposes it serves, by id.
    pub purposes: Vec<String>,
    /// Asked only after a user action.
    pub user_initiated: bool,
    /// May be asked at app launch.
    pub allow_at_launch: bool,
}

/// One third-party SDK and what it receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct SharedSdk {
    /// The SDK's id.
    pub sdk: String,
    /// Its product name.
    pub name: String,
    /// Who makes it (第三方名称).
    pub vendor: String,
    /// The vendor's country, if the manifest says.
    pub vendor_country: Option<String>,
    /// On whose account it processes the information.
    pub role: Role,
    /// The purposes it serves, by id.
    pub purposes: Vec<String>,
    /// How the app uses it (使用场景), in the language asked for, if the manifest says.
    pub usage: Option<String>,
    /// The personal information it collects (the SDK's `data`).
    pub data: Vec<String>,
    /// `data` as shown in the language asked for (see [`CollectedPurpose::data_names`]).
    pub data_names: Vec<String>,
    /// The platforms it runs on.
    pub platforms: Vec<String>,
    /// Its Android package prefixes (SDK包名).
    pub packages: Vec<String>,
    /// Its iOS module names.
    pub ios_modules: Vec<String>,
    /// Its vendor's privacy policy, if the manifest says.
    pub privacy_policy: Option<String>,
    /// The PIPL jurisdictions, in manifest order, where rule 5 asks at least one of their
    /// users for this SDK's own separate grant.
    pub separate_consent_in: Vec<String>,
}

/// The disclosure lists of `manifest` in `lang` (None: the default language).
pub fn disclose(manifest: &Manifest, lang: Option<&str>) -> Disclosure {
    let text = |t: &LocalizedText| t.get(lang).to_owned();
    let chinese = Labels::for_lang(lang).html_lang == "zh";
    let names = |data: &[String]| -> Vec<String> {
        data.iter().map(|d| data_name(d, chinese).map_or_else(|| d.clone(), str::to_owned)).collect()
    };
    let policy = &manifest.policy;
    Disclosure {
        policy: DisclosurePolicy {
            id: policy.id.clone(),
            version: policy.version.clone(),
            effective: policy.effective.clone(),
            controller: policy.controller.name.clone(),
            contact: policy.controller.contact.clone(),
            url: policy.url.clone(),
        },
        lang: lang.map(str::to_owned),
        collection: manifest
            .purposes
            .iter()
            .map(|p| CollectedPurpose {
                purpose: p.id.clone(),
                title: text(&p.title),
                basis: p.basis,
                sensitive: p.sensitive,
                data: p.data.clone(),
                data_names: names(&p.data),
                usage: p.usage.as_ref().map(text),
                permissions: manifest
                    .permissions
                    .iter()
                    .filter(|x| x.purposes.contains(&p.id))
                    .map(|x| x.id.clone())
                    .collect(),
                sdks: manifest.sdks.iter().filter(|s| s.purposes.contains(&p.id)).map(|s| s.id.clone()).collect(),
            })
            .collect(),
        permissions: manifest
            .permissions
            .iter()
            .map(|p| DisclosedPermission {
                permission: p.id.clone(),
                title: text(&p.title),
                usage: p.usage.as_ref().map(text),
                android: p.android.clone(),
                ios: p.ios.clone(),
                purposes: p.purposes.clone(),
                user_initiated: p.user_initiated,
                allow_at_launch: p.allow_at_launch,
            })
            .collect(),
        sharing: manifest
            .sdks
            .iter()
            .map(|s| SharedSdk {
                sdk: s.id.clone(),
                name: s.name.clone(),
                vendor: s.vendor.clone(),
                vendor_country: s.vendor_country.clone(),
                role: s.role,
                purposes: s.purposes.clone(),
                usage: s.usage.as_ref().map(text),
                data: s.data.clone(),
                data_names: names(&s.data),
                platforms: s.platforms.clone(),
                packages: s.packages.clone(),
                ios_modules: s.ios_modules.clone(),
                privacy_policy: s.privacy_policy.clone(),
                separate_consent_in: separate_consent_in(manifest, s),
            })
            .collect(),
    }
}

/// The jurisdictions where rule 5 asks some user for `sdk`'s own separate grant: a user
/// of a jurisdiction has one of its countries, and a user of the default jurisdiction
/// may also have a country no jurisdiction lists, or none at all (unknown).
fn separate_consent_in(manifest: &Manifest, sdk: &Sdk) -> Vec<String> {
    manifest
        .jurisdictions
        .iter()
        .filter(|j| user_countries(manifest, j).any(|country| needs_own_grant(sdk, j.law, country)))
        .map(|j| j.id.clone())
        .collect()
}

/// Countries a user of `j` can have (None: unknown, or unlisted, for the default).
fn user_countries<'m>(manifest: &'m Manifest, j: &'m Jurisdiction) -> impl Iterator<Item = Option<&'m str>> {
    let listed = j.countries.iter().map(|c| Some(c.as_str()));
    let default = (j.id == manifest.default_jurisdiction).then_some(None);
    listed.chain(default)
}

#[cfg(test)]
mod tests;
