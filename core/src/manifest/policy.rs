//! The `policy` section: which policy this is (`id`, `version` as "MAJOR.MINOR",
//! `effective` date), who the controller is, and where the policy is published. A
//! choice made under an older MAJOR is void; a MINOR change only sets `notice_pending`.

use serde::Serialize;

use super::checker::{quote, Checker};
use super::json::Json;
use super::location::Loc;
use crate::time::parse_date;

/// The `policy` section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyInfo {
    /// The policy's id (`^[a-z][a-z0-9_]*$`): a store is only ever used with one.
    pub id: String,
    /// "MAJOR.MINOR" exactly as written.
    pub version: String,
    /// The MAJOR of `version`.
    pub major: u32,
    /// The MINOR of `version`.
    pub minor: u32,
    /// YYYY-MM-DD exactly as written.
    pub effective: String,
    /// Who is responsible for the processing.
    pub controller: Controller,
    /// Where the policy is published.
    pub url: Option<String>,
}

/// The controller: who decides on the processing (`policy.controller`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Controller {
    /// The controller's name.
    pub name: String,
    /// How to reach them about privacy.
    pub contact: Option<String>,
}

/// The fields of `policy`.
const POLICY_FIELDS: &[&str] = &["id", "version", "effective", "controller", "url"];
/// The fields of `policy.controller`.
const CONTROLLER_FIELDS: &[&str] = &["name", "contact"];

impl Checker {
    pub(super) fn policy(&mut self, value: &Json, loc: &Loc) -> Option<PolicyInfo> {
        let obj = self.object(value, loc, POLICY_FIELDS)?;
        let id = self.field(&obj, "id", Self::id);
        let version = self.field(&obj, "version", Self::version);
        let effective = self.field(&obj, "effective", Self::effective);
        let controller = self.field(&obj, "controller", Self::controller);
        let url = self.optional(&obj, "url", Self::text);
        let (version, major, minor) = version?;
        Some(PolicyInfo { id: id?, version, major, minor, effective: effective?, controller: controller?, url })
    }

    /// "MAJOR.MINOR": the text as written, and both numbers.
    fn version(&mut self, value: &Json, loc: &Loc) -> Option<(String, u32, u32)> {
        let s = self.string(value, loc)?;
        match parse_version(s) {
            Ok((major, minor)) => Some((s.to_owned(), major, minor)),
            Err(why) => {
                let hint = why.map(|why| format!(" ({why})")).unwrap_or_default();
                let found = quote(s);
                self.report(
                    loc,
                    format!("version must be MAJOR.MINOR with non-negative integers, found {found}{hint}"),
                );
                None
            }
        }
    }

    fn effective(&mut self, value: &Json, loc: &Loc) -> Option<String> {
        let s = self.string(value, loc)?;
        if parse_date(s).is_none() {
            self.report(loc, format!("effective must be a date YYYY-MM-DD, found {}", quote(s)));
            return None;
        }
        Some(s.to_owned())
    }

    fn controller(&mut self, value: &Json, loc: &Loc) -> Option<Controller> {
        let obj = self.object(value, loc, CONTROLLER_FIELDS)?;
        let name = self.field(&obj, "name", Self::text);
        let contact = self.optional(&obj, "contact", Self::text);
        Some(Controller { name: name?, contact })
    }
}

/// Parses "MAJOR.MINOR"; on failure, says why when the shape alone does not.
fn parse_version(s: &str) -> Result<(u32, u32), Option<&'static str>> {
    let (major, minor) = s.split_once('.').ok_or(None)?;
    Ok((version_number(major)?, version_number(minor)?))
}

fn version_number(s: &str) -> Result<u32, Option<&'static str>> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(None);
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(Some("no leading zeros"));
    }
    s.parse().map_err(|_| Some("each number must be at most 4294967295"))
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;

    #[test]
    fn reports_malformed_version() {
        let found = only_issue(|m| m["policy"]["version"] = json!("3"));
        assert_eq!(
            found,
            issue("/policy/version", "version must be MAJOR.MINOR with non-negative integers, found `3`")
        );
        for bad in ["", "3.", ".1", "3.1.2", "-3.1", "3.x", "v3.1", "3.01", "4294967296.0", " 3.1"] {
            let found = only_issue(|m| m["policy"]["version"] = json!(bad));
            assert_eq!(found.path, "/policy/version", "{bad}");
        }
        let found = only_issue(|m| m["policy"]["version"] = json!(3.1));
        assert_eq!(found.message, "expected a string, found a number");

        let mut manifest = minimal();
        manifest["policy"]["version"] = json!("0.4294967295");
        let policy = parse(&manifest.to_string()).expect("valid").policy;
        assert_eq!((policy.major, policy.minor), (0, u32::MAX));
    }

    #[test]
    fn reports_malformed_date() {
        let found = only_issue(|m| m["policy"]["effective"] = json!("2025-02-30"));
        assert_eq!(found, issue("/policy/effective", "effective must be a date YYYY-MM-DD, found `2025-02-30`"));
        for bad in ["2025-3-01", "01/03/2025", "2025-03-01T00:00:00Z", "2025-0é-01", "2025-00-01"] {
            let found = only_issue(|m| m["policy"]["effective"] = json!(bad));
            assert_eq!(found.path, "/policy/effective", "{bad}");
        }
    }
}
