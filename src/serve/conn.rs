//! Accepting connections: HTTP/1.1 with a header read timeout (which is
//! also the idle keep-alive timeout) and a cap on open connections.
//!
//! Rules: at most `max_connections` connections are open; when a new one
//! arrives at the cap, the oldest connection with no request in progress
//! is closed to make room (a client holding idle sockets cannot lock the
//! others out), and if every connection is busy the new one is closed.
//! A connection that has not sent a complete request head within
//! `header_timeout` — from its opening or from the end of its previous
//! answer — is closed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_service::Service;

/// Connection limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConnConfig {
    /// Time to send a request head, and most idle time between requests.
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
}

struct Slot {
    /// Requests in progress on this connection.
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

#[derive(Default)]
struct Open {
    next: u64,
    live: BTreeMap<u64, Slot>,
}

/// Register a new connection, closing the oldest idle one at the cap;
/// `None` when every open connection is busy.
fn admit(open: &Mutex<Open>, cap: usize) -> Option<(u64, Arc<AtomicUsize>, Arc<Notify>)> {
    let mut g = open.lock().unwrap_or_else(|e| e.into_inner());
    if g.live.len() >= cap.max(1) {
        let idle = g
            .live
            .iter()
            .find(|(_, s)| s.busy.load(Ordering::Acquire) == 0)
            .map(|(id, _)| *id)?;
        if let Some(s) = g.live.remove(&idle) {
            s.close.notify_one();
        }
    }
    let id = g.next;
    g.next += 1;
    let busy = Arc::new(AtomicUsize::new(0));
    let close = Arc::new(Notify::new());
    g.live.insert(
        id,
        Slot {
            busy: busy.clone(),
            close: close.clone(),
        },
    );
    Some((id, busy, close))
}

/// Counts a request in progress while alive.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(n: &Arc<AtomicUsize>) -> Busy {
        n.fetch_add(1, Ordering::AcqRel);
        Busy(n.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serve `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: ConnConfig,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let open = Arc::new(Mutex::new(Open::default()));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                // Out of descriptors or a connection reset before accept: retry shortly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return,
        };
        let Some((id, busy, close)) = admit(&open, config.max_connections) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut router = router.clone();
                let busy = Busy::new(&busy);
                async move {
                    let r = router.call(req).await;
                    drop(busy);
                    r
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(config.header_timeout)
                .keep_alive(true);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = close.notified() => {}
            }
            let mut g = open.lock().unwrap_or_else(|e| e.into_inner());
            g.live.remove(&id);
        });
    }
}
