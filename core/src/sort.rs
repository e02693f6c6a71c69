//! The library's one sort (issue 18: the library's size).
//!
//! Every `sort_by` of std is compiled anew for each element type and each comparator, and
//! one compiled stable sort is 3-5 KB of code plus its unwind tables. The nine places the
//! shipped library sorts (manifest issues, fingerprint keys, event keys, publisher
//! restrictions, Additional Consent ids, TCF purposes, audit runs and violations) each
//! had their own copy. They now sort through [`indices`], compiled once: it sorts
//! positions with a comparator behind a reference, and [`sort_by`] moves the elements
//! into that order in place. The lists are short (a manifest object's keys, an SDK's
//! purposes, a TC string's restrictions) or usually arrive in order (an Additional Consent
//! string's ids, a few hundred in practice), which one pass finds; `tcf_decode`,
//! `cold_open` and `decide_warm` measured within their noise against std's sorts.

use std::cmp::Ordering;

/// Sorts the positions `idx` by `cmp` (stable: equal positions keep their order).
#[inline(never)]
pub(crate) fn indices(idx: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    idx.sort_by(|&a, &b| cmp(a, b));
}

/// Sorts `v` by `cmp`, stably, as `slice::sort_by` does.
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    // Most lists arrive in order already (an encoder writes them so): nothing to move.
    if v.windows(2).all(|w| cmp(&w[0], &w[1]) != Ordering::Greater) {
        return;
    }
    // `idx[j]`: where the element that belongs at `j` is now.
    let mut idx: Vec<usize> = (0..v.len()).collect();
    indices(&mut idx, &|a, b| cmp(&v[a], &v[b]));
    // Each cycle of the permutation is walked once, by swaps; a place done is marked
    // with its own index.
    for start in 0..idx.len() {
        let mut j = start;
        loop {
            let k = std::mem::replace(&mut idx[j], j);
            if k == start {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// Sorts `v` by the key `key` gives each element, stably, as `slice::sort_by_key` does.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as std's stable sort, ties included.
        #[test]
        fn sorts_as_std_does(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |e| e.0);
            let mut std_sorted = v.clone();
            std_sorted.sort_by_key(|e| e.0);
            prop_assert_eq!(ours, std_sorted);
        }
    }

    #[test]
    fn sorts_positions_stably() {
        let keys = ["b", "a", "b", "a"];
        let mut idx = vec![0, 1, 2, 3];
        indices(&mut idx, &|a, b| keys[a].cmp(keys[b]));
        assert_eq!(idx, [1, 3, 0, 2]);
    }
}
