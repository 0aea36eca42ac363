//! Seeded randomness for designs: seed derivation and a few draws written
//! out by hand.
//!
//! Rules: every random number in a design comes from a generator seeded by
//! [`derive_seed`] over (master seed, stream name, index), never from thread
//! identity or the clock. Draws use only `next_u64` and the arithmetic
//! below, so a design stays byte-identical even if `rand` changes how its
//! convenience methods map bits to values.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};

pub use crate::rng::derive_seed;

/// A generator for one stream.
pub fn generator(master: u64, stream: &str, index: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(derive_seed(master, stream, index))
}

/// A uniform draw in [0, 1) with 53 random bits.
pub fn unit(rng: &mut impl Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index in `0..n` (Lemire's multiply-shift; bias below 2^-40
/// for any n a design uses). `n` must be positive.
pub fn below(rng: &mut impl Rng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// Fisher–Yates shuffle driven by [`below`].
pub fn shuffle<T>(rng: &mut impl Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_stream_and_index_and_are_stable() {
        let a = derive_seed(42, "sweep", 0);
        assert_ne!(a, derive_seed(42, "sweep", 1));
        assert_ne!(a, derive_seed(42, "lhs", 0));
        assert_ne!(a, derive_seed(43, "sweep", 0));
        assert_eq!(a, derive_seed(42, "sweep", 0));
    }

    #[test]
    fn unit_and_below_stay_in_range_and_shuffle_permutes() {
        let mut rng = generator(7, "t", 0);
        for _ in 0..1000 {
            let u = unit(&mut rng);
            assert!((0.0..1.0).contains(&u));
            assert!(below(&mut rng, 3) < 3);
        }
        let mut v: Vec<usize> = (0..50).collect();
        shuffle(&mut rng, &mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}
