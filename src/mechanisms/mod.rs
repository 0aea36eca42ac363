//! One module per mechanism of the model (docs/model.md §3). Each holds its
//! parameter struct (every field a documented scenario key with a default
//! and unit), the validation of those parameters, and the rule itself as
//! small pure functions that the engine calls from its step loop. The
//! functional forms are justified in `docs/ODD.md`.
//!
//! Rules: no I/O, no randomness drawn here (random numbers are passed in),
//! no allocation in the rules the step loop calls (a mechanism's own state,
//! such as diffusion's, is sized before a run, `sized`); all shares are in
//! [0, 1].

pub mod coordination;
pub mod diffusion;
pub mod domains;
pub mod flow;
pub mod hardware;
pub mod institutions;
pub mod investment;
pub mod platforms;
pub mod regions;
pub mod services;
pub mod sharing;
pub mod standards;
pub mod trust;

use crate::error::InputError;

/// Empty `v` and fill it with `n` copies of `x`, keeping its allocation:
/// a run's buffers (the engine's, and a mechanism's own such as
/// diffusion's) are refitted in place when a worker moves to a world of
/// another size.
pub(crate) fn sized<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// The fix offered for a value out of range.
const RANGE_HELP: &str = "change the value to one in range, or delete the key to use its default (see docs/scenario-reference.md)";

/// Check that `x` lies in `[lo, hi]`, naming the key on failure.
pub(crate) fn check_range(key: &str, x: f64, lo: f64, hi: f64) -> Result<(), InputError> {
    if x.is_finite() && x >= lo && x <= hi {
        Ok(())
    } else {
        Err(InputError::new(format!("value {x} is out of range"))
            .key(key)
            .expected(format!("a number from {lo} to {hi}"))
            .suggest(RANGE_HELP))
    }
}

/// Check that `x` is a finite number ≥ `lo`.
pub(crate) fn check_min(key: &str, x: f64, lo: f64) -> Result<(), InputError> {
    if x.is_finite() && x >= lo {
        Ok(())
    } else {
        Err(InputError::new(format!("value {x} is out of range"))
            .key(key)
            .expected(format!("a number ≥ {lo}"))
            .suggest(RANGE_HELP))
    }
}

/// Validate a list of `(key suffix, value, lo, hi)` under a key prefix.
pub(crate) fn check_all(prefix: &str, items: &[(&str, f64, f64, f64)]) -> Result<(), InputError> {
    for (k, x, lo, hi) in items {
        let key = format!("{prefix}.{k}");
        if hi.is_infinite() {
            check_min(&key, *x, *lo)?;
        } else {
            check_range(&key, *x, *lo, *hi)?;
        }
    }
    Ok(())
}
