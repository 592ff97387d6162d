//! End to end: the real binary in a pseudo-terminal on a temporary demo database, used as a
//! clerk would (`common::tty`). Waits until the screen shows the expected text (never fixed
//! sleeps), with a generous overall deadline.

mod common;

use std::path::Path;

use common::tty::{CTRL_Q, CTRL_U, ENTER, ESC, F2, F4, F10, TAB, Tty};
use loket::domain::nik::format_nik;
use loket::domain::search_query::mask_showing;

fn count(db: &Path, sql: &str) -> i64 {
    let conn = common::store::connect(db);
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn clerk_finds_registers_and_finds_again() {
    let (_demo, db) = common::store::demo("e2e.sqlite");
    let nik: String = common::store::connect(&db)
        .query_row("SELECT nik FROM resident ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let residents = count(&db, "SELECT count(*) FROM resident");

    let mut tty = Tty::start(&db);
    tty.wait_for("NIK, nomor KK, atau nama");

    // 1. find a resident by NIK prefix and open them: the full NIK shows only there
    tty.send(&nik[..10]);
    tty.wait_for(&mask_showing(&nik, &nik[..10])); // the typed digits show
    tty.send(ENTER);
    tty.wait_for(&format_nik(&nik));
    tty.wait_for("Riwayat pelatihan");
    tty.send(ESC);
    tty.wait_for("cocok");
    tty.send(ESC); // clears the search
    tty.wait_for("Ketik NIK atau nomor KK");

    // 2. register: first an impossible NIK (day 32): the error shows, nothing is saved
    tty.send(F2);
    tty.wait_for("Daftar penduduk baru");
    tty.send("3603023205900001");
    tty.wait_for("Tanggal lahir di NIK tidak mungkin");
    tty.send(TAB);
    tty.send(TAB);
    tty.send("Muhammad Rizki");
    tty.send(F10);
    tty.wait_for("Belum tersimpan");
    assert_eq!(count(&db, "SELECT count(*) FROM resident"), residents);

    // then a valid NIK (Jayanti, born 18-05-1990, male) whose date disagrees with the KTP
    // (focus went back to the NIK, the first field in error)
    tty.send(CTRL_U);
    tty.send("3603021805900001");
    tty.wait_for("Kec. Jayanti");
    tty.wait_for("18-05-1990"); // filled from the NIK
    for _ in 0..5 {
        tty.send(TAB); // KK, name, sex, birth place, birth date
    }
    tty.send(CTRL_U);
    tty.send("17-05-1990");
    tty.wait_for("Perlu konfirmasi");
    for _ in 0..4 {
        tty.send(TAB); // address, RT, RW, village
    }
    tty.send("pasir gintung");
    tty.wait_for("Pilih desa");
    tty.send(ENTER);
    tty.wait_for("Kec. Jayanti, Kabupaten Tangerang");
    tty.send(F10);
    tty.wait_for("NIK berbeda dengan KTP");
    tty.send(ENTER);
    tty.wait_for("Data penduduk");
    tty.wait_for("3603 0218 0590 0001");
    assert_eq!(count(&db, "SELECT count(*) FROM resident"), residents + 1);
    assert_eq!(
        count(
            &db,
            "SELECT nik_mismatch_confirmed FROM resident WHERE nik = '3603021805900001'"
        ),
        1
    );

    // 3. find them again by a misspelled name
    tty.send(ESC);
    tty.wait_for("Cari penduduk");
    tty.send("moch rizky");
    tty.wait_for("MUHAMMAD RIZKI");
    tty.wait_for("3603 02•• •••• 0001");

    // 4. enroll the new resident (found by NIK) into the open Pangkas Rambut cohort: the seats
    // left drop by one
    let seats_sql = "SELECT c.capacity - (SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'enrolled')
         FROM cohort c JOIN course k ON k.id = c.course_id WHERE k.code = 'PRB' AND c.status = 'open'";
    let seats = count(&db, seats_sql);
    assert!(seats > 0);
    // the picker says the seats left on the cohort's second row: "sisa N dari CAPACITY"
    let seats_shown = |n: i64| move |screen: &str| screen.contains(&format!("sisa {n} dari"));
    tty.send(ESC);
    tty.wait_for("Ketik NIK atau nomor KK");
    tty.send("3603021805900001");
    tty.wait_for("3603 0218 0590 0001"); // every digit typed
    tty.send(F4);
    tty.wait_for("Daftarkan ke angkatan");
    tty.send("pangkas");
    tty.wait_until("seats before", seats_shown(seats));
    tty.send(ENTER);
    tty.wait_for("Pendaftaran berhasil");
    tty.wait_for("JKK + JKM");
    // Enter ends the walk-in: an empty search for the next resident
    tty.send(ENTER);
    tty.wait_for("Ketik NIK atau nomor KK");
    assert_eq!(count(&db, seats_sql), seats - 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM enrollment e JOIN resident r ON r.id = e.resident_id
             JOIN coverage v ON v.enrollment_id = e.id
             WHERE r.nik = '3603021805900001' AND e.status = 'enrolled' AND v.jkk = 1 AND v.jkm = 1"
        ),
        1
    );

    tty.send(CTRL_Q);
    assert!(tty.wait_exit());
}
