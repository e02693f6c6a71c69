//! Who owns a class, a `<meta-data>` key, an iOS module or a host: the lookups over the
//! manifest's SDKs and the built-in table, built once per lint run (the table's part once
//! per process), so that checking a component costs a few hash lookups of borrowed slices
//! and no allocation.
//!
//! The rules, in order, for an Android name:
//! 1. A manifest SDK whose `packages` cover it owns it (any of them; the manifest is
//!    authoritative).
//! 2. Otherwise the built-in table identifies it: the longest covering prefix, else an exact
//!    `<meta-data>` key, else a required-class suffix; a [`NOT_SDKS`] namespace wins over a
//!    shorter SDK prefix and means "not an SDK".
//! 3. An identified SDK is declared when a manifest SDK vouches for it: one with no
//!    `packages` whose id or name carries one of the table entry's aliases (a manifest
//!    written before `packages` existed); for a meta-data key or suffix match, also one whose
//!    `packages` overlap the entry's prefixes.
//!
//! iOS modules follow the same three steps with `ios_modules`; hosts are covered by any
//! manifest SDK's `domains` (or, for a manifest SDK without `domains`, those of the table
//! entries its aliases name), a listed host covering its subdomains.

use std::sync::OnceLock;

use crate::declared::{Declared, DeclaredSdk};
use crate::known_sdks::{KnownSdk, KNOWN_SDKS, NOT_SDKS};
use crate::name_hash::NameMap;

/// A built-in table entry or a "not an SDK" namespace.
#[derive(Debug, Clone, Copy)]
enum Known {
    Sdk(usize),
    NotAnSdk,
}

/// The built-in table's lookups, built once.
struct Table {
    prefixes: NameMap<&'static str, Known>,
    meta_data: NameMap<&'static str, usize>,
    suffixes: Vec<(&'static str, usize)>,
    modules: NameMap<&'static str, usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            prefixes: NameMap::default(),
            meta_data: NameMap::default(),
            suffixes: Vec::new(),
            modules: NameMap::default(),
        };
        for (i, sdk) in KNOWN_SDKS.iter().enumerate() {
            t.prefixes.extend(sdk.android.iter().map(|&p| (p, Known::Sdk(i))));
            t.meta_data.extend(sdk.meta_data.iter().map(|&k| (k, i)));
            t.suffixes.extend(sdk.class_suffixes.iter().map(|&s| (s, i)));
            t.modules.extend(sdk.ios_modules.iter().map(|&m| (m, i)));
        }
        t.prefixes.extend(NOT_SDKS.iter().map(|n| (n.prefix, Known::NotAnSdk)));
        t
    })
}

/// How a name was identified by the built-in table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signature {
    /// Under this package prefix.
    Prefix(&'static str),
    /// This exact `<meta-data>` key.
    MetaData(&'static str),
    /// A class ending like this.
    Suffix(&'static str),
    /// This iOS module.
    Module(&'static str),
}

impl Signature {
    /// How a message names the match: "prefix `com.umeng`".
    pub(crate) fn describe(&self) -> String {
        match self {
            Signature::Prefix(p) => format!("package prefix `{p}`"),
            Signature::MetaData(k) => format!("meta-data key `{k}`"),
            Signature::Suffix(s) => format!("required class suffix `{s}`"),
            Signature::Module(m) => format!("module `{m}`"),
        }
    }
}

/// Who an Android name or an iOS module belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Manifest SDK at this index.
    Declared(usize),
    /// A known SDK that no manifest SDK declares: an `undisclosed_sdk`.
    Undisclosed { known: &'static KnownSdk, by: Signature },
    /// Not an SDK this lint knows.
    Unknown,
}

/// The lookups of one lint run.
pub(crate) struct SdkIndex<'d> {
    declared: &'d Declared,
    /// Explicit `packages` → manifest SDK.
    packages: NameMap<&'d str, usize>,
    /// Explicit `ios_modules` → manifest SDK.
    modules: NameMap<&'d str, usize>,
    /// Per table entry: the manifest SDK without `packages` that vouches for it by alias.
    android_alias: Vec<Option<usize>>,
    /// Per table entry: the manifest SDK without `ios_modules` that vouches for it by alias.
    ios_alias: Vec<Option<usize>>,
    /// Per table entry: a manifest SDK whose `packages` overlap the entry's prefixes.
    android_overlap: Vec<Option<usize>>,
    /// Hosts (lower case) some manifest SDK contacts.
    domains: Vec<String>,
}

impl<'d> SdkIndex<'d> {
    pub(crate) fn new(declared: &'d Declared) -> Self {
        let mut packages = NameMap::default();
        let mut modules = NameMap::default();
        for (i, sdk) in declared.sdks.iter().enumerate() {
            for p in &sdk.packages {
                packages.entry(p.trim_end_matches('.')).or_insert(i);
            }
            for m in &sdk.ios_modules {
                modules.entry(m.as_str()).or_insert(i);
            }
        }
        let names: Vec<Names> = declared.sdks.iter().map(Names::of).collect();
        let aliased = |has_own: fn(&DeclaredSdk) -> bool, known: &KnownSdk| {
            declared.sdks.iter().zip(&names).position(|(s, n)| !has_own(s) && n.vouch_for(known))
        };
        let android_alias = KNOWN_SDKS.iter().map(|k| aliased(|s| !s.packages.is_empty(), k)).collect();
        let ios_alias = KNOWN_SDKS.iter().map(|k| aliased(|s| !s.ios_modules.is_empty(), k)).collect();
        let android_overlap = KNOWN_SDKS
            .iter()
            .map(|k| {
                declared
                    .sdks
                    .iter()
                    .position(|s| s.packages.iter().any(|p| k.android.iter().any(|q| covers(p, q) || covers(q, p))))
            })
            .collect();
        let mut domains = Vec::new();
        for (sdk, names) in declared.sdks.iter().zip(&names) {
            if sdk.domains.is_empty() {
                for known in KNOWN_SDKS.iter().filter(|k| names.vouch_for(k)) {
                    domains.extend(known.domains.iter().map(|d| d.to_string()));
                }
            } else {
                domains.extend(sdk.domains.iter().map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase()));
            }
        }
        SdkIndex { declared, packages, modules, android_alias, ios_alias, android_overlap, domains }
    }

    pub(crate) fn sdk(&self, i: usize) -> &'d DeclaredSdk {
        &self.declared.sdks[i]
    }

    /// Who owns an Android class or meta-data key.
    pub(crate) fn android_owner(&self, name: &str) -> Owner {
        if let Some((_, i)) = longest_prefix(&self.packages, name) {
            return Owner::Declared(*i);
        }
        let t = table();
        let (known, by) = match longest_prefix(&t.prefixes, name) {
            Some((_, Known::NotAnSdk)) => return Owner::Unknown,
            Some((p, Known::Sdk(k))) => (*k, Signature::Prefix(p)),
            None => match t.meta_data.get_key_value(name) {
                Some((key, k)) => (*k, Signature::MetaData(key)),
                None => match t.suffixes.iter().find(|(s, _)| name.ends_with(s)) {
                    Some((s, k)) => (*k, Signature::Suffix(s)),
                    None => return Owner::Unknown,
                },
            },
        };
        let vouched = self.android_alias[known].or(match by {
            Signature::Prefix(_) => None,
            _ => self.android_overlap[known],
        });
        match vouched {
            Some(i) => Owner::Declared(i),
            None => Owner::Undisclosed { known: &KNOWN_SDKS[known], by },
        }
    }

    /// A manifest SDK whose `packages` overlap a table entry's prefixes without covering the
    /// reported name: named in the message as the likely place to add the prefix.
    pub(crate) fn related_android(&self, known: &KnownSdk) -> Option<&'d DeclaredSdk> {
        let k = KNOWN_SDKS.iter().position(|s| std::ptr::eq(s, known))?;
        self.android_overlap[k].map(|i| self.sdk(i))
    }

    /// Who owns the iOS module `name`.
    pub(crate) fn ios_owner(&self, name: &str) -> Owner {
        if let Some(i) = self.modules.get(name) {
            return Owner::Declared(*i);
        }
        match table().modules.get_key_value(name) {
            Some((module, k)) => match self.ios_alias[*k] {
                Some(i) => Owner::Declared(i),
                None => Owner::Undisclosed { known: &KNOWN_SDKS[*k], by: Signature::Module(module) },
            },
            None => Owner::Unknown,
        }
    }

    /// The table entry that has module `name`, if any.
    pub(crate) fn known_module(&self, name: &str) -> Option<&'static KnownSdk> {
        table().modules.get(name).map(|&k| &KNOWN_SDKS[k])
    }

    /// Whether some manifest SDK lists `host` (or a parent domain of it).
    pub(crate) fn domain_declared(&self, host: &str) -> bool {
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        self.domains.iter().any(|d| covers_host(d, &host))
    }
}

/// The longest key of `map` that is `name` or a dot-separated prefix of it.
fn longest_prefix<'k, V>(map: &'k NameMap<&'k str, V>, name: &str) -> Option<(&'k str, &'k V)> {
    let mut end = name.len();
    loop {
        if let Some((k, v)) = map.get_key_value(&name[..end]) {
            return Some((k, v));
        }
        end = name[..end].rfind('.')?;
    }
}

/// Whether package prefix `prefix` covers `name` (equal, or followed by a `.`).
pub(crate) fn covers(prefix: &str, name: &str) -> bool {
    let prefix = prefix.trim_end_matches('.');
    !prefix.is_empty() && name.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Whether listed host `listed` covers `host` (equal, or `host` is a subdomain).
fn covers_host(listed: &str, host: &str) -> bool {
    !listed.is_empty() && host.strip_suffix(listed).is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Lower case, letters and digits only (other characters, such as CJK, kept as they are):
/// the form aliases are written in.
#[cfg(test)]
pub(crate) fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A manifest SDK's id and name, normalized into words once per lint run.
struct Names([(String, Vec<usize>); 2]);

impl Names {
    fn of(sdk: &DeclaredSdk) -> Self {
        Names([words(&sdk.id), words(&sdk.name)])
    }

    /// A manifest SDK vouches for a table entry when its id or name, normalized, has one of
    /// the entry's aliases starting at a word boundary ("Google Sign-In" → `googlesignin`
    /// has `google` and `googlesignin`; "Algorithms" does not have `hms`).
    fn vouch_for(&self, known: &KnownSdk) -> bool {
        self.0.iter().any(|(normalized, starts)| {
            starts.iter().any(|&at| known.aliases.iter().any(|a| normalized[at..].starts_with(a)))
        })
    }
}

#[cfg(test)]
pub(crate) fn vouches_by_alias(sdk: &DeclaredSdk, known: &KnownSdk) -> bool {
    Names::of(sdk).vouch_for(known)
}

/// `text` normalized, and the byte offsets in it where a word starts (after a separator, or
/// at a lower-to-upper case change).
fn words(text: &str) -> (String, Vec<usize>) {
    let mut normalized = String::with_capacity(text.len());
    let mut starts = Vec::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let boundary = match previous {
                None => true,
                Some(p) => !p.is_alphanumeric() || (p.is_lowercase() && c.is_uppercase()),
            };
            if boundary {
                starts.push(normalized.len());
            }
            normalized.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    (normalized, starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declared::DeclaredSdk;

    fn sdk(id: &str, name: &str, packages: &[&str]) -> DeclaredSdk {
        DeclaredSdk {
            id: id.into(),
            name: name.into(),
            packages: packages.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    fn index(sdks: Vec<DeclaredSdk>) -> Declared {
        Declared { sdks, ..Default::default() }
    }

    fn known_id(owner: Owner) -> Option<&'static str> {
        match owner {
            Owner::Undisclosed { known, .. } => Some(known.id),
            _ => None,
        }
    }

    #[test]
    fn the_longest_table_prefix_identifies_the_sdk() {
        let d = index(vec![]);
        let idx = SdkIndex::new(&d);
        assert_eq!(known_id(idx.android_owner("com.tencent.bugly.beta.ui.BetaActivity")), Some("bugly"));
        assert_eq!(known_id(idx.android_owner("com.tencent.qqmusic.Player")), Some("tencent"));
        assert_eq!(
            known_id(idx.android_owner("com.google.android.gms.measurement.AppMeasurementService")),
            Some("firebase_analytics")
        );
        assert_eq!(
            known_id(idx.android_owner("com.google.android.gms.common.api.GoogleApiActivity")),
            Some("google_play_services")
        );
        assert_eq!(idx.android_owner("com.umengx.Foo"), Owner::Unknown, "prefixes match whole segments");
        assert_eq!(idx.android_owner("com.facebook.react.devsupport.DevSettingsActivity"), Owner::Unknown);
        assert_eq!(known_id(idx.android_owner("UMENG_APPKEY")), Some("umeng"));
        assert_eq!(known_id(idx.android_owner("com.example.shop.wxapi.WXPayEntryActivity")), Some("wechat"));
    }

    #[test]
    fn declared_packages_own_what_they_cover() {
        let d = index(vec![
            sdk("fb", "Facebook", &["com.facebook"]),
            sdk("pangle", "Ads", &["com.bytedance.sdk.openadsdk."]),
        ]);
        let idx = SdkIndex::new(&d);
        assert_eq!(idx.android_owner("com.facebook.FacebookActivity"), Owner::Declared(0));
        assert_eq!(idx.android_owner("com.bytedance.sdk.openadsdk.TTFileProvider"), Owner::Declared(1));
        assert_eq!(known_id(idx.android_owner("com.bytedance.pangle.provider.MainProcessProvider")), Some("pangle"));
    }

    #[test]
    fn a_manifest_sdk_without_packages_vouches_by_alias() {
        let d = index(vec![sdk("huawei_push", "HUAWEI Push Kit", &[]), sdk("x", "Algorithms", &[])]);
        let idx = SdkIndex::new(&d);
        assert_eq!(idx.android_owner("com.huawei.hms.push.HmsMessageService"), Owner::Declared(0));
        // "Algorithms" contains "hms" but not at a word start.
        assert!(!vouches_by_alias(&d.sdks[1], KNOWN_SDKS.iter().find(|k| k.id == "huawei_hms_core").unwrap()));
    }

    #[test]
    fn overlapping_packages_vouch_for_meta_data_and_suffixes_only() {
        let d =
            index(vec![sdk("wechat", "WX", &["com.tencent.mm.opensdk"]), sdk("umeng", "U", &["com.umeng.commonsdk"])]);
        let idx = SdkIndex::new(&d);
        assert_eq!(idx.android_owner("com.example.wxapi.WXEntryActivity"), Owner::Declared(0));
        assert_eq!(idx.android_owner("UMENG_CHANNEL"), Owner::Declared(1));
        // A class outside the declared packages is not vouched for by overlap.
        assert_eq!(known_id(idx.android_owner("com.umeng.analytics.Foo")), Some("umeng"));
    }

    #[test]
    fn modules_and_hosts() {
        let mut fb = sdk("facebook", "Facebook", &[]);
        fb.ios_modules = vec!["FBSDKCoreKit".into()];
        fb.domains = vec!["facebook.com".into()];
        let d = index(vec![fb, sdk("google_sign_in", "Google Sign-In", &[])]);
        let idx = SdkIndex::new(&d);
        assert_eq!(idx.ios_owner("FBSDKCoreKit"), Owner::Declared(0));
        assert_eq!(known_id(idx.ios_owner("FBSDKLoginKit")), Some("facebook"), "explicit modules are authoritative");
        assert_eq!(idx.ios_owner("GTMSessionFetcher"), Owner::Declared(1), "by alias, with the table's modules");
        assert_eq!(idx.ios_owner("MyAppKit"), Owner::Unknown);
        assert!(idx.domain_declared("ep1.facebook.com") && idx.domain_declared("Facebook.com."));
        assert!(!idx.domain_declared("notfacebook.com"));
        assert!(idx.domain_declared("accounts.google.com"), "alias-matched SDK without domains gets the table's");
    }

    #[test]
    fn words_start_at_separators_and_case_changes() {
        assert_eq!(words("Google Sign-In"), ("googlesignin".to_string(), vec![0, 6, 10]));
        assert_eq!(words("WeChatOpenSDK").1, vec![0, 2, 6, 10]);
        assert_eq!(words("友盟推送").0, "友盟推送");
    }
}
