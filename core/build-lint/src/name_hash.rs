//! The hasher of the lint's name lookups (package prefixes, meta-data keys, modules,
//! permission names). Checking a component hashes its class name at every dot against two
//! maps, so hashing is a large part of what linting costs beyond parsing; std's SipHash
//! spends most of that on its per-process random keys, which defend a map against keys
//! chosen to collide. Here the keys are the policy manifest's names and the built-in table,
//! not the build files' (those are only probed with), so that defence buys nothing: the
//! maps use FxHash (the `rustc-hash` crate, as the core library's id maps do), which hashes
//! a word at a time.

use std::collections::HashMap;

/// A `HashMap` keyed by names, hashed with FxHash.
pub(crate) type NameMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(s: &str) -> u64 {
        rustc_hash::FxBuildHasher.hash_one(s)
    }

    #[test]
    fn names_that_differ_anywhere_hash_apart() {
        let names = ["", "a", "ab", "ab\0", "com", "com.", "com.umeng", "com.umeng.", "com.umenf", "org.umeng"];
        let hashes: Vec<u64> = names.iter().map(|n| hash(n)).collect();
        for (i, a) in hashes.iter().enumerate() {
            for (j, b) in hashes.iter().enumerate() {
                assert!(i == j || a != b, "{:?} and {:?}", names[i], names[j]);
            }
        }
        assert_eq!(hash("com.tencent.mm.opensdk"), hash(&String::from("com.tencent.mm.opensdk")));
    }

    #[test]
    fn a_map_finds_what_was_put_in() {
        let mut m: NameMap<&str, usize> = NameMap::default();
        let keys: Vec<String> = (0..2000).map(|i| format!("com.vendor{}.sdk{}", i % 37, i)).collect();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i);
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(m.get(k.as_str()), Some(&i));
        }
        assert_eq!(m.get("com.vendor1.sdk2"), None);
    }
}
