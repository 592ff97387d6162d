//! The desk on a PostgreSQL server, typed as a clerk types it (issue 18): the real binary with
//! `--db postgres://...` in a pseudo-terminal finds a walk-in, enrolls him and marks his BPJS
//! coverage; the server then drops every session (a restart, a cut cable): the clerk is told,
//! the search line keeps what was typed, and the next key works on a new session. Skipped (with
//! a note) without `LOKET_TEST_PG`.

mod common;

use std::path::Path;
use std::process::Command;

use common::BIN;
use common::pg::{PgDatabase, url};
use common::tty::{CTRL_Q, ENTER, ESC, F4, F6, Tty};
use loket::db::Connection;
use loket::db::sql::params;

/// `loket --db SERVER demo`: the demo on a new server database.
fn demo_server() -> Option<PgDatabase> {
    let pg = PgDatabase::create(&url("tests/e2e_pg.rs")?);
    let out = Command::new(BIN)
        .args([
            "--db",
            &pg.spec(),
            "demo",
            "--residents",
            "300",
            "--seed",
            "1",
        ])
        .output()
        .expect("loket demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(pg)
}

/// A man of Kosambi born 1 June 1995 with no enrollment: every demo cohort with a seat takes
/// him.
fn walk_in(server: &Connection, name: &str) {
    let village: String = server
        .query_row(
            "SELECT village_code FROM venue WHERE code = 'BLK-KSB'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    server
        .execute(
            "INSERT INTO resident (nik, kk, name, name_key, sex, birth_date, address, rt, rw, village_code, desil, created_at, updated_at)
             VALUES ('3603040106950031', '3603040101950077', ?1, ?2, 'L', '1995-06-01', 'Kp. Kosambi No. 9', '004', '002', ?3, 3,
                     '2026-01-01 08:00:00', '2026-01-01 08:00:00')",
            params![name, loket::domain::name_key(name), village],
        )
        .unwrap();
}

fn count(server: &Connection, sql: &str) -> i64 {
    server.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_clerk_enrolls_on_the_server_and_goes_on_after_the_sessions_drop() {
    let Some(pg) = demo_server() else { return };
    let server = pg.connect();
    walk_in(&server, "DEDI KURNIAWAN");
    let his = "SELECT count(*) FROM enrollment e JOIN resident r ON r.id = e.resident_id
               JOIN coverage v ON v.enrollment_id = e.id
               WHERE r.name = 'DEDI KURNIAWAN' AND e.status = 'enrolled' AND v.status = 'submitted'";
    let mut tty = Tty::start(Path::new(&pg.spec()));
    tty.wait_for("NIK, nomor KK, atau nama");
    tty.send("dedi kurniawan");
    tty.wait_for("DEDI KURNIAWAN");
    tty.send(F4);
    tty.wait_for("Daftarkan ke angkatan");
    tty.send(ENTER); // the cursor starts on the nearest cohort with a free seat
    tty.wait_for("Pendaftaran berhasil");
    tty.send(F6);
    tty.wait_for("Ditandai sudah diajukan");
    assert_eq!(count(&server, his), 1);
    tty.send(ENTER);
    tty.wait_for("Ketik NIK atau nomor KK");

    // Every session of the counter ends at once.
    let ended = count(
        &server,
        &format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = '{}' AND pid <> pg_backend_pid()",
            pg.name
        ),
    );
    assert!(ended >= 2, "the desk and its search worker: {ended}");
    tty.send("d");
    tty.wait_for("terputus");
    assert!(tty.screen().contains("│d "), "{}", tty.screen());
    tty.send("edi");
    tty.wait_for("1–3 dari 3 cocok");
    for name in ["DEDI FIRMANSYAH", "DEDI KURNIAWAN", "DEDI WIJAYA"] {
        tty.wait_for(name);
    }
    tty.send(" kurniawan");
    tty.wait_for("1–1 dari 1 cocok");
    // The desk's own session comes back too: his record opens with the enrollment.
    tty.send(ENTER);
    tty.wait_for("Riwayat pelatihan");
    tty.wait_for("BPJS diajukan");
    tty.send(ESC);
    tty.wait_for("F2 Daftar baru");
    tty.send(CTRL_Q);
    assert!(tty.wait_exit());
}
