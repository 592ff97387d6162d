//! One resident, one set of rules (issue 13): the same cases typed into the real register form
//! and imported as a one-row CSV are accepted or refused for the same reasons, field by field,
//! and stored identically. Each case also says what it expects, so agreeing on a wrong answer
//! fails too.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use loket::db::Connection;
use loket::db::{self, import, residents};
use loket::domain::import_row::RowProblem;
use loket::domain::resident::{FIELDS, Field, ResidentProblem};
use loket::ui::Screen;
use loket::ui::app::Ctx;
use loket::ui::screens::resident_form::{Carried, ResidentForm};
use loket::ui::text::Lang;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// What a case should come to.
#[derive(Debug)]
enum Expect {
    /// Stored, with these columns holding these values (as SQLite prints them).
    Stored(&'static [(&'static str, &'static str)]),
    /// Refused, for problems on these fields (in this order).
    Refused(&'static [Field]),
}

struct Case {
    what: &'static str,
    /// Fields that differ from [`base`]; `VILLAGE` stands for the test's desa.
    fields: &'static [(Field, &'static str)],
    expect: Expect,
}

/// Stands for the desa the test picks (one the form's type-ahead lists first by its name).
const VILLAGE: &str = "<desa>";

/// A good resident: a woman born 1 April 1990 whose NIK was issued in Gunung Kaler (36.03.32).
/// `n` makes the NIK's serial and the name unique to the case.
fn base(n: usize) -> Vec<(Field, String)> {
    vec![
        (Field::Nik, format!("360332410490{:04}", n + 1)),
        (Field::Kk, String::new()),
        (Field::Name, format!("Siti Aminah {}", case_word(n))),
        (Field::Sex, "P".into()),
        (Field::BirthPlace, "Tangerang".into()),
        (Field::BirthDate, "01-04-1990".into()),
        (Field::Address, "Kp. Sidoko No. 3".into()),
        (Field::Rt, "001".into()),
        (Field::Rw, "002".into()),
        (Field::Village, String::new()),
        (Field::Phone, "081234567890".into()),
        (Field::Education, "5".into()),
        (Field::Employment, String::new()),
        (Field::Desil, String::new()),
        (Field::DesilSource, String::new()),
        (Field::DesilAsOf, String::new()),
        (Field::Stunting, String::new()),
        (Field::Disability, String::new()),
    ]
}

/// A word per case, so that no two cases are likely duplicates of each other.
fn case_word(n: usize) -> String {
    let letters = b"bcdfghjklmnprstvwz";
    let a = letters[n % letters.len()] as char;
    let b = letters[(n / letters.len()) % letters.len()] as char;
    format!("{a}a{b}o{a}i")
}

use Expect::{Refused, Stored};

const CASES: &[Case] = &[
    Case {
        what: "the base resident",
        fields: &[],
        expect: Stored(&[
            ("sex", "P"),
            ("birth_place", "TANGERANG"),
            ("birth_date", "1990-04-01"),
            ("rt", "001"),
            ("employment", "NULL"),
            ("desil", "NULL"),
        ]),
    },
    Case {
        what: "every optional field filled",
        fields: &[
            (Field::Kk, "3603320101100001"),
            (Field::Village, VILLAGE),
            (Field::Employment, "pabrik"),
            (Field::Desil, "3"),
            (Field::DesilSource, "P3KE"),
            (Field::DesilAsOf, "2025-06-30"),
            (Field::Stunting, "ya"),
            (Field::Disability, "1"),
        ],
        expect: Stored(&[
            ("kk", "3603320101100001"),
            ("employment", "factory_worker"),
            ("desil", "3"),
            ("desil_source", "P3KE"),
            ("desil_as_of", "2025-06-30"),
            ("stunting_household", "1"),
            ("disability", "1"),
        ]),
    },
    // RT and RW are written with three digits
    Case {
        what: "RT 3",
        fields: &[(Field::Rt, "3"), (Field::Rw, "12")],
        expect: Stored(&[("rt", "003"), ("rw", "012")]),
    },
    Case {
        what: "RT 0 is no RT",
        fields: &[(Field::Rt, "0"), (Field::Rw, "-")],
        expect: Stored(&[("rt", ""), ("rw", "")]),
    },
    Case {
        what: "RT of four digits",
        fields: &[(Field::Rt, "0003")],
        expect: Refused(&[Field::Rt]),
    },
    Case {
        what: "RW with letters",
        fields: &[(Field::Rw, "2a")],
        expect: Refused(&[Field::Rw]),
    },
    // phones
    Case {
        what: "phone in groups",
        fields: &[(Field::Phone, "0812-3456 7890")],
        expect: Stored(&[("phone", "081234567890")]),
    },
    Case {
        what: "phone with country code",
        fields: &[(Field::Phone, "+62 812 3456 7890")],
        expect: Stored(&[("phone", "+6281234567890")]),
    },
    Case {
        what: "no phone",
        fields: &[(Field::Phone, "")],
        expect: Stored(&[("phone", "")]),
    },
    Case {
        what: "phone too short",
        fields: &[(Field::Phone, "0812")],
        expect: Refused(&[Field::Phone]),
    },
    Case {
        what: "phone with letters",
        fields: &[(Field::Phone, "0812345678O")],
        expect: Refused(&[Field::Phone]),
    },
    // employment: OpenSID pekerjaan codes (DOMAIN.md)
    Case {
        what: "pekerjaan 1, belum/tidak bekerja",
        fields: &[(Field::Employment, "1")],
        expect: Stored(&[("employment", "unemployed")]),
    },
    Case {
        what: "pekerjaan 2, mengurus rumah tangga",
        fields: &[(Field::Employment, "2")],
        expect: Stored(&[("employment", "NULL")]),
    },
    Case {
        what: "pekerjaan 88, wiraswasta",
        fields: &[(Field::Employment, "88")],
        expect: Stored(&[("employment", "employed")]),
    },
    Case {
        what: "pekerjaan PHK",
        fields: &[(Field::Employment, "Korban PHK")],
        expect: Stored(&[("employment", "laid_off")]),
    },
    Case {
        what: "pekerjaan 99",
        fields: &[(Field::Employment, "99")],
        expect: Refused(&[Field::Employment]),
    },
    // desil
    Case {
        what: "desil without a source is DTSEN's",
        fields: &[(Field::Desil, "10")],
        expect: Stored(&[("desil", "10"), ("desil_source", "DTSEN")]),
    },
    Case {
        what: "source without a desil is not kept",
        fields: &[
            (Field::DesilSource, "P3KE"),
            (Field::DesilAsOf, "01-01-2025"),
        ],
        expect: Stored(&[("desil_source", "NULL"), ("desil_as_of", "NULL")]),
    },
    Case {
        what: "desil 11",
        fields: &[(Field::Desil, "11")],
        expect: Refused(&[Field::Desil]),
    },
    Case {
        what: "desil 0",
        fields: &[(Field::Desil, "0")],
        expect: Refused(&[Field::Desil]),
    },
    Case {
        what: "desil as of a future day",
        fields: &[(Field::Desil, "2"), (Field::DesilAsOf, "01-01-2027")],
        expect: Refused(&[Field::DesilAsOf]),
    },
    Case {
        what: "desil as of no date",
        fields: &[(Field::Desil, "2"), (Field::DesilAsOf, "juni 2025")],
        expect: Refused(&[Field::DesilAsOf]),
    },
    // dates
    Case {
        what: "birth date written YYYY-MM-DD",
        fields: &[(Field::BirthDate, "1990-04-01")],
        expect: Stored(&[("birth_date", "1990-04-01")]),
    },
    Case {
        what: "birth date that does not exist",
        fields: &[(Field::BirthDate, "31-02-1990")],
        expect: Refused(&[Field::BirthDate]),
    },
    Case {
        what: "birth date in digits only (DDMMYYYY)",
        fields: &[(Field::BirthDate, "01041990")],
        expect: Stored(&[("birth_date", "1990-04-01")]),
    },
    Case {
        what: "birth date in digits only that does not exist",
        fields: &[(Field::BirthDate, "31021990")],
        expect: Refused(&[Field::BirthDate]),
    },
    Case {
        what: "desil as of a day June lacks",
        fields: &[(Field::Desil, "2"), (Field::DesilAsOf, "31-06-2025")],
        expect: Refused(&[Field::DesilAsOf]),
    },
    Case {
        what: "desil as of, digits only",
        fields: &[(Field::Desil, "2"), (Field::DesilAsOf, "30062025")],
        expect: Stored(&[("desil_as_of", "2025-06-30")]),
    },
    Case {
        what: "birth date missing",
        fields: &[(Field::BirthDate, "")],
        expect: Refused(&[Field::BirthDate]),
    },
    // NIK: errors, and warnings to confirm
    Case {
        what: "NIK of 14 digits",
        fields: &[(Field::Nik, "36033241049000")],
        expect: Refused(&[Field::Nik]),
    },
    Case {
        what: "temporary village NIK",
        fields: &[(Field::Nik, "0360332200100001")],
        expect: Refused(&[Field::Nik]),
    },
    Case {
        what: "NIK of an unknown kecamatan",
        fields: &[(Field::Nik, "9903324104900001")],
        expect: Refused(&[Field::Nik]),
    },
    Case {
        what: "NIK says a woman, the KTP a man",
        fields: &[(Field::Sex, "L")],
        expect: Refused(&[Field::Sex]),
    },
    Case {
        what: "NIK says another birth date",
        fields: &[(Field::BirthDate, "02-04-1990")],
        expect: Refused(&[Field::BirthDate]),
    },
    // name, sex, KK
    Case {
        what: "empty name",
        fields: &[(Field::Name, "")],
        expect: Refused(&[Field::Name]),
    },
    Case {
        what: "name of punctuation only",
        fields: &[(Field::Name, "..")],
        expect: Refused(&[Field::Name]),
    },
    Case {
        what: "sex written PR",
        fields: &[(Field::Sex, "PR")],
        expect: Stored(&[("sex", "P")]),
    },
    Case {
        what: "sex missing",
        fields: &[(Field::Sex, "")],
        expect: Refused(&[Field::Sex]),
    },
    Case {
        what: "sex unknown",
        fields: &[(Field::Sex, "X")],
        expect: Refused(&[Field::Sex]),
    },
    Case {
        what: "KK 0 is no KK",
        fields: &[(Field::Kk, "0")],
        expect: Stored(&[("kk", "NULL")]),
    },
    Case {
        what: "KK too short",
        fields: &[(Field::Kk, "360332010110")],
        expect: Refused(&[Field::Kk]),
    },
    // codes and yes/no
    Case {
        what: "education by its label",
        fields: &[(Field::Education, "SLTA/Sederajat")],
        expect: Stored(&[("education", "5")]),
    },
    Case {
        what: "education 11",
        fields: &[(Field::Education, "11")],
        expect: Refused(&[Field::Education]),
    },
    Case {
        what: "stunting neither yes nor no",
        fields: &[(Field::Stunting, "mungkin")],
        expect: Refused(&[Field::Stunting]),
    },
    Case {
        what: "several problems at once",
        fields: &[
            (Field::Rt, "12345"),
            (Field::Phone, "12"),
            (Field::Desil, "-3"),
        ],
        expect: Refused(&[Field::Rt, Field::Phone, Field::Desil]),
    },
];

/// The case's fields, with the test's desa put in.
fn fields_of(n: usize, case: &Case, village: &str) -> Vec<(Field, String)> {
    let mut fields = base(n);
    for (field, value) in case.fields {
        let value = if *value == VILLAGE { village } else { value };
        fields[field.index()].1 = value.to_string();
    }
    fields
}

/// The stored columns of the resident with this NIK, as SQLite prints them.
fn stored(conn: &Connection, nik: &str) -> Option<Vec<(String, String)>> {
    const COLUMNS: &str = "nik, kk, name, name_key, sex, birth_place, birth_date, address, rt, rw,
        village_code, phone, education, employment, desil, desil_source, desil_as_of,
        stunting_household, disability, nik_mismatch_confirmed";
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM resident WHERE nik = ?1"))
        .unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    stmt.query_row([nik], |r| {
        Ok(names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let value = match r.get::<_, loket::db::sql::Value>(i).unwrap() {
                    loket::db::sql::Value::Null => "NULL".to_string(),
                    loket::db::sql::Value::Integer(n) => n.to_string(),
                    loket::db::sql::Value::Text(t) => t,
                    other => format!("{other:?}"),
                };
                (name.clone(), value)
            })
            .collect())
    })
    .ok()
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

/// Types the case into a new register form field by field (clearing what the NIK filled in),
/// picks the desa from the type-ahead (which moves on), presses F10 and returns what the form
/// refuses.
fn through_the_form(
    ctx: &mut Ctx,
    fields: &[(Field, String)],
    village_name: &str,
) -> Vec<ResidentProblem> {
    let mut form = ResidentForm::register(ctx, Carried::Nothing);
    for (field, value) in fields {
        form.handle_key(key(KeyCode::Char('u'), KeyModifiers::CONTROL), ctx);
        let typed = if *field == Field::Village && !value.is_empty() {
            village_name
        } else {
            value
        };
        for c in typed.chars() {
            form.handle_key(key(KeyCode::Char(c), KeyModifiers::NONE), ctx);
        }
        if *field == Field::Village && !value.is_empty() {
            // picking the desa moves on to the next field
            form.handle_key(key(KeyCode::Enter, KeyModifiers::NONE), ctx);
        } else {
            form.handle_key(key(KeyCode::Tab, KeyModifiers::NONE), ctx);
        }
    }
    form.handle_key(key(KeyCode::F(10), KeyModifiers::NONE), ctx);
    form.problems().to_vec()
}

/// Imports the case as a one-row CSV with Dukcapil's column names; returns why it was refused.
fn through_the_import(
    conn: &Connection,
    dir: &Path,
    n: usize,
    fields: &[(Field, String)],
) -> Vec<ResidentProblem> {
    const HEADER: [&str; 18] = [
        "NIK",
        "NO_KK",
        "NAMA",
        "JENIS_KELAMIN",
        "TEMPAT_LAHIR",
        "TANGGAL_LAHIR",
        "ALAMAT",
        "RT",
        "RW",
        "KODE_DESA",
        "NO_HP",
        "PENDIDIKAN",
        "PEKERJAAN",
        "DESIL",
        "SUMBER_DESIL",
        "TANGGAL_DESIL",
        "STUNTING",
        "DISABILITAS",
    ];
    let path = dir.join(format!("case{n}.csv"));
    let mut csv = csv::Writer::from_path(&path).unwrap();
    csv.write_record(HEADER).unwrap();
    csv.write_record(fields.iter().map(|(_, v)| v.as_str()))
        .unwrap();
    csv.flush().unwrap();
    drop(csv);
    let actor = common::admin(conn);
    let mut source = import::open_source(&path).unwrap();
    let opts = import::ImportOptions::new(today(), path.display().to_string());
    let mut refused = Vec::new();
    let summary = import::import_residents(
        conn,
        &actor,
        source.as_mut(),
        None,
        &opts,
        &mut |_| {},
        &mut |r| refused.extend(r.problems.iter().cloned()),
    )
    .unwrap();
    assert_eq!(summary.counts.read, 1);
    refused
        .into_iter()
        .map(|p| match p {
            RowProblem::Resident(p) => p,
            other => panic!("case {n}: not a field's problem: {other:?}"),
        })
        .collect()
}

/// A desa of Gunung Kaler that the form's type-ahead lists first when its name is typed.
fn village(conn: &Connection) -> (String, String) {
    let home = db::settings::get(conn, db::settings::SettingKey::OfficeRegency).unwrap_or_default();
    let mut stmt = conn
        .prepare("SELECT code, name FROM village WHERE district_code = '36.03.32' ORDER BY code")
        .unwrap();
    let villages: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    villages
        .into_iter()
        .find(|(code, name)| {
            residents::find_villages(conn, name, &home, 8)
                .unwrap()
                .first()
                .is_some_and(|v| &v.code == code)
        })
        .expect("a desa of Gunung Kaler found first by its name")
}

#[test]
fn the_form_and_the_import_agree_on_every_field_rule() {
    let dir = tempfile::tempdir().unwrap();
    let form_conn = common::empty_db(&dir.path().join("form.sqlite"));
    let admin = common::admin(&form_conn);
    let (mut ctx, _answers) = common::ctx(form_conn, admin, Lang::Id, today());
    let import_conn = common::empty_db(&dir.path().join("import.sqlite"));
    let (village_code, village_name) = village(&ctx.conn);
    assert_eq!(FIELDS.len(), base(0).len());
    for (n, case) in CASES.iter().enumerate() {
        let fields = fields_of(n, case, &village_code);
        let nik = &fields[Field::Nik.index()].1;
        let by_form = through_the_form(&mut ctx, &fields, &village_name);
        let by_import = through_the_import(&import_conn, dir.path(), n, &fields);
        assert_eq!(by_form, by_import, "{}: the same problems", case.what);
        let form_row = stored(&ctx.conn, nik);
        let import_row = stored(&import_conn, nik);
        assert_eq!(form_row, import_row, "{}: stored identically", case.what);
        match (&case.expect, import_row) {
            (Stored(columns), Some(row)) => {
                assert!(by_import.is_empty(), "{}", case.what);
                for (column, want) in *columns {
                    let got = row
                        .iter()
                        .find(|(c, _)| c == column)
                        .map(|(_, v)| v.as_str());
                    assert_eq!(got, Some(*want), "{}: {column}", case.what);
                }
                if case.fields.iter().any(|(f, _)| *f == Field::Village) {
                    assert!(row.contains(&("village_code".into(), village_code.clone())));
                }
            }
            (Refused(fields), None) => {
                let found: Vec<Field> = by_import.iter().map(ResidentProblem::field).collect();
                assert_eq!(found, *fields, "{}: {by_import:?}", case.what);
            }
            (expect, row) => panic!(
                "{}: expected {expect:?}, got {row:?} / {by_import:?}",
                case.what
            ),
        }
    }
}
