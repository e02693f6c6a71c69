//! Declared but absent: what the build files showed of the manifest's permissions and SDKs,
//! and the warnings for what they never showed.
//! - `unused_permission` (at `/permissions/<i>/android` or `/ios`): none of a manifest
//!   permission's Android names is requested by the given AndroidManifest.xml files, or none
//!   of its iOS keys is in the given Info.plist files.
//! - `sdk_not_found` (at `/sdks/<i>/packages` or `/ios_modules`): an SDK with `packages` none
//!   of which any component or meta-data of the given AndroidManifest.xml files falls under;
//!   or with `ios_modules` none of which holds any of the given privacy manifests.
//!
//! A platform is judged only when files of that platform were given and all of them could be
//! read and parsed: nothing can be said to be absent from a file that was not read. (An iOS
//! module shows in a privacy manifest's path, so that counts even if the file is malformed.)

use crate::declared::Declared;
use crate::finding::{Code, Finding};
use crate::input::FileKind;
use crate::name_hash::NameMap;

/// Whether files of one kind were given, and whether they were all read.
#[derive(Debug, Clone, Copy, Default)]
struct Given {
    any: bool,
    failed: bool,
}

impl Given {
    fn judged(self) -> bool {
        self.any && !self.failed
    }
}

pub(crate) struct Presence<'d> {
    declared: &'d Declared,
    android_names: NameMap<&'d str, Vec<usize>>,
    ios_names: NameMap<&'d str, Vec<usize>>,
    android_permission_used: Vec<bool>,
    ios_permission_used: Vec<bool>,
    android_sdk_seen: Vec<bool>,
    ios_sdk_seen: Vec<bool>,
    android: Given,
    info_plist: Given,
    privacy_manifest: Given,
}

impl<'d> Presence<'d> {
    pub(crate) fn new(declared: &'d Declared) -> Self {
        let mut android_names: NameMap<&str, Vec<usize>> = NameMap::default();
        let mut ios_names: NameMap<&str, Vec<usize>> = NameMap::default();
        for (i, p) in declared.permissions.iter().enumerate() {
            for name in &p.android {
                android_names.entry(name).or_default().push(i);
            }
            for key in &p.ios {
                ios_names.entry(key).or_default().push(i);
            }
        }
        let permissions = declared.permissions.len();
        let sdks = declared.sdks.len();
        Presence {
            declared,
            android_names,
            ios_names,
            android_permission_used: vec![false; permissions],
            ios_permission_used: vec![false; permissions],
            android_sdk_seen: vec![false; sdks],
            ios_sdk_seen: vec![false; sdks],
            android: Given::default(),
            info_plist: Given::default(),
            privacy_manifest: Given::default(),
        }
    }

    fn given(&mut self, kind: FileKind) -> &mut Given {
        match kind {
            FileKind::AndroidManifest => &mut self.android,
            FileKind::InfoPlist => &mut self.info_plist,
            FileKind::PrivacyManifest => &mut self.privacy_manifest,
        }
    }

    /// A file of this kind is being linted.
    pub(crate) fn file_given(&mut self, kind: FileKind) {
        self.given(kind).any = true;
    }

    /// A file of this kind could not be read or parsed.
    pub(crate) fn file_failed(&mut self, kind: FileKind) {
        let given = self.given(kind);
        given.any = true;
        given.failed = true;
    }

    /// An Android permission is requested; returns whether a manifest permission lists it.
    pub(crate) fn android_permission(&mut self, name: &str) -> bool {
        mark(&self.android_names, &mut self.android_permission_used, name)
    }

    /// An Info.plist key is present; returns whether a manifest permission lists it.
    pub(crate) fn ios_key(&mut self, key: &str) -> bool {
        mark(&self.ios_names, &mut self.ios_permission_used, key)
    }

    /// Manifest SDK `i` showed up in an AndroidManifest.xml.
    pub(crate) fn android_sdk(&mut self, i: usize) {
        if let Some(seen) = self.android_sdk_seen.get_mut(i) {
            *seen = true;
        }
    }

    /// Manifest SDK `i` showed up as the owner of a privacy manifest.
    pub(crate) fn ios_sdk(&mut self, i: usize) {
        if let Some(seen) = self.ios_sdk_seen.get_mut(i) {
            *seen = true;
        }
    }

    /// The declared-but-absent warnings, in manifest order.
    pub(crate) fn finish(self, findings: &mut Vec<Finding>) {
        for (i, p) in self.declared.permissions.iter().enumerate() {
            if self.android.judged() && !p.android.is_empty() && !self.android_permission_used[i] {
                findings.push(Finding::new(
                    Code::UnusedPermission,
                    format!("/permissions/{i}/android"),
                    format!(
                        "permission `{}` lists {}, but no given AndroidManifest.xml requests {}; remove {} from the \
                         manifest, or check that the right build's manifest was given",
                        p.id,
                        p.android.join(", "),
                        any_of(p.android.len()),
                        them(p.android.len()),
                    ),
                ));
            }
            if self.info_plist.judged() && !p.ios.is_empty() && !self.ios_permission_used[i] {
                findings.push(Finding::new(
                    Code::UnusedPermission,
                    format!("/permissions/{i}/ios"),
                    format!(
                        "permission `{}` lists {}, but no given Info.plist has {}; remove {} from the manifest, or \
                         check that the right Info.plist was given",
                        p.id,
                        p.ios.join(", "),
                        any_of(p.ios.len()),
                        them(p.ios.len()),
                    ),
                ));
            }
        }
        for (i, sdk) in self.declared.sdks.iter().enumerate() {
            if self.android.judged() && !sdk.packages.is_empty() && !self.android_sdk_seen[i] {
                findings.push(Finding::new(
                    Code::SdkNotFound,
                    format!("/sdks/{i}/packages"),
                    format!(
                        "SDK `{}` lists packages {}, but no component or meta-data of the given AndroidManifest.xml \
                         falls under them; if it is no longer shipped, remove it (a library without components \
                         never shows in AndroidManifest.xml, so this may also be expected)",
                        sdk.id,
                        sdk.packages.join(", "),
                    ),
                ));
            }
            if self.privacy_manifest.any && !sdk.ios_modules.is_empty() && !self.ios_sdk_seen[i] {
                findings.push(Finding::new(
                    Code::SdkNotFound,
                    format!("/sdks/{i}/ios_modules"),
                    format!(
                        "SDK `{}` lists iOS modules {}, but none of the given privacy manifests is inside one of \
                         them (NAME.framework or NAME.bundle); if it is no longer shipped, remove it",
                        sdk.id,
                        sdk.ios_modules.join(", "),
                    ),
                ));
            }
        }
    }
}

fn mark(names: &NameMap<&str, Vec<usize>>, used: &mut [bool], name: &str) -> bool {
    match names.get(name) {
        Some(owners) => {
            for &i in owners {
                used[i] = true;
            }
            true
        }
        None => false,
    }
}

fn any_of(n: usize) -> &'static str {
    if n == 1 {
        "it"
    } else {
        "any of them"
    }
}

fn them(n: usize) -> &'static str {
    if n == 1 {
        "it"
    } else {
        "them"
    }
}
