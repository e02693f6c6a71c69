//! `gatekeeper lint FILE [--android PATH]... [--ios PATH]... [--privacy-manifest PATH]...`:
//! validates a manifest (contract §2) and lists every error with its JSON path,
//! `FILE:/path: message`; a valid manifest may still get warnings (`FILE:/path: warning:
//! message`): values that are allowed but mean nothing. Given an app's build files, it also
//! holds the manifest against them (§10.3, the crate `gatekeeper-build-lint`): every runtime
//! permission, SDK and tracking the build has and the manifest does not declare is an error
//! at `FILE:LINE`, and what the manifest declares that the files never show is a warning.
//! Exit status 1 when there is an error. It opens no store.
//!
//! JSON: `{"ok", "errors": [{"path", "message", "code"}], "warnings": [...]}`; a manifest
//! error has the code `invalid_manifest` and its JSON pointer, a manifest warning the code
//! `manifest_warning`. Without build files, `"warnings"` is there only when there are any
//! (the contract's §7 document is `{"ok", "errors"}`); with build files it is always there
//! (§10.3). When the manifest is invalid the build files are not checked (there is nothing
//! valid to hold them against), and one more `invalid_manifest` error at `""` says so. Files
//! are linted Android first, then Info.plists, then privacy manifests, each kind in the
//! order given.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use gatekeeper::manifest::{self, Basis, Manifest};
use gatekeeper_build_lint::{
    lint_paths, Declared, DeclaredPermission, DeclaredPurpose, DeclaredSdk, FileKind, Finding, Report,
};

use crate::output::display_path;
use crate::{Failure, Output};

/// The arguments of `lint`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper lint FILE [--android PATH]... [--ios PATH]... [--privacy-manifest PATH]...")]
pub struct Args {
    /// The manifest to check
    #[arg(value_name = "FILE", value_parser = any_path)]
    pub file: PathBuf,
    /// An AndroidManifest.xml (merged from a build, or a source one) to hold the manifest against
    #[arg(long, value_name = "PATH", value_parser = any_path)]
    pub android: Vec<PathBuf>,
    /// An iOS Info.plist (XML or binary) to hold the manifest against
    #[arg(long, value_name = "PATH", value_parser = any_path)]
    pub ios: Vec<PathBuf>,
    /// A PrivacyInfo.xcprivacy (the app's, or one inside NAME.framework or NAME.bundle)
    #[arg(long = "privacy-manifest", value_name = "PATH", value_parser = any_path)]
    pub privacy_manifest: Vec<PathBuf>,
}

/// A path as given, even an empty one (reading it then fails and says so).
fn any_path(s: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(s))
}

impl Args {
    /// Checks the manifest, then the build files against it.
    ///
    /// # Errors
    /// The manifest file cannot be read (exit status 1). A build file that cannot be read
    /// is an error in the report instead.
    pub(crate) fn run(self) -> Result<Output, Failure> {
        let path = &self.file;
        let text =
            std::fs::read_to_string(path).map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))?;
        let mut report = Report::new();
        let mut lines = Vec::new();
        let files: Vec<(FileKind, &PathBuf)> = (self.android.iter().map(|p| (FileKind::AndroidManifest, p)))
            .chain(self.ios.iter().map(|p| (FileKind::InfoPlist, p)))
            .chain(self.privacy_manifest.iter().map(|p| (FileKind::PrivacyManifest, p)))
            .collect();
        match manifest::parse(&text) {
            Ok(m) => {
                for w in manifest::warnings(&m) {
                    lines.push(format!("{}:{}: warning: {}", path.display(), display_path(&w.path), w.message));
                    report.push(Finding::manifest_warning(w.path, w.message));
                }
                if !files.is_empty() {
                    let build = lint_paths(&declared(&m), &files);
                    lines.extend(build.errors().iter().chain(build.warnings()).map(ToString::to_string));
                    report.merge(build);
                }
            }
            Err(issues) => {
                for i in issues {
                    lines.push(format!("{}:{}: {}", path.display(), display_path(&i.path), i.message));
                    report.push(Finding::manifest_issue(i.path, i.message));
                }
                if !files.is_empty() {
                    let message = format!(
                        "the {} build file(s) given were not checked: there is no valid manifest to hold them against",
                        files.len()
                    );
                    lines.push(format!("{}:/: {message}", path.display()));
                    report.push(Finding::manifest_issue("", message));
                }
            }
        }
        let mut json =
            serde_json::to_value(&report).map_err(|e| Failure::io(format!("cannot write the report: {e}")))?;
        if files.is_empty() && report.warnings().is_empty() {
            if let Some(doc) = json.as_object_mut() {
                doc.remove("warnings");
            }
        }
        let (errors, warnings) = (report.errors().len(), report.warnings().len());
        let text = if files.is_empty() && errors == 0 {
            lines.push(format!("{}: ok", path.display()));
            lines.join("\n")
        } else if files.is_empty() {
            lines.push(format!("{errors} error(s)"));
            lines.join("\n")
        } else if errors == 0 && warnings == 0 {
            format!("{}: ok", path.display())
        } else {
            lines.push(format!("{errors} error(s), {warnings} warning(s)"));
            lines.join("\n")
        };
        Ok(Output { json, text, status: if report.is_ok() { 0 } else { 1 } })
    }
}

/// What build lint needs of the manifest, in manifest order.
fn declared(m: &Manifest) -> Declared {
    Declared {
        purposes: m
            .purposes
            .iter()
            .map(|p| DeclaredPurpose {
                id: p.id.clone(),
                consent_based: p.basis == Basis::Consent,
                data: p.data.clone(),
            })
            .collect(),
        permissions: m
            .permissions
            .iter()
            .map(|p| DeclaredPermission { id: p.id.clone(), android: p.android.clone(), ios: p.ios.clone() })
            .collect(),
        sdks: m
            .sdks
            .iter()
            .map(|s| DeclaredSdk {
                id: s.id.clone(),
                name: s.name.clone(),
                purposes: s.purposes.clone(),
                data: s.data.clone(),
                packages: s.packages.clone(),
                ios_modules: s.ios_modules.clone(),
                domains: s.domains.clone(),
            })
            .collect(),
    }
}
