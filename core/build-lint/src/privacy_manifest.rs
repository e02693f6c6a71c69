//! PrivacyInfo.xcprivacy (Apple's privacy manifest, the app's or an SDK's) against the
//! manifest (contract §10.3).
//!
//! **Whose it is** comes from its path: inside `…/NAME.framework/`, `…/NAME.bundle/` (or
//! `NAME.xcframework`), the nearest such folder, it belongs to the manifest SDK whose
//! `ios_modules` lists NAME; a resource bundle named `PACKAGE_TARGET` (SwiftPM) or
//! `MODULE_Privacy` (CocoaPods) is also tried by its parts. If no manifest SDK lists it, the
//! SDK is undisclosed (error `undisclosed_sdk`, naming what the built-in table says it looks
//! like). Outside any framework or bundle it is the app's own.
//!
//! **Tracking** is `NSPrivacyTracking` true, or a collected data type with
//! `NSPrivacyCollectedDataTypeTracking` true. Tracking by an SDK none of whose purposes is
//! consent-based, by the app when it has no consent-based purpose, or by an undisclosed SDK
//! → error `undeclared_tracking`, at the first tracking key's line.
//!
//! **Tracking domains** (`NSPrivacyTrackingDomains`) that no manifest SDK lists in `domains`
//! → warning `undeclared_tracking_domain`. **Collected data types** that the owner's `data`
//! (an SDK's own and its purposes'; for the app, every purpose's) does not cover, per
//! [`crate::data_vocabulary`] → warning `undeclared_data`; a type that is not Apple's →
//! warning `unknown_data_type`.

use crate::data_vocabulary::{apple_type, covers_apple, terms_for_apple};
use crate::declared::Declared;
use crate::error::FileError;
use crate::finding::{quoted, Code, Finding};
use crate::known_sdks::KnownSdk;
use crate::plist_tree::{self, entries, Entry, Node};
use crate::presence::Presence;
use crate::sdk_index::{Owner, SdkIndex};

/// Whose privacy manifest a file is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Whose<'a> {
    /// The app's own (not inside a framework or bundle).
    App,
    /// Manifest SDK `index`, which lists the module.
    Sdk { index: usize },
    /// Module `module`, which no manifest SDK lists; `known` is what it looks like.
    Undisclosed { module: &'a str, known: Option<&'static KnownSdk> },
}

/// The name of the nearest `NAME.framework`, `NAME.bundle` or `NAME.xcframework` folder
/// holding the file, if any.
pub(crate) fn bundle_name(path: &str) -> Option<&str> {
    let mut folders: Vec<&str> = path.split(['/', '\\']).collect();
    folders.pop(); // the file itself
    folders.into_iter().rev().find_map(|folder| {
        [".framework", ".bundle", ".xcframework"].iter().find_map(|ext| {
            let lower = folder.len().checked_sub(ext.len()).and_then(|at| folder.get(at..))?;
            if lower.eq_ignore_ascii_case(ext) && folder.len() > ext.len() {
                folder.get(..folder.len() - ext.len())
            } else {
                None
            }
        })
    })
}

fn whose<'a>(path: &'a str, index: &SdkIndex<'_>) -> Whose<'a> {
    let Some(module) = bundle_name(path) else { return Whose::App };
    let candidates = std::iter::once(module).chain(module.split('_').filter(|p| !p.is_empty() && *p != module));
    let mut known = None;
    for candidate in candidates {
        match index.ios_owner(candidate) {
            Owner::Declared(i) => return Whose::Sdk { index: i },
            Owner::Undisclosed { known: k, .. } => known = known.or(Some(k)),
            Owner::Unknown => {}
        }
    }
    Whose::Undisclosed { module, known: known.or_else(|| index.known_module(module)) }
}

/// Records which manifest SDK a privacy manifest's path shows (readable or not: the path
/// alone shows the module), and returns whose it is.
pub(crate) fn record_owner<'a>(file: &'a str, index: &SdkIndex<'_>, presence: &mut Presence) -> Whose<'a> {
    let owner = whose(file, index);
    if let Whose::Sdk { index: i } = owner {
        presence.ios_sdk(i);
    }
    owner
}

/// One reason the file counts as tracking: the key's line and what it says.
struct Tracking {
    line: u32,
    what: String,
}

/// Checks one privacy manifest, appending its findings.
pub(crate) fn check(
    file: &str,
    bytes: &[u8],
    declared: &Declared,
    index: &SdkIndex<'_>,
    presence: &mut Presence,
    findings: &mut Vec<Finding>,
) -> Result<(), FileError> {
    let owner = record_owner(file, index, presence);
    let plist = plist_tree::parse(bytes)?;
    let Some(dict) = plist.root.as_dict() else { return Ok(()) };
    let tracking = tracking(dict);
    let suffix = if plist.binary { " (binary plist: no line numbers)" } else { "" };

    // Who would have to declare the tracking, if it is not declared.
    let undeclared = match owner {
        Whose::Undisclosed { module, known } => {
            let module = quoted(module);
            let looks_like =
                known.map(|k| format!(", which looks like {}, by {}", k.name, k.vendor)).unwrap_or_default();
            findings.push(Finding::at(
                Code::UndisclosedSdk,
                file,
                plist.root.line,
                format!(
                    "this privacy manifest belongs to module {module}{looks_like}, but no manifest SDK lists `{module}` \
                     in `ios_modules`; declare the SDK, or add the module to the SDK that ships it{suffix}"
                ),
            ));
            Some(format!("module {module}, which no manifest SDK declares, so its tracking is not disclosed"))
        }
        Whose::Sdk { index: i } => {
            let sdk = index.sdk(i);
            collected_data(file, dict, &format!("SDK `{}`", sdk.id), declared.sdk_data(sdk), suffix, findings);
            (!declared.sdk_consent_based(sdk)).then(|| {
                format!(
                    "SDK `{}`, none of whose purposes is consent-based; tracking needs the user's consent (App \
                     Tracking Transparency), so give it a purpose with basis `consent`",
                    sdk.id
                )
            })
        }
        Whose::App => {
            collected_data(file, dict, "the app", declared.app_data(), suffix, findings);
            (!declared.app_consent_based()).then(|| {
                "the app's own code, and the manifest has no consent-based purpose to cover it; add a purpose with \
                 basis `consent`"
                    .to_string()
            })
        }
    };
    if let (Some(first), Some(who)) = (tracking.first(), undeclared) {
        let signals: Vec<&str> = tracking.iter().map(|t| t.what.as_str()).collect();
        findings.push(Finding::at(
            Code::UndeclaredTracking,
            file,
            first.line,
            format!("this privacy manifest tracks ({}), by {who}{suffix}", signals.join("; ")),
        ));
    }
    tracking_domains(file, dict, index, suffix, findings);
    Ok(())
}

/// The file's tracking signals, in file order.
fn tracking(dict: &[Entry]) -> Vec<Tracking> {
    let mut found = Vec::new();
    for entry in entries(dict, "NSPrivacyTracking") {
        if entry.value.as_bool() == Some(true) {
            found.push(Tracking { line: entry.line, what: "NSPrivacyTracking is true".into() });
        }
    }
    for item in collected_types(dict) {
        for t in entries(item, "NSPrivacyCollectedDataTypeTracking") {
            if t.value.as_bool() == Some(true) {
                let what = match data_type(item) {
                    Some((name, _)) => format!("collects {} for tracking", quoted(name)),
                    None => "a collected data type is used for tracking".into(),
                };
                found.push(Tracking { line: t.line, what });
            }
        }
    }
    found.sort_by_key(|t| t.line);
    found
}

/// The dictionaries of `NSPrivacyCollectedDataTypes`.
fn collected_types(dict: &[Entry]) -> impl Iterator<Item = &[Entry]> {
    entries(dict, "NSPrivacyCollectedDataTypes").filter_map(|e| e.value.as_array()).flatten().filter_map(Node::as_dict)
}

/// A collected-data dictionary's `NSPrivacyCollectedDataType` string and its line.
fn data_type(item: &[Entry]) -> Option<(&str, u32)> {
    entries(item, "NSPrivacyCollectedDataType").find_map(|e| e.value.as_str().map(|s| (s, e.value.line)))
}

fn collected_data<'a>(
    file: &str,
    dict: &[Entry],
    owner: &str,
    data: impl Iterator<Item = &'a str> + Clone,
    suffix: &str,
    findings: &mut Vec<Finding>,
) {
    for (value, line) in collected_types(dict).filter_map(data_type) {
        match apple_type(value) {
            None => findings.push(Finding::at(
                Code::UnknownDataType,
                file,
                line,
                format!(
                    "collected data type `{}` is not one of Apple's NSPrivacyCollectedDataType values, so Xcode's \
                     privacy report cannot use it{suffix}",
                    quoted(value)
                ),
            )),
            Some(short) if !covers_apple(data.clone(), short) => {
                let terms: Vec<&str> = terms_for_apple(short).map(|t| t.id).collect();
                findings.push(Finding::at(
                    Code::UndeclaredData,
                    file,
                    line,
                    format!(
                        "{owner} collects {value}, but its `data` in the manifest names none of: {}{suffix}",
                        terms.join(", ")
                    ),
                ));
            }
            Some(_) => {}
        }
    }
}

fn tracking_domains(file: &str, dict: &[Entry], index: &SdkIndex<'_>, suffix: &str, findings: &mut Vec<Finding>) {
    let domains = entries(dict, "NSPrivacyTrackingDomains").filter_map(|e| e.value.as_array()).flatten();
    for domain in domains {
        let Some(host) = domain.as_str() else { continue };
        if !index.domain_declared(host) {
            findings.push(Finding::at(
                Code::UndeclaredTrackingDomain,
                file,
                domain.line,
                format!(
                    "tracking domain {} is not listed in any manifest SDK's `domains`; add it to the SDK that \
                     contacts it{suffix}",
                    quoted(host)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_framework_or_bundle_names_the_module() {
        assert_eq!(
            bundle_name("Payload/Shop.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy"),
            Some("FBSDKCoreKit")
        );
        assert_eq!(bundle_name("GoogleSignIn.bundle/PrivacyInfo.xcprivacy"), Some("GoogleSignIn"));
        assert_eq!(bundle_name("A.xcframework\\ios-arm64\\B.framework\\PrivacyInfo.xcprivacy"), Some("B"));
        assert_eq!(bundle_name("Shop.app/PrivacyInfo.xcprivacy"), None);
        assert_eq!(bundle_name("PrivacyInfo.xcprivacy"), None);
        assert_eq!(bundle_name(".framework/PrivacyInfo.xcprivacy"), None);
        assert_eq!(bundle_name("x/é.BUNDLE/PrivacyInfo.xcprivacy"), Some("é"));
    }
}
