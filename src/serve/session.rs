//! Runs in flight, per page: progress for the page's progress bar, and
//! cancellation when a page starts a newer run (a student moving a slider
//! again) or goes away, so a slow run never blocks the next one.
//!
//! Rules: a page names itself with a `client` id; at most one run per id is
//! live — starting a run cancels the previous one of the same id. Runs
//! without an id are never superseded. The registry forgets a run as soon
//! as it ends, so it holds at most one entry per running page.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use crate::error::InputError;

/// Progress and cancellation of one run (or of one request waiting for
/// a computation it shares with identical requests: then progress is the
/// computation's, see [`RunHandle::follow`]).
#[derive(Debug, Default)]
pub struct RunHandle {
    cancel: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
    woken: tokio::sync::Notify,
    source: OnceLock<Arc<RunHandle>>,
}

impl RunHandle {
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.woken.notify_waiters();
    }
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
    /// Resolves once [`RunHandle::cancel`] was called.
    pub async fn wait_cancelled(&self) {
        loop {
            let woken = self.woken.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if self.cancelled() {
                return;
            }
            woken.await;
        }
    }
    /// Report the progress of `source` (the computation this request waits for).
    pub fn follow(&self, source: Arc<RunHandle>) {
        let _ = self.source.set(source);
    }
    pub fn set_total(&self, n: usize) {
        self.total.store(n, Ordering::Relaxed);
    }
    /// One more (strategy, replicate) finished.
    pub fn advance(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
    pub fn progress(&self) -> Progress {
        if let Some(s) = self.source.get() {
            return s.progress();
        }
        Progress {
            running: true,
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

/// `GET /api/progress/{client}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub running: bool,
    pub done: usize,
    pub total: usize,
}

/// The live runs by client id.
#[derive(Debug, Default)]
pub struct Sessions {
    live: Mutex<BTreeMap<String, Arc<RunHandle>>>,
}

/// A client id must be short and plain: it is only a key.
pub fn check_client(id: &str) -> Result<(), InputError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(InputError::new(format!("client id `{id}` is not allowed"))
            .key("client")
            .expected("1 to 64 letters, digits, '-' or '_'"))
    }
}

impl Sessions {
    /// Register a new run, cancelling the client's previous one.
    pub fn start(self: &Arc<Self>, client: Option<String>) -> Active {
        let handle = Arc::new(RunHandle::default());
        if let Some(c) = &client {
            let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(old) = live.insert(c.clone(), handle.clone()) {
                old.cancel();
            }
        }
        Active {
            sessions: self.clone(),
            client,
            handle,
        }
    }

    /// Progress of a client's live run.
    pub fn progress(&self, client: &str) -> Progress {
        let live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.get(client).map_or(
            Progress {
                running: false,
                done: 0,
                total: 0,
            },
            |h| h.progress(),
        )
    }

    /// Number of live runs with a client id.
    pub fn live(&self) -> usize {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn finish(&self, client: &str, handle: &Arc<RunHandle>) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if live.get(client).is_some_and(|h| Arc::ptr_eq(h, handle)) {
            live.remove(client);
        }
    }
}

/// A registered run. Dropping it (the request finished, or its connection
/// went away and the handler was dropped) cancels the run and unregisters it.
pub struct Active {
    sessions: Arc<Sessions>,
    client: Option<String>,
    pub handle: Arc<RunHandle>,
}

impl Drop for Active {
    fn drop(&mut self) {
        self.handle.cancel();
        if let Some(c) = &self.client {
            self.sessions.finish(c, &self.handle);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_run_cancels_the_older_one_of_the_same_client() {
        let s = Arc::new(Sessions::default());
        let a = s.start(Some("p1".into()));
        let other = s.start(Some("p2".into()));
        assert!(!a.handle.cancelled());
        let b = s.start(Some("p1".into()));
        assert!(a.handle.cancelled());
        assert!(!b.handle.cancelled());
        assert!(!other.handle.cancelled());
        drop(a); // the old run ending must not unregister the new one
        assert_eq!(s.live(), 2);
        b.handle.set_total(4);
        b.handle.advance();
        assert_eq!(s.progress("p1").done, 1);
        drop(b);
        drop(other);
        assert_eq!(s.live(), 0);
        assert!(!s.progress("p1").running);
    }

    #[test]
    fn client_ids_are_checked() {
        assert!(check_client("page-1_a").is_ok());
        assert!(check_client("").is_err());
        assert!(check_client("a/b").is_err());
        assert!(check_client(&"x".repeat(65)).is_err());
    }
}
