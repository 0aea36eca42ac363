//! Classroom mode: a local web app over the same engine the CLI uses
//! (`tiaokuai serve`, docs/api.md, docs/classroom.md).
//!
//! The page (static files in [`assets`]) picks a preset ([`presets`], with
//! its info panel from [`info`]), sets levers ([`levers`]) and posts a run;
//! [`api`] validates it into an engine context, [`run`] executes it on the
//! rayon pool inside `spawn_blocking` (with the [`network`] view), [`export`]
//! turns it into downloads, and [`session`] cancels a page's run when the
//! page starts a newer one.
//!
//! Rules: binds to loopback unless told otherwise (the CLI decides); every
//! bad request is a 4xx with a clear message, never a panic; simulation
//! work never runs on the async executor threads; at most
//! [`ServerConfig::max_concurrent_runs`] simulations run at once, the
//! others wait their turn.

pub mod api;
pub mod assets;
pub mod class;
pub mod conn;
pub mod export;
pub mod info;
pub mod levers;
pub mod network;
pub mod presets;
pub mod queue;
pub mod run;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::Result;
use api::{ApiError, Limits, RunRequest};
use presets::Presets;
use queue::{Answer, Queue, QueueConfig};
use session::Sessions;

/// Largest request body (an uploaded scenario file plus levers).
pub const MAX_BODY: usize = 1 << 20;

/// Server settings (docs/api.md, "Limits").
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub limits: Limits,
    /// Simulations running at the same time.
    pub max_concurrent_runs: usize,
    /// Computations waiting for a simulation slot (more: 503).
    pub max_queued_runs: usize,
    /// Work waiting for a simulation slot, department-quarters × runs (more: 503).
    pub max_queued_work: u64,
    /// Requests of one client (its `client` id, else its address) waiting at once (more: 429).
    pub max_runs_per_client: usize,
    /// Bytes of finished answers kept for identical requests.
    pub cache_bytes: usize,
    /// Time to send a request head; also the idle keep-alive timeout.
    pub header_timeout: Duration,
    /// Time to send a request body.
    pub body_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            limits: Limits::default(),
            max_concurrent_runs: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
            max_queued_runs: 64,
            max_queued_work: 1_200_000_000,
            max_runs_per_client: 4,
            cache_bytes: 256 << 20,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: default_max_connections(),
        }
    }
}

/// Half the process's open-file limit (the rest serves files, threads and
/// the runtime), at most 512; 512 where the limit cannot be read.
fn default_max_connections() -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|v| v.parse::<usize>().ok())
        });
    soft.map_or(512, |n| (n / 2).clamp(16, 512))
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    presets: Arc<Presets>,
    sessions: Arc<Sessions>,
    limits: Limits,
    queue: Arc<Queue>,
    body_timeout: Duration,
    conn: conn::ConnConfig,
}

impl AppState {
    pub fn new(presets: Presets, config: &ServerConfig) -> AppState {
        AppState {
            presets: Arc::new(presets),
            sessions: Arc::new(Sessions::default()),
            limits: config.limits,
            queue: Arc::new(Queue::new(QueueConfig {
                max_concurrent_runs: config.max_concurrent_runs,
                max_queued_runs: config.max_queued_runs,
                max_queued_work: config.max_queued_work,
                max_runs_per_client: config.max_runs_per_client,
                cache_bytes: config.cache_bytes,
            })),
            body_timeout: config.body_timeout,
            conn: conn::ConnConfig {
                header_timeout: config.header_timeout,
                max_connections: config.max_connections,
            },
        }
    }
}

/// The app: static page and JSON API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/presets", get(list_presets))
        .route("/api/presets/{name}", get(get_preset))
        .route("/api/scenario", post(describe_upload))
        .route("/api/run", post(run_json))
        .route("/api/export/{format}", post(run_export))
        .route("/api/progress/{client}", get(progress))
        .fallback(static_file)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// Serve until Ctrl-C on an already bound listener.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> Result<()> {
    let config = state.conn;
    conn::serve(listener, router(state), config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

/// Serve until Ctrl-C, with a role-play session beside the classroom page.
pub async fn serve_with_class(
    listener: tokio::net::TcpListener,
    state: AppState,
    class: Arc<class::ClassApp>,
) -> Result<()> {
    let config = state.conn;
    class::spawn_timer(class.clone());
    let app = router(state).merge(class::router(class));
    conn::serve(listener, app, config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

/// Bind `addr`, with a clear error when the port is taken.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        crate::InputError::new(format!("cannot listen on {addr}: {e}"))
            .key("--port")
            .suggest("choose another port with --port, or stop the program using this one")
            .into()
    })
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(405, format!("{method} is not allowed on {}", uri.path()))
}

/// Read a request body within the body timeout and size limit.
async fn read_body(body: Body, headers: &HeaderMap, timeout: Duration) -> Result<Bytes, ApiError> {
    let too_large = || {
        let mut e = ApiError::new(
            413,
            format!("the request body is over {} bytes (1 MiB)", MAX_BODY),
        );
        e.suggestion = Some("upload a smaller scenario file".into());
        e
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Err(_) => Err(ApiError::new(
            408,
            format!(
                "the request body did not arrive within {} s",
                timeout.as_secs()
            ),
        )),
        Ok(Err(e)) => {
            let mut source: Option<&dyn std::error::Error> = Some(&e);
            while let Some(s) = source {
                if s.to_string().contains("length limit exceeded") {
                    return Err(too_large());
                }
                source = s.source();
            }
            Err(ApiError::new(
                400,
                format!("the request body could not be read: {e}"),
            ))
        }
        Ok(Ok(b)) => Ok(b),
    }
}

async fn static_file(method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = method_not_allowed(method, uri).await.into_response();
        r.headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = if uri.path() == "/index.html" {
        "/"
    } else {
        uri.path()
    };
    match assets::get(path) {
        Some((mime, body)) => ([(header::CONTENT_TYPE, mime)], body).into_response(),
        None => ApiError::new(404, format!("nothing at {}", uri.path())).into_response(),
    }
}

async fn list_presets(State(st): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({
        "default": st.presets.list.first().map(|p| p.id.clone()),
        "presets": st.presets.summaries(),
        "limits": limits_json(&st.limits),
    }))
}

fn limits_json(l: &Limits) -> serde_json::Value {
    json!({
        "max_departments": l.max_departments,
        "max_replicates": l.max_replicates,
        "max_years": l.max_years,
        "max_strategies": l.max_strategies,
    })
}

/// A scenario described for the page: strategies, levers, info panel.
fn describe(sc: &crate::scenario::Scenario, preset: Option<&str>) -> serde_json::Value {
    json!({
        "id": preset,
        "name": sc.name,
        "name_zh": sc.name_zh,
        "description": sc.description,
        "description_zh": sc.description_zh,
        "years": sc.run.years,
        "replicates": sc.run.replicates,
        "seed": sc.run.seed,
        "baseline": sc.strategies[sc.baseline_index()].name,
        "strategies": sc.strategies.iter().map(|s| json!({
            "name": s.name, "name_zh": s.name_zh, "description": s.description,
            "description_zh": s.description_zh,
        })).collect::<Vec<_>>(),
        "levers": levers::describe(sc),
        "groups": crate::catalog::LEVERS.iter().map(|(id, en, zh)| json!({"id": id, "en": en, "zh": zh})).collect::<Vec<_>>(),
        "info": info::for_preset(preset),
        "general": info::general(),
    })
}

async fn get_preset(
    State(st): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = st.presets.get(&name).map_err(ApiError::not_found)?;
    Ok(Json(describe(&p.scenario, Some(&p.id))))
}

async fn describe_upload(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let body = read_body(body, &headers, st.body_timeout).await?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::new(400, "the scenario file is not UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sc = api::check_upload(text)?;
    Ok(Json(describe(&sc, None)))
}

async fn progress(
    State(st): State<AppState>,
    Path(client): Path<String>,
) -> Result<Json<session::Progress>, ApiError> {
    session::check_client(&client)?;
    Ok(Json(st.sessions.progress(&client)))
}

/// Validate a request, then answer it from the cache, from an identical
/// computation in flight, or by queueing `work` for a simulation slot.
/// `kind` names what `work` makes from the run (part of the cache key).
async fn with_run(
    st: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: Body,
    kind: String,
    work: impl FnOnce(&api::Prepared, &session::RunHandle, bool) -> Result<Answer, ApiError>
    + Send
    + 'static,
) -> Result<Response, ApiError> {
    let body = read_body(body, headers, st.body_timeout).await?;
    let req: RunRequest = api::parse_request(&body)?;
    if let Some(c) = &req.client {
        session::check_client(c)?;
    }
    let with_network = req.network.unwrap_or(true);
    let presets = st.presets.clone();
    let limits = st.limits;
    let checked = req.clone();
    let v = tokio::task::spawn_blocking(move || api::validate(&presets, &checked, &limits))
        .await
        .map_err(|e| ApiError::new(500, format!("the request check failed: {e}")))??;
    let key = cache_key(&v, with_network, &kind)?;
    let client = match &req.client {
        Some(c) => format!("client {c}"),
        None => format!("address {}", peer.ip()),
    };
    let cost = v.work;
    // Registered before waiting, so a newer run from the same page
    // cancels this one even while it queues.
    let active = st.sessions.start(req.client.clone());
    let (answer, how) = st
        .queue
        .answer(key, client, cost, &active.handle, move |h| {
            let prepared = api::build(v, &limits)?;
            work(&prepared, h, with_network)
        })
        .await?;
    drop(active);
    let gzip_ok = queue::accepts_gzip(
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    );
    Ok(answer.respond(gzip_ok, how))
}

/// What determines an answer: the validated scenario (seed included), the
/// strategies, the network flag and the kind of answer.
fn cache_key(v: &api::Validated, with_network: bool, kind: &str) -> Result<queue::Key, ApiError> {
    let scenario = serde_json::to_vec(&v.scenario)
        .map_err(|e| ApiError::new(500, format!("the scenario could not be keyed: {e}")))?;
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update([0, u8::from(with_network)]);
    for s in &v.strategies {
        h.update((*s as u64).to_le_bytes());
    }
    h.update(v.preset.as_deref().unwrap_or("").as_bytes());
    h.update([0]);
    h.update(&scenario);
    Ok(h.finalize().into())
}

pub(crate) fn superseded() -> ApiError {
    ApiError::new(
        409,
        "this run was cancelled: a newer run from the same page replaced it",
    )
}

async fn run_json(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    with_run(&st, peer, &headers, body, "run".into(), |p, h, net| {
        let r = run::execute(p, h, net).map_err(|_| superseded())?;
        let bytes = serde_json::to_vec(&r)
            .map_err(|e| ApiError::new(500, format!("the answer could not be written: {e}")))?;
        Ok(Answer::new("application/json", None, bytes, true))
    })
    .await
}

/// `?lang=zh` (default English).
fn lang_of(uri: &Uri) -> Result<crate::catalog::Lang, ApiError> {
    let lang = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="))
        .unwrap_or("en");
    crate::catalog::Lang::parse(lang).ok_or_else(|| {
        let mut e = ApiError::new(400, format!("unknown language `{lang}`"));
        e.key = Some("lang".into());
        e.expected = Some("en or zh".into());
        e
    })
}

async fn run_export(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(format): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let format = export::Format::parse(&format)?;
    let lang = lang_of(&uri)?;
    let kind = format!("export {} {lang:?}", format.extension());
    with_run(&st, peer, &headers, body, kind, move |p, h, _| {
        let name = p.ctx.scenario.name.clone();
        let bytes = match format {
            export::Format::Csv => {
                run::to_csv(&run::execute(p, h, false).map_err(|_| superseded())?).into_bytes()
            }
            _ => export::report(p, format, lang)?,
        };
        let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
        // An xlsx workbook is already a zip archive.
        let compress = format != export::Format::Xlsx;
        Ok(Answer::new(
            format.mime(),
            Some(disposition),
            bytes,
            compress,
        ))
    })
    .await
}
