//! Info.plist against the manifest: a usage-description key (the text iOS shows in a
//! permission prompt) that no manifest permission lists in `ios` → error
//! `undeclared_permission`.
//!
//! A usage-description key is a top-level key of the form `NS…UsageDescription`
//! (`NSCameraUsageDescription`, `NSLocationWhenInUseUsageDescription`,
//! `NSUserTrackingUsageDescription`…), plus Apple's one key of that kind without the `NS`
//! prefix, `NFCReaderUsageDescription`. Its presence means the app can show that prompt,
//! so it must be disclosed even if the app never shows it. The XML and binary forms are
//! both read (see [`crate::plist_tree`]); in a binary plist the finding's line is 0 and the
//! message names the key.

use crate::error::FileError;
use crate::finding::{quoted, Code, Finding};
use crate::plist_tree;
use crate::presence::Presence;

/// Apple's usage-description keys that do not start with `NS`.
const OTHER_USAGE_KEYS: &[&str] = &["NFCReaderUsageDescription"];

/// Whether `key` is a usage-description (permission prompt) key.
pub(crate) fn is_usage_description(key: &str) -> bool {
    (key.starts_with("NS") && key.ends_with("UsageDescription") && key.len() > "NSUsageDescription".len())
        || OTHER_USAGE_KEYS.contains(&key)
}

/// Checks one Info.plist, appending its findings and recording its keys.
pub(crate) fn check(
    file: &str,
    bytes: &[u8],
    presence: &mut Presence,
    findings: &mut Vec<Finding>,
) -> Result<(), FileError> {
    let plist = plist_tree::parse(bytes)?;
    let Some(dict) = plist.root.as_dict() else { return Ok(()) };
    for entry in dict {
        let declared = presence.ios_key(&entry.key);
        if declared || !is_usage_description(&entry.key) {
            continue;
        }
        let binary = if plist.binary { " (binary plist: no line numbers)" } else { "" };
        findings.push(Finding::at(
            Code::UndeclaredPermission,
            file,
            entry.line,
            format!(
                "Info.plist key {} lets the app show a permission prompt, but no manifest permission lists it in \
                 `ios`; add it to the permission it serves, or remove the key{binary}",
                quoted(&entry.key)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_description_keys() {
        for k in ["NSCameraUsageDescription", "NSLocationWhenInUseUsageDescription", "NFCReaderUsageDescription"] {
            assert!(is_usage_description(k), "{k}");
        }
        for k in [
            "CFBundleName",
            "NSLocationTemporaryUsageDescriptionDictionary",
            "NSUsageDescription",
            "MyUsageDescription",
        ] {
            assert!(!is_usage_description(k), "{k}");
        }
    }
}
