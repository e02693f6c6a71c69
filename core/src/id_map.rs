//! Maps keyed by ids, on the path of every decision.
//!
//! A decision looks up the ledger's choice for each of its purposes and its SDK, and the
//! decision log's last row for its subject. The standard library's SipHash resists hash
//! flooding by hostile keys, at several times the cost of a simple hash for keys this
//! short. These keys are ids the app's own manifest declares (`analytics`,
//! `sdk:facebook`): the store records choices only for declared ids, and a decision
//! about an undeclared one is answered before any lookup. So they use FxHash (the
//! `rustc-hash` crate, the compiler's own), which hashes 8 bytes a step.

use std::collections::HashMap;

/// A `HashMap` from an id to `V`, hashed with FxHash.
pub type IdMap<V> = HashMap<String, V, rustc_hash::FxBuildHasher>;

/// The hasher of [`IdMap`], for other maps and sets keyed by ids.
pub type IdHasher = rustc_hash::FxHasher;

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
    fn ids_that_differ_in_one_byte_or_their_length_hash_apart() {
        use std::hash::BuildHasher;
        let b = rustc_hash::FxBuildHasher;
        let ids = ["sdk:facebook", "sdk:facebool", "sdk:faceboo", "sdk:facebook_2", "permission:camera", ""];
        let hashes: std::collections::HashSet<u64> = ids.iter().map(|id| b.hash_one(id)).collect();
        assert_eq!(hashes.len(), ids.len());
    }
}
