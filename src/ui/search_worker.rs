//! The desk search off the UI thread. The worker owns its own read-only connection, receives
//! `(generation, query)` and answers on the loop's channel with the generation, so the screen
//! drops stale answers and typing never waits for a query. A newer query interrupts the one in
//! flight (rusqlite's `InterruptHandle`). Never writes to the database.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use rusqlite::{Connection, InterruptHandle};

use super::app::Event;
use crate::db::residents::{ResidentHit, search};
use crate::db::{self, DbError};

/// Rows asked of the database: one more than shown, to know there are more.
pub const SEARCH_LIMIT: usize = 51;
/// Rows shown; more than this shows as "50+".
pub const SHOWN: usize = 50;

/// The worker's answer to one query.
#[derive(Debug)]
pub struct SearchAnswer {
    pub generation: u64,
    pub query: String,
    pub result: Result<Vec<ResidentHit>, DbError>,
    pub elapsed: Duration,
}

/// Handle to the worker thread; dropping it ends the thread.
pub struct SearchWorker {
    requests: Sender<(u64, String)>,
    interrupt: InterruptHandle,
    latest: Arc<AtomicU64>,
}

impl SearchWorker {
    /// Opens a read-only connection on `db_path` and starts the thread.
    pub fn spawn(db_path: &Path, events: Sender<Event>) -> Result<SearchWorker, DbError> {
        let conn = db::open_read_only(db_path)?;
        let interrupt = conn.get_interrupt_handle();
        let latest = Arc::new(AtomicU64::new(0));
        let (requests, inbox) = mpsc::channel();
        let seen = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("search".into())
            .spawn(move || serve(conn, inbox, events, seen))
            .map_err(|e| DbError::Io(db_path.to_path_buf(), e.to_string()))?;
        Ok(SearchWorker {
            requests,
            interrupt,
            latest,
        })
    }

    /// Asks for `query` under a new generation, stopping the query in flight; the answer
    /// arrives as `Event::Worker(SearchAnswer)`.
    pub fn ask(&self, generation: u64, query: &str) {
        self.latest.store(generation, Ordering::SeqCst);
        self.interrupt.interrupt();
        // A closed channel means the thread is gone; the screen then shows no answer.
        let _ = self.requests.send((generation, query.to_string()));
    }
}

/// Runs the search for the newest request only: requests that queued up meanwhile are skipped.
pub fn run_one(conn: &Connection, generation: u64, query: &str) -> SearchAnswer {
    let started = Instant::now();
    let result = search(conn, query, SEARCH_LIMIT);
    SearchAnswer {
        generation,
        query: query.to_string(),
        result,
        elapsed: started.elapsed(),
    }
}

fn serve(
    conn: Connection,
    inbox: Receiver<(u64, String)>,
    events: Sender<Event>,
    latest: Arc<AtomicU64>,
) {
    while let Ok(mut request) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            request = newer;
        }
        let (generation, query) = request;
        if generation < latest.load(Ordering::SeqCst) {
            continue;
        }
        let answer = run_one(&conn, generation, &query);
        // An interrupted (stale) query is not worth an answer.
        if generation < latest.load(Ordering::SeqCst) {
            continue;
        }
        if events.send(Event::Worker(Box::new(answer))).is_err() {
            break;
        }
    }
}
