//! `loket bench --db postgres://...`: the same figures on a PostgreSQL server. The generated
//! list is imported by the real `loket --db SERVER import residents` (a bulk load: COPY), then
//! the desk search's categories and the supervisor's queries are timed on the server.
//!
//! Safe with someone's data: the database must be empty (the bench puts loket's schema there)
//! or hold loket's schema with no residents, cohorts or enrollments (fresh from `loket init`);
//! anything else is refused before a row is written. Nothing is ever deleted: one run, and what
//! the bench wrote (residents, cohorts, enrollments, audit rows) stays for the operator to drop
//! with the database. No sqlite3 comparison and no cold start probe (both are about the file).

use std::path::Path;
use std::time::Instant;

use anyhow::bail;

use super::{
    BenchOptions, FIXTURE_COHORTS, FIXTURE_ENROLLMENTS, Report, Say, generate, search_figures,
    supervisor, time_query_sets, timed_import,
};
use crate::db::{self, Connection, pg_schema, sql};

/// Tables of anyone's in a database the bench was given (outside the system schemas).
const OTHER_TABLES_SQL: &str = "SELECT count(*) FROM information_schema.tables
    WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";

/// Opens `spec` for the bench: creates loket's schema in an empty database, accepts loket's
/// schema without residents, cohorts or enrollments, refuses anything else.
fn open_for_bench(spec: &str) -> anyhow::Result<Connection> {
    let server = sql::PgTarget::parse(spec)?.to_string();
    let conn = Connection::open_postgres(spec).map_err(db::DbError::from)?;
    if pg_schema::version(&conn)?.is_none() {
        let tables: i64 = conn.query_row(OTHER_TABLES_SQL, [], |r| r.get(0))?;
        if tables > 0 {
            bail!(
                "{server} holds {tables} tables that are not loket's: the bench needs an empty database (CREATE DATABASE ...)"
            );
        }
        drop(conn);
        return Ok(db::create_on_server(spec)?);
    }
    drop(conn);
    let conn = db::open_server(spec)?;
    for table in ["resident", "cohort", "enrollment"] {
        let rows: i64 = conn.query_row(
            &format!("SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS any_row"),
            [],
            |r| r.get(0),
        )?;
        if rows > 0 {
            bail!(
                "{server} already holds {table} rows: the bench imports into a database of its own (an empty one, or fresh from `loket --db ... init`) and never deletes data"
            );
        }
    }
    Ok(conn)
}

pub(super) fn run(opts: &BenchOptions, spec: &str, say: Say) -> anyhow::Result<Report> {
    let conn = open_for_bench(spec)?;
    let (generated, generate_s, csv_path) = generate(opts, &conn, say)?;
    if opts.runs > 1 {
        say("one import run on a server (a second would need the residents deleted)");
    }
    say("importing with `loket --db SERVER import residents` ...");
    let (import_s, peak_kb, import_summary) = timed_import(&opts.exe, Path::new(spec), &csv_path)?;
    say(&format!("loket import: {import_s:.1} s"));
    // The state autovacuum brings a server to within minutes of a large import: the planner's
    // statistics, the visibility map (index-only scans without heap visits) and the GIN indexes'
    // pending lists merged. Done here so autovacuum's pass over 3 million rows does not run on
    // the same two cores while the searches are timed.
    let t = Instant::now();
    conn.execute_batch("VACUUM (ANALYZE)")?;
    say(&format!(
        "VACUUM (ANALYZE): {:.1} s",
        t.elapsed().as_secs_f64()
    ));
    let database_mb = conn.query_row("SELECT pg_database_size(current_database())", [], |r| {
        r.get::<_, i64>(0)
    })? as f64
        / 1_048_576.0;

    say("search latency ...");
    let (search, _) = search_figures(opts, &conn, &generated, say)?;
    say(&format!(
        "board and dashboard on {FIXTURE_COHORTS} cohorts and {FIXTURE_ENROLLMENTS} enrollments ..."
    ));
    supervisor::fixture(&conn, FIXTURE_COHORTS, FIXTURE_ENROLLMENTS, opts.seed)?;
    let query_sets = time_query_sets(&conn)?;
    say(&format!(
        "the bench's data stays in {}: drop the database when done",
        sql::PgTarget::parse(spec)?
    ));
    Ok(Report {
        residents: generated.rows,
        bad_rows: generated.bad_rows,
        cores: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        generate_s,
        import_s,
        import_runs_s: vec![import_s],
        import_rows_per_s: generated.rows as f64 / import_s.max(1e-9),
        import_peak_mb: peak_kb.map(|kb| kb as f64 / 1024.0),
        import_summary,
        sqlite3_s: None,
        sqlite3_runs_s: Vec::new(),
        import_ratio: None,
        database_mb,
        search,
        cold_start_ms: None,
        tui_peak_mb: None,
        query_sets,
    })
}
