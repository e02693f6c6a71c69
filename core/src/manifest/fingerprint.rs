//! The manifest's fingerprint: a SHA-256 over its content, not its layout. The store
//! records it per policy version (`Store::manifest_edit`), so a manifest edited without
//! a version change is caught: users who agreed to version 3.1 agreed to what 3.1 said.
//!
//! Only the content counts: members are taken in key order, whitespace and the
//! top-level `$schema` (an editor's hint) are left out, and each value is fed to the hash
//! with its kind and length, so no two different documents feed the same bytes. A field
//! written out with its default value still counts as a change of the text (the
//! fingerprint does not know the defaults; `gatekeeper diff` does).

use sha2::{Digest, Sha256};

use super::json::Json;
use crate::ledger::to_hex;

/// The fingerprint of a parsed manifest's tree, in lowercase hex.
pub(super) fn of(root: &Json) -> String {
    let mut h = Sha256::new();
    feed(&mut h, root, true);
    to_hex(&h.finalize())
}

fn feed(h: &mut Sha256, v: &Json, top: bool) {
    match v {
        Json::Null => h.update(b"n"),
        Json::Bool(b) => h.update(if *b { b"t" } else { b"f" }),
        Json::Number(n) => text(h, b'#', &n.to_string()),
        Json::String(s) => text(h, b's', s),
        Json::Array(items) => {
            h.update(b"[");
            h.update((items.len() as u64).to_le_bytes());
            for item in items {
                feed(h, item, false);
            }
        }
        Json::Object(members) => {
            let mut sorted: Vec<&(std::borrow::Cow<'_, str>, Json<'_>)> =
                members.iter().filter(|(k, _)| !(top && k == "$schema")).collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            h.update(b"{");
            h.update((sorted.len() as u64).to_le_bytes());
            for (k, v) in sorted {
                text(h, b'k', k);
                feed(h, v, false);
            }
        }
    }
}

fn text(h: &mut Sha256, tag: u8, s: &str) {
    h.update([tag]);
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use crate::manifest::{parse, EXAMPLE_MANIFEST};

    #[test]
    fn layout_key_order_and_schema_do_not_count_content_does() {
        let base = parse(EXAMPLE_MANIFEST).unwrap().fingerprint;
        assert_eq!(base.len(), 64);
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE_MANIFEST).unwrap();
        let compact = parse(&v.to_string()).unwrap().fingerprint;
        assert_eq!(compact, base, "layout");
        v.as_object_mut().unwrap().remove("$schema");
        // Keys in another order (serde_json's map keeps insertion order).
        let mut reordered = serde_json::Map::new();
        let obj = v.as_object().unwrap();
        for k in obj.keys().rev() {
            reordered.insert(k.clone(), obj[k].clone());
        }
        assert_eq!(parse(&serde_json::Value::Object(reordered).to_string()).unwrap().fingerprint, base);
        v["purposes"][0]["title"] = serde_json::json!("Core service!");
        assert_ne!(parse(&v.to_string()).unwrap().fingerprint, base, "a title");
        let mut w: serde_json::Value = serde_json::from_str(EXAMPLE_MANIFEST).unwrap();
        w["settings"]["consent_ttl_days"] = serde_json::json!(396);
        assert_ne!(parse(&w.to_string()).unwrap().fingerprint, base, "a number");
    }
}
