//! Load test of the classroom server: 30 simulated students post runs of
//! the classroom scenario, each changing a lever, concurrently for 30
//! seconds on loopback. No request may fail; prints the median and 95th
//! percentile response time (recorded in docs/PERFORMANCE.md).
//!
//! Ignored by default (it takes 30 s); run it with
//! `cargo test --release --test serve_load -- --ignored --nocapture`
//! (scripts/e2e-serve.sh --load). `TIAOKUAI_LOAD_SECS` shortens it.

mod serve_support;

use std::time::{Duration, Instant};

use serde_json::json;

const STUDENTS: usize = 30;

#[test]
#[ignore = "30-second load test; run explicitly"]
fn thirty_students_for_thirty_seconds() {
    let secs: u64 = std::env::var("TIAOKUAI_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let addr = serve_support::start();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..STUDENTS)
        .map(|student| {
            std::thread::spawn(move || {
                let mut times = Vec::new();
                let mut failures = Vec::new();
                let mut k = 0u32;
                while Instant::now() < deadline {
                    // Each student moves the budget slider and runs again.
                    let budget = 0.5 + 0.1 * ((student as u32 + k) % 20) as f64;
                    let req = json!({
                        "preset": "classroom",
                        "client": format!("student-{student}"),
                        "levers": {"local": {"investment.budget": budget}},
                    });
                    let t = Instant::now();
                    let r = serve_support::post_json(addr, "/api/run", &req);
                    times.push(t.elapsed().as_secs_f64());
                    if r.status != 200 {
                        failures.push(format!("{}: {}", r.status, r.text()));
                    }
                    k += 1;
                }
                (times, failures)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut failures = Vec::new();
    for w in workers {
        let (t, f) = w.join().unwrap();
        times.extend(t);
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} failed requests, first: {}",
        failures.len(),
        failures[0]
    );
    assert!(!times.is_empty());
    times.sort_by(f64::total_cmp);
    let q = |p: f64| tiaokuai::stats::quantile_sorted(&times, p).unwrap() * 1000.0;
    println!(
        "serve load: {STUDENTS} clients, {secs} s, {} requests ({:.1}/s), 0 errors, median {:.0} ms, p95 {:.0} ms, max {:.0} ms, threads {}",
        times.len(),
        times.len() as f64 / secs as f64,
        q(0.5),
        q(0.95),
        q(1.0),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    );
}
