//! AndroidManifest.xml (merged from a build, or a source manifest) against the manifest:
//! - `<uses-permission>` and `<uses-permission-sdk-23>` of a runtime (dangerous) permission
//!   that no manifest permission lists in `android` → error `undeclared_permission`; of a
//!   special-access one → warning `undeclared_special_permission`;
//! - `<application>` and its components (`activity`, `activity-alias`, `service`,
//!   `receiver`, `provider`) and every `<meta-data>` inside them whose class or key belongs
//!   to an SDK (see [`crate::sdk_index`]) that no manifest SDK declares → error
//!   `undisclosed_sdk`, naming the matched prefix and the SDK it looks like.
//!
//! Names are read from the `http://schemas.android.com/apk/res/android` namespace, whatever
//! prefix the file binds to it. A class name starting with `.` (or without any dot) is
//! relative to the manifest's `package`. A class under the app's own package is the app's,
//! unless a table prefix more specific than the package matches. A `<meta-data>` name of
//! the form `registrar:class` (Firebase's component registrars) is judged by its class.
//! An element with `tools:node="remove"` or `"removeAll"` (namespace
//! `http://schemas.android.com/tools`, in a source manifest) is removed by the manifest
//! merger, so it is treated as absent. A name holding a `${placeholder}` cannot be resolved
//! and is skipped. `<queries>` and intent-filter actions name other apps and intents, not
//! classes the app ships, and are not checked.

use std::fmt::Write;

use roxmltree::Node;

use crate::dangerous_permissions::{is_dangerous, is_special};
use crate::error::FileError;
use crate::finding::{quoted, Code, Finding};
use crate::known_sdks::KnownSdk;
use crate::presence::Presence;
use crate::sdk_index::{covers, Owner, SdkIndex, Signature};
use crate::xml::Text;

pub(crate) const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";
pub(crate) const TOOLS_NS: &str = "http://schemas.android.com/tools";

const COMPONENTS: &[&str] = &["activity", "activity-alias", "service", "receiver", "provider"];

/// Checks one AndroidManifest.xml, appending its findings and recording what it requests.
pub(crate) fn check(
    file: &str,
    bytes: &[u8],
    index: &SdkIndex<'_>,
    presence: &mut Presence,
    findings: &mut Vec<Finding>,
) -> Result<(), FileError> {
    let text = Text::decode(bytes)?;
    let doc = text.parse()?;
    let root = doc.root_element();
    if root.tag_name().name() != "manifest" {
        return Err(FileError::WrongShape {
            line: text.line_of(root.range().start),
            message: format!("is an XML file whose root element is <{}>, not <manifest>", root.tag_name().name()),
        });
    }
    let package = root.attribute("package");
    let mut check = Check { file, text: &text, index, package, buffer: String::new(), presence, findings };
    for child in root.children().filter(|n| n.is_element() && !removed(n)) {
        match child.tag_name().name() {
            "uses-permission" | "uses-permission-sdk-23" => check.permission(child),
            "application" => check.application(child),
            _ => {}
        }
    }
    Ok(())
}

/// Whether the manifest merger removes this element (`tools:node="remove"`/`"removeAll"`).
fn removed(node: &Node<'_, '_>) -> bool {
    matches!(node.attribute((TOOLS_NS, "node")), Some("remove" | "removeAll"))
}

struct Check<'a, 'i, 'p> {
    file: &'a str,
    text: &'a Text<'i>,
    index: &'a SdkIndex<'a>,
    package: Option<&'i str>,
    /// Reused for resolving relative class names, so that no component allocates.
    buffer: String,
    presence: &'a mut Presence<'p>,
    findings: &'a mut Vec<Finding>,
}

impl Check<'_, '_, '_> {
    fn line(&self, node: Node<'_, '_>) -> u32 {
        self.text.line_of(node.range().start)
    }

    fn permission(&mut self, node: Node<'_, '_>) {
        let Some(name) = node.attribute((ANDROID_NS, "name")) else { return };
        if self.presence.android_permission(name) {
            return;
        }
        let (element, shown) = (node.tag_name().name(), quoted(name));
        let (code, message) = if is_dangerous(name) {
            (
                Code::UndeclaredPermission,
                format!(
                    "<{element}> {shown} is a runtime (dangerous) permission, but no manifest permission lists it in \
                     `android`; add it to the permission it serves, or remove the request"
                ),
            )
        } else if is_special(name) {
            (
                Code::UndeclaredSpecialPermission,
                format!(
                    "<{element}> {shown} is a special-access permission that regulators and app stores single out, \
                     but no manifest permission lists it in `android`"
                ),
            )
        } else {
            return;
        };
        self.findings.push(Finding::at(code, self.file, self.line(node), message));
    }

    fn application(&mut self, app: Node<'_, '_>) {
        if let Some(class) = app.attribute((ANDROID_NS, "name")) {
            self.class(app, "application", class);
        }
        for child in app.children().filter(|n| n.is_element() && !removed(n)) {
            let kind = child.tag_name().name();
            if kind == "meta-data" {
                self.meta_data(child);
            } else if COMPONENTS.contains(&kind) {
                if let Some(class) = child.attribute((ANDROID_NS, "name")) {
                    self.class(child, kind, class);
                }
                if kind == "activity-alias" {
                    if let Some(target) = child.attribute((ANDROID_NS, "targetActivity")) {
                        self.class(child, kind, target);
                    }
                }
                for meta in child.children().filter(|n| n.has_tag_name("meta-data") && !removed(n)) {
                    self.meta_data(meta);
                }
            }
        }
    }

    fn meta_data(&mut self, node: Node<'_, '_>) {
        let Some(key) = node.attribute((ANDROID_NS, "name")) else { return };
        if key.contains("${") {
            return;
        }
        // Firebase registers components as `com.google.firebase.components:<class>`.
        let key = match key.split_once(':') {
            Some((_, class)) if !class.is_empty() => class,
            _ => key,
        };
        self.judge(node, "meta-data", key, key);
    }

    /// A component's class, resolved against the package when relative.
    fn class(&mut self, node: Node<'_, '_>, kind: &str, class: &str) {
        if class.contains("${") {
            return;
        }
        let relative = class.starts_with('.') || !class.contains('.');
        match (relative, self.package) {
            (true, Some(package)) => {
                let mut buffer = std::mem::take(&mut self.buffer);
                buffer.clear();
                buffer.push_str(package);
                if !class.starts_with('.') {
                    buffer.push('.');
                }
                buffer.push_str(class);
                self.judge(node, kind, &buffer, class);
                self.buffer = buffer;
            }
            // Relative without a package (a source manifest whose namespace is in Gradle): the
            // app's own class, which only a required-class suffix (WeChat's) can attribute.
            (true, None) | (false, _) => self.judge(node, kind, class, class),
        }
    }

    /// Attributes `name` (shown as `shown`) and reports it if an undisclosed SDK owns it.
    fn judge(&mut self, node: Node<'_, '_>, kind: &str, name: &str, shown: &str) {
        match self.index.android_owner(name) {
            Owner::Declared(i) => self.presence.android_sdk(i),
            Owner::Unknown => {}
            Owner::Undisclosed { known, by } => {
                if let Signature::Prefix(prefix) = by {
                    if self.package.is_some_and(|p| covers(p, name) && prefix.len() <= p.len()) {
                        return; // the app's own class, under a vendor namespace the app lives in
                    }
                }
                // One string, sized once: a run can report every component of a large
                // manifest, and `format!` would grow each message twice.
                let mut message = String::with_capacity(320);
                let _ = write!(
                    message,
                    "<{kind}> {shown} matches {} of {}, by {}, which no manifest SDK declares",
                    by.describe(),
                    known.name,
                    known.vendor,
                    shown = quoted(shown),
                );
                let _ = match self.index.related_android(known) {
                    Some(sdk) => write!(
                        message,
                        "; manifest SDK `{}` lists related packages, so its `packages` probably lack this one",
                        sdk.id
                    ),
                    None => write!(
                        message,
                        "; declare it as an SDK with \"packages\": [\"{}\"]",
                        suggested_prefix(by, known)
                    ),
                };
                self.findings.push(Finding::at(Code::UndisclosedSdk, self.file, self.line(node), message));
            }
        }
    }
}

/// What to add to `packages`: the matched prefix, or for a meta-data key or class suffix the
/// table entry's main prefix (declaring it vouches for the key too).
fn suggested_prefix(by: Signature, known: &KnownSdk) -> &'static str {
    match by {
        Signature::Prefix(p) => p,
        _ => known.android.first().copied().unwrap_or_default(),
    }
}
