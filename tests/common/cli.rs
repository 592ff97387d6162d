//! The real `loket` binary, run as a script runs it: arguments, environment and stdin in; exit
//! code, stdout and stderr out. The environment variables loket reads are removed first, so the
//! machine's settings never leak into a test.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The `loket` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_loket");

/// `loket --db DB ARGS...` with an empty stdin: (exit code, stdout, stderr).
pub fn loket(db: &Path, args: &[&str]) -> (i32, String, String) {
    loket_with(db, args, &[], "")
}

/// `loket --db DB ARGS...` with extra environment variables and `stdin` as its input. `DB` is
/// the server database standing for the path on PostgreSQL (`store::arg`).
pub fn loket_with(
    db: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &str,
) -> (i32, String, String) {
    let home = super::store::data_home(db);
    let db = super::store::arg(db);
    let db = db.to_str().expect("a UTF-8 temporary path");
    let full: Vec<&str> = ["--db", db]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    // A server's local files (drafts, documents) go to a folder of the test's own.
    let home = home.map(|h| h.to_string_lossy().into_owned());
    let mut env = env.to_vec();
    if let Some(home) = &home {
        env.push(("XDG_DATA_HOME", home));
    }
    run(&full, &env, stdin)
}

/// `loket --db DB demo --residents 300 --seed 1`, made by the binary itself: its cohorts are
/// dated from the binary's today (the templates of `db.rs` from a fixed day).
pub fn binary_demo(db: &Path) {
    let (code, out, err) = loket(db, &["demo", "--residents", "300", "--seed", "1"]);
    assert_eq!(code, 0, "loket demo: {out}{err}");
}

/// `loket --db DB ARGS...`: the exit code and stdout read as JSON (`Null` when it is not JSON).
pub fn loket_json(db: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let (code, stdout, _) = loket(db, args);
    let value = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (code, value)
}

/// `loket ARGS...` (no `--db` added) with extra environment variables and `stdin` as its input.
pub fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("LOKET_LANG")
        .env_remove("LOKET_PASSWORD")
        .env_remove("LOKET_DB")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // A command refused early never reads its input: a broken pipe here is no failure.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The PDF's text, pages separated by form feeds (`pdftotext -layout`).
pub fn pdf_text(file: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed on {file:?}");
    String::from_utf8(out.stdout).unwrap()
}
