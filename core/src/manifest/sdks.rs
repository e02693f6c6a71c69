//! The `sdks` section: the third-party SDKs the app ships, who makes them and where, on
//! whose account they process data (`entrusted` on the app's behalf, or `independent`),
//! the purposes they serve, the data they collect and the permissions they use. Under
//! PIPL an independent or cross-border SDK needs a separate grant of its own. For the EEA
//! (contract section 11), an SDK may name the IAB vendor (`gvl_id`) or the Google
//! Additional Consent provider (`ac_id`) whose choice in the CMP's strings decides it.

use serde::Serialize;

use super::checker::Checker;
use super::cross_refs::Kind;
use super::json::Json;
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
        })
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
}
