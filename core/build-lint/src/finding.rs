//! The output: one [`Finding`] per problem, and the [`Report`] that collects them into the
//! contract's `lint` JSON (§10.3): `{"ok", "errors": [{"path", "message", "code"}],
//! "warnings": [...]}`.
//!
//! Every finding has a stable [`Code`], and the code alone decides whether it is an error
//! (the build discloses less than it does: exit 1) or a warning (the manifest declares more
//! than the build shows). A build file's finding has the path `FILE:LINE`, with FILE exactly
//! as the caller gave it. Line 0 means no line applies: the file as a whole (it is missing,
//! too large, not a file) or a binary plist, which has no lines. A finding about the manifest
//! itself (a declared permission no build file requests) has the manifest's JSON pointer,
//! like the manifest's own validation errors.

use std::fmt;

use serde::Serialize;

/// Error or warning. Decided by the [`Code`], never chosen per finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build asks for or ships something the manifest does not disclose, or a file could
    /// not be read: `lint` exits 1.
    Error,
    /// The manifest declares something the given files do not show, or a softer mismatch.
    Warning,
}

/// What a finding is about. Serialized in snake case (`undeclared_permission`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A runtime (dangerous) Android permission, or an iOS usage-description key, that no
    /// manifest permission lists.
    UndeclaredPermission,
    /// An Android special-access permission (installed-app list, all-files access, overlay…)
    /// that no manifest permission lists. A warning: the contract names only runtime ones.
    UndeclaredSpecialPermission,
    /// A component, meta-data or framework of a known or declared SDK that no manifest SDK
    /// declares.
    UndisclosedSdk,
    /// Tracking (Apple's sense) by something the manifest does not declare as consent-based.
    UndeclaredTracking,
    /// A privacy manifest's tracking domain that no manifest SDK lists in `domains`.
    UndeclaredTrackingDomain,
    /// A privacy manifest's collected data type that the owner's `data` does not cover.
    UndeclaredData,
    /// A privacy manifest's collected data type that is not one of Apple's.
    UnknownDataType,
    /// A manifest permission none of whose names appear in the given files of a platform.
    UnusedPermission,
    /// A manifest SDK none of whose packages (or iOS modules) appear in the given files.
    SdkNotFound,
    /// A file that is not well-formed XML or a valid plist, or not the kind of file expected.
    MalformedFile,
    /// The path does not exist.
    FileNotFound,
    /// The path is a directory (or another thing that is not a file).
    NotAFile,
    /// The file is larger than [`crate::MAX_FILE_BYTES`].
    FileTooLarge,
    /// The file exists but could not be read.
    UnreadableFile,
    /// A manifest validation error, merged into the same report by the CLI.
    InvalidManifest,
    /// A value the manifest may hold but that means nothing (the core's `manifest::warnings`),
    /// merged into the same report by the CLI.
    ManifestWarning,
}

impl Code {
    /// The code as it appears in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UndeclaredPermission => "undeclared_permission",
            Code::UndeclaredSpecialPermission => "undeclared_special_permission",
            Code::UndisclosedSdk => "undisclosed_sdk",
            Code::UndeclaredTracking => "undeclared_tracking",
            Code::UndeclaredTrackingDomain => "undeclared_tracking_domain",
            Code::UndeclaredData => "undeclared_data",
            Code::UnknownDataType => "unknown_data_type",
            Code::UnusedPermission => "unused_permission",
            Code::SdkNotFound => "sdk_not_found",
            Code::MalformedFile => "malformed_file",
            Code::FileNotFound => "file_not_found",
            Code::NotAFile => "not_a_file",
            Code::FileTooLarge => "file_too_large",
            Code::UnreadableFile => "unreadable_file",
            Code::InvalidManifest => "invalid_manifest",
            Code::ManifestWarning => "manifest_warning",
        }
    }

    /// Whether a finding with this code fails the lint.
    pub fn severity(self) -> Severity {
        match self {
            Code::UndeclaredSpecialPermission
            | Code::UndeclaredTrackingDomain
            | Code::UndeclaredData
            | Code::UnknownDataType
            | Code::UnusedPermission
            | Code::SdkNotFound
            | Code::ManifestWarning => Severity::Warning,
            Code::UndeclaredPermission
            | Code::UndisclosedSdk
            | Code::UndeclaredTracking
            | Code::MalformedFile
            | Code::FileNotFound
            | Code::NotAFile
            | Code::FileTooLarge
            | Code::UnreadableFile
            | Code::InvalidManifest => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `FILE:LINE` for a build file (FILE as given), a JSON pointer for the manifest.
    pub path: String,
    /// What is wrong and how to fix it, in plain words. Never personal data: build files
    /// hold class names, keys and domains, and only those are quoted.
    pub message: String,
    pub code: Code,
}

impl Finding {
    /// A finding at an explicit path.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { path: path.into(), message: message.into(), code }
    }

    /// A finding in build file `file` (as given) at `line` (1-based; 0 = the whole file).
    pub fn at(code: Code, file: &str, line: u32, message: impl Into<String>) -> Self {
        Finding::new(code, format!("{file}:{line}"), message)
    }

    /// A manifest validation issue (its JSON pointer and message), for the CLI to merge
    /// manifest errors and build findings into one report.
    pub fn manifest_issue(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Finding::new(Code::InvalidManifest, pointer, message)
    }

    /// A manifest warning (its JSON pointer and message), merged like [`Finding::manifest_issue`].
    pub fn manifest_warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Finding::new(Code::ManifestWarning, pointer, message)
    }

    /// Error or warning: the code's.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.is_error() { "error" } else { "warning" };
        write!(f, "{}: {level}[{}]: {}", self.path, self.code, self.message)
    }
}

/// Every finding of one lint run, split by severity, in the order they were found (files in
/// the order given, each file top to bottom, then the manifest-side warnings in manifest
/// order). `ok` is true exactly when there is no error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    ok: bool,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
}

impl Default for Report {
    fn default() -> Self {
        Report { ok: true, errors: Vec::new(), warnings: Vec::new() }
    }
}

impl Report {
    pub fn new() -> Self {
        Report::default()
    }

    pub fn push(&mut self, finding: Finding) {
        if finding.is_error() {
            self.ok = false;
            self.errors.push(finding);
        } else {
            self.warnings.push(finding);
        }
    }

    /// Appends another report's findings after this one's.
    pub fn merge(&mut self, other: Report) {
        for finding in other.errors.into_iter().chain(other.warnings) {
            self.push(finding);
        }
    }

    pub fn is_ok(&self) -> bool {
        self.ok
    }

    pub fn errors(&self) -> &[Finding] {
        &self.errors
    }

    pub fn warnings(&self) -> &[Finding] {
        &self.warnings
    }

    /// Errors then warnings.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.errors.iter().chain(&self.warnings)
    }
}

impl Extend<Finding> for Report {
    fn extend<I: IntoIterator<Item = Finding>>(&mut self, iter: I) {
        for finding in iter {
            self.push(finding);
        }
    }
}

impl fmt::Display for Report {
    /// One line per finding, then a summary line: the CLI's text output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in self.findings() {
            writeln!(f, "{finding}")?;
        }
        write!(f, "{} error(s), {} warning(s)", self.errors.len(), self.warnings.len())
    }
}

/// Text from a build file (a class name, a key, a domain) as quoted in a message: cut to a
/// readable length, so that a hostile file cannot make a message huge.
pub(crate) fn quoted(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 120;
    match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &s[..at]).into(),
        None => s.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_follows_the_code_and_ok_follows_the_errors() {
        let mut report = Report::new();
        report.push(Finding::at(Code::SdkNotFound, "x", 0, "w"));
        assert!(report.is_ok());
        report.push(Finding::at(Code::UndeclaredPermission, "AndroidManifest.xml", 7, "e"));
        assert!(!report.is_ok());
        assert_eq!(report.errors()[0].path, "AndroidManifest.xml:7");
        assert_eq!(report.warnings().len(), 1);
    }

    #[test]
    fn quoted_text_is_cut_at_a_char_boundary() {
        assert_eq!(quoted("com.facebook"), "com.facebook");
        let long = "é".repeat(500);
        assert_eq!(quoted(&long).chars().count(), 121);
    }

    #[test]
    fn json_has_the_contract_shape() {
        let mut report = Report::new();
        report.push(Finding::at(Code::UndisclosedSdk, "a.xml", 3, "m"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"ok": false,
                "errors": [{"path": "a.xml:3", "message": "m", "code": "undisclosed_sdk"}],
                "warnings": []})
        );
    }

    #[test]
    fn every_code_serializes_as_its_str() {
        for code in [
            Code::UndeclaredPermission,
            Code::UndeclaredSpecialPermission,
            Code::UndisclosedSdk,
            Code::UndeclaredTracking,
            Code::UndeclaredTrackingDomain,
            Code::UndeclaredData,
            Code::UnknownDataType,
            Code::UnusedPermission,
            Code::SdkNotFound,
            Code::MalformedFile,
            Code::FileNotFound,
            Code::NotAFile,
            Code::FileTooLarge,
            Code::UnreadableFile,
            Code::InvalidManifest,
            Code::ManifestWarning,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.as_str()));
        }
    }
}
