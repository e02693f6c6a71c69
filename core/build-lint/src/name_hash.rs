//! The hasher of the lint's name lookups (package prefixes, meta-data keys, modules,
//! permission names). Checking a component hashes its class name at every dot against two
//! maps, so hashing is a large part of what linting costs beyond parsing; std's SipHash
//! spends most of that on its per-process random keys, which defend a map against keys
//! chosen to collide. Here the keys are the policy manifest's names and the built-in table,
//! not the build files' (those are only probed with), so that defence buys nothing: this
//! hashes a word at a time, multiply and rotate (the FxHash construction), with a final mix
//! so that the low bits the map indexes by depend on every byte.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` keyed by names, with [`NameHasher`].
pub(crate) type NameMap<K, V> = HashMap<K, V, BuildHasherDefault<NameHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Word-at-a-time multiplicative hashing; see the module comment for why it is enough.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct NameHasher(u64);

impl NameHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for NameHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length tells "ab" from "ab\0".
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply moves every bit upwards only: fold the high half down.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(SEED) ^ (h >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(s: &str) -> u64 {
        BuildHasherDefault::<NameHasher>::default().hash_one(s)
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
