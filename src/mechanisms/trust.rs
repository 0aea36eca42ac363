//! Trust between departments: a stock on each horizontal link that grows
//! with successful exchanges and falls faster than it grows after failures
//! (docs/model.md §3.2). This is the asymmetric trust dynamic of the
//! inter-organisational trust literature — trust is "built slowly and lost
//! quickly" (Slovic 1993; Gil-Garcia, Chengalur-Smith & Duchessi 2007 on
//! trust in public-sector information sharing).
//!
//! Update per attempt: success `T += gain·(1 − T)`, failure `T −= loss·T`,
//! with `loss > gain`. Trust enters the sharing probability as
//! `factor = base + (1 − base)·T`, so low trust dampens but never forbids.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[trust]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrustParams {
    /// Mean initial trust on a link (0–1).
    pub initial: f64,
    /// Half-width of the uniform spread of initial trust (0–0.5).
    pub initial_spread: f64,
    /// Share of the gap to 1 closed by a success (0–1).
    pub gain: f64,
    /// Share of trust lost by a failure (0–1); must exceed `gain`.
    pub loss: f64,
    /// Sharing factor at zero trust (0–1).
    pub base: f64,
}

impl Default for TrustParams {
    fn default() -> Self {
        TrustParams {
            initial: 0.35,
            initial_spread: 0.1,
            gain: 0.08,
            loss: 0.12,
            base: 0.6,
        }
    }
}

impl TrustParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[
                ("initial", self.initial, 0.0, 1.0),
                ("initial_spread", self.initial_spread, 0.0, 0.5),
                ("gain", self.gain, 0.0, 1.0),
                ("loss", self.loss, 0.0, 1.0),
                ("base", self.base, 0.0, 1.0),
            ],
        )?;
        if self.loss <= self.gain {
            return Err(InputError::new(format!(
                "trust.loss ({}) must exceed trust.gain ({}): trust falls faster than it grows",
                self.loss, self.gain
            ))
            .key(format!("{prefix}.loss"))
            .expected(format!("a number greater than {}", self.gain)));
        }
        Ok(())
    }
}

/// Trust after one attempt; branch-free so the link loop stays tight.
#[inline]
pub fn update(t: f32, success: bool, gain: f32, loss: f32) -> f32 {
    let s = success as u8 as f32;
    t + s * gain * (1.0 - t) - (1.0 - s) * loss * t
}

/// Trust after a link's two attempts of one quarter (a → b, then b → a):
/// the two [`update`]s composed into one affine map `t ↦ c + m·t` per
/// outcome — success is `t ↦ gain + (1 − gain)·t`, failure
/// `t ↦ (1 − loss)·t`. The kernels look the map up by outcome instead of
/// branching on random draws (which mispredict half the time).
#[derive(Debug, Clone, Copy)]
pub struct PairUpdate([[f32; 2]; 4]);

impl PairUpdate {
    pub fn new(gain: f64, loss: f64) -> PairUpdate {
        let step = |success: bool| {
            if success {
                [gain, 1.0 - gain]
            } else {
                [0.0, 1.0 - loss]
            }
        };
        let maps = [0usize, 1, 2, 3].map(|k| {
            let (first, second) = (step(k & 1 == 1), step(k & 2 == 2));
            let c = second[0] + second[1] * first[0];
            let m = second[1] * first[1];
            [c as f32, m as f32]
        });
        PairUpdate(maps)
    }

    /// Trust after the two attempts with outcomes `first` and `second`.
    #[inline(always)]
    pub fn apply(&self, t: f32, first: bool, second: bool) -> f32 {
        let [c, m] = self.0[first as usize | (second as usize) << 1];
        (c + m * t).min(1.0)
    }
}

/// Multiplier of the sharing probability at trust `t`.
#[inline]
pub fn factor(t: f32, base: f32) -> f32 {
    base + (1.0 - base) * t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_values() {
        assert!((update(0.5, true, 0.06, 0.12) - 0.53).abs() < 1e-6);
        assert!((update(0.5, false, 0.06, 0.12) - 0.44).abs() < 1e-6);
        assert!((factor(0.5, 0.55) - 0.775).abs() < 1e-6);
    }

    #[test]
    fn falls_faster_than_it_grows_and_stays_in_range() {
        let up = update(0.5, true, 0.06, 0.12) - 0.5;
        let down = 0.5 - update(0.5, false, 0.06, 0.12);
        assert!(down > up);
        let mut t = 0.0;
        for i in 0..1000 {
            t = update(t, i % 3 != 0, 0.3, 0.9);
            assert!((0.0..=1.0).contains(&t));
        }
    }

    #[test]
    fn pair_update_is_two_updates() {
        let (g, l) = (0.08, 0.12);
        let pair = PairUpdate::new(g, l);
        for t in [0.0f32, 0.1, 0.35, 0.5, 0.99, 1.0] {
            for (a, b) in [(false, false), (true, false), (false, true), (true, true)] {
                let two = update(update(t, a, g as f32, l as f32), b, g as f32, l as f32);
                let one = pair.apply(t, a, b);
                assert!((one - two).abs() < 1e-6, "t {t}, {a} {b}: {one} vs {two}");
                assert!((0.0..=1.0).contains(&one));
            }
        }
    }

    #[test]
    fn loss_must_exceed_gain() {
        let p = TrustParams {
            gain: 0.2,
            loss: 0.1,
            ..Default::default()
        };
        assert!(p.validate("trust").is_err());
        assert!(TrustParams::default().validate("trust").is_ok());
    }
}
