//! The role-play server (`tiaokuai serve --class`, docs/api.md
//! "Role-play"): who may do what, input validation, exports, and a session
//! that survives the server being killed between rounds.

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
