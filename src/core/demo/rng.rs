//! A small, portable random source for the demo generator.
//!
//! Everything here gives bit-identical results natively and in wasm32: integers come from
//! `Pcg64Mcg`, floats are built from 53 random bits, and transcendental functions go through
//! `libm` (pure Rust) rather than the platform's maths library. Ranges are sampled on `u32`/`u64`,
//! never `usize`.

use rand::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// SplitMix64 finaliser: spreads nearby inputs (customer 1, 2, 3…) over the whole `u64` space.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) struct Rng(Pcg64Mcg, Option<f64>);

impl Rng {
    /// An independent stream for (`seed`, `stream`, `sub`): e.g. (seed, customer index, purpose).
    pub(crate) fn new(seed: u64, stream: u64, sub: u64) -> Rng {
        let key = mix(seed ^ mix(stream.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ mix(sub)));
        // 128 bits of state from two decorrelated 64-bit keys (cheaper than `seed_from_u64`).
        let state = (u128::from(mix(key)) << 64) | u128::from(mix(key ^ 0x5851_F42D_4C95_7F2D));
        Rng(Pcg64Mcg::from_seed(state.to_le_bytes()), None)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn f(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in `[lo, hi)`.
    pub(crate) fn uf(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f()
    }

    /// Uniform in `0..n` (0 when `n == 0`).
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        (((self.0.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// Uniform index into a slice of length `len` (0 when empty).
    pub(crate) fn index(&mut self, len: usize) -> usize {
        self.below(u32::try_from(len).unwrap_or(u32::MAX)) as usize
    }

    /// Uniform in `lo..=hi` (returns `lo` when `hi < lo`).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        // Multiply-shift; the bias is far below anything visible in demo data.
        let x = self.0.next_u64();
        let r = if span <= u64::from(u32::MAX) {
            ((x >> 32) * span) >> 32
        } else {
            ((u128::from(x) * u128::from(span)) >> 64) as u64
        };
        lo + r as i64
    }

    /// `range` for day offsets.
    pub(crate) fn days(&mut self, lo: i32, hi: i32) -> i32 {
        self.range(i64::from(lo), i64::from(hi)) as i32
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }

    /// Uniform in `0..total` (`total > 0`).
    fn scaled(&mut self, total: u64) -> u64 {
        let x = self.0.next_u64();
        if total <= u64::from(u32::MAX) {
            ((x >> 32) * total) >> 32
        } else {
            ((u128::from(x) * u128::from(total)) >> 64) as u64
        }
    }

    /// A uniformly chosen element of a non-empty static table.
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        let i = self.index(xs.len());
        &xs[i.min(xs.len().saturating_sub(1))]
    }

    /// An index chosen with the given integer weights (0 when all weights are zero).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        // Plain index loops: this runs per record and debug builds pay for iterator adaptors.
        let mut total = 0u64;
        let mut i = 0;
        while i < weights.len() {
            total += u64::from(weights[i]);
            i += 1;
        }
        if total == 0 {
            return 0;
        }
        let mut r = self.scaled(total);
        i = 0;
        while i < weights.len() {
            let w = u64::from(weights[i]);
            if r < w {
                return i;
            }
            r -= w;
            i += 1;
        }
        weights.len() - 1
    }

    /// An element of a table of `(item, weight)` pairs (the last one when all weights are zero).
    pub(crate) fn pick_w<'a, T>(&mut self, xs: &'a [(T, u32)]) -> &'a T {
        let mut total = 0u64;
        let mut i = 0;
        while i < xs.len() {
            total += u64::from(xs[i].1);
            i += 1;
        }
        let mut r = self.scaled(total.max(1));
        i = 0;
        while i + 1 < xs.len() {
            let w = u64::from(xs[i].1);
            if r < w {
                return &xs[i].0;
            }
            r -= w;
            i += 1;
        }
        &xs[xs.len().saturating_sub(1)].0
    }

    /// Standard normal (Box–Muller with libm; the second value of each pair is kept for the next call).
    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(z) = self.1.take() {
            return z;
        }
        let u1 = 1.0 - self.f(); // (0, 1]
        let u2 = self.f();
        let radius = libm::sqrt(-2.0 * libm::log(u1));
        let (sin, cos) = libm::sincos(std::f64::consts::TAU * u2);
        self.1 = Some(radius * sin);
        radius * cos
    }

    /// Log-normal with the given log-mean and log-sd.
    pub(crate) fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        libm::exp(mu + sigma * self.normal())
    }

    /// Exponential with the given mean.
    pub(crate) fn exponential(&mut self, mean: f64) -> f64 {
        -libm::log(1.0 - self.f()) * mean
    }

    /// Poisson count with a small mean (Knuth's method; means here stay below ~30).
    pub(crate) fn poisson(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            let x = mean + libm::sqrt(mean) * self.normal();
            return libm::round(x).max(0.0) as u32;
        }
        let limit = libm::exp(-mean);
        let mut k = 0u32;
        let mut p = self.f();
        while p > limit && k < 1000 {
            k += 1;
            p *= self.f();
        }
        k
    }
}
