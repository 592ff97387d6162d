//! SQL is written once with SQLite's placeholders (`?1`, `?2`, bare `?`); PostgreSQL wants `$1`.
//! The rewrite skips string literals, quoted identifiers, comments and dollar-quoted bodies, and
//! numbers a bare `?` as SQLite does (one more than the largest number so far). Never parses
//! anything else: `$1` written by hand passes through, and PostgreSQL's jsonb `?` operators
//! cannot be used in seam SQL.

/// The statement text for PostgreSQL.
pub fn to_postgres(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0u32;
    let mut i = 0;
    // Copies `sql[from..to]` verbatim (always at ASCII boundaries, so on char boundaries).
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => i = skip_quoted(bytes, i, bytes[i]),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'$' => i = skip_dollar_quoted(bytes, i),
            b'?' => {
                out.push_str(&sql[copied..i]);
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let number = if digits == 0 {
                    largest + 1
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(u32::MAX)
                };
                largest = largest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied..]);
    out
}

/// Past a `'...'` or `"..."` starting at `start`; a doubled quote is part of the text.
fn skip_quoted(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// Past a `/* ... */` (nested, as PostgreSQL reads them).
fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Past `$tag$ ... $tag$` when `start` opens one; else past the `$` alone (`$1`, `a$b`).
fn skip_dollar_quoted(bytes: &[u8], start: usize) -> usize {
    let tag_len = bytes[start + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let close = start + 1 + tag_len;
    let in_identifier =
        start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
    let is_tag = !in_identifier
        && bytes.get(close) == Some(&b'$')
        && !bytes
            .get(start + 1)
            .is_some_and(|b| b.is_ascii_digit() && tag_len > 0);
    if !is_tag {
        return start + 1;
    }
    let tag = &bytes[start..=close];
    let body = close + 1;
    bytes[body..]
        .windows(tag.len())
        .position(|w| w == tag)
        .map_or(bytes.len(), |p| body + p + tag.len())
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn numbered_and_bare_placeholders() {
        let cases = [
            ("SELECT ?1, ?2", "SELECT $1, $2"),
            ("SELECT ?, ?, ?", "SELECT $1, $2, $3"),
            ("SELECT ?2, ?", "SELECT $2, $3"),
            ("WHERE a = ?1 OR b = ?1", "WHERE a = $1 OR b = $1"),
            ("LIMIT ?10", "LIMIT $10"),
            ("x=?1)", "x=$1)"),
            ("?1", "$1"),
            ("", ""),
        ];
        for (sqlite, pg) in cases {
            assert_eq!(to_postgres(sqlite), pg, "{sqlite}");
        }
    }

    #[test]
    fn skips_strings_identifiers_and_comments() {
        let cases = [
            ("SELECT '?1', ?1", "SELECT '?1', $1"),
            ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"),
            (
                "SELECT \"odd?\" FROM t WHERE x = ?1",
                "SELECT \"odd?\" FROM t WHERE x = $1",
            ),
            ("SELECT ?1 -- what? \n, ?2", "SELECT $1 -- what? \n, $2"),
            ("SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1"),
            ("SELECT $$ ? $$, ?1", "SELECT $$ ? $$, $1"),
            ("SELECT $f$ it's ? $f$, ?1", "SELECT $f$ it's ? $f$, $1"),
            ("SELECT $1, ?2", "SELECT $1, $2"),
            (
                "SELECT 'nama ☺ ?', ?1 || '☺'",
                "SELECT 'nama ☺ ?', $1 || '☺'",
            ),
            ("SELECT 'unterminated ?", "SELECT 'unterminated ?"),
        ];
        for (sqlite, pg) in cases {
            assert_eq!(to_postgres(sqlite), pg, "{sqlite}");
        }
    }
}
