//! The `data_access` section (contract §9.2): the sensitive data the app (or the hooks it
//! installs around sensitive APIs) asks about before each read — precise location, the
//! clipboard, the installed-app list, device identifiers — with the purposes each read
//! serves, how often it may happen (`min_interval_seconds`) and whether it may happen in
//! the background (`foreground_only`). MIIT's 164号文 1.2 forbids reading such data more
//! often than needed or in the background, and reviewers count the reads.

use serde::Serialize;

use super::checker::Checker;
use super::cross_refs::Kind;
use super::json::Json;
use super::localized::LocalizedText;
use super::location::Loc;

/// One kind of sensitive data access.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataAccess {
    /// The access's id (`^[a-z][a-z0-9_]*$`), decided as `access:<id>`.
    pub id: String,
    /// What the user is shown: one string, or one per language (contract §10.1).
    pub title: LocalizedText,
    /// Declared purpose ids, non-empty.
    pub purposes: Vec<String>,
    /// The shortest time between two allowed accesses, in seconds. Default 0 (no limit).
    pub min_interval_seconds: u32,
    /// Only while the app is in the foreground. Default true.
    pub foreground_only: bool,
}

/// The fields of a data access.
const DATA_ACCESS_FIELDS: &[&str] = &["id", "title", "purposes", "min_interval_seconds", "foreground_only"];

impl Checker {
    pub(super) fn data_access(&mut self, value: &Json, loc: &Loc) -> Option<DataAccess> {
        let obj = self.object(value, loc, DATA_ACCESS_FIELDS)?;
        let id = self.declared_id(&obj, Kind::DataAccess);
        let title = self.field(&obj, "title", Self::localized);
        let purposes = self.served_purposes(&obj, "a data access");
        let min_interval_seconds = self.optional(&obj, "min_interval_seconds", Self::count);
        let foreground_only = self.optional(&obj, "foreground_only", Self::boolean);
        Some(DataAccess {
            id: id?,
            title: title?,
            purposes: purposes?,
            min_interval_seconds: min_interval_seconds.unwrap_or(0),
            foreground_only: foreground_only.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;

    #[test]
    fn data_access_is_optional_and_read_with_its_defaults() {
        assert!(parse(&minimal().to_string()).expect("valid").data_access.is_empty());
        let mut m = minimal();
        m["data_access"] = json!([
            {"id": "clipboard", "title": "Clipboard", "purposes": ["essential"]},
            {"id": "precise_location", "title": "Precise location", "purposes": ["analytics"],
             "min_interval_seconds": 30, "foreground_only": false}
        ]);
        let parsed = parse(&m.to_string()).expect("valid");
        let a = &parsed.data_access;
        assert_eq!((a[0].id.as_str(), a[0].min_interval_seconds, a[0].foreground_only), ("clipboard", 0, true));
        assert_eq!(
            (a[1].id.as_str(), a[1].min_interval_seconds, a[1].foreground_only),
            ("precise_location", 30, false)
        );
        assert_eq!(parsed.data_access("clipboard").map(|d| d.title.text()), Some("Clipboard"));
        m["data_access"] = json!(null);
        assert!(parse(&m.to_string()).expect("null is absent").data_access.is_empty());
    }

    #[test]
    fn every_data_access_error_is_reported_at_its_path() {
        let found = issues_after(|m| {
            m["data_access"] = json!([
                {"id": "Clip", "title": 3, "purposes": [], "min_interval_seconds": -1, "foreground_only": "yes", "extra": 1},
                {"title": "No id", "purposes": ["marketing"]},
                {"id": "loc", "title": "Location", "purposes": ["essential"], "min_interval_seconds": 1.5},
                {"id": "loc", "title": "Again", "purposes": ["essential"]},
                "device_id"
            ]);
        });
        let mut found: Vec<(&str, &str)> = found.iter().map(|i| (i.path.as_str(), i.message.as_str())).collect();
        found.sort_unstable();
        let bad_id = "`Clip` is not a valid id: use a lower-case letter, then lower-case letters, digits or underscores (^[a-z][a-z0-9_]*$), at most 64 characters";
        assert_eq!(
            found,
            [
                (
                    "/data_access/0/extra",
                    "unknown field `extra` (allowed: id, title, purposes, min_interval_seconds, foreground_only)"
                ),
                ("/data_access/0/foreground_only", "expected a boolean, found a string"),
                ("/data_access/0/id", bad_id),
                ("/data_access/0/min_interval_seconds", "expected a non-negative integer, found -1"),
                ("/data_access/0/purposes", "a data access must serve at least one purpose"),
                ("/data_access/0/title", "expected a string, found a number"),
                ("/data_access/1/id", "missing required field `id`"),
                ("/data_access/1/purposes/0", "`marketing` is not a declared purpose"),
                ("/data_access/2/min_interval_seconds", "expected a non-negative integer, found 1.5"),
                ("/data_access/3/id", "duplicate data access id `loc` (first declared at /data_access/2/id)"),
                ("/data_access/4", "expected an object, found a string"),
            ]
        );

        let undeclared = only_issue(|m| {
            m["data_access"] = json!([{"id": "loc", "title": "Location", "purposes": ["essential", "marketing"]}]);
        });
        assert_eq!(undeclared, issue("/data_access/0/purposes/1", "`marketing` is not a declared purpose"));
        let not_array = only_issue(|m| m["data_access"] = json!({"id": "loc"}));
        assert_eq!(not_array, issue("/data_access", "expected an array, found an object"));
    }
}
