//! Stable sorting with one copy of the sort algorithm per element type.
//!
//! Every closure handed to `slice::sort_by` / `sort_by_key` is its own type, so each call site
//! gets its own copy of the whole sort (about 4.5 KB of wasm). These take the comparison as a
//! trait object instead: all call sites sorting the same element type share one copy, for the
//! cost of an indirect call per comparison.

use std::cmp::Ordering;

/// Stable sort by a comparison (equal elements keep their order).
#[inline(never)]
pub fn sort_by<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    v.sort_by(|a, b| cmp(a, b));
}

/// Stable sort by a key (computed on every comparison, as `slice::sort_by_key` does).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, &|a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    #[test]
    fn stable_by_key_and_by_comparison() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        super::sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        super::sort_by(&mut v, &|p, q| q.0.cmp(&p.0));
        assert_eq!(v, [(3, 'a'), (3, 'c'), (2, 'd'), (1, 'b'), (1, 'e')]);
        let mut empty: Vec<u8> = Vec::new();
        super::sort_by_key(&mut empty, |x| *x);
        assert!(empty.is_empty());
    }
}
