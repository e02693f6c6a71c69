//! Build lint (contract §10.3): holds an app's build files — AndroidManifest.xml, Info.plist,
//! PrivacyInfo.xcprivacy — against its Gatekeeper policy manifest, so that nothing the app
//! asks for or ships goes undisclosed.
//!
//! This is a developer tool for the `gatekeeper` CLI. It is a crate of its own so that its
//! XML and plist parsers never reach the core library that ships to phones.
//!
//! # Using it
//! The CLI fills a [`Declared`] from the parsed manifest, then either reads and lints paths
//! in one call ([`lint_paths`]) or lints bytes it already has ([`lint_build`]), and prints
//! the [`Report`] (its `Serialize` is the contract's JSON; its `Display` the text output).
//! [`read_build_file`] is the bounded reader `lint_paths` uses, for callers that read files
//! themselves.
//!
//! # The checks
//! - `android.rs`: runtime permissions and SDK components in AndroidManifest.xml;
//! - `ios_plist.rs`: usage-description keys in Info.plist;
//! - `privacy_manifest.rs`: undisclosed SDK frameworks, tracking, tracking domains and
//!   collected data in PrivacyInfo.xcprivacy;
//! - `presence.rs`: permissions and SDKs the manifest declares but the files never show;
//! - `sdk_index.rs`: who owns a class, a meta-data key, a module or a host (its maps hash
//!   with `name_hash.rs`).
//!
//! Their data: [`dangerous_permissions`], [`known_sdks`] (the built-in SDK table, with its
//! sources) and [`data_vocabulary`] (the recommended `data` terms, mapped to Apple's and
//! Google Play's types).
//!
//! # Parsers, and hostile files
//! **roxmltree** parses AndroidManifest.xml and XML plists: a maintained, strict parser that
//! keeps each node's byte range, which gives every finding its line. **plist** interprets
//! plists: its event readers handle XML and binary (`bplist00`) plists, so plist semantics
//! are the crate's, while roxmltree supplies the XML plist's lines (see `plist_tree.rs`;
//! the guards are in `xml.rs`, whose depth pre-scan searches with the `memchr` crate).
//! quick-xml (also vendored) was not used: it streams without building a tree, and every
//! check here wants to look at an element's attributes and children.
//!
//! Every file is bounded and guarded: at most [`MAX_FILE_BYTES`] (16 MiB) read, through a
//! bounded reader; UTF-8 only; no XML entity declarations (roxmltree's own limits stop the
//! classic billion laughs but not a large entity referenced many times); at most 256 levels
//! of nesting (roxmltree recurses per level, and a stack overflow is an abort, not a panic);
//! at most a million XML nodes and a million plist values (a binary plist's shared objects
//! can otherwise expand exponentially). A file that fails any of these gets one
//! `malformed_file` (or `file_too_large`…) error naming it, and linting goes on with the
//! other files. Nothing here panics on input: there is no `unwrap` on input-derived data,
//! and a property test and fuzz targets feed it arbitrary bytes.

mod android;
pub mod dangerous_permissions;
pub mod data_vocabulary;
mod declared;
mod error;
mod finding;
mod input;
mod ios_plist;
pub mod known_sdks;
mod name_hash;
mod plist_tree;
mod presence;
mod privacy_manifest;
mod sdk_index;
mod xml;

use std::path::Path;

pub use declared::{Declared, DeclaredPermission, DeclaredPurpose, DeclaredSdk};
pub use finding::{Code, Finding, Report, Severity};
pub use input::{read_build_file, BuildFile, FileKind, MAX_FILE_BYTES};

use error::FileError;
use presence::Presence;
use sdk_index::SdkIndex;

/// Lints build files already in memory. Each file's findings carry its `path` as given;
/// files are reported in the order given, then the declared-but-absent warnings.
pub fn lint_build(declared: &Declared, files: &[BuildFile<'_>]) -> Report {
    let mut run = Run::new(declared);
    for file in files {
        run.file(file);
    }
    run.finish()
}

/// Reads each `(kind, path)` with [`read_build_file`] and lints them all: a path that cannot
/// be read becomes an error in the report (and its platform is not judged for the
/// declared-but-absent warnings); the other files are linted as by [`lint_build`].
pub fn lint_paths<P: AsRef<Path>>(declared: &Declared, files: &[(FileKind, P)]) -> Report {
    let mut run = Run::new(declared);
    for (kind, path) in files {
        let path = path.as_ref();
        let shown = path.display().to_string();
        match read_build_file(path, *kind) {
            Ok(bytes) => run.file(&BuildFile::new(*kind, &shown, &bytes)),
            Err(finding) => run.unreadable(*kind, &shown, finding),
        }
    }
    run.finish()
}

/// One lint run: the lookups, what has been seen, and the findings so far.
struct Run<'d> {
    declared: &'d Declared,
    index: SdkIndex<'d>,
    presence: Presence<'d>,
    findings: Vec<Finding>,
}

impl<'d> Run<'d> {
    fn new(declared: &'d Declared) -> Self {
        Run { declared, index: SdkIndex::new(declared), presence: Presence::new(declared), findings: Vec::new() }
    }

    fn file(&mut self, file: &BuildFile<'_>) {
        self.presence.file_given(file.kind);
        let start = self.findings.len();
        let result = match file.kind {
            FileKind::AndroidManifest => {
                android::check(file.path, file.bytes, &self.index, &mut self.presence, &mut self.findings)
            }
            FileKind::InfoPlist => ios_plist::check(file.path, file.bytes, &mut self.presence, &mut self.findings),
            FileKind::PrivacyManifest => privacy_manifest::check(
                file.path,
                file.bytes,
                self.declared,
                &self.index,
                &mut self.presence,
                &mut self.findings,
            ),
        };
        match result {
            Ok(()) => {
                // The checks walk files top to bottom, so this is nearly always sorted already.
                let file_findings = &mut self.findings[start..];
                if !file_findings.is_sorted_by_key(|f| line_of(&f.path)) {
                    file_findings.sort_by_cached_key(|f| line_of(&f.path));
                }
            }
            Err(e) => self.failed(file.kind, file.path, e, start),
        }
    }

    /// A file that could not be parsed: its partial findings are dropped (they would
    /// describe half a file) and one error replaces them.
    fn failed(&mut self, kind: FileKind, path: &str, error: FileError, start: usize) {
        self.findings.truncate(start);
        self.presence.file_failed(kind);
        self.findings.push(error.into_finding(path, kind.describe()));
    }

    fn unreadable(&mut self, kind: FileKind, path: &str, finding: Finding) {
        self.presence.file_failed(kind);
        if kind == FileKind::PrivacyManifest {
            // The path alone shows whose privacy manifest it is.
            privacy_manifest::record_owner(path, &self.index, &mut self.presence);
        }
        self.findings.push(finding);
    }

    fn finish(mut self) -> Report {
        self.presence.finish(&mut self.findings);
        let mut report = Report::new();
        report.extend(self.findings);
        report
    }
}

/// The line of a `FILE:LINE` path, for ordering one file's findings.
fn line_of(path: &str) -> u32 {
    path.rsplit_once(':').and_then(|(_, line)| line.parse().ok()).unwrap_or(0)
}
