//! Reading one row of a resident list (daftar penduduk) exported by Dukcapil/SIAK, OpenSID or
//! DTSEN/P3KE: which column is which, and what each cell means once checked by the domain's
//! rules. Pure: never reads a file or the database; the caller passes what it knows (today, the
//! kecamatan and desa that exist) and decides what to do with a refused row.
//!
//! The fields are checked by the same rules as the register form's (`domain::resident`); a row's
//! fate is decided here except for what needs the database (a NIK already stored, the same NIK
//! earlier in the file): the `db::import` module adds those.

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;

use super::nik::DistrictLookup;
use super::resident::{Field, ResidentDraft, ResidentProblem, Rules, ValidResident, validate};

/// A column loket understands, whatever the file calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Nik,
    Kk,
    Name,
    Sex,
    BirthPlace,
    BirthDate,
    Address,
    /// OpenSID's dusun: added to the address (loket has no dusun field).
    Hamlet,
    Rt,
    Rw,
    VillageCode,
    Phone,
    Desil,
    DesilSource,
    DesilAsOf,
    Stunting,
    Disability,
    Education,
    Employment,
}

/// Header spellings per column, after [`normalize_header`] (uppercase, `_` for spaces and dashes).
/// Dukcapil/SIAK style first, OpenSID's lowercase names fold onto the same spellings.
const ALIASES: &[(Column, &[&str])] = &[
    (Column::Nik, &["NIK", "NO_NIK", "NOMOR_NIK"]),
    (Column::Kk, &["NO_KK", "KK", "NOMOR_KK", "NKK"]),
    (Column::Name, &["NAMA", "NAMA_LENGKAP", "NAMA_PENDUDUK"]),
    (
        Column::Sex,
        &["JENIS_KELAMIN", "SEX", "JK", "KELAMIN", "L/P"],
    ),
    (Column::BirthPlace, &["TEMPAT_LAHIR", "TEMPATLAHIR"]),
    (
        Column::BirthDate,
        &["TANGGAL_LAHIR", "TANGGALLAHIR", "TGL_LAHIR"],
    ),
    (Column::Address, &["ALAMAT", "ALAMAT_LENGKAP"]),
    (Column::Hamlet, &["DUSUN"]),
    (Column::Rt, &["RT"]),
    (Column::Rw, &["RW"]),
    (
        Column::VillageCode,
        &["KODE_DESA", "KODE_KELURAHAN", "KODE_WILAYAH", "KODEDESA"],
    ),
    (
        Column::Phone,
        &["NO_HP", "TELEPON", "NO_TELEPON", "HP", "TELP"],
    ),
    (Column::Desil, &["DESIL"]),
    (Column::DesilSource, &["SUMBER_DESIL"]),
    (Column::DesilAsOf, &["TANGGAL_DESIL", "TGL_DESIL"]),
    (Column::Stunting, &["STUNTING", "BALITA_STUNTING"]),
    (Column::Disability, &["DISABILITAS", "CACAT"]),
    (
        Column::Education,
        &["PENDIDIKAN", "PENDIDIKAN_KK", "PENDIDIKAN_DALAM_KK"],
    ),
    (Column::Employment, &["PEKERJAAN", "STATUS_PEKERJAAN"]),
];

/// Columns a file must have: without them no row can become a resident.
pub const REQUIRED: &[Column] = &[Column::Nik, Column::Name, Column::Sex, Column::BirthDate];

impl Column {
    /// The resident field the column fills; None for the dusun, which goes into the address.
    pub fn field(self) -> Option<Field> {
        Some(match self {
            Column::Nik => Field::Nik,
            Column::Kk => Field::Kk,
            Column::Name => Field::Name,
            Column::Sex => Field::Sex,
            Column::BirthPlace => Field::BirthPlace,
            Column::BirthDate => Field::BirthDate,
            Column::Address => Field::Address,
            Column::Hamlet => return None,
            Column::Rt => Field::Rt,
            Column::Rw => Field::Rw,
            Column::VillageCode => Field::Village,
            Column::Phone => Field::Phone,
            Column::Desil => Field::Desil,
            Column::DesilSource => Field::DesilSource,
            Column::DesilAsOf => Field::DesilAsOf,
            Column::Stunting => Field::Stunting,
            Column::Disability => Field::Disability,
            Column::Education => Field::Education,
            Column::Employment => Field::Employment,
        })
    }

    /// The name loket writes in messages (the first alias).
    pub fn canonical(self) -> &'static str {
        ALIASES
            .iter()
            .find(|(c, _)| *c == self)
            .and_then(|(_, names)| names.first())
            .copied()
            .unwrap_or("?")
    }
}

/// `" Tanggal Lahir "` -> `"TANGGAL_LAHIR"`; a byte-order mark is dropped.
pub fn normalize_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim()
        .to_uppercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The file's header refused: the required columns it lacks, by their canonical names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingColumns(pub Vec<&'static str>);

impl fmt::Display for MissingColumns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "required columns missing: {}", self.0.join(", "))
    }
}

/// A header that names one column twice (`NIK` and `NO_NIK`): which value would count is a guess,
/// so the file is refused. Positions are 1-based, as a spreadsheet user counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateColumn {
    /// The canonical name of the column.
    pub column: &'static str,
    pub first: (usize, String),
    pub second: (usize, String),
}

/// Why a header row is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    Missing(MissingColumns),
    Duplicate(DuplicateColumn),
}

/// Where each known column sits in the file's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    positions: Vec<(Column, usize)>,
    /// Number of header cells: a row with a different count is refused (shifted data).
    pub width: usize,
    /// Header cells that name no column loket knows, as written (their data is not read): a
    /// `DESA` column of desa names, say, where loket reads `KODE_DESA`.
    pub ignored: Vec<String>,
}

impl HeaderMap {
    /// Finds the columns by name (case-insensitive, aliases). Unknown columns are ignored and
    /// listed in `ignored`, so the import can say which data it did not read.
    /// Refuses a header that names a column twice (under any of its names) or lacks a
    /// [`REQUIRED`] column.
    pub fn from_headers<S: AsRef<str>>(headers: &[S]) -> Result<HeaderMap, HeaderProblem> {
        let mut positions: Vec<(Column, usize)> = Vec::new();
        let mut ignored = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let name = normalize_header(h.as_ref());
            let found = ALIASES
                .iter()
                .find(|(_, names)| names.contains(&name.as_str()))
                .map(|(c, _)| *c);
            let Some(col) = found else {
                let written = h.as_ref().trim_start_matches('\u{feff}').trim();
                if !written.is_empty() {
                    ignored.push(written.to_string());
                }
                continue;
            };
            if let Some(&(_, earlier)) = positions.iter().find(|(c, _)| *c == col) {
                let cell = |at: usize| (at + 1, headers[at].as_ref().trim().to_string());
                return Err(HeaderProblem::Duplicate(DuplicateColumn {
                    column: col.canonical(),
                    first: cell(earlier),
                    second: cell(i),
                }));
            }
            positions.push((col, i));
        }
        let missing: Vec<&'static str> = REQUIRED
            .iter()
            .filter(|c| !positions.iter().any(|(p, _)| p == *c))
            .map(|c| c.canonical())
            .collect();
        if !missing.is_empty() {
            return Err(HeaderProblem::Missing(MissingColumns(missing)));
        }
        Ok(HeaderMap {
            positions,
            width: headers.len(),
            ignored,
        })
    }

    /// Whether the file has this column.
    pub fn has(&self, col: Column) -> bool {
        self.positions.iter().any(|(c, _)| *c == col)
    }

    /// The row as a draft: each known column's cell in its field (a missing cell is empty).
    pub fn draft<'a>(&self, row: &[&'a str]) -> ResidentDraft<'a> {
        let mut draft = ResidentDraft::default();
        for &(col, i) in &self.positions {
            let cell = row.get(i).copied().unwrap_or("");
            match col.field() {
                Some(field) => draft.set(field, cell),
                None => draft.hamlet = cell,
            }
        }
        draft
    }

    /// Where `col` sits in a row, when the file has it.
    pub fn position(&self, col: Column) -> Option<usize> {
        self.positions
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, i)| *i)
    }

    /// The trimmed cell of `col` in `row`, "" when the column or the cell is absent.
    pub fn get<'a>(&self, row: &[&'a str], col: Column) -> &'a str {
        self.positions
            .iter()
            .find(|(c, _)| *c == col)
            .and_then(|(_, i)| row.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// What the rest of the row is checked against.
pub struct RowRules<'a> {
    pub today: NaiveDate,
    pub districts: &'a dyn DistrictLookup,
    /// Dotted 13-character desa codes that exist (`36.03.32.2001`).
    pub villages: &'a HashSet<String>,
    /// A NIK that disagrees with the row's sex or birth date is imported (and marked as
    /// confirmed) instead of refused: `--accept-warnings`.
    pub accept_warnings: bool,
}

/// What the file said about a row that its cells cannot say (filled by the reader of the file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowNotes<'a> {
    /// Positions of the cells that were numbers in the spreadsheet, not text.
    pub numeric: &'a [usize],
    /// The row opened a quote that was never closed: it starts on the first line and runs on to
    /// the second, swallowing the rows in between.
    pub open_quote: Option<(u64, u64)>,
    /// The first cell with content right of the columns a sheet may use (`XFD7`); the row's
    /// cells stop before it.
    pub far_cell: Option<&'a str>,
}

/// One reason a row was refused; `ui::text::resident` words it for the rejects file.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// A cell holds bytes that are not UTF-8 (an export in another code page).
    NotUtf8,
    /// The row has a different number of cells from the header.
    WrongWidth { found: usize, expected: usize },
    /// A quote opened on line `from` was never closed: lines up to `until` were read as one
    /// cell of this row.
    OpenQuote { from: u64, until: u64 },
    /// A NIK or KK column's cell is a number in the spreadsheet: Excel keeps 15 significant
    /// digits, so a 16-digit identifier stored as a number has already changed (DOMAIN.md,
    /// "Files offices already have"), however right it looks.
    NumericIdentifier(Column),
    /// A cell with content this far right of the sheet (`XFD7`) is not read.
    CellTooFarRight { cell: String },
    /// A field the resident rules refuse, as the form would.
    Resident(ResidentProblem),
    /// The same NIK earlier in the file, on this line.
    DuplicateInFile { line: u64 },
    /// The NIK is already stored, with other data, under this name.
    NikExists { name: String },
}

/// Checks one row (its cells as text, in file order, and what the file said about them) by the
/// resident rules every way in uses ([`validate`]). Returns every problem found, so a clerk fixes
/// a row once; a row made of lines swallowed by an open quote is refused for that alone, since
/// its cells are not the columns they seem.
pub fn check_row(
    header: &HeaderMap,
    cells: &[&str],
    notes: &RowNotes,
    rules: &RowRules,
) -> Result<ValidResident, Vec<RowProblem>> {
    if let Some((from, until)) = notes.open_quote {
        return Err(vec![RowProblem::OpenQuote { from, until }]);
    }
    let mut draft = header.draft(cells);
    draft.mismatch_confirmed = rules.accept_warnings;
    let checked = validate(
        &draft,
        &Rules {
            today: rules.today,
            districts: rules.districts,
            villages: rules.villages,
        },
    );
    let numeric = |col: Column| {
        header
            .position(col)
            .is_some_and(|i| notes.numeric.contains(&i))
    };
    // A number in the KK column that is 0 means "no KK yet" (OpenSID) and can be trusted.
    let numeric_nik = numeric(Column::Nik);
    let numeric_kk = numeric(Column::Kk) && header.get(cells, Column::Kk) != "0";
    let mut problems = Vec::new();
    if let Some(cell) = notes.far_cell {
        problems.push(RowProblem::CellTooFarRight {
            cell: cell.to_string(),
        });
    }
    if cells.len() != header.width {
        problems.push(RowProblem::WrongWidth {
            found: cells.len(),
            expected: header.width,
        });
    }
    if numeric_nik {
        problems.push(RowProblem::NumericIdentifier(Column::Nik));
    }
    if numeric_kk {
        problems.push(RowProblem::NumericIdentifier(Column::Kk));
    }
    match checked {
        Ok(valid) if problems.is_empty() => Ok(valid),
        Ok(_) => Err(problems),
        Err(found) => {
            // what a number in the NIK or KK column says about them is already said above
            problems.extend(
                found
                    .into_iter()
                    .filter(|p| {
                        let nik =
                            matches!(p, ResidentProblem::Nik(_) | ResidentProblem::Mismatch(_));
                        let kk = matches!(p, ResidentProblem::Kk(_));
                        !((numeric_nik && nik) || (numeric_kk && kk))
                    })
                    .map(RowProblem::Resident),
            );
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::nik::{NikError, NikWarning, Sex};
    use std::collections::HashMap;

    fn rules_parts() -> (HashMap<String, String>, HashSet<String>) {
        let districts = HashMap::from([("360332".to_string(), "Gunung Kaler".to_string())]);
        let villages = HashSet::from(["36.03.32.2001".to_string()]);
        (districts, villages)
    }

    const HEAD: &[&str] = &[
        "nik",
        "no_kk",
        "nama",
        "sex",
        "tempatlahir",
        "tanggallahir",
        "kode desa",
    ];

    fn check(cells: &[&str], accept: bool) -> Result<ValidResident, Vec<RowProblem>> {
        let (d, v) = rules_parts();
        let rules = RowRules {
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            districts: &d,
            villages: &v,
            accept_warnings: accept,
        };
        let header = HeaderMap::from_headers(HEAD).unwrap();
        check_row(&header, cells, &RowNotes::default(), &rules)
    }

    #[test]
    fn headers_by_alias_and_missing_columns() {
        let h = HeaderMap::from_headers(&[
            "\u{feff}Nama Lengkap",
            "JENIS-KELAMIN",
            "nik",
            "Tanggal_Lahir",
        ])
        .unwrap();
        assert_eq!(h.get(&["A", " L ", "1", "x"], Column::Sex), "L");
        assert!(!h.has(Column::Kk));
        assert!(h.ignored.is_empty());
        // columns it does not know are kept as written, empty header cells are not columns
        let h = HeaderMap::from_headers(&["nik", " Desa ", "nama", "", "jk", "tgl_lahir", "RT/RW"])
            .unwrap();
        assert_eq!(h.ignored, ["Desa", "RT/RW"]);
        let Err(HeaderProblem::Missing(err)) = HeaderMap::from_headers(&["nama", "alamat"]) else {
            panic!("the missing columns are named");
        };
        assert_eq!(err.0, vec!["NIK", "JENIS_KELAMIN", "TANGGAL_LAHIR"]);
        assert!(
            err.to_string()
                .contains("NIK, JENIS_KELAMIN, TANGGAL_LAHIR")
        );
    }

    #[test]
    fn every_column_but_the_dusun_fills_a_field() {
        for (col, _) in ALIASES {
            assert_eq!(col.field().is_none(), *col == Column::Hamlet, "{col:?}");
        }
        let h = HeaderMap::from_headers(&[
            "alamat",
            "dusun",
            "rt",
            "nik",
            "nama",
            "sex",
            "tanggallahir",
        ])
        .unwrap();
        let draft = h.draft(&["Kp. Sidoko", "II", "3", "1", "Budi"]);
        assert_eq!(draft.get(Field::Address), "Kp. Sidoko");
        assert_eq!(draft.hamlet, "II");
        assert_eq!(draft.get(Field::Rt), "3");
        assert_eq!(draft.get(Field::BirthDate), "");
    }

    #[test]
    fn good_rows() {
        let r = check(
            &[
                "3603324104900001",
                "3603320101100001",
                " siti  aminah ",
                "P",
                "Tangerang",
                "01-04-1990",
                "3603322001",
            ],
            false,
        )
        .unwrap();
        assert_eq!(r.name, "SITI AMINAH");
        assert_eq!(
            r.village.map(|v| v.as_str().to_string()).as_deref(),
            Some("36.03.32.2001")
        );
        assert_eq!(r.nik_number, 3_603_324_104_900_001);
        assert!(!r.nik_mismatch_confirmed);
        let r = check(
            &[
                "3603320104900001",
                "0",
                "Budi",
                "1",
                "",
                "1990-04-01",
                "36.03.32.2001",
            ],
            false,
        )
        .unwrap();
        assert_eq!(r.kk, None);
        assert_eq!(r.sex, Sex::Male);
    }

    #[test]
    fn every_problem_is_named() {
        let e = check(
            &["12345", "", "", "X", "", "31-02-1990", "9999999999"],
            false,
        )
        .unwrap_err();
        use ResidentProblem as P;
        assert_eq!(
            e,
            vec![
                RowProblem::Resident(P::Nik(NikError::WrongLength { len: 5 })),
                RowProblem::Resident(P::NameEmpty),
                RowProblem::Resident(P::SexUnknown("X".into())),
                RowProblem::Resident(P::DateNoSuchDay {
                    field: Field::BirthDate,
                    value: "31-02-1990".into(),
                    day: 31,
                    month: 2,
                    year: 1990
                }),
                RowProblem::Resident(P::VillageUnknown("99.99.99.9999".into())),
            ]
        );
        let e = check(
            &["3603324104900001", "", "Siti", "L", "", "01-04-1990", ""],
            false,
        )
        .unwrap_err();
        assert!(matches!(
            e[0],
            RowProblem::Resident(P::Mismatch(NikWarning::SexMismatch { .. }))
        ));
        let ok = check(
            &["3603324104900001", "", "Siti", "L", "", "01-04-1990", ""],
            true,
        )
        .unwrap();
        assert!(ok.nik_mismatch_confirmed);
        let e = check(
            &["0360332200100001", "", "Siti", "P", "", "01-04-1990", ""],
            false,
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![RowProblem::Resident(P::Nik(NikError::TemporaryVillageNik))]
        );
        let e = check(&["3603324104900001", "", "Siti"], false).unwrap_err();
        assert_eq!(
            e[0],
            RowProblem::WrongWidth {
                found: 3,
                expected: 7
            }
        );
        assert_eq!(
            e[1..],
            [
                RowProblem::Resident(P::SexMissing),
                RowProblem::Resident(P::BirthDateMissing)
            ]
        );
    }
}
