//! Distributions of uncertain parameters (`[[uncertainty]]` entries) and
//! their quantile functions.
//!
//! Rules: every design draws points in the unit cube and maps each
//! coordinate through [`Distribution::quantile`], so one code path serves
//! grid, Latin hypercube, Monte Carlo, Sobol and Morris designs alike.
//! Constructors validate their parameters and say what is wrong; a
//! constructed distribution never yields NaN for u in [0, 1].

use super::normal;

/// Unbounded distributions map u into this open range first, so the end
/// points of a design (Morris uses 0 and 1) give finite values: the 0.1%
/// and 99.9% quantiles.
pub const TAIL_CLAMP: f64 = 0.001;

/// Normal scores of bounded distributions stay within ±Z_MAX: Φ(−8) ≈
/// 6·10⁻¹⁶, so the end points of the support map to ±8 rather than ±∞.
pub const Z_MAX: f64 = 8.0;

/// A distribution over the real numbers (or a finite list of numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Uniform on [low, high].
    Uniform { low: f64, high: f64 },
    /// Triangular on [low, high] with its peak at `mode`.
    Triangular { low: f64, mode: f64, high: f64 },
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Normal(mean, sd) restricted to [low, high].
    TruncNormal {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
    },
    /// exp(Normal(meanlog, sdlog)).
    LogNormal { meanlog: f64, sdlog: f64 },
    /// One of `values`, with probabilities proportional to `weights`.
    Categorical { values: Vec<f64>, weights: Vec<f64> },
}

/// The distribution names accepted in `dist = "..."`.
pub const KINDS: [&str; 6] = [
    "uniform",
    "triangular",
    "normal",
    "truncnormal",
    "lognormal",
    "categorical",
];

fn finite(name: &str, x: f64) -> Result<(), String> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(format!("`{name}` must be a finite number, got {x}"))
    }
}

fn ordered(low: f64, high: f64) -> Result<(), String> {
    if low < high {
        Ok(())
    } else {
        Err(format!("`low` ({low}) must be less than `high` ({high})"))
    }
}

fn positive(name: &str, x: f64) -> Result<(), String> {
    if x > 0.0 {
        Ok(())
    } else {
        Err(format!("`{name}` must be greater than 0, got {x}"))
    }
}

impl Distribution {
    pub fn uniform(low: f64, high: f64) -> Result<Self, String> {
        finite("low", low)?;
        finite("high", high)?;
        ordered(low, high)?;
        Ok(Distribution::Uniform { low, high })
    }

    pub fn triangular(low: f64, mode: f64, high: f64) -> Result<Self, String> {
        finite("low", low)?;
        finite("mode", mode)?;
        finite("high", high)?;
        ordered(low, high)?;
        if !(low..=high).contains(&mode) {
            return Err(format!(
                "`mode` ({mode}) must lie in [low, high] = [{low}, {high}]"
            ));
        }
        Ok(Distribution::Triangular { low, mode, high })
    }

    pub fn normal(mean: f64, sd: f64) -> Result<Self, String> {
        finite("mean", mean)?;
        finite("sd", sd)?;
        positive("sd", sd)?;
        Ok(Distribution::Normal { mean, sd })
    }

    pub fn trunc_normal(mean: f64, sd: f64, low: f64, high: f64) -> Result<Self, String> {
        finite("mean", mean)?;
        finite("sd", sd)?;
        finite("low", low)?;
        finite("high", high)?;
        positive("sd", sd)?;
        ordered(low, high)?;
        let (a, b) = kept_mass(mean, sd, low, high);
        if b - a < 1e-12 {
            return Err(format!(
                "[{low}, {high}] holds almost no mass of Normal({mean}, {sd}); widen the bounds or move the mean"
            ));
        }
        Ok(Distribution::TruncNormal {
            mean,
            sd,
            low,
            high,
        })
    }

    pub fn lognormal(meanlog: f64, sdlog: f64) -> Result<Self, String> {
        finite("meanlog", meanlog)?;
        finite("sdlog", sdlog)?;
        positive("sdlog", sdlog)?;
        Ok(Distribution::LogNormal { meanlog, sdlog })
    }

    /// `weights` empty means equal weights.
    pub fn categorical(values: Vec<f64>, weights: Vec<f64>) -> Result<Self, String> {
        if values.is_empty() {
            return Err("`values` must list at least one number".into());
        }
        for v in &values {
            finite("values", *v)?;
        }
        let weights = if weights.is_empty() {
            vec![1.0; values.len()]
        } else {
            weights
        };
        if weights.len() != values.len() {
            return Err(format!(
                "`weights` has {} entries but `values` has {}",
                weights.len(),
                values.len()
            ));
        }
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || weights.iter().sum::<f64>() <= 0.0
        {
            return Err("`weights` must be non-negative numbers with a positive sum".into());
        }
        Ok(Distribution::Categorical { values, weights })
    }

    /// The name used in scenario files.
    pub fn kind(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Normal { .. } => "normal",
            Distribution::TruncNormal { .. } => "truncnormal",
            Distribution::LogNormal { .. } => "lognormal",
            Distribution::Categorical { .. } => "categorical",
        }
    }

    /// The value at cumulative probability `u` (clamped into [0, 1]).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
        let tail = |u: f64| u.clamp(TAIL_CLAMP, 1.0 - TAIL_CLAMP);
        match self {
            Distribution::Uniform { low, high } => low + u * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let split = (mode - low) / (high - low);
                if u < split {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                }
            }
            Distribution::Normal { mean, sd } => mean + sd * normal::quantile(tail(u)),
            Distribution::TruncNormal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b) = kept_mass(*mean, *sd, *low, *high);
                let z = normal::quantile(a + u * (b - a));
                (mean + sd * z).clamp(*low, *high)
            }
            Distribution::LogNormal { meanlog, sdlog } => {
                libm::exp(meanlog + sdlog * normal::quantile(tail(u)))
            }
            Distribution::Categorical { values, weights } => {
                let total: f64 = weights.iter().sum();
                let target = u * total;
                let mut acc = 0.0;
                for (v, w) in values.iter().zip(weights) {
                    acc += w;
                    if target < acc {
                        return *v;
                    }
                }
                // u = 1 (or rounding at the top): the last value with weight.
                values
                    .iter()
                    .zip(weights)
                    .rev()
                    .find(|(_, w)| **w > 0.0)
                    .map_or(values[values.len() - 1], |(v, _)| *v)
            }
        }
    }

    /// The cumulative probability P(X ≤ x), exact (no tail clamp).
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match self {
            Distribution::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
            Distribution::Triangular { low, mode, high } => {
                if x <= *low {
                    0.0
                } else if x < *mode {
                    (x - low).powi(2) / ((high - low) * (mode - low))
                } else if x < *high {
                    1.0 - (high - x).powi(2) / ((high - low) * (high - mode))
                } else {
                    1.0
                }
            }
            Distribution::Normal { mean, sd } => normal::cdf((x - mean) / sd),
            Distribution::TruncNormal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b) = kept_mass(*mean, *sd, *low, *high);
                ((normal::cdf((x - mean) / sd) - a) / (b - a)).clamp(0.0, 1.0)
            }
            Distribution::LogNormal { meanlog, sdlog } => {
                if x <= 0.0 {
                    0.0
                } else {
                    normal::cdf((libm::log(x) - meanlog) / sdlog)
                }
            }
            Distribution::Categorical { values, weights } => {
                let total: f64 = weights.iter().sum();
                let below: f64 = values
                    .iter()
                    .zip(weights)
                    .filter(|(v, _)| **v <= x)
                    .map(|(_, w)| w)
                    .sum();
                below / total
            }
        }
    }

    /// The normal score of `x`: z = Φ⁻¹(F(x)), so a draw from this
    /// distribution has a standard normal score. Exact for the normal
    /// ((x − mean)/sd) and lognormal ((ln x − meanlog)/sdlog); for bounded
    /// distributions it is kept within ±[`Z_MAX`] (the support's end
    /// points). Inverse: [`Distribution::from_normal_score`].
    pub fn normal_score(&self, x: f64) -> f64 {
        match self {
            Distribution::Normal { mean, sd } => (x - mean) / sd,
            Distribution::LogNormal { meanlog, sdlog } => {
                if x > 0.0 {
                    (libm::log(x) - meanlog) / sdlog
                } else {
                    f64::NEG_INFINITY
                }
            }
            _ => normal::quantile(self.cdf(x)).clamp(-Z_MAX, Z_MAX),
        }
    }

    /// The value whose normal score is `z`: F⁻¹(Φ(z)), without the tail
    /// clamp of [`Distribution::quantile`] (a normal prior maps to
    /// mean + sd·z for every z).
    pub fn from_normal_score(&self, z: f64) -> f64 {
        match self {
            Distribution::Normal { mean, sd } => mean + sd * z,
            Distribution::LogNormal { meanlog, sdlog } => libm::exp(meanlog + sdlog * z),
            _ => self.quantile(normal::cdf(z)),
        }
    }

    /// The values a full-factorial grid visits: a categorical list's
    /// values, or `levels` quantiles at the midpoints (j + ½)/levels of a
    /// continuous distribution.
    pub fn grid_values(&self, levels: Option<usize>) -> Result<Vec<f64>, String> {
        match (self, levels) {
            (Distribution::Categorical { values, .. }, None) => Ok(values.clone()),
            (Distribution::Categorical { .. }, Some(_)) => Err(
                "`levels` does not apply to a categorical list; the grid uses its values".into(),
            ),
            (_, None) => Err(format!(
                "a grid design needs `levels = K` on a {} distribution (or use dist = \"categorical\" with values)",
                self.kind()
            )),
            (_, Some(0)) => Err("`levels` must be at least 1".into()),
            (_, Some(k)) => Ok((0..k)
                .map(|j| self.quantile((j as f64 + 0.5) / k as f64))
                .collect()),
        }
    }
}

/// Φ at the bounds of a normal truncated to `[low, high]`: the
/// truncated distribution keeps the untruncated mass between them.
fn kept_mass(mean: f64, sd: f64, low: f64, high: f64) -> (f64, f64) {
    (
        normal::cdf((low - mean) / sd),
        normal::cdf((high - mean) / sd),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_reject_bad_parameters() {
        assert!(Distribution::uniform(1.0, 1.0).is_err());
        assert!(
            Distribution::uniform(2.0, 1.0)
                .unwrap_err()
                .contains("less than")
        );
        assert!(
            Distribution::triangular(0.0, 2.0, 1.0)
                .unwrap_err()
                .contains("mode")
        );
        assert!(Distribution::normal(0.0, 0.0).unwrap_err().contains("sd"));
        assert!(Distribution::normal(f64::NAN, 1.0).is_err());
        assert!(Distribution::trunc_normal(0.0, 1.0, 1.0, 0.5).is_err());
        assert!(Distribution::trunc_normal(0.0, 0.01, 50.0, 51.0).is_err());
        assert!(Distribution::lognormal(0.0, -1.0).is_err());
        assert!(Distribution::categorical(vec![], vec![]).is_err());
        assert!(Distribution::categorical(vec![1.0, 2.0], vec![1.0]).is_err());
        assert!(Distribution::categorical(vec![1.0], vec![-1.0]).is_err());
    }

    #[test]
    fn quantiles_match_closed_forms() {
        let u = Distribution::uniform(2.0, 6.0).unwrap();
        assert_eq!(u.quantile(0.25), 3.0);
        let t = Distribution::triangular(0.0, 1.0, 2.0).unwrap();
        assert!((t.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((t.quantile(0.125) - 0.5).abs() < 1e-12);
        let n = Distribution::normal(10.0, 2.0).unwrap();
        assert!((n.quantile(0.975) - (10.0 + 2.0 * 1.959_963_984_540_054)).abs() < 1e-10);
        assert!(n.quantile(0.0).is_finite() && n.quantile(1.0).is_finite());
        let tn = Distribution::trunc_normal(0.0, 1.0, 0.0, 1.0).unwrap();
        assert!((tn.quantile(0.0)).abs() < 1e-12 && (tn.quantile(1.0) - 1.0).abs() < 1e-12);
        // Symmetric truncation: the median is the mean.
        let tn = Distribution::trunc_normal(3.0, 1.0, 2.0, 4.0).unwrap();
        assert!((tn.quantile(0.5) - 3.0).abs() < 1e-12);
        let ln = Distribution::lognormal(0.0, 1.0).unwrap();
        assert!((ln.quantile(0.5) - 1.0).abs() < 1e-12);
        let c = Distribution::categorical(vec![1.0, 2.0, 3.0], vec![1.0, 0.0, 1.0]).unwrap();
        assert_eq!(c.quantile(0.2), 1.0);
        assert_eq!(c.quantile(0.7), 3.0);
        assert_eq!(c.quantile(1.0), 3.0);
    }

    #[test]
    fn grid_values_use_lists_or_mid_quantiles() {
        let c = Distribution::categorical(vec![0.1, 0.5], vec![]).unwrap();
        assert_eq!(c.grid_values(None).unwrap(), vec![0.1, 0.5]);
        let u = Distribution::uniform(0.0, 1.0).unwrap();
        assert_eq!(
            u.grid_values(Some(4)).unwrap(),
            vec![0.125, 0.375, 0.625, 0.875]
        );
        assert!(u.grid_values(None).is_err());
        assert!(c.grid_values(Some(2)).is_err());
    }

    #[test]
    fn cdf_inverts_quantile_and_normal_scores_round_trip() {
        let ds = [
            Distribution::uniform(2.0, 6.0).unwrap(),
            Distribution::triangular(0.0, 1.0, 3.0).unwrap(),
            Distribution::triangular(0.0, 0.0, 1.0).unwrap(),
            Distribution::triangular(0.0, 1.0, 1.0).unwrap(),
            Distribution::normal(10.0, 2.0).unwrap(),
            Distribution::trunc_normal(0.0, 1.0, -0.5, 2.0).unwrap(),
            Distribution::lognormal(0.5, 0.8).unwrap(),
        ];
        for d in &ds {
            for i in 1..100 {
                let u = i as f64 / 100.0;
                let x = d.quantile(u);
                assert!((d.cdf(x) - u).abs() < 1e-12, "{d:?} u={u}");
                let z = d.normal_score(x);
                assert!((z - normal::quantile(u)).abs() < 1e-9, "{d:?} u={u} z={z}");
                assert!((d.from_normal_score(z) - x).abs() < 1e-9 * (1.0 + x.abs()));
            }
            // The CDF is 0 below the support and 1 above it.
            assert_eq!(d.cdf(-1e9), 0.0);
            assert_eq!(d.cdf(1e9), 1.0);
        }
        // Closed forms: triangular(0, 1, 3) has F(1) = 1/3; F(2) = 1 - 1/6.
        let t = &ds[1];
        assert!((t.cdf(1.0) - 1.0 / 3.0).abs() < 1e-15);
        assert!((t.cdf(2.0) - 5.0 / 6.0).abs() < 1e-15);
        assert_eq!(ds[4].normal_score(13.0), 1.5);
        // Every normal score maps inside a bounded support, the end points
        // to ±Z_MAX, and a normal prior is not clamped.
        let u = &ds[0];
        for z in [-40.0, -8.5, -3.0, 0.0, 3.0, 8.5, 40.0] {
            let x = u.from_normal_score(z);
            assert!((2.0..=6.0).contains(&x), "z={z} x={x}");
        }
        assert_eq!(u.normal_score(2.0), -Z_MAX);
        assert_eq!(u.normal_score(6.0), Z_MAX);
        assert_eq!(ds[4].from_normal_score(5.0), 20.0);
        let c = Distribution::categorical(vec![1.0, 2.0], vec![1.0, 3.0]).unwrap();
        assert_eq!(c.cdf(1.5), 0.25);
    }
}
