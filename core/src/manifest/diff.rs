//! What changed between two versions of a policy manifest, and the version bump the
//! change needs (`gatekeeper diff OLD.json NEW.json`). Contract §3: a choice made under
//! an older MAJOR is void (users decide afresh), a MINOR change only sets
//! `notice_pending`. So a change that uses personal data in a new way needs a MAJOR
//! bump, a change users should be told of a MINOR one, and no change none.
//!
//! Both manifests are validated first. Sections with ids (`purposes`, `permissions`,
//! `sdks`, `data_access`, `jurisdictions`) are compared item by item by id, everything
//! else field by field; a field left out counts as its default (so writing a default out
//! is no change), and the top-level `$schema` is ignored. Each change is classified:
//!
//! - **MAJOR** (a new purpose, SDK or data use): a purpose, permission, SDK or data
//!   access added; a purpose's `basis` changed, or it became `sensitive` or `basic`; more
//!   entries in a purpose's or SDK's `data`, an SDK's `purposes`, `permissions` or
//!   `platforms`, a permission's `purposes`, `android` or `ios`, a data access's
//!   `purposes`; an SDK's `vendor` or `vendor_country` changed, or its `role` became
//!   `independent`; a data access no longer `foreground_only`.
//! - **MINOR** (the user should be told): anything else that changed, such as titles
//!   and usage texts, the controller, url or effective date, settings, jurisdictions,
//!   an item removed, fewer entries in a list, TCF and Consent Mode mappings, `packages`,
//!   `ios_modules`, `domains`, `privacy_policy`. A field this build does not know is MINOR.
//!
//! The versions' own bump is then held to it: a MAJOR bump covers everything, a MINOR
//! bump covers MINOR changes, the same version covers nothing (an edit without a version
//! change), and a lower version or another `policy.id` is an error.

use std::cmp::Ordering;

use serde_json::{json, Map, Value};

use super::{parse, ManifestIssue};

/// How much a version must change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// The same version will do.
    None,
    /// MINOR: users are told (`notice_pending`).
    Minor,
    /// MAJOR: earlier choices are void, users decide afresh.
    Major,
}

impl Bump {
    /// `none`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Where: a JSON pointer with items named by id, e.g. `/sdks/facebook/purposes`.
    pub path: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// The value before (`null` when added).
    pub old: Value,
    /// The value after (`null` when removed).
    pub new: Value,
    /// The bump this change needs.
    pub bump: Bump,
}

/// What changed between two manifests.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestDiff {
    /// The old `policy.version`.
    pub old_version: String,
    /// The new `policy.version`.
    pub new_version: String,
    /// Every change, in document order.
    pub changes: Vec<Change>,
    /// The bump the changes need: the largest of theirs.
    pub required: Bump,
    /// The bump the versions show; `None` when the new version is lower.
    pub actual: Option<Bump>,
}

impl ManifestDiff {
    /// Whether the versions' bump covers the changes.
    pub fn ok(&self) -> bool {
        self.actual.is_some_and(|a| a >= self.required)
    }

    /// What is wrong with the versions, if anything.
    pub fn problem(&self) -> Option<String> {
        match self.actual {
            None => Some(format!("the version went back from {} to {}", self.old_version, self.new_version)),
            Some(a) if a < self.required => Some(match a {
                Bump::None => format!(
                    "the manifest was edited without a version change (still {}); the changes need a {} bump",
                    self.new_version,
                    self.required.as_str().to_uppercase()
                ),
                _ => format!(
                    "{} -> {} is a {} bump; the changes need a {} bump",
                    self.old_version,
                    self.new_version,
                    a.as_str().to_uppercase(),
                    self.required.as_str().to_uppercase()
                ),
            }),
            Some(_) => None,
        }
    }

    /// The `diff --json` document.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.ok(),
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": self.required.as_str(),
            "actual_bump": self.actual.map(Bump::as_str),
            "problem": self.problem(),
            "changes": self.changes.iter().map(|c| json!({
                "path": c.path, "kind": c.kind, "bump": c.bump.as_str(), "old": c.old, "new": c.new,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Why two manifests cannot be compared.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffError {
    /// One of them is not a valid manifest: which (`old` or `new`) and its issues.
    Invalid(&'static str, Vec<ManifestIssue>),
    /// They are different policies (`policy.id`), which no store mixes.
    OtherPolicy {
        /// The old `policy.id`.
        old: String,
        /// The new `policy.id`.
        new: String,
    },
}

/// Compares two manifests' texts.
///
/// # Errors
/// Either is invalid, or they are of different policies.
pub fn diff(old_text: &str, new_text: &str) -> Result<ManifestDiff, DiffError> {
    let old = parse(old_text).map_err(|i| DiffError::Invalid("old", i))?;
    let new = parse(new_text).map_err(|i| DiffError::Invalid("new", i))?;
    if old.policy.id != new.policy.id {
        return Err(DiffError::OtherPolicy { old: old.policy.id, new: new.policy.id });
    }
    // Valid manifests are valid JSON.
    let value = |t: &str| serde_json::from_str::<Value>(t.strip_prefix('\u{feff}').unwrap_or(t)).unwrap_or_default();
    let (a, b) = (value(old_text), value(new_text));
    let mut changes = Vec::new();
    compare_top(&a, &b, &mut changes);
    let required = changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    let actual = match (old.policy.major.cmp(&new.policy.major), old.policy.minor.cmp(&new.policy.minor)) {
        (Ordering::Less, _) => Some(Bump::Major),
        (Ordering::Equal, Ordering::Less) => Some(Bump::Minor),
        (Ordering::Equal, Ordering::Equal) => Some(Bump::None),
        _ => None,
    };
    Ok(ManifestDiff { old_version: old.policy.version, new_version: new.policy.version, changes, required, actual })
}

/// The sections whose items have ids.
const ID_SECTIONS: &[&str] = &["jurisdictions", "purposes", "permissions", "sdks", "data_access"];

fn compare_top(a: &Value, b: &Value, out: &mut Vec<Change>) {
    for key in keys(a, b) {
        if key == "$schema" {
            continue;
        }
        let (x, y) = (a.get(&key).unwrap_or(&Value::Null), b.get(&key).unwrap_or(&Value::Null));
        if ID_SECTIONS.contains(&key.as_str()) {
            compare_items(&key, x, y, out);
        } else if key == "policy" {
            compare_fields(
                &format!("/{key}"),
                x,
                y,
                out,
                |field, _, _| if field == "version" { None } else { Some(Bump::Minor) },
            );
        } else {
            compare_fields(&format!("/{key}"), x, y, out, |_, _, _| Some(Bump::Minor));
        }
    }
}

/// The keys of two objects: `a`'s in order, then those only in `b`.
fn keys(a: &Value, b: &Value) -> Vec<String> {
    let empty = Map::new();
    let (a, b) = (a.as_object().unwrap_or(&empty), b.as_object().unwrap_or(&empty));
    a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))).cloned().collect()
}

/// Two values field by field (an object's members, recursively), each differing leaf
/// classified by `bump(field, old, new)` (`None`: not a change).
fn compare_fields(
    path: &str,
    a: &Value,
    b: &Value,
    out: &mut Vec<Change>,
    bump: impl Fn(&str, &Value, &Value) -> Option<Bump> + Copy,
) {
    if a == b {
        return;
    }
    if let (Some(_), Some(_)) = (a.as_object(), b.as_object()) {
        for key in keys(a, b) {
            let (x, y) = (a.get(&key).unwrap_or(&Value::Null), b.get(&key).unwrap_or(&Value::Null));
            compare_fields(&format!("{path}/{key}"), x, y, out, bump);
        }
        return;
    }
    let field = path.rsplit('/').next().unwrap_or_default();
    if let Some(bump) = bump(field, a, b) {
        let kind = match (a.is_null(), b.is_null()) {
            (true, _) => "added",
            (_, true) => "removed",
            _ => "changed",
        };
        out.push(Change { path: path.to_owned(), kind, old: a.clone(), new: b.clone(), bump });
    }
}

fn compare_items(section: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    let items = |v: &Value| -> Vec<(String, Value)> {
        v.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| (i["id"].as_str().unwrap_or_default().to_owned(), with_defaults(section, i)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (old, new) = (items(a), items(b));
    let find = |list: &[(String, Value)], id: &str| list.iter().find(|(i, _)| i == id).map(|(_, v)| v.clone());
    let added_bump = if section == "jurisdictions" { Bump::Minor } else { Bump::Major };
    for (id, o) in &old {
        let path = format!("/{section}/{id}");
        match find(&new, id) {
            None => out.push(Change { path, kind: "removed", old: o.clone(), new: Value::Null, bump: Bump::Minor }),
            Some(n) => compare_fields(&path, o, &n, out, |field, x, y| Some(item_bump(section, field, x, y))),
        }
    }
    for (id, n) in &new {
        if find(&old, id).is_none() {
            out.push(Change {
                path: format!("/{section}/{id}"),
                kind: "added",
                old: Value::Null,
                new: n.clone(),
                bump: added_bump,
            });
        }
    }
}

/// An item with every absent field that has a default written out.
fn with_defaults(section: &str, item: &Value) -> Value {
    let defaults: &[(&str, Value)] = &match section {
        "purposes" => vec![
            ("sensitive", json!(false)),
            ("basic", json!(false)),
            ("data", json!([])),
            ("tcf_purposes", json!([])),
            ("tcf_special_features", json!([])),
            ("consent_mode", json!([])),
        ],
        "permissions" => vec![
            ("android", json!([])),
            ("ios", json!([])),
            ("user_initiated", json!(true)),
            ("allow_at_launch", json!(false)),
        ],
        "sdks" => vec![
            ("role", json!("entrusted")),
            ("data", json!([])),
            ("permissions", json!([])),
            ("platforms", json!(["android", "ios"])),
            ("packages", json!([])),
            ("ios_modules", json!([])),
            ("domains", json!([])),
        ],
        "data_access" => vec![("min_interval_seconds", json!(0)), ("foreground_only", json!(true))],
        _ => vec![],
    };
    let mut item = item.clone();
    if let Some(obj) = item.as_object_mut() {
        for (k, v) in defaults {
            obj.entry(*k).or_insert_with(|| v.clone());
        }
    }
    item
}

/// The bump a change of `field` of an item of `section` needs (see the module doc).
fn item_bump(section: &str, field: &str, old: &Value, new: &Value) -> Bump {
    let grows = || {
        let (o, n) = (old.as_array(), new.as_array());
        match (o, n) {
            (Some(o), Some(n)) => n.iter().any(|x| !o.contains(x)),
            _ => !new.is_null(),
        }
    };
    let major = match (section, field) {
        ("purposes", "basis") => true,
        ("purposes", "sensitive" | "basic") => new == &json!(true),
        ("purposes", "data") => grows(),
        ("permissions", "purposes" | "android" | "ios") => grows(),
        ("sdks", "purposes" | "data" | "permissions" | "platforms") => grows(),
        ("sdks", "vendor" | "vendor_country") => true,
        ("sdks", "role") => new == &json!("independent"),
        ("data_access", "purposes") => grows(),
        ("data_access", "foreground_only") => new == &json!(false),
        _ => false,
    };
    if major {
        Bump::Major
    } else {
        Bump::Minor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::EXAMPLE_MANIFEST;

    fn edited(f: impl FnOnce(&mut Value)) -> String {
        let mut v: Value = serde_json::from_str(EXAMPLE_MANIFEST).unwrap();
        f(&mut v);
        v.to_string()
    }

    fn required(f: impl FnOnce(&mut Value)) -> (Bump, Vec<String>) {
        let d = diff(EXAMPLE_MANIFEST, &edited(f)).unwrap();
        (d.required, d.changes.iter().map(|c| format!("{} {} {}", c.kind, c.path, c.bump.as_str())).collect())
    }

    #[test]
    fn the_same_content_needs_nothing() {
        let d = diff(EXAMPLE_MANIFEST, EXAMPLE_MANIFEST).unwrap();
        assert_eq!((d.required, d.actual, d.ok(), d.changes.len()), (Bump::None, Some(Bump::None), true, 0));
        // Layout, $schema and defaults written out are no change.
        let (bump, changes) = required(|m| {
            m.as_object_mut().unwrap().remove("$schema");
            m["sdks"][0]["role"] = json!("entrusted");
            m["permissions"][0]["user_initiated"] = json!(true);
        });
        assert_eq!((bump, changes.len()), (Bump::None, 0), "{changes:?}");
    }

    #[test]
    fn new_uses_of_data_need_a_major_bump() {
        for (what, edit) in [
            (
                "a purpose",
                Box::new(|m: &mut Value| {
                    m["purposes"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"id": "resale", "title": "Resale", "basis": "consent"}))
                }) as Box<dyn FnOnce(&mut Value)>,
            ),
            (
                "an SDK",
                Box::new(|m: &mut Value| {
                    m["sdks"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"id": "alipay", "name": "Alipay", "vendor": "Ant", "purposes": ["payments"]}))
                }),
            ),
            (
                "a permission",
                Box::new(|m: &mut Value| {
                    m["permissions"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"id": "calendar", "title": "Calendar", "purposes": ["essential"]}))
                }),
            ),
            (
                "an SDK purpose",
                Box::new(|m: &mut Value| m["sdks"][0]["purposes"].as_array_mut().unwrap().push(json!("analytics"))),
            ),
            ("SDK data", Box::new(|m: &mut Value| m["sdks"][0]["data"] = json!(["device_id", "contacts"]))),
            // `payments`: `essential` (purposes[0]) is basic, which only contract or legal
            // obligation may be (§9.1).
            ("a basis", Box::new(|m: &mut Value| m["purposes"][1]["basis"] = json!("legitimate_interest"))),
            ("sensitive", Box::new(|m: &mut Value| m["purposes"][0]["sensitive"] = json!(true))),
            ("independent", Box::new(|m: &mut Value| m["sdks"][0]["role"] = json!("independent"))),
            ("a vendor country", Box::new(|m: &mut Value| m["sdks"][0]["vendor_country"] = json!("US"))),
            (
                "an Android permission",
                Box::new(|m: &mut Value| {
                    m["permissions"][0]["android"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!("android.permission.RECORD_AUDIO"))
                }),
            ),
        ] {
            let (bump, changes) = required(edit);
            assert_eq!(bump, Bump::Major, "{what}: {changes:?}");
        }
    }

    #[test]
    fn wording_removals_and_settings_need_a_minor_bump() {
        for (what, edit) in [
            (
                "a title",
                Box::new(|m: &mut Value| m["purposes"][0]["title"] = json!("Core")) as Box<dyn FnOnce(&mut Value)>,
            ),
            ("an SDK removed", Box::new(|m: &mut Value| drop(m["sdks"].as_array_mut().unwrap().remove(0)))),
            ("fewer SDK data", Box::new(|m: &mut Value| m["sdks"][0]["data"] = json!([]))),
            (
                "the controller",
                Box::new(|m: &mut Value| m["policy"]["controller"]["contact"] = json!("dpo@example.com")),
            ),
            ("a setting", Box::new(|m: &mut Value| m["settings"]["consent_ttl_days"] = json!(365))),
            ("not sensitive", Box::new(|m: &mut Value| m["purposes"][7]["sensitive"] = json!(false))),
            ("the effective date", Box::new(|m: &mut Value| m["policy"]["effective"] = json!("2025-04-01"))),
            ("a jurisdiction's age", Box::new(|m: &mut Value| m["jurisdictions"][0]["age_of_consent"] = json!(16))),
        ] {
            let (bump, changes) = required(edit);
            assert_eq!(bump, Bump::Minor, "{what}: {changes:?}");
        }
    }

    #[test]
    fn the_versions_must_cover_the_changes() {
        let v = |version: &str, title: &str| {
            edited(|m| {
                m["policy"]["version"] = json!(version);
                m["purposes"][0]["title"] = json!(title);
            })
        };
        let check = |old: &str, new: &str| {
            let d = diff(old, new).unwrap();
            (d.actual, d.ok(), d.problem())
        };
        assert_eq!(check(EXAMPLE_MANIFEST, &v("3.2", "Core")), (Some(Bump::Minor), true, None));
        assert_eq!(check(EXAMPLE_MANIFEST, &v("4.0", "Core")), (Some(Bump::Major), true, None));
        let (actual, ok, problem) = check(EXAMPLE_MANIFEST, &v("3.1", "Core"));
        assert_eq!((actual, ok), (Some(Bump::None), false));
        assert!(problem.unwrap().contains("edited without a version change"));
        let (actual, ok, problem) = check(EXAMPLE_MANIFEST, &v("3.0", "Core service"));
        assert_eq!((actual, ok), (None, false));
        assert!(problem.unwrap().contains("went back"));
        // A new SDK under a MINOR bump is not enough.
        let new = edited(|m| {
            m["policy"]["version"] = json!("3.2");
            m["sdks"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": "alipay", "name": "Alipay", "vendor": "Ant", "purposes": ["payments"]}));
        });
        let d = diff(EXAMPLE_MANIFEST, &new).unwrap();
        assert_eq!((d.required, d.ok()), (Bump::Major, false));
        assert_eq!(d.changes[0].path, "/sdks/alipay");
        assert!(d.problem().unwrap().contains("MINOR bump; the changes need a MAJOR bump"), "{:?}", d.problem());
    }

    #[test]
    fn invalid_or_other_policies_are_refused() {
        assert!(matches!(diff("{}", EXAMPLE_MANIFEST), Err(DiffError::Invalid("old", _))));
        assert!(matches!(diff(EXAMPLE_MANIFEST, "[]"), Err(DiffError::Invalid("new", _))));
        let other = edited(|m| m["policy"]["id"] = json!("other"));
        assert_eq!(
            diff(EXAMPLE_MANIFEST, &other),
            Err(DiffError::OtherPolicy { old: "phocol".into(), new: "other".into() })
        );
    }

    /// An edit of the example, with the bump it needs alone.
    type Edit = (Bump, fn(&mut Value));

    /// The edits the property below combines.
    fn edits() -> Vec<Edit> {
        vec![
            (Bump::Minor, |m| m["purposes"][0]["title"] = json!("Core")),
            (Bump::Minor, |m| m["settings"]["reask_after_denial_days"] = json!(90)),
            (Bump::Minor, |m| m["sdks"][1]["name"] = json!("Matisse picker")),
            (Bump::Minor, |m| drop(m["permissions"].as_array_mut().unwrap().pop())),
            (Bump::Major, |m| m["purposes"][1]["basis"] = json!("consent")),
            (Bump::Major, |m| m["sdks"][2]["role"] = json!("independent")),
            (Bump::Major, |m| m["sdks"][3]["data"].as_array_mut().unwrap().push(json!("contacts"))),
            (Bump::None, |m| drop(m.as_object_mut().unwrap().remove("$schema"))),
            (Bump::None, |m| m["sdks"][0]["platforms"] = json!(["android", "ios"])),
        ]
    }

    proptest::proptest! {
        /// Any combination of edits needs the largest bump among them, lists each one
        /// that needs a bump, and the reverse diff needs a bump if and only if it does.
        #[test]
        fn combined_edits_need_the_largest_of_their_bumps(mask in 0u32..512) {
            let chosen: Vec<Edit> =
                edits().into_iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, e)| e).collect();
            let new = edited(|m| for (_, f) in &chosen { f(m) });
            let d = diff(EXAMPLE_MANIFEST, &new).unwrap();
            let expected = chosen.iter().map(|(b, _)| *b).max().unwrap_or(Bump::None);
            proptest::prop_assert_eq!(d.required, expected, "{:?}", d.changes);
            proptest::prop_assert!(d.changes.len() >= chosen.iter().filter(|(b, _)| *b > Bump::None).count());
            let back = diff(&new, EXAMPLE_MANIFEST).unwrap();
            proptest::prop_assert_eq!(back.required == Bump::None, expected == Bump::None);
        }
    }
}
