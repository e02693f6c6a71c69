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
///
/// The canonical bytes are laid out in one buffer and hashed at once: fed to the hash
/// piece by piece (a tag, a length, a key at a time), a manifest's thousands of small
/// pieces cost more than the hashing itself.
pub(super) fn of(root: &Json) -> String {
    let mut bytes = Vec::with_capacity(1 << 15);
    let mut order = Vec::new();
    feed(&mut bytes, &mut order, root, true);
    to_hex(&Sha256::digest(&bytes))
}

/// Appends `v`'s canonical bytes to `out`. `order` is scratch space for the key order of
/// the objects being fed (each level sorts its members' indices at its end, and the
/// deeper levels push theirs after them).
fn feed(out: &mut Vec<u8>, order: &mut Vec<usize>, v: &Json, top: bool) {
    match v {
        Json::Null => out.push(b'n'),
        Json::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Json::Number(n) => text(out, b'#', &n.to_string()),
        Json::String(s) => text(out, b's', s),
        Json::Array(items) => {
            out.push(b'[');
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                feed(out, order, item, false);
            }
        }
        Json::Object(members) => {
            let start = order.len();
            order.extend((0..members.len()).filter(|&i| !(top && members[i].0 == "$schema")));
            crate::sort::indices(&mut order[start..], &|a, b| members[a].0.cmp(&members[b].0));
            let end = order.len();
            out.push(b'{');
            out.extend_from_slice(&((end - start) as u64).to_le_bytes());
            for at in start..end {
                let (k, v) = &members[order[at]];
                text(out, b'k', k);
                feed(out, order, v, false);
            }
            order.truncate(start);
        }
    }
}

fn text(out: &mut Vec<u8>, tag: u8, s: &str) {
    out.push(tag);
    out.extend_from_slice(&(s.len() as u64).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
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
