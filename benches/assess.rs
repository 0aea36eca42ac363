//! Cost of the simulator's per-quarter scoring call: the built-in framework
//! over 3,000 units (about the number of counties in China).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tiaokuai::assess::Framework;

fn scorer(c: &mut Criterion) {
    let fw = Framework::tiaokuai_default();
    let cols = fw.columns();
    let names: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut s = fw.scorer(&names).expect("built-in columns");
    let n = 3000;
    let rows: Vec<f64> = (0..n * cols.len())
        .map(|i| ((i * 2_654_435_761) % 1000) as f64 / 1000.0)
        .collect();
    let (mut index, mut stage) = (vec![0.0; n], vec![0u8; n]);
    c.bench_function("scorer_3000_units", |b| {
        b.iter(|| s.score(black_box(&rows), &mut index, &mut stage))
    });
    // The same framework with mean imputation (a no-op here: no gaps), which
    // needs column statistics and so takes the column-wise path.
    let text = fw
        .text
        .replace("[index]", "[pretreat]\nimputation = \"mean\"\n\n[index]");
    let cw = Framework::from_str(&text, None).expect("valid variant");
    let mut s = cw.scorer(&names).expect("built-in columns");
    c.bench_function("scorer_3000_units_columnwise", |b| {
        b.iter(|| s.score(black_box(&rows), &mut index, &mut stage))
    });
}

criterion_group!(benches, scorer);
criterion_main!(benches);
