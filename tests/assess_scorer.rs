//! The simulator's scoring API: `Framework::tiaokuai_default().scorer(..)`
//! scores thousands of units per call without allocating once warmed up,
//! and agrees with the `assess` pipeline on the same data.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use tiaokuai::assess::Framework;
use tiaokuai::assess::score::score_columns;

/// Counts allocations made on threads that switched tracking on (so the
/// other tests running in parallel do not disturb the count).
struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
thread_local! {
    static TRACK: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    if TRACK.with(Cell::get) {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Deterministic pseudo-random values in [0, 1) (no RNG state to allocate).
fn value(u: usize, c: usize, t: usize) -> f64 {
    let mut z = (u as u64) << 32 ^ (c as u64) << 16 ^ t as u64;
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn fill(rows: &mut [f64], cols: &[String], t: usize) {
    let k = cols.len();
    for (i, x) in rows.iter_mut().enumerate() {
        let (u, c) = (i / k, i % k);
        let scale = if matches!(
            cols[c].as_str(),
            "services_online" | "zero_visit_share" | "openness"
        ) {
            100.0
        } else {
            1.0
        };
        // every 97th value missing, to exercise the coverage rule
        *x = if (u + c + t) % 97 == 0 {
            f64::NAN
        } else {
            scale * value(u, c, t)
        };
    }
}

#[test]
fn scorer_allocates_nothing_after_warm_up_and_matches_pipeline() {
    let fw = Framework::tiaokuai_default();
    let cols = fw.columns();
    assert_eq!(cols.len(), 15);
    let names: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut scorer = fw.scorer(&names).unwrap();
    let n = 3000;
    let mut rows = vec![0.0; n * cols.len()];
    let (mut index, mut stage) = (vec![0.0; n], vec![0u8; n]);
    fill(&mut rows, &cols, 0);
    scorer.score(&rows, &mut index, &mut stage); // warm-up sizes the buffers
    let before = ALLOCS.load(Ordering::SeqCst);
    TRACK.with(|t| t.set(true));
    for t in 1..=40 {
        fill(&mut rows, &cols, t);
        scorer.score(&rows, &mut index, &mut stage);
    }
    TRACK.with(|t| t.set(false));
    let during = ALLOCS.load(Ordering::SeqCst) - before;
    assert_eq!(during, 0, "{during} allocations in 40 quarters");

    // Same numbers as the assess pipeline on the same units.
    let columns: Vec<Vec<f64>> = (0..cols.len())
        .map(|c| (0..n).map(|u| rows[u * cols.len() + c]).collect())
        .collect();
    let s = score_columns(&fw, &columns, n, None);
    for u in 0..n {
        assert_eq!(s.ws.index[u].to_bits(), index[u].to_bits(), "unit {u}");
        assert_eq!(s.stage[u], stage[u]);
        assert!((0.0..=100.0).contains(&index[u]), "{}", index[u]);
        assert!((1..=5).contains(&stage[u]));
    }
    // all five stages reachable in principle: stage = floor(index / 20) + 1
    for u in 0..n {
        let want = ((index[u] / 20.0).floor() as u8 + 1).min(5);
        assert_eq!(stage[u], want, "index {}", index[u]);
    }
}

#[test]
fn changing_the_framework_changes_the_score() {
    let base = Framework::tiaokuai_default();
    let text = base.text.replace("data_sharing = 2", "data_sharing = 6");
    let heavy = Framework::from_str(&text, None).unwrap();
    let cols = base.columns();
    let names: Vec<&str> = cols.iter().map(String::as_str).collect();
    // a unit strong on data sharing, weak elsewhere
    let row: Vec<f64> = cols
        .iter()
        .map(|c| match c.as_str() {
            "flow_up" | "flow_down" | "sharing_horizontal" | "cross_system_usability" => 1.0,
            "services_online" | "zero_visit_share" | "openness" => 10.0,
            _ => 0.1,
        })
        .collect();
    let score = |fw: &Framework| {
        let mut s = fw.scorer(&names).unwrap();
        let (mut i, mut st) = ([0.0], [0u8]);
        s.score(&row, &mut i, &mut st);
        i[0]
    };
    // weights 2 of 8 vs 6 of 12 on a pillar scoring 1.0 vs 0.1 elsewhere
    assert!((score(&base) - 100.0 * (2.0 * 1.0 + 6.0 * 0.1) / 8.0).abs() < 1e-9);
    assert!((score(&heavy) - 100.0 * (6.0 * 1.0 + 6.0 * 0.1) / 12.0).abs() < 1e-9);
}
