//! What the Markdown and the HTML page show, worked out once: the three lists as sections
//! of items, each item a title and labelled fields, in the words of [`Labels`]. The two
//! renderers only lay this out (and escape it), so they cannot show different content.

use super::{Disclosure, Labels};

/// The whole page.
pub(super) struct Page {
    pub lang: String,
    pub heading: String,
    /// Lines about the policy (version, controller, contact).
    pub about: Vec<Field>,
    pub sections: Vec<Section>,
}

/// One list.
pub(super) struct Section {
    pub id: &'static str,
    pub heading: &'static str,
    pub items: Vec<Item>,
}

/// One purpose, permission or SDK.
pub(super) struct Item {
    pub title: String,
    /// A short mark beside the title (敏感个人信息), if any.
    pub badge: Option<&'static str>,
    pub fields: Vec<Field>,
}

/// A label and its value.
pub(super) struct Field {
    pub label: &'static str,
    pub value: Value,
}

/// A field's value.
pub(super) enum Value {
    Text(String),
    /// A list of short items, shown joined by the language's separator.
    List(Vec<String>),
    /// A list of titles (of purposes, permissions, SDKs), joined by a stronger separator.
    Titles(Vec<String>),
    /// Code-like names (permission names, packages), shown as code.
    Codes(Vec<String>),
    /// An http(s) URL (checked by the manifest), shown as a link.
    Link(String),
}

fn field(label: &'static str, value: Value) -> Field {
    Field { label, value }
}

impl Page {
    pub(super) fn new(doc: &Disclosure) -> Page {
        let labels = Labels::for_lang(doc.lang.as_deref());
        let l = &labels;
        let data = |d: &[String]| -> Value {
            if d.is_empty() {
                return Value::Text(l.none.to_owned());
            }
            Value::List(d.to_vec())
        };
        let purpose_title = |id: &String| -> String {
            doc.collection.iter().find(|p| &p.purpose == id).map_or_else(|| id.clone(), |p| p.title.clone())
        };
        let permission_title = |id: &String| -> String {
            doc.permissions.iter().find(|p| &p.permission == id).map_or_else(|| id.clone(), |p| p.title.clone())
        };
        let sdk_name = |id: &String| -> String {
            doc.sharing.iter().find(|s| &s.sdk == id).map_or_else(|| id.clone(), |s| s.name.clone())
        };
        let titles_or_none =
            |items: Vec<String>| if items.is_empty() { Value::Text(l.none.to_owned()) } else { Value::Titles(items) };

        let (open, close) = if l.html_lang == "zh" { ("（", "）") } else { (" (", ")") };
        let version = format!("{}{open}{} {}{close}", doc.policy.version, l.effective, doc.policy.effective);
        let mut about = vec![field(l.version, Value::Text(version))];
        about.push(field(l.controller, Value::Text(doc.policy.controller.clone())));
        if let Some(contact) = &doc.policy.contact {
            about.push(field(l.contact, Value::Text(contact.clone())));
        }
        if let Some(url) = &doc.policy.url {
            about.push(field(l.full_policy, Value::Link(url.clone())));
        }

        let collection = doc
            .collection
            .iter()
            .map(|p| {
                let mut fields = vec![field(l.basis, Value::Text(l.basis_name(p.basis).to_owned()))];
                fields.push(field(l.data, data(&p.data_names)));
                if let Some(usage) = &p.usage {
                    fields.push(field(l.usage, Value::Text(usage.clone())));
                }
                fields.push(field(
                    l.related_permissions,
                    titles_or_none(p.permissions.iter().map(permission_title).collect()),
                ));
                fields.push(field(l.related_sdks, titles_or_none(p.sdks.iter().map(sdk_name).collect())));
                Item { title: p.title.clone(), badge: p.sensitive.then_some(l.sensitive), fields }
            })
            .collect();

        let permissions = doc
            .permissions
            .iter()
            .map(|p| {
                let mut fields = Vec::new();
                if let Some(usage) = &p.usage {
                    fields.push(field(l.permission_usage, Value::Text(usage.clone())));
                }
                fields.push(field(l.purposes, Value::Titles(p.purposes.iter().map(purpose_title).collect())));
                let when = match (p.allow_at_launch, p.user_initiated) {
                    (true, _) => l.at_launch,
                    (false, true) => l.on_user_action,
                    (false, false) => l.without_user_action,
                };
                fields.push(field(l.when_asked, Value::Text(when.to_owned())));
                if !p.android.is_empty() {
                    fields.push(field(l.android, Value::Codes(p.android.clone())));
                }
                if !p.ios.is_empty() {
                    fields.push(field(l.ios, Value::Codes(p.ios.clone())));
                }
                Item { title: p.title.clone(), badge: None, fields }
            })
            .collect();

        let sharing = doc
            .sharing
            .iter()
            .map(|s| {
                let mut fields = vec![field(l.vendor, Value::Text(s.vendor.clone()))];
                if let Some(country) = &s.vendor_country {
                    fields.push(field(l.vendor_country, Value::Text(country.clone())));
                }
                fields.push(field(l.role, Value::Text(l.role_name(s.role).to_owned())));
                fields.push(field(l.purposes, Value::Titles(s.purposes.iter().map(purpose_title).collect())));
                if let Some(usage) = &s.usage {
                    fields.push(field(l.usage, Value::Text(usage.clone())));
                }
                fields.push(field(l.data, data(&s.data_names)));
                fields.push(field(l.platforms, Value::List(s.platforms.iter().map(|p| platform_name(p)).collect())));
                if !s.packages.is_empty() {
                    fields.push(field(l.packages, Value::Codes(s.packages.clone())));
                }
                if !s.ios_modules.is_empty() {
                    fields.push(field(l.ios_modules, Value::Codes(s.ios_modules.clone())));
                }
                if let Some(url) = &s.privacy_policy {
                    fields.push(field(l.privacy_policy, Value::Link(url.clone())));
                }
                let separate = if s.separate_consent_in.is_empty() {
                    l.not_required.to_owned()
                } else {
                    format!("{}{}", l.separate_required_in, s.separate_consent_in.join(l.separator))
                };
                fields.push(field(l.separate_consent, Value::Text(separate)));
                Item { title: s.name.clone(), badge: None, fields }
            })
            .collect();

        Page {
            lang: page_lang(doc.lang.as_deref(), l),
            heading: labels.heading.to_owned(),
            about,
            sections: vec![
                Section { id: "collection", heading: l.collection, items: collection },
                Section { id: "permissions", heading: l.permissions, items: permissions },
                Section { id: "sharing", heading: l.sharing, items: sharing },
            ],
        }
    }

    /// The separators between list items in this page's language.
    pub(super) fn separator(&self) -> Separators {
        let l = Labels::for_lang(Some(&self.lang));
        Separators { items: l.separator, titles: l.title_separator }
    }
}

/// How a page joins list items.
#[derive(Clone, Copy)]
pub(super) struct Separators {
    /// Between short items.
    pub items: &'static str,
    /// Between titles.
    pub titles: &'static str,
}

/// A platform id as people write it (`ios` is iOS).
fn platform_name(id: &str) -> String {
    match id {
        "android" => "Android".to_owned(),
        "ios" => "iOS".to_owned(),
        "harmonyos" => "HarmonyOS".to_owned(),
        other => other.to_owned(),
    }
}

/// The page's `lang`: the tag asked for when the page is in that language (its words are
/// Chinese for a `zh` tag, English for an `en` one), else the language of its words (`en`):
/// a `fr` page whose texts fell back to English is not marked French.
fn page_lang(asked: Option<&str>, labels: &Labels) -> String {
    let primary = asked.and_then(|a| a.split('-').next()).unwrap_or_default();
    match asked {
        Some(tag) if primary.eq_ignore_ascii_case(labels.html_lang) => tag.to_owned(),
        _ => labels.html_lang.to_owned(),
    }
}
