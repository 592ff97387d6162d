//! loket's schema on PostgreSQL (issue 18) against the SQLite one it mirrors: every table and
//! column in the same order with the same NOT NULLs, the same rules refusing the same bad rows,
//! the audit trail append-only, a second migration a no-op (also when two connections race to
//! make it) and a newer schema refused. Runs when `LOKET_TEST_PG` names a server (`.ci/run`
//! starts one); skipped with a note otherwise.

mod common;

use std::collections::BTreeMap;

use common::pg::PgDatabase;
use loket::db::pg_schema::{self, POSTGRES_SCHEMA_VERSION};
use loket::db::sql::Connection;
use loket::db::{DbError, SCHEMA_VERSION};

fn server() -> Option<String> {
    common::pg::url("pg_schema")
}

/// A fresh PostgreSQL database with loket's schema.
fn migrated(url: &str) -> (PgDatabase, Connection) {
    let db = PgDatabase::create(url);
    let conn = db.connect();
    pg_schema::migrate(&conn).expect("migrate");
    (db, conn)
}

/// Table -> its columns in order, each with whether it is NOT NULL.
type Columns = BTreeMap<String, Vec<(String, bool)>>;

fn sqlite_columns() -> Columns {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::sqlite_empty_db(&dir.path().join("a.sqlite"));
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             AND name NOT LIKE '%fts%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let columns = conn
                .prepare("SELECT name, \"notnull\" OR pk FROM pragma_table_info(?1) ORDER BY cid")
                .unwrap()
                .query_map([&t], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (t, columns)
        })
        .collect()
}

fn postgres_columns(conn: &Connection) -> Columns {
    let mut out = Columns::new();
    let mut stmt = conn
        .prepare(
            "SELECT table_name, column_name, is_nullable = 'NO' FROM information_schema.columns
             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })
        .unwrap();
    for row in rows {
        let (table, column, not_null) = row.unwrap();
        out.entry(table).or_default().push((column, not_null));
    }
    out
}

#[test]
fn the_postgresql_schema_has_every_sqlite_table_and_column_in_order() {
    assert_eq!(POSTGRES_SCHEMA_VERSION, SCHEMA_VERSION);
    let Some(url) = server() else { return };
    let (_db, conn) = migrated(&url);
    let sqlite = sqlite_columns();
    let postgres = postgres_columns(&conn);
    assert!(sqlite.len() >= 17, "{:?}", sqlite.keys());
    assert_eq!(
        postgres.keys().collect::<Vec<_>>(),
        sqlite.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, columns) in &sqlite {
        assert_eq!(
            &postgres[table], columns,
            "{table}: columns, order, NOT NULL"
        );
    }
    assert_eq!(
        pg_schema::version(&conn).unwrap(),
        Some(POSTGRES_SCHEMA_VERSION)
    );
}

#[test]
fn postgresql_refuses_the_rows_sqlite_refuses() {
    let Some(url) = server() else { return };
    let (_db, conn) = migrated(&url);
    let resident = |nik: &str, birth: &str| {
        conn.execute(
            "INSERT INTO resident (nik, name, name_key, sex, birth_date, created_at, updated_at)
             VALUES (?1, 'SITI', 'siti', 'P', ?2, '2026-12-03 10:00:00', '2026-12-03 10:00:00')",
            [nik, birth],
        )
    };
    resident("3603015508900001", "1990-08-15").expect("a good row");
    for (nik, birth, why) in [
        ("0603015508900002", "1990-08-15", "a NIK starting with 0"),
        ("360301550890000", "1990-08-15", "15 digits"),
        ("36030155089000a1", "1990-08-15", "a letter"),
        ("3603015508900003", "1990-02-31", "31 February"),
        ("3603015508900001", "1990-08-15", "a NIK already there"),
    ] {
        assert!(resident(nik, birth).is_err(), "{why}");
    }
    let cohort_dates = conn.execute_batch(
        "INSERT INTO province VALUES ('36', 'BANTEN');
         INSERT INTO regency VALUES ('36.03', '36', 'KAB. TANGERANG');
         INSERT INTO course (code, name, category, working_days, capacity, min_participants, min_age, max_age)
             VALUES ('LAS', 'Las', 'teknik', 20, 16, 8, 17, 45);
         INSERT INTO venue (code, name, kind) VALUES ('BLK1', 'BLK', 'blk');
         INSERT INTO cohort (code, course_id, venue_id, start_date, working_days, end_date, capacity,
                             min_participants, funding, created_at, updated_at)
             VALUES ('C1', 1, 1, '2027-01-10', 20, '2027-01-09', 16, 8, 'apbd', 'x', 'x');",
    );
    assert!(cohort_dates.is_err(), "a cohort ending before it starts");
}

#[test]
fn the_audit_trail_is_append_only_on_postgresql() {
    let Some(url) = server() else { return };
    let (_db, conn) = migrated(&url);
    conn.execute(
        "INSERT INTO audit_log (at, operator_name, action, entity) VALUES ('2026-12-03 10:00:00', 'admin', 'login', 'operator')",
        [],
    )
    .unwrap();
    for sql in [
        "UPDATE audit_log SET operator_name = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let refused = conn.execute_batch(sql).expect_err(sql);
        assert!(
            refused.to_string().contains("append-only"),
            "{sql}: {refused}"
        );
    }
    let kept: String = conn
        .query_row("SELECT operator_name FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "admin");
}

#[test]
fn a_second_migration_changes_nothing_and_a_newer_schema_is_refused() {
    let Some(url) = server() else { return };
    let db = PgDatabase::create(&url);
    // two counters opening an empty database at the same time
    let racers: Vec<_> = (0..2)
        .map(|_| {
            let conn = db.connect();
            std::thread::spawn(move || pg_schema::migrate(&conn).map_err(|e| e.to_string()))
        })
        .collect();
    for racer in racers {
        racer.join().unwrap().expect("both see one schema");
    }
    let conn = db.connect();
    pg_schema::migrate(&conn).expect("again: nothing to do");
    let versions: i64 = conn
        .query_row(
            "SELECT count(*) FROM app_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(versions, 1);
    conn.execute(
        "UPDATE app_meta SET value = ?1 WHERE key = 'schema_version'",
        [(POSTGRES_SCHEMA_VERSION + 1).to_string()],
    )
    .unwrap();
    assert!(matches!(
        pg_schema::migrate(&conn),
        Err(DbError::SchemaTooNew { found, supported })
            if found == POSTGRES_SCHEMA_VERSION + 1 && supported == POSTGRES_SCHEMA_VERSION
    ));
    conn.execute("DELETE FROM app_meta WHERE key = 'schema_version'", [])
        .unwrap();
    assert!(
        matches!(
            pg_schema::migrate(&conn),
            Err(DbError::SchemaMismatch { found: 0, .. })
        ),
        "loket's tables without a version are never built over"
    );
}

/// A server a loket of schema 7 made (the first PostgreSQL schema, `schema.sql` alone) is
/// upgraded when a newer loket opens it, its residents kept, and the narrowed search (schema
/// 8's word index under birth year and desa) finds them there.
#[test]
fn a_schema_7_server_is_upgraded_and_its_residents_found_by_year() {
    let Some(url) = server() else { return };
    let db = PgDatabase::create(&url);
    let conn = db.connect();
    conn.execute_batch(include_str!("../assets/migrations/postgres/schema.sql"))
        .unwrap();
    conn.execute_batch(
        "INSERT INTO app_meta (key, value) VALUES ('schema_version', '7');
         INSERT INTO resident (nik, name, name_key, sex, birth_date, created_at, updated_at)
         VALUES ('3603015508900001', 'SITI AMINAH', 'siti aminah', 'P', '1990-08-15', 'x', 'x'),
                ('3603015508910002', 'NUR SITI', 'nur siti', 'P', '1991-08-15', 'x', 'x')",
    )
    .unwrap();
    drop(conn);
    let conn = loket::db::open_server(&db.spec()).expect("opened and upgraded");
    assert_eq!(
        pg_schema::version(&conn).unwrap(),
        Some(POSTGRES_SCHEMA_VERSION)
    );
    assert!(pg_schema::check(&conn).unwrap().schema.is_empty());
    let born_1991 = |words: &str| -> Vec<String> {
        let mut search = loket::db::residents::Search::plain(words);
        search.born = Some(loket::db::residents::Born::Year(1991));
        loket::db::residents::page(&conn, &search, None, 10)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.nik)
            .collect()
    };
    assert_eq!(born_1991("siti"), ["3603015508910002"]);
    assert!(born_1991("aminah").is_empty());
}

/// The README's counter role (`assets/migrations/postgres/counter_role.sql`): it registers
/// and changes residents, writes audit rows, and can neither alter the schema, nor drop the
/// audit triggers, nor remove or change audit rows.
#[test]
fn the_counter_role_writes_rows_but_not_the_schema_or_the_audit_trail() {
    let Some(url) = server() else { return };
    let (_db, conn) = migrated(&url);
    conn.execute_batch(include_str!(
        "../assets/migrations/postgres/counter_role.sql"
    ))
    .expect("the role script runs (and again on another database)");
    conn.execute_batch("SET ROLE loket_counter").unwrap();
    conn.execute(
        "INSERT INTO resident (nik, name, name_key, sex, birth_date, created_at, updated_at)
         VALUES ('3603015508900001', 'SITI', 'siti', 'P', '1990-08-15', 'x', 'x')",
        [],
    )
    .expect("a counter registers");
    conn.execute(
        "UPDATE resident SET phone = '0812' WHERE nik = '3603015508900001'",
        [],
    )
    .expect("and corrects");
    conn.execute(
        "INSERT INTO audit_log (at, operator_name, action, entity) VALUES ('x', 'kasir', 'create', 'resident')",
        [],
    )
    .expect("and is audited");
    for sql in [
        "ALTER TABLE resident ADD COLUMN note TEXT",
        "DROP TRIGGER audit_log_no_delete ON audit_log",
        "CREATE TABLE mine (id INTEGER)",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET action = 'nothing'",
        "TRUNCATE audit_log",
        "DROP TABLE enrollment",
    ] {
        assert!(conn.execute_batch(sql).is_err(), "{sql}");
    }
    conn.execute_batch("RESET ROLE").unwrap();
}
