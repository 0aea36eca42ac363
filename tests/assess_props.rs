//! Properties of the assessment engine that must hold for any input: means
//! stay between their children's extremes, normalised values stay in range,
//! and the framework parser never panics.

use proptest::prelude::*;
use tiaokuai::assess::Framework;
use tiaokuai::assess::aggregate::{Aggregation, aggregate};
use tiaokuai::assess::normalise::{Direction, Normalisation, Params, normalise};

fn values() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((0.0f64..1.0, 0.01f64..5.0), 1..8)
}

proptest! {
    #[test]
    fn means_lie_between_min_and_max(pairs in values()) {
        let lo = pairs.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let hi = pairs.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let mut prev = f64::INFINITY;
        // arithmetic >= geometric >= harmonic
        for m in [Aggregation::Arithmetic, Aggregation::Geometric, Aggregation::Harmonic] {
            let v = aggregate(m, pairs.iter().copied(), pairs.len(), 1.0);
            prop_assert!(v >= lo - 1e-12 && v <= hi + 1e-12, "{m:?}: {v} not in [{lo}, {hi}]");
            prop_assert!(v <= prev + 1e-12);
            prev = v;
        }
    }

    #[test]
    fn bounded_normalisations_stay_in_unit_interval(
        xs in prop::collection::vec(prop::option::of(-50.0f64..150.0), 0..30),
        lower in any::<bool>(),
    ) {
        let p = Params {
            direction: if lower { Direction::Lower } else { Direction::Higher },
            goalposts: Some((0.0, 100.0)),
            target: Some(80.0),
        };
        for m in [Normalisation::MinMax, Normalisation::PercentileRank, Normalisation::Goalposts, Normalisation::DistanceToTarget] {
            let mut v: Vec<f64> = xs.iter().map(|x| x.unwrap_or(f64::NAN)).collect();
            if m == Normalisation::DistanceToTarget {
                v.iter_mut().for_each(|x| *x = x.abs() + 0.1);
            }
            normalise(m, &p, &mut v, &mut Vec::new());
            for (x, orig) in v.iter().zip(&xs) {
                prop_assert_eq!(x.is_nan(), orig.is_none());
                prop_assert!(x.is_nan() || (0.0..=1.0).contains(x), "{m:?} gave {x}");
            }
        }
    }

    #[test]
    fn framework_parser_never_panics(text in "\\PC{0,200}") {
        let _ = Framework::from_str(&text, None);
    }

    #[test]
    fn mutated_builtin_framework_never_panics(cut in 0usize..12000, junk in "[a-z\\[\\]=\" ,0-9.\n-]{0,12}") {
        let base = Framework::tiaokuai_default().text;
        let cut = cut.min(base.len());
        let cut = (0..=cut).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
        let text = format!("{}{}{}", &base[..cut], junk, &base[cut..]);
        let _ = Framework::from_str(&text, None);
    }
}
