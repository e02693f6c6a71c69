//! The checks across sections: duplicate ids of one kind, references to undeclared
//! purposes and permissions, the default jurisdiction, and a country listed by two
//! jurisdictions. The ids and references are gathered while the sections are read
//! (even from an element that is otherwise broken), and checked once at the end.
//!
//! A section whose elements declare ids reads them with [`Checker::declared_id`] and
//! [`Checker::declarations`]; one that refers to other sections' ids reads the lists with
//! [`Checker::references`]. A new kind of declaration is a [`Kind`].

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::checker::{quote, Checker, Members};
use super::json::Json;
use super::location::{Loc, Located, Place};
use crate::id_map::IdHasher;

/// A set of ids or keys from the manifest, hashed as [`crate::id_map`] explains.
pub(super) type IdSet<'a> = HashSet<&'a str, BuildHasherDefault<IdHasher>>;

/// The kinds of declared ids that are checked for duplicates or referenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Jurisdiction,
    Purpose,
    Permission,
    Sdk,
    DataAccess,
}

impl Kind {
    pub(super) const ALL: [Kind; 5] =
        [Kind::Jurisdiction, Kind::Purpose, Kind::Permission, Kind::Sdk, Kind::DataAccess];

    pub(super) fn label(self) -> &'static str {
        match self {
            Kind::Jurisdiction => "jurisdiction",
            Kind::Purpose => "purpose",
            Kind::Permission => "permission",
            Kind::Sdk => "SDK",
            Kind::DataAccess => "data access",
        }
    }

    /// The top-level field that declares this kind.
    pub(super) fn section(self) -> &'static str {
        match self {
            Kind::Jurisdiction => "jurisdictions",
            Kind::Purpose => "purposes",
            Kind::Permission => "permissions",
            Kind::Sdk => "sdks",
            Kind::DataAccess => "data_access",
        }
    }
}

/// The ids declared for one kind.
#[derive(Debug, Default)]
pub(super) struct Declared {
    ids: Vec<Located>,
    /// Every declaration's id could be read. When not, a reference that matches none
    /// of `ids` may still name the unreadable one, so it is not reported.
    complete: bool,
}

/// What the cross-checks need, gathered while the structure is read: every id that
/// could be read, even from an element that is otherwise broken.
#[derive(Debug, Default)]
pub(super) struct Seen {
    jurisdictions: Declared,
    purposes: Declared,
    permissions: Declared,
    sdks: Declared,
    data_access: Declared,
    /// References to purposes and permissions, with what they refer to.
    references: Vec<(Kind, Located)>,
    /// Valid country codes listed by jurisdictions.
    pub(super) countries: Vec<Located>,
    /// The default jurisdiction's id, as given.
    pub(super) default_jurisdiction: Option<Located>,
}

impl Declared {
    /// The declared ids, or `None` when some declaration's id could not be read.
    pub(super) fn known_ids(&self) -> Option<IdSet<'_>> {
        self.complete.then(|| self.ids.iter().map(|id| id.value.as_str()).collect())
    }
}

impl Seen {
    pub(super) fn declared(&self, kind: Kind) -> &Declared {
        match kind {
            Kind::Jurisdiction => &self.jurisdictions,
            Kind::Purpose => &self.purposes,
            Kind::Permission => &self.permissions,
            Kind::Sdk => &self.sdks,
            Kind::DataAccess => &self.data_access,
        }
    }

    pub(super) fn declared_mut(&mut self, kind: Kind) -> &mut Declared {
        match kind {
            Kind::Jurisdiction => &mut self.jurisdictions,
            Kind::Purpose => &mut self.purposes,
            Kind::Permission => &mut self.permissions,
            Kind::Sdk => &mut self.sdks,
            Kind::DataAccess => &mut self.data_access,
        }
    }
}

impl Checker {
    /// The id of a `kind` declaration, remembered for the duplicate and reference
    /// checks even when it is malformed.
    pub(super) fn declared_id(&mut self, obj: &Members<'_, '_>, kind: Kind) -> Option<String> {
        self.field(obj, "id", |c, value, at| {
            let raw = c.string(value, at)?;
            c.seen.declared_mut(kind).ids.push(Located::new(raw, at, c.skip_places));
            match kind {
                Kind::Jurisdiction => c.jurisdiction_id(value, at),
                _ => c.check_id(raw, at).then(|| raw.to_owned()),
            }
        })
    }

    /// A top-level array of `kind` declarations, each read with `read`.
    pub(super) fn declarations<'a, T>(
        &mut self,
        obj: &Members<'a, '_>,
        kind: Kind,
        read: impl FnMut(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.field(obj, kind.section(), |c, value, at| c.list(value, at, read));
        let count = match obj.get(kind.section()) {
            Some((Json::Array(elements), _)) => Some(elements.len()),
            _ => None,
        };
        let declared = self.seen.declared_mut(kind);
        declared.complete = count == Some(declared.ids.len());
        items
    }

    /// An optional top-level array of `kind` declarations (part two's sections): absent
    /// or `null` is an empty list.
    pub(super) fn optional_declarations<'a, T>(
        &mut self,
        obj: &Members<'a, '_>,
        kind: Kind,
        read: impl FnMut(&mut Self, &'a Json<'a>, &Loc) -> Option<T>,
    ) -> Option<Vec<T>> {
        if matches!(obj.get(kind.section()), None | Some((Json::Null, _))) {
            self.seen.declared_mut(kind).complete = true;
            return Some(Vec::new());
        }
        self.declarations(obj, kind, read)
    }

    /// A list of ids referring to `kind` declarations, remembered for the cross-check.
    /// A repeat in one list is reported at its own index (it cannot mean anything).
    pub(super) fn references(&mut self, value: &Json, loc: &Loc, kind: Kind) -> Option<Vec<String>> {
        self.distinct_list(value, loc, |c, item, at| {
            let id = c.string(item, at)?;
            c.seen.references.push((kind, Located::new(id, at, c.skip_places)));
            Some(id.to_owned())
        })
    }

    /// The required, non-empty `purposes` of a permission or SDK (`owner`, e.g. "an SDK").
    pub(super) fn served_purposes(&mut self, obj: &Members<'_, '_>, owner: &str) -> Option<Vec<String>> {
        self.field(obj, "purposes", |c, value, at| {
            if matches!(value, Json::Array(items) if items.is_empty()) {
                c.report(at, format!("{owner} must serve at least one purpose"));
                return None;
            }
            c.references(value, at, Kind::Purpose)
        })
    }

    /// The checks across parts: duplicate ids, undeclared references, the default
    /// jurisdiction, countries in two jurisdictions.
    pub(super) fn cross_check(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        for kind in Kind::ALL {
            for (id, first) in repeats(&seen.declared(kind).ids) {
                let message =
                    format!("duplicate {} id {} (first declared at {})", kind.label(), quote(&id.value), first.pointer);
                self.report_at(id.place.clone(), message);
            }
        }
        let ids = |kind| seen.declared(kind).known_ids();
        let (purposes, permissions, jurisdictions) =
            (ids(Kind::Purpose), ids(Kind::Permission), ids(Kind::Jurisdiction));
        for (kind, reference) in &seen.references {
            let declared = if *kind == Kind::Purpose { &purposes } else { &permissions };
            self.check_declared(declared.as_ref(), *kind, reference);
        }
        if let Some(default) = &seen.default_jurisdiction {
            self.check_declared(jurisdictions.as_ref(), Kind::Jurisdiction, default);
        }
        for (code, first) in repeats(&seen.countries) {
            let message = format!(
                "country {} is already listed at {}; a country belongs to one jurisdiction",
                quote(&code.value),
                first.pointer
            );
            self.report_at(code.place.clone(), message);
        }
    }

    /// Reports `reference` unless it is among the `declared` ids of its kind. `None`
    /// (some declaration was unreadable and may be the one it names) reports nothing.
    fn check_declared(&mut self, declared: Option<&IdSet<'_>>, kind: Kind, reference: &Located) {
        if declared.is_some_and(|ids| !ids.contains(reference.value.as_str())) {
            let message = format!("{} is not a declared {}", quote(&reference.value), kind.label());
            self.report_at(reference.place.clone(), message);
        }
    }
}

/// Every item whose value appeared earlier, with where it first appeared.
fn repeats(items: &[Located]) -> Vec<(&Located, &Place)> {
    let mut first: HashMap<&str, &Place, BuildHasherDefault<IdHasher>> = HashMap::default();
    let mut repeated = Vec::new();
    for item in items {
        match first.entry(&item.value) {
            Entry::Vacant(slot) => {
                slot.insert(&item.place);
            }
            Entry::Occupied(earlier) => repeated.push((item, *earlier.get())),
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;

    #[test]
    fn reports_duplicate_ids() {
        let found = only_issue(|m| {
            let purposes = m["purposes"].as_array_mut().expect("array");
            purposes.push(json!({"id": "analytics", "title": "Again", "basis": "consent"}));
        });
        assert_eq!(
            found,
            issue("/purposes/2/id", "duplicate purpose id `analytics` (first declared at /purposes/1/id)")
        );

        let found = only_issue(|m| {
            let jurisdictions = m["jurisdictions"].as_array_mut().expect("array");
            jurisdictions.push(json!({"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": []}));
        });
        assert_eq!(
            found,
            issue("/jurisdictions/2/id", "duplicate jurisdiction id `CN` (first declared at /jurisdictions/0/id)")
        );
    }

    #[test]
    fn reports_undeclared_purpose() {
        let found = only_issue(|m| m["sdks"][0]["purposes"] = json!(["analytics", "marketing"]));
        assert_eq!(found, issue("/sdks/0/purposes/1", "`marketing` is not a declared purpose"));

        let found = only_issue(|m| m["permissions"][0]["purposes"] = json!(["marketing"]));
        assert_eq!(found, issue("/permissions/0/purposes/0", "`marketing` is not a declared purpose"));
    }

    #[test]
    fn reports_undeclared_permission() {
        let found = only_issue(|m| m["sdks"][0]["permissions"] = json!(["camera", "location"]));
        assert_eq!(found, issue("/sdks/0/permissions/1", "`location` is not a declared permission"));
    }

    #[test]
    fn no_undeclared_reports_when_the_declarations_are_unreadable() {
        let found = only_issue(|m| m["purposes"][1] = json!("analytics"));
        assert_eq!(found, issue("/purposes/1", "expected an object, found a string"));
    }

    #[test]
    fn reports_empty_purposes() {
        let found = only_issue(|m| m["sdks"][0]["purposes"] = json!([]));
        assert_eq!(found, issue("/sdks/0/purposes", "an SDK must serve at least one purpose"));

        let found = only_issue(|m| m["permissions"][0]["purposes"] = json!([]));
        assert_eq!(found, issue("/permissions/0/purposes", "a permission must serve at least one purpose"));
    }

    #[test]
    fn reports_undeclared_default_jurisdiction() {
        let found = only_issue(|m| m["default_jurisdiction"] = json!("eu"));
        assert_eq!(found, issue("/default_jurisdiction", "`eu` is not a declared jurisdiction"));
    }

    #[test]
    fn reports_country_in_two_jurisdictions() {
        let found = only_issue(|m| m["jurisdictions"][1]["countries"] = json!(["JP", "CN"]));
        assert_eq!(found.path, "/jurisdictions/1/countries/1");
        assert!(found.message.contains("/jurisdictions/0/countries/0"), "{}", found.message);
    }
}
