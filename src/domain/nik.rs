//! NIK (Nomor Induk Kependudukan) and KK (Kartu Keluarga) numbers: parsing, checking, masking.
//!
//! Rules follow DOMAIN.md, section "NIK". This module must never do I/O: the list of kecamatan
//! codes comes in through [`DistrictLookup`], and "today" is passed in by the caller.
//! It must never show a full NIK where a masked one will do (UU 27/2022): lists use [`mask_nik`].

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use thiserror::Error;

/// Jenis kelamin, as encoded in the NIK (day of birth + 40 for women) and on the KTP.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
pub enum Sex {
    /// Laki-laki
    #[strum(serialize = "L")]
    Male,
    /// Perempuan
    #[strum(serialize = "P")]
    Female,
}

impl Sex {
    /// Code used on the KTP and in OpenSID exports, and stored: `L` or `P`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// A code as [`Sex::code`] writes it, exactly; None for anything else ([`Sex::parse`] reads
    /// what people write).
    pub fn from_code(code: &str) -> Option<Sex> {
        code.parse().ok()
    }

    /// Reads the spellings offices use (OpenSID `1`/`2`, `L`/`LK`/`P`/`PR`, words in id/en),
    /// case-insensitive and trimmed (DOMAIN.md, "Files offices already have").
    pub fn parse(s: &str) -> Option<Sex> {
        let words: Vec<&str> = s.split_whitespace().collect();
        match words.join(" ").to_uppercase().as_str() {
            "L" | "LK" | "LAKI-LAKI" | "LAKI LAKI" | "LAKI" | "PRIA" | "M" | "MALE" | "1" => {
                Some(Sex::Male)
            }
            "P" | "PR" | "PEREMPUAN" | "WANITA" | "F" | "FEMALE" | "2" => Some(Sex::Female),
            _ => None,
        }
    }

    /// Label in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Sex::Male => "Laki-laki",
            Sex::Female => "Perempuan",
        }
    }

    /// Label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Sex::Male => "Male",
            Sex::Female => "Female",
        }
    }
}

/// Looks up a kecamatan by its 6-digit code without dots ("360332"); returns its name.
/// Backed by `data/wilayah/districts.csv` in the `db` layer (DOMAIN.md, "NIK").
pub trait DistrictLookup {
    /// Name of the kecamatan with this 6-digit code, if it exists.
    fn district_name(&self, code6: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> DistrictLookup for F {
    fn district_name(&self, code6: &str) -> Option<String> {
        self(code6)
    }
}

impl DistrictLookup for HashMap<String, String> {
    fn district_name(&self, code6: &str) -> Option<String> {
        self.get(code6).cloned()
    }
}

impl DistrictLookup for BTreeMap<String, String> {
    fn district_name(&self, code6: &str) -> Option<String> {
        self.get(code6).cloned()
    }
}

/// What a valid NIK says about its holder (DOMAIN.md, "NIK": `PP KK CC DDMMYY SSSS`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NikInfo {
    /// The NIK, 16 digits, nothing else.
    pub nik: String,
    /// Kode kecamatan of first registration, dotted: "36.03.32".
    pub district_code: String,
    /// Nama kecamatan.
    pub district_name: String,
    /// Tanggal lahir.
    pub birth_date: NaiveDate,
    /// Jenis kelamin.
    pub sex: Sex,
    /// Nomor urut (last four digits), 1-9999.
    pub serial: u16,
}

/// Why a NIK was refused (DOMAIN.md, "NIK"). Data only: the sentences are in `ui::text::nik`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NikError {
    #[error("empty NIK")]
    Empty,
    #[error("NIK with other characters than digits")]
    NotDigits,
    #[error("NIK of {len} digits, not 16")]
    WrongLength { len: usize },
    #[error("temporary village NIK (starts with 0)")]
    TemporaryVillageNik,
    #[error("unknown kecamatan code {code}")]
    UnknownDistrict { code: String },
    #[error("impossible birth date {day:02}-{month:02}-{year2:02} in the NIK")]
    ImpossibleBirthDate { day: u32, month: u32, year2: u32 },
    #[error("NIK serial 0000")]
    SerialZero,
}

/// Removes the spaces, dots and dashes a clerk may type inside a number; keeps everything else,
/// so that letters still reach the "digits only" check.
pub fn normalize_digits(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect()
}

/// Checks shared by NIK and KK: returns the 16 digits, or which of the first checks failed.
enum Shape {
    Empty,
    NotDigits,
    WrongLength(usize),
    LeadingZero,
    Ok(String),
}

fn shape(input: &str) -> Shape {
    let s = normalize_digits(input);
    if s.is_empty() {
        Shape::Empty
    } else if !s.chars().all(|c| c.is_ascii_digit()) {
        Shape::NotDigits
    } else if s.len() != 16 {
        Shape::WrongLength(s.len())
    } else if s.starts_with('0') {
        Shape::LeadingZero
    } else {
        Shape::Ok(s)
    }
}

/// "360332" -> "36.03.32". Input is known to be 6 ASCII digits.
fn dotted(code6: &str) -> String {
    format!("{}.{}.{}", &code6[0..2], &code6[2..4], &code6[4..6])
}

/// Two ASCII digits at `at` as a number (the caller has checked the string is digits).
fn two(s: &str, at: usize) -> u32 {
    s[at..at + 2].parse().unwrap_or(0)
}

/// Reads and checks a NIK (DOMAIN.md, "NIK"). Checks, in order: empty, non-digits, length,
/// temporary village NIK (leading 0), unknown kecamatan, impossible birth date, serial 0000.
/// The century is the one that puts the birth date on or before `today`.
pub fn parse_nik(
    input: &str,
    today: NaiveDate,
    districts: &dyn DistrictLookup,
) -> Result<NikInfo, NikError> {
    let nik = match shape(input) {
        Shape::Empty => return Err(NikError::Empty),
        Shape::NotDigits => return Err(NikError::NotDigits),
        Shape::WrongLength(len) => return Err(NikError::WrongLength { len }),
        Shape::LeadingZero => return Err(NikError::TemporaryVillageNik),
        Shape::Ok(s) => s,
    };
    let code6 = &nik[0..6];
    let district_name =
        districts
            .district_name(code6)
            .ok_or_else(|| NikError::UnknownDistrict {
                code: dotted(code6),
            })?;
    let (dd, month, year2) = (two(&nik, 6), two(&nik, 8), two(&nik, 10));
    let impossible = NikError::ImpossibleBirthDate {
        day: dd,
        month,
        year2,
    };
    let (day, sex) = match dd {
        1..=31 => (dd, Sex::Male),
        41..=71 => (dd - 40, Sex::Female),
        _ => return Err(impossible),
    };
    let birth_date = past_date(year2, month, day, today).ok_or(impossible)?;
    let serial: u16 = nik[12..16].parse().unwrap_or(0);
    if serial == 0 {
        return Err(NikError::SerialZero);
    }
    Ok(NikInfo {
        district_code: dotted(code6),
        nik,
        district_name,
        birth_date,
        sex,
        serial,
    })
}

/// The real date with this two-digit year that is on or before `today`, latest century first.
fn past_date(year2: u32, month: u32, day: u32, today: NaiveDate) -> Option<NaiveDate> {
    let century = today.year().div_euclid(100) * 100;
    let yy = i32::try_from(year2).ok()?;
    [century + yy, century - 100 + yy]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d <= today)
}

/// Disagreement between a valid NIK and what was entered from the KTP. A NIK is never
/// reissued when a birth date is corrected, so this is a warning to confirm, not an error
/// (DOMAIN.md, "NIK").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NikWarning {
    /// Tanggal lahir berbeda dengan NIK.
    BirthDateMismatch {
        from_nik: NaiveDate,
        entered: NaiveDate,
    },
    /// Jenis kelamin berbeda dengan NIK.
    SexMismatch { from_nik: Sex, entered: Sex },
}

impl fmt::Display for NikWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NikWarning::BirthDateMismatch { from_nik, entered } => {
                write!(f, "birth date {entered} differs from the NIK's {from_nik}")
            }
            NikWarning::SexMismatch { from_nik, entered } => {
                write!(f, "sex {entered:?} differs from the NIK's {from_nik:?}")
            }
        }
    }
}

/// Compares a parsed NIK with the birth date and sex entered from the KTP (DOMAIN.md, "NIK").
pub fn check_against(
    info: &NikInfo,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
) -> Vec<NikWarning> {
    let mut warnings = Vec::new();
    if let Some(entered) = birth_date.filter(|d| *d != info.birth_date) {
        warnings.push(NikWarning::BirthDateMismatch {
            from_nik: info.birth_date,
            entered,
        });
    }
    if let Some(entered) = sex.filter(|s| *s != info.sex) {
        warnings.push(NikWarning::SexMismatch {
            from_nik: info.sex,
            entered,
        });
    }
    warnings
}

/// Why a KK (Kartu Keluarga) number was refused (DOMAIN.md, "NIK"). Data only, as
/// [`NikError`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KkError {
    #[error("empty KK number")]
    Empty,
    #[error("KK number with other characters than digits")]
    NotDigits,
    #[error("KK number of {len} digits, not 16")]
    WrongLength { len: usize },
    #[error("unknown kecamatan code {code} in the KK number")]
    UnknownDistrict { code: String },
    #[error("temporary village KK number (starts with 0)")]
    TemporaryVillageNumber,
}

/// Checks a KK number: 16 digits starting with a known kecamatan code (DOMAIN.md, "NIK").
/// Returns the 16 digits without separators.
pub fn parse_kk(input: &str, districts: &dyn DistrictLookup) -> Result<String, KkError> {
    let kk = match shape(input) {
        Shape::Empty => return Err(KkError::Empty),
        Shape::NotDigits => return Err(KkError::NotDigits),
        Shape::WrongLength(len) => return Err(KkError::WrongLength { len }),
        Shape::LeadingZero => return Err(KkError::TemporaryVillageNumber),
        Shape::Ok(s) => s,
    };
    match districts.district_name(&kk[0..6]) {
        Some(_) => Ok(kk),
        None => Err(KkError::UnknownDistrict {
            code: dotted(&kk[0..6]),
        }),
    }
}

/// Groups characters by four, separated by single spaces.
fn group4(chars: &[char]) -> String {
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Masks a NIK for lists (UU 27/2022; DOMAIN.md, "NIK"): `3603 32•• •••• 0001` keeps the
/// kecamatan code and the serial. Anything that is not exactly 16 characters after removing
/// separators is masked completely, since we cannot tell which part is which.
pub fn mask_nik(nik: &str) -> String {
    let chars: Vec<char> = normalize_digits(nik).chars().collect();
    let masked: Vec<char> = chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if chars.len() == 16 && !(6..12).contains(&i) {
                *c
            } else {
                '•'
            }
        })
        .collect();
    group4(&masked)
}

/// Shows a NIK in groups of four, `3603 3212 3456 0001`, as it is read aloud at the counter.
pub fn format_nik(nik: &str) -> String {
    let chars: Vec<char> = normalize_digits(nik).chars().collect();
    group4(&chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn lookup(code6: &str) -> Option<String> {
        match code6 {
            "360332" => Some("Gunung Kaler".into()),
            "367101" => Some("Tangerang".into()),
            "110101" => Some("Bakongan".into()),
            _ => None,
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 22);

    fn parse(s: &str) -> Result<NikInfo, NikError> {
        parse_nik(s, d(TODAY.0, TODAY.1, TODAY.2), &lookup)
    }

    #[test]
    fn errors_in_check_order() {
        let cases: &[(&str, NikError)] = &[
            ("", NikError::Empty),
            ("  . - ", NikError::Empty),
            ("36O3321204900001", NikError::NotDigits),
            ("3603321204900001x", NikError::NotDigits),
            ("360332120490001", NikError::WrongLength { len: 15 }),
            ("36033212049000011", NikError::WrongLength { len: 17 }),
            ("0360332000100001", NikError::TemporaryVillageNik),
            ("0000000000000000", NikError::TemporaryVillageNik),
            (
                "3603991204900001",
                NikError::UnknownDistrict {
                    code: "36.03.99".into(),
                },
            ),
            // Unknown district wins over an impossible date.
            (
                "3603993213900000",
                NikError::UnknownDistrict {
                    code: "36.03.99".into(),
                },
            ),
            ("3603320013900001", im(0, 13, 90)),
            ("3603323201900001", im(32, 1, 90)),
            ("3603324001900001", im(40, 1, 90)),
            ("3603327201900001", im(72, 1, 90)),
            ("3603321200900001", im(12, 0, 90)),
            ("3603321213900001", im(12, 13, 90)),
            ("3603323102900001", im(31, 2, 90)),
            ("3603327102900001", im(71, 2, 90)),
            ("3603322902010001", im(29, 2, 1)),
            ("3603326902010001", im(69, 2, 1)),
            ("3603323104900001", im(31, 4, 90)),
            // Impossible date wins over a zero serial.
            ("3603323104900000", im(31, 4, 90)),
            ("3603321204900000", NikError::SerialZero),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).as_ref(), Err(want), "input {input:?}");
        }
    }

    fn im(day: u32, month: u32, year2: u32) -> NikError {
        NikError::ImpossibleBirthDate { day, month, year2 }
    }

    #[test]
    fn valid_niks() {
        let cases: &[(&str, NaiveDate, Sex, u16)] = &[
            ("3603321204900001", d(1990, 4, 12), Sex::Male, 1),
            ("3603 3212 0490 0001", d(1990, 4, 12), Sex::Male, 1),
            ("36.03.32-120490-0001", d(1990, 4, 12), Sex::Male, 1),
            ("3603325204909999", d(1990, 4, 12), Sex::Female, 9999),
            ("3603320101050042", d(2005, 1, 1), Sex::Male, 42),
            ("3603324101050042", d(2005, 1, 1), Sex::Female, 42),
            ("3603323112990001", d(1999, 12, 31), Sex::Male, 1),
            ("3603327112990001", d(1999, 12, 31), Sex::Female, 1),
            // 29 Feb in leap years, both centuries.
            ("3603322902000001", d(2000, 2, 29), Sex::Male, 1),
            ("3603326902240001", d(2024, 2, 29), Sex::Female, 1),
            ("3603322902960001", d(1996, 2, 29), Sex::Male, 1),
            // Century boundary relative to today (2026-11-22): on or before today is this century.
            ("3603322211260001", d(2026, 11, 22), Sex::Male, 1),
            ("3603322111260001", d(2026, 11, 21), Sex::Male, 1),
            ("3603322311260001", d(1926, 11, 23), Sex::Male, 1),
            ("3603320112260001", d(1926, 12, 1), Sex::Male, 1),
            ("3603320101270001", d(1927, 1, 1), Sex::Male, 1),
        ];
        for (input, birth, sex, serial) in cases {
            let info = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(info.birth_date, *birth, "{input}");
            assert_eq!(info.sex, *sex, "{input}");
            assert_eq!(info.serial, *serial, "{input}");
            assert_eq!(info.nik.len(), 16);
            assert_eq!(info.district_code, "36.03.32");
            assert_eq!(info.district_name, "Gunung Kaler");
        }
    }

    #[test]
    fn sex_parse_and_labels() {
        let cases: &[(&str, Option<Sex>)] = &[
            ("L", Some(Sex::Male)),
            (" lk ", Some(Sex::Male)),
            ("Laki-laki", Some(Sex::Male)),
            ("laki  laki", Some(Sex::Male)),
            ("LAKI", Some(Sex::Male)),
            ("pria", Some(Sex::Male)),
            ("m", Some(Sex::Male)),
            ("Male", Some(Sex::Male)),
            ("1", Some(Sex::Male)),
            ("p", Some(Sex::Female)),
            ("PR", Some(Sex::Female)),
            ("Perempuan", Some(Sex::Female)),
            ("wanita", Some(Sex::Female)),
            ("F", Some(Sex::Female)),
            ("female", Some(Sex::Female)),
            ("2", Some(Sex::Female)),
            ("", None),
            ("3", None),
            ("X", None),
        ];
        for (input, want) in cases {
            assert_eq!(Sex::parse(input), *want, "{input:?}");
        }
        assert_eq!(
            (Sex::Male.code(), Sex::Male.label_id(), Sex::Male.label_en()),
            ("L", "Laki-laki", "Male")
        );
        assert_eq!(
            (
                Sex::Female.code(),
                Sex::Female.label_id(),
                Sex::Female.label_en()
            ),
            ("P", "Perempuan", "Female")
        );
    }

    #[test]
    fn lookups_from_maps_and_closures() {
        let mut map = HashMap::new();
        map.insert("367101".to_string(), "Tangerang".to_string());
        let info = parse_nik("3671011204900001", d(2026, 1, 1), &map).expect("valid");
        assert_eq!(info.district_code, "36.71.01");
        assert_eq!(info.district_name, "Tangerang");
        let none = |_: &str| None;
        assert!(matches!(
            parse_nik("3671011204900001", d(2026, 1, 1), &none),
            Err(NikError::UnknownDistrict { .. })
        ));
    }

    #[test]
    fn warnings() {
        let info = parse("3603325204900001").expect("valid");
        let born = d(1990, 4, 12);
        let other = d(1990, 4, 13);
        let cases: &[(Option<NaiveDate>, Option<Sex>, Vec<NikWarning>)] = &[
            (None, None, vec![]),
            (Some(born), Some(Sex::Female), vec![]),
            (
                Some(other),
                None,
                vec![NikWarning::BirthDateMismatch {
                    from_nik: born,
                    entered: other,
                }],
            ),
            (
                None,
                Some(Sex::Male),
                vec![NikWarning::SexMismatch {
                    from_nik: Sex::Female,
                    entered: Sex::Male,
                }],
            ),
            (
                Some(other),
                Some(Sex::Male),
                vec![
                    NikWarning::BirthDateMismatch {
                        from_nik: born,
                        entered: other,
                    },
                    NikWarning::SexMismatch {
                        from_nik: Sex::Female,
                        entered: Sex::Male,
                    },
                ],
            ),
        ];
        for (birth, sex, want) in cases {
            assert_eq!(&check_against(&info, *birth, *sex), want);
        }
    }

    #[test]
    fn serializes_for_other_layers() {
        assert_eq!(
            serde_json::to_string(&Sex::Female).ok(),
            Some("\"Female\"".into())
        );
        let info = parse("3603325204900001").expect("valid");
        let json = serde_json::to_value(&info).expect("serializable");
        assert_eq!(json["birth_date"], "1990-04-12");
        assert_eq!(json["district_code"], "36.03.32");
    }

    #[test]
    fn kk_numbers() {
        let cases: &[(&str, Result<String, KkError>)] = &[
            ("3603320101090003", Ok("3603320101090003".into())),
            ("3603 3201 0109 0003", Ok("3603320101090003".into())),
            ("", Err(KkError::Empty)),
            ("36033201010900O3", Err(KkError::NotDigits)),
            ("36033201010900", Err(KkError::WrongLength { len: 14 })),
            ("0360332010900003", Err(KkError::TemporaryVillageNumber)),
            (
                "3603990101090003",
                Err(KkError::UnknownDistrict {
                    code: "36.03.99".into(),
                }),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(&parse_kk(input, &lookup), want, "{input:?}");
        }
    }

    #[test]
    fn masking_and_formatting() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "3603321234560001",
                "3603 32•• •••• 0001",
                "3603 3212 3456 0001",
            ),
            (
                "3603 3212 3456 0001",
                "3603 32•• •••• 0001",
                "3603 3212 3456 0001",
            ),
            ("", "", ""),
            ("12345", "•••• •", "1234 5"),
            (
                "360332123456000",
                "•••• •••• •••• •••",
                "3603 3212 3456 000",
            ),
            ("é€", "••", "é€"),
        ];
        for (input, masked, formatted) in cases {
            assert_eq!(mask_nik(input), *masked, "mask {input:?}");
            assert_eq!(format_nik(input), *formatted, "format {input:?}");
        }
    }

    #[test]
    fn errors_carry_what_was_typed() {
        assert_eq!(
            parse("360332120490001"),
            Err(NikError::WrongLength { len: 15 })
        );
        assert_eq!(parse("3603327201900001"), Err(im(72, 1, 90)));
    }
}
