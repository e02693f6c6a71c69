//! How the benches measure, shared by `core/benches/costs.rs` and the build lint's
//! `core/build-lint/benches/android_lint.rs` (included by `#[path]`: the two are in
//! different crates): a value and its floor timed alternately in the same process, the
//! order swapped every repetition so that load from other processes hits both alike, and
//! the median of the repetitions kept.
#![allow(dead_code)]

use std::time::Instant;

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Times `batch` calls of `value` and of `floor`, alternately, `reps` times (the order
/// swapped every rep), and returns the median ns per call of each.
pub fn interleaved(reps: usize, batch: usize, mut value: impl FnMut(), mut floor: impl FnMut()) -> (f64, f64) {
    let mut v = Vec::with_capacity(reps);
    let mut f = Vec::with_capacity(reps);
    let time = |g: &mut dyn FnMut()| {
        let t = Instant::now();
        for _ in 0..batch {
            g();
        }
        t.elapsed().as_nanos() as f64 / batch as f64
    };
    for r in 0..reps {
        if r % 2 == 0 {
            v.push(time(&mut value));
            f.push(time(&mut floor));
        } else {
            f.push(time(&mut floor));
            v.push(time(&mut value));
        }
    }
    (median(&mut v), median(&mut f))
}

/// Runs `value` and `floor` once each to warm up, then `reps` times each, alternately (the
/// order swapped every rep); returns what each run returned (its ns).
pub fn alternate(reps: usize, mut value: impl FnMut() -> f64, mut floor: impl FnMut() -> f64) -> (Vec<f64>, Vec<f64>) {
    value();
    floor();
    let (mut v, mut f) = (Vec::with_capacity(reps), Vec::with_capacity(reps));
    for r in 0..reps {
        if r % 2 == 0 {
            v.push(value());
            f.push(floor());
        } else {
            f.push(floor());
            v.push(value());
        }
    }
    (v, f)
}
