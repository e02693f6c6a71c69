//! Maps keyed by ids, on the path of every decision.
//!
//! A decision looks up the ledger's choice for each of its purposes and its SDK, and the
//! decision log's last row for its subject. The standard library's SipHash resists hash
//! flooding by hostile keys, at several times the cost of a simple hash for keys this
//! short. These keys are ids the app's own manifest declares (`analytics`,
//! `sdk:facebook`): the store records choices only for declared ids, and a decision
//! about an undeclared one is answered before any lookup. So they use FNV-1a.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` from an id to `V`, hashed with FNV-1a.
pub type IdMap<V> = HashMap<String, V, BuildHasherDefault<IdHasher>>;

/// 64-bit FNV-1a.
pub struct IdHasher(u64);

impl Default for IdHasher {
    fn default() -> Self {
        IdHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_map_to_their_values() {
        let mut m: IdMap<u32> = IdMap::default();
        for (i, id) in ["analytics", "sdk:facebook", "permission:camera", "a", ""].iter().enumerate() {
            m.insert((*id).to_owned(), i as u32);
        }
        assert_eq!(m.get("sdk:facebook"), Some(&1));
        assert_eq!(m.get(""), Some(&4));
        assert_eq!(m.get("sdk:faceboo"), None);
        assert_eq!(m.len(), 5);
    }

    #[test]
    fn fnv1a_matches_its_reference_values() {
        let hash = |s: &[u8]| {
            let mut h = IdHasher::default();
            h.write(s);
            h.finish()
        };
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
