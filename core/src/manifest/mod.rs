//! The policy manifest: the app's privacy policy in machine-readable form (contract §2).
//!
//! A manifest is validated in one pass that collects **every** problem, each with the
//! JSON-pointer path where it was found, so an app team fixes their manifest in one
//! round trip instead of one error at a time. Parsing walks a small tree built with
//! serde_json that keeps keys in document order (and notices repeated keys), rather
//! than `#[derive(Deserialize)]`, because serde stops at the first error and cannot
//! report unknown fields together with missing ones.
//!
//! Each section of the manifest is one file, holding its struct, its field list, its
//! defaults and its checks, so adding a field is a change in that file alone:
//!
//! | file | what |
//! | --- | --- |
//! | `mod.rs` | [`Manifest`], its lookups, [`parse`] and the top-level fields |
//! | `policy.rs` | `policy`: id, "MAJOR.MINOR" version, effective date, controller |
//! | `settings.rs` | `settings`: grant lifetime, re-ask and re-prompt windows, unknown ages, log retention |
//! | `jurisdictions.rs` | `jurisdictions` and `default_jurisdiction`: law, age of consent, countries |
//! | `purposes.rs` | `purposes`: legal basis, sensitivity, data collected, usage |
//! | `localized.rs` | a `title` or `usage`: one string, or one per language, and the fallback |
//! | `permissions.rs` | `permissions`: platform names, purposes, when a prompt is acceptable |
//! | `sdks.rs` | `sdks`: vendor, role, purposes, data, permissions, platforms, and what build lint and the disclosure lists need (usage, privacy policy, packages, iOS modules, domains) |
//! | `data_access.rs` | `data_access` (§9.2): sensitive reads, their purposes, minimum interval, foreground only |
//! | `cross_refs.rs` | the checks across sections: duplicate ids, undeclared references, a country twice |
//! | `fingerprint.rs` | [`Manifest::fingerprint`]: a SHA-256 of the content, which the store keeps per version |
//! | `diff.rs` | [`diff::diff`]: what changed between two versions, and the version bump it needs |
//! | `checker.rs` | the generic readers every section uses, and the wording of their messages |
//! | `json.rs`, `location.rs` | the JSON tree as written, and where a value is (its JSON pointer) |
//!
//! A new section (such as part two's `data_access`) is a file like `sdks.rs`, a field of
//! [`Manifest`] read in `Checker::manifest` below, and, when it declares ids that
//! others refer to, a `Kind` in `cross_refs.rs`.

mod checker;
mod cross_refs;
mod data_access;
pub mod diff;
mod fingerprint;
pub mod ident;
mod json;
mod jurisdictions;
pub mod limits;
mod localized;
mod location;
mod permissions;
mod policy;
mod purposes;
mod sdks;
mod settings;
#[cfg(test)]
mod tests;
mod warnings;

use serde::Serialize;

use checker::Checker;
use cross_refs::Kind;
use json::{syntax_issue, Json};
use location::Loc;

pub use data_access::DataAccess;
pub use jurisdictions::{Jurisdiction, Law};
pub use localized::{is_language_tag, LocalizedText, FALLBACK_LANGUAGE};
pub use permissions::Permission;
pub use policy::{Controller, PolicyInfo};
pub use purposes::{Basis, Purpose};
pub use sdks::{Role, Sdk};
pub use settings::{Settings, UnknownAge};
pub use warnings::warnings;

/// The schema number this build understands (`"schema": 1`).
pub const SCHEMA_VERSION: u64 = 1;

/// The embedded example manifest (the Phocol-style printer/shopping app), also shipped
/// as `core/policy/example-manifest.json` for app teams to copy.
pub const EXAMPLE_MANIFEST: &str = include_str!("../../policy/example-manifest.json");

/// A validated manifest. Every reference inside it has been checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// Always [`SCHEMA_VERSION`].
    pub schema: u64,
    /// Which policy this is, and who the controller is.
    pub policy: PolicyInfo,
    /// The time windows and defaults the rules use.
    pub settings: Settings,
    /// The jurisdiction of a user whose country no jurisdiction lists.
    pub default_jurisdiction: String,
    /// Where each law applies.
    pub jurisdictions: Vec<Jurisdiction>,
    /// What personal information is used for, in manifest order.
    pub purposes: Vec<Purpose>,
    /// The OS permissions the app may prompt for.
    pub permissions: Vec<Permission>,
    /// The third-party SDKs the app ships.
    pub sdks: Vec<Sdk>,
    /// The sensitive data reads the app asks about (§9.2). Default empty.
    pub data_access: Vec<DataAccess>,
    /// SHA-256 (hex) of the manifest's content: its members in key order, without
    /// layout or the top-level `$schema` (see `fingerprint.rs`). The store keeps the
    /// first one seen for each policy version, to catch an edit without a version change.
    pub fingerprint: String,
}

/// One problem found in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestIssue {
    /// JSON pointer (RFC 6901), e.g. `/sdks/3/purposes/1`; `""` for the whole document.
    pub path: String,
    /// What is wrong, in plain words. Never contains personal data.
    pub message: String,
}

impl Manifest {
    /// The purpose declared with `id`.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }
    /// The permission declared with `id`.
    pub fn permission(&self, id: &str) -> Option<&Permission> {
        self.permissions.iter().find(|p| p.id == id)
    }
    /// The SDK declared with `id`.
    pub fn sdk(&self, id: &str) -> Option<&Sdk> {
        self.sdks.iter().find(|s| s.id == id)
    }
    /// The data access declared with `id`.
    pub fn data_access(&self, id: &str) -> Option<&DataAccess> {
        self.data_access.iter().find(|d| d.id == id)
    }
    /// The jurisdiction declared with `id`.
    pub fn jurisdiction(&self, id: &str) -> Option<&Jurisdiction> {
        self.jurisdictions.iter().find(|j| j.id == id)
    }
    /// The jurisdiction for a user's country: the one listing it, else the default.
    pub fn jurisdiction_for(&self, country: Option<&str>) -> &Jurisdiction {
        country
            .and_then(|c| self.jurisdictions.iter().find(|j| j.countries.iter().any(|x| x == c)))
            .or_else(|| self.jurisdiction(&self.default_jurisdiction))
            .unwrap_or(&self.jurisdictions[0])
    }
}

/// Parses a policy manifest (contract §2) and validates it. A leading byte-order mark
/// is ignored.
///
/// # Errors
///
/// **Every** problem found, in document order, each with the JSON pointer of the value
/// it concerns (a missing field is reported at the object that lacks it). Text that is
/// not JSON gives one issue at `""` naming the line and column.
pub fn parse(json: &str) -> Result<Manifest, Vec<ManifestIssue>> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    if json.len() > limits::MAX_MANIFEST_BYTES {
        return Err(vec![ManifestIssue {
            path: String::new(),
            message: format!(
                "the manifest is {} bytes; at most {} bytes (1 MiB) are allowed",
                json.len(),
                limits::MAX_MANIFEST_BYTES
            ),
        }]);
    }
    let root: Json = serde_json::from_str(json).map_err(|e| vec![syntax_issue(&e)])?;
    // Most manifests are valid, and working out the JSON pointer of every id, country
    // and reference (in case a cross-check fails) is a third of the parse. So a first
    // pass skips them; only a manifest with problems is checked again with them, and
    // what it reports is that second pass's, the same as a single full pass.
    let mut quick = Checker { skip_places: true, ..Checker::default() };
    let manifest = quick.manifest(&root);
    quick.cross_check();
    if let Ok(m) = quick.finish(manifest) {
        return Ok(m);
    }
    let mut checker = Checker::default();
    let manifest = checker.manifest(&root);
    checker.cross_check();
    checker.finish(manifest)
}

/// The top-level fields of a manifest. `$schema` names the JSON Schema an editor
/// checks the file against (`core/policy/manifest.schema.json`); it is read as a
/// non-empty string and otherwise ignored. It is the only extra key accepted.
const TOP_FIELDS: &[&str] = &[
    "$schema",
    "schema",
    "policy",
    "settings",
    "default_jurisdiction",
    "jurisdictions",
    "purposes",
    "permissions",
    "sdks",
    "data_access",
];

impl Checker {
    /// Reads the whole manifest, section by section, top down.
    fn manifest(&mut self, root: &Json) -> Option<Manifest> {
        let obj = self.object(root, &Loc::ROOT, TOP_FIELDS)?;
        // Only checked: the schema's location means nothing to the rules.
        let _ = self.optional(&obj, "$schema", Self::text);
        let schema = self.field(&obj, "schema", Self::schema);
        let policy = self.field(&obj, "policy", Self::policy);
        let settings = self.optional(&obj, "settings", Self::settings);
        let default_jurisdiction = self.field(&obj, "default_jurisdiction", Self::default_jurisdiction);
        let jurisdictions = self.declarations(&obj, Kind::Jurisdiction, Self::jurisdiction);
        let purposes = self.declarations(&obj, Kind::Purpose, Self::purpose);
        let permissions = self.declarations(&obj, Kind::Permission, Self::permission);
        let sdks = self.declarations(&obj, Kind::Sdk, Self::sdk);
        let data_access = self.optional_declarations(&obj, Kind::DataAccess, Self::data_access);
        Some(Manifest {
            schema: schema?,
            policy: policy?,
            settings: settings.unwrap_or_default(),
            default_jurisdiction: default_jurisdiction?,
            jurisdictions: jurisdictions?,
            purposes: purposes?,
            permissions: permissions?,
            sdks: sdks?,
            data_access: data_access?,
            fingerprint: fingerprint::of(root),
        })
    }

    fn schema(&mut self, value: &Json, loc: &Loc) -> Option<u64> {
        let schema = u64::from(self.count(value, loc)?);
        if schema != SCHEMA_VERSION {
            self.report(loc, format!("schema must be {SCHEMA_VERSION}, found {schema}"));
            return None;
        }
        Some(schema)
    }
}
