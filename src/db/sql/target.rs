//! Where a PostgreSQL store is: `postgres://user@host:port/dbname?sslmode=...` or libpq's
//! `host=... port=... dbname=... user=... sslmode=...`, with libpq's environment defaults
//! (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, PGSSLROOTCERT). The password never comes from
//! the connection string (it would sit in shell history, `ps` and logs): only from PGPASSWORD or
//! the password file (PGPASSFILE, default ~/.pgpass). Never connects, never prints a password.

use std::path::{Path, PathBuf};

use super::{Error, Result};

/// How much TLS a connection demands (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disable,
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    Prefer,
    /// TLS or no connection; the certificate is not checked (encryption only).
    Require,
    /// TLS with a certificate signed by `sslrootcert`; any host name.
    VerifyCa,
    /// TLS with a certificate signed by `sslrootcert` and naming the host.
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Result<SslMode> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => return Err(invalid(format!("unknown sslmode `{other}`"))),
        })
    }
}

/// A PostgreSQL server and database, without the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgTarget {
    /// A host name, an IP address, or a directory holding the server's Unix socket.
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
    pub sslmode: SslMode,
    /// The CA certificate(s), PEM, for verify-ca and verify-full.
    pub sslrootcert: Option<PathBuf>,
    pub application_name: String,
    /// Seconds to wait for the server to answer a connection (0: the default).
    pub connect_timeout: u64,
}

fn invalid(why: String) -> Error {
    Error::InvalidTarget(why)
}

const PASSWORD_REFUSED: &str = "a password does not belong in the connection string (it would be seen in shell history and process lists); set PGPASSWORD or put it in ~/.pgpass";

/// True when `spec` names a PostgreSQL store rather than a SQLite file.
pub fn is_postgres(spec: &str) -> bool {
    spec.starts_with("postgres://")
        || spec.starts_with("postgresql://")
        || key_values(spec).is_ok_and(|kv| !kv.is_empty())
}

/// `postgres://user@host:port/dbname`: the server and database, never a password.
impl std::fmt::Display for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "postgres://{}@{}:{}/{}",
            self.user, self.host, self.port, self.dbname
        )
    }
}

impl PgTarget {
    /// Parses a URL or key=value string, filling what it lacks from the environment.
    pub fn parse(spec: &str) -> Result<PgTarget> {
        PgTarget::parse_with(spec, &|k| std::env::var(k).ok())
    }

    /// As `parse`, reading the environment through `env` (tests).
    pub fn parse_with(spec: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<PgTarget> {
        let pairs = match spec
            .strip_prefix("postgresql://")
            .or_else(|| spec.strip_prefix("postgres://"))
        {
            Some(rest) => url_pairs(rest)?,
            None => key_values(spec)?,
        };
        let mut target = PgTarget {
            host: String::new(),
            port: 0,
            dbname: String::new(),
            user: String::new(),
            sslmode: SslMode::Prefer,
            sslrootcert: None,
            application_name: "loket".into(),
            connect_timeout: 10,
        };
        let mut port = None;
        let mut sslmode = None;
        for (key, value) in pairs {
            match key.as_str() {
                "host" => target.host = value,
                "port" => port = Some(value),
                "dbname" => target.dbname = value,
                "user" => target.user = value,
                "sslmode" => sslmode = Some(value),
                "sslrootcert" => target.sslrootcert = Some(PathBuf::from(value)),
                "application_name" => target.application_name = value,
                "connect_timeout" => {
                    target.connect_timeout = value.parse().map_err(|_| {
                        invalid(format!("connect_timeout `{value}` is not a number"))
                    })?
                }
                "password" => return Err(invalid(PASSWORD_REFUSED.into())),
                other => return Err(invalid(format!("unknown connection option `{other}`"))),
            }
        }
        if target.host.is_empty() {
            target.host = env("PGHOST").unwrap_or_else(|| "localhost".into());
        }
        let port = port
            .or_else(|| env("PGPORT"))
            .unwrap_or_else(|| "5432".into());
        target.port = port
            .parse()
            .map_err(|_| invalid(format!("port `{port}` is not a number")))?;
        if target.user.is_empty() {
            target.user = env("PGUSER")
                .or_else(|| env("USER"))
                .unwrap_or_else(|| "postgres".into());
        }
        if target.dbname.is_empty() {
            target.dbname = env("PGDATABASE").unwrap_or_else(|| target.user.clone());
        }
        if let Some(mode) = sslmode.or_else(|| env("PGSSLMODE")) {
            target.sslmode = SslMode::parse(&mode)?;
        }
        if target.sslrootcert.is_none() {
            target.sslrootcert = env("PGSSLROOTCERT").map(PathBuf::from).or_else(|| {
                env("HOME")
                    .map(|h| Path::new(&h).join(".postgresql/root.crt"))
                    .filter(|p| p.exists())
            });
        }
        Ok(target)
    }

    /// The password for this target: PGPASSWORD, else the first matching line of the password
    /// file (PGPASSFILE or ~/.pgpass; ignored, as libpq does, when others can read it).
    pub fn password(&self, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        if let Some(p) = env("PGPASSWORD") {
            return Some(p);
        }
        let file = env("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
        if !private(&file) {
            return None;
        }
        let text = std::fs::read_to_string(&file).ok()?;
        pgpass_lookup(&text, self)
    }
}

#[cfg(unix)]
fn private(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(file: &Path) -> bool {
    file.is_file()
}

/// The password of the first `host:port:database:user:password` line matching `target`; `*`
/// matches anything, `\:` and `\\` are a literal colon and backslash.
pub fn pgpass_lookup(text: &str, target: &PgTarget) -> Option<String> {
    let port = target.port.to_string();
    let wanted = [target.host.as_str(), &port, &target.dbname, &target.user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|line| {
            let fields = pgpass_fields(line);
            (fields.len() == 5).then_some(fields)
        })
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f == "*" || f == w)
        })
        .map(|mut fields| fields.swap_remove(4))
}

fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(f)) = (chars.next(), fields.last_mut()) {
                    f.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

/// `[user@][host][:port][/dbname][?key=value&...]` as key/value pairs, percent-decoded.
fn url_pairs(rest: &str) -> Result<Vec<(String, String)>> {
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = main.split_once('/').unwrap_or((main, ""));
    let mut pairs = Vec::new();
    let host_port = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => {
            if userinfo.contains(':') {
                return Err(invalid(PASSWORD_REFUSED.into()));
            }
            if !userinfo.is_empty() {
                pairs.push(("user".into(), percent_decode(userinfo)?));
            }
            host_port
        }
        None => authority,
    };
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| invalid("unclosed `[` in the host".into()))?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.contains(',') {
        return Err(invalid("several hosts are not supported".into()));
    }
    if !host.is_empty() {
        pairs.push(("host".into(), percent_decode(host)?));
    }
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        pairs.push(("port".into(), port.to_string()));
    }
    if !path.is_empty() {
        pairs.push(("dbname".into(), percent_decode(path)?));
    }
    for item in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| invalid(format!("`{item}` is not key=value")))?;
        pairs.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(pairs)
}

fn percent_decode(s: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| invalid(format!("bad percent escape in `{s}`")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid(format!("`{s}` is not UTF-8")))
}

/// libpq's `key=value key='quoted \' value'` list. An empty string is an error (not a target).
fn key_values(spec: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut chars = spec.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(invalid(format!("`{key}` has no `=value`")));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err(invalid(format!("unterminated quote after `{key}=`"))),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        if !KEYS.contains(&key.as_str()) {
            return Err(invalid(format!("unknown connection option `{key}`")));
        }
        pairs.push((key, value));
    }
    if pairs.is_empty() {
        return Err(invalid("empty connection string".into()));
    }
    Ok(pairs)
}

const KEYS: &[&str] = &[
    "host",
    "port",
    "dbname",
    "user",
    "password",
    "sslmode",
    "sslrootcert",
    "application_name",
    "connect_timeout",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn parse(spec: &str) -> Result<PgTarget> {
        PgTarget::parse_with(spec, &no_env)
    }

    #[test]
    fn urls_and_key_values_agree() {
        let url = parse(
            "postgres://loket@db.kab.go.id:5433/loket?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        )
        .ok();
        let kv = parse("host=db.kab.go.id port=5433 dbname=loket user=loket sslmode=verify-full sslrootcert='/etc/ca.pem'")
            .ok();
        assert!(url.is_some());
        assert_eq!(url, kv);
        let t = url.unwrap_or_else(|| unreachable!());
        assert_eq!(t.host, "db.kab.go.id");
        assert_eq!(t.port, 5433);
        assert_eq!(t.sslmode, SslMode::VerifyFull);
        assert_eq!(t.sslrootcert, Some(PathBuf::from("/etc/ca.pem")));
    }

    #[test]
    fn defaults_from_the_environment() {
        let env = |k: &str| match k {
            "PGHOST" => Some("10.0.0.5".to_string()),
            "PGUSER" => Some("petugas".to_string()),
            "PGSSLMODE" => Some("require".to_string()),
            _ => None,
        };
        let t = PgTarget::parse_with("postgresql:///desk", &env).ok();
        assert_eq!(
            t.map(|t| (t.host, t.port, t.user, t.dbname, t.sslmode)),
            Some((
                "10.0.0.5".into(),
                5432,
                "petugas".into(),
                "desk".into(),
                SslMode::Require
            ))
        );
        let t = PgTarget::parse_with("postgres://[::1]:6000", &env).ok();
        assert_eq!(
            t.map(|t| (t.host, t.port, t.dbname)),
            Some(("::1".into(), 6000, "petugas".into()))
        );
    }

    #[test]
    fn passwords_in_the_string_are_refused() {
        for spec in [
            "postgres://loket:rahasia@db/loket",
            "postgres://loket@db/loket?password=rahasia",
            "host=db password=rahasia",
        ] {
            match parse(spec) {
                Err(Error::InvalidTarget(why)) => {
                    assert!(why.contains("PGPASSWORD"), "{why}");
                    assert!(!why.contains("rahasia"));
                }
                other => panic!("{spec}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_strings_are_refused_and_paths_are_not_targets() {
        assert!(parse("host=db sslmode=sometimes").is_err());
        assert!(parse("host=db colour=red").is_err());
        assert!(parse("postgres://db:port/x").is_err());
        assert!(!is_postgres("/home/kec/loket.sqlite"));
        assert!(!is_postgres("loket=1.sqlite"));
        assert!(!is_postgres(""));
        assert!(is_postgres("host=/var/run/postgresql dbname=loket"));
        assert!(is_postgres("postgresql://db/loket"));
    }

    #[test]
    fn pgpass_matching_and_escapes() {
        let target = parse("postgres://loket@db:5432/desk").unwrap_or_else(|e| panic!("{e}"));
        let text = "# comment\n\
                    other:5432:desk:loket:wrong\n\
                    db:*:desk:loket:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(pgpass_lookup(text, &target).as_deref(), Some("pa:ss\\word"));
        let other = parse("postgres://admin@db/desk").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pgpass_lookup(text, &other).as_deref(), Some("fallback"));
        assert_eq!(pgpass_lookup("db:5432:desk:loket\n", &target), None);
    }

    #[test]
    fn password_file_must_be_private() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:*:s3cret\n").unwrap_or_else(|e| panic!("{e}"));
        let target = parse("host=db").unwrap_or_else(|e| panic!("{e}"));
        let path = file.display().to_string();
        let env = |k: &str| (k == "PGPASSFILE").then(|| path.clone());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let set = |mode| std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode));
            set(0o644).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(target.password(&env), None);
            set(0o600).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(target.password(&env).as_deref(), Some("s3cret"));
        let with_env = |k: &str| (k == "PGPASSWORD").then(|| "from-env".to_string());
        assert_eq!(target.password(&with_env).as_deref(), Some("from-env"));
    }
}
