//! At the desk (issue 15): a picker that tells the truth, work that is never lost or hidden, a
//! form that flows, and what a clerk does for a walk-in (withdraw, BPJS submitted, the family,
//! the residents opened last, lock and switch operator). The App on real demo databases,
//! driven key by key, read back at 80x24 and wider (insta snapshots).

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::desk::Desk;
use crossterm::event::KeyCode;
use loket::db::cohorts::{self, CohortFilter, NewCohort};
use loket::db::enrollment;
use loket::db::sql::{Connection, params};
use loket::domain::cohort::{CohortStatus, Funding, LocationKind};
use loket::domain::enrollment::{EnrollmentStatus, Prospect};
use loket::domain::nik::mask_nik;

fn today() -> NaiveDate {
    common::date(2026, 2, 2)
}

/// The demo with 300 residents on these tests' today, closed, in its own directory.
fn demo_db() -> (tempfile::TempDir, PathBuf) {
    common::demo_file(today())
}

/// A resident inserted as the tests need one: a man of Kosambi (36.03.04) born on `birth`.
fn resident(conn: &Connection, serial: u32, name: &str, birth: NaiveDate, desil: u8) -> i64 {
    let village: String = conn
        .query_row(
            "SELECT village_code FROM venue WHERE code = 'BLK-KSB'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let nik = format!("360304{}{:04}", birth.format("%d%m%y"), serial);
    conn.insert_returning_id(
        "INSERT INTO resident (nik, kk, name, name_key, sex, birth_date, address, rt, rw, village_code, desil, created_at, updated_at)
         VALUES (?1, '3603041212120001', ?2, ?3, 'L', ?4, 'Kp. Kosambi No. 9', '004', '002', ?5, ?6,
                 '2026-01-01 08:00:00', '2026-01-01 08:00:00')
         RETURNING id",
        params![nik, name, loket::domain::name_key(name), birth, village, desil],
    )
    .unwrap()
}

/// Opens a Tata Boga cohort at BLK Jayanti starting on `start`.
fn open_cohort(conn: &Connection, code: &str, start: NaiveDate) -> i64 {
    let admin = common::admin(conn);
    let new = NewCohort {
        code: code.into(),
        course_code: "TBG".into(),
        venue_code: "BLK-JYT".into(),
        location_kind: LocationKind::Venue,
        location_name: String::new(),
        location_village_code: None,
        start,
        working_days: None,
        capacity: Some(16),
        min_participants: Some(1),
        daily_hours: None,
        instructor_id: None,
        funding: Funding::Apbd,
        target_groups: String::new(),
    };
    let row = cohorts::create(conn, &admin, &new, today()).unwrap();
    cohorts::transition(conn, &admin, row.id, CohortStatus::Open, None, today()).unwrap();
    row.id
}

/// A resident for whom the picker has every answer: born 1 March 1980, so 45 in February and
/// 46 from March (the demo's March cohorts take at most 45), enrolled in a cohort of late April
/// (which he is then in) that a May cohort overlaps, while the demo's Tata Busana is full.
fn every_answer(conn: &Connection, serial: u32, name: &str) -> i64 {
    let id = resident(conn, serial, name, common::date(1980, 3, 1), 3);
    let april = open_cohort(conn, "2026-TBG-APR", common::date(2026, 4, 27));
    open_cohort(conn, "2026-TBG-MEI", common::date(2026, 5, 4));
    let clerk = common::actor(conn, "sari");
    enrollment::enroll(conn, &clerk, id, april).unwrap();
    id
}

fn open_cohorts(conn: &Connection) -> Vec<cohorts::CohortRow> {
    cohorts::list(
        conn,
        &CohortFilter {
            status: Some(CohortStatus::Open),
            limit: 0,
        },
    )
    .unwrap()
}

/// The screen's words in order, frame lines and wrapping gone (for sentences that wrap).
fn words(screen: &str) -> String {
    screen
        .replace(['│', '┌', '┐', '└', '┘', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn count(path: &Path, sql: &str) -> i64 {
    common::count(&common::store::connect(path), sql)
}

/// The desk with the search for `query` answered.
fn desk_with(path: &Path, query: &str) -> Desk {
    let mut desk = Desk::on(path, "sari", today());
    desk.type_text(query);
    desk.settle();
    desk
}

// ---- A picker that tells the truth ----

/// What the picker says of every open cohort is what enrolling then does: a seat, the waitlist
/// at the place it said, or the refusal it named. Each cohort is tried on its own copy.
#[test]
fn every_prospect_is_what_enrolling_does() {
    let (dir, path) = demo_db();
    let conn = common::store::open(&path);
    let id = every_answer(&conn, 11, "AGUS PRASETYO");
    let clerk = common::actor(&conn, "sari");
    let rows = open_cohorts(&conn);
    let prospects = enrollment::prospects(&conn, id, &rows).unwrap();
    drop(conn);
    let mut kinds = Vec::new();
    for (n, (cohort, prospect)) in rows.iter().zip(&prospects).enumerate() {
        let copy = dir.path().join(format!("copy{n}.sqlite"));
        common::store::copy(&path, &copy);
        let conn = common::store::open(&copy);
        let got = enrollment::enroll(&conn, &clerk, id, cohort.id);
        let kind = match (prospect, got) {
            (Prospect::Seat { .. }, Ok(o)) => {
                assert_eq!(o.status, EnrollmentStatus::Enrolled);
                "seat"
            }
            (Prospect::Waitlist { position }, Ok(o)) => {
                assert_eq!(o.status, EnrollmentStatus::Waitlisted);
                assert_eq!(o.position, Some(*position), "{}", cohort.code);
                "waitlist"
            }
            (Prospect::Refused(said), Err(enrollment::EnrollError::Refused(did))) => {
                assert_eq!(*said, did, "{}", cohort.code);
                did.code()
            }
            (said, did) => panic!("{}: said {said:?}, did {did:?}", cohort.code),
        };
        kinds.push(kind);
    }
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "already_in_cohort",
            "overlapping_dates",
            "seat",
            "too_old",
            "waitlist"
        ],
        "{prospects:?}"
    );
}

/// The picker for that resident: each row says seat, waitlist place, or why not, with the
/// cohort code; refused rows are dimmed; the cursor starts on the nearest free seat.
#[test]
fn picker_rows_say_seat_waitlist_or_why_not() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    every_answer(&conn, 12, "BAMBANG SUTRISNO");
    drop(conn);
    let mut desk = desk_with(&path, "bambang sutrisno");
    desk.key(KeyCode::F(4));
    let narrow = desk.render();
    insta::assert_snapshot!("picker_80x24", narrow);
    for said in [
        "sudah peserta",
        "umur 46, maks. 45",
        "akan urutan ke-",
        "2026-TBS-BLK-JYT-07",
    ] {
        assert!(narrow.contains(said), "{said}:\n{narrow}");
    }
    let wide = desk.render_at(160, 30);
    insta::assert_snapshot!("picker_160x30", wide);
    assert!(wide.contains("bentrok 2026-TBG-APR"), "{wide}");
    assert!(wide.contains("Otomotif Service Sepeda Motor"), "{wide}");
    // the cursor is on the first row with a free seat; refused rows are dimmed
    let buffer = render_buffer(&mut desk, 80, 24);
    let styled_row = |y: u16, modifier| (1..79).all(|x| buffer[(x, y)].modifier.contains(modifier));
    let reversed: Vec<u16> = (0..24)
        .filter(|&y| styled_row(y, ratatui::style::Modifier::REVERSED))
        .collect();
    let first_seat = narrow
        .lines()
        .position(|l| l.contains("✓ Ada kursi"))
        .unwrap() as u16;
    assert_eq!(reversed.first(), Some(&first_seat), "{narrow}");
    let refused = narrow
        .lines()
        .position(|l| l.contains("✗ Tidak bisa"))
        .unwrap() as u16;
    assert_eq!(buffer[(2, refused)].fg, ratatui::style::Color::DarkGray);
}

/// The buffer of the app at `width` x `height` (styles included).
fn render_buffer(desk: &mut Desk, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| desk.app.render(f)).unwrap();
    terminal.backend().buffer().clone()
}

/// Enter on a full cohort asks "Masuk daftar tunggu urutan ke-N?" first; Esc writes nothing,
/// Enter waitlists at that place.
#[test]
fn a_full_cohort_asks_before_waitlisting() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    resident(&conn, 13, "CAHYO NUGROHO", common::date(1995, 6, 1), 3);
    drop(conn);
    let before = count(&path, "SELECT count(*) FROM enrollment");
    let mut desk = desk_with(&path, "cahyo nugroho");
    desk.key(KeyCode::F(4));
    desk.type_text("busana");
    let picker = desk.render();
    let position: u32 = picker
        .split("akan urutan ke-")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no waitlist place shown:\n{picker}"));
    desk.key(KeyCode::Enter);
    let question = desk.render();
    insta::assert_snapshot!("waitlist_question", question);
    assert!(
        question.contains(&format!("Masuk daftar tunggu urutan ke-{position}?")),
        "{question}"
    );
    desk.key(KeyCode::Esc);
    assert_eq!(count(&path, "SELECT count(*) FROM enrollment"), before);
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    let done = desk.render();
    assert!(
        words(&done).contains(&format!("urutan ke-{position}.")),
        "{done}"
    );
    assert_eq!(count(&path, "SELECT count(*) FROM enrollment"), before + 1);
}

/// A known resident, a free seat, coverage flagged, back at an empty search: F4, Enter, Enter.
#[test]
fn a_walk_in_enrolls_in_three_keys_and_ends_at_an_empty_search() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    resident(&conn, 14, "DEDI KURNIAWAN", common::date(1995, 6, 1), 3);
    drop(conn);
    let mut desk = desk_with(&path, "dedi kurniawan");
    desk.key(KeyCode::F(4));
    desk.key(KeyCode::Enter);
    let done = desk.render();
    assert!(
        done.contains("Pendaftaran berhasil") && done.contains("JKK + JKM"),
        "{done}"
    );
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.depth(), 1);
    assert!(desk.render().contains("Ketik NIK atau nomor KK"));
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM enrollment e JOIN resident r ON r.id = e.resident_id
             JOIN coverage v ON v.enrollment_id = e.id
             WHERE r.name = 'DEDI KURNIAWAN' AND e.status = 'enrolled' AND v.jkk = 1 AND v.jkm = 1"
        ),
        1
    );
}

/// F6 on the confirmation marks the coverage submitted; Esc goes back to the resident list.
#[test]
fn the_confirmation_marks_coverage_submitted() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    resident(&conn, 15, "EKO SAPUTRA", common::date(1995, 6, 1), 3);
    drop(conn);
    let mut desk = desk_with(&path, "eko saputra");
    desk.key(KeyCode::F(4));
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::F(6));
    let submitted = desk.render();
    insta::assert_snapshot!("confirmation_submitted", submitted);
    assert!(submitted.contains("diajukan"), "{submitted}");
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.depth(), 1);
    let list = desk.settle();
    assert!(
        list.contains("EKO SAPUTRA") && list.contains("P…"),
        "{list}"
    );
}

// ---- Never lose or hide work ----

#[test]
fn ctrl_q_with_a_half_filled_form_asks_and_keeps_it() {
    let (_dir, path) = demo_db();
    let mut desk = Desk::on(&path, "sari", today());
    // nothing typed: Ctrl-Q quits at once
    desk.key(KeyCode::F(2));
    desk.ctrl('q');
    assert!(desk.app.quit);
    let mut desk = Desk::on(&path, "sari", today());
    desk.key(KeyCode::F(2));
    desk.type_text("3603020101900001");
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    desk.type_text("Fajar Nugraha");
    desk.ctrl('q');
    assert!(!desk.app.quit);
    let asked = desk.render();
    insta::assert_snapshot!("quit_question", asked);
    assert!(asked.contains("Keluar dari loket?"), "{asked}");
    desk.key(KeyCode::Esc);
    let kept = desk.render();
    assert!(
        kept.contains("Fajar Nugraha") && kept.contains("3603020101900001"),
        "{kept}"
    );
    // through the menu too: the form is under it
    desk.key(KeyCode::F(9));
    desk.ctrl('q');
    assert!(desk.render().contains("Keluar dari loket?"));
    desk.ctrl('q');
    assert!(desk.app.quit, "Ctrl-Q on the question is yes");
}

#[test]
fn q_goes_back_and_never_quits() {
    let (_dir, path) = demo_db();
    let mut desk = desk_with(&path, "a");
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.depth(), 2);
    desk.key(KeyCode::Char('q'));
    assert_eq!(desk.app.depth(), 1);
    assert!(!desk.app.quit);
    desk.key(KeyCode::F(9));
    desk.key(KeyCode::Char('q'));
    assert_eq!(desk.app.depth(), 1);
    assert!(!desk.app.quit);
    // in the search field q is a letter
    desk.type_text("q");
    assert!(desk.render().contains("aq"));
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    resident(&conn, 16, "GILANG RAMADHAN", common::date(1995, 6, 1), 3);
    drop(conn);
    let mut desk = desk_with(&path, "gilang ramadhan");
    let enrollments = count(&path, "SELECT count(*) FROM enrollment");
    let small = desk.render_at(70, 20);
    assert!(small.contains("Terminal terlalu kecil"), "{small}");
    for code in [
        KeyCode::F(4),
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::F(2),
        KeyCode::Esc,
    ] {
        desk.key(code);
    }
    desk.type_text("x");
    assert_eq!(desk.app.depth(), 1);
    assert_eq!(count(&path, "SELECT count(*) FROM enrollment"), enrollments);
    // back at 80x24 the search is as it was
    let back = desk.render();
    assert!(
        back.contains("gilang ramadhan") && back.contains("GILANG RAMADHAN"),
        "{back}"
    );
    // with typed work, Ctrl-Q still asks, on the small screen
    desk.key(KeyCode::F(2));
    desk.type_text("3603020101900001");
    desk.render_at(60, 20);
    desk.ctrl('q');
    let asked = desk.render_at(60, 20);
    assert!(asked.contains("akan hilang"), "{asked}");
    assert!(!desk.app.quit);
    desk.key(KeyCode::Esc);
    assert!(!desk.app.quit);
    desk.ctrl('q');
    desk.key(KeyCode::Enter);
    assert!(desk.app.quit);
}

// ---- A form that flows ----

#[test]
fn enter_moves_on_and_the_last_enter_saves() {
    let (_dir, path) = demo_db();
    let mut desk = desk_with(&path, "hendra wijaya");
    desk.key(KeyCode::F(2));
    desk.type_text("3603021805900001");
    desk.key(KeyCode::Enter); // KK
    desk.key(KeyCode::Enter); // name (carried)
    desk.key(KeyCode::Enter); // sex (from the NIK)
    desk.key(KeyCode::Enter); // birth place
    desk.type_text("tangerang");
    desk.key(KeyCode::Enter); // birth date (from the NIK)
    desk.key(KeyCode::Enter); // address
    desk.type_text("Kp. Baru No. 2");
    desk.key(KeyCode::Enter);
    desk.type_text("1");
    desk.key(KeyCode::Enter);
    desk.type_text("2");
    desk.key(KeyCode::Enter); // desa: picking moves on to the phone
    desk.type_text("pasir gintung");
    let picking = desk.render();
    assert!(picking.contains("Pilih desa"), "{picking}");
    desk.key(KeyCode::Enter);
    desk.type_text("081234567890");
    let form = desk.render();
    assert!(form.contains("Kec. Jayanti"), "{form}");
    assert!(form.contains("081234567890"), "{form}");
    for _ in 0..7 {
        desk.key(KeyCode::Enter); // education .. disability
    }
    assert!(desk.render().contains("Registrasi") || desk.app.depth() == 2);
    desk.key(KeyCode::Enter); // last field: saves
    let saved = desk.render();
    assert!(
        saved.contains("Data penduduk") && saved.contains("HENDRA WIJAYA"),
        "{saved}"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM resident WHERE name = 'HENDRA WIJAYA' AND phone = '081234567890' AND rt = '001'"
        ),
        1
    );
}

#[test]
fn a_registered_nik_is_told_at_its_16th_digit_and_enter_opens_the_holder() {
    let (_dir, path) = demo_db();
    let conn = common::store::connect(&path);
    let (nik, name): (String, String) = conn
        .query_row(
            "SELECT nik, name FROM resident ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut desk = Desk::on(&path, "sari", today());
    desk.key(KeyCode::F(2));
    desk.type_text(&nik[..15]);
    assert!(!desk.render().contains("sudah terdaftar"));
    desk.type_text(&nik[15..]);
    let told = desk.render();
    insta::assert_snapshot!("nik_registered", told);
    assert!(
        told.contains(&format!("NIK ini sudah terdaftar atas nama {name}")),
        "{told}"
    );
    desk.key(KeyCode::Enter);
    let holder = desk.render();
    assert!(
        holder.contains("Data penduduk") && holder.contains(&name),
        "{holder}"
    );
}

#[test]
fn dates_impossible_digits_only_and_the_first_bad_field_named() {
    let (_dir, path) = demo_db();
    let mut desk = Desk::on(&path, "sari", today());
    desk.key(KeyCode::F(2));
    for _ in 0..5 {
        desk.key(KeyCode::Tab);
    }
    desk.type_text("31-02-2001");
    let impossible = desk.render();
    assert!(
        impossible.contains("Tanggal 31 tidak ada: Februari 2001 hanya sampai tanggal 28"),
        "{impossible}"
    );
    desk.ctrl('u');
    desk.type_text("17081990");
    assert!(
        desk.render().contains("tahun"),
        "digits only read as 17-08-1990"
    );
    desk.key(KeyCode::F(10));
    let refused = desk.render();
    insta::assert_snapshot!("form_refused_names_the_field", refused);
    assert!(
        refused.contains("Belum tersimpan. NIK: NIK wajib diisi (16 angka dari KTP)"),
        "{refused}"
    );
}

#[test]
fn a_long_message_is_whole_at_80x24() {
    let (_dir, path) = demo_db();
    let mut desk = Desk::on(&path, "sari", today());
    desk.key(KeyCode::F(2));
    desk.type_text("3603023205900001");
    let screen = desk.render();
    insta::assert_snapshot!("form_whole_message", screen);
    let text: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(
            "periksa angka ke-7 sampai ke-12 dengan KTP (untuk perempuan tanggal ditambah 40)"
        ),
        "{screen}"
    );
}

#[test]
fn f2_after_a_kk_search_starts_a_family_member() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    resident(&conn, 17, "HADI SUSANTO", common::date(1980, 6, 1), 3);
    drop(conn);
    let mut desk = desk_with(&path, "3603041212120001");
    assert!(desk.render().contains("HADI SUSANTO"));
    desk.key(KeyCode::F(2));
    let form = desk.render();
    insta::assert_snapshot!("family_member_from_kk_search", form);
    let line = |label: &str| {
        form.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line(" No. KK").contains("3603041212120001"), "{form}");
    assert!(!line(" NIK").contains("3603041212120001"), "{form}");
    assert!(line(" Alamat").contains("Kp. Kosambi No. 9"), "{form}");
    assert!(
        line(" RT").contains("004") && line(" RW").contains("002"),
        "{form}"
    );
    assert!(
        line(" Desa/Kelurahan").len() > " Desa/Kelurahan".len() + 20,
        "{form}"
    );
}

// ---- At the desk ----

/// Opens the resident screen of `name` from the search.
fn resident_screen(path: &Path, name: &str) -> Desk {
    let mut desk = desk_with(path, &name.to_lowercase());
    desk.key(KeyCode::Enter);
    assert!(desk.render().contains("Data penduduk"));
    desk
}

#[test]
fn withdraw_from_the_resident_screen_shows_who_was_promoted() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    let id = resident(&conn, 18, "IWAN SETIAWAN", common::date(1990, 6, 1), 3);
    let clerk = common::actor(&conn, "sari");
    // a full cohort with a waitlist: take a seat from someone who withdraws first
    let full = open_cohorts(&conn)
        .into_iter()
        .find(|c| c.waitlisted > 0 && c.seats_left() == 0)
        .expect("the demo has a full cohort with a waitlist");
    let seated: i64 = conn
        .query_row(
            "SELECT resident_id FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' LIMIT 1",
            [full.id],
            |r| r.get(0),
        )
        .unwrap();
    enrollment::withdraw(&conn, &clerk, seated, full.id, None).unwrap();
    // the promoted one leaves the waitlist one shorter; now our man takes the freed seat? No:
    // the head was promoted. Withdraw one more and enroll him: he gets the seat.
    let head = enrollment::waitlist(&conn, full.id).unwrap();
    for w in &head {
        enrollment::withdraw(&conn, &clerk, w.resident_id, full.id, None).unwrap();
    }
    let seated_again: i64 = conn
        .query_row(
            "SELECT resident_id FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' LIMIT 1",
            [full.id],
            |r| r.get(0),
        )
        .unwrap();
    enrollment::withdraw(&conn, &clerk, seated_again, full.id, None).unwrap();
    let o = enrollment::enroll(&conn, &clerk, id, full.id).unwrap();
    assert_eq!(o.status, EnrollmentStatus::Enrolled);
    let waiting = resident(&conn, 19, "JOKO SANTOSO", common::date(1991, 6, 1), 1);
    let o = enrollment::enroll(&conn, &clerk, waiting, full.id).unwrap();
    assert_eq!(o.status, EnrollmentStatus::Waitlisted);
    drop(conn);
    let mut desk = resident_screen(&path, "IWAN SETIAWAN");
    desk.key(KeyCode::F(5));
    desk.type_text("pindah kerja");
    desk.key(KeyCode::Enter);
    let question = desk.render();
    insta::assert_snapshot!("withdraw_question", question);
    assert!(question.contains("JOKO SANTOSO"), "{question}");
    desk.key(KeyCode::Enter);
    let done = desk.render();
    insta::assert_snapshot!("withdrawn", done);
    assert!(
        done.contains("Kursinya diberikan ke JOKO SANTOSO"),
        "{done}"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM enrollment e JOIN resident r ON r.id = e.resident_id WHERE r.name = 'JOKO SANTOSO' AND e.status = 'enrolled'"
        ),
        1
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM enrollment WHERE withdraw_reason = 'pindah kerja'"
        ),
        1
    );
}

#[test]
fn coverage_submitted_family_opened_and_a_new_member_prefilled() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    let id = resident(&conn, 20, "KURNIA ADI", common::date(1990, 6, 1), 3);
    resident(&conn, 21, "LINDA ADI", common::date(1993, 2, 1), 3);
    let clerk = common::actor(&conn, "sari");
    let cohort = open_cohorts(&conn)
        .into_iter()
        .find(|c| c.seats_left() > 0)
        .unwrap();
    enrollment::enroll(&conn, &clerk, id, cohort.id).unwrap();
    drop(conn);
    let mut desk = resident_screen(&path, "KURNIA ADI");
    desk.key(KeyCode::F(6));
    let submitted = desk.render();
    insta::assert_snapshot!("resident_submitted", submitted);
    assert!(
        words(&submitted).contains("ditandai sudah diajukan"),
        "{submitted}"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM coverage v JOIN enrollment e ON e.id = v.enrollment_id
             JOIN resident r ON r.id = e.resident_id WHERE r.name = 'KURNIA ADI' AND v.status = 'submitted'"
        ),
        1
    );
    // the family row: ↓ past the history, Enter opens the member (a view, audited)
    desk.key(KeyCode::Down);
    desk.key(KeyCode::Enter);
    let member = desk.render();
    assert!(
        member.contains("LINDA ADI") && member.contains("Data penduduk"),
        "{member}"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log a JOIN resident r ON a.entity_id = CAST(r.id AS TEXT) WHERE a.action = 'view_nik' AND r.name = 'LINDA ADI'"
        ),
        1
    );
    desk.key(KeyCode::Esc);
    // F2: a new member starts with the family's KK, address, RT/RW and desa
    desk.key(KeyCode::F(2));
    let form = desk.render();
    assert!(
        form.contains("3603041212120001") && form.contains("Kp. Kosambi No. 9"),
        "{form}"
    );
    // nothing typed yet: Esc leaves without asking
    desk.key(KeyCode::Esc);
    assert!(desk.render().contains("KURNIA ADI"));
}

#[test]
fn recently_opened_residents_are_one_key_from_the_search() {
    let (_dir, path) = demo_db();
    let conn = common::store::connect(&path);
    let names: Vec<(String, String)> = conn
        .prepare("SELECT name, nik FROM resident ORDER BY id LIMIT 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(conn);
    let mut desk = Desk::on(&path, "sari", today());
    for (_, nik) in &names {
        desk.type_text(nik);
        desk.settle();
        desk.key(KeyCode::Enter);
        desk.key(KeyCode::Esc);
        desk.key(KeyCode::Esc);
    }
    desk.key(KeyCode::F(3));
    let recent = desk.render();
    insta::assert_snapshot!("recent", recent);
    let first = recent.find(&names[1].0).unwrap();
    let second = recent.find(&names[0].0).unwrap();
    assert!(first < second, "newest first:\n{recent}");
    assert!(recent.contains(&mask_nik(&names[1].1)) && !recent.contains(&names[1].1));
    desk.key(KeyCode::Enter);
    assert!(desk.render().contains(&names[1].0));
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'view_nik'"
        ),
        3
    );
    // another operator has their own list
    let mut other = Desk::on(&path, "admin", today());
    other.key(KeyCode::F(3));
    assert!(other.render().contains("belum membuka"));
}

#[test]
fn the_menu_locks_the_screen_and_switches_operator() {
    let (_dir, path) = demo_db();
    let mut desk = Desk::on(&path, "sari", today());
    desk.key(KeyCode::F(9));
    let menu = desk.render();
    assert!(
        menu.contains("Kunci layar") && menu.contains("Ganti operator"),
        "{menu}"
    );
    let row = |menu: &str, label: &str| {
        menu.lines()
            .find(|l| l.contains(label))
            .and_then(|l| l.split_whitespace().find_map(|w| w.parse::<u32>().ok()))
            .unwrap()
    };
    let lock = row(&menu, "Kunci layar");
    desk.type_text(&lock.to_string());
    assert!(
        desk.render().contains("Layar terkunci"),
        "{}",
        desk.render()
    );
    desk.key(KeyCode::Enter); // sari has no password (demo)
    assert_eq!(desk.app.depth(), 1);
    // with a half-filled form, switching operator asks first
    desk.key(KeyCode::F(2));
    desk.type_text("3603");
    desk.key(KeyCode::F(9));
    let switch = row(&desk.render(), "Ganti operator");
    desk.type_text(&switch.to_string());
    assert!(desk.render().contains("Ganti operator?"));
    desk.key(KeyCode::Enter);
    let login = desk.render();
    insta::assert_snapshot!("switched_to_login", login);
    assert!(login.contains("Masuk") && desk.app.depth() == 1, "{login}");
    assert_eq!(desk.app.ctx.actor.id, 0);
}
