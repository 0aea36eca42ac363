//! The role-play server (`tiaokuai serve --class`, docs/api.md
//! "Role-play"): who may do what, input validation, exports (CSV, the
//! workbook, the HTML report, and the same offline with `tiaokuai
//! report SESSION`), the round timer, and a session that survives the
//! server being killed between rounds.

mod report_support;
mod serve_support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::cargo_bin;
use serde_json::{Value, json};
use serve_support::{get, post, post_json};

/// A running `tiaokuai serve --class` with its address, join code and teacher token.
struct Server {
    child: Child,
    addr: SocketAddr,
    code: String,
    teacher: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(save: &Path) -> Server {
    let mut child = Command::new(cargo_bin("tiaokuai"))
        .args(["serve", "--port", "0", "--class", "--class-save"])
        .arg(save)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut addr, mut code, mut teacher) = (None, None, None);
    let mut line = String::new();
    while teacher.is_none() {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "server stopped");
        if let Some(url) = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
        {
            addr.get_or_insert_with(|| {
                url.trim_start_matches("http://")
                    .trim_end_matches('/')
                    .parse::<SocketAddr>()
                    .unwrap()
            });
        }
        // "… (code ABCDE); teacher: http://127.0.0.1:PORT/class/teacher#TOKEN"
        if let Some(rest) = line.split("(code ").nth(1) {
            code = Some(rest.split(')').next().unwrap().to_string());
            teacher = Some(line.trim().rsplit('#').next().unwrap().to_string());
        }
    }
    Server {
        child,
        addr: addr.unwrap(),
        code: code.unwrap(),
        teacher: teacher.unwrap(),
    }
}

fn join(s: &Server, name: &str) -> (String, String) {
    let r = post_json(
        s.addr,
        "/api/class/join",
        &json!({"code": s.code, "name": name}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    (
        j["token"].as_str().unwrap().into(),
        j["role"].as_str().unwrap().into(),
    )
}

fn teacher_view(s: &Server) -> Value {
    let r = get(s.addr, &format!("/api/class/teacher?token={}", s.teacher));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn error_of(r: &serve_support::Resp) -> String {
    r.json()["error"].as_str().unwrap_or_default().to_string()
}

#[test]
fn students_act_only_for_their_own_role_and_only_the_teacher_advances() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(&dir.path().join("class.json"));
    let (ann, ann_role) = join(&s, "Ann");
    let (bo, bo_role) = join(&s, "Bo");
    assert_ne!(ann_role, bo_role);
    // Wrong code, empty name: 400 with a message.
    let r = post_json(
        s.addr,
        "/api/class/join",
        &json!({"code": "XXXXX", "name": "Cy"}),
    );
    assert_eq!((r.status, error_of(&r).as_str()), (400, "wrong join code"));
    let r = post_json(
        s.addr,
        "/api/class/join",
        &json!({"code": s.code, "name": " "}),
    );
    assert_eq!(r.status, 400);
    // A student cannot advance, reset, end, assign, export or open the console.
    for what in ["advance", "reset", "end"] {
        let r = post_json(
            s.addr,
            &format!("/api/class/{what}"),
            &json!({"token": ann}),
        );
        assert_eq!(r.status, 403, "{what}");
        assert!(error_of(&r).contains("only the teacher"), "{what}");
    }
    let r = post_json(
        s.addr,
        "/api/class/assign",
        &json!({"token": ann, "name": "Bo", "role": ann_role}),
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        get(s.addr, &format!("/api/class/teacher?token={ann}")).status,
        403
    );
    assert_eq!(
        get(
            s.addr,
            &format!("/api/class/export/choices.csv?token={ann}")
        )
        .status,
        403
    );
    assert_eq!(teacher_view(&s)["year"], 0);
    // A student cannot name another role: the request has no such field.
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": ann, "role": bo_role, "choice": {"share": true}}),
    );
    assert_eq!(r.status, 400);
    assert!(
        error_of(&r).contains("unknown field `role`"),
        "{}",
        error_of(&r)
    );
    // Ann's choice changes Ann's role only.
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": ann, "choice": {"share": true}, "ready": true}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t = teacher_view(&s);
    let role = |id: &str| {
        t["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(role(&ann_role)["choice"]["share"], true);
    assert_eq!(role(&ann_role)["ready"], true);
    assert!(role(&bo_role)["choice"].is_null());
    // An unknown token is refused; a lever the role does not hold, a bad
    // value and a broken body are 400s with messages.
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": "nope", "choice": {}}),
    );
    assert_eq!(r.status, 403);
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": ann, "choice": {"platform": "own"}}),
    );
    assert_eq!(r.status, 400);
    assert!(
        error_of(&r).contains("does not hold the platform lever"),
        "{}",
        error_of(&r)
    );
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": bo, "choice": {"standard": "galactic"}}),
    );
    assert_eq!(r.status, 400);
    let r = post(s.addr, "/api/class/choose", "{\"token\": ");
    assert_eq!(r.status, 400);
    let r = post(s.addr, "/api/class/choose", "[1, 2]");
    assert_eq!(r.status, 400);
    let r = get(s.addr, "/api/class/me");
    assert_eq!(r.status, 400);
    // The teacher advances; the student sees the new year and their own result.
    let r = post_json(s.addr, "/api/class/advance", &json!({"token": s.teacher}));
    assert_eq!(r.status, 200, "{}", r.text());
    let me = get(s.addr, &format!("/api/class/me?token={ann}")).json();
    assert_eq!(me["year"], 1);
    assert_eq!(me["role"]["id"], ann_role.as_str());
    assert_eq!(me["own"]["rounds_shared"], 1);
    assert_eq!(me["ready"], false);
    // Rejoining by name (another device) gives the same role and token.
    let again = join(&s, "ann");
    assert_eq!(again, (ann.clone(), ann_role.clone()));
    // Exports and the QR code.
    let csv = get(
        s.addr,
        &format!("/api/class/export/choices.csv?token={}", s.teacher),
    );
    assert_eq!(csv.status, 200);
    let text = csv.text();
    assert!(text.starts_with("year,role,kind,player,chosen_by,platform,share"));
    assert!(text.contains(&format!("1,{ann_role},")), "{text}");
    let r = get(
        s.addr,
        &format!("/api/class/export/nope.csv?token={}", s.teacher),
    );
    assert_eq!(r.status, 404);
    let qr = get(s.addr, "/api/class/qr.svg");
    assert_eq!(qr.status, 200);
    assert!(qr.text().contains("<svg"));
    // Pages are served.
    assert!(get(s.addr, "/class").text().contains("/class/class.js"));
    assert!(
        get(s.addr, "/class/teacher")
            .text()
            .contains("/api/class/qr.svg")
    );
}

#[test]
fn a_student_copies_a_neighbours_innovation_and_bad_copies_are_400s() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(&dir.path().join("class.json"));
    // Roles go in file order: province, two lines, then c01 (Dai) and c02.
    let players: Vec<(String, String)> = ["Ann", "Bo", "Cy", "Dai", "Eve"]
        .iter()
        .map(|n| join(&s, n))
        .collect();
    let (dai, role) = players[3].clone();
    assert_eq!(role, "c01");
    let choose = |choice: Value| {
        post_json(
            s.addr,
            "/api/class/choose",
            &json!({"token": dai, "choice": choice}),
        )
    };
    for (from, says) in [
        ("c01", "cannot copy from itself"),
        ("c99", "no role `c99`"),
        ("province", "has no innovation to copy"),
        ("c02", "no innovation that `c01` lacks"),
    ] {
        let r = choose(json!({"copy": from}));
        assert_eq!(r.status, 400, "{from}");
        assert!(error_of(&r).contains(says), "{from}: {}", error_of(&r));
    }
    // A line does not hold the lever.
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": players[1].0, "choice": {"copy": "c01"}}),
    );
    assert_eq!(r.status, 400);
    assert!(error_of(&r).contains("does not hold the copy lever"));
    // Play years until a neighbour has an innovation c01's units lack.
    let me = || get(s.addr, &format!("/api/class/me?token={dai}")).json();
    let mut from = None;
    for _ in 0..4 {
        let r = post_json(s.addr, "/api/class/advance", &json!({"token": s.teacher}));
        assert_eq!(r.status, 200, "{}", r.text());
        if let Some(o) = me()["copy_from"]
            .as_array()
            .and_then(|a| a.first().cloned())
        {
            assert!(o["innovations"].as_u64().unwrap() > 0);
            from = Some(o["id"].as_str().unwrap().to_string());
            break;
        }
    }
    let from = from.expect("a neighbour has an innovation to copy within four years");
    // Over budget: own platform (2) + share (1) + copy (1) > 3 points.
    let r = choose(json!({"platform": "own", "share": true, "copy": from}));
    assert_eq!(r.status, 400);
    assert!(error_of(&r).contains("points"), "{}", error_of(&r));
    let r = choose(json!({"share": true, "copy": from}));
    assert_eq!(r.status, 200, "{}", r.text());
    let t = teacher_view(&s);
    let c01 = t["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "c01")
        .unwrap();
    assert_eq!(c01["choice"]["copy"], from.as_str());
    let copied_before = me()["own"]["copied"].as_u64().unwrap();
    let r = post_json(s.addr, "/api/class/advance", &json!({"token": s.teacher}));
    assert_eq!(r.status, 200, "{}", r.text());
    let m = me();
    assert!(m["own"]["copied"].as_u64().unwrap() > copied_before, "{m}");
    // The copy was the year's act; sharing stays in force.
    assert!(m["choice"]["copy"].is_null());
    assert_eq!(m["choice"]["share"], true);
    let year = m["year"].as_u64().unwrap();
    // The debrief data and the choices export say who copied whom.
    let t = teacher_view(&s);
    let res = t["results"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "c01")
        .unwrap()
        .clone();
    assert_eq!(res["choices"][year as usize - 1]["copy"], from.as_str());
    let csv = get(
        s.addr,
        &format!("/api/class/export/choices.csv?token={}", s.teacher),
    )
    .text();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains(",transfer,copy,points,")
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{year},c01,"))
                && l.contains(&format!(",false,{from},2,"))),
        "{csv}"
    );
}

#[test]
fn a_killed_server_resumes_the_session_between_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("class.json");
    let (code, teacher, token, role, before) = {
        let s = start(&save);
        let (token, role) = join(&s, "Dee");
        let r = post_json(
            s.addr,
            "/api/class/choose",
            &json!({"token": token, "choice": {"share": false}}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let r = post_json(s.addr, "/api/class/advance", &json!({"token": s.teacher}));
        assert_eq!(r.status, 200);
        let before = teacher_view(&s)["results"].clone();
        (s.code.clone(), s.teacher.clone(), token, role, before)
        // dropped: the server is killed
    };
    assert!(std::fs::metadata(&save).unwrap().len() > 1000);
    let s = start(&save);
    assert_eq!(
        (s.code.as_str(), s.teacher.as_str()),
        (code.as_str(), teacher.as_str())
    );
    let t = teacher_view(&s);
    assert_eq!(t["year"], 1);
    assert_eq!(t["results"], before, "the resumed results are the same");
    let me = get(s.addr, &format!("/api/class/me?token={token}"));
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["role"]["id"], role.as_str());
    assert_eq!(me.json()["choice"]["share"], false);
    let r = post_json(s.addr, "/api/class/advance", &json!({"token": s.teacher}));
    assert_eq!(r.status, 200);
    assert_eq!(teacher_view(&s)["year"], 2);
}

#[test]
fn a_save_file_of_another_scenario_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("class.json");
    std::fs::write(&save, "{\"format\": \"something else\"}").unwrap();
    let out = Command::new(cargo_bin("tiaokuai"))
        .args(["serve", "--port", "0", "--class", "--class-save"])
        .arg(&save)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a saved class session"), "{err}");
    let out = Command::new(cargo_bin("tiaokuai"))
        .args(["serve", "--port", "0", "--class", "nowhere.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no role-play scenario"));
}

/// Sheet names of a workbook's bytes (read back with calamine).
fn sheet_names(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    let wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    wb.sheet_names().to_vec()
}

#[test]
fn the_teacher_downloads_the_workbook_and_report_and_a_student_cannot() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("class.json");
    let s = start(&save);
    let (ann, ann_role) = join(&s, "Ann");
    let r = post_json(
        s.addr,
        "/api/class/choose",
        &json!({"token": ann, "choice": {"share": true}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    for _ in 0..2 {
        let r = post_json(s.addr, "/api/class/advance", &json!({"token": s.teacher}));
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let files = [
        "workbook.xlsx",
        "workbook.zh.xlsx",
        "report.html",
        "report.zh.html",
    ];
    for f in files {
        let r = get(s.addr, &format!("/api/class/export/{f}?token={ann}"));
        assert_eq!(r.status, 403, "{f}");
        assert!(error_of(&r).contains("only the teacher"), "{f}");
    }
    let x = |f: &str| {
        get(
            s.addr,
            &format!("/api/class/export/{f}?token={}", s.teacher),
        )
    };
    // The workbook: a zip (xlsx) with the session's sheets, in each language.
    let en = x("workbook.xlsx");
    assert_eq!(en.status, 200);
    assert!(en.header("content-type").unwrap().contains("spreadsheetml"));
    assert!(en.body.starts_with(b"PK\x03\x04"));
    assert_eq!(
        sheet_names(&en.body),
        [
            "Choices",
            "Trajectory",
            "Class vs strategies",
            "Debrief",
            "About"
        ]
    );
    let zh = x("workbook.zh.xlsx");
    assert_eq!(
        sheet_names(&zh.body),
        ["选择", "全班轨迹", "全班与策略对比", "复盘", "说明"]
    );
    // Its Choices sheet holds Ann's shared choice in both years, as numbers
    // and ids a spreadsheet can filter on.
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(en.body.clone())).unwrap();
    let choices = wb.worksheet_range("Choices").unwrap();
    let ids: Vec<String> = (0..17)
        .map(|c| choices.get((1, c)).unwrap().to_string())
        .collect();
    assert_eq!(&ids[..3], ["year", "role", "role_name"]);
    let share = ids.iter().position(|c| c == "share").unwrap();
    let ann_rows: Vec<usize> = (2..choices.height())
        .filter(|&r| choices.get((r, 1)) == Some(&Data::String(ann_role.clone())))
        .collect();
    assert_eq!(ann_rows.len(), 2);
    for &r in &ann_rows {
        assert_eq!(choices.get((r, share)).unwrap().to_string(), "true");
    }
    assert_eq!(choices.get((ann_rows[1], 0)), Some(&Data::Float(2.0)));
    // The same bytes at every download (fixed creation date, replayed numbers).
    assert_eq!(x("workbook.xlsx").body, en.body);
    // The report: one self-contained, well-formed page with the class's
    // path drawn against every strategy and the debrief.
    let html = x("report.html");
    assert_eq!(html.status, 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let page = html.text();
    report_support::checks::assert_well_formed(&page);
    report_support::checks::assert_no_external_refs(&page);
    let fig = report_support::checks::figure(&page, "class-collab_index");
    report_support::checks::assert_each_strategy(
        fig,
        &["class", "local", "provincial", "agency"],
        "class-collab_index",
    );
    assert!(page.contains("data-figure=\"class-diff\""));
    assert!(page.contains(&format!("data-role=\"{ann_role}\"")));
    let zh = x("report.zh.html").text();
    assert!(zh.contains("<html lang=\"zh-Hans\""));
    assert!(zh.contains("复盘"));
    // Offline: `tiaokuai report` on the saved session writes the same files.
    let out = Command::new(cargo_bin("tiaokuai"))
        .args(["report", "--xlsx", "--quiet"])
        .arg(&save)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let offline = std::fs::read(dir.path().join("class-workbook.xlsx")).unwrap();
    assert_eq!(offline, en.body);
    let offline = std::fs::read_to_string(dir.path().join("class-report.html")).unwrap();
    assert_eq!(offline, page);
    // ... and refuses to overwrite them unless asked.
    let out = Command::new(cargo_bin("tiaokuai"))
        .args(["report", "--quiet"])
        .arg(&save)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}

/// Wait (at most 30 s) until the round timer has played year 1.
fn wait_for_the_timer(s: &Server) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while teacher_view(s)["year"] == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the timer never advanced"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn the_round_timer_advances_the_round_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("class.json");
    let s = start(&save);
    let (ann, _) = join(&s, "Ann");
    // Only the teacher sets it, within 1 s to an hour.
    let r = post_json(
        s.addr,
        "/api/class/timer",
        &json!({"token": ann, "seconds": 1}),
    );
    assert_eq!(r.status, 403);
    for bad in [json!(0), json!(3601), json!("soon")] {
        let r = post_json(
            s.addr,
            "/api/class/timer",
            &json!({"token": s.teacher, "seconds": bad}),
        );
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    assert!(teacher_view(&s)["timer"]["left_ms"].is_null());
    // Negative control: without a timer nothing advances by itself.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(teacher_view(&s)["year"], 0);
    let r = post_json(
        s.addr,
        "/api/class/timer",
        &json!({"token": s.teacher, "seconds": 2}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["seconds"], 2);
    // Students see the countdown; the timer is saved with the session.
    let me = get(s.addr, &format!("/api/class/me?token={ann}")).json();
    let left = me["timer"]["left_ms"].as_u64().unwrap();
    assert!(left > 0 && left <= 2000, "{left}");
    let saved: Value = serde_json::from_slice(&std::fs::read(&save).unwrap()).unwrap();
    assert_eq!(saved["timer_seconds"], 2);
    assert!(saved["deadline_ms"].is_u64());
    // Ready or not, the round is played when the timer runs out, and the
    // next round's timer starts.
    wait_for_the_timer(&s);
    let t = teacher_view(&s);
    assert_eq!(t["year"], 1);
    assert_eq!(t["timer"]["seconds"], 2);
    assert!(t["timer"]["left_ms"].as_u64().is_some());
    // The teacher stops it: nothing advances any more.
    let r = post_json(
        s.addr,
        "/api/class/timer",
        &json!({"token": s.teacher, "seconds": null}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // (A round the timer started just before is allowed to finish.)
    while teacher_view(&s)["advancing"] == true {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let year = teacher_view(&s)["year"].clone();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(teacher_view(&s)["year"], year);
    assert!(teacher_view(&s)["timer"]["left_ms"].is_null());
}

#[test]
fn the_round_timer_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("class.json");
    let read_saved =
        || -> Value { serde_json::from_slice(&std::fs::read(&save).unwrap()).unwrap() };
    let set_at = {
        let s = start(&save);
        join(&s, "Eve");
        let r = post_json(
            s.addr,
            "/api/class/timer",
            &json!({"token": s.teacher, "seconds": 4}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        read_saved()["deadline_ms"].as_u64().unwrap()
        // dropped: the server is killed with the round timer running
    };
    let s = start(&save);
    let t = teacher_view(&s);
    assert_eq!(t["timer"]["seconds"], 4, "the timer setting is resumed");
    if t["year"] == 0 {
        // The same deadline, not a timer restarted from the resume.
        assert_eq!(read_saved()["deadline_ms"].as_u64(), Some(set_at));
        assert!(t["timer"]["left_ms"].as_u64().unwrap() <= 4000);
    }
    // It still plays the round when it runs out, and starts the next one.
    wait_for_the_timer(&s);
    while teacher_view(&s)["advancing"] == true {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let after = read_saved()["deadline_ms"].as_u64().unwrap();
    assert!(
        after > set_at,
        "the next round's timer starts after the first"
    );
}

/// Time quantile `p` of sorted milliseconds.
fn q(sorted: &[f64], p: f64) -> f64 {
    tiaokuai::stats::quantile_sorted(sorted, p).unwrap_or(f64::NAN)
}

/// 40 students and the teacher over loopback for three rounds (bounded to
/// 90 s, about 20 s in practice): every student polls their page each
/// second, changes their choice and presses Ready; the teacher advances
/// once 5 s have passed and every role is ready. Prints the latencies recorded in docs/PERFORMANCE.md. Ignored by
/// default: `cargo test --release --test serve_class -- --ignored --nocapture`
/// (scripts/e2e-serve.sh --load).
#[test]
#[ignore]
fn forty_students_stay_responsive() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    const STUDENTS: usize = 40;
    const ROUNDS: usize = 3;
    let dir = tempfile::tempdir().unwrap();
    let s = start(&dir.path().join("class.json"));
    let addr = s.addr;
    let students: Vec<(String, String)> = (0..STUDENTS)
        .map(|i| join(&s, &format!("student {i}")))
        .collect();
    let round = Arc::new(AtomicUsize::new(0));
    let page_ms = Arc::new(Mutex::new(Vec::new()));
    let choose_ms = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(90);
    let threads: Vec<_> = students
        .into_iter()
        .enumerate()
        .map(|(i, (token, role))| {
            let (round, page_ms, choose_ms, failures) = (
                round.clone(),
                page_ms.clone(),
                choose_ms.clone(),
                failures.clone(),
            );
            std::thread::spawn(move || {
                let mut chosen_for = usize::MAX;
                while round.load(Ordering::Acquire) < ROUNDS && Instant::now() < deadline {
                    let t0 = Instant::now();
                    let me = get(addr, &format!("/api/class/me?token={token}"));
                    page_ms
                        .lock()
                        .unwrap()
                        .push(t0.elapsed().as_secs_f64() * 1000.0);
                    if me.status != 200 {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    let r = round.load(Ordering::Acquire);
                    if chosen_for != r {
                        // A different choice each round, within the role's levers.
                        let levers = me.json()["role"]["levers"].clone();
                        let has = |l: &str| levers.as_array().unwrap().iter().any(|x| x == l);
                        let mut choice = serde_json::Map::new();
                        if has("share") {
                            choice.insert("share".into(), json!((i + r) % 2 == 0));
                        }
                        if has("platform") && (i + r) % 3 == 0 {
                            choice.insert("platform".into(), json!("join"));
                        }
                        if has("standard") {
                            choice.insert(
                                "standard".into(),
                                json!(["provincial", "national"][(i + r) % 2]),
                            );
                        }
                        let t0 = Instant::now();
                        let c = post_json(
                            addr,
                            "/api/class/choose",
                            &json!({"token": token, "choice": choice, "ready": true}),
                        );
                        choose_ms
                            .lock()
                            .unwrap()
                            .push(t0.elapsed().as_secs_f64() * 1000.0);
                        if c.status != 200 {
                            eprintln!("{role}: {}", c.text());
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                        chosen_for = r;
                    }
                    std::thread::sleep(Duration::from_millis(1000));
                }
            })
        })
        .collect();
    let mut step_ms = Vec::new();
    for r in 0..ROUNDS {
        // The teacher gives the class at least 5 s, waits for every role
        // to be ready, then advances.
        std::thread::sleep(Duration::from_secs(5));
        loop {
            let t = teacher_view(&s);
            let ready = t["roles"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["ready"] == true)
                .count();
            if ready == STUDENTS.min(t["roles"].as_array().unwrap().len())
                || Instant::now() > deadline
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let t0 = Instant::now();
        let a = post_json(addr, "/api/class/advance", &json!({"token": s.teacher}));
        assert_eq!(a.status, 200, "{}", a.text());
        step_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        round.store(r + 1, Ordering::Release);
    }
    for t in threads {
        t.join().unwrap();
    }
    assert!(
        Instant::now() < deadline,
        "the lesson did not finish within its time bound"
    );
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    let mut page = page_ms.lock().unwrap().clone();
    let mut choose = choose_ms.lock().unwrap().clone();
    page.sort_by(f64::total_cmp);
    choose.sort_by(f64::total_cmp);
    let size = std::fs::metadata(dir.path().join("class.json"))
        .unwrap()
        .len();
    println!(
        "class load: {STUDENTS} students, {ROUNDS} rounds; student page (GET /api/class/me) n={} p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms; choose+ready n={} p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms; advance (round step, wall) {:?} ms; saved session {} bytes",
        page.len(),
        q(&page, 0.5),
        q(&page, 0.9),
        page.last().unwrap(),
        choose.len(),
        q(&choose, 0.5),
        q(&choose, 0.9),
        choose.last().unwrap(),
        step_ms.iter().map(|x| x.round() as u64).collect::<Vec<_>>(),
        size
    );
}
