//! Every headless command on both stores (issue 18): the same demo on an SQLite file and on a
//! PostgreSQL database, then one supervisor's and clerk's day typed as commands on each (a
//! cohort made, opened, filled past its seats, coverage submitted, activated and rejected, a
//! withdrawal promoting the waitlist, more seats, new dates, outcomes and follow-ups, exports,
//! paper, settings, operators, the audit trail). Each command's answer must be the same on both,
//! but for the times it was run. Skipped (with a note) without `LOKET_TEST_PG`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::BIN;
use common::pg::{PgDatabase, url};
use loket::db::Connection;

/// One store as the commands see it: `--db` and a connection for picking residents.
struct Store {
    db: String,
    conn: Connection,
    out: PathBuf,
}

impl Store {
    /// `loket --db DB --as AS ARGS...` with `stdin`: exit status and standard output, with
    /// times and the store's own name masked.
    fn run(&self, actor: &str, args: &[&str], stdin: &str) -> (i32, String) {
        use std::io::Write;
        let mut child = Command::new(BIN)
            .args(["--db", &self.db, "--as", actor, "--lang", "id"])
            .args(args)
            .env_remove("LOKET_DB")
            .env_remove("LOKET_COUNTER")
            .env("LOKET_CONFIG_DIR", self.out.join("config"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run loket");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).replace(&self.db, "DB");
        let text = text.replace(self.out.to_str().unwrap(), "OUT");
        (out.status.code().unwrap_or(-1), mask_times(&text))
    }

    fn value(&self, sql: &str) -> String {
        self.conn.query_row(sql, [], |r| r.get(0)).expect(sql)
    }
}

/// `2026-12-04 15:03:27` (or with a T) and `20261204-150342` become `TIME`.
fn mask_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let digits = |from: usize, n: usize| {
        bytes.len() >= from + n && bytes[from..from + n].iter().all(u8::is_ascii_digit)
    };
    while i < bytes.len() {
        // YYYY-MM-DD[ T]HH:MM:SS
        if digits(i, 4)
            && bytes.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && bytes.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2)
            && matches!(bytes.get(i + 10), Some(b' ' | b'T'))
            && digits(i + 11, 2)
            && bytes.get(i + 13) == Some(&b':')
        {
            out.push_str("TIME");
            i += 19;
            continue;
        }
        // YYYYMMDD-HHMMSS (file names)
        if digits(i, 8) && bytes.get(i + 8) == Some(&b'-') && digits(i + 9, 6) {
            out.push_str("TIME");
            i += 15;
            continue;
        }
        let c = text[i..].chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn demo(db: &str) {
    let out = Command::new(BIN)
        .args(["--db", db, "demo", "--residents", "300", "--seed", "3"])
        .env_remove("LOKET_COUNTER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_day_of_commands_answers_the_same_on_both_stores() {
    let Some(url) = url("tests/pg_commands.rs") else {
        return;
    };
    let pg = PgDatabase::create(&url);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kab.sqlite");
    let file_db = file.to_str().unwrap().to_string();
    demo(&file_db);
    demo(&pg.spec());
    let stores = [
        Store {
            db: file_db,
            conn: Connection::open_unchecked(&file).unwrap(),
            out: dir.path().join("sqlite"),
        },
        Store {
            db: pg.spec(),
            conn: pg.connect(),
            out: dir.path().join("postgres"),
        },
    ];
    for store in &stores {
        std::fs::create_dir_all(&store.out).unwrap();
    }
    // Residents of working age with no enrollment, and a completed cohort's participants:
    // picked on the file, the same on the server.
    let pick = |sql: &str| -> Vec<String> {
        let mut stmt = stores[0].conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let free = pick(
        "SELECT nik FROM resident r WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.resident_id = r.id)
         AND birth_date BETWEEN '1990-01-01' AND '2000-12-31' AND village_code IS NOT NULL ORDER BY nik LIMIT 4",
    );
    assert_eq!(free.len(), 4);
    let done_code = &pick(
        "SELECT code FROM cohort WHERE status = 'completed' ORDER BY start_date, code LIMIT 1",
    )[0];
    let graduates = pick(&format!(
        "SELECT r.nik FROM enrollment e JOIN resident r ON r.id = e.resident_id JOIN cohort c ON c.id = e.cohort_id
         WHERE c.code = '{done_code}' AND e.status = 'enrolled' ORDER BY r.nik LIMIT 2"
    ));
    let start = (chrono::Local::now().date_naive() + chrono::Days::new(60))
        .format("%Y-%m-%d")
        .to_string();
    let later = (chrono::Local::now().date_naive() + chrono::Days::new(74))
        .format("%Y-%m-%d")
        .to_string();
    let code = "2027-TBS-BLK-JYT-99";
    let out = |store: &Store, name: &str| store.out.join(name).to_str().unwrap().to_string();
    type Step<'a> = (&'a str, Vec<String>, &'a str);
    let steps = |store: &Store| -> Vec<Step> {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        vec![
            ("budi", s(&["cohort", "list", "--json"]), ""),
            (
                "budi",
                s(&[
                    "cohort",
                    "create",
                    "--code",
                    code,
                    "--course",
                    "TBS",
                    "--venue",
                    "BLK-JYT",
                    "--start",
                    &start,
                    "--capacity",
                    "2",
                    "--json",
                ]),
                "",
            ),
            ("budi", s(&["cohort", "open", code, "--json"]), ""),
            (
                "sari",
                s(&["enroll", "--nik", &free[0], "--cohort", code, "--json"]),
                "",
            ),
            (
                "sari",
                s(&["enroll", "--nik", &free[1], "--cohort", code, "--json"]),
                "",
            ),
            (
                "sari",
                s(&["enroll", "--nik", &free[2], "--cohort", code, "--json"]),
                "",
            ),
            (
                "sari",
                s(&["enroll", "--nik", &free[3], "--cohort", code, "--json"]),
                "",
            ),
            (
                "sari",
                s(&["enroll", "--nik", &free[3], "--cohort", code, "--json"]),
                "",
            ),
            (
                "sari",
                s(&[
                    "coverage", "submit", "--cohort", code, "--nik", &free[0], "--json",
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "coverage",
                    "activate",
                    "--cohort",
                    code,
                    "--nik",
                    &free[0],
                    "--kpj",
                    "26000000999",
                    "--json",
                ]),
                "",
            ),
            (
                "sari",
                s(&[
                    "coverage", "submit", "--cohort", code, "--nik", &free[1], "--json",
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "coverage",
                    "reject",
                    "--cohort",
                    code,
                    "--nik",
                    &free[1],
                    "--reason",
                    "NIK tidak padan",
                    "--json",
                ]),
                "",
            ),
            (
                "sari",
                s(&[
                    "withdraw", "--nik", &free[0], "--cohort", code, "--reason", "pindah", "--json",
                ]),
                "",
            ),
            (
                "budi",
                s(&["cohort", "edit", code, "--capacity", "3", "--json"]),
                "",
            ),
            (
                "budi",
                s(&["cohort", "dates", code, "--start", &later, "--json"]),
                "",
            ),
            ("budi", s(&["cohort", "show", code, "--json"]), ""),
            (
                "budi",
                s(&[
                    "cohort",
                    "outcome",
                    done_code,
                    "--nik",
                    &graduates[0],
                    "--result",
                    "passed",
                    "--certificate",
                    "CERT-2026-0099",
                    "--json",
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "cohort",
                    "outcome",
                    done_code,
                    "--nik",
                    &graduates[1],
                    "--result",
                    "failed",
                    "--json",
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "cohort",
                    "followup",
                    done_code,
                    "--nik",
                    &graduates[0],
                    "--status",
                    "employed",
                    "--json",
                ]),
                "",
            ),
            ("budi", s(&["cohort", "show", done_code, "--json"]), ""),
            (
                "budi",
                s(&[
                    "export",
                    "bpjs",
                    "--cohort",
                    code,
                    "--out",
                    &out(store, "bpjs.csv"),
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "export",
                    "report",
                    "--year",
                    "2026",
                    "--out",
                    &out(store, "laporan.xlsx"),
                ]),
                "",
            ),
            (
                "sari",
                s(&[
                    "print",
                    "receipt",
                    "--nik",
                    &free[1],
                    "--cohort",
                    code,
                    "--out",
                    &out(store, "bukti.pdf"),
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "print",
                    "attendance",
                    "--cohort",
                    code,
                    "--out",
                    &out(store, "hadir.pdf"),
                ]),
                "",
            ),
            (
                "budi",
                s(&[
                    "print",
                    "certificates",
                    "--cohort",
                    done_code,
                    "--out",
                    &out(store, "sertifikat.pdf"),
                ]),
                "",
            ),
            (
                "budi",
                s(&["setting", "set", "backup.keep", "20", "--json"]),
                "",
            ),
            ("budi", s(&["setting", "get", "backup.keep", "--json"]), ""),
            (
                "admin",
                s(&["user", "add", "rina", "--role", "clerk"]),
                "rahasia-123\n",
            ),
            ("admin", s(&["user", "disable", "rina"]), ""),
            ("admin", s(&["user", "list", "--json"]), ""),
            (
                "budi",
                s(&[
                    "cohort",
                    "cancel",
                    code,
                    "--reason",
                    "instruktur sakit",
                    "--json",
                ]),
                "",
            ),
            (
                "budi",
                s(&["cohort", "list", "--status", "cancelled", "--json"]),
                "",
            ),
            ("sari", s(&["search", "--json", &free[2][..8]]), ""),
            ("budi", s(&["audit", "--json", "--limit", "40"]), ""),
        ]
    };
    let answers: Vec<Vec<(i32, String)>> = stores
        .iter()
        .map(|store| {
            steps(store)
                .iter()
                .map(|(actor, args, stdin)| {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    store.run(actor, &args, stdin)
                })
                .collect()
        })
        .collect();
    if std::env::var_os("LOKET_TEST_SHOW").is_some() {
        for (i, answer) in answers[0].iter().enumerate() {
            eprintln!(
                "step {i}: {} {}",
                answer.0,
                &answer.1[..answer.1.len().min(300)]
            );
        }
    }
    // Every step but the repeated enrollment (refused: already waitlisted) succeeded.
    let failed: Vec<usize> = (0..answers[0].len())
        .filter(|&i| answers[0][i].0 != 0)
        .collect();
    assert_eq!(failed, [7], "{:?}", answers[0]);
    for (i, ((actor, args, _), (sqlite, postgres))) in steps(&stores[0])
        .iter()
        .zip(answers[0].iter().zip(&answers[1]))
        .enumerate()
    {
        assert_eq!(sqlite, postgres, "step {i}: {actor} {}", args.join(" "));
    }
    // The waitlist moved on one store as on the other: the fourth resident waitlisted, then
    // promoted by the withdrawal and by the third seat.
    for store in &stores {
        let status = store.value(&format!(
            "SELECT e.status FROM enrollment e JOIN resident r ON r.id = e.resident_id
             JOIN cohort c ON c.id = e.cohort_id WHERE c.code = '{code}' AND r.nik = '{}'",
            free[3]
        ));
        assert_eq!(
            status, "withdrawn",
            "the cohort was cancelled: {}",
            store.db
        );
    }
    // The files written are the same: the BPJS list byte for byte, the PDFs' text.
    let read = |store: &Store, name: &str| std::fs::read(store.out.join(name)).unwrap();
    assert_eq!(read(&stores[0], "bpjs.csv"), read(&stores[1], "bpjs.csv"));
    for pdf in ["bukti.pdf", "hadir.pdf", "sertifikat.pdf"] {
        let text = |store: &Store| common::pdf_text(&store.out.join(pdf));
        assert_eq!(
            mask_times(&text(&stores[0])),
            mask_times(&text(&stores[1])),
            "{pdf}"
        );
    }
}
