//! A manifest edited without a version change. Users who agreed to version 3.1 agreed
//! to what 3.1 said, so the store keeps the first [fingerprint](crate::manifest::Manifest::fingerprint)
//! it was opened with for each policy version (`meta` key `manifest:<version>`), and an
//! open with another manifest of the same version is noted here. It is a warning, not
//! an error: the store keeps working (an app in the field must not stop deciding), the
//! log says so, `state` reports it as `manifest_edited`, the CLI warns on stderr and
//! fails under `--strict`; `gatekeeper diff` is where it is an error. The note goes
//! once the manifest is back to what the version said, or its version is raised.

use log::warn;

use super::meta::{Meta, MetaKey};

/// The manifest in use differs from the one first seen with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEdit {
    /// The policy version both claim to be.
    pub version: String,
    /// The fingerprint first recorded for it.
    pub recorded: String,
    /// The fingerprint of the manifest in use.
    pub current: String,
}

/// What the store's metadata says about the manifest in use: `Ok(true)` when its
/// version has no fingerprint yet (the open records it), `Err(edit)` when it has another.
pub(super) fn check(meta: &Meta, version: &str, fingerprint: &str) -> Result<bool, ManifestEdit> {
    match meta.get(MetaKey::ManifestFingerprint(version)) {
        None => Ok(true),
        Some(recorded) if recorded == fingerprint => Ok(false),
        Some(recorded) => {
            warn!("gatekeeper: the policy manifest of version {version} was edited without a version change");
            Err(ManifestEdit {
                version: version.to_owned(),
                recorded: recorded.to_owned(),
                current: fingerprint.to_owned(),
            })
        }
    }
}
