//! Reading one row of a resident list (daftar penduduk) exported by Dukcapil/SIAK, OpenSID or
//! DTSEN/P3KE: which column is which, and what each cell means once checked by the domain's
//! rules. Pure: never reads a file or the database; the caller passes what it knows (today, the
//! kecamatan and desa that exist) and decides what to do with a refused row.
//!
//! A row's fate is decided here except for what needs the database (a NIK already stored, the
//! same NIK earlier in the file): the `db::import` module adds those.

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;

use super::name_key::{name_key, normalize_display_name};
use super::nik::{
    DistrictLookup, KkError, NikError, NikWarning, Sex, check_against, normalize_digits, parse_kk,
    parse_nik,
};
use super::person::parse_date_flexible;

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

/// Where each known column sits in the file's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    positions: Vec<(Column, usize)>,
    /// Number of header cells: a row with a different count is refused (shifted data).
    pub width: usize,
}

impl HeaderMap {
    /// Finds the columns by name (case-insensitive, aliases). Unknown columns are ignored; the
    /// first of two columns with the same meaning wins. Refuses a header without every
    /// [`REQUIRED`] column.
    pub fn from_headers<S: AsRef<str>>(headers: &[S]) -> Result<HeaderMap, MissingColumns> {
        let mut positions: Vec<(Column, usize)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let name = normalize_header(h.as_ref());
            let found = ALIASES
                .iter()
                .find(|(_, names)| names.contains(&name.as_str()))
                .map(|(c, _)| *c);
            if let Some(col) = found
                && !positions.iter().any(|(c, _)| *c == col)
            {
                positions.push((col, i));
            }
        }
        let missing: Vec<&'static str> = REQUIRED
            .iter()
            .filter(|c| !positions.iter().any(|(p, _)| p == *c))
            .map(|c| c.canonical())
            .collect();
        if !missing.is_empty() {
            return Err(MissingColumns(missing));
        }
        Ok(HeaderMap {
            positions,
            width: headers.len(),
        })
    }

    /// Whether the file has this column.
    pub fn has(&self, col: Column) -> bool {
        self.positions.iter().any(|(c, _)| *c == col)
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

/// One checked row, as it will be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentRow {
    pub nik: String,
    /// The NIK as a number: 16 digits always fit (duplicate detection keeps these, not strings).
    pub nik_number: u64,
    pub kk: Option<String>,
    /// As on the KTP: trimmed, single spaces, uppercase.
    pub name: String,
    pub name_key: String,
    pub sex: Sex,
    pub birth_place: String,
    pub birth_date: NaiveDate,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub village_code: Option<String>,
    pub phone: String,
    pub education: Option<i64>,
    pub employment: Option<&'static str>,
    pub desil: Option<i64>,
    pub desil_source: Option<String>,
    pub desil_as_of: Option<NaiveDate>,
    pub stunting_household: bool,
    pub disability: bool,
    /// The NIK disagrees with the sex or birth date and `accept_warnings` let it in.
    pub nik_mismatch_confirmed: bool,
}

/// One reason a row was refused. Display is Bahasa Indonesia: it goes into the rejects file.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// A cell holds bytes that are not UTF-8 (an export in another code page).
    NotUtf8,
    /// The row has a different number of cells from the header.
    WrongWidth {
        found: usize,
        expected: usize,
    },
    Nik(NikError),
    Kk(KkError),
    NameEmpty,
    SexMissing,
    SexUnknown(String),
    BirthDateMissing,
    BirthDateInvalid(String),
    Mismatch(NikWarning),
    VillageCodeInvalid(String),
    VillageUnknown(String),
    /// An optional column with a value loket cannot read: (column, value).
    BadValue(&'static str, String),
    /// The same NIK earlier in the file, on this line.
    DuplicateInFile {
        line: u64,
    },
    /// The NIK is already stored, with other data, under this name.
    NikExists {
        name: String,
    },
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::NotUtf8 => write!(
                f,
                "bukan UTF-8: ada huruf yang tidak terbaca; simpan ulang berkas sebagai CSV UTF-8"
            ),
            RowProblem::WrongWidth { found, expected } => write!(
                f,
                "jumlah kolom {found}, seharusnya {expected}: periksa tanda koma atau titik koma di dalam isian"
            ),
            RowProblem::Nik(e) => write!(f, "{e}"),
            RowProblem::Kk(e) => write!(f, "{e}"),
            RowProblem::NameEmpty => write!(f, "nama kosong"),
            RowProblem::SexMissing => write!(f, "jenis kelamin kosong"),
            RowProblem::SexUnknown(v) => {
                write!(
                    f,
                    "jenis kelamin '{v}' tidak dikenal (pakai L/P, LK/PR, 1/2)"
                )
            }
            RowProblem::BirthDateMissing => write!(f, "tanggal lahir kosong"),
            RowProblem::BirthDateInvalid(v) => write!(
                f,
                "tanggal lahir '{v}' tidak sah (pakai YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY)"
            ),
            RowProblem::Mismatch(w) => {
                write!(
                    f,
                    "{w} (impor dengan --accept-warnings bila sudah dicocokkan)"
                )
            }
            RowProblem::VillageCodeInvalid(v) => write!(
                f,
                "kode desa '{v}' tidak sah: 10 angka, dengan atau tanpa titik (36.03.32.2001)"
            ),
            RowProblem::VillageUnknown(v) => write!(f, "kode desa {v} tidak dikenal"),
            RowProblem::BadValue(col, v) => write!(f, "isi kolom {col} '{v}' tidak dikenal"),
            RowProblem::DuplicateInFile { line } => write!(
                f,
                "NIK sama dengan baris {line} di berkas ini (impor dengan --update-existing untuk memakai baris terakhir)"
            ),
            RowProblem::NikExists { name } => write!(
                f,
                "NIK sudah terdaftar atas nama {name} dengan data lain (impor dengan --update-existing untuk memperbarui)"
            ),
        }
    }
}

/// All the reasons of one refused row, joined for the rejects file.
pub fn reasons_text(problems: &[RowProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks one row (its cells as text, in file order). Returns every problem found, so a clerk
/// fixes a row once; the NIK's agreement with sex and birth date is only checked when all three
/// could be read.
pub fn check_row(
    header: &HeaderMap,
    cells: &[&str],
    rules: &RowRules,
) -> Result<ResidentRow, Vec<RowProblem>> {
    let mut problems = Vec::new();
    if cells.len() != header.width {
        problems.push(RowProblem::WrongWidth {
            found: cells.len(),
            expected: header.width,
        });
    }
    let get = |c| header.get(cells, c);
    let nik = parse_nik(get(Column::Nik), rules.today, rules.districts)
        .map_err(|e| problems.push(RowProblem::Nik(e)))
        .ok();
    let kk = match normalize_digits(get(Column::Kk)).as_str() {
        "" => None,
        // OpenSID writes 0 for "no KK yet"
        k if k.chars().all(|c| c == '0') => None,
        k => parse_kk(k, rules.districts)
            .map_err(|e| problems.push(RowProblem::Kk(e)))
            .ok(),
    };
    let name = normalize_display_name(get(Column::Name));
    let key = name_key(&name);
    if key.is_empty() {
        problems.push(RowProblem::NameEmpty);
    }
    let sex = match get(Column::Sex) {
        "" => {
            problems.push(RowProblem::SexMissing);
            None
        }
        v => Sex::parse(v).or_else(|| {
            problems.push(RowProblem::SexUnknown(v.to_string()));
            None
        }),
    };
    let birth_date = match get(Column::BirthDate) {
        "" => {
            problems.push(RowProblem::BirthDateMissing);
            None
        }
        v => parse_date_flexible(v)
            .filter(|d| *d <= rules.today)
            .or_else(|| {
                problems.push(RowProblem::BirthDateInvalid(v.to_string()));
                None
            }),
    };
    let village_code = village_code(get(Column::VillageCode), rules, &mut problems);
    let education = optional(
        get(Column::Education),
        "PENDIDIKAN",
        education,
        &mut problems,
    );
    let employment = optional(
        get(Column::Employment),
        "PEKERJAAN",
        employment,
        &mut problems,
    );
    let desil = optional(get(Column::Desil), "DESIL", desil, &mut problems);
    let desil_as_of = optional(
        get(Column::DesilAsOf),
        "TANGGAL_DESIL",
        parse_date_flexible,
        &mut problems,
    );
    let stunting = optional(get(Column::Stunting), "STUNTING", yes_no, &mut problems);
    let disability = optional(
        get(Column::Disability),
        "DISABILITAS",
        yes_no,
        &mut problems,
    );
    let mut mismatch = false;
    if let (Some(info), Some(sex), Some(birth)) = (&nik, sex, birth_date) {
        let warnings = check_against(info, Some(birth), Some(sex));
        mismatch = !warnings.is_empty();
        if mismatch && !rules.accept_warnings {
            problems.extend(warnings.into_iter().map(RowProblem::Mismatch));
        }
    }
    let (Some(info), Some(sex), Some(birth_date), true) =
        (nik, sex, birth_date, problems.is_empty())
    else {
        return Err(problems);
    };
    let nik_number = info.nik.parse().unwrap_or(0);
    let address = match get(Column::Hamlet) {
        "" => get(Column::Address).to_string(),
        dusun if get(Column::Address).is_empty() => format!("Dusun {dusun}"),
        dusun => format!("{}, Dusun {dusun}", get(Column::Address)),
    };
    let desil_source = Some(get(Column::DesilSource))
        .filter(|s| !s.is_empty() && desil.is_some())
        .map(str::to_string);
    Ok(ResidentRow {
        nik: info.nik,
        nik_number,
        kk,
        name,
        name_key: key,
        sex,
        birth_place: get(Column::BirthPlace).to_uppercase(),
        birth_date,
        address,
        rt: get(Column::Rt).to_string(),
        rw: get(Column::Rw).to_string(),
        village_code,
        phone: get(Column::Phone).to_string(),
        education,
        employment: employment.flatten(),
        desil,
        desil_source,
        desil_as_of: desil_as_of.filter(|_| desil.is_some()),
        stunting_household: stunting.unwrap_or(false),
        disability: disability.unwrap_or(false),
        nik_mismatch_confirmed: mismatch,
    })
}

/// An optional cell: empty is None, otherwise it must read.
fn optional<T>(
    value: &str,
    column: &'static str,
    read: impl Fn(&str) -> Option<T>,
    problems: &mut Vec<RowProblem>,
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    let read = read(value);
    if read.is_none() {
        problems.push(RowProblem::BadValue(column, value.to_string()));
    }
    read
}

/// Desa code with or without dots -> the dotted form, which must exist.
fn village_code(value: &str, rules: &RowRules, problems: &mut Vec<RowProblem>) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let digits: String = value
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .collect();
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        problems.push(RowProblem::VillageCodeInvalid(value.to_string()));
        return None;
    }
    let dotted = format!(
        "{}.{}.{}.{}",
        &digits[0..2],
        &digits[2..4],
        &digits[4..6],
        &digits[6..10]
    );
    if rules.villages.contains(&dotted) {
        Some(dotted)
    } else {
        problems.push(RowProblem::VillageUnknown(dotted));
        None
    }
}

/// 1/0, Y/T, YA/TIDAK, true/false.
fn yes_no(v: &str) -> Option<bool> {
    match v.to_uppercase().as_str() {
        "1" | "Y" | "YA" | "TRUE" | "YES" => Some(true),
        "0" | "T" | "N" | "TIDAK" | "FALSE" | "NO" | "-" => Some(false),
        _ => None,
    }
}

/// DTSEN desil 1-10 (DOMAIN.md, "Priority groups").
fn desil(v: &str) -> Option<i64> {
    v.parse().ok().filter(|d| (1..=10).contains(d))
}

/// OpenSID pendidikan code 1-10, or the common label (DOMAIN.md, "Files offices already have").
fn education(v: &str) -> Option<i64> {
    if let Ok(code) = v.parse::<i64>() {
        return (1..=10).contains(&code).then_some(code);
    }
    let code = match normalize_header(v).as_str() {
        "TIDAK_SEKOLAH" | "BELUM_SEKOLAH" | "TIDAK/BELUM_SEKOLAH" => 1,
        "BELUM_TAMAT_SD" | "TIDAK_TAMAT_SD" => 2,
        "SD" | "TAMAT_SD" | "SD/SEDERAJAT" => 3,
        "SLTP" | "SMP" | "SLTP/SEDERAJAT" | "SMP/SEDERAJAT" => 4,
        "SLTA" | "SMA" | "SMK" | "SLTA/SEDERAJAT" | "SMA/SEDERAJAT" => 5,
        "D1" | "D2" | "D_I/II" | "DIPLOMA_I/II" => 6,
        "D3" | "D_III" | "DIPLOMA_III" => 7,
        "D4" | "S1" | "D_IV/S1" | "DIPLOMA_IV/STRATA_I" => 8,
        "S2" | "STRATA_II" => 9,
        "S3" | "STRATA_III" => 10,
        _ => return None,
    };
    Some(code)
}

/// Employment as stored, from loket's own values, Indonesian words or OpenSID pekerjaan codes:
/// 1 belum/tidak bekerja is unemployed; 2 (mengurus rumah tangga) and 3 (pelajar) are outside
/// the labour force and stay empty; other codes up to 89 are work.
fn employment(v: &str) -> Option<Option<&'static str>> {
    if let Ok(code) = v.parse::<u32>() {
        return match code {
            1 => Some(Some("unemployed")),
            2 | 3 => Some(None),
            4..=89 => Some(Some("employed")),
            _ => None,
        };
    }
    let value = match normalize_header(v).as_str() {
        "EMPLOYED" | "BEKERJA" => "employed",
        "UNEMPLOYED" | "BELUM/TIDAK_BEKERJA" | "TIDAK_BEKERJA" | "BELUM_BEKERJA" | "MENGANGGUR" => {
            "unemployed"
        }
        "LAID_OFF" | "PHK" | "KORBAN_PHK" => "laid_off",
        "FACTORY_WORKER" | "BURUH_PABRIK" | "KARYAWAN_PABRIK" => "factory_worker",
        _ => return None,
    };
    Some(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn check(cells: &[&str], accept: bool) -> Result<ResidentRow, Vec<RowProblem>> {
        let (d, v) = rules_parts();
        let rules = RowRules {
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            districts: &d,
            villages: &v,
            accept_warnings: accept,
        };
        let header = HeaderMap::from_headers(HEAD).unwrap();
        check_row(&header, cells, &rules)
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
        let err = HeaderMap::from_headers(&["nama", "alamat"]).unwrap_err();
        assert_eq!(err.0, vec!["NIK", "JENIS_KELAMIN", "TANGGAL_LAHIR"]);
        assert!(
            err.to_string()
                .contains("NIK, JENIS_KELAMIN, TANGGAL_LAHIR")
        );
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
        assert_eq!(r.village_code.as_deref(), Some("36.03.32.2001"));
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
        let text = reasons_text(&e);
        for part in [
            "16 angka",
            "nama kosong",
            "jenis kelamin 'X'",
            "tanggal lahir '31-02-1990'",
            "kode desa 99.99.99.9999",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        let e = check(
            &["3603324104900001", "", "Siti", "L", "", "01-04-1990", ""],
            false,
        )
        .unwrap_err();
        assert!(matches!(e[0], RowProblem::Mismatch(_)));
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
        assert!(reasons_text(&e).contains("NIK sementara"));
        let e = check(&["3603324104900001", "", "Siti"], false).unwrap_err();
        assert!(matches!(
            e[0],
            RowProblem::WrongWidth {
                found: 3,
                expected: 7
            }
        ));
    }

    #[test]
    fn optional_values() {
        assert_eq!(employment("1"), Some(Some("unemployed")));
        assert_eq!(employment("3"), Some(None));
        assert_eq!(employment("korban phk"), Some(Some("laid_off")));
        assert_eq!(employment("astronot"), None);
        assert_eq!(education("SLTA/Sederajat"), Some(5));
        assert_eq!(education("11"), None);
        assert_eq!(desil("4"), Some(4));
        assert_eq!(desil("0"), None);
        assert_eq!(yes_no("Ya"), Some(true));
    }
}
