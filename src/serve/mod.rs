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
pub mod export;
pub mod info;
pub mod levers;
pub mod network;
pub mod presets;
pub mod run;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::Semaphore;

use crate::error::{Error, Result};
use api::{ApiError, Limits, RunRequest};
use presets::Presets;
use session::Sessions;

/// Largest request body (an uploaded scenario file plus levers).
pub const MAX_BODY: usize = 1 << 20;

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub limits: Limits,
    /// Simulations running at the same time.
    pub max_concurrent_runs: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            limits: Limits::default(),
            max_concurrent_runs: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    presets: Arc<Presets>,
    sessions: Arc<Sessions>,
    limits: Limits,
    permits: Arc<Semaphore>,
}

impl AppState {
    pub fn new(presets: Presets, config: &ServerConfig) -> AppState {
        AppState {
            presets: Arc::new(presets),
            sessions: Arc::new(Sessions::default()),
            limits: config.limits,
            permits: Arc::new(Semaphore::new(config.max_concurrent_runs.max(1))),
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
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Serve until Ctrl-C on an already bound listener.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::io("the web server stopped", e))
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

async fn static_file(uri: Uri) -> Response {
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

async fn describe_upload(body: Bytes) -> Result<Json<serde_json::Value>, ApiError> {
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

/// Validate a request and hand it to `work` off the async threads, after
/// registering it for its page and waiting for a free simulation slot.
async fn with_run<T: Send + 'static>(
    st: &AppState,
    body: &[u8],
    work: impl FnOnce(&api::Prepared, &session::RunHandle, bool) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let req: RunRequest = api::parse_request(body)?;
    if let Some(c) = &req.client {
        session::check_client(c)?;
    }
    let with_network = req.network.unwrap_or(true);
    // Registered before waiting for a permit, so a newer run from the
    // same page cancels this one even while it queues.
    let active = st.sessions.start(req.client.clone());
    let _permit = st
        .permits
        .acquire()
        .await
        .map_err(|_| ApiError::new(503, "the server is shutting down"))?;
    if active.handle.cancelled() {
        return Err(superseded());
    }
    let presets = st.presets.clone();
    let limits = st.limits;
    let handle = active.handle.clone();
    let out = tokio::task::spawn_blocking(move || {
        let prepared = api::prepare(&presets, &req, &limits)?;
        work(&prepared, &handle, with_network)
    })
    .await
    .map_err(|e| ApiError::new(500, format!("the run failed: {e}")))?;
    drop(active);
    out
}

fn superseded() -> ApiError {
    ApiError::new(
        409,
        "this run was cancelled: a newer run from the same page replaced it",
    )
}

async fn run_json(
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Json<run::RunResponse>, ApiError> {
    with_run(&st, &body, |p, h, net| {
        run::execute(p, h, net).map_err(|_| superseded())
    })
    .await
    .map(Json)
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
    Path(format): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let format = export::Format::parse(&format)?;
    let lang = lang_of(&uri)?;
    let (name, bytes) = with_run(&st, &body, move |p, h, _| {
        let name = p.ctx.scenario.name.clone();
        let bytes = match format {
            export::Format::Csv => {
                run::to_csv(&run::execute(p, h, false).map_err(|_| superseded())?).into_bytes()
            }
            _ => export::report(p, format, lang)?,
        };
        Ok((name, bytes))
    })
    .await?;
    let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, format.mime().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
