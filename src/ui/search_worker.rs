//! The desk search off the UI thread. The worker owns its own read-only connection, receives
//! `(generation, query)` with the address of the screen that asked, and answers it on the loop's
//! channel with the generation, so the screen drops stale answers and typing never waits. A newer query interrupts the one in
//! flight (rusqlite's `InterruptHandle`). Never writes to the database.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use rusqlite::{Connection, InterruptHandle};

use super::reply::{Reply, ReplyTo};
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

/// One question to the worker.
struct Request {
    generation: u64,
    query: String,
    reply_to: ReplyTo,
}

/// Handle to the worker thread; dropping it ends the thread.
pub struct SearchWorker {
    requests: Sender<Request>,
    interrupt: InterruptHandle,
    latest: Arc<AtomicU64>,
}

impl SearchWorker {
    /// Opens a read-only connection on `db_path` and starts the thread.
    pub fn spawn(db_path: &Path) -> Result<SearchWorker, DbError> {
        let conn = db::open_read_only(db_path)?;
        let interrupt = conn.get_interrupt_handle();
        let latest = Arc::new(AtomicU64::new(0));
        let (requests, inbox) = mpsc::channel();
        let seen = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("search".into())
            .spawn(move || serve(conn, inbox, seen))
            .map_err(|e| DbError::Io(db_path.to_path_buf(), e.to_string()))?;
        Ok(SearchWorker {
            requests,
            interrupt,
            latest,
        })
    }

    /// Asks for `query` under a new generation, stopping the query in flight; the answer
    /// arrives at `reply_to` as `Reply::Search`.
    pub fn ask(&self, generation: u64, query: &str, reply_to: ReplyTo) {
        self.latest.store(generation, Ordering::SeqCst);
        self.interrupt.interrupt();
        // A closed channel means the thread is gone; the screen then shows no answer.
        let _ = self.requests.send(Request {
            generation,
            query: query.to_string(),
            reply_to,
        });
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

fn serve(conn: Connection, inbox: Receiver<Request>, latest: Arc<AtomicU64>) {
    while let Ok(mut request) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            request = newer;
        }
        let generation = request.generation;
        if generation < latest.load(Ordering::SeqCst) {
            continue;
        }
        let answer = run_one(&conn, generation, &request.query);
        // An interrupted (stale) query is not worth an answer.
        if generation < latest.load(Ordering::SeqCst) {
            continue;
        }
        if !request.reply_to.send(Reply::Search(answer)) {
            break;
        }
    }
}
