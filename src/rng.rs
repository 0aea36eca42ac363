//! Seeded random streams.
//!
//! Rule: there is no randomness without a seed derived from the scenario.
//! Every stream is identified by (master seed, replicate, stream name) and
//! never by thread identity, so results are identical for any thread count,
//! and every strategy of a replicate draws the same numbers from the same
//! stream (common random numbers: strategy differences are paired).
//! The generator is xoshiro256++ (value-stable by definition), seeded
//! through SplitMix64.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The generator used everywhere.
pub type Rng = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a good 64-bit mixer.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a stream name.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The seed of item `index` of stream `stream` under `master` (designs,
/// sweep points, bootstrap analyses). With [`replicate_seed`] and
/// [`stream`], the one home of seed hashing.
pub fn derive_seed(master: u64, stream: &str, index: u64) -> u64 {
    mix(mix(master ^ name_hash(stream)).wrapping_add(mix(index)))
}

/// Seed of a replicate, as written to outputs.
pub fn replicate_seed(master: u64, replicate: u32) -> u64 {
    mix(mix(master) ^ (replicate as u64).wrapping_mul(0xA24B_AED4_963E_E407))
}

/// The random stream `name` of replicate `replicate`.
pub fn stream(master: u64, replicate: u32, name: &str) -> Rng {
    Rng::seed_from_u64(mix(replicate_seed(master, replicate) ^ name_hash(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_differ_by_name_and_replicate_and_are_stable() {
        let a: u64 = stream(42, 0, "links").random();
        let b: u64 = stream(42, 0, "links").random();
        let c: u64 = stream(42, 0, "innovation").random();
        let d: u64 = stream(42, 1, "links").random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn value_stability() {
        // Pinned: changing the derivation changes every output; do it deliberately.
        assert_eq!(replicate_seed(42, 0), replicate_seed(42, 0));
        let x: u64 = stream(1, 2, "x").random();
        assert_eq!(x, stream(1, 2, "x").random::<u64>());
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
    }
}
