//! `loket bench`: the figures of issue 6, measured on data it generates itself. Import
//! throughput (the real `loket import` command as a child process) against the sqlite3
//! command-line `.import` plus a NIK index when `sqlite3` is installed; desk search latency
//! against a naive `LIKE '%q%'` scan on the same queries, the name narrowed by birth year or
//! desa and a later page of issue 15 included (`search`); cold start to the first frame and the
//! TUI's peak memory (a child process that opens the database and draws one frame).
//!
//! Reports, never asserts: timings depend on the machine. Never touches a database other than
//! the ones it creates in its own directory.

pub mod data;
pub mod search;
mod server;
pub mod supervisor;

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::db::Connection;
use chrono::NaiveDate;
use serde::Serialize;

use crate::db::{self, DbError};
use data::{Rng, Sample};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub residents: u64,
    pub dir: PathBuf,
    pub seed: u64,
    pub today: NaiveDate,
    /// Queries per search category (the LIKE scan runs fewer when it is slow).
    pub queries: usize,
    /// The loket executable run as a child for the import and the cold start.
    pub exe: PathBuf,
    /// Times the import and sqlite3's `.import` each run, alternately; the fastest counts.
    pub runs: usize,
    /// A PostgreSQL database (`--db postgres://...`) to import into and search instead of a
    /// fresh SQLite file: empty, or loket's schema without residents, cohorts or enrollments
    /// (see `server`). One run; what the bench puts there stays.
    pub server: Option<String>,
}

/// Latency of one category of queries.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub category: String,
    pub queries: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    /// Queries that found at least one resident.
    pub found: usize,
}

/// One category: the desk search and the naive scan side by side.
#[derive(Debug, Clone, Serialize)]
pub struct SearchFigures {
    pub search: Latency,
    /// The naive query for the same page: `LIKE '%q%'` with the search's order (see
    /// [`search::naive`]).
    pub like: Latency,
    /// LIKE p99 / search p99.
    pub speedup_p99: f64,
    /// LIKE mean / search mean.
    pub speedup_mean: f64,
    /// `LIKE '%q%' LIMIT 51` in no order: any 51 rows that contain the text, which a scan finds
    /// within the first few hundred rows for a common first name.
    pub like_any_order: Latency,
    /// like_any_order p99 / search p99.
    pub speedup_p99_any_order: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub residents: u64,
    pub bad_rows: u64,
    pub cores: usize,
    pub generate_s: f64,
    /// The fastest of [`Report::import_runs_s`].
    pub import_s: f64,
    pub import_runs_s: Vec<f64>,
    pub import_rows_per_s: f64,
    pub import_peak_mb: Option<f64>,
    /// The import's JSON summary line.
    pub import_summary: String,
    /// sqlite3 `.import` + `CREATE UNIQUE INDEX` on NIK, when sqlite3 is on PATH.
    pub sqlite3_s: Option<f64>,
    pub sqlite3_runs_s: Vec<f64>,
    /// import_s / sqlite3_s.
    pub import_ratio: Option<f64>,
    pub database_mb: f64,
    pub search: Vec<SearchFigures>,
    pub cold_start_ms: Option<f64>,
    pub tui_peak_mb: Option<f64>,
    /// Other timed query sets (see [`QUERY_SETS`]).
    pub query_sets: Vec<Latency>,
}

/// A set of read queries timed on the benchmark database: a name and a function that runs
/// each query once and returns the latencies. The supervisor's board and dashboard queries are
/// added here as rows when they exist; each row shows up in the report's `query_sets`.
pub struct QuerySet {
    pub name: &'static str,
    pub run: fn(&Connection) -> Result<Vec<Duration>, DbError>,
}

/// Timed query sets beyond the desk search: the supervisor's board and dashboard on the
/// fixture of [`supervisor::fixture`].
pub const QUERY_SETS: &[QuerySet] = &[
    QuerySet {
        name: "board (all, 500 rows)",
        run: supervisor::board_default,
    },
    QuerySet {
        name: "board (open, by fill)",
        run: supervisor::board_open_by_fill,
    },
    QuerySet {
        name: "dashboard per kecamatan",
        run: supervisor::dashboard_by_district,
    },
    QuerySet {
        name: "dashboard per course",
        run: supervisor::dashboard_by_course,
    },
    QuerySet {
        name: "enrollments per week",
        run: supervisor::weekly,
    },
];

/// Cohorts and enrollments of the supervisor fixture (issue 5's scale).
pub const FIXTURE_COHORTS: u32 = 5_000;
pub const FIXTURE_ENROLLMENTS: u32 = 100_000;

/// A progress line for the person running the bench.
pub type Say<'a> = &'a mut dyn FnMut(&str);

pub fn run(opts: &BenchOptions, say: Say) -> anyhow::Result<Report> {
    if let Some(spec) = &opts.server {
        return server::run(opts, spec, say);
    }
    std::fs::create_dir_all(&opts.dir)?;
    let db_path = opts.dir.join("bench.sqlite");
    for p in [&db_path, &opts.dir.join("sqlite3.sqlite")] {
        remove_database(p);
    }
    let conn = db::create(&db_path)?;
    let (generated, generate_s, csv_path) = generate(opts, &conn, say)?;
    drop(conn);

    // Each run: loket's import into a fresh database, then sqlite3's; the fastest of each
    // counts, so a busy moment of the machine weighs on neither side alone.
    let mut import_runs_s = Vec::new();
    let mut sqlite3_runs_s = Vec::new();
    let mut fastest: Option<(f64, Option<u64>, String)> = None;
    for run in 0..opts.runs.max(1) {
        if run > 0 {
            remove_database(&db_path);
            drop(db::create(&db_path)?);
        }
        say(&format!(
            "importing with `loket import residents` (run {}) ...",
            run + 1
        ));
        let (s, peak, summary) = timed_import(&opts.exe, &db_path, &csv_path)?;
        say(&format!("loket import: {s:.1} s"));
        import_runs_s.push(s);
        if fastest.as_ref().is_none_or(|f| s < f.0) {
            fastest = Some((s, peak, summary));
        }
        match sqlite3_import(&opts.dir, &csv_path) {
            Ok(s) => {
                say(&format!("sqlite3 .import + unique NIK index: {s:.1} s"));
                sqlite3_runs_s.push(s);
            }
            Err(e) => say(&format!("sqlite3 comparison skipped: {e}")),
        }
    }
    let (import_s, import_peak_kb, import_summary) = fastest.expect("at least one run");
    let sqlite3_s = sqlite3_runs_s.iter().copied().reduce(f64::min);
    let database_mb = file_mb(&db_path);

    say("search latency ...");
    let conn = db::open_read_only(&db_path)?;
    let (search, queries) = search_figures(opts, &conn, &generated, say)?;
    say(&format!(
        "board and dashboard on {FIXTURE_COHORTS} cohorts and {FIXTURE_ENROLLMENTS} enrollments ..."
    ));
    drop(conn);
    supervisor::fixture(
        &db::open(&db_path)?,
        FIXTURE_COHORTS,
        FIXTURE_ENROLLMENTS,
        opts.seed,
    )?;
    let query_sets = time_query_sets(&db::open_read_only(&db_path)?)?;

    say("cold start to first frame ...");
    let probe_queries: Vec<String> = queries
        .iter()
        .flat_map(|(_, q)| q.iter().take(20).map(|q| q.line.clone()))
        .collect();
    let (cold_start_ms, tui_peak_mb) = match probe(&opts.exe, &db_path, &probe_queries) {
        Ok((ms, mb)) => (Some(ms), mb),
        Err(e) => {
            say(&format!("cold start probe failed: {e}"));
            (None, None)
        }
    };
    Ok(Report {
        residents: generated.rows,
        bad_rows: generated.bad_rows,
        cores: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        generate_s,
        import_s,
        import_runs_s,
        import_rows_per_s: generated.rows as f64 / import_s.max(1e-9),
        import_peak_mb: import_peak_kb.map(|kb| kb as f64 / 1024.0),
        import_summary,
        sqlite3_s,
        sqlite3_runs_s,
        import_ratio: sqlite3_s.map(|s| import_s / s.max(1e-9)),
        database_mb,
        search,
        cold_start_ms,
        tui_peak_mb,
        query_sets,
    })
}

/// Writes the bench's list (`residents.csv` in the bench's directory) with the desa of the
/// database `conn` holds; what was written, the seconds it took and where.
fn generate(
    opts: &BenchOptions,
    conn: &Connection,
    say: Say,
) -> anyhow::Result<(data::Generated, f64, PathBuf)> {
    std::fs::create_dir_all(&opts.dir)?;
    let csv_path = opts.dir.join("residents.csv");
    let villages: Vec<(String, String)> = conn
        .prepare("SELECT code, district_code FROM village WHERE code LIKE '36.03.%' ORDER BY code")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let others: Vec<String> = conn
        .prepare("SELECT nik_prefix FROM district WHERE code LIKE '36.%' OR code LIKE '32.%' OR code LIKE '31.%'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    say(&format!(
        "generating {} residents -> {}",
        opts.residents,
        csv_path.display()
    ));
    let t = Instant::now();
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&csv_path)?);
    let generated = data::write_csv(
        &mut out,
        opts.residents,
        opts.seed,
        opts.today,
        &villages,
        &others,
        opts.queries * 2,
    )?;
    out.flush()?;
    // On disk before anything is timed: otherwise the kernel writes the fresh CSV back while
    // the import right after it runs, and not during the sqlite3 run (seen: the same import of
    // 3 million rows 2-4 s slower in the bench than on its own).
    out.into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))?
        .sync_all()?;
    Ok((generated, t.elapsed().as_secs_f64(), csv_path))
}

/// The queries of each category.
type Queries = Vec<(String, Vec<search::BenchQuery>)>;

/// The desk search's categories timed on `conn` (and the naive scans beside them); the
/// queries, for the cold start probe.
fn search_figures(
    opts: &BenchOptions,
    conn: &Connection,
    generated: &data::Generated,
    say: Say,
) -> anyhow::Result<(Vec<SearchFigures>, Queries)> {
    let book = db::residents::place_book(conn)?;
    let mut queries: Vec<(String, Vec<search::BenchQuery>)> =
        search_queries(&generated.samples, opts.queries, opts.seed)
            .into_iter()
            .map(|(category, qs)| {
                let qs = qs
                    .into_iter()
                    .map(|line| search::BenchQuery {
                        line,
                        how: search::How::Plain,
                    })
                    .collect();
                (category, qs)
            })
            .collect();
    queries.extend(search::line_queries(
        &generated.samples,
        opts.queries,
        opts.seed,
        &book,
    ));
    let mut figures = Vec::new();
    for (category, qs) in &queries {
        let ready: Vec<search::Ready> = qs
            .iter()
            .map(|q| search::ready(conn, &book, q))
            .collect::<Result<_, _>>()?;
        let s = time_queries(category, &ready, |q| search::desk(conn, &book, q))?;
        // The naive scan reads every row when a name is rare: cap its share of the run.
        let like_qs = cap_by_budget(&ready, Duration::from_secs(20), |q| {
            search::naive(conn, q, true)
        })?;
        let l = time_queries(category, like_qs, |q| search::naive(conn, q, true))?;
        let any_qs = cap_by_budget(&ready, Duration::from_secs(20), |q| {
            search::naive(conn, q, false)
        })?;
        let a = time_queries(category, any_qs, |q| search::naive(conn, q, false))?;
        say(&format!(
            "  {category:<24} search p50 {:.2} ms p99 {:.2} ms | LIKE p50 {:.1} ms p99 {:.1} ms | in no order p50 {:.1} ms p99 {:.1} ms",
            s.p50_ms, s.p99_ms, l.p50_ms, l.p99_ms, a.p50_ms, a.p99_ms
        ));
        figures.push(SearchFigures {
            speedup_p99: l.p99_ms / s.p99_ms.max(1e-6),
            speedup_mean: l.mean_ms / s.mean_ms.max(1e-6),
            speedup_p99_any_order: a.p99_ms / s.p99_ms.max(1e-6),
            search: s,
            like: l,
            like_any_order: a,
        });
    }
    Ok((figures, queries))
}

/// The supervisor's board and dashboard queries ([`QUERY_SETS`]) timed on `conn`.
fn time_query_sets(conn: &Connection) -> Result<Vec<Latency>, DbError> {
    QUERY_SETS
        .iter()
        .map(|set| Ok(latency(set.name, (set.run)(conn)?, 0)))
        .collect()
}

/// A database file and its journals.
fn remove_database(p: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
}

fn file_mb(p: &Path) -> f64 {
    std::fs::metadata(p)
        .map(|m| m.len() as f64 / 1_048_576.0)
        .unwrap_or(0.0)
}

/// Runs `loket --db DB import residents CSV --json` and times it; polls the child's VmHWM.
fn timed_import(
    exe: &Path,
    db_path: &Path,
    csv: &Path,
) -> anyhow::Result<(f64, Option<u64>, String)> {
    let t = Instant::now();
    let mut child = Command::new(exe)
        .arg("--db")
        .arg(db_path)
        .args(["import", "residents"])
        .arg(csv)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kb) = vm_hwm_kb(&text)
        {
            peak = Some(kb);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = t.elapsed().as_secs_f64();
    let mut summary = String::new();
    if let Some(mut out) = child.stdout.take() {
        std::io::Read::read_to_string(&mut out, &mut summary)?;
    }
    // exit 1 only says some rows were rejected (the generator makes a few bad on purpose)
    if !matches!(status.code(), Some(0 | 1)) {
        anyhow::bail!("loket import failed: {status}");
    }
    Ok((elapsed, peak, summary.trim().to_string()))
}

/// `VmHWM` (peak resident memory) in kB from a `/proc/<pid>/status` text.
pub fn vm_hwm_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// This process's peak memory in MB (Linux), None elsewhere.
pub fn own_peak_mb() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    vm_hwm_kb(&text).map(|kb| kb as f64 / 1024.0)
}

/// sqlite3's own `.import` of the same CSV into a fresh file plus a unique index on NIK.
fn sqlite3_import(dir: &Path, csv: &Path) -> anyhow::Result<f64> {
    let target = dir.join("sqlite3.sqlite");
    let script = format!(
        ".mode csv\n.import '{}' raw\nCREATE UNIQUE INDEX raw_nik ON raw(NIK);\n",
        csv.display().to_string().replace('\'', "''")
    );
    let t = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg("-batch")
        .arg(&target)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow::anyhow!("sqlite3 not found on PATH ({e})"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(script.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let elapsed = t.elapsed().as_secs_f64();
    if !out.status.success() {
        anyhow::bail!("sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_file(&target);
    Ok(elapsed)
}

/// Typos and spellings the name key forgives (ejaan lama, y/i, doubled letters, Moch.).
fn misspell(name: &str, rng: &mut Rng) -> String {
    let lower = name.to_lowercase();
    let variants: [fn(&str) -> Option<String>; 7] = [
        |s| s.contains('u').then(|| s.replacen('u', "oe", 1)),
        |s| s.contains('i').then(|| s.replacen('i', "y", 1)),
        |s| s.contains('y').then(|| s.replacen('y', "i", 1)),
        |s| s.contains('j').then(|| s.replacen('j', "dj", 1)),
        |s| s.contains('c').then(|| s.replacen('c', "tj", 1)),
        |s| {
            s.starts_with("muhammad")
                .then(|| s.replacen("muhammad", "moch", 1))
        },
        |s| {
            let at = s.find(|c: char| "mnlrst".contains(c))?;
            let c = s[at..].chars().next()?;
            Some(format!("{}{c}{}", &s[..at], &s[at..]))
        },
    ];
    let start = rng.below(variants.len());
    (0..variants.len())
        .find_map(|i| variants[(start + i) % variants.len()](&lower))
        .unwrap_or(lower)
}

/// The query categories of the report, drawn from residents in the file.
pub fn search_queries(
    samples: &[Sample],
    per_category: usize,
    seed: u64,
) -> Vec<(String, Vec<String>)> {
    let mut rng = Rng(seed ^ 0x5eed);
    let mut nik = Vec::new();
    let mut one = Vec::new();
    let mut two = Vec::new();
    let mut three = Vec::new();
    let mut typo = Vec::new();
    for s in samples {
        let words: Vec<&str> = s.name.split(' ').collect();
        if nik.len() < per_category {
            let len = 4 + rng.below(13);
            nik.push(s.nik[..len.min(16)].to_string());
        }
        if one.len() < per_category {
            let w = words[0];
            let len = (3 + rng.below(4)).min(w.len());
            one.push(w[..len].to_lowercase());
        }
        if words.len() >= 2 && two.len() < per_category {
            let w = words[1];
            let len = (3 + rng.below(4)).min(w.len());
            two.push(format!("{} {}", words[0], &w[..len]).to_lowercase());
        }
        if words.len() >= 3 && three.len() < per_category {
            three.push(s.name.to_lowercase());
        }
        if words.len() >= 2 && typo.len() < per_category {
            typo.push(misspell(&s.name, &mut rng));
        }
    }
    vec![
        ("nik prefix".into(), nik),
        ("one word".into(), one),
        ("two words".into(), two),
        ("three words".into(), three),
        ("misspelled".into(), typo),
    ]
}

/// The first queries whose run fits in `budget` (at least 5).
fn cap_by_budget<Q>(
    qs: &[Q],
    budget: Duration,
    mut run: impl FnMut(&Q) -> Result<usize, DbError>,
) -> Result<&[Q], DbError> {
    let t = Instant::now();
    let mut kept = 0;
    for q in qs {
        if kept >= 5 && t.elapsed() > budget {
            break;
        }
        run(q)?;
        kept += 1;
    }
    Ok(&qs[..kept])
}

fn time_queries<Q>(
    category: &str,
    qs: &[Q],
    mut run: impl FnMut(&Q) -> Result<usize, DbError>,
) -> Result<Latency, DbError> {
    let mut times = Vec::with_capacity(qs.len());
    let mut found = 0;
    for q in qs {
        let t = Instant::now();
        let n = run(q)?;
        times.push(t.elapsed());
        found += usize::from(n > 0);
    }
    Ok(latency(category, times, found))
}

fn latency(category: &str, mut times: Vec<Duration>, found: usize) -> Latency {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |p: f64| {
        times
            .get(
                ((times.len() as f64 * p).ceil() as usize)
                    .saturating_sub(1)
                    .min(times.len().saturating_sub(1)),
            )
            .map(|d| ms(*d))
            .unwrap_or(0.0)
    };
    let mean = if times.is_empty() {
        0.0
    } else {
        times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64
    };
    Latency {
        category: category.to_string(),
        queries: times.len(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        mean_ms: mean,
        found,
    }
}

/// Starts `loket bench --probe DB` and waits for its first frame; returns the wall time from
/// spawning to the frame and the probe's peak memory after it also ran `queries` searches.
fn probe(exe: &Path, db_path: &Path, queries: &[String]) -> anyhow::Result<(f64, Option<f64>)> {
    let t = Instant::now();
    let mut child = Command::new(exe)
        .arg("--db")
        .arg(db_path)
        .args(["bench", "--probe"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let cold_ms = t.elapsed().as_secs_f64() * 1000.0;
    if first != "frame" {
        anyhow::bail!("probe said {first:?}");
    }
    if let Some(mut stdin) = child.stdin.take() {
        for q in queries {
            writeln!(stdin, "{q}")?;
        }
    }
    let mut peak = None;
    for line in lines {
        let line = line?;
        if let Some(mb) = line.strip_prefix("peak_mb ") {
            peak = mb.parse().ok();
        }
    }
    child.wait()?;
    Ok((cold_ms, peak))
}

/// The probe side (`loket bench --probe`): open the database as the TUI does, draw the first
/// frame to an 80x24 test terminal, say "frame"; then run one search per line of standard
/// input as the desk would, and print the peak memory.
pub fn probe_main(db_path: &Path, operator: &str) -> anyhow::Result<()> {
    use crate::ui::app::{App, Ctx};
    let conn = db::open(db_path)?;
    let actor = db::operators::actor_by_name(&conn, operator)?;
    let (tx, _rx) = std::sync::mpsc::channel();
    let ctx = Ctx {
        conn,
        store: crate::db::Store::File(db_path.to_path_buf()),
        lang: crate::ui::text::Lang::Id,
        actor,
        today: db::today(),
        events: tx,
    };
    let root = crate::ui::screens::root(&ctx);
    let mut app = App::new(ctx, root);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))?;
    terminal.draw(|f| app.render(f))?;
    println!("frame");
    std::io::stdout().flush()?;
    let search = db::open_read_only(db_path)?;
    for line in std::io::stdin().lock().lines() {
        db::residents::search(&search, &line?, 51)?;
    }
    terminal.draw(|f| app.render(f))?;
    println!("peak_mb {:.1}", own_peak_mb().unwrap_or(0.0));
    Ok(())
}

/// The report as the Markdown table of the README.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let opt = |v: Option<f64>, unit: &str| {
        v.map(|v| format!("{v:.1} {unit}"))
            .unwrap_or_else(|| "n/a".into())
    };
    s.push_str(&format!(
        "| figure ({} residents, {} cores) | value |\n| --- | --- |\n",
        r.residents, r.cores
    ));
    s.push_str(&format!(
        "| import (`loket import residents`, validation + FTS; fastest of {}) | {:.1} s, {:.0} rows/s |\n",
        r.import_runs_s.len(), r.import_s, r.import_rows_per_s
    ));
    s.push_str(&format!(
        "| sqlite3 `.import` + unique NIK index | {} |\n",
        opt(r.sqlite3_s, "s")
    ));
    s.push_str(&format!(
        "| import / sqlite3 | {} |\n",
        r.import_ratio
            .map(|x| format!("{x:.2}x"))
            .unwrap_or_else(|| "n/a".into())
    ));
    s.push_str(&format!(
        "| import peak memory | {} |\n",
        opt(r.import_peak_mb, "MB")
    ));
    s.push_str(&format!("| database size | {:.0} MB |\n", r.database_mb));
    for f in &r.search {
        s.push_str(&format!(
            "| search {}: p50 / p99 (LIKE same order p50 / p99, speed-up at p99; LIKE in no order p99, speed-up) | {:.2} / {:.2} ms ({:.1} / {:.1} ms, {:.0}x; {:.1} ms, {:.1}x) |\n",
            f.search.category,
            f.search.p50_ms,
            f.search.p99_ms,
            f.like.p50_ms,
            f.like.p99_ms,
            f.speedup_p99,
            f.like_any_order.p99_ms,
            f.speedup_p99_any_order
        ));
    }
    for q in &r.query_sets {
        s.push_str(&format!(
            "| {}: p50 / p99 | {:.2} / {:.2} ms |\n",
            q.category, q.p50_ms, q.p99_ms
        ));
    }
    s.push_str(&format!(
        "| cold start to first frame | {} |\n",
        opt(r.cold_start_ms, "ms")
    ));
    s.push_str(&format!(
        "| TUI peak memory (first frame + searches) | {} |\n",
        opt(r.tui_peak_mb, "MB")
    ));
    s
}
