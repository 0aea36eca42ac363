//! Load tests of the classroom server on loopback (recorded in
//! docs/PERFORMANCE.md). No request may fail; each prints the median and
//! upper percentiles of the time from posting a run to its full answer.
//!
//! - 30 students post runs of the classroom scenario, each with its own
//!   budget value, concurrently for 30 seconds (every request a new
//!   computation);
//! - 40 students follow the `institutions` lesson: every round the class
//!   runs the step the teacher gives, within two seconds of each other,
//!   some with their own value of the lever (identical requests share one
//!   computation).
//!
//! Ignored by default; run them with
//! `cargo test --release --test serve_load -- --ignored --nocapture`
//! (scripts/e2e-serve.sh --load). `TIAOKUAI_LOAD_SECS` shortens the first,
//! `TIAOKUAI_LOAD_ROUNDS` (1 to 4) the second.

mod serve_support;

use std::time::{Duration, Instant};

use serde_json::json;

const STUDENTS: usize = 30;

/// Time quantile `p` of sorted seconds, in ms.
fn ms(sorted: &[f64], p: f64) -> f64 {
    tiaokuai::stats::quantile_sorted(sorted, p).unwrap() * 1000.0
}

/// Round `round` of the institutions lesson (docs/classroom.md) as student
/// `s` runs it: the step's levers, with some students trying their own value.
fn lesson_step(round: usize, s: usize) -> serde_json::Value {
    let client = format!("student-{s}");
    let year = [4, 4, 4, 3, 5][s % 5];
    let strength = [0.4, 0.8, 1.0][s % 3];
    match round {
        // Run the preset as it opens: no reform against all four reforms.
        0 => json!({"preset": "institutions", "client": client}),
        // "Move the property-rights reform from year 2 to year 4"; a few try 3 or 5.
        1 => json!({"preset": "institutions", "client": client,
                    "levers": {"all-reforms": {"institutions.property_rights.year": year}}}),
        // "Try security governance alone".
        2 => json!({"preset": "institutions", "client": client,
                    "strategies": ["no-reform", "security-only"]}),
        // The reform's strength: weaker, as shipped, stronger.
        _ => json!({"preset": "institutions", "client": client,
                    "levers": {"all-reforms": {"institutions.property_rights.strength": strength}}}),
    }
}

#[test]
#[ignore = "classroom lesson load test (about a minute); run explicitly"]
fn forty_students_follow_the_institutions_lesson() {
    const CLASS: usize = 40;
    let rounds: usize = std::env::var("TIAOKUAI_LOAD_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4)
        .clamp(1, 4);
    let addr = serve_support::start();
    let started = Instant::now();
    let mut times = Vec::new();
    let mut failures = Vec::new();
    let mut computed = 0;
    for round in 0..rounds {
        let class: Vec<_> = (0..CLASS)
            .map(|s| {
                std::thread::spawn(move || {
                    // Students press Run within two seconds of each other.
                    std::thread::sleep(Duration::from_millis((s * 37 % CLASS) as u64 * 50));
                    let t = Instant::now();
                    let r = serve_support::post_json(addr, "/api/run", &lesson_step(round, s));
                    (t.elapsed().as_secs_f64(), r)
                })
            })
            .collect();
        for student in class {
            let (t, r) = student.join().unwrap();
            times.push(t);
            if r.status != 200 {
                failures.push(format!("{}: {}", r.status, r.text()));
            } else if r.header("x-tiaokuai-cache").as_deref() == Some("miss") {
                computed += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed requests, first: {}",
        failures.len(),
        failures[0]
    );
    times.sort_by(f64::total_cmp);
    println!(
        "serve lesson load: {CLASS} students, institutions, {rounds} rounds, {} requests, {computed} computations, {:.1} s, 0 errors, run-to-result median {:.0} ms, p90 {:.0} ms, max {:.0} ms, threads {}",
        times.len(),
        started.elapsed().as_secs_f64(),
        ms(&times, 0.5),
        ms(&times, 0.9),
        ms(&times, 1.0),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    );
}

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
    let q = |p: f64| ms(&times, p);
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
