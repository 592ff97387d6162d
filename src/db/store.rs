//! Where the database lives, as the screens and commands carry it: an SQLite file, or a
//! PostgreSQL server (issue 18). Opening either hands out the same `Connection`; nothing above
//! `db/` asks which it is, but for what it shows (`label`) and where a counter keeps its own
//! files (`local_anchor`).

use std::path::{Path, PathBuf};

use super::sql::PgTarget;
use super::{Connection, DbError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    File(PathBuf),
    /// A `postgres://` URL or libpq `key=value` string, as given (no password in it).
    Server(String),
}

impl Store {
    /// A connection that may write (`db::open` / `db::open_server`).
    pub fn open(&self) -> Result<Connection, DbError> {
        match self {
            Store::File(path) => super::open(path),
            Store::Server(spec) => super::open_server(spec),
        }
    }

    /// A connection for reading only (the search worker's): SQLite's read-only open; on a
    /// server a session whose transactions are read-only.
    pub fn open_read_only(&self) -> Result<Connection, DbError> {
        match self {
            Store::File(path) => super::open_read_only(path),
            Store::Server(spec) => {
                let conn = super::open_server(spec)?;
                conn.execute_batch("SET default_transaction_read_only = on")?;
                Ok(conn)
            }
        }
    }

    /// What the status line shows: the file's path, or `postgres://user@host:port/db`.
    pub fn label(&self) -> String {
        match self {
            Store::File(path) => path.display().to_string(),
            Store::Server(spec) => {
                PgTarget::parse(spec).map_or_else(|_| spec.clone(), |t| t.to_string())
            }
        }
    }

    /// The path a counter's own files (drafts of a closed window) are kept beside: the file
    /// itself, or, for a server, a name for it in this computer's data folder.
    pub fn local_anchor(&self) -> PathBuf {
        match self {
            Store::File(path) => path.clone(),
            Store::Server(spec) => {
                let name: String = match PgTarget::parse(spec) {
                    Ok(t) => format!("{}-{}-{}", t.host, t.port, t.dbname),
                    Err(_) => spec.clone(),
                }
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
                let folder = super::default_path()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .unwrap_or_default();
                folder.join(format!("server-{name}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_anchor_is_a_plain_file_name_per_server_and_database() {
        let a = Store::Server("postgres://loket@10.0.0.5:5432/kab".into()).local_anchor();
        let b = Store::Server("host=/run/postgresql dbname=kab user=loket".into()).local_anchor();
        let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name(&a), "server-10.0.0.5-5432-kab");
        assert!(!name(&b).contains('/'), "{}", name(&b));
        assert_eq!(
            Store::File(PathBuf::from("/srv/loket.sqlite")).local_anchor(),
            PathBuf::from("/srv/loket.sqlite")
        );
    }
}
