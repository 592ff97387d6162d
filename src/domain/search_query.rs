//! Reading the desk's one search line (issue 15): name words first, then what narrows them, a
//! year or a day of birth and a desa or kecamatan. Also how a NIK or KK found by its first digits
//! is shown in a list. Pure: the region names come in as a [`PlaceBook`] and "does a resident's
//! name hold these words" is asked through [`Names`]; never touches storage or the clock.
//!
//! The grammar (DOMAIN.md "Who and where": the clerk asks the resident's name, year of birth and
//! desa, and types them in that order), read from the end of the line:
//! - a line of digits only (spaces, dots and dashes ignored) is a NIK or KK prefix, nothing else;
//! - the first word is always a name word;
//! - a trailing `1990` (four digits) narrows to a birth year; `17-08-1990`, `17/08/1990`,
//!   `17.08.1990`, `17081990` or `1990-08-17` to a birth day. A day that does not exist
//!   (`31-02-1990`) matches nobody and is told as such, rather than searched as a name;
//! - trailing words (up to three: `pasir gin`) that begin the name of a desa or kecamatan of the
//!   office's kabupaten narrow by place (case and spaces ignored, at least three letters), but
//!   only when no resident's name holds them: a name is never hidden behind a place spelt the
//!   same (`agus budi` stays a name although desa Budi Mulya exists; `siti kemiri` finds no
//!   SITI KEMIRI... and so means Kemiri). Every place the words begin counts: `kemiri` is
//!   kecamatan Kemiri (which holds desa Kemiri), `suka` every desa and kecamatan named Suka...;
//! - `desa X`, `kel X`, `kelurahan X`, `kec X` or `kecamatan X` asks for that kind of place only,
//!   even when a name holds X (`siti desa kemiri` is desa Kemiri, not the whole kecamatan);
//! - a word in double quotes is always a name word: the desk's undo key quotes the last reading,
//!   so what the clerk sees in the line is all there is to the query.
//!
//! At most one birth filter and one place, in either order.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::nik::normalize_digits;
use super::person::parse_date_flexible;

/// What the line asks for before any filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Target {
    /// Nothing to search for.
    #[default]
    Empty,
    /// A NIK or KK prefix: digits only.
    Digits(String),
    /// Name words as typed (quotes removed), separated by single spaces.
    Name(String),
}

/// Tahun or tanggal lahir the resident must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Born {
    Year(i32),
    Day(NaiveDate),
}

impl Born {
    /// The first day that matches and the first day after it that does not.
    pub fn range(self) -> (NaiveDate, NaiveDate) {
        match self {
            Born::Year(y) => (first_of(y), first_of(y.saturating_add(1))),
            Born::Day(d) => (d, d.succ_opt().unwrap_or(d)),
        }
    }

    /// The command line's `--born`: `YYYY` or `YYYY-MM-DD` (the other spellings of the desk
    /// are accepted too).
    pub fn parse(text: &str) -> Option<Born> {
        match date_word(text.trim()) {
            Some(Ok(born)) => Some(born),
            _ => None,
        }
    }
}

fn first_of(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Kecamatan or desa/kelurahan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    District,
    Village,
}

/// A kecamatan or desa of the office's kabupaten, as the region tables name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub kind: PlaceKind,
    /// Dotted code: `36.03.09` for a kecamatan, `36.03.09.2001` for a desa.
    pub code: String,
    pub name: String,
    /// The kecamatan itself, or the one the desa lies in.
    pub district_code: String,
    pub district_name: String,
}

/// The places a line may name, with the keys they are matched by.
#[derive(Debug, Clone, Default)]
pub struct PlaceBook {
    places: Vec<(String, Place)>,
}

/// A place name as it is matched: lowercase letters and digits only, so `Pasir Gintung`,
/// `pasirgintung` and `pasir-gintung` are one name.
pub fn place_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl PlaceBook {
    pub fn new(places: Vec<Place>) -> PlaceBook {
        PlaceBook {
            places: places
                .into_iter()
                .map(|p| (place_key(&p.name), p))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The place with this code.
    pub fn place(&self, code: &str) -> Option<&Place> {
        self.places.iter().map(|(_, p)| p).find(|p| p.code == code)
    }

    /// Every place (of `kind`, when given) whose name begins with `typed`, kecamatan first, then
    /// by name and code.
    pub fn starting(&self, typed: &str, kind: Option<PlaceKind>) -> Vec<Place> {
        let key = place_key(typed);
        if key.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<Place> = self
            .places
            .iter()
            .filter(|(k, p)| k.starts_with(&key) && kind.is_none_or(|kind| p.kind == kind))
            .map(|(_, p)| p.clone())
            .collect();
        found.sort_by(|a, b| {
            (a.kind != PlaceKind::District, &a.name, &a.code).cmp(&(
                b.kind != PlaceKind::District,
                &b.name,
                &b.code,
            ))
        });
        found
    }

    /// The desa codes the places cover: a kecamatan's every desa, a desa itself; sorted, once.
    pub fn village_codes(&self, places: &[Place]) -> Vec<String> {
        let mut codes: Vec<String> = self
            .places
            .iter()
            .map(|(_, v)| v)
            .filter(|v| v.kind == PlaceKind::Village)
            .filter(|v| {
                places.iter().any(|p| match p.kind {
                    PlaceKind::Village => p.code == v.code,
                    PlaceKind::District => p.code == v.district_code,
                })
            })
            .map(|v| v.code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

/// Whether some resident's name holds every one of the words (each a word prefix, as the name
/// search matches them). The parser asks before reading a word as a place.
pub trait Names {
    fn held(&self, words: &str) -> bool;
}

/// What the search is asked, whether it came from the desk's line or the command line's flags.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub target: Target,
    pub born: Option<Born>,
    /// The desa a resident must live in (dotted codes); `None` is anywhere.
    pub villages: Option<Vec<String>>,
    /// The line asks for something nobody can match (a day that does not exist, a `desa X`
    /// that names no desa): the database is not asked.
    pub impossible: bool,
}

impl Search {
    /// A NIK/KK prefix or name words, without filters (what `loket search QUERY` always was).
    pub fn plain(text: &str) -> Search {
        Search {
            target: target_of(text),
            ..Search::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.target == Target::Empty
    }
}

/// Digits (a NIK or KK prefix), name words, or nothing.
fn target_of(text: &str) -> Target {
    let digits = normalize_digits(text);
    if digits.is_empty() || !digits.chars().any(|c| c.is_alphanumeric()) {
        Target::Empty
    } else if digits.chars().all(|c| c.is_ascii_digit()) {
        Target::Digits(digits)
    } else {
        Target::Name(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// How some words of the line were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Where the words are in the line (bytes), keyword included.
    pub span: Range<usize>,
    /// The words as typed.
    pub typed: String,
    pub read: Read,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    Born(Born),
    /// Written as a date, but no such day exists.
    NoSuchDay,
    /// These places; `asked` when a keyword (`desa`, `kec`) chose the kind.
    Place {
        asked: Option<PlaceKind>,
        places: Vec<Place>,
    },
    /// A keyword asked for a place of that kind, and none begins so.
    NoPlace(PlaceKind),
}

/// The line read: what to search for and how each filter word was understood.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeskQuery {
    pub search: Search,
    /// In the order of the line.
    pub readings: Vec<Reading>,
}

impl DeskQuery {
    /// The name words (what a new registration starts from), if the line is a name.
    pub fn name(&self) -> Option<&str> {
        match &self.search.target {
            Target::Name(name) => Some(name),
            _ => None,
        }
    }
}

/// One word of the line, or a quoted group.
#[derive(Debug, Clone)]
struct Token<'a> {
    text: &'a str,
    span: Range<usize>,
    quoted: bool,
}

/// Splits on whitespace; `"..."` is one token, always a name (an unclosed quote runs to the end).
fn tokens(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            let mut end = line.len();
            let mut close = line.len();
            for (i, c) in chars.by_ref() {
                if c == '"' {
                    close = i;
                    end = i + 1;
                    break;
                }
            }
            let inner = line[start + 1..close].trim();
            if !inner.is_empty() {
                out.push(Token {
                    text: inner,
                    span: start..end,
                    quoted: true,
                });
            }
            continue;
        }
        let mut end = line.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                end = i;
                break;
            }
            chars.next();
        }
        out.push(Token {
            text: &line[start..end],
            span: start..end,
            quoted: false,
        });
    }
    out
}

/// Words that ask for a kind of place.
fn keyword(word: &str) -> Option<PlaceKind> {
    match word.to_ascii_lowercase().trim_end_matches('.') {
        "desa" | "kel" | "kelurahan" | "ds" => Some(PlaceKind::Village),
        "kec" | "kecamatan" => Some(PlaceKind::District),
        _ => None,
    }
}

/// A word written as a date: `Some(Ok)` a year or an existing day, `Some(Err)` a day that does
/// not exist, `None` not a date at all.
fn date_word(word: &str) -> Option<Result<Born, ()>> {
    let digits_only = word.chars().all(|c| c.is_ascii_digit());
    if digits_only && word.len() == 4 {
        return word.parse().ok().map(|y| Ok(Born::Year(y)));
    }
    if digits_only && word.len() == 8 {
        // DDMMYYYY, as a KTP's date reads without its dashes
        let (d, m, y) = (&word[0..2], &word[2..4], &word[4..8]);
        let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        return Some(day.map(Born::Day).ok_or(()));
    }
    let separated = word
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'));
    let parts: Vec<&str> = word.split(['-', '/', '.']).collect();
    let shaped = separated
        && parts.len() == 3
        && parts.iter().all(|p| !p.is_empty())
        && (parts[0].len() == 4 || parts[2].len() == 4);
    if !shaped {
        return None;
    }
    Some(parse_date_flexible(word).map(Born::Day).ok_or(()))
}

/// Reads the desk's line (see the module documentation for the grammar).
pub fn read(line: &str, book: &PlaceBook, names: &dyn Names) -> DeskQuery {
    let target = target_of(line);
    if !matches!(target, Target::Name(_)) {
        return DeskQuery {
            search: Search {
                target,
                ..Search::default()
            },
            readings: Vec::new(),
        };
    }
    let tokens = tokens(line);
    // Tokens read as filters; the others are the name, in the order typed.
    let mut taken = vec![false; tokens.len()];
    let name_of = |taken: &[bool]| -> String {
        tokens
            .iter()
            .zip(taken)
            .filter(|(_, t)| !**t)
            .map(|(t, _)| t.text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut search = Search::default();
    let mut readings = Vec::new();
    let mut end = tokens.len();
    // A keyword typed last, its place not yet: neither a name word nor a filter.
    if end > 1 && !tokens[end - 1].quoted && keyword(tokens[end - 1].text).is_some() {
        taken[end - 1] = true;
        end -= 1;
    }
    let mut dated = false;
    while end > 1 {
        let last = &tokens[end - 1];
        if last.quoted {
            end -= 1; // a name, and what stands before it may still be a filter
            continue;
        }
        if !dated && let Some(date) = date_word(last.text) {
            dated = true;
            let read = match date {
                Ok(born) => {
                    search.born = Some(born);
                    Read::Born(born)
                }
                Err(()) => {
                    search.impossible = true;
                    Read::NoSuchDay
                }
            };
            readings.push(Reading {
                span: last.span.clone(),
                typed: last.text.to_string(),
                read,
            });
            taken[end - 1] = true;
            end -= 1;
            continue;
        }
        if search.villages.is_some() {
            break;
        }
        let held = |words: usize| {
            let mut as_names = taken.clone();
            as_names[end - words..end]
                .iter_mut()
                .for_each(|t| *t = false);
            names.held(&name_of(&as_names))
        };
        let Some((words, reading)) = place_at(&tokens[..end], book, &held) else {
            break;
        };
        search.villages = Some(match &reading.read {
            Read::Place { places, .. } => book.village_codes(places),
            _ => {
                search.impossible = true;
                Vec::new()
            }
        });
        readings.push(reading);
        taken[end - words..end].iter_mut().for_each(|t| *t = true);
        end -= words;
    }
    readings.reverse();
    search.target = Target::Name(name_of(&taken));
    DeskQuery { search, readings }
}

/// The place named by the last words of `tokens`, the first token always left as a name: the
/// number of tokens taken (keyword included) and the reading. `held(n)`: a resident's name
/// holds the name words with the last `n` tokens among them.
fn place_at(
    tokens: &[Token],
    book: &PlaceBook,
    held: &dyn Fn(usize) -> bool,
) -> Option<(usize, Reading)> {
    let end = tokens.len();
    let most = 3.min(end - 1);
    let run = |from: usize| -> Option<(String, Range<usize>)> {
        let words = &tokens[from..end];
        if words.iter().any(|t| t.quoted) {
            return None;
        }
        let typed = words.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        Some((typed, words[0].span.start..words[words.len() - 1].span.end))
    };
    // `desa X`: the kind asked, whatever names hold.
    for n in (1..=most.min(end - 2)).rev() {
        let at = end - n - 1;
        if at == 0 || tokens[at].quoted {
            continue;
        }
        let (Some(kind), Some((typed, _))) = (keyword(tokens[at].text), run(at + 1)) else {
            continue;
        };
        let places = book.starting(&typed, Some(kind));
        let read = if places.is_empty() {
            Read::NoPlace(kind)
        } else {
            Read::Place {
                asked: Some(kind),
                places,
            }
        };
        let span = tokens[at].span.start..tokens[end - 1].span.end;
        return Some((n + 1, Reading { span, typed, read }));
    }
    // Plain words: the longest run that begins a place, unless a name holds them.
    for n in (1..=most).rev() {
        let Some((typed, span)) = run(end - n) else {
            continue;
        };
        if place_key(&typed).len() < 3 {
            continue;
        }
        let places = book.starting(&typed, None);
        if places.is_empty() || held(n) {
            continue;
        }
        let read = Read::Place {
            asked: None,
            places,
        };
        return Some((n, Reading { span, typed, read }));
    }
    None
}

impl DeskQuery {
    /// The reading the undo key turns back into name words: the place (a word may be both a
    /// place and a name; a year never is a name), otherwise the last one.
    pub fn undoable(&self) -> Option<&Reading> {
        self.readings
            .iter()
            .find(|r| matches!(r.read, Read::Place { .. } | Read::NoPlace(_)))
            .or(self.readings.last())
    }
}

/// The line with `reading` turned back into name words: its words quoted, so the next reading
/// leaves them names.
pub fn as_name(line: &str, reading: &Reading) -> String {
    let Range { start, end } = reading.span.clone();
    if end > line.len()
        || start > end
        || !line.is_char_boundary(start)
        || !line.is_char_boundary(end)
    {
        return line.to_string();
    }
    format!(
        "{}\"{}\"{}",
        &line[..start],
        &line[start..end],
        &line[end..]
    )
}

/// A NIK or KK in a list when the clerk searched by its first digits: those digits shown (the
/// clerk checks them against the card in hand), the rest masked as [`super::mask_nik`] masks
/// (kecamatan code and serial kept). Another number, or digits it does not start with, is
/// masked as usual.
pub fn mask_showing(number: &str, typed: &str) -> String {
    let digits: Vec<char> = normalize_digits(number).chars().collect();
    if digits.len() != 16 {
        return super::mask_nik(number);
    }
    let typed = normalize_digits(typed);
    let shown = if normalize_digits(number).starts_with(&typed) {
        typed.len()
    } else {
        0
    };
    let masked: Vec<char> = digits
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < shown.max(6) || i >= 12 {
                *c
            } else {
                '•'
            }
        })
        .collect();
    masked
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The year of a birth filter as the clerk wrote it back (for the line that tells the
/// reading): `1990` or the day in `DD-MM-YYYY`.
pub fn born_text(born: Born) -> String {
    match born {
        Born::Year(y) => y.to_string(),
        Born::Day(d) => format!("{:02}-{:02}-{}", d.day(), d.month(), d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn district(code: &str, name: &str) -> Place {
        Place {
            kind: PlaceKind::District,
            code: code.into(),
            name: name.into(),
            district_code: code.into(),
            district_name: name.into(),
        }
    }

    fn village(code: &str, name: &str, district: &Place) -> Place {
        Place {
            kind: PlaceKind::Village,
            code: code.into(),
            name: name.into(),
            district_code: district.code.clone(),
            district_name: district.name.clone(),
        }
    }

    /// A piece of Kabupaten Tangerang: Kemiri is a kecamatan and a desa in it, Sukamulya a
    /// kecamatan and a desa elsewhere, Budi Mulya a desa whose first word is a common name.
    fn book() -> PlaceBook {
        let kemiri = district("36.03.09", "Kemiri");
        let sukamulya = district("36.03.23", "Sukamulya");
        let cikupa = district("36.03.18", "Cikupa");
        PlaceBook::new(vec![
            village("36.03.09.2001", "Kemiri", &kemiri),
            village("36.03.09.2002", "Lontar", &kemiri),
            village("36.03.23.2001", "Sukamulya", &sukamulya),
            village("36.03.23.2002", "Kaliasin", &sukamulya),
            village("36.03.18.2001", "Sukamulya", &cikupa),
            village("36.03.18.2002", "Budi Mulya", &cikupa),
            village("36.03.18.2003", "Pasir Gintung", &cikupa),
            village("36.03.18.2004", "Sukanagara", &cikupa),
            kemiri,
            sukamulya,
            cikupa,
        ])
    }

    /// Names held by residents: AGUS BUDI... exists, nobody is called SITI KEMIRI.
    struct Held(&'static [&'static str]);
    impl Names for Held {
        fn held(&self, words: &str) -> bool {
            let want: Vec<String> = words.split(' ').map(str::to_lowercase).collect();
            self.0.iter().any(|name| {
                want.iter()
                    .all(|w| name.split(' ').any(|n| n.starts_with(w.as_str())))
            })
        }
    }
    const HELD: Held = Held(&["agus budiman", "siti aminah", "dewi sari", "sari kemiri"]);

    fn names_of(q: &DeskQuery) -> Option<&str> {
        q.name()
    }

    fn villages(q: &DeskQuery) -> Option<Vec<&str>> {
        q.search
            .villages
            .as_ref()
            .map(|v| v.iter().map(String::as_str).collect())
    }

    #[test]
    fn digits_are_a_nik_or_kk_prefix_and_nothing_else() {
        for (line, digits) in [
            ("3603", "3603"),
            ("3603 12.34-5", "360312345"),
            ("1990", "1990"),
            ("17-08-1990", "17081990"),
        ] {
            let q = read(line, &book(), &HELD);
            assert_eq!(q.search.target, Target::Digits(digits.into()), "{line}");
            assert!(q.readings.is_empty(), "{line}");
        }
        for line in ["", "   ", " - . "] {
            assert_eq!(
                read(line, &book(), &HELD).search,
                Search::default(),
                "{line:?}"
            );
        }
    }

    #[test]
    fn a_year_or_a_day_after_the_name_narrows_by_birth() {
        let cases: &[(&str, &str, Born)] = &[
            ("siti 1990", "siti", Born::Year(1990)),
            ("muhammad rizki 1990", "muhammad rizki", Born::Year(1990)),
            ("siti 17-08-1990", "siti", Born::Day(d(1990, 8, 17))),
            ("siti 17/8/1990", "siti", Born::Day(d(1990, 8, 17))),
            ("siti 17.08.1990", "siti", Born::Day(d(1990, 8, 17))),
            ("siti 17081990", "siti", Born::Day(d(1990, 8, 17))),
            ("siti 1990-08-17", "siti", Born::Day(d(1990, 8, 17))),
            ("siti am 1990", "siti am", Born::Year(1990)),
        ];
        for (line, name, born) in cases {
            let q = read(line, &book(), &HELD);
            assert_eq!(names_of(&q), Some(*name), "{line}");
            assert_eq!(q.search.born, Some(*born), "{line}");
            assert_eq!(q.readings.len(), 1, "{line}");
            assert_eq!(q.readings[0].read, Read::Born(*born), "{line}");
            assert!(!q.search.impossible, "{line}");
        }
    }

    #[test]
    fn a_day_that_does_not_exist_matches_nobody_and_says_so() {
        for line in ["siti 31-02-1990", "siti 31021990", "siti 1990-02-30"] {
            let q = read(line, &book(), &HELD);
            assert!(q.search.impossible, "{line}");
            assert_eq!(q.search.born, None, "{line}");
            assert_eq!(q.readings[0].read, Read::NoSuchDay, "{line}");
            assert_eq!(names_of(&q), Some("siti"), "{line}");
        }
        // not written as a date at all: a name word
        for line in ["siti 19", "siti 199012", "siti 12-1990"] {
            let q = read(line, &book(), &HELD);
            assert!(q.readings.is_empty(), "{line}");
            assert_eq!(names_of(&q), Some(line), "{line}");
        }
    }

    #[test]
    fn a_place_word_narrows_to_every_place_it_begins() {
        // (line, name words, desa codes, places read)
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            // kecamatan Kemiri, which holds desa Kemiri: the whole kecamatan
            (
                "siti kemiri",
                "siti",
                &["36.03.09.2001", "36.03.09.2002"],
                &["36.03.09", "36.03.09.2001"],
            ),
            (
                "siti kem",
                "siti",
                &["36.03.09.2001", "36.03.09.2002"],
                &["36.03.09", "36.03.09.2001"],
            ),
            (
                "SITI KEMIRI",
                "SITI",
                &["36.03.09.2001", "36.03.09.2002"],
                &["36.03.09", "36.03.09.2001"],
            ),
            // two words of one desa, typed short
            (
                "siti pasir gin",
                "siti",
                &["36.03.18.2003"],
                &["36.03.18.2003"],
            ),
            (
                "siti pasirgintung",
                "siti",
                &["36.03.18.2003"],
                &["36.03.18.2003"],
            ),
            // a prefix of several: kecamatan Sukamulya, desa Sukamulya in Cikupa, Sukanagara
            (
                "siti suka",
                "siti",
                &[
                    "36.03.18.2001",
                    "36.03.18.2004",
                    "36.03.23.2001",
                    "36.03.23.2002",
                ],
                &[
                    "36.03.23",
                    "36.03.18.2001",
                    "36.03.23.2001",
                    "36.03.18.2004",
                ],
            ),
        ];
        for (line, name, codes, places) in cases {
            let q = read(line, &book(), &HELD);
            assert_eq!(names_of(&q), Some(*name), "{line}");
            assert_eq!(villages(&q).as_deref(), Some(*codes), "{line}");
            let [reading] = q.readings.as_slice() else {
                panic!("{line}: {:?}", q.readings);
            };
            let Read::Place {
                asked: None,
                places: read,
            } = &reading.read
            else {
                panic!("{line}: {reading:?}");
            };
            let read: Vec<&str> = read.iter().map(|p| p.code.as_str()).collect();
            assert_eq!(read, *places, "{line}");
        }
    }

    #[test]
    fn a_name_is_never_hidden_behind_a_place_spelt_the_same() {
        // AGUS BUDIMAN exists: "budi" stays a name although desa Budi Mulya exists
        for line in ["agus budi", "agus bud", "agus budi 1990"] {
            let q = read(line, &book(), &HELD);
            assert!(q.search.villages.is_none(), "{line}");
            assert!(
                names_of(&q).is_some_and(|n| n.starts_with("agus bud")),
                "{line}"
            );
        }
        // SARI KEMIRI exists: "sari kemiri" is her name, "siti kemiri" is a place
        let q = read("sari kemiri", &book(), &HELD);
        assert_eq!(names_of(&q), Some("sari kemiri"));
        assert!(q.readings.is_empty());
        // the first word is always a name, even one that names a place
        let q = read("kemiri", &book(), &HELD);
        assert_eq!(names_of(&q), Some("kemiri"));
        let q = read("kemiri 1990", &book(), &HELD);
        assert_eq!(names_of(&q), Some("kemiri"));
        assert_eq!(q.search.born, Some(Born::Year(1990)));
        // nobody holds "budi mulya" after agus: the desa
        let q = read("agus budi mulya", &book(), &HELD);
        assert_eq!(names_of(&q), Some("agus"));
        assert_eq!(villages(&q), Some(vec!["36.03.18.2002"]));
        // two letters are never a place
        assert!(read("siti ke", &book(), &HELD).readings.is_empty());
    }

    #[test]
    fn a_keyword_asks_for_a_kind_of_place() {
        let q = read("siti desa kemiri", &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti"));
        assert_eq!(villages(&q), Some(vec!["36.03.09.2001"]));
        assert_eq!(q.readings[0].typed, "kemiri");
        assert_eq!(q.readings[0].span, 5..16);
        // even when a name holds the word
        let q = read("sari kel kemiri", &book(), &HELD);
        assert_eq!(names_of(&q), Some("sari"));
        assert_eq!(villages(&q), Some(vec!["36.03.09.2001"]));
        let q = read("siti kec sukamulya 1990", &book(), &HELD);
        assert_eq!(villages(&q), Some(vec!["36.03.23.2001", "36.03.23.2002"]));
        assert_eq!(q.search.born, Some(Born::Year(1990)));
        // no such desa: nobody, and said
        let q = read("siti desa zzz", &book(), &HELD);
        assert!(q.search.impossible);
        assert_eq!(q.readings[0].read, Read::NoPlace(PlaceKind::Village));
        // typed so far: the keyword alone is neither a name nor a filter
        let q = read("siti desa", &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti"));
        assert!(q.readings.is_empty() && q.search.villages.is_none());
    }

    #[test]
    fn both_filters_in_either_order_each_once() {
        for line in ["siti kemiri 1990", "siti 1990 kemiri"] {
            let q = read(line, &book(), &HELD);
            assert_eq!(names_of(&q), Some("siti"), "{line}");
            assert_eq!(q.search.born, Some(Born::Year(1990)), "{line}");
            assert!(q.search.villages.is_some(), "{line}");
            assert_eq!(q.readings.len(), 2, "{line}");
            assert!(
                q.readings[0].span.start < q.readings[1].span.start,
                "{line}"
            );
        }
        // a second year is a name word (and finds nobody)
        let q = read("siti 1989 1990", &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti 1989"));
        assert_eq!(q.search.born, Some(Born::Year(1990)));
    }

    #[test]
    fn undo_quotes_the_place_first_and_the_rest_of_the_reading_stays() {
        let line = "siti kemiri 1990";
        let q = read(line, &book(), &HELD);
        let undone = as_name(line, q.undoable().unwrap());
        assert_eq!(undone, "siti \"kemiri\" 1990");
        let q = read(&undone, &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti kemiri"));
        assert_eq!(q.search.born, Some(Born::Year(1990)));
        assert!(q.search.villages.is_none());
        // then the year
        let undone = as_name(&undone, q.undoable().unwrap());
        assert_eq!(undone, "siti \"kemiri\" \"1990\"");
        let q = read(&undone, &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti kemiri 1990"));
        assert!(q.readings.is_empty() && q.undoable().is_none());

        // the year before the place stays a year
        let line = "siti 1990 kemiri";
        let q = read(line, &book(), &HELD);
        let undone = as_name(line, q.undoable().unwrap());
        assert_eq!(undone, "siti 1990 \"kemiri\"");
        let q = read(&undone, &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti kemiri"));
        assert_eq!(q.search.born, Some(Born::Year(1990)));

        // a keyword is quoted with its place
        let line = "siti desa kemiri";
        let q = read(line, &book(), &HELD);
        assert_eq!(as_name(line, q.undoable().unwrap()), "siti \"desa kemiri\"");
        // an unclosed quote runs to the end
        let q = read("siti \"kemiri", &book(), &HELD);
        assert_eq!(names_of(&q), Some("siti kemiri"));
    }

    #[test]
    fn born_flag_and_ranges() {
        assert_eq!(Born::parse("1990"), Some(Born::Year(1990)));
        assert_eq!(Born::parse("1990-08-17"), Some(Born::Day(d(1990, 8, 17))));
        assert_eq!(Born::parse("1990-02-30"), None);
        assert_eq!(Born::parse("siti"), None);
        assert_eq!(Born::parse("90"), None);
        assert_eq!(Born::Year(1990).range(), (d(1990, 1, 1), d(1991, 1, 1)));
        assert_eq!(
            Born::Day(d(1990, 12, 31)).range(),
            (d(1990, 12, 31), d(1991, 1, 1))
        );
        assert_eq!(born_text(Born::Day(d(1990, 8, 7))), "07-08-1990");
    }

    #[test]
    fn typed_digits_show_the_rest_stays_masked() {
        let nik = "3603321708900001";
        let cases: &[(&str, &str)] = &[
            ("", "3603 32•• •••• 0001"),
            ("36", "3603 32•• •••• 0001"),
            ("36033217", "3603 3217 •••• 0001"),
            ("3603 3217 0890", "3603 3217 0890 0001"),
            ("3603321708900001", "3603 3217 0890 0001"),
            // not its prefix (found by KK, say): masked as usual
            ("3603321799", "3603 32•• •••• 0001"),
        ];
        for (typed, shown) in cases {
            assert_eq!(mask_showing(nik, typed), *shown, "{typed:?}");
        }
        assert_eq!(mask_showing("123", "12"), crate::domain::mask_nik("123"));
    }
}
