//! Criterion benchmark of the engine: one replicate of the default province
//! world (about 8,800 departments, 5 years) and of the classroom world.
//! `cargo run --release -- bench` prints department-quarters per second
//! and peak memory for the province and china presets.

use criterion::{Criterion, criterion_group, criterion_main};
use tiaokuai::scenario;
use tiaokuai::sim::{Context, Runner};

fn province(c: &mut Criterion) {
    for (label, toml) in [
        ("province_replicate", "name = \"bench\""),
        (
            "classroom_replicate",
            "name = \"bench\"\n[world]\ncities = 6\ncounties_per_city = 3\ntownships_per_county = 4",
        ),
    ] {
        let ctx = Context::new(scenario::from_str(toml, None).unwrap()).unwrap();
        let mut runner = Runner::new(&ctx);
        let mut rep = 0;
        c.bench_function(label, |b| {
            b.iter(|| {
                let mut last = 0.0;
                runner.run(&ctx.replicate(rep), 0, rep, |_, f| last = f[0]);
                rep += 1;
                std::hint::black_box(last)
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = province
}
criterion_main!(benches);
