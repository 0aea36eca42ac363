//! The classroom server's JSON API (docs/api.md): every endpoint, every
//! error, and that the numbers it returns are the engine's.

mod serve_support;

use serde_json::{Value, json};
use serve_support::{get, post, post_json, start};
use tiaokuai::experiment::run_replicate;
use tiaokuai::sim::Context;

const CLASSROOM: &str = include_str!("../scenarios/classroom.toml");

fn last(v: &Value) -> f64 {
    v.as_array().unwrap().last().unwrap().as_f64().unwrap()
}

#[test]
fn static_page_and_unknown_paths() {
    let addr = start();
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("/app.js"));
    let r = get(addr, "/app.js");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().contains("javascript"));
    let r = get(addr, "/nothing-here");
    assert_eq!(r.status, 404);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("/nothing-here")
    );
}

#[test]
fn presets_list_and_describe() {
    let addr = start();
    let r = get(addr, "/api/presets");
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["default"], "classroom");
    let ids: Vec<&str> = j["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "classroom",
        "provincial-vs-local",
        "institutions",
        "regional-coordination",
        "reuse",
        "sector-coordination",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert_eq!(j["limits"]["max_replicates"], 50);

    let d = get(addr, "/api/presets/classroom").json();
    assert_eq!(d["baseline"], "local");
    let levers = d["levers"].as_array().unwrap();
    let platforms = levers.iter().find(|l| l["id"] == "platforms").unwrap();
    assert_eq!(platforms["kind"], "choice");
    // Each strategy's resolved value, in scenario order.
    assert_eq!(platforms["values"], json!(["local", "provincial"]));
    let budget = levers
        .iter()
        .find(|l| l["id"] == "investment.budget")
        .unwrap();
    assert_eq!(budget["min"], 0.0);
    assert_eq!(budget["max"], 5.0);
    assert!(!budget["help_zh"].as_str().unwrap().is_empty());
    let year = levers.iter().find(|l| l["id"] == "standards_year").unwrap();
    assert_eq!(year["max"], 6.0, "years + 1 for a 5-year run");
    assert!(!d["info"]["zh"]["about"].as_str().unwrap().is_empty());
    assert!(!d["info"]["en"]["try"].as_array().unwrap().is_empty());

    let r = get(addr, "/api/presets/clasroom");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["suggestion"], "did you mean `classroom`?");
}

#[test]
fn run_returns_the_engines_numbers() {
    let addr = start();
    let r = post_json(addr, "/api/run", &json!({"preset": "classroom"}));
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    let names: Vec<&str> = j["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["local", "provincial"]);
    assert_eq!(j["time"].as_array().unwrap().len(), 21);

    // The same runs straight from the library.
    let sc = tiaokuai::scenario::from_str(CLASSROOM, None).unwrap();
    let reps = sc.run.replicates;
    let mut ctx = Context::new(sc).unwrap();
    // The web app plays every replicate on replicate 0's tree (its network
    // view averages units of one tree), drawing everything else anew.
    ctx.keep_structure();
    let horizon = |s: usize| -> Vec<f64> {
        (0..reps)
            .map(|r| run_replicate(&ctx, s, r).horizon("collab_index").unwrap())
            .collect()
    };
    let (a, b) = (horizon(0), horizon(1));
    let mean = |x: &[f64]| tiaokuai::stats::mean(x).unwrap();
    let band = &j["series"][0]["collab_index"];
    assert_eq!(last(&band["mean"]), mean(&a));
    assert!(last(&band["p05"]) <= mean(&a) && mean(&a) <= last(&band["p95"]));
    assert_eq!(last(&j["series"][1]["collab_index"]["mean"]), mean(&b));
    let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
    let s = tiaokuai::stats::summarize(&d).unwrap();
    let diff = &j["compare"]["metrics"]["collab_index"];
    assert_eq!(j["compare"]["a"], "local");
    // Equal up to rounding: the server sums the same differences.
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * y.abs().max(1.0);
    assert!(
        close(last(&diff["mean"]), s.mean),
        "{} vs {}",
        last(&diff["mean"]),
        s.mean
    );
    assert!(close(last(&diff["ci95_low"]), s.ci95_low));
    assert!(close(last(&diff["ci95_high"]), s.ci95_high));

    // Network view: every unit below the centre drawn, values per strategy and time.
    let net = &j["network"];
    let nodes = net["nodes"].as_array().unwrap();
    // The province, its 6 cities and replicate 0's drawn counties and townships.
    assert_eq!(nodes.len(), ctx.world.units.len() - 1);
    assert!(ctx.world.units_by_level()[2] == 6 && nodes.len() > 1 + 6 + 6 + 6);
    assert_eq!(net["values"].as_array().unwrap().len(), 2);
    assert_eq!(net["values"][0].as_array().unwrap().len(), 21);
    assert_eq!(net["values"][0][20][0].as_array().unwrap().len(), 6);

    // Deterministic: the same request gives the same answer.
    let again = post_json(addr, "/api/run", &json!({"preset": "classroom"}));
    assert_eq!(again.body, r.body);
}

#[test]
fn levers_change_results_exactly_like_a_scenario_file() {
    let addr = start();
    let base = post_json(
        addr,
        "/api/run",
        &json!({"preset": "classroom", "network": false}),
    )
    .json();
    let req = json!({
        "preset": "classroom",
        "network": false,
        "levers": {"local": {"standards": "provincial", "investment.budget": 2.0}},
    });
    let changed = post_json(addr, "/api/run", &req).json();
    assert!(changed["network"].is_null());
    let a0 = last(&base["series"][0]["collab_index"]["mean"]);
    let a1 = last(&changed["series"][0]["collab_index"]["mean"]);
    assert_ne!(a0, a1, "the lever had no effect");
    // Strategy B was not touched.
    assert_eq!(base["series"][1], changed["series"][1]);

    // One half of a reform: the other half keeps the strategy's value.
    let reform = post_json(
        addr,
        "/api/run",
        &json!({"preset": "classroom", "network": false,
                "levers": {"local": {"institutions.property_rights.strength": 0.8}}}),
    );
    assert_eq!(reform.status, 200, "{}", reform.text());
    let reform = post_json(
        addr,
        "/api/run",
        &json!({"preset": "institutions", "strategies": ["all-reforms"], "replicates": 2,
                "network": false, "levers": {"all-reforms": {"institutions.circulation.year": 4}}}),
    );
    assert_eq!(reform.status, 200, "{}", reform.text());

    // The same change written into the file and uploaded.
    let text = CLASSROOM.replace(
        "platforms = \"local\"",
        "platforms = \"local\"\nstandards = \"provincial\"\ninvestment = { budget = 2.0 }",
    );
    assert_ne!(text, CLASSROOM);
    let uploaded = post_json(
        addr,
        "/api/run",
        &json!({"scenario_toml": text, "network": false}),
    )
    .json();
    assert_eq!(uploaded["series"], changed["series"]);
    assert!(uploaded["preset"].is_null());
}

#[test]
fn run_settings_and_strategy_choice() {
    let addr = start();
    let j = post_json(
        addr,
        "/api/run",
        &json!({"preset": "provincial-vs-local", "strategies": ["hybrid", "city", "local"],
                "replicates": 3, "years": 2, "seed": 9, "network": false}),
    )
    .json();
    assert_eq!(j["replicates"], 3);
    assert_eq!(j["seed"], 9);
    assert_eq!(j["time"].as_array().unwrap().len(), 9);
    assert_eq!(j["series"].as_array().unwrap().len(), 3);
    assert_eq!(j["compare"]["a"], "hybrid");
    assert_eq!(j["compare"]["b"], "city");
    // One strategy: no comparison.
    let j = post_json(
        addr,
        "/api/run",
        &json!({"strategies": ["local"], "replicates": 2, "network": false}),
    )
    .json();
    assert!(j["compare"].is_null());
}

#[test]
fn upload_is_described_and_checked() {
    let addr = start();
    let r = post(addr, "/api/scenario", CLASSROOM);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["name"], "classroom");
    let r = post(addr, "/api/scenario", "name = \"x\"\n[run\n");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("invalid TOML"));
    assert_eq!(r.json()["line"], 2);
    let r = post(addr, "/api/scenario", "[world]\npreset = \"csv\"\n");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["key"], "world.preset");
    let r = post(
        addr,
        "/api/scenario",
        "[run]\nframework = \"/etc/passwd\"\n",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["key"], "run.framework");
    // A file without strategies: its single strategy `default` takes the levers.
    let single = "name = \"single\"\n[run]\nreplicates = 2\nyears = 1\n[world]\ncities = 2\ncounties_per_city = 2\ntownships_per_county = 2\n";
    let plain = post_json(
        addr,
        "/api/run",
        &json!({"scenario_toml": single, "network": false}),
    );
    let r = post_json(
        addr,
        "/api/run",
        &json!({"scenario_toml": single, "network": false,
                "levers": {"default": {"platforms": "provincial"}}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["strategies"][0]["name"], "default");
    assert!(j["compare"].is_null());
    assert_ne!(j["series"], plain.json()["series"]);
}

/// POST /api/run with `body`; expect a 400 and return its JSON.
fn bad(addr: std::net::SocketAddr, body: &str) -> Value {
    let r = post(addr, "/api/run", body);
    assert_eq!(r.status, 400, "{body} -> {}", r.text());
    r.json()
}

#[test]
fn bad_requests_get_clear_400s() {
    let addr = start();
    let e = bad(addr, "{\"preset\": ");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed request")
    );
    let e = bad(addr, "{\"presets\": \"classroom\"}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `presets`")
    );
    let e = bad(addr, "{\"preset\": \"clasroom\"}");
    assert_eq!(e["suggestion"], "did you mean `classroom`?");
    let e = bad(
        addr,
        "{\"levers\": {\"local\": {\"investment.budjet\": 2}}}",
    );
    assert_eq!(e["key"], "levers.local.investment.budjet");
    assert_eq!(e["suggestion"], "did you mean `investment.budget`?");
    let e = bad(
        addr,
        "{\"levers\": {\"local\": {\"investment.budget\": 9}}}",
    );
    assert!(e["error"].as_str().unwrap().contains("out of range"));
    assert_eq!(e["expected"], "a number from 0 to 5");
    let e = bad(
        addr,
        "{\"levers\": {\"local\": {\"investment.budget\": \"lots\"}}}",
    );
    assert!(e["error"].as_str().unwrap().contains("expects a number"));
    let e = bad(
        addr,
        "{\"levers\": {\"local\": {\"platforms\": \"regional\"}}}",
    );
    assert!(e["expected"].as_str().unwrap().contains("provincial"));
    let e = bad(
        addr,
        "{\"levers\": {\"locale\": {\"platforms\": \"city\"}}}",
    );
    assert_eq!(e["suggestion"], "did you mean `local`?");
    // The file's own validation: the budget split must sum to 1.
    let e = bad(
        addr,
        "{\"levers\": {\"local\": {\"investment.talent\": 0.9}}}",
    );
    assert!(e["error"].as_str().unwrap().contains("sums to"), "{e}");
    let e = bad(
        addr,
        "{\"levers\": {\"local\": {\"coordination.sector_domains\": [\"social\"]}}}",
    );
    assert!(e["error"].as_str().unwrap().contains("unknown domain"));
    let e = bad(addr, "{\"replicates\": 0}");
    assert_eq!(e["key"], "replicates");
    let e = bad(addr, "{\"replicates\": 51}");
    assert_eq!(e["expected"], "1 to 50 on the classroom server");
    let e = bad(addr, "{\"years\": 21}");
    assert_eq!(e["key"], "years");
    let e = bad(
        addr,
        "{\"preset\": \"provincial-vs-local\", \"strategies\": [\"local\", \"city\", \"provincial\", \"hybrid\", \"local\"]}",
    );
    assert_eq!(e["key"], "strategies");
    let e = bad(addr, "{\"strategies\": [\"local\", \"local\"]}");
    assert!(e["error"].as_str().unwrap().contains("twice"));
    let e = bad(addr, "{\"strategies\": [\"nobody\"]}");
    assert_eq!(e["key"], "strategies[0]");
    let e = bad(
        addr,
        "{\"preset\": \"classroom\", \"scenario_toml\": \"name = 'x'\"}",
    );
    assert!(e["error"].as_str().unwrap().contains("not both"));
    let e = bad(addr, "{\"client\": \"../etc\"}");
    assert_eq!(e["key"], "client");
}

#[test]
fn oversized_worlds_and_runs_are_refused() {
    let addr = start();
    let china = "name = \"big\"\n[world]\npreset = \"china\"\ndepth = \"township\"\n";
    let e = bad(addr, &json!({"scenario_toml": china}).to_string());
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("too large for the classroom server"),
        "{e}"
    );
    assert!(e["error"].as_str().unwrap().contains("60000"));
    // Allowed world, too much work: 4 strategies × 50 replicates × 20 years.
    let e = bad(
        addr,
        &json!({"preset": "regional-coordination", "replicates": 50, "years": 20,
                "strategies": ["none", "transfers", "backstop", "transfers-backstop"]})
        .to_string(),
    );
    assert!(e["error"].as_str().unwrap().contains("too large"), "{e}");
    // A body over the limit is refused before parsing.
    let huge = "x".repeat(tiaokuai::serve::MAX_BODY + 10);
    let r = post(addr, "/api/run", &huge);
    assert_eq!(r.status, 413);
}

#[test]
fn a_newer_run_from_the_same_page_cancels_the_older_one() {
    let addr = start();
    let slow = json!({"preset": "provincial-vs-local", "client": "page-1", "replicates": 50,
                      "years": 20, "network": false});
    let first = std::thread::spawn(move || post_json(addr, "/api/run", &slow));
    // Wait until the slow run is under way.
    let start = std::time::Instant::now();
    loop {
        let p = get(addr, "/api/progress/page-1").json();
        if p["running"] == true && p["total"].as_u64() > Some(0) {
            break;
        }
        assert!(start.elapsed().as_secs() < 60, "the slow run never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let quick = json!({"preset": "classroom", "client": "page-1", "replicates": 1, "years": 1});
    let second = post_json(addr, "/api/run", &quick);
    assert_eq!(second.status, 200);
    let first = first.join().unwrap();
    assert_eq!(first.status, 409, "{}", first.text());
    assert!(
        first.json()["error"]
            .as_str()
            .unwrap()
            .contains("newer run")
    );
    // Nothing left running for the page.
    assert_eq!(get(addr, "/api/progress/page-1").json()["running"], false);
    assert_eq!(get(addr, "/api/progress/a%2Fb").status, 400);
}

#[test]
fn export_csv_holds_the_series() {
    let addr = start();
    let req = json!({"preset": "classroom", "replicates": 4, "network": false});
    let j = post_json(addr, "/api/run", &req).json();
    let r = post_json(addr, "/api/export/csv", &req);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("classroom.csv")
    );
    let text = r.text();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("strategy,year,quarter,metric,mean,p05,p95")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let metrics = j["metrics"].as_array().unwrap().len();
    assert_eq!(rows.len(), 2 * 21 * metrics);
    let row = rows
        .iter()
        .find(|r| r[0] == "provincial" && r[1] == "5" && r[2] == "4" && r[3] == "collab_index")
        .unwrap();
    let mean: f64 = row[4].parse().unwrap();
    assert_eq!(mean, last(&j["series"][1]["collab_index"]["mean"]));
    let r = post(addr, "/api/export/csv", "{");
    assert_eq!(r.status, 400);
    let r = post_json(addr, "/api/export/pdf", &req);
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["expected"], "csv, xlsx or html");
    let r = post_json(addr, "/api/export/html?lang=fr", &req);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["key"], "lang");
}

#[test]
fn export_workbook_and_report_of_the_current_run() {
    let addr = start();
    let req = json!({"preset": "classroom", "replicates": 3, "years": 2,
                     "levers": {"local": {"investment.budget": 1.5}}});
    let r = post_json(addr, "/api/export/xlsx", &req);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.header("content-type").unwrap().contains("spreadsheetml"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("classroom.xlsx")
    );
    assert_eq!(&r.body[..2], b"PK", "an xlsx file is a zip archive");
    let r = post_json(addr, "/api/export/html?lang=zh", &req);
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    assert!(page.contains("<html") && page.contains("课堂演示"));
    assert!(page.contains("local") && page.contains("provincial"));
    // The temporary run folders are gone.
    let left = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&format!("tiaokuai-serve-{}-", std::process::id()))
        })
        .count();
    assert_eq!(left, 0);
}

mod never_a_server_error {
    use proptest::prelude::*;
    use serde_json::{Value, json};
    use tiaokuai::serve::api::{Limits, RunRequest, prepare};
    use tiaokuai::serve::levers::LEVERS;
    use tiaokuai::serve::presets::Presets;

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            3 => (0.0f64..1.0).prop_map(|x| json!(x)),
            2 => (1u32..8).prop_map(|x| json!(x)),
            1 => (-10.0f64..110.0).prop_map(|x| json!(x)),
            2 => any::<bool>().prop_map(|b| json!(b)),
            2 => prop::sample::select(vec!["local", "city", "provincial", "hybrid", "national", "none", "needs", "uniform", "spontaneous", "regional", ""]).prop_map(|s| json!(s)),
            1 => prop::collection::vec(prop::sample::select(vec!["public_services", "social_management", "social"]), 0..3).prop_map(|v| json!(v)),
            1 => Just(json!(null)),
            1 => Just(json!({"x": 1})),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        /// Any value for any lever is either accepted or a 400 — never a
        /// panic or a server error.
        #[test]
        fn any_lever_value_is_accepted_or_refused_cleanly(
            lever in 0..LEVERS.len(),
            v in value(),
            replicates in prop_oneof![3 => 1u32..=5, 1 => 0u32..60],
            years in prop_oneof![3 => 1u32..=5, 1 => 0u32..25],
        ) {
            let presets = Presets::load(None).unwrap();
            let mut req = RunRequest {
                replicates: Some(replicates),
                years: Some(years),
                ..RunRequest::default()
            };
            req.levers.entry("local".into()).or_default().insert(LEVERS[lever].id.into(), v);
            match prepare(&presets, &req, &Limits::default()) {
                Ok(p) => prop_assert_eq!(p.strategies.len(), 2),
                Err(e) => prop_assert_eq!(e.status, 400, "{:?}", e),
            }
        }
    }
}
