//! `tiaokuai serve` as a user starts it: the real binary.

mod serve_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin;

#[test]
fn a_missing_scenario_is_bad_input() {
    assert_cmd::Command::new(cargo_bin("tiaokuai"))
        .args(["serve", "no-such-file.toml", "--port", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("file not found"));
}

#[test]
fn serves_on_loopback_with_the_given_scenario_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "name = \"mine\"\n[run]\nreplicates = 2\nyears = 1\n[world]\ncities = 2\ncounties_per_city = 2\ntownships_per_county = 2\n",
    )
    .unwrap();
    let mut child = Command::new(cargo_bin("tiaokuai"))
        .args(["serve", file.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "tiaokuai classroom: open http://127.0.0.1:PORT — press Ctrl-C to stop"
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no loopback URL in {line:?}"));
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let j = serve_support::get(addr, "/api/presets").json();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(j["default"], "mine");
    assert_eq!(j["presets"][1]["id"], "classroom");
}
