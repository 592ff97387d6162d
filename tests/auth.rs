//! Operators, roles, login and lockout, the audit trail, backups, restore and check: each role
//! refused what it may not do (domain, db layer, headless binary), audit rows for each change,
//! backups taken while another connection writes, restores of damaged files refused unchanged.

mod common;

use common::{TODAY, actor, count, draw, loket_with, press, type_text};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use crossterm::event::KeyCode;
use loket::db::auth::{self, AuthError, Via};
use loket::db::backup::{self, BackupError};
use loket::db::demo::DemoOptions;
use loket::db::operators::{self, NewOperator};
use loket::db::settings::SettingKey;
use loket::db::sql::{Connection, params};
use loket::db::{self, Constraint, DbError, audit, settings};
use loket::domain::access::{Actor, Permission, Role, allows};
use loket::ui::app::{App, Ctx};
use loket::ui::screens::login::Login;
use loket::ui::screens::search::SearchScreen;
use loket::ui::text::{Lang, Localized};

fn noon() -> NaiveDateTime {
    TODAY.and_hms_opt(12, 0, 0).unwrap()
}

/// The demo these tests share: sari (clerk), budi (supervisor), admin.
const DEMO: DemoOptions = DemoOptions {
    residents: 300,
    seed: 1,
    today: TODAY,
};

fn is_denied(e: &AuthError) -> bool {
    matches!(e, AuthError::Denied(_))
}

const SECRET: &str = "rahasia-loket-1";

// --- roles -------------------------------------------------------------------------------------

#[test]
fn every_permission_has_its_roles() {
    use Permission::*;
    // (permission, clerk, supervisor, admin): the issue's list of who does what.
    let table = [
        (SearchResidents, true, true, true),
        (EditResidents, true, true, true),
        (Enroll, true, true, true),
        (Withdraw, true, true, true),
        (SubmitCoverage, true, true, true),
        (RecordAttendance, true, true, true),
        (ManageCohorts, false, true, true),
        (CompleteCohorts, false, true, true),
        (ActivateCoverage, false, true, true),
        (Export, false, true, true),
        (ViewDashboard, false, true, true),
        (ImportResidents, false, true, true),
        (ManageReference, false, true, true),
        (ManageSettings, false, true, true),
        (ViewAudit, false, true, true),
        (Backup, false, true, true),
        (ManageOperators, false, false, true),
    ];
    for (perm, clerk, supervisor, admin) in table {
        assert_eq!(allows(Role::Clerk, perm), clerk, "clerk {perm:?}");
        assert_eq!(
            allows(Role::Supervisor, perm),
            supervisor,
            "supervisor {perm:?}"
        );
        assert_eq!(allows(Role::Admin, perm), admin, "admin {perm:?}");
        let who = Actor {
            id: 1,
            name: "x".into(),
            role: Role::Clerk,
        };
        assert_eq!(who.require(perm).is_ok(), clerk);
    }
}

#[test]
fn db_functions_refuse_each_role_what_it_may_not_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roles.sqlite");
    let conn = common::demo_db(&path, DEMO);
    let clerk = actor(&conn, "sari");
    let supervisor = actor(&conn, "budi");
    let admin = actor(&conn, "admin");
    let new = NewOperator {
        name: "tono".into(),
        full_name: "Tono".into(),
        role: Role::Clerk,
    };
    let audit_before = count(&conn, "SELECT count(*) FROM audit_log");

    for who in [&clerk, &supervisor] {
        assert!(
            is_denied(&operators::list(&conn, who).unwrap_err()),
            "{}",
            who.name
        );
        assert!(is_denied(
            &operators::add(&conn, who, &new, SECRET).unwrap_err()
        ));
        assert!(is_denied(
            &operators::set_active(&conn, who, "admin", false).unwrap_err()
        ));
        assert!(is_denied(
            &operators::set_role(&conn, who, "sari", Role::Admin).unwrap_err()
        ));
        assert!(is_denied(
            &operators::unlock(&conn, who, "admin").unwrap_err()
        ));
        assert!(is_denied(
            &auth::set_password(&conn, who, "admin", SECRET).unwrap_err()
        ));
    }
    assert!(is_denied(
        &settings::update(&conn, &clerk, SettingKey::BackupKeep, "3").unwrap_err()
    ));
    assert!(is_denied(
        &audit::list(&conn, &clerk, &Default::default(), None, 10).unwrap_err()
    ));
    let out = dir.path().join("clerk.sqlite");
    assert!(matches!(
        common::store::backup(&path, &conn, &clerk, &out),
        Err(BackupError::Denied(_))
    ));
    assert!(!out.exists());
    assert!(matches!(
        backup::restore(&path, &clerk, &out),
        Err(BackupError::Denied(_))
    ));
    // Refusals change nothing and write nothing.
    assert_eq!(count(&conn, "SELECT count(*) FROM audit_log"), audit_before);
    assert_eq!(count(&conn, "SELECT count(*) FROM operator"), 3);
    assert_eq!(settings::get(&conn, SettingKey::BackupKeep).unwrap(), "14");

    // What each may do, it can.
    auth::set_password(&conn, &clerk, "sari", SECRET).unwrap(); // one's own password
    settings::update(&conn, &supervisor, SettingKey::BackupKeep, "7").unwrap();
    audit::list(&conn, &supervisor, &Default::default(), None, 10).unwrap();
    common::store::backup(&path, &conn, &supervisor, &dir.path().join("budi.sqlite")).unwrap();
    operators::add(&conn, &admin, &new, SECRET).unwrap();
    assert_eq!(operators::list(&conn, &admin).unwrap().len(), 4);
}

#[test]
fn the_last_admin_stays_and_names_are_one_word() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::empty_db(&dir.path().join("admins.sqlite"));
    let admin = actor(&conn, "admin");
    assert!(matches!(
        operators::set_active(&conn, &admin, "admin", false),
        Err(AuthError::SelfDisable)
    ));
    assert!(matches!(
        operators::set_role(&conn, &admin, "admin", Role::Clerk),
        Err(AuthError::LastAdmin)
    ));
    let bad = NewOperator {
        name: "dua kata".into(),
        full_name: String::new(),
        role: Role::Clerk,
    };
    assert!(matches!(
        operators::add(&conn, &admin, &bad, SECRET),
        Err(AuthError::InvalidName)
    ));
    let weak = NewOperator {
        name: "tono".into(),
        full_name: String::new(),
        role: Role::Clerk,
    };
    assert!(matches!(
        operators::add(&conn, &admin, &weak, "short"),
        Err(AuthError::Policy(_))
    ));
    operators::add(&conn, &admin, &weak, SECRET).unwrap();
    let dup = NewOperator {
        name: "TONO".into(),
        full_name: String::new(),
        role: Role::Clerk,
    };
    match operators::add(&conn, &admin, &dup, SECRET) {
        Err(AuthError::Db(e)) => assert!(e.is_unique("operator", "name"), "{e:?}"),
        other => panic!("{other:?}"),
    }
}

// --- passwords and lockout --------------------------------------------------------------------

#[test]
fn passwords_are_argon2id_and_failures_lock_the_account() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::empty_db(&dir.path().join("passwords.sqlite"));
    let admin = actor(&conn, "admin");
    // No password yet: the built-in admin comes in without one (demo, tests).
    assert!(!auth::needs_password(&conn, "admin").unwrap());
    auth::login(&conn, "admin", None, Via::Cli, noon()).unwrap();
    auth::set_password(&conn, &admin, "admin", SECRET).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM operator WHERE name = 'admin'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$") && !hash.contains(SECRET),
        "{hash}"
    );
    assert!(auth::needs_password(&conn, "admin").unwrap());
    assert!(matches!(
        auth::login(&conn, "admin", None, Via::Cli, noon()),
        Err(AuthError::WrongCredentials { .. })
    ));
    auth::login(&conn, "admin", Some(SECRET), Via::Cli, noon()).unwrap();

    // login.max_failures = 5: four wrong passwords count down, the fifth locks for 15 minutes.
    for remaining in (1..=4).rev() {
        match auth::login(&conn, "admin", Some("salah-salah"), Via::Tui, noon()) {
            Err(AuthError::WrongCredentials { remaining: Some(n) }) => assert_eq!(n, remaining),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        auth::login(&conn, "admin", Some("salah-salah"), Via::Tui, noon()),
        Err(AuthError::Locked { .. })
    ));
    // Locked: even the right password is refused until the time is up.
    let later = noon() + chrono::Duration::minutes(14);
    assert!(matches!(
        auth::login(&conn, "admin", Some(SECRET), Via::Tui, later),
        Err(AuthError::Locked { .. })
    ));
    let after = noon() + chrono::Duration::minutes(16);
    auth::login(&conn, "admin", Some(SECRET), Via::Tui, after).unwrap();
    assert_eq!(
        count(
            &conn,
            "SELECT failed_attempts FROM operator WHERE name = 'admin'"
        ),
        0
    );

    // An unknown name reads exactly like a wrong password.
    let unknown = auth::login(&conn, "siapa", Some(SECRET), Via::Tui, noon()).unwrap_err();
    assert!(matches!(
        unknown,
        AuthError::WrongCredentials { remaining: None }
    ));
    // A disabled operator cannot log in.
    let new = NewOperator {
        name: "tono".into(),
        full_name: String::new(),
        role: Role::Clerk,
    };
    let admin = auth::login(&conn, "admin", Some(SECRET), Via::Tui, after).unwrap();
    operators::add(&conn, &admin, &new, SECRET).unwrap();
    auth::login(&conn, "tono", Some(SECRET), Via::Tui, noon()).unwrap();
    operators::set_active(&conn, &admin, "tono", false).unwrap();
    assert!(auth::login(&conn, "tono", Some(SECRET), Via::Tui, noon()).is_err());

    // Lockout settings are settings.
    settings::update(&conn, &admin, SettingKey::LoginMaxFailures, "2").unwrap();
    operators::set_active(&conn, &admin, "tono", true).unwrap();
    assert!(matches!(
        auth::login(&conn, "tono", Some("x"), Via::Tui, noon()),
        Err(AuthError::WrongCredentials { .. })
    ));
    assert!(matches!(
        auth::login(&conn, "tono", Some("x"), Via::Tui, noon()),
        Err(AuthError::Locked { .. })
    ));
    operators::unlock(&conn, &admin, "tono").unwrap();
    auth::login(&conn, "tono", Some(SECRET), Via::Tui, noon()).unwrap();
}

// --- audit trail ------------------------------------------------------------------------------

fn actions(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare("SELECT action, entity, operator_name FROM audit_log ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn each_change_writes_its_audit_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.sqlite");
    let conn = common::demo_db(&path, DEMO);
    let admin = actor(&conn, "admin");
    let start = count(&conn, "SELECT coalesce(max(id), 0) FROM audit_log");
    let new = NewOperator {
        name: "tono".into(),
        full_name: "Tono".into(),
        role: Role::Clerk,
    };
    let tono = operators::add(&conn, &admin, &new, SECRET).unwrap();
    operators::set_role(&conn, &admin, "tono", Role::Supervisor).unwrap();
    operators::set_active(&conn, &admin, "tono", false).unwrap();
    operators::set_active(&conn, &admin, "tono", true).unwrap();
    auth::set_password(&conn, &admin, "tono", "rahasia-baru-2").unwrap();
    auth::login(&conn, "tono", Some("salah-salah"), Via::Cli, noon()).unwrap_err();
    operators::unlock(&conn, &admin, "tono").unwrap();
    auth::login(&conn, "tono", Some("rahasia-baru-2"), Via::Tui, noon()).unwrap();
    auth::login(&conn, "nobody", Some("x"), Via::Tui, noon()).unwrap_err();
    settings::update(&conn, &admin, SettingKey::IdleLockMinutes, "5").unwrap();
    common::store::backup(&path, &conn, &admin, &dir.path().join("b.sqlite")).unwrap();

    let rows: Vec<_> = actions(&conn).into_iter().skip(start as usize).collect();
    let expected = [
        ("create", "operator", "admin"),
        ("role", "operator", "admin"),
        ("disable", "operator", "admin"),
        ("enable", "operator", "admin"),
        ("password_set", "operator", "admin"),
        ("login_failed", "operator", "tono"),
        ("unlock", "operator", "admin"),
        ("login", "operator", "tono"),
        ("login_failed", "operator", "nobody"),
        ("update", "setting", "admin"),
        ("backup", "database", "admin"),
    ];
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, e, o)| (a.as_str(), e.as_str(), o.as_str()))
        .collect();
    assert_eq!(got, expected);

    // Before and after values; never a password or its hash.
    let (before, after): (String, String) = conn
        .query_row("SELECT before_json, after_json FROM audit_log WHERE entity = 'setting' ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(
        (before.as_str(), after.as_str()),
        (r#"{"value":"10"}"#, r#"{"value":"5"}"#)
    );
    let role: (String, String, String) = conn
        .query_row(
            "SELECT entity_id, before_json, after_json FROM audit_log WHERE action = 'role'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        role,
        (
            tono.to_string(),
            r#"{"role":"clerk"}"#.into(),
            r#"{"role":"supervisor"}"#.into()
        )
    );
    let leaked = count(
        &conn,
        "SELECT count(*) FROM audit_log WHERE coalesce(before_json, '') || coalesce(after_json, '') LIKE '%argon2%' OR after_json LIKE '%rahasia%'",
    );
    assert_eq!(leaked, 0);

    // The restore is recorded in the restored database (restoring a server is pg_restore's
    // work, not loket's: `loket restore` refuses it).
    let conn = if common::store::on_postgres() {
        conn
    } else {
        let restored = backup::restore(&path, &admin, &dir.path().join("b.sqlite")).unwrap();
        assert!(restored.safety_backup.unwrap().exists());
        let conn = db::open(&path).unwrap();
        assert_eq!(actions(&conn).last().unwrap().0, "restore");
        conn
    };

    // Browsing: filters and keyset pages.
    let supervisor = actor(&conn, "budi");
    let filter = audit::AuditFilter {
        operator: Some("ADMIN".into()),
        entity: Some(audit::Entity::Operator),
        ..Default::default()
    };
    let page1 = audit::list(&conn, &supervisor, &filter, None, 2).unwrap();
    let page2 = audit::list(&conn, &supervisor, &filter, Some(page1[1].id), 2).unwrap();
    assert_eq!(
        page1.iter().map(|r| r.action.code()).collect::<Vec<_>>(),
        ["unlock", "password_set"]
    );
    assert_eq!(
        page2.iter().map(|r| r.action.code()).collect::<Vec<_>>(),
        ["enable", "disable"]
    );
    let today = audit::AuditFilter {
        from: Some(db::today()),
        to: Some(db::today()),
        ..Default::default()
    };
    assert!(
        !audit::list(&conn, &supervisor, &today, None, 1000)
            .unwrap()
            .is_empty()
    );
    let yesterday = db::today().pred_opt().unwrap();
    let none = audit::AuditFilter {
        to: Some(yesterday),
        ..Default::default()
    };
    assert!(
        audit::list(&conn, &supervisor, &none, None, 1000)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn audit_rows_can_be_neither_changed_nor_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::empty_db(&dir.path().join("audit.sqlite"));
    let admin = actor(&conn, "admin");
    settings::update(&conn, &admin, SettingKey::BackupKeep, "3").unwrap();
    let n = count(&conn, "SELECT count(*) FROM audit_log");
    assert!(n > 0);
    for sql in [
        "UPDATE audit_log SET operator_name = 'someone else'",
        "UPDATE audit_log SET after_json = NULL WHERE id = (SELECT max(id) FROM audit_log)",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
    ] {
        let err = DbError::from(conn.execute(sql, []).unwrap_err());
        assert!(
            matches!(&err, DbError::Constraint(Constraint::Trigger { message }) if message.contains("append-only")),
            "{sql}: {err:?}"
        );
    }
    assert_eq!(count(&conn, "SELECT count(*) FROM audit_log"), n);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE operator_name = 'admin'"
        ),
        n
    );
}

// --- backups ----------------------------------------------------------------------------------

fn integrity(path: &Path) -> String {
    let conn = Connection::open_unchecked(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_sound() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.sqlite");
    let conn = common::demo_db(&path, DEMO);
    let stop = Arc::new(AtomicBool::new(false));
    let (started_tx, started) = mpsc::channel();
    let writer = {
        let path = path.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let conn = common::store::open(&path);
            let admin = operators::actor_by_name(&conn, "admin").unwrap();
            let mut writes = 0u32;
            while !stop.load(Ordering::SeqCst) || writes < 20 {
                settings::update(
                    &conn,
                    &admin,
                    SettingKey::BackupKeep,
                    &(writes % 30 + 1).to_string(),
                )
                .unwrap();
                writes += 1;
                if writes == 1 {
                    started_tx.send(()).unwrap();
                }
            }
            writes
        })
    };
    started.recv().unwrap();
    let admin = actor(&conn, "admin");
    let mut outs = Vec::new();
    for i in 0..3 {
        let out = dir.path().join(format!("during-{i}.sqlite"));
        common::store::backup(&path, &conn, &admin, &out).unwrap();
        outs.push(out);
    }
    stop.store(true, Ordering::SeqCst);
    let writes = writer.join().unwrap();
    assert!(writes >= 20);
    for out in &outs {
        assert_sound(out);
        // A backup holds NIKs: owner-only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(out).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
    // Refuses to overwrite.
    assert!(matches!(
        common::store::backup(&path, &conn, &admin, &outs[0]),
        Err(BackupError::Db(DbError::AlreadyExists(_)))
    ));
}

/// A backup is whole: SQLite's copy passes the integrity check and loket's `verify` and is one
/// self-contained file (no WAL beside it); a server's pg_dump archive restores (pg_restore)
/// into a new database that loket's check finds whole, its audit chain included.
fn assert_sound(out: &Path) {
    if !common::store::on_postgres() {
        assert_eq!(integrity(out), "ok");
        backup::verify(out).unwrap();
        let copy = Connection::open_unchecked(out).unwrap();
        let mode: String = copy
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        return;
    }
    let url = std::env::var("LOKET_TEST_PG").unwrap();
    let copy = common::pg::PgDatabase::create(&url);
    let restored = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname", &copy.spec()])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}: {}",
        out.display(),
        String::from_utf8_lossy(&restored.stderr)
    );
    let report = db::pg_schema::check(&copy.connect()).unwrap();
    assert!(report.is_ok(), "{}: {report:?}", out.display());
}

#[test]
fn daily_backups_run_once_a_day_and_keep_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daily.sqlite");
    let conn = common::empty_db(&path);
    let backups = backup::backup_dir(&path);
    std::fs::create_dir_all(&backups).unwrap();
    // Twenty old daily backups and a manual one.
    for day in 1..=20 {
        std::fs::write(
            backups.join(format!("loket-2026-10-{day:02}.sqlite")),
            b"old",
        )
        .unwrap();
    }
    std::fs::write(
        backups.join("loket-before-restore-2026-10-01-101500.sqlite"),
        b"keep me",
    )
    .unwrap();
    let names = || {
        let mut names: Vec<String> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let first = backup::daily(&conn, &path, TODAY).unwrap();
    if common::store::on_postgres() {
        // A server is backed up on the server (pg_dump), never by a counter's first start of
        // the day: nothing is written, nothing pruned.
        assert_eq!(first, None);
        assert_eq!(names().len(), 21);
        return;
    }
    let first = first.unwrap();
    assert!(first.ends_with("loket-2026-11-22.sqlite"));
    assert_eq!(backup::daily(&conn, &path, TODAY).unwrap(), None);
    let names = names();
    assert_eq!(names.len(), 15, "{names:?}");
    assert_eq!(names[0], "loket-2026-10-08.sqlite");
    assert!(names.contains(&"loket-before-restore-2026-10-01-101500.sqlite".to_string()));
    assert_eq!(integrity(&first), "ok");
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn side_files(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap();
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    all
}

#[test]
fn a_damaged_or_foreign_file_is_refused_and_nothing_changes() {
    if common::store::file_only(
        "restoring damaged and foreign SQLite files over the database file; restoring a server \
         is pg_restore's work, not loket's: its PostgreSQL counterpart: none",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = data.join("loket.sqlite");
    let admin = {
        let conn = common::demo_db(&path, DEMO);
        let admin = actor(&conn, "admin");
        backup::backup_now(&conn, &admin, &dir.path().join("good.sqlite")).unwrap();
        admin
    }; // closed: the WAL is checkpointed into the file
    let good = read(&dir.path().join("good.sqlite"));

    let candidates: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage",
            b"this is not a database at all, just some text".repeat(100),
        ),
        ("truncated", good[..good.len() / 3].to_vec()),
        ("zeroed-middle", {
            let mut bytes = good.clone();
            let mid = bytes.len() / 2;
            bytes[mid..mid + 8192].fill(0xAB);
            bytes
        }),
        ("empty", Vec::new()),
    ];
    let before = read(&path);
    let files_before = side_files(&path);
    for (name, bytes) in candidates {
        let src = dir.path().join(format!("{name}.sqlite"));
        std::fs::write(&src, bytes).unwrap();
        let err = backup::restore(&path, &admin, &src).unwrap_err();
        assert!(
            matches!(
                err,
                BackupError::NotADatabase { .. }
                    | BackupError::Damaged { .. }
                    | BackupError::NotLoket { .. }
            ),
            "{name}: {err:?}"
        );
        assert!(
            err.text(Lang::Id).contains("Tidak ada yang diubah"),
            "{err}"
        );
        assert_eq!(read(&path), before, "{name} changed the database");
        assert_eq!(side_files(&path), files_before, "{name} left files behind");
    }

    // Another program's SQLite file, and a loket file from a newer version.
    let foreign = dir.path().join("foreign.sqlite");
    Connection::open_unchecked(&foreign).unwrap().execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x'); PRAGMA user_version = 1;").unwrap();
    assert!(matches!(
        backup::restore(&path, &admin, &foreign),
        Err(BackupError::NotLoket { .. })
    ));
    let newer = dir.path().join("newer.sqlite");
    std::fs::write(&newer, &good).unwrap();
    Connection::open_unchecked(&newer)
        .unwrap()
        .as_sqlite()
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(
        backup::restore(&path, &admin, &newer),
        Err(BackupError::TooNew { found: 99, .. })
    ));
    // Broken foreign keys are a damaged file too.
    let dangling = dir.path().join("dangling.sqlite");
    std::fs::write(&dangling, &good).unwrap();
    {
        let c = Connection::open_unchecked(&dangling).unwrap();
        c.as_sqlite()
            .unwrap()
            .pragma_update(None, "foreign_keys", false)
            .unwrap();
        c.execute("INSERT INTO audit_log (at, operator_id, operator_name, action, entity) VALUES ('2026-01-01 00:00:00', 9999, 'x', 'y', 'z')", []).unwrap();
    }
    assert!(matches!(
        backup::restore(&path, &admin, &dangling),
        Err(BackupError::Damaged { .. })
    ));
    assert!(matches!(
        backup::restore(&path, &admin, &dir.path().join("missing.sqlite")),
        Err(BackupError::Db(DbError::NotFound(_)))
    ));
    assert_eq!(read(&path), before);
    assert_eq!(side_files(&path), files_before);

    // A sound backup restores: a change made after it is gone, the safety copy keeps it.
    {
        let conn = db::open(&path).unwrap();
        settings::update(&conn, &admin, SettingKey::BackupKeep, "9").unwrap();
    }
    let restored = backup::restore(&path, &admin, &dir.path().join("good.sqlite")).unwrap();
    let conn = db::open(&path).unwrap();
    assert_eq!(settings::get(&conn, SettingKey::BackupKeep).unwrap(), "14");
    let safety = Connection::open_unchecked(restored.safety_backup.unwrap()).unwrap();
    assert_eq!(settings::get(&safety, SettingKey::BackupKeep).unwrap(), "9");
    assert_eq!(integrity(&path), "ok");
}

// --- the binary -------------------------------------------------------------------------------

#[test]
fn headless_commands_refuse_each_role_and_check_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli.sqlite");
    drop(common::demo_db(&path, DEMO));
    let two = format!("{SECRET}\n{SECRET}\n");
    // Clerks: no operators, audit, backup or restore.
    for args in [
        &["user", "list"][..],
        &["user", "add", "x", "--role", "clerk"],
        &["audit"],
        &["backup"],
        &["restore", "nothing.sqlite"],
    ] {
        let mut full = vec!["--as", "sari"];
        full.extend_from_slice(args);
        let (code, out, err) = loket_with(&path, &full, &[], &two);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("tidak berwenang"), "{args:?}: {err}");
    }
    // Supervisors: audit and backup yes, operators no.
    let (code, _, err) = loket_with(
        &path,
        &["--as", "budi", "user", "add", "x", "--role", "clerk"],
        &[],
        &two,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mengelola operator"), "{err}");
    let (code, out, err) = loket_with(
        &path,
        &["--as", "budi", "audit", "--json", "--limit", "5"],
        &[],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        serde_json::from_str::<serde_json::Value>(out.trim())
            .unwrap()
            .is_array()
    );
    let (code, out, err) = loket_with(
        &path,
        &[
            "--as",
            "budi",
            "backup",
            "--out",
            dir.path().join("b.sqlite").to_str().unwrap(),
        ],
        &[],
        "",
    );
    assert_eq!(code, 0, "{out}{err}");

    // Admin adds a clerk whose password comes from stdin, typed twice.
    let (code, _, err) = loket_with(
        &path,
        &["user", "add", "tono", "--role", "clerk"],
        &[],
        "rahasia-1\nrahasia-2\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("tidak sama"), "{err}");
    let (code, _, err) = loket_with(
        &path,
        &["user", "add", "tono", "--role", "clerk"],
        &[],
        "pendek\npendek\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("terlalu pendek"), "{err}");
    let (code, out, err) = loket_with(
        &path,
        &[
            "user",
            "add",
            "tono",
            "--role",
            "clerk",
            "--full-name",
            "Tono S",
        ],
        &[],
        &two,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("tono"));
    // tono has a password: without LOKET_PASSWORD (and no terminal) he is refused, with a hint.
    let (code, _, err) = loket_with(&path, &["--as", "tono", "nik", "3603324109900001"], &[], "");
    assert_eq!(code, 0, "nik needs no operator: {err}");
    let (code, _, err) = loket_with(
        &path,
        &["--as", "tono", "--lang", "en", "user", "passwd", "tono"],
        &[],
        &two,
    );
    assert_eq!(code, 2);
    assert!(err.contains("LOKET_PASSWORD"), "{err}");
    let (code, _, err) = loket_with(
        &path,
        &["--as", "tono", "user", "passwd", "tono"],
        &[("LOKET_PASSWORD", "salah-salah")],
        &two,
    );
    assert_eq!(code, 2);
    assert!(err.contains("salah"), "{err}");
    let (code, _, err) = loket_with(
        &path,
        &["--as", "tono", "user", "passwd", "tono"],
        &[("LOKET_PASSWORD", SECRET)],
        "rahasia-baru-9\n",
    );
    assert_eq!(code, 0, "{err}");
    // The list shows who has a password, never the hash.
    let (code, out, _) = loket_with(&path, &["user", "list", "--json"], &[], "");
    assert_eq!(code, 0);
    assert!(!out.contains("argon2"));
    let list: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let tono = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "tono")
        .unwrap();
    assert_eq!(
        (tono["role"].as_str(), tono["has_password"].as_bool()),
        (Some("clerk"), Some(true))
    );
    let (code, _, err) = loket_with(&path, &["user", "disable", "tono"], &[], "");
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = loket_with(
        &path,
        &["--as", "tono", "audit"],
        &[("LOKET_PASSWORD", "rahasia-baru-9")],
        "",
    );
    assert_eq!(code, 2);
    // The default database's daily backup sits beside it (a server's is pg_dump's, on the
    // server: none is taken by a counter).
    assert_eq!(
        backup::backup_dir(&path)
            .join(backup::daily_name(db::today()))
            .exists(),
        !common::store::on_postgres()
    );
}

#[test]
fn init_sets_the_admin_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("init.sqlite");
    let _server = common::store::fresh(&path);
    let (code, _, err) = loket_with(&path, &["init"], &[], "pendek\n");
    assert_eq!(code, 2, "{err}");
    let left = match common::store::on_postgres() {
        true => db::pg_schema::version(&common::store::connect(&path))
            .unwrap()
            .is_some(),
        false => path.exists(),
    };
    assert!(!left, "a refused password leaves no database behind");
    let (code, _, err) = loket_with(&path, &["init"], &[], &format!("{SECRET}\n{SECRET}\n"));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = loket_with(&path, &["user", "list"], &[], "");
    assert_eq!(code, 2);
    assert!(err.contains("LOKET_PASSWORD"), "{err}");
    let (code, out, err) = loket_with(&path, &["user", "list"], &[("LOKET_PASSWORD", SECRET)], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("admin"), "{out}");
    #[cfg(unix)]
    if !common::store::on_postgres() {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn check_command_fails_on_broken_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("check.sqlite");
    drop(common::demo_db(&path, DEMO));
    let (code, out, err) = loket_with(&path, &["check", "--json"], &[], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\"ok\":true"), "{out}");
    {
        // Around the foreign keys, as a hand edit would: SQLite with `foreign_keys` off; the
        // server with the triggers that check them off for the session.
        let c = common::store::connect(&path);
        match c.as_sqlite() {
            Some(lite) => lite.pragma_update(None, "foreign_keys", false).unwrap(),
            None => c
                .execute_batch("SET session_replication_role = replica")
                .unwrap(),
        }
        c.execute(
            "INSERT INTO audit_log (at, operator_id, operator_name, action, entity) VALUES (?1, 9999, 'x', 'y', 'z')",
            params!["2026-01-01 00:00:00"],
        )
        .unwrap();
    }
    let (code, out, _) = loket_with(&path, &["check"], &[], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("audit_log"), "{out}");
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"not a database".repeat(500)).unwrap();
    let (code, _, _) = loket_with(&garbage, &["check"], &[], "");
    assert_eq!(code, 1);
}

// --- screens ----------------------------------------------------------------------------------

fn root(ctx: &Ctx) -> Box<dyn loket::ui::Screen> {
    Box::new(SearchScreen::new(ctx))
}

fn login_app(conn: Connection, prefill: &str) -> App {
    let nobody = Actor {
        id: 0,
        name: "-".into(),
        role: Role::Clerk,
    };
    let (ctx, _answers) = common::ctx(conn, nobody, Lang::Id, TODAY);
    App::new(ctx, Box::new(Login::new(prefill, root)))
}

#[test]
fn login_screen_logs_in_and_the_idle_lock_asks_again() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::empty_db(&dir.path().join("login.sqlite"));
    let admin = actor(&conn, "admin");
    auth::set_password(&conn, &admin, "admin", SECRET).unwrap();
    let mut app = login_app(conn, "admin");
    insta::assert_snapshot!("login_80x24", draw(&mut app));
    // No menu before login.
    press(&mut app, KeyCode::F(9));
    assert_eq!(app.top_title(), "Masuk");
    type_text(&mut app, "salah-salah");
    press(&mut app, KeyCode::Enter);
    let screen = draw(&mut app);
    assert!(screen.contains("kata sandi salah"), "{screen}");
    assert!(!screen.contains("salah-salah"), "a password is never shown");
    type_text(&mut app, SECRET);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_title(), "Cari penduduk");
    assert_eq!(app.ctx.actor.name, "admin");

    // Ten idle minutes later the screen locks; Esc and F9 do not get past it.
    assert!(!app.idle_check(Instant::now()));
    assert!(app.idle_check(Instant::now() + Duration::from_secs(10 * 60 + 1)));
    assert_eq!(app.top_title(), "Layar terkunci");
    let screen = draw(&mut app);
    assert!(
        !screen.contains("NIK, nomor KK, atau nama"),
        "the screen below is hidden: {screen}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::F(9));
    assert_eq!(app.top_title(), "Layar terkunci");
    type_text(&mut app, "salah-salah");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_title(), "Layar terkunci");
    type_text(&mut app, SECRET);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_title(), "Cari penduduk");
    let unlocks = count(
        &app.ctx.conn,
        "SELECT count(*) FROM audit_log WHERE action = 'login' AND after_json LIKE '%unlock%'",
    );
    assert_eq!(unlocks, 1);
}

#[test]
fn an_operator_without_password_unlocks_with_enter_and_supervisors_browse_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let mut app = login_app(conn, "");
    type_text(&mut app, "budi");
    press(&mut app, KeyCode::Enter); // to the password field
    press(&mut app, KeyCode::Enter); // budi has none
    assert_eq!(app.ctx.actor.name, "budi");
    assert!(app.idle_check(Instant::now() + Duration::from_secs(3600)));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_title(), "Cari penduduk");

    // The F9 menu offers the audit trail to a supervisor, not the operators screen.
    press(&mut app, KeyCode::F(9));
    let menu = draw(&mut app);
    assert!(
        menu.contains("Jejak audit")
            && !menu
                .lines()
                .any(|l| l.contains('│') && l.contains("  Operator ")),
        "{menu}"
    );
    // Open the audit row by its number, wherever the menu puts it.
    let row = menu
        .lines()
        .find(|l| l.contains("Jejak audit"))
        .and_then(|l| l.chars().find(|c| c.is_ascii_digit()))
        .unwrap();
    press(&mut app, KeyCode::Char(row));
    assert_eq!(app.top_title(), "Jejak audit");
    let screen = draw(&mut app);
    assert!(
        screen.contains("budi") && screen.contains("login"),
        "{screen}"
    );
    // Filter by entity: Tab to the entity field, type, Enter.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "setting");
    press(&mut app, KeyCode::Enter);
    assert!(draw(&mut app).contains("Tidak ada baris audit"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.top_title(), "Cari penduduk");
}
