//! The small values of a resident's record, each a type that holds only a valid value: RT/RW,
//! phone, desa code, education, employment, DTSEN desil, and the readers of yes/no and dates.
//! Each reads text as clerks type it and as exports carry it (DOMAIN.md, "Files offices
//! already have"). Pure and cheap: the import reads millions of these, so the fixed-width
//! values live on the stack and are never allocated.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::super::import_row::normalize_header;
use super::super::person::{DateError, read_date};

/// A value that cannot be read as its type; which field and what was written is said by the
/// caller ([`super::ResidentProblem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// Whether an optional cell or field says "nothing": empty after trimming, or a lone `-`
/// (exports write it for an unknown value).
pub fn is_blank(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t == "-"
}

/// An RT (rukun tetangga) or RW (rukun warga) number, written with three digits as on the KK
/// (`003`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rt([u8; 3]);

impl Rt {
    /// `3`, `03` and `003` are RT 003. Blank and all zeros (`0`, `000`: exports write them for
    /// "no RT") are none. Anything else (letters, four digits) is refused.
    pub fn read(s: &str) -> Result<Option<Rt>, Unreadable> {
        if is_blank(s) {
            return Ok(None);
        }
        let s = s.trim().as_bytes();
        if s.len() > 3 || !s.iter().all(u8::is_ascii_digit) {
            return Err(Unreadable);
        }
        if s.iter().all(|b| *b == b'0') {
            return Ok(None);
        }
        let mut digits = *b"000";
        digits[3 - s.len()..].copy_from_slice(s);
        Ok(Some(Rt(digits)))
    }

    /// The three digits, `003`.
    pub fn as_str(&self) -> &str {
        // ASCII digits only
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Debug for Rt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rt({})", self.as_str())
    }
}

/// A phone number (nomor HP): 8 to 15 digits, with an optional leading `+`. The spaces, dashes,
/// dots and brackets people write between groups are dropped (`0812-3456 7890` is stored
/// `081234567890`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phone {
    len: u8,
    bytes: [u8; 16],
}

impl Phone {
    /// Blank is none; anything that is not 8-15 digits once the separators are gone is refused.
    pub fn read(s: &str) -> Result<Option<Phone>, Unreadable> {
        if is_blank(s) {
            return Ok(None);
        }
        let mut phone = Phone {
            len: 0,
            bytes: [0; 16],
        };
        let mut digits = 0;
        for c in s.trim().chars() {
            match c {
                '+' if phone.len == 0 => {}
                '0'..='9' => digits += 1,
                ' ' | '-' | '.' | '(' | ')' => continue,
                _ => return Err(Unreadable),
            }
            if phone.len as usize == phone.bytes.len() {
                return Err(Unreadable);
            }
            phone.bytes[phone.len as usize] = c as u8;
            phone.len += 1;
        }
        if (8..=15).contains(&digits) {
            Ok(Some(phone))
        } else {
            Err(Unreadable)
        }
    }

    pub fn as_str(&self) -> &str {
        // ASCII digits and '+' only
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.as_str())
    }
}

/// A desa/kelurahan code in its dotted form, `36.03.32.2001` (13 characters). Whether the desa
/// exists is for the caller's [`super::VillageLookup`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VillageCode([u8; 13]);

impl VillageCode {
    /// Ten digits with or without dots (and spaces): `3603322001`, `36.03.32.2001`. Blank is
    /// none.
    pub fn read(s: &str) -> Result<Option<VillageCode>, Unreadable> {
        if is_blank(s) {
            return Ok(None);
        }
        let mut code = *b"00.00.00.0000";
        let mut n = 0;
        for b in s.bytes().filter(|b| *b != b'.' && !b.is_ascii_whitespace()) {
            if n == 10 || !b.is_ascii_digit() {
                return Err(Unreadable);
            }
            // digit positions of the dotted form
            let at = [0, 1, 3, 4, 6, 7, 9, 10, 11, 12][n];
            code[at] = b;
            n += 1;
        }
        if n == 10 {
            Ok(Some(VillageCode(code)))
        } else {
            Err(Unreadable)
        }
    }

    pub fn as_str(&self) -> &str {
        // ASCII digits and dots only
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Debug for VillageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VillageCode({})", self.as_str())
    }
}

/// Pendidikan as on the KK: OpenSID's code 1-10 (DOMAIN.md, "Files offices already have").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Education(u8);

impl Education {
    /// The code 1-10, or the common label (`SLTA/Sederajat`, `S1`). Blank is none.
    pub fn read(s: &str) -> Result<Option<Education>, Unreadable> {
        if is_blank(s) {
            return Ok(None);
        }
        let s = s.trim();
        if let Ok(code) = s.parse::<u8>() {
            return Education::from_code(code).map(Some).ok_or(Unreadable);
        }
        let code = match normalize_header(s).as_str() {
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
            _ => return Err(Unreadable),
        };
        Ok(Some(Education(code)))
    }

    /// A stored code; None outside 1-10.
    pub fn from_code(code: u8) -> Option<Education> {
        (1..=10).contains(&code).then_some(Education(code))
    }

    pub fn code(self) -> u8 {
        self.0
    }
}

/// Status pekerjaan as loket stores it, for the priority groups of DOMAIN.md (the unemployed,
/// the laid-off, factory workers who want a second career).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Employment {
    /// Bekerja
    Employed,
    /// Belum/tidak bekerja
    Unemployed,
    /// Korban PHK
    LaidOff,
    /// Buruh/karyawan pabrik
    FactoryWorker,
}

impl Employment {
    /// The stored code: `employed`, `unemployed`, `laid_off`, `factory_worker`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// A stored code back; None for anything else.
    pub fn from_code(code: &str) -> Option<Employment> {
        code.parse().ok()
    }

    /// Reads what a clerk types or an export holds. OpenSID's pekerjaan codes (DOMAIN.md,
    /// "Files offices already have"): 1 belum/tidak bekerja is unemployed; 2 mengurus rumah
    /// tangga and 3 pelajar/mahasiswa are outside the labour force and give none; every other
    /// code up to 89 is a kind of work, employed. Words: `bekerja`, `tidak bekerja`,
    /// `menganggur`, `PHK`, `pabrik` (and the stored codes). Blank is none.
    pub fn read(s: &str) -> Result<Option<Employment>, Unreadable> {
        if is_blank(s) {
            return Ok(None);
        }
        let s = s.trim();
        if let Ok(code) = s.parse::<u32>() {
            return match code {
                1 => Ok(Some(Employment::Unemployed)),
                2 | 3 => Ok(None),
                4..=89 => Ok(Some(Employment::Employed)),
                _ => Err(Unreadable),
            };
        }
        let read = match normalize_header(s).as_str() {
            "EMPLOYED" | "BEKERJA" | "KERJA" => Employment::Employed,
            "UNEMPLOYED"
            | "BELUM/TIDAK_BEKERJA"
            | "TIDAK_BEKERJA"
            | "BELUM_BEKERJA"
            | "MENGANGGUR" => Employment::Unemployed,
            "LAID_OFF" | "PHK" | "KORBAN_PHK" => Employment::LaidOff,
            "FACTORY_WORKER" | "PABRIK" | "BURUH_PABRIK" | "KARYAWAN_PABRIK" => {
                Employment::FactoryWorker
            }
            "MENGURUS_RUMAH_TANGGA" | "PELAJAR" | "MAHASISWA" | "PELAJAR/MAHASISWA" => {
                return Ok(None);
            }
            _ => return Err(Unreadable),
        };
        Ok(Some(read))
    }

    /// The word the form shows for a stored value; [`Employment::read`] reads it back.
    pub fn typed(self) -> &'static str {
        match self {
            Employment::Employed => "bekerja",
            Employment::Unemployed => "tidak bekerja",
            Employment::LaidOff => "PHK",
            Employment::FactoryWorker => "pabrik",
        }
    }
}

/// A DTSEN desil, 1 (poorest tenth) to 10 (DOMAIN.md, "Priority groups").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Desil(u8);

impl Desil {
    /// 1-10; blank is none.
    pub fn read(s: &str) -> Result<Option<Desil>, Unreadable> {
        if is_blank(s) {
            return Ok(None);
        }
        match s.trim().parse::<u8>() {
            Ok(d) => Desil::new(d).map(Some).ok_or(Unreadable),
            Err(_) => Err(Unreadable),
        }
    }

    /// None outside 1-10.
    pub fn new(level: u8) -> Option<Desil> {
        (1..=10).contains(&level).then_some(Desil(level))
    }

    pub fn level(self) -> u8 {
        self.0
    }
}

/// The source a desil is credited to when none is given: since Inpres 4/2025 the desil 1-10
/// ranking is DTSEN's (DOMAIN.md, "Priority groups").
pub const DEFAULT_DESIL_SOURCE: &str = "DTSEN";

/// A family's desil with where it comes from and the date it was true on: a register is
/// updated, so "desil 2" alone does not say enough (DOMAIN.md, "Priority groups").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesilRecord {
    pub desil: Desil,
    /// The register: `DTSEN` unless the clerk or the file names another.
    pub source: Cow<'static, str>,
    pub as_of: Option<NaiveDate>,
}

/// A date that cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not a date in a known format.
    Invalid,
    /// Written correctly, but the month has no such day (31-02-2001).
    NoSuchDay { day: u32, month: u32, year: i32 },
    /// After today: a birth date or an as-of date has happened.
    Future,
}

/// A past date as clerks type it (see [`read_date`]).
pub fn read_past(s: &str, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    match read_date(s) {
        Ok(d) if d > today => Err(DateProblem::Future),
        Ok(d) => Ok(d),
        Err(DateError::Format) => Err(DateProblem::Invalid),
        Err(DateError::NoSuchDay { day, month, year }) => {
            Err(DateProblem::NoSuchDay { day, month, year })
        }
    }
}

/// An optional past date as clerks type it (see [`read_date`]); blank is none.
pub fn read_past_date(s: &str, today: NaiveDate) -> Result<Option<NaiveDate>, DateProblem> {
    if is_blank(s) {
        return Ok(None);
    }
    read_past(s, today).map(Some)
}

/// The date as the form shows it and clerks type it: `17-08-1990`.
pub fn typed_date(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// Ya/tidak: `y`, `ya`, `1`, `true`, `yes` and `t`, `tidak`, `n`, `no`, `0`, `false`;
/// case-insensitive. Blank is no.
pub fn read_yes_no(s: &str) -> Result<bool, Unreadable> {
    if is_blank(s) {
        return Ok(false);
    }
    let s = s.trim();
    let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(s));
    if is(&["1", "y", "ya", "true", "yes"]) {
        Ok(true)
    } else if is(&["0", "t", "n", "tidak", "false", "no"]) {
        Ok(false)
    } else {
        Err(Unreadable)
    }
}

/// The letter the form shows for a yes/no value; [`read_yes_no`] reads it back.
pub fn typed_yes_no(value: bool) -> &'static str {
    if value { "y" } else { "t" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    #[test]
    fn rt_and_rw_have_three_digits() {
        let cases: &[(&str, Result<Option<&str>, Unreadable>)] = &[
            ("3", Ok(Some("003"))),
            ("03", Ok(Some("003"))),
            (" 003 ", Ok(Some("003"))),
            ("12", Ok(Some("012"))),
            ("999", Ok(Some("999"))),
            ("", Ok(None)),
            ("-", Ok(None)),
            ("0", Ok(None)),
            ("000", Ok(None)),
            ("0003", Err(Unreadable)),
            ("3a", Err(Unreadable)),
            ("RT 3", Err(Unreadable)),
            ("-3", Err(Unreadable)),
            ("٣", Err(Unreadable)),
        ];
        for (input, want) in cases {
            let got = Rt::read(input).map(|r| r.map(|r| r.as_str().to_string()));
            assert_eq!(got, want.map(|w| w.map(str::to_string)), "{input:?}");
        }
    }

    #[test]
    fn phones_keep_digits_and_a_leading_plus() {
        let cases: &[(&str, Result<Option<&str>, Unreadable>)] = &[
            ("081234567890", Ok(Some("081234567890"))),
            ("0812-3456-7890", Ok(Some("081234567890"))),
            ("0812 3456 7890", Ok(Some("081234567890"))),
            ("+62 812 3456 7890", Ok(Some("+6281234567890"))),
            ("(021) 5555.1234", Ok(Some("02155551234"))),
            ("12345678", Ok(Some("12345678"))),
            ("123456789012345", Ok(Some("123456789012345"))),
            ("+123456789012345", Ok(Some("+123456789012345"))),
            ("", Ok(None)),
            ("-", Ok(None)),
            ("0812", Err(Unreadable)),
            ("1234567", Err(Unreadable)),
            ("1234567890123456", Err(Unreadable)),
            ("0812345678x", Err(Unreadable)),
            ("0812+34567890", Err(Unreadable)),
            ("++6281234567890", Err(Unreadable)),
            ("+", Err(Unreadable)),
        ];
        for (input, want) in cases {
            let got = Phone::read(input).map(|r| r.map(|r| r.as_str().to_string()));
            assert_eq!(got, want.map(|w| w.map(str::to_string)), "{input:?}");
        }
    }

    #[test]
    fn village_codes_with_or_without_dots() {
        let read = |s| VillageCode::read(s).map(|r| r.map(|r| r.as_str().to_string()));
        assert_eq!(read("3603322001"), Ok(Some("36.03.32.2001".into())));
        assert_eq!(read(" 36.03.32.2001 "), Ok(Some("36.03.32.2001".into())));
        assert_eq!(read("36 03 32 2001"), Ok(Some("36.03.32.2001".into())));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("360332200"), Err(Unreadable));
        assert_eq!(read("36033220011"), Err(Unreadable));
        assert_eq!(read("36.03.32.200a"), Err(Unreadable));
    }

    #[test]
    fn education_codes_and_labels() {
        let read = |s| Education::read(s).map(|e| e.map(Education::code));
        assert_eq!(read("5"), Ok(Some(5)));
        assert_eq!(read("SLTA/Sederajat"), Ok(Some(5)));
        assert_eq!(read("s1"), Ok(Some(8)));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("0"), Err(Unreadable));
        assert_eq!(read("11"), Err(Unreadable));
        assert_eq!(read("kuliah"), Err(Unreadable));
    }

    #[test]
    fn employment_follows_opensid_codes() {
        use Employment::*;
        let cases: &[(&str, Result<Option<Employment>, Unreadable>)] = &[
            ("1", Ok(Some(Unemployed))),
            ("2", Ok(None)),
            ("3", Ok(None)),
            ("4", Ok(Some(Employed))),
            ("19", Ok(Some(Employed))),
            ("89", Ok(Some(Employed))),
            ("0", Err(Unreadable)),
            ("90", Err(Unreadable)),
            ("", Ok(None)),
            ("bekerja", Ok(Some(Employed))),
            ("Tidak Bekerja", Ok(Some(Unemployed))),
            ("BELUM/TIDAK BEKERJA", Ok(Some(Unemployed))),
            ("korban phk", Ok(Some(LaidOff))),
            ("pabrik", Ok(Some(FactoryWorker))),
            ("laid_off", Ok(Some(LaidOff))),
            ("factory_worker", Ok(Some(FactoryWorker))),
            ("Mengurus Rumah Tangga", Ok(None)),
            ("astronot", Err(Unreadable)),
        ];
        for (input, want) in cases {
            assert_eq!(Employment::read(input), *want, "{input:?}");
        }
        for e in <Employment as strum::IntoEnumIterator>::iter() {
            assert_eq!(Employment::read(e.typed()), Ok(Some(e)), "{e:?}");
            assert_eq!(Employment::read(e.code()), Ok(Some(e)), "{e:?}");
            assert_eq!(Employment::from_code(e.code()), Some(e));
        }
        assert_eq!(Employment::LaidOff.code(), "laid_off");
        assert_eq!(Employment::from_code("Employed"), None);
    }

    #[test]
    fn desil_one_to_ten() {
        let read = |s| Desil::read(s).map(|d| d.map(Desil::level));
        assert_eq!(read("1"), Ok(Some(1)));
        assert_eq!(read(" 10 "), Ok(Some(10)));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("0"), Err(Unreadable));
        assert_eq!(read("11"), Err(Unreadable));
        assert_eq!(read("-1"), Err(Unreadable));
        assert_eq!(read("dua"), Err(Unreadable));
    }

    #[test]
    fn past_dates_and_yes_no() {
        let today = d(2026, 3, 2);
        assert_eq!(
            read_past_date("30-06-2025", today),
            Ok(Some(d(2025, 6, 30)))
        );
        assert_eq!(read_past_date("2026-03-02", today), Ok(Some(today)));
        assert_eq!(
            read_past_date("03-03-2026", today),
            Err(DateProblem::Future)
        );
        assert_eq!(
            read_past_date("31-02-2020", today),
            Err(DateProblem::NoSuchDay {
                day: 31,
                month: 2,
                year: 2020
            })
        );
        assert_eq!(read_past_date("31-2020", today), Err(DateProblem::Invalid));
        assert_eq!(read_past_date("17081990", today), Ok(Some(d(1990, 8, 17))));
        assert_eq!(read_past_date(" ", today), Ok(None));
        assert_eq!(typed_date(d(1990, 8, 17)), "17-08-1990");
        for (s, want) in [
            ("", Ok(false)),
            ("Ya", Ok(true)),
            ("y", Ok(true)),
            ("1", Ok(true)),
            ("TRUE", Ok(true)),
            ("tidak", Ok(false)),
            ("T", Ok(false)),
            ("n", Ok(false)),
            ("-", Ok(false)),
            ("mungkin", Err(Unreadable)),
        ] {
            assert_eq!(read_yes_no(s), want, "{s:?}");
        }
        assert_eq!(read_yes_no(typed_yes_no(true)), Ok(true));
        assert_eq!(read_yes_no(typed_yes_no(false)), Ok(false));
    }
}
