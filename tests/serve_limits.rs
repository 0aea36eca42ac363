//! The classroom server under hostile or heavy use (docs/api.md, "Limits"):
//! oversized worlds refused before anything is built, JSON errors for
//! every refusal, shared computations and compressed answers, a bounded
//! fair queue, timeouts and a connection cap. Real servers on loopback.

mod serve_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::json;
use serve_support::{Resp, get, post, post_json, request, start, start_with};
use tiaokuai::serve::ServerConfig;

/// `tiaokuai serve --port 0` in a child process (under `ulimit -n`, when
/// given), killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn spawn(max_files: Option<u32>) -> Server {
        let bin = env!("CARGO_BIN_EXE_tiaokuai");
        let limit = max_files.map_or(String::new(), |n| format!("ulimit -n {n} && "));
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("{limit}exec \"$0\" serve --port 0"))
            .arg(bin)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tiaokuai serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let addr = url.trim_start_matches("http://").parse().unwrap();
        Server { child, addr }
    }

    /// Peak resident memory of the server, in KiB (Linux).
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn huge_world(cities: u32, counties: u32, townships: u32, depth: &str) -> serde_json::Value {
    json!({"scenario_toml": format!(
        "name = \"huge\"\n[world]\ndepth = \"{depth}\"\ncities = {cities}\ncounties_per_city = {counties}\ntownships_per_county = {townships}\n"
    ), "network": false})
}

#[test]
#[cfg(target_os = "linux")]
fn an_oversized_world_is_refused_before_it_is_built() {
    let server = Server::spawn(None);
    let before = server.peak_kib();
    // A million counties: building the world first takes hundreds of MB.
    let r = post_json(
        server.addr,
        "/api/run",
        &huge_world(1000, 1000, 1, "county"),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let grown = server.peak_kib().saturating_sub(before);
    assert!(
        grown < 32 * 1024,
        "refusing the world grew the server by {grown} KiB"
    );
    let e = r.json();
    assert_eq!(e["key"], "world");
    assert!(e["error"].as_str().unwrap().contains("60000"), "{e}");
    // The request: a thousand of each.
    let r = post_json(
        server.addr,
        "/api/run",
        &huge_world(1000, 1000, 1000, "township"),
    );
    assert_eq!(r.status, 400);
    assert!(server.peak_kib() < before + 32 * 1024);
    // Negative control: a world within the limit runs.
    let r = post_json(server.addr, "/api/run", &huge_world(2, 2, 2, "township"));
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_json_array_is_not_a_request() {
    let addr = start();
    for body in ["[]", " [ ]", "[\"classroom\"]", "7", "\"x\""] {
        let r = post(addr, "/api/run", body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(r.json()["error"].as_str().unwrap().contains("JSON object"));
    }
    // Negative control: an object (here with a small run) is accepted.
    let r = post(
        addr,
        "/api/run",
        "{\"preset\": \"classroom\", \"replicates\": 2, \"years\": 1, \"network\": false}",
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn wrong_methods_and_large_bodies_answer_json() {
    let addr = start();
    let r = request(addr, "DELETE", "/", b"");
    assert_eq!(r.status, 405);
    assert!(r.json()["error"].as_str().unwrap().contains("DELETE"));
    assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
    let r = request(addr, "PUT", "/app.js", b"x");
    assert_eq!(r.status, 405);
    let r = get(addr, "/api/run");
    assert_eq!(r.status, 405);
    assert!(r.json()["error"].as_str().unwrap().contains("GET"));
    let big = vec![b' '; (1 << 20) + 10];
    let r = request(addr, "POST", "/api/run", &big);
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap().contains("1 MiB"));
    let r = request(addr, "POST", "/api/scenario", &big);
    assert_eq!(r.status, 413);
    r.json();
    // Negative control: GET of the page still works.
    assert_eq!(get(addr, "/").status, 200);
}

fn small_run(seed: u64, client: &str) -> serde_json::Value {
    json!({"preset": "classroom", "seed": seed, "replicates": 4, "client": client})
}

#[test]
fn identical_requests_share_one_computation() {
    let addr = start();
    // Four pages ask for the same run at once.
    let handles: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                post_json(addr, "/api/run", &small_run(9001, &format!("page-{i}")))
            })
        })
        .collect();
    let answers: Vec<Resp> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let how: Vec<String> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.text());
            r.header("x-tiaokuai-cache").unwrap()
        })
        .collect();
    assert_eq!(
        how.iter().filter(|h| *h == "miss").count(),
        1,
        "one computation for four identical requests: {how:?}"
    );
    for r in &answers[1..] {
        assert_eq!(r.body, answers[0].body);
    }
    // Later: from the cache, byte-identical.
    let again = post_json(addr, "/api/run", &small_run(9001, "page-9"));
    assert_eq!(again.header("x-tiaokuai-cache").as_deref(), Some("hit"));
    assert_eq!(again.body, answers[0].body);
    // Negative control: another seed is another computation.
    let other = post_json(addr, "/api/run", &small_run(9002, "page-9"));
    assert_eq!(other.header("x-tiaokuai-cache").as_deref(), Some("miss"));
    assert_ne!(other.body, answers[0].body);
}

/// A request with extra headers; one request per connection.
fn post_with(addr: SocketAddr, path: &str, body: &str, extra: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
    Resp {
        status: headers[9..12].parse().unwrap(),
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

#[test]
fn answers_are_compressed_for_clients_that_accept_gzip() {
    let addr = start();
    let body = small_run(77, "gz").to_string();
    let plain = post_with(addr, "/api/run", &body, "");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), None);
    let zipped = post_with(
        addr,
        "/api/run",
        &body,
        "Accept-Encoding: br, gzip;q=0.9\r\n",
    );
    assert_eq!(zipped.header("content-encoding").as_deref(), Some("gzip"));
    assert!(
        zipped.body.len() * 2 < plain.body.len(),
        "{} vs {}",
        zipped.body.len(),
        plain.body.len()
    );
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&zipped.body[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, plain.body);
    // Refused with q=0: plain.
    let r = post_with(addr, "/api/run", &body, "Accept-Encoding: gzip;q=0\r\n");
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body, plain.body);
}

/// A run at the server's default limits (50 replicates, 20 years of the
/// default province): seconds of work even on idle cores, so the waits of
/// the queue tests (0.3 s) fall well inside it.
fn slow_run(seed: u64) -> serde_json::Value {
    json!({"preset": "baseline", "seed": seed, "replicates": 50, "years": 20, "network": false})
}

#[test]
fn the_queue_is_bounded_and_refusals_say_when_to_retry() {
    let addr = start_with(ServerConfig {
        max_concurrent_runs: 1,
        max_queued_runs: 1,
        ..ServerConfig::default()
    });
    let with_id = |seed: u64, id: &str| {
        let mut r = slow_run(seed);
        r["client"] = json!(id);
        std::thread::spawn(move || post_json(addr, "/api/run", &r))
    };
    let running = with_id(1, "q1");
    std::thread::sleep(Duration::from_millis(300));
    let queued = with_id(2, "q2");
    std::thread::sleep(Duration::from_millis(300));
    let mut third = slow_run(3);
    third["client"] = json!("q3");
    let r = post_json(addr, "/api/run", &third);
    assert_eq!(r.status, 503, "{}", r.text());
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=120).contains(&wait));
    assert!(r.json()["error"].as_str().unwrap().contains("busy"));
    // Negative control: the admitted runs are answered.
    assert_eq!(running.join().unwrap().status, 200);
    assert_eq!(queued.join().unwrap().status, 200);
}

#[test]
fn one_client_cannot_fill_the_queue() {
    let addr = start_with(ServerConfig {
        max_concurrent_runs: 1,
        max_runs_per_client: 1,
        ..ServerConfig::default()
    });
    // Without a `client` id a client is its address: one run at a time.
    let first = std::thread::spawn(move || post_json(addr, "/api/run", &slow_run(11)));
    std::thread::sleep(Duration::from_millis(300));
    let r = post_json(addr, "/api/run", &slow_run(12));
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    r.json();
    // Another page (its own id) is still served.
    let mut other = slow_run(13);
    other["client"] = json!("other-page");
    other["replicates"] = json!(2);
    other["years"] = json!(1);
    assert_eq!(post_json(addr, "/api/run", &other).status, 200);
    assert_eq!(first.join().unwrap().status, 200);
}

/// Whether the server closes `s` within `within` (reads until EOF or reset).
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn slow_and_idle_connections_are_closed() {
    let addr = start_with(ServerConfig {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..ServerConfig::default()
    });
    // A request head that never ends.
    let mut half = TcpStream::connect(addr).unwrap();
    half.write_all(b"POST /api/run HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    assert!(closed_within(&mut half, Duration::from_secs(8)));
    // A body that never arrives: 408 with a JSON error.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"pre")
        .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("{\"error\""), "{text}");
    // An idle keep-alive connection after one answer.
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /api/presets HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(8)));
    // Negative control: a prompt request is answered.
    assert_eq!(get(addr, "/api/presets").status, 200);
}

#[test]
#[cfg(target_os = "linux")]
fn idle_sockets_beyond_the_descriptor_limit_do_not_lock_the_server_out() {
    // 256 descriptors for the server, 300 idle sockets against it.
    let server = Server::spawn(Some(256));
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /api/presets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    assert!(
        raw.starts_with(b"HTTP/1.1 200"),
        "no answer with {} idle sockets open: {:?}",
        idle.len(),
        String::from_utf8_lossy(&raw[..raw.len().min(200)])
    );
    drop(idle);
}
