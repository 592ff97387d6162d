//! Issue 14, the store's part: nothing lost, nothing leaked around the database file itself.
//! `demo --force` on a production database (1), a restore while another loket has the database
//! open (2), `check` after a killed bulk import (4), restore as an admin action with a schema
//! that must match and a tamper-evident audit trail (15), files that are not loket's (16), file
//! modes (17), stale partial backups and safety-copy names (22). Each test drives what the issue
//! found the way it was found: the real binary where the finder used it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use common::{TODAY, actor, count, loket, loket_with};
use loket::db::Connection;
use loket::db::backup::{self, BackupError};
use loket::db::demo::DemoOptions;
use loket::db::operators::{self, NewOperator};
use loket::db::{self, audit, auth};
use loket::domain::access::{Actor, Role};

const DEMO: DemoOptions = DemoOptions {
    residents: 200,
    seed: 3,
    today: TODAY,
};

const ADMIN_PW: &str = "rahasia-admin-1";
const CLERK_PW: &str = "rahasia-sari-1";

/// An audit row as the desk writes one when a full NIK is shown: `entity_id` tells rows apart.
fn view_nik(conn: &Connection, admin: &Actor, entity_id: &str) -> Result<(), loket::db::DbError> {
    audit::event(
        conn,
        admin,
        audit::Action::ViewNik,
        audit::Entity::Resident,
        entity_id,
    )
}

/// A production database as `loket init` leaves it, plus a clerk and a supervisor with
/// passwords, and a few audit rows.
fn production(path: &Path) -> Connection {
    let conn = common::empty_db(path);
    let admin = common::admin(&conn);
    auth::set_password(&conn, &admin, "admin", ADMIN_PW).unwrap();
    for (name, role) in [("sari", Role::Clerk), ("budi", Role::Supervisor)] {
        let new = NewOperator {
            name: name.into(),
            full_name: name.into(),
            role,
        };
        operators::add(&conn, &admin, &new, CLERK_PW).unwrap();
    }
    conn
}

fn operators_of(path: &Path) -> Vec<String> {
    let conn = common::store::connect(path);
    let mut stmt = conn
        .prepare("SELECT name FROM operator ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// --- 1: demo --force ---------------------------------------------------------------------------

/// Issue 14.1: `loket --as <clerk> demo --force` replaced a production database with a demo.
#[test]
fn demo_force_never_replaces_a_production_database_for_a_clerk_or_without_login() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    drop(production(&path));
    let before = operators_of(&path);
    let audit_rows = count(
        &common::store::connect(&path),
        "SELECT count(*) FROM audit_log",
    );

    // (--as, LOKET_PASSWORD): a clerk, a supervisor, and the default operator (admin) without
    // the password.
    let tries = [
        (Some("sari"), Some(CLERK_PW)),
        (Some("budi"), Some(CLERK_PW)),
        (None, None),
    ];
    for (operator, password) in tries {
        let mut args = Vec::new();
        if let Some(name) = operator {
            args.extend(["--as", name]);
        }
        args.extend(["demo", "--force", "--residents", "20"]);
        let env: Vec<(&str, &str)> = password
            .map(|p| ("LOKET_PASSWORD", p))
            .into_iter()
            .collect();
        let (code, out, err) = loket_with(&path, &args, &env, "");
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert_eq!(
            operators_of(&path),
            before,
            "{args:?} replaced the database"
        );
    }
    let conn = common::store::open(&path);
    assert!(count(&conn, "SELECT count(*) FROM audit_log") >= audit_rows);
    assert_eq!(count(&conn, "SELECT count(*) FROM resident"), 0);
    assert!(
        !backup::backup_dir(&path).exists()
            || files_in(&backup::backup_dir(&path))
                .iter()
                .all(|n| !n.contains("before-demo")),
        "a refusal writes no safety copy"
    );
}

/// Issue 14.1: an admin who logs in may replace a production database with a demo; a safety
/// copy is written first and the command says where.
#[test]
fn demo_force_by_a_logged_in_admin_keeps_a_safety_copy_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    drop(production(&path));
    let (code, out, err) = loket_with(
        &path,
        &["demo", "--force", "--residents", "20"],
        &[("LOKET_PASSWORD", ADMIN_PW)],
        "",
    );
    if common::store::on_postgres() {
        never_replaced_on_a_server(&path, code, &err, 0);
        return;
    }
    assert_eq!(code, 0, "{out}{err}");
    let conn = db::open(&path).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM resident"), 20);
    let safety: Vec<PathBuf> = files_in(&backup::backup_dir(&path))
        .into_iter()
        .filter(|n| n.starts_with("loket-before-demo-"))
        .map(|n| backup::backup_dir(&path).join(n))
        .collect();
    assert_eq!(
        safety.len(),
        1,
        "{:?}",
        files_in(&backup::backup_dir(&path))
    );
    assert!(out.contains(&safety[0].display().to_string()), "{out}");
    assert_eq!(operators_of(&safety[0]), ["admin", "budi", "sari"]);
    let safe = Connection::open_unchecked(&safety[0]).unwrap();
    assert_eq!(
        count(
            &safe,
            "SELECT count(*) FROM operator WHERE name = 'admin' AND password_hash IS NOT NULL"
        ),
        1
    );
}

/// A demo database is replaced by another demo without a login, as before, and the replaced
/// one is kept too.
#[test]
fn demo_force_replaces_a_demo_database_without_login() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    drop(common::demo_db(&path, DEMO));
    let (code, out, err) = loket(&path, &["demo", "--force", "--residents", "30"]);
    if common::store::on_postgres() {
        never_replaced_on_a_server(&path, code, &err, 200);
    } else {
        assert_eq!(code, 0, "{out}{err}");
        let conn = db::open(&path).unwrap();
        assert_eq!(count(&conn, "SELECT count(*) FROM resident"), 30);
    }
    // Not a loket database: never replaced, even with --force.
    let other = dir.path().join("notes.sqlite");
    Connection::open_unchecked(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    let bytes = std::fs::read(&other).unwrap();
    let (code, _, err) = loket(&other, &["demo", "--force", "--residents", "20"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bukan database loket"), "{err}");
    assert_eq!(std::fs::read(&other).unwrap(), bytes);
}

/// On a server the demo goes onto an empty database only (`loket demo`): nothing there is ever
/// replaced, by a logged-in admin or over a demo, so it needs no safety copy. `demo --force`
/// is refused as `init` is there, and the database keeps its operators and `residents`.
fn never_replaced_on_a_server(path: &Path, code: i32, err: &str, residents: i64) {
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("sudah berisi data loket"), "{err}");
    assert_eq!(
        count(
            &common::store::connect(path),
            "SELECT count(*) FROM resident"
        ),
        residents
    );
    assert!(operators_of(path).contains(&"admin".to_string()));
}

// --- 2: restore under an open loket --------------------------------------------------------------

/// Issue 14.2: `loket restore` while a TUI had the database open replaced the file under it; the
/// TUI went on writing to the deleted file. Here a desk's connection keeps writing before, during
/// and after a restore by the real binary: it sees the restored data, and every write it makes
/// after the restore is in the database that any later loket opens.
#[test]
fn a_restore_reaches_the_open_loket_and_no_later_write_is_lost() {
    if common::store::file_only(
        "`loket restore` copying a backup file into the SQLite file under an open loket; \
         restoring a server is pg_restore's work, and `loket restore` refuses it \
         (restore_is_an_admin_action): its PostgreSQL counterpart: none",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let backup_file = dir.path().join("b.sqlite");
    {
        let conn = common::demo_db(&path, DEMO);
        let admin = common::admin(&conn);
        view_nik(&conn, &admin, "in-backup").unwrap();
        backup::backup_now(&conn, &admin, &backup_file).unwrap();
        view_nik(&conn, &admin, "after-backup").unwrap();
    }
    // The desk: its own connection, as the TUI holds one, writing on its own thread.
    let restored = Arc::new(AtomicBool::new(false));
    let (to_main, from_desk) = mpsc::channel::<Vec<String>>();
    let desk = {
        let path = path.clone();
        let restored = restored.clone();
        std::thread::spawn(move || {
            let conn = db::open(&path).unwrap();
            let admin = actor(&conn, "admin");
            let mut after = Vec::new();
            let mut n = 0;
            // Until the restore is over, and 20 writes after it.
            while after.len() < 20 {
                let done = restored.load(Ordering::SeqCst);
                n += 1;
                let id = format!("desk-{n}");
                // A write may wait for the restore, or fail and be told; never vanish.
                if view_nik(&conn, &admin, &id).is_ok() && done {
                    after.push(id);
                }
                if !done {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            }
            // The desk reads its own writes, and sees what the restore brought back.
            let seen = count(
                &conn,
                "SELECT count(*) FROM audit_log WHERE entity_id = 'after-backup'",
            );
            assert_eq!(seen, 0, "the desk still sees the replaced database");
            to_main.send(after).unwrap();
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    let (code, out, err) = loket(&path, &["restore", backup_file.to_str().unwrap()]);
    restored.store(true, Ordering::SeqCst);
    assert_eq!(code, 0, "{out}{err}");
    let after = from_desk.recv().unwrap();
    desk.join().unwrap();

    let later = db::open(&path).unwrap();
    assert_eq!(
        count(
            &later,
            "SELECT count(*) FROM audit_log WHERE entity_id = 'in-backup'"
        ),
        1
    );
    assert_eq!(
        count(
            &later,
            "SELECT count(*) FROM audit_log WHERE entity_id = 'after-backup'"
        ),
        0
    );
    for id in &after {
        assert_eq!(
            count_id(&later, id),
            1,
            "{id}, written after the restore, is lost"
        );
    }
    let integrity: String = later
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

fn count_id(conn: &Connection, id: &str) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE entity_id = ?1",
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

// --- 4: check after a killed bulk import ---------------------------------------------------------

fn generated_csv(dir: &Path, n: u64) -> PathBuf {
    let conn = common::empty_db(&dir.join("scratch.sqlite"));
    let villages: Vec<(String, String)> = conn
        .prepare("SELECT code, district_code FROM village WHERE code LIKE '36.03.%' ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let path = dir.join("generated.csv");
    let mut out = std::fs::File::create(&path).unwrap();
    let others = vec!["317101".to_string()];
    loket::bench::data::write_csv(&mut out, n, 7, TODAY, &villages, &others, 10).unwrap();
    path
}

/// Issue 14.4: after a bulk import killed with SIGKILL, `loket check` said "attempt to write a
/// readonly database ... Pulihkan dari cadangan", and following that advice threw the day away.
/// The database is sound once SQLite rolls its journal back, which a read-write open does; a
/// server rolls the killed load's transaction back itself.
#[test]
fn check_after_a_killed_bulk_import_recovers_and_never_advises_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 3000);
    let mut rolled_back = 0;
    for (round, wait_ms) in [0u64, 0, 20, 60].into_iter().enumerate() {
        let path = dir.path().join(format!("bulk-{round}.sqlite"));
        drop(common::empty_db(&path));
        let load = Load::watch(&path);
        let mut child = Command::new(common::BIN)
            .arg("--db")
            .arg(common::store::arg(&path))
            .args(["import", "residents", "--json", "--bulk"])
            .arg(&csv)
            .env_remove("LOKET_PASSWORD")
            .env_remove("LOKET_LANG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        while !load.under_way() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the import ended before its load was seen"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        child.wait().unwrap();
        let left_a_journal = load.left_a_journal();
        let (code, out, err) = loket(&path, &["check"]);
        assert_eq!(code, 0, "round {round}: {out}{err}");
        assert!(out.contains("Database baik"), "round {round}: {out}");
        assert!(
            !err.contains("Pulihkan") && !out.contains("Pulihkan"),
            "{err}"
        );
        let (code, json) = common::loket_json(&path, &["check", "--json"]);
        assert_eq!((code, json["ok"].as_bool()), (0, Some(true)), "{json}");
        let conn = common::store::open(&path);
        let n = count(&conn, "SELECT count(*) FROM resident");
        assert!(
            n == 0 || n > 2500,
            "round {round}: {n} residents, a part of the load"
        );
        // SQLite: a hot journal to roll back; a server: a load seen under way, none of it kept.
        if left_a_journal || (common::store::on_postgres() && n == 0) {
            rolled_back += 1;
        }
    }
    assert!(rolled_back > 0, "no round killed a load before its commit");
}

/// Where a test sees a bulk load's transaction: SQLite's rollback journal beside the file; on
/// a server the load's lock on `resident` (`LOCK TABLE ... SHARE ROW EXCLUSIVE`), seen from a
/// connection of the test's own.
struct Load {
    journal: PathBuf,
    server: Option<Connection>,
}

impl Load {
    fn watch(path: &Path) -> Load {
        Load {
            journal: path.with_extension("sqlite-journal"),
            server: common::store::on_postgres().then(|| common::store::connect(path)),
        }
    }

    fn under_way(&self) -> bool {
        match &self.server {
            None => self.journal.exists(),
            Some(conn) => {
                count(
                    conn,
                    "SELECT count(*) FROM pg_locks WHERE relation = 'resident'::regclass
                     AND mode = 'ShareRowExclusiveLock' AND pid <> pg_backend_pid()",
                ) > 0
            }
        }
    }

    fn left_a_journal(&self) -> bool {
        self.server.is_none() && self.journal.exists()
    }
}

// --- 15: restore is an admin's, the schema must match, the audit trail is chained --------------

/// Issue 14.15: a supervisor could restore an edited backup and become admin.
#[test]
fn restore_is_an_admin_action() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let b = dir.path().join("b.sqlite");
    {
        let conn = production(&path);
        common::store::backup(&path, &conn, &common::admin(&conn), &b).unwrap();
    }
    let (code, _, err) = loket_with(
        &path,
        &["--as", "budi", "restore", b.to_str().unwrap()],
        &[("LOKET_PASSWORD", CLERK_PW)],
        "",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tidak berwenang"), "{err}");
    let conn = common::store::open(&path);
    let budi = actor(&conn, "budi");
    assert!(matches!(
        backup::restore(&path, &budi, &b),
        Err(BackupError::Denied(_))
    ));
    // The admin, logged in, may; on a server the admin is told it is pg_restore's work.
    let (code, out, err) = loket_with(
        &path,
        &["restore", b.to_str().unwrap()],
        &[("LOKET_PASSWORD", ADMIN_PW)],
        "",
    );
    if common::store::on_postgres() {
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("pg_restore"), "{err}");
    } else {
        assert_eq!(code, 0, "{out}{err}");
    }
    let (code, _, err) = loket_with(&path, &["restore", b.to_str().unwrap()], &[], "");
    assert_eq!(code, 2, "no password, no restore: {err}");
}

/// A copy of `good` at `name` with `sql` run on it (foreign keys off, as an editor would).
fn edited(dir: &Path, good: &Path, name: &str, sql: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(good, &path).unwrap();
    let conn = Connection::open_unchecked(&path).unwrap();
    conn.execute_batch(sql)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    drop(conn);
    path
}

fn trigger_sql(conn: &Connection, name: &str) -> String {
    conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
        [name],
        |r| r.get(0),
    )
    .unwrap()
}

/// Issue 14.15: an edited backup (dropped triggers, a dropped NIK index, an extra table, an
/// audit row changed behind the triggers' back) is refused, saying what differs, and nothing
/// changes.
#[test]
fn a_backup_whose_schema_or_audit_chain_was_edited_is_refused() {
    if common::store::file_only(
        "SQLite backup files edited by hand and refused by `loket restore`; a server is \
         restored with pg_restore, not loket: its PostgreSQL counterpart: none (the server's \
         check of its own audit chain: the_audit_trail_is_a_hash_chain_that_check_verifies)",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let good = dir.path().join("good.sqlite");
    {
        let conn = common::demo_db(&path, DEMO);
        let admin = common::admin(&conn);
        for i in 0..5 {
            view_nik(&conn, &admin, &i.to_string()).unwrap();
        }
        backup::backup_now(&conn, &admin, &good).unwrap();
        view_nik(&conn, &admin, "after-backup").unwrap();
    }
    let (update_trigger, delete_trigger) = {
        let conn = Connection::open_unchecked(&good).unwrap();
        (
            trigger_sql(&conn, "audit_log_no_update"),
            trigger_sql(&conn, "audit_log_no_delete"),
        )
    };
    let target: i64 = Connection::open_unchecked(&good)
        .unwrap()
        .query_row(
            "SELECT id FROM audit_log WHERE entity_id = '2' AND action = 'view_nik'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let cases = [
        (
            "no-trigger",
            "DROP TRIGGER audit_log_no_update;".to_string(),
            "audit_log_no_update",
        ),
        (
            "no-nik-index",
            "DROP INDEX resident_nik;".to_string(),
            "resident_nik",
        ),
        (
            "extra-table",
            "CREATE TABLE backdoor (x TEXT);".to_string(),
            "backdoor",
        ),
        (
            "changed-check",
            "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, \
             '''clerk'', ''supervisor'', ''admin''', '''clerk'', ''supervisor'', ''admin'', ''root''') \
             WHERE name = 'operator'; PRAGMA writable_schema = OFF;"
                .to_string(),
            "operator",
        ),
        (
            "edited-audit",
            format!(
                "DROP TRIGGER audit_log_no_update; \
                 UPDATE audit_log SET operator_name = 'someone' WHERE id = {target}; \
                 {update_trigger};"
            ),
            "audit",
        ),
        (
            "deleted-audit",
            format!(
                "DROP TRIGGER audit_log_no_delete; \
                 DELETE FROM audit_log WHERE id = {target}; \
                 {delete_trigger};"
            ),
            "audit",
        ),
    ];
    let unchanged = |name: &str| {
        let conn = db::open(&path).unwrap();
        assert_eq!(
            count_id(&conn, "after-backup"),
            1,
            "{name} replaced the database"
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM audit_log WHERE action = 'restore'"
            ),
            0,
            "{name}"
        );
    };
    for (name, sql, named) in cases {
        let bad = edited(dir.path(), &good, &format!("{name}.sqlite"), &sql);
        let (code, _, err) = loket(&path, &["restore", bad.to_str().unwrap()]);
        assert_eq!(code, 2, "{name} was restored: {err}");
        assert!(err.contains(named), "{name}: {err}");
        assert!(err.contains("Tidak ada yang diubah"), "{name}: {err}");
        unchanged(name);
        // The chain names the first row that does not follow from the one before.
        if named == "audit" {
            let (code, out, err) = loket(&bad, &["check"]);
            assert_eq!(
                code, 1,
                "{name}: check passed an edited audit trail: {out}{err}"
            );
            let expected = if name == "edited-audit" {
                target
            } else {
                target + 1
            };
            assert!(
                out.contains(&format!("audit_log {expected}")),
                "{name}: {out}"
            );
        }
    }
    // The untouched backup restores.
    let (code, out, err) = loket(&path, &["restore", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
}

/// The audit trail is a chain: each row carries the hash of the previous row's hash and its
/// own content; `check` verifies it, including after many writers.
#[test]
fn the_audit_trail_is_a_hash_chain_that_check_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let conn = production(&path);
    let admin = common::admin(&conn);
    let chained = count(
        &conn,
        "SELECT count(*) FROM audit_log WHERE chain IS NOT NULL AND length(chain) = 64",
    );
    assert_eq!(chained, count(&conn, "SELECT count(*) FROM audit_log"));
    // Two connections writing at once still make one chain.
    let other = common::store::open(&path);
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            let conn = common::store::open(&path);
            let admin = actor(&conn, "admin");
            for i in 0..50 {
                view_nik(&conn, &admin, &format!("t{i}")).unwrap();
            }
        })
    };
    for i in 0..50 {
        view_nik(&other, &admin, &format!("m{i}")).unwrap();
    }
    writer.join().unwrap();
    assert_eq!(audit::verify_chain(&conn).unwrap(), None);
    let (code, out, err) = loket(&path, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, json) = common::loket_json(&path, &["check", "--json"]);
    assert_eq!(json["audit_chain"], serde_json::Value::Null, "{json}");
}

/// A database from before the chain (schema 3) gets it on its first open: every existing row is
/// chained in id order, and the chain verifies.
#[test]
fn an_older_database_gets_its_audit_chain_backfilled_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.sqlite");
    {
        let conn = Connection::open_unchecked(&path).unwrap();
        for sql in [
            include_str!("../assets/migrations/0001_init.sql"),
            include_str!("../assets/migrations/0002_resident_nik_index.sql"),
            include_str!("../assets/migrations/0003_drop_resident_village_index.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO operator (id, name, role, created_at) VALUES (1, 'admin', 'admin', '2026-01-01 08:00:00');
             INSERT INTO audit_log (at, operator_id, operator_name, action, entity) VALUES
                ('2026-01-01 08:00:00', 1, 'admin', 'login', 'operator'),
                ('2026-01-01 08:01:00', 1, 'admin', 'update', 'setting'),
                ('2026-01-01 08:02:00', NULL, 'x', 'login_failed', 'operator');
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let conn = db::open(&path).unwrap();
    assert_eq!(
        count(&conn, "SELECT count(*) FROM audit_log WHERE chain IS NULL"),
        0
    );
    assert_eq!(audit::verify_chain(&conn).unwrap(), None);
    // Still append-only.
    assert!(
        conn.execute("UPDATE audit_log SET chain = 'x'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
}

// --- 16: files that are not loket's ------------------------------------------------------------

/// Issue 14.16: `--db other.sqlite` (another program's database, or a 0-byte file) was turned
/// into a loket database, and `check` said it was fine. On a server: a database that is empty,
/// or holds another program's tables, is refused the same way.
#[test]
fn a_file_that_is_not_a_loket_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.sqlite");
    std::fs::write(&zero, b"").unwrap();
    let foreign = dir.path().join("foreign.sqlite");
    Connection::open_unchecked(&foreign)
        .unwrap()
        .execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine'); PRAGMA user_version = 1;",
        )
        .unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "shopping list\nrice\neggs\n".repeat(50)).unwrap();
    let says = ["bukan database loket", "not a loket database"];
    for file in [&zero, &foreign, &text] {
        refused_unchanged(dir.path(), file, says, &|| std::fs::read(file).unwrap());
    }
    if common::store::on_postgres() {
        let says = ["belum berisi data loket", "holds no loket data"];
        for (name, tables) in [
            ("empty", ""),
            (
                "foreign",
                "CREATE TABLE notes (id serial PRIMARY KEY, body text); INSERT INTO notes (body) VALUES ('mine');",
            ),
        ] {
            let db = dir.path().join(format!("server-{name}.sqlite"));
            let _server = common::store::fresh(&db);
            common::store::connect(&db).execute_batch(tables).unwrap();
            refused_unchanged(dir.path(), &db, says, &|| server_state(&db));
        }
    }
    // A loket database is one: marked in its header; on a server, by its schema version.
    let ours = dir.path().join("ours.sqlite");
    let conn = common::empty_db(&ours);
    match conn.as_sqlite() {
        Some(lite) => {
            let id: i64 = lite
                .query_row("PRAGMA application_id", [], |r| r.get(0))
                .unwrap();
            assert_eq!(id, i64::from(db::APPLICATION_ID));
        }
        None => assert_eq!(
            db::pg_schema::version(&conn).unwrap(),
            Some(db::SCHEMA_VERSION)
        ),
    }
}

/// Every command refuses `db`, which is not a loket database, saying `says` (Indonesian,
/// English), and `check` says it is not one; `state` does not change and nothing grows beside
/// it in `dir`.
fn refused_unchanged(dir: &Path, db: &Path, says: [&str; 2], state: &dyn Fn() -> Vec<u8>) {
    let before = state();
    let listing = files_in(dir);
    let name = db.display();
    for args in [
        &["search", "budi"][..],
        &["audit"],
        &["backup"],
        &["user", "list"],
    ] {
        let (code, out, err) = loket(db, args);
        assert_eq!(code, 2, "{name} {args:?}: {out}{err}");
        assert!(err.contains(says[0]), "{name} {args:?}: {err}");
    }
    let (code, out, err) = loket(db, &["check"]);
    assert_eq!(code, 1, "{name}: {out}{err}");
    assert!((out.clone() + &err).contains(says[0]), "{name}: {out}{err}");
    let (_, json) = common::loket_json(db, &["check", "--json"]);
    assert_eq!(json["ok"], false, "{json}");
    assert_eq!(json["loket"], false, "{json}");
    assert_eq!(json["code"], "not_a_loket_database", "{json}");
    let (code, _, err) = loket_with(db, &["--lang", "en", "audit"], &[], "");
    assert_eq!(code, 2);
    assert!(err.contains(says[1]), "{err}");
    let (_, json) = common::loket_json(db, &["audit", "--json"]);
    assert_eq!(json["code"], "not_a_loket_database", "{json}");
    assert_eq!(state(), before, "{name} changed");
    assert_eq!(files_in(dir), listing, "{name} grew files beside it");
}

/// What a server database holds, as far as a refusal could change it: its tables, and the
/// rows of another program's `notes`.
fn server_state(db: &Path) -> Vec<u8> {
    let conn = common::store::connect(db);
    let tables: Option<String> = conn
        .query_row(
            "SELECT string_agg(table_name::text, ',' ORDER BY table_name)
             FROM information_schema.tables WHERE table_schema = current_schema()",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut state = tables.unwrap_or_default();
    if state.contains("notes") {
        let notes: String = conn
            .query_row(
                "SELECT string_agg(body, ',' ORDER BY id) FROM notes",
                [],
                |r| r.get(0),
            )
            .unwrap();
        state = format!("{state};{notes}");
    }
    state.into_bytes()
}

// --- 17: file modes -----------------------------------------------------------------------------

/// Issue 14.17: a database with mode 0644 stayed 0644 and `backups/` was made 0755.
#[cfg(unix)]
#[test]
fn open_tightens_the_database_and_backups_to_the_owner_and_says_so_once() {
    if common::store::file_only(
        "the modes of the SQLite file and its backups folder; a server keeps its own files: \
         its PostgreSQL counterpart: none (a server's dump is owner-only: \
         tests/auth.rs::a_backup_taken_while_another_connection_writes_is_sound)",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    drop(common::demo_db(&path, DEMO));
    set_mode(&path, 0o644);
    let (code, _, err) = loket(&path, &["search", "budi"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&backup::backup_dir(&path)), 0o700);
    assert!(err.contains("0600"), "said nothing: {err}");
    let (_, _, err) = loket(&path, &["search", "budi"]);
    assert!(!err.contains("0600"), "said twice: {err}");
    // A backups folder someone made 0755 is tightened too.
    set_mode(&backup::backup_dir(&path), 0o755);
    let (code, _, err) = loket(&path, &["search", "budi"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&backup::backup_dir(&path)), 0o700);
    assert!(err.contains("0700"), "{err}");
    for name in files_in(&backup::backup_dir(&path)) {
        assert_eq!(
            mode(&backup::backup_dir(&path).join(&name)),
            0o600,
            "{name}"
        );
    }
}

/// The TUI hides standard error while it runs: the same sentence is shown in a box over the
/// first screen, closed by any key.
#[cfg(unix)]
#[test]
fn the_tui_shows_what_was_tightened_until_a_key() {
    if common::store::file_only(
        "what opening the SQLite file tightened (db::open_noting); nothing to tighten on a \
         server: its PostgreSQL counterpart: none",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    drop(common::demo_db(&path, DEMO));
    set_mode(&path, 0o644);
    let (conn, files) = db::open_noting(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert!(files.contains(&path), "{files:?}");
    let admin = common::admin(&conn);
    let (ctx, _events) = common::ctx(conn, admin, loket::ui::text::Lang::Id, TODAY);
    let root = loket::ui::screens::root(&ctx);
    let mut app = loket::ui::app::App::new(ctx, root);
    app.notify(loket::ui::text::store::tightened(
        loket::ui::text::Lang::Id,
        &files,
        None,
    ));
    let shown = common::draw(&mut app);
    assert!(shown.contains("Pemberitahuan"), "{shown}");
    assert!(shown.contains("0600"), "{shown}");
    common::press(&mut app, crossterm::event::KeyCode::Char('x'));
    assert!(!common::draw(&mut app).contains("Pemberitahuan"));
}

// --- 22: partial backups and safety-copy names ---------------------------------------------------

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Issue 14.22: killed `loket backup` runs left `*.partial-PID` files for ever.
#[cfg(unix)]
#[test]
fn stale_partial_backups_are_removed_and_a_live_one_is_kept() {
    if common::store::file_only(
        "the partial files of SQLite's page copy beside the file and its backups; pg_dump \
         writes no partial files: its PostgreSQL counterpart: none",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    drop(common::demo_db(&path, DEMO));
    let backups = backup::backup_dir(&path);
    std::fs::create_dir_all(&backups).unwrap();
    let dead = backups.join(format!(
        "loket-2026-11-20-101500.sqlite.partial-{}",
        dead_pid()
    ));
    let live = backups.join(format!(
        "loket-2026-11-21.sqlite.partial-{}",
        std::process::id()
    ));
    let old_live = backups.join(format!(
        "loket-2026-01-01.sqlite.partial-{}",
        std::process::id()
    ));
    let staged = dir
        .path()
        .join(format!("loket.sqlite.restore.partial-{}", dead_pid()));
    let unrelated = backups.join("notes.partial");
    for f in [&dead, &live, &old_live, &staged, &unrelated] {
        std::fs::write(f, vec![7u8; 4096]).unwrap();
    }
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(&old_live)
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();
    let (code, out, err) = loket(&path, &["backup"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!dead.exists(), "a dead run's partial is kept");
    assert!(!old_live.exists(), "a partial older than a day is kept");
    assert!(!staged.exists(), "a dead restore's staged copy is kept");
    assert!(live.exists(), "a running backup's partial was removed");
    assert!(unrelated.exists(), "a file loket did not write was removed");
}

/// Issue 14.22: two restores in the same second collided on the safety copy's name.
#[test]
fn two_restores_in_the_same_second_keep_two_safety_copies() {
    if common::store::file_only(
        "the safety copies of the SQLite file `loket restore` keeps; restoring a server is \
         pg_restore's work: its PostgreSQL counterpart: none",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let b = dir.path().join("b.sqlite");
    let admin = {
        let conn = common::demo_db(&path, DEMO);
        let admin = common::admin(&conn);
        backup::backup_now(&conn, &admin, &b).unwrap();
        admin
    };
    // The names the next seconds would take are taken already: a same-second collision, forced.
    let backups = backup::backup_dir(&path);
    std::fs::create_dir_all(&backups).unwrap();
    let now = chrono::Local::now();
    for s in 0..30 {
        let at = now + chrono::Duration::seconds(s);
        let name = format!(
            "loket-before-restore-{}.sqlite",
            at.format("%Y-%m-%d-%H%M%S")
        );
        std::fs::write(backups.join(name), b"taken").unwrap();
    }
    let first = backup::restore(&path, &admin, &b).unwrap();
    let second = backup::restore(&path, &admin, &b).unwrap();
    let (first, second) = (first.safety_backup.unwrap(), second.safety_backup.unwrap());
    assert_ne!(first, second);
    for copy in [&first, &second] {
        backup::verify(copy).unwrap();
    }
}
