//! The `sdks` section: the third-party SDKs the app ships, who makes them and where, on
//! whose account they process data (`entrusted` on the app's behalf, or `independent`),
//! the purposes they serve, the data they collect and the permissions they use. Under
//! PIPL an independent or cross-border SDK needs a separate grant of its own. For the EEA
//! (contract section 11), an SDK may name the IAB vendor (`gvl_id`) or the Google
//! Additional Consent provider (`ac_id`) whose choice in the CMP's strings decides it.
//! For the disclosure lists and build lint (contract §10), an SDK says how it is used
//! (`usage`), where its privacy policy is (`privacy_policy`), and how it shows in a build:
//! its Android package prefixes (`packages`), its iOS module names (`ios_modules`) and the
//! hosts it contacts (`domains`).

use serde::Serialize;

use super::checker::{quote, Checker};
use super::cross_refs::Kind;
use super::json::Json;
use super::localized::LocalizedText;
use super::location::Loc;

/// On whose account an SDK processes data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Processes on the app's behalf (default).
    Entrusted,
    /// A third party acting on its own account.
    Independent,
}

/// One third-party SDK.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sdk {
    /// The SDK's id (`^[a-z][a-z0-9_]*$`).
    pub id: String,
    /// Its product name.
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// ISO 3166-1 alpha-2, upper case. None when the manifest does not say.
    pub vendor_country: Option<String>,
    /// Default Entrusted.
    pub role: Role,
    /// Declared purpose ids, non-empty.
    pub purposes: Vec<String>,
    /// Free-form data categories (e.g. "device_id"). Default empty.
    pub data: Vec<String>,
    /// Declared permission ids. Default empty.
    pub permissions: Vec<String>,
    /// Default ["android", "ios"].
    pub platforms: Vec<String>,
    /// The SDK's vendor on the IAB Global Vendor List (Google is 755), whose consent in a
    /// TC string grants or denies the SDK (`tcf import`). None by default.
    pub gvl_id: Option<u16>,
    /// The SDK's provider on Google's Additional Consent (ATP) list, for vendors not on the
    /// GVL (Meta is 89), whose consent in an AC string grants or denies it. None by default.
    pub ac_id: Option<u32>,
    /// How and when the app uses it, for the disclosure lists. None by default.
    pub usage: Option<LocalizedText>,
    /// Its vendor's privacy policy (an `http(s)://` URL). None by default.
    pub privacy_policy: Option<String>,
    /// Android package prefixes of its classes (`com.facebook`). Default empty.
    pub packages: Vec<String>,
    /// iOS module names (`FBSDKCoreKit`), as its frameworks and bundles are named. Default empty.
    pub ios_modules: Vec<String>,
    /// Hosts it contacts (`graph.facebook.com`; `facebook.com` covers its subdomains). Default empty.
    pub domains: Vec<String>,
}

/// The fields of an SDK.
const SDK_FIELDS: &[&str] = &[
    "id",
    "name",
    "vendor",
    "vendor_country",
    "role",
    "purposes",
    "data",
    "permissions",
    "platforms",
    "gvl_id",
    "ac_id",
    "usage",
    "privacy_policy",
    "packages",
    "ios_modules",
    "domains",
];

/// The values of `role`.
const ROLES: &[(&str, Role)] = &[("entrusted", Role::Entrusted), ("independent", Role::Independent)];

/// Platforms an SDK runs on when the manifest does not say.
const DEFAULT_PLATFORMS: [&str; 2] = ["android", "ios"];

impl Checker {
    /// A platform the SDK runs on: one of [`DEFAULT_PLATFORMS`], the ones Gatekeeper runs on.
    fn platform(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let name = self.string(value, loc)?;
        if DEFAULT_PLATFORMS.contains(&name) {
            return Some(name.to_owned());
        }
        self.report(loc, format!("{} is not one of: {}", super::checker::quote(name), DEFAULT_PLATFORMS.join(", ")));
        None
    }

    pub(super) fn sdk(&mut self, value: &Json, loc: &Loc) -> Option<Sdk> {
        let obj = self.object(value, loc, SDK_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Sdk);
        let name = self.field(&obj, "name", Self::text);
        let vendor = self.field(&obj, "vendor", Self::text);
        let vendor_country = self.optional(&obj, "vendor_country", Self::country);
        let role = self.optional(&obj, "role", |c, v, at| c.choice(v, at, ROLES));
        let purposes = self.served_purposes(&obj, "an SDK");
        let data = self.optional(&obj, "data", Self::texts);
        let permissions = self.optional(&obj, "permissions", |c, v, at| c.references(v, at, Kind::Permission));
        let platforms = self.optional(&obj, "platforms", |c, v, at| c.distinct_list(v, at, Self::platform));
        // GVL ids are 16 bits in a TC string; AC ids any positive number.
        let gvl_id = self.optional(&obj, "gvl_id", |c, v, at| c.number_in(v, at, 1, u16::MAX.into()));
        let ac_id = self.optional(&obj, "ac_id", |c, v, at| c.number_in(v, at, 1, u32::MAX));
        let usage = self.optional(&obj, "usage", Self::localized);
        let privacy_policy = self.optional(&obj, "privacy_policy", Self::web_url);
        let packages = self.optional(&obj, "packages", |c, v, at| c.distinct_list(v, at, Self::package_prefix));
        let ios_modules = self.optional(&obj, "ios_modules", |c, v, at| c.distinct_list(v, at, Self::module_name));
        let domains = self.optional(&obj, "domains", |c, v, at| c.distinct_list(v, at, Self::host));
        Some(Sdk {
            id: id?,
            name: name?,
            vendor: vendor?,
            vendor_country,
            role: role.unwrap_or(Role::Entrusted),
            purposes: purposes?,
            data: data.unwrap_or_default(),
            permissions: permissions.unwrap_or_default(),
            platforms: platforms.unwrap_or_else(|| Vec::from(DEFAULT_PLATFORMS.map(String::from))),
            gvl_id: gvl_id.and_then(|id| u16::try_from(id).ok()),
            ac_id,
            usage,
            privacy_policy,
            packages: packages.unwrap_or_default(),
            ios_modules: ios_modules.unwrap_or_default(),
            domains: domains.unwrap_or_default(),
        })
    }

    /// An absolute `https://` or `http://` URL with a host and no spaces.
    fn web_url(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let url = self.text(value, loc)?;
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
        let ok = host.is_some_and(|h| !h.is_empty()) && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            self.report(loc, format!("{} is not an http:// or https:// URL", quote(&url)));
            return None;
        }
        Some(url)
    }

    /// A Java package prefix: dot-separated identifiers (`com.facebook`, `com.amap.api`).
    fn package_prefix(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let name = self.text(value, loc)?;
        let identifier = |part: &str| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if !name.split('.').all(identifier) {
            self.report(loc, format!("{} is not a Java package name (such as `com.facebook`)", quote(&name)));
            return None;
        }
        Some(name)
    }

    /// An iOS module name (`FBSDKCoreKit`, `AMapFoundationKit`): letters, digits, `_` or `-`,
    /// not starting with a digit.
    fn module_name(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let name = self.text(value, loc)?;
        let mut chars = name.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !ok {
            self.report(loc, format!("{} is not an iOS module name (such as `FBSDKCoreKit`)", quote(&name)));
            return None;
        }
        Some(name)
    }

    /// A host name in lower case (`graph.facebook.com`), without scheme, port or path.
    fn host(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let host = self.text(value, loc)?;
        let label = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if host.len() > 253 || !host.contains('.') || !host.split('.').all(label) {
            self.report(
                loc,
                format!("{} is not a host name in lower case (such as `graph.facebook.com`)", quote(&host)),
            );
            return None;
        }
        Some(host)
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;

    #[test]
    fn vendor_ids_are_optional_and_positive() {
        let mut manifest = minimal();
        manifest["sdks"][0]["gvl_id"] = json!(755);
        manifest["sdks"][0]["ac_id"] = json!(89);
        let sdk = &parse(&manifest.to_string()).expect("valid").sdks[0];
        assert_eq!((sdk.gvl_id, sdk.ac_id), (Some(755), Some(89)));
        let plain = &parse(&minimal().to_string()).expect("valid").sdks[0];
        assert_eq!((plain.gvl_id, plain.ac_id), (None, None));

        let found = issues_after(|m| {
            m["sdks"][0]["gvl_id"] = json!(0);
            m["sdks"][0]["ac_id"] = json!(-89);
        });
        assert_eq!(
            found,
            [
                issue("/sdks/0/gvl_id", "expected an integer from 1 to 65535, found 0"),
                issue("/sdks/0/ac_id", "expected an integer from 1 to 4294967295, found -89"),
            ]
        );
        let found = only_issue(|m| m["sdks"][0]["gvl_id"] = json!(65536));
        assert_eq!(found, issue("/sdks/0/gvl_id", "expected an integer from 1 to 65535, found 65536"));
        let found = only_issue(|m| m["sdks"][0]["ac_id"] = json!("89"));
        assert_eq!(found, issue("/sdks/0/ac_id", "expected an integer from 1 to 4294967295, found a string"));
    }

    #[test]
    fn disclosure_fields_are_optional_and_read() {
        let plain = &parse(&minimal().to_string()).expect("valid").sdks[0];
        assert_eq!((&plain.usage, &plain.privacy_policy), (&None, &None));
        assert!(plain.packages.is_empty() && plain.ios_modules.is_empty() && plain.domains.is_empty());
        let mut manifest = minimal();
        manifest["sdks"][0]["usage"] = json!({"en": "Crash reports", "zh-CN": "崩溃日志"});
        manifest["sdks"][0]["privacy_policy"] = json!("https://firebase.google.com/support/privacy");
        manifest["sdks"][0]["packages"] = json!(["com.google.firebase.crashlytics"]);
        manifest["sdks"][0]["ios_modules"] = json!(["FirebaseCrashlytics"]);
        manifest["sdks"][0]["domains"] = json!(["crashlytics.com", "firebase-settings.crashlytics.com"]);
        let sdk = &parse(&manifest.to_string()).expect("valid").sdks[0];
        assert_eq!(sdk.usage.as_ref().map(|u| u.get(Some("zh-CN"))), Some("崩溃日志"));
        assert_eq!(sdk.privacy_policy.as_deref(), Some("https://firebase.google.com/support/privacy"));
        assert_eq!(sdk.packages, ["com.google.firebase.crashlytics"]);
        assert_eq!(sdk.ios_modules, ["FirebaseCrashlytics"]);
        assert_eq!(sdk.domains, ["crashlytics.com", "firebase-settings.crashlytics.com"]);
    }

    #[test]
    fn disclosure_fields_report_every_mistake_at_its_path() {
        let found = issues_after(|m| {
            m["sdks"][0]["usage"] = json!("");
            m["sdks"][0]["privacy_policy"] = json!("policies.google.com/privacy");
            m["sdks"][0]["packages"] = json!(["com.google", "com..x", "com.google", "1com", 5]);
            m["sdks"][0]["ios_modules"] = json!(["FBSDKCoreKit", "FBSDK Core", "9Kit"]);
            m["sdks"][0]["domains"] = json!(["Graph.facebook.com", "https://x.com", "localhost", "a.b"]);
            m["purposes"][0]["data"] = json!(["crash_log", ""]);
        });
        assert_eq!(
            found,
            [
                issue("/purposes/0/data/1", "expected a non-empty string, found an empty string"),
                issue("/sdks/0/usage", "expected a non-empty string, found an empty string"),
                issue("/sdks/0/privacy_policy", "`policies.google.com/privacy` is not an http:// or https:// URL"),
                issue("/sdks/0/packages/1", "`com..x` is not a Java package name (such as `com.facebook`)"),
                issue("/sdks/0/packages/2", "`com.google` is listed more than once"),
                issue("/sdks/0/packages/3", "`1com` is not a Java package name (such as `com.facebook`)"),
                issue("/sdks/0/packages/4", "expected a string, found a number"),
                issue("/sdks/0/ios_modules/1", "`FBSDK Core` is not an iOS module name (such as `FBSDKCoreKit`)"),
                issue("/sdks/0/ios_modules/2", "`9Kit` is not an iOS module name (such as `FBSDKCoreKit`)"),
                issue(
                    "/sdks/0/domains/0",
                    "`Graph.facebook.com` is not a host name in lower case (such as `graph.facebook.com`)"
                ),
                issue(
                    "/sdks/0/domains/1",
                    "`https://x.com` is not a host name in lower case (such as `graph.facebook.com`)"
                ),
                issue(
                    "/sdks/0/domains/2",
                    "`localhost` is not a host name in lower case (such as `graph.facebook.com`)"
                ),
            ]
        );
    }
}
