//! The desk search off the UI thread. The worker owns its own read-only connection and the
//! places of the office's kabupaten, receives `(generation, line, page cursor)` with the
//! address of the screen that asked, reads the line (`domain::search_query`), and answers on the
//! loop's channel with the generation, so the screen drops stale answers and typing never waits.
//! The page comes first; the count of matches follows in a second answer when asked, so a long
//! count never holds the list back. A newer question interrupts the query in flight (the store's
//! `InterruptHandle`), the count included. Never writes to the database.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use crate::db::Connection;
use crate::db::sql::Interrupter;

use super::reply::{Reply, ReplyTo};
use crate::db::residents::{self, Count, Cursor, Page};
use crate::db::{self, DbError};
use crate::domain::search_query::{DeskQuery, PlaceBook};

/// Rows of one page of the list.
pub const SHOWN: usize = 50;
/// Counting stops here: more shows as "more than 10,000".
pub const COUNT_CAP: u64 = 10_000;

/// One question: the line as typed and which page of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub generation: u64,
    pub line: String,
    /// Where the page starts (`None`: the first page).
    pub after: Option<Cursor>,
    /// Also count the matches (a second answer).
    pub count: bool,
}

/// The worker's answer to one question: first the page, then (when asked) the count.
#[derive(Debug)]
pub struct SearchAnswer {
    pub generation: u64,
    /// The line as typed.
    pub query: String,
    pub result: Result<Found, DbError>,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub enum Found {
    /// How the line was read and the page of matches (boxed: replies travel by value on the
    /// loop's channel, and a page is large).
    Page(Box<(DeskQuery, Page)>),
    Count(Count),
}

struct Request {
    ask: SearchRequest,
    reply_to: ReplyTo,
}

/// Handle to the worker thread; dropping it ends the thread.
pub struct SearchWorker {
    requests: Sender<Request>,
    interrupt: Interrupter,
    latest: Arc<AtomicU64>,
}

/// What the search reads with: a connection and the places a line may name.
pub struct Searcher {
    conn: Connection,
    book: PlaceBook,
}

impl Searcher {
    /// The places are read once; without them (no regency set) no word reads as a place.
    pub fn new(conn: Connection) -> Searcher {
        let book = residents::place_book(&conn).unwrap_or_default();
        Searcher { conn, book }
    }

    /// Reads the line and the page it asks for.
    pub fn page(&self, ask: &SearchRequest) -> SearchAnswer {
        let started = Instant::now();
        let query = residents::read_line(&self.conn, &self.book, &ask.line);
        let result = residents::page(&self.conn, &query.search, ask.after.as_ref(), SHOWN)
            .map(|page| Found::Page(Box::new((query, page))));
        SearchAnswer {
            generation: ask.generation,
            query: ask.line.clone(),
            result,
            elapsed: started.elapsed(),
        }
    }

    /// Counts the matches of the line, up to [`COUNT_CAP`].
    pub fn count(&self, ask: &SearchRequest) -> SearchAnswer {
        let started = Instant::now();
        let query = residents::read_line(&self.conn, &self.book, &ask.line);
        let result = residents::count(&self.conn, &query.search, COUNT_CAP).map(Found::Count);
        SearchAnswer {
            generation: ask.generation,
            query: ask.line.clone(),
            result,
            elapsed: started.elapsed(),
        }
    }
}

impl SearchWorker {
    /// Opens a read-only connection on `store` and starts the thread.
    pub fn spawn(store: &db::Store) -> Result<SearchWorker, DbError> {
        let conn = store.open_read_only()?;
        let interrupt = conn.interrupter();
        // The places are read here, before anyone holds the interrupt handle: read on the
        // thread, a question typed at once would interrupt them, and the search would go on
        // without places (no word read as a desa) for as long as the screen lives.
        let searcher = Searcher::new(conn);
        let latest = Arc::new(AtomicU64::new(0));
        let (requests, inbox) = mpsc::channel();
        let seen = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("search".into())
            .spawn(move || serve(searcher, inbox, seen))
            .map_err(|e| DbError::Io(store.local_anchor(), e.to_string()))?;
        Ok(SearchWorker {
            requests,
            interrupt,
            latest,
        })
    }

    /// Asks under a new generation, stopping the query in flight; the answers arrive at
    /// `reply_to` as `Reply::Search`.
    pub fn ask(&self, ask: SearchRequest, reply_to: ReplyTo) {
        self.latest.store(ask.generation, Ordering::SeqCst);
        self.interrupt.interrupt();
        // A closed channel means the thread is gone; the screen then shows no answer.
        let _ = self.requests.send(Request { ask, reply_to });
    }
}

fn serve(searcher: Searcher, inbox: Receiver<Request>, latest: Arc<AtomicU64>) {
    let stale = |generation: u64| generation < latest.load(Ordering::SeqCst);
    while let Ok(mut request) = inbox.recv() {
        // Only the newest question is worth an answer.
        while let Ok(newer) = inbox.try_recv() {
            request = newer;
        }
        let Request { ask, reply_to } = request;
        if stale(ask.generation) {
            continue;
        }
        let answer = searcher.page(&ask);
        // An interrupted (stale) query is not worth an answer.
        if stale(ask.generation) {
            continue;
        }
        let found = answer.result.is_ok();
        if !reply_to.send(Reply::Search(answer)) {
            break;
        }
        if !ask.count || !found || stale(ask.generation) {
            continue;
        }
        let counted = searcher.count(&ask);
        if !stale(ask.generation) && !reply_to.send(Reply::Search(counted)) {
            break;
        }
    }
}
