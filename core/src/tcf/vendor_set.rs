//! A set of vendor ids (1..=65535), as the TC string's vendor sections, disclosed and
//! allowed vendors and publisher restrictions hold them. It is a bitset, one bit per id
//! up to the largest, in the string's bit order: a bit field is copied in a word at a
//! time, a range entry
//! is a word fill, a lookup is one load, and the form is canonical (no trailing zero
//! words), so two equal sets compare equal however they were encoded. A set never takes
//! more than 8 KB, whatever the string claims: the largest id is 65535.

use serde::ser::{Serialize, Serializer};

/// A set of vendor ids, kept as bits in the TC string's own order: word `id / 64`, bit
/// `id % 64` counted from the most significant, so a bit field is copied in without
/// reordering. Id 0 is representable, so that any `u16` can be inserted, but no TC string
/// holds it and the encoder refuses it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VendorSet {
    words: Vec<u64>,
}

impl VendorSet {
    /// The empty set (allocates nothing).
    pub const fn new() -> Self {
        VendorSet { words: Vec::new() }
    }

    /// The set of the given ids, in any order, repeats allowed.
    pub fn from_ids(ids: impl IntoIterator<Item = u16>) -> Self {
        let mut s = VendorSet::new();
        for id in ids {
            s.insert_range(id, id);
        }
        s
    }

    /// The set covered by inclusive ranges `(start, end)`, in any order, overlapping or
    /// not; a range with `start > end` is empty.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (u16, u16)>) -> Self {
        let mut s = VendorSet::new();
        for (start, end) in ranges {
            s.insert_range(start, end);
        }
        s
    }

    /// Adds `start..=end` (nothing when `start > end`).
    #[inline]
    pub fn insert_range(&mut self, start: u16, end: u16) {
        if start <= end {
            self.reserve_ids(end);
            fill(&mut self.words, start, end);
        }
    }

    /// Adds every range `(start, end)` of `ranges` (none empty) whose ends are at most
    /// `top`: the words grow once, then each range is a fill.
    #[inline]
    pub(crate) fn insert_ranges(&mut self, ranges: &[(u16, u16)], top: u16) {
        self.reserve_ids(top);
        for &(start, end) in ranges {
            fill(&mut self.words, start, end);
        }
    }

    /// Whether `id` is in the set: one word load, false beyond the largest id.
    #[inline]
    pub fn contains(&self, id: u16) -> bool {
        self.words.get(usize::from(id) / 64).is_some_and(|w| w << (id % 64) >> 63 == 1)
    }

    /// Whether the set holds no id (the canonical form keeps no zero words).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Number of ids in the set.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The smallest id, if any.
    pub fn min(&self) -> Option<u16> {
        self.iter().next()
    }

    /// The largest id, if any (the `MaxVendorId` an encoder writes).
    pub fn max(&self) -> Option<u16> {
        let i = self.words.iter().rposition(|&w| w != 0)?;
        let w = self.words.get(i)?;
        Some((i * 64 + 63 - w.trailing_zeros() as usize) as u16)
    }

    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.leading_zeros();
                    w ^= (1u64 << 63) >> bit;
                    (i * 64 + bit as usize) as u16
                })
            })
        })
    }

    /// The maximal runs of consecutive ids, ascending; a single id is `(id, id)`.
    pub fn ranges(&self) -> Vec<(u16, u16)> {
        let mut out: Vec<(u16, u16)> = Vec::new();
        for id in self.iter() {
            match out.last_mut() {
                Some(last) if u32::from(last.1) + 1 == u32::from(id) => last.1 = id,
                _ => out.push((id, id)),
            }
        }
        out
    }

    /// Adds every id of `other`.
    pub fn union_with(&mut self, other: &VendorSet) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
        }
    }

    /// Makes room for ids up to `max`, which the caller then inserts (so that no trailing
    /// word stays zero). An empty set gets its words in one zeroed allocation.
    #[inline]
    fn reserve_ids(&mut self, max: u16) {
        let needed = usize::from(max) / 64 + 1;
        if self.words.is_empty() {
            self.words = vec![0; needed];
        } else if self.words.len() < needed {
            self.words.resize(needed, 0);
        }
    }

    /// The set whose id `id` is bit `id % 64`, from the most significant, of
    /// `words[id / 64]`.
    pub(crate) fn from_words(words: Vec<u64>) -> Self {
        let mut s = VendorSet { words };
        s.trim();
        s
    }

    /// Drops trailing zero words, so that equal sets have equal words.
    fn trim(&mut self) {
        while self.words.last() == Some(&0) {
            self.words.pop();
        }
    }
}

/// Sets the bits of `start..=end` (`start <= end`, both within `words`): a head and a tail
/// mask and whole words between.
#[inline]
fn fill(words: &mut [u64], start: u16, end: u16) {
    let (first, last) = (usize::from(start) / 64, usize::from(end) / 64);
    let low = !0u64 >> (start % 64);
    let high = !0u64 << (63 - end % 64);
    match words.get_mut(first..=last) {
        Some([only]) => *only |= low & high,
        Some([head, middle @ .., tail]) => {
            *head |= low;
            if !middle.is_empty() {
                middle.fill(!0);
            }
            *tail |= high;
        }
        _ => {}
    }
}

impl FromIterator<u16> for VendorSet {
    fn from_iter<I: IntoIterator<Item = u16>>(iter: I) -> Self {
        VendorSet::from_ids(iter)
    }
}

/// Serialises as the ascending list of ids.
impl Serialize for VendorSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::flags::serialize_ids(serializer, self.len(), self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_any_order_give_one_canonical_set() {
        let a = VendorSet::from_ids([5, 3, 4, 9, 1, 9]);
        assert_eq!(a.ranges(), &[(1, 1), (3, 5), (9, 9)]);
        assert_eq!(a, VendorSet::from_ranges([(9, 9), (3, 4), (4, 5), (1, 1)]));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1, 3, 4, 5, 9]);
        assert_eq!((a.len(), a.min(), a.max()), (5, Some(1), Some(9)));
    }

    #[test]
    fn touching_and_overlapping_ranges_merge() {
        let s = VendorSet::from_ranges([(10, 20), (21, 30), (5, 12), (40, 40), (35, 39)]);
        assert_eq!(s.ranges(), &[(5, 30), (35, 40)]);
        let full = VendorSet::from_ranges([(1, u16::MAX), (u16::MAX, u16::MAX), (0, 3)]);
        assert_eq!(full.ranges(), &[(0, u16::MAX)]);
        assert_eq!(full.len(), 65_536);
        assert_eq!(full.max(), Some(u16::MAX));
        assert!(VendorSet::from_ranges([(7, 3)]).is_empty());
        for (s, e) in [(63, 64), (64, 127), (0, 63), (127, 128), (1, 200)] {
            let set = VendorSet::from_ranges([(s, e)]);
            assert_eq!(set.ranges(), &[(s, e)], "{s}-{e}");
            assert_eq!(set.len(), usize::from(e - s) + 1);
        }
    }

    #[test]
    fn lookups_hit_range_edges_exactly() {
        let s = VendorSet::from_ranges([(3, 5), (10, 10), (65_000, 65_535)]);
        let inside: Vec<u16> = (0..=u16::MAX).filter(|&id| s.contains(id)).collect();
        assert_eq!(inside.len(), s.len());
        for id in [3, 4, 5, 10, 65_000, 65_535] {
            assert!(s.contains(id), "{id}");
        }
        for id in [0, 2, 6, 9, 11, 64_999] {
            assert!(!s.contains(id), "{id}");
        }
        assert!(!VendorSet::new().contains(1));
        assert_eq!(VendorSet::new().max(), None);
    }

    #[test]
    fn words_are_canonical() {
        assert_eq!(VendorSet::from_words(vec![0b0101 << 60, 0, 0]), VendorSet::from_ids([1, 3]));
        assert_eq!(VendorSet::from_words(vec![0, 0]), VendorSet::new());
        assert_eq!(VendorSet::from_words(vec![0, 1]).max(), Some(127));
        assert_eq!(VendorSet::from_words(vec![0, 1 << 63]).iter().collect::<Vec<_>>(), vec![64]);
    }

    #[test]
    fn union_and_json() {
        let mut a = VendorSet::from_ids([1, 2, 8]);
        a.union_with(&VendorSet::from_ids([3, 9, 300]));
        assert_eq!(a.ranges(), &[(1, 3), (8, 9), (300, 300)]);
        assert_eq!(serde_json::to_string(&a).unwrap(), "[1,2,3,8,9,300]");
        assert_eq!(serde_json::to_string(&VendorSet::new()).unwrap(), "[]");
    }
}
