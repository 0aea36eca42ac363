//! The work queue and the answer cache: identical requests share one
//! computation, finished answers are kept (gzip-compressed once) for the
//! next identical request, and the queue is bounded and fair.
//!
//! Rules: a computation is keyed by the validated scenario (seed included),
//! the strategies and the kind of answer, so only requests that must give
//! the same bytes share one; a computation is cancelled only when every
//! request waiting for it went away or was superseded; at most
//! `max_queued_runs` computations (and `max_queued_work`
//! department-quarters) wait for a simulation slot, beyond that a request
//! answers 503 with `Retry-After`; one client (its `client` id, else its
//! address) has at most `max_runs_per_client` requests waiting, beyond that
//! 429 with `Retry-After`. Slots are handed out first come, first served.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use tokio::sync::{Semaphore, watch};

use super::api::ApiError;
use super::session::RunHandle;

/// A cache key (SHA-256 of what determines the answer).
pub type Key = [u8; 32];

/// Department-quarters a 2-core machine simulates per second, roughly
/// (docs/PERFORMANCE.md); used only to suggest a `Retry-After`.
const WORK_PER_SECOND: u64 = 10_000_000;

/// Bounds of the queue and the cache.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueConfig {
    /// Simulations running at the same time.
    pub max_concurrent_runs: usize,
    /// Computations waiting for a simulation slot.
    pub max_queued_runs: usize,
    /// Work (department-quarters × runs) waiting for a simulation slot.
    pub max_queued_work: u64,
    /// Requests of one client waiting for an answer.
    pub max_runs_per_client: usize,
    /// Bytes of finished answers kept for identical requests.
    pub cache_bytes: usize,
}

/// A finished answer, ready to send.
#[derive(Debug)]
pub struct Answer {
    pub content_type: String,
    pub disposition: Option<String>,
    pub body: Bytes,
    /// The body gzip-compressed, when compressing is worth it.
    pub gzip: Option<Bytes>,
}

impl Answer {
    /// An answer; `compress` keeps a gzip copy for clients that accept it.
    pub fn new(
        content_type: impl Into<String>,
        disposition: Option<String>,
        body: Vec<u8>,
        compress: bool,
    ) -> Answer {
        let gzip = (compress && body.len() > 1024)
            .then(|| {
                let mut z =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                z.write_all(&body).ok()?;
                z.finish().ok()
            })
            .flatten()
            .map(Bytes::from);
        Answer {
            content_type: content_type.into(),
            disposition,
            body: Bytes::from(body),
            gzip,
        }
    }

    fn size(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    /// The HTTP answer; `how` says whether it was computed for this request
    /// (`miss`), shared with an identical request in flight (`shared`) or
    /// taken from the cache (`hit`), in the `X-Tiaokuai-Cache` header.
    pub fn respond(&self, gzip_ok: bool, how: &'static str) -> Response {
        let mut b = Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, &self.content_type)
            .header(header::VARY, "accept-encoding")
            .header("x-tiaokuai-cache", how);
        if let Some(d) = &self.disposition {
            b = b.header(header::CONTENT_DISPOSITION, d);
        }
        let body = match (&self.gzip, gzip_ok) {
            (Some(z), true) => {
                b = b.header(header::CONTENT_ENCODING, "gzip");
                z.clone()
            }
            _ => self.body.clone(),
        };
        b.body(Body::from(body))
            .unwrap_or_else(|_| Response::new(Body::empty()))
    }
}

/// Whether an `Accept-Encoding` value accepts gzip (a `q` of 0 refuses it).
pub fn accepts_gzip(value: Option<&str>) -> bool {
    value.unwrap_or("").split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f64>().ok())
            .unwrap_or(1.0);
        (name.eq_ignore_ascii_case("gzip") || name == "*") && q > 0.0
    })
}

type Outcome = Result<Arc<Answer>, ApiError>;

/// A computation in flight.
struct Flight {
    id: u64,
    handle: Arc<RunHandle>,
    waiters: usize,
    rx: watch::Receiver<Option<Outcome>>,
    /// Still waiting for a simulation slot.
    queued: bool,
    work: u64,
}

#[derive(Default)]
struct Inner {
    answers: HashMap<Key, Arc<Answer>>,
    order: VecDeque<Key>,
    bytes: usize,
    flights: HashMap<Key, Flight>,
    next_id: u64,
    queued: usize,
    queued_work: u64,
    /// Requests waiting per client.
    clients: HashMap<String, Vec<Arc<RunHandle>>>,
}

/// Shared computations, the bounded queue and the answer cache.
pub struct Queue {
    inner: Mutex<Inner>,
    permits: Arc<Semaphore>,
    config: QueueConfig,
}

/// One request waiting for a computation; leaving (answered, superseded or
/// its connection gone) cancels the computation if nobody else waits.
struct Waiter {
    queue: Arc<Queue>,
    key: Key,
    id: u64,
    client: String,
    request: Arc<RunHandle>,
}

impl Drop for Waiter {
    fn drop(&mut self) {
        let mut g = self.queue.lock();
        let inner = &mut *g;
        if let Some(list) = inner.clients.get_mut(&self.client) {
            list.retain(|h| !Arc::ptr_eq(h, &self.request));
            if list.is_empty() {
                inner.clients.remove(&self.client);
            }
        }
        let last = match inner.flights.get_mut(&self.key) {
            Some(f) if f.id == self.id => {
                f.waiters -= 1;
                f.waiters == 0
            }
            _ => false,
        };
        if let Some(f) = last.then(|| inner.flights.remove(&self.key)).flatten() {
            f.handle.cancel();
            if f.queued {
                inner.queued -= 1;
                inner.queued_work -= f.work;
            }
        }
    }
}

impl Queue {
    pub fn new(config: QueueConfig) -> Queue {
        Queue {
            inner: Mutex::new(Inner::default()),
            permits: Arc::new(Semaphore::new(config.max_concurrent_runs.max(1))),
            config,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer for `key`: from the cache, from an identical computation
    /// in flight, or from `compute` (run off the async threads once a
    /// simulation slot is free). `request` is the asking request's handle:
    /// when it is cancelled the request stops waiting and answers 409.
    pub async fn answer(
        self: &Arc<Self>,
        key: Key,
        client: String,
        work: u64,
        request: &Arc<RunHandle>,
        compute: impl FnOnce(&RunHandle) -> Result<Answer, ApiError> + Send + 'static,
    ) -> Result<(Arc<Answer>, &'static str), ApiError> {
        let (mut rx, how, _waiter) = {
            let mut g = self.lock();
            let inner = &mut *g;
            if let Some(a) = inner.answers.get(&key) {
                return Ok((a.clone(), "hit"));
            }
            let list = inner.clients.entry(client.clone()).or_default();
            list.retain(|h| !h.cancelled());
            if list.len() >= self.config.max_runs_per_client {
                let mut e = ApiError::new(
                    429,
                    format!(
                        "this client already has {} runs waiting for an answer",
                        list.len()
                    ),
                );
                e.suggestion = Some("wait for the earlier runs to finish".into());
                e.retry_after = Some(2);
                return Err(e);
            }
            let (rx, id, how) = match inner.flights.get_mut(&key) {
                Some(f) => {
                    f.waiters += 1;
                    request.follow(f.handle.clone());
                    (f.rx.clone(), f.id, "shared")
                }
                None => {
                    let full = inner.queued >= self.config.max_queued_runs
                        || (inner.queued > 0
                            && inner.queued_work.saturating_add(work)
                                > self.config.max_queued_work);
                    if full {
                        let mut e = ApiError::new(
                            503,
                            format!(
                                "the server is busy: {} runs are waiting for a free simulation slot",
                                inner.queued
                            ),
                        );
                        e.suggestion = Some("try again in a moment".into());
                        e.retry_after = Some((inner.queued_work / WORK_PER_SECOND).clamp(1, 120));
                        return Err(e);
                    }
                    let handle = Arc::new(RunHandle::default());
                    let (tx, rx) = watch::channel(None);
                    let id = inner.next_id;
                    inner.next_id += 1;
                    inner.queued += 1;
                    inner.queued_work += work;
                    inner.flights.insert(
                        key,
                        Flight {
                            id,
                            handle: handle.clone(),
                            waiters: 1,
                            rx: rx.clone(),
                            queued: true,
                            work,
                        },
                    );
                    request.follow(handle.clone());
                    tokio::spawn(self.clone().fly(key, id, handle, tx, compute));
                    (rx, id, "miss")
                }
            };
            inner
                .clients
                .entry(client.clone())
                .or_default()
                .push(request.clone());
            let waiter = Waiter {
                queue: self.clone(),
                key,
                id,
                client,
                request: request.clone(),
            };
            (rx, how, waiter)
        };
        tokio::select! {
            r = rx.wait_for(Option::is_some) => match r {
                Ok(v) => match v.as_ref() {
                    Some(Ok(a)) => Ok((a.clone(), how)),
                    Some(Err(e)) => Err(e.clone()),
                    None => Err(ApiError::new(500, "the run ended without an answer")),
                },
                Err(_) => Err(ApiError::new(500, "the run ended without an answer")),
            },
            _ = request.wait_cancelled() => Err(super::superseded()),
        }
    }

    /// Run one computation when a slot is free, then publish and cache it.
    async fn fly(
        self: Arc<Self>,
        key: Key,
        id: u64,
        handle: Arc<RunHandle>,
        tx: watch::Sender<Option<Outcome>>,
        compute: impl FnOnce(&RunHandle) -> Result<Answer, ApiError> + Send + 'static,
    ) {
        let permit = self.permits.clone().acquire_owned().await;
        {
            let mut g = self.lock();
            let inner = &mut *g;
            if let Some(f) = inner
                .flights
                .get_mut(&key)
                .filter(|f| f.id == id && f.queued)
            {
                f.queued = false;
                inner.queued -= 1;
                inner.queued_work -= f.work;
            }
        }
        let out: Outcome = if handle.cancelled() {
            Err(super::superseded())
        } else {
            match permit {
                Err(_) => Err(ApiError::new(503, "the server is shutting down")),
                Ok(permit) => {
                    let h = handle.clone();
                    tokio::task::spawn_blocking(move || {
                        let _permit = permit;
                        compute(&h)
                    })
                    .await
                    .unwrap_or_else(|e| Err(ApiError::new(500, format!("the run failed: {e}"))))
                    .map(Arc::new)
                }
            }
        };
        {
            let mut g = self.lock();
            let inner = &mut *g;
            if inner.flights.get(&key).is_some_and(|f| f.id == id) {
                inner.flights.remove(&key);
            }
            if let Ok(a) = &out {
                self.keep(inner, key, a.clone());
            }
        }
        let _ = tx.send(Some(out));
    }

    /// Cache an answer, dropping the oldest ones beyond `cache_bytes`.
    fn keep(&self, inner: &mut Inner, key: Key, a: Arc<Answer>) {
        if a.size() > self.config.cache_bytes || inner.answers.contains_key(&key) {
            return;
        }
        inner.bytes += a.size();
        inner.answers.insert(key, a);
        inner.order.push_back(key);
        while inner.bytes > self.config.cache_bytes {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some(x) = inner.answers.remove(&old) {
                inner.bytes -= x.size();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_accepted_unless_refused() {
        assert!(accepts_gzip(Some("gzip, deflate, br")));
        assert!(accepts_gzip(Some("br;q=1.0, gzip;q=0.8")));
        assert!(accepts_gzip(Some("*")));
        assert!(!accepts_gzip(Some("gzip;q=0")));
        assert!(!accepts_gzip(Some("identity")));
        assert!(!accepts_gzip(None));
    }
}
