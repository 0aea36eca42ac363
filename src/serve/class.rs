//! The role-play's HTTP side (`tiaokuai serve --class`, docs/api.md
//! "Role-play"): students join with the code and a name, see and set only
//! their own role's levers, and press Ready; the teacher (holding the
//! token printed at start) sees everything, advances, resets and ends the
//! session, and downloads the exports.
//!
//! Rules: a student token acts only for its own role (requests name no
//! role); only the teacher token advances, resets, ends, assigns or
//! exports; every body is parsed strictly (unknown fields are a 400);
//! a round is computed on a blocking thread under a read lock, so pages
//! keep answering while it runs; the session is saved after every change.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::api::ApiError;
use crate::class::{Choice, Class, Lever, export};

/// The class session behind the routes.
pub struct ClassApp {
    class: RwLock<Class>,
    advancing: AtomicBool,
    /// Address students open (shown and drawn as a QR code).
    join_url: String,
    body_timeout: std::time::Duration,
}

type Shared = Arc<ClassApp>;

impl ClassApp {
    pub fn new(class: Class, join_url: String) -> Shared {
        Arc::new(ClassApp {
            class: RwLock::new(class),
            advancing: AtomicBool::new(false),
            join_url,
            body_timeout: std::time::Duration::from_secs(10),
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Class> {
        self.class.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Class> {
        self.class.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The role-play routes.
pub fn router(app: Shared) -> Router {
    Router::new()
        .route("/class", get(page))
        .route("/class/teacher", get(page))
        .route("/class/class.js", get(page))
        .route("/class/class.css", get(page))
        .route("/api/class", get(public))
        .route("/api/class/join", post(join))
        .route("/api/class/me", get(me))
        .route("/api/class/choose", post(choose))
        .route("/api/class/ready", post(ready))
        .route("/api/class/teacher", get(teacher))
        .route("/api/class/advance", post(advance))
        .route("/api/class/reset", post(reset))
        .route("/api/class/end", post(end))
        .route("/api/class/assign", post(assign))
        .route("/api/class/timer", post(timer))
        .route("/api/class/qr.svg", get(qr))
        .route("/api/class/export/{file}", get(export_file))
        .with_state(app)
}

/// A page, script or style sheet of the role-play, from the embedded files.
async fn page(uri: axum::http::Uri) -> Response {
    match super::assets::find(super::assets::CLASS_FILES, uri.path()) {
        Some((mime, body)) => ([(header::CONTENT_TYPE, mime)], body).into_response(),
        None => ApiError::new(404, format!("nothing at {}", uri.path())).into_response(),
    }
}

/// Parse a JSON body strictly into `T`.
async fn body<T: DeserializeOwned>(
    app: &ClassApp,
    headers: &HeaderMap,
    b: Body,
) -> Result<T, ApiError> {
    let bytes = super::read_body(b, headers, app.body_timeout).await?;
    if !bytes.trim_ascii_start().starts_with(b"{") {
        return Err(ApiError::new(400, "the request body must be a JSON object"));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        let mut err = ApiError::new(400, format!("bad request: {e}"));
        err.line = Some(e.line());
        err
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenQuery {
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimerBody {
    token: String,
    /// Seconds per round; `null` stops the timer.
    seconds: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinBody {
    code: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChooseBody {
    token: String,
    choice: Choice,
    #[serde(default)]
    ready: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadyBody {
    token: String,
    ready: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignBody {
    token: String,
    name: String,
    role: String,
}

/// A request body that carries the sender's token.
trait Tokened: DeserializeOwned + Send + 'static {
    fn token(&self) -> &str;
}

impl Tokened for TokenBody {
    fn token(&self) -> &str {
        &self.token
    }
}
impl Tokened for AssignBody {
    fn token(&self) -> &str {
        &self.token
    }
}
impl Tokened for TimerBody {
    fn token(&self) -> &str {
        &self.token
    }
}

/// The guard of every teacher-only route: the token must be the teacher's,
/// else 403 saying what only the teacher can do.
fn check_teacher(app: &ClassApp, token: &str, what: &str) -> Result<(), ApiError> {
    if app.read().is_teacher(token) {
        Ok(())
    } else {
        Err(not_teacher(what))
    }
}

/// The guard with a token in the query (`?token=`), for teacher-only reads.
fn teacher_query(
    app: &ClassApp,
    q: Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>,
    what: &str,
) -> Result<(), ApiError> {
    let Query(q) = q.map_err(|e| ApiError::new(400, e.body_text()))?;
    check_teacher(app, &q.token, what)
}

/// The guard with a token in the body, for teacher-only changes: parse
/// the body strictly, check its token, then run `act` on the session and
/// save it ([`mutate`]).
async fn teacher_mutate<B: Tokened, T: Send + 'static>(
    app: &Shared,
    headers: &HeaderMap,
    b: Body,
    what: &'static str,
    act: impl FnOnce(&mut Class, B) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let req: B = body(app, headers, b).await?;
    check_teacher(app, req.token(), what)?;
    mutate(app, move |c| act(c, req)).await
}

fn not_teacher(what: &str) -> ApiError {
    let mut e = ApiError::new(403, format!("only the teacher can {what}"));
    e.suggestion =
        Some("use the teacher's page (its address was printed when the server started)".into());
    e
}

/// The role of the student joined with `token`.
fn student_role(c: &crate::class::Class, token: &str) -> Result<String, ApiError> {
    Ok(c.player(token).ok_or_else(unknown_student)?.role.clone())
}

fn unknown_student() -> ApiError {
    let mut e = ApiError::new(403, "this device is not joined as a student of the session");
    e.suggestion = Some("join again with your name and the code: you get your role back".into());
    e
}

/// Run a change of the session on a blocking thread and save it.
async fn mutate<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&mut Class) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let mut class = app.write();
        let out = f(&mut class)?;
        class.save().map_err(ApiError::from)?;
        Ok(out)
    })
    .await
    .map_err(|e| ApiError::new(500, format!("the change did not complete: {e}")))?
}

async fn public(State(app): State<Shared>) -> Json<Value> {
    let c = app.read();
    Json(json!({
        "scenario": c.ctx.scenario.name,
        "name": c.ctx.scenario.description,
        "name_zh": c.ctx.scenario.description_zh,
        "year": c.year(),
        "years": c.years(),
        "ended": c.saved.ended,
        "roles": c.def.roles.len(),
        "players": c.saved.players.len(),
    }))
}

async fn join(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    let req: JoinBody = body(&app, &headers, b).await?;
    let p = mutate(&app, move |c| {
        c.join(&req.code, &req.name).map_err(ApiError::bad)
    })
    .await?;
    Ok(Json(
        json!({"token": p.token, "name": p.name, "role": p.role}),
    ))
}

/// The role as the pages show it.
fn role_json(c: &Class, i: usize) -> Value {
    let r = &c.def.roles[i];
    json!({
        "id": r.id, "name": r.name, "name_zh": r.name_zh, "kind": r.kind,
        "levers": r.levers.iter().map(|l| l.id()).collect::<Vec<_>>(),
        "budget": r.budget, "units": r.unit_spec,
    })
}

async fn me(
    State(app): State<Shared>,
    q: Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::new(400, e.body_text()))?;
    let c = app.read();
    let p = c.player(&q.token).ok_or_else(unknown_student)?;
    let i = c
        .def
        .role_index(&p.role)
        .expect("players hold declared roles");
    let res = &c.results;
    let own = res.roles.get(i);
    let collab = res.metrics.iter().position(|m| m.id == "collab_index");
    let ids: std::collections::BTreeSet<&str> = c.def.roles[i]
        .units
        .iter()
        .map(|&u| c.ctx.world.units[u as usize].id.as_str())
        .collect();
    let own_units: Vec<_> = res
        .units
        .iter()
        .filter(|u| ids.contains(u.id.as_str()))
        .take(40)
        .collect();
    Ok(Json(json!({
        "name": p.name,
        "role": role_json(&c, i),
        "costs": c.def.params.costs,
        "year": c.year(),
        "years": c.years(),
        "ended": c.saved.ended,
        "choice": c.saved.pending.get(&p.role).cloned().unwrap_or_default(),
        "ready": c.saved.ready.contains(&p.role),
        "ready_count": c.saved.ready.len(),
        "players": c.saved.players.len(),
        "own": own,
        "units": own_units,
        "class_collab": collab.map(|m| res.class_path.iter().map(|y| y[m]).collect::<Vec<_>>()),
        "class_sharers": res.roles.iter().filter(|r| r.rounds_shared > 0 && r.player.is_some()).count(),
        "results_year": res.year,
        "timer": timer_json(&c),
        // Roles this one can copy an innovation from now, most to copy first.
        "copy_from": copy_options(&c, own),
    })))
}

/// The roles a role can copy from, as the student page lists them.
fn copy_options(c: &Class, own: Option<&crate::class::play::RoleResult>) -> Vec<Value> {
    let mut opts: Vec<(usize, u32)> = own.map(|r| r.copy_options.clone()).unwrap_or_default();
    opts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    opts.iter()
        .map(|&(s, n)| {
            let r = &c.def.roles[s];
            json!({"id": r.id, "name": r.name, "name_zh": r.name_zh, "innovations": n})
        })
        .collect()
}

async fn choose(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    let req: ChooseBody = body(&app, &headers, b).await?;
    mutate(&app, move |c| {
        let role = student_role(c, &req.token)?;
        c.choose(&role, req.choice).map_err(ApiError::bad)?;
        if let Some(r) = req.ready {
            c.set_ready(&role, r);
        }
        Ok(())
    })
    .await?;
    Ok(Json(json!({"ok": true})))
}

async fn ready(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    let req: ReadyBody = body(&app, &headers, b).await?;
    mutate(&app, move |c| {
        let role = student_role(c, &req.token)?;
        c.set_ready(&role, req.ready);
        Ok(())
    })
    .await?;
    Ok(Json(json!({"ok": true})))
}

async fn teacher(
    State(app): State<Shared>,
    q: Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    teacher_query(&app, q, "open the teacher's console")?;
    let c = app.read();
    let roles: Vec<Value> = (0..c.def.roles.len())
        .map(|i| {
            let id = &c.def.roles[i].id;
            let mut r = role_json(&c, i);
            r["player"] = json!(
                c.saved
                    .players
                    .iter()
                    .find(|p| &p.role == id)
                    .map(|p| &p.name)
            );
            r["ready"] = json!(c.saved.ready.contains(id));
            r["choice"] = json!(c.saved.pending.get(id));
            r
        })
        .collect();
    Ok(Json(json!({
        "scenario": c.ctx.scenario.name,
        "code": c.saved.code,
        "join_url": app.join_url,
        "year": c.year(),
        "years": c.years(),
        "ended": c.saved.ended,
        "advancing": app.advancing.load(Ordering::Relaxed),
        "timer": timer_json(&c),
        "class_strategy": c.ctx.scenario.strategies[c.def.strategy].name,
        "players": c.saved.players.iter().map(|p| json!({"name": p.name, "role": p.role})).collect::<Vec<_>>(),
        "roles": roles,
        "results": c.results,
        "levers": Lever::ALL.iter().map(|l| l.id()).collect::<Vec<_>>(),
    })))
}

/// The round timer as the pages show it: seconds per round and
/// milliseconds left in the open round (server clock, so devices with
/// wrong clocks still count down right).
fn timer_json(c: &Class) -> Value {
    json!({
        "seconds": c.saved.timer_seconds,
        "left_ms": c.timer_left_ms(crate::class::now_ms()),
    })
}

async fn advance(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    let req: TokenBody = body(&app, &headers, b).await?;
    check_teacher(&app, &req.token, "advance the round")?;
    let (year, ms) = advance_round(&app).await?;
    Ok(Json(json!({"year": year, "ms": ms})))
}

/// Language of an export from its name (`….zh.…` is Chinese).
fn export_lang(file: &str) -> crate::catalog::Lang {
    if file.contains(".zh.") {
        crate::catalog::Lang::Zh
    } else {
        crate::catalog::Lang::En
    }
}

/// Play the next year (the teacher's Advance, or the round timer running
/// out): the year reached and the milliseconds it took.
async fn advance_round(app: &Shared) -> Result<(usize, u64), ApiError> {
    if app.advancing.swap(true, Ordering::AcqRel) {
        return Err(ApiError::new(409, "the round is already being computed"));
    }
    let a = app.clone();
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking(move || -> Result<usize, ApiError> {
        // Compute under a read lock (pages keep answering and show the
        // last year until the new one is complete), then store it.
        let (rounds, results) = {
            let c = a.read();
            let mut rounds = c.saved.rounds.clone();
            rounds.push(c.next_round().map_err(ApiError::bad)?);
            let results = c.results_of(&rounds);
            (rounds, results)
        };
        let mut c = a.write();
        if c.saved.rounds.len() + 1 != rounds.len() {
            return Err(ApiError::new(
                409,
                "the session was reset while the round was computed",
            ));
        }
        c.store_round(rounds, results);
        c.save().map_err(ApiError::from)?;
        Ok(c.year())
    })
    .await;
    app.advancing.store(false, Ordering::Release);
    let year =
        out.map_err(|e| ApiError::new(500, format!("the round did not complete: {e}")))??;
    Ok((year, started.elapsed().as_millis() as u64))
}

/// Advance the round when its timer runs out (checked four times a
/// second, on the server, so no page needs to be open).
pub fn spawn_timer(app: Shared) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            tick.tick().await;
            if !app.read().timer_expired(crate::class::now_ms()) {
                continue;
            }
            match advance_round(&app).await {
                // 409: the teacher is advancing right now; that round
                // restarts the timer.
                Ok(_) => {}
                Err(e) if e.status == 409 => {}
                Err(e) => {
                    eprintln!("tiaokuai role-play: the round timer stopped: {}", e.error);
                    let _ = mutate(&app, |c| {
                        c.saved.deadline_ms = None;
                        Ok(())
                    })
                    .await;
                }
            }
        }
    });
}

async fn timer(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    let t = teacher_mutate(
        &app,
        &headers,
        b,
        "set the round timer",
        |c, req: TimerBody| {
            c.set_timer(req.seconds, crate::class::now_ms())
                .map_err(ApiError::bad)?;
            Ok(timer_json(c))
        },
    )
    .await?;
    Ok(Json(t))
}

async fn reset(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    teacher_mutate(&app, &headers, b, "reset the session", |c, _: TokenBody| {
        c.reset();
        Ok(())
    })
    .await?;
    Ok(Json(json!({"year": 0})))
}

async fn end(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    teacher_mutate(&app, &headers, b, "end the session", |c, _: TokenBody| {
        c.end();
        Ok(())
    })
    .await?;
    Ok(Json(json!({"ended": true})))
}

async fn assign(
    State(app): State<Shared>,
    headers: HeaderMap,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    teacher_mutate(&app, &headers, b, "assign roles", |c, req: AssignBody| {
        c.assign(&req.name, &req.role).map_err(ApiError::bad)
    })
    .await?;
    Ok(Json(json!({"ok": true})))
}

async fn qr(State(app): State<Shared>) -> Result<Response, ApiError> {
    let code = qrcode::QrCode::new(app.join_url.as_bytes())
        .map_err(|e| ApiError::new(500, format!("cannot draw the QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

async fn export_file(
    State(app): State<Shared>,
    Path(file): Path<String>,
    q: Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    teacher_query(&app, q, "download the session")?;
    let a = app.clone();
    let f = file.clone();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ApiError> {
        let c = a.read();
        Ok(match f.as_str() {
            "choices.csv" => export::choices_csv(&c),
            "trajectory.csv" => export::trajectory_csv(&c),
            "comparison.csv" => export::comparison_csv(&c),
            "session.json" => serde_json::to_vec_pretty(&c.saved_now())
                .map_err(|e| ApiError::new(500, e.to_string()))?,
            "workbook.xlsx" | "workbook.zh.xlsx" => {
                crate::report::class_xlsx::build(&c, export_lang(&f))
                    .map_err(|e| ApiError::new(500, e.to_string()))?
            }
            "report.html" | "report.zh.html" => {
                crate::report::class_html::render(&c, export_lang(&f)).into_bytes()
            }
            other => {
                let mut e = ApiError::new(404, format!("no export `{other}`"));
                e.expected = Some(
                    "choices.csv, trajectory.csv, comparison.csv, session.json, workbook.xlsx, workbook.zh.xlsx, report.html or report.zh.html"
                        .into(),
                );
                return Err(e);
            }
        })
    })
    .await
    .map_err(|e| ApiError::new(500, format!("the export did not complete: {e}")))??;
    let mime = match file.rsplit('.').next() {
        Some("json") => "application/json",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("html") => "text/html; charset=utf-8",
        _ => "text/csv; charset=utf-8",
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"class-{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
