//! One resident (penduduk) as the desk records it, whoever brings the data: the register form,
//! an imported list (Dukcapil/SIAK, OpenSID, DTSEN) or the demo. Each fills a [`ResidentDraft`]
//! with text as typed or read, and [`validate`] turns it into a [`ValidResident`] or says every
//! reason it cannot, as [`ResidentProblem`]s (data, never sentences: `ui::text::resident` words
//! them). So a row is accepted or refused for the same reason, and stored identically, however
//! it arrived.
//!
//! Pure: never reads a file, the database or the clock; the caller passes "today" and what
//! exists (kecamatan, desa) through [`Rules`].

mod values;

use std::borrow::Cow;

use chrono::NaiveDate;

pub use values::{
    DEFAULT_DESIL_SOURCE, DateProblem, Desil, DesilRecord, Education, Employment, Phone, Rt,
    Unreadable, VillageCode, is_blank, read_past, read_past_date, read_yes_no, typed_date,
    typed_yes_no,
};

use super::name_key::{name_key, normalize_display_name};
use super::nik::{
    DistrictLookup, KkError, NikError, NikInfo, NikWarning, Sex, check_against, parse_kk, parse_nik,
};
use super::person::parse_date_flexible;

/// One field of a resident's record, in the order the form visits them. Its serde name (the
/// variant in snake_case) is what a saved draft of the form names it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Nik,
    Kk,
    Name,
    Sex,
    BirthPlace,
    BirthDate,
    Address,
    Rt,
    Rw,
    Village,
    Phone,
    Education,
    Employment,
    Desil,
    DesilSource,
    DesilAsOf,
    Stunting,
    Disability,
}

/// Every field, in order.
pub const FIELDS: [Field; 18] = [
    Field::Nik,
    Field::Kk,
    Field::Name,
    Field::Sex,
    Field::BirthPlace,
    Field::BirthDate,
    Field::Address,
    Field::Rt,
    Field::Rw,
    Field::Village,
    Field::Phone,
    Field::Education,
    Field::Employment,
    Field::Desil,
    Field::DesilSource,
    Field::DesilAsOf,
    Field::Stunting,
    Field::Disability,
];

impl Field {
    /// Its place in [`FIELDS`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A resident as typed or read, every field still text. Borrowed: the import fills one per
/// row from the cells it has just read, without copying them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResidentDraft<'a> {
    values: [&'a str; FIELDS.len()],
    /// OpenSID's dusun (hamlet), which loket adds to the address: `Kp. Sidoko, Dusun II`.
    pub hamlet: &'a str,
    /// The clerk checked the KTP and confirms a NIK that disagrees with the sex or birth date
    /// (an import's `--accept-warnings`).
    pub mismatch_confirmed: bool,
}

impl<'a> ResidentDraft<'a> {
    pub fn get(&self, field: Field) -> &'a str {
        self.values[field.index()]
    }

    pub fn set(&mut self, field: Field, value: &'a str) {
        self.values[field.index()] = value;
    }

    /// The draft with `field` set: `ResidentDraft::default().with(Field::Nik, "...")`.
    pub fn with(mut self, field: Field, value: &'a str) -> Self {
        self.set(field, value);
        self
    }
}

/// A draft that owns its text: what a stored resident looks like in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftText {
    values: [String; FIELDS.len()],
    pub mismatch_confirmed: bool,
}

impl DraftText {
    pub fn get(&self, field: Field) -> &str {
        &self.values[field.index()]
    }

    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        self.values[field.index()] = value.into();
    }

    pub fn draft(&self) -> ResidentDraft<'_> {
        let mut draft = ResidentDraft {
            mismatch_confirmed: self.mismatch_confirmed,
            ..ResidentDraft::default()
        };
        for field in FIELDS {
            draft.set(field, self.get(field));
        }
        draft
    }
}

/// Looks up whether a desa exists by its dotted code (`36.03.32.2001`); backed by the
/// reference data in `db`, or by the desa the clerk picked.
pub trait VillageLookup {
    fn has_village(&self, code: &str) -> bool;
}

impl<F: Fn(&str) -> bool> VillageLookup for F {
    fn has_village(&self, code: &str) -> bool {
        self(code)
    }
}

impl VillageLookup for std::collections::HashSet<String> {
    fn has_village(&self, code: &str) -> bool {
        self.contains(code)
    }
}

/// What a draft is checked against.
pub struct Rules<'a> {
    /// Birth and as-of dates after this day are refused; the NIK's century is chosen by it.
    pub today: NaiveDate,
    pub districts: &'a dyn DistrictLookup,
    pub villages: &'a dyn VillageLookup,
}

/// A resident whose every field passed the rules, as it is stored. Only [`validate`] makes
/// one, so `db` writes it without checking again.
// A private field rather than #[non_exhaustive]: that would still let the rest of the crate
// build one without the rules.
#[allow(clippy::manual_non_exhaustive)]
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResident {
    /// 16 digits.
    pub nik: String,
    /// The NIK as a number: 16 digits always fit (the import keeps these to find duplicates).
    pub nik_number: u64,
    /// 16 digits; none when empty or all zeros (OpenSID writes 0 for "no KK yet").
    pub kk: Option<String>,
    /// As on the KTP: single spaces, uppercase.
    pub name: String,
    /// [`name_key`] of the name.
    pub name_key: String,
    pub sex: Sex,
    /// Uppercase, as on the KTP.
    pub birth_place: String,
    pub birth_date: NaiveDate,
    pub address: String,
    pub rt: Option<Rt>,
    pub rw: Option<Rt>,
    pub village: Option<VillageCode>,
    pub phone: Option<Phone>,
    pub education: Option<Education>,
    pub employment: Option<Employment>,
    pub desil: Option<DesilRecord>,
    pub stunting_household: bool,
    pub disability: bool,
    /// The NIK disagrees with the sex or birth date and the disagreement was confirmed.
    pub nik_mismatch_confirmed: bool,
    _checked: (),
}

/// One reason a draft is refused, with what was written where it helps the clerk find it.
#[derive(Debug, Clone, PartialEq)]
pub enum ResidentProblem {
    Nik(NikError),
    Kk(KkError),
    NameEmpty,
    /// The name holds letters that are not Latin (Arabic, Chinese, ...): a KTP name is written in
    /// Latin letters, and the search could never find these.
    NameNotLatin(String),
    /// A control character (ESC, NUL, ...) or a bidirectional override in a text field: never
    /// stored, since a terminal or a spreadsheet would act on it when it is shown.
    ControlCharacter {
        field: Field,
    },
    SexMissing,
    SexUnknown(String),
    BirthDateMissing,
    /// Not a date (birth date or desil as-of date).
    DateInvalid {
        field: Field,
        value: String,
    },
    /// Written as a date, but the month has no such day (31-02-2001).
    DateNoSuchDay {
        field: Field,
        value: String,
        day: u32,
        month: u32,
        year: i32,
    },
    /// A date after today (birth date or desil as-of date).
    DateInFuture {
        field: Field,
        date: NaiveDate,
    },
    /// The NIK disagrees with the sex or birth date, not confirmed (DOMAIN.md, "NIK").
    Mismatch(NikWarning),
    /// Not ten digits.
    VillageCodeInvalid(String),
    /// No desa has this (dotted) code.
    VillageUnknown(String),
    /// Not an RT/RW number (field: RT or RW).
    RtInvalid {
        field: Field,
        value: String,
    },
    PhoneInvalid(String),
    EducationUnknown(String),
    EmploymentUnknown(String),
    DesilOutOfRange(String),
    /// Not yes or no (field: stunting or disability).
    YesNoUnknown {
        field: Field,
        value: String,
    },
}

impl ResidentProblem {
    /// The field the problem is about.
    pub fn field(&self) -> Field {
        match self {
            ResidentProblem::Nik(_) => Field::Nik,
            ResidentProblem::Kk(_) => Field::Kk,
            ResidentProblem::NameEmpty | ResidentProblem::NameNotLatin(_) => Field::Name,
            ResidentProblem::ControlCharacter { field } => *field,
            ResidentProblem::SexMissing | ResidentProblem::SexUnknown(_) => Field::Sex,
            ResidentProblem::BirthDateMissing => Field::BirthDate,
            ResidentProblem::Mismatch(NikWarning::SexMismatch { .. }) => Field::Sex,
            ResidentProblem::Mismatch(NikWarning::BirthDateMismatch { .. }) => Field::BirthDate,
            ResidentProblem::DateInvalid { field, .. }
            | ResidentProblem::DateNoSuchDay { field, .. }
            | ResidentProblem::DateInFuture { field, .. }
            | ResidentProblem::RtInvalid { field, .. }
            | ResidentProblem::YesNoUnknown { field, .. } => *field,
            ResidentProblem::VillageCodeInvalid(_) | ResidentProblem::VillageUnknown(_) => {
                Field::Village
            }
            ResidentProblem::PhoneInvalid(_) => Field::Phone,
            ResidentProblem::EducationUnknown(_) => Field::Education,
            ResidentProblem::EmploymentUnknown(_) => Field::Employment,
            ResidentProblem::DesilOutOfRange(_) => Field::Desil,
        }
    }

    /// A required field left empty (the form says so only once a save was tried).
    pub fn is_missing(&self) -> bool {
        matches!(
            self,
            ResidentProblem::Nik(NikError::Empty)
                | ResidentProblem::NameEmpty
                | ResidentProblem::SexMissing
                | ResidentProblem::BirthDateMissing
        )
    }
}

/// The NIK (DOMAIN.md, "NIK"): 16 digits, a known kecamatan, a real date, serial not 0000.
pub fn read_nik(s: &str, rules: &Rules) -> Result<NikInfo, ResidentProblem> {
    parse_nik(s.trim(), rules.today, rules.districts).map_err(ResidentProblem::Nik)
}

/// The KK number: empty, `-` or all zeros (OpenSID's "no KK yet") is none; otherwise 16 digits
/// starting with a known kecamatan code.
pub fn read_kk(s: &str, districts: &dyn DistrictLookup) -> Result<Option<String>, ResidentProblem> {
    let s = s.trim();
    let digits = || s.chars().filter(|c| !matches!(c, ' ' | '.' | '-'));
    if is_blank(s) || digits().all(|c| c == '0') {
        return Ok(None);
    }
    parse_kk(s, districts)
        .map(Some)
        .map_err(ResidentProblem::Kk)
}

/// The name as displayed and its key; refused when it holds a control character or a letter
/// that is not Latin, or when nothing of it is left in the key.
pub fn read_name(s: &str) -> Result<(String, String), ResidentProblem> {
    one_line_text(s, Field::Name)?;
    if s.chars().any(not_latin_letter) {
        return Err(ResidentProblem::NameNotLatin(s.trim().to_string()));
    }
    let name = normalize_display_name(s);
    let key = name_key(&name);
    if key.is_empty() {
        return Err(ResidentProblem::NameEmpty);
    }
    Ok((name, key))
}

/// A letter that the name key cannot spell in ASCII: another script (Arabic, Han, Cyrillic...)
/// or a Latin letter too rare to have an obvious ASCII form.
fn not_latin_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_ascii() && name_key(c.encode_utf8(&mut [0; 4])).is_empty()
}

/// Characters never stored in a text field: C0 and C1 control characters and DEL (`ESC ] 0 ;`
/// retitles a terminal, NUL cuts a C string), and the bidirectional embeddings, overrides and
/// isolates that make text display in another order than it is stored.
fn forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A one-line text field (name, birth place, desil source): no forbidden character, tab and
/// line breaks included (the form cannot type them; in a file they are a damaged cell).
fn one_line_text(s: &str, field: Field) -> Result<(), ResidentProblem> {
    match s.chars().any(forbidden) {
        true => Err(ResidentProblem::ControlCharacter { field }),
        false => Ok(()),
    }
}

/// The address (with OpenSID's dusun): may run over several lines, as on a KK, stored with LF
/// line breaks and tabs as spaces; any other forbidden character refuses it.
pub fn read_address(address: &str, hamlet: &str) -> Result<String, ResidentProblem> {
    let tidy = |s: &str| -> Result<String, ResidentProblem> {
        let s = s
            .trim()
            .replace("\r\n", "\n")
            .replace(['\r'], "\n")
            .replace('\t', " ");
        match s.chars().any(|c| c != '\n' && forbidden(c)) {
            true => Err(ResidentProblem::ControlCharacter {
                field: Field::Address,
            }),
            false => Ok(s),
        }
    };
    Ok(joined_address(&tidy(address)?, &tidy(hamlet)?))
}

/// Jenis kelamin: required, in any spelling [`Sex::parse`] knows.
pub fn read_sex(s: &str) -> Result<Sex, ResidentProblem> {
    match s.trim() {
        "" => Err(ResidentProblem::SexMissing),
        v => Sex::parse(v).ok_or_else(|| ResidentProblem::SexUnknown(v.to_string())),
    }
}

/// Tanggal lahir: required, a real date, not after today.
pub fn read_birth_date(s: &str, today: NaiveDate) -> Result<NaiveDate, ResidentProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Err(ResidentProblem::BirthDateMissing);
    }
    read_past(s, today).map_err(|problem| date_problem(Field::BirthDate, s, problem))
}

/// The desa code (with or without dots), which must exist.
pub fn read_village(
    s: &str,
    villages: &dyn VillageLookup,
) -> Result<Option<VillageCode>, ResidentProblem> {
    match VillageCode::read(s) {
        Err(Unreadable) => Err(ResidentProblem::VillageCodeInvalid(s.trim().to_string())),
        Ok(Some(code)) if !villages.has_village(code.as_str()) => {
            Err(ResidentProblem::VillageUnknown(code.as_str().to_string()))
        }
        Ok(code) => Ok(code),
    }
}

/// Checks every field of a draft. Returns every problem found, in field order and the NIK's
/// disagreements last, so a clerk fixes a row once; the NIK's agreement with sex and birth
/// date is only checked when all three could be read.
pub fn validate(d: &ResidentDraft, rules: &Rules) -> Result<ValidResident, Vec<ResidentProblem>> {
    let mut problems = Vec::new();
    let mut keep = |p: ResidentProblem| problems.push(p);
    let nik = read_nik(d.get(Field::Nik), rules).map_err(&mut keep).ok();
    let kk = read_kk(d.get(Field::Kk), rules.districts)
        .map_err(&mut keep)
        .ok()
        .flatten();
    let name = read_name(d.get(Field::Name)).map_err(&mut keep).ok();
    let sex = read_sex(d.get(Field::Sex)).map_err(&mut keep).ok();
    let birth_place = d.get(Field::BirthPlace);
    let birth_place_ok = one_line_text(birth_place, Field::BirthPlace)
        .map_err(&mut keep)
        .is_ok();
    let birth_date = read_birth_date(d.get(Field::BirthDate), rules.today)
        .map_err(&mut keep)
        .ok();
    let address = read_address(d.get(Field::Address), d.hamlet)
        .map_err(&mut keep)
        .ok();
    let rt = read_rt(d, Field::Rt, &mut keep);
    let rw = read_rt(d, Field::Rw, &mut keep);
    let village = read_village(d.get(Field::Village), rules.villages)
        .map_err(&mut keep)
        .ok()
        .flatten();
    let phone = optional(
        d,
        Field::Phone,
        Phone::read,
        ResidentProblem::PhoneInvalid,
        &mut keep,
    );
    let education = optional(
        d,
        Field::Education,
        Education::read,
        ResidentProblem::EducationUnknown,
        &mut keep,
    );
    let employment = optional(
        d,
        Field::Employment,
        Employment::read,
        ResidentProblem::EmploymentUnknown,
        &mut keep,
    );
    let desil = optional(
        d,
        Field::Desil,
        Desil::read,
        ResidentProblem::DesilOutOfRange,
        &mut keep,
    );
    let source = d.get(Field::DesilSource).trim();
    let source_ok = one_line_text(source, Field::DesilSource)
        .map_err(&mut keep)
        .is_ok();
    let as_of = match read_past_date(d.get(Field::DesilAsOf), rules.today) {
        Ok(date) => date,
        Err(problem) => {
            keep(date_problem(
                Field::DesilAsOf,
                d.get(Field::DesilAsOf),
                problem,
            ));
            None
        }
    };
    let stunting = yes_no(d, Field::Stunting, &mut keep);
    let disability = yes_no(d, Field::Disability, &mut keep);
    let mut mismatch = false;
    if let (Some(info), Some(sex), Some(birth)) = (&nik, sex, birth_date) {
        let warnings = check_against(info, Some(birth), Some(sex));
        mismatch = !warnings.is_empty();
        if mismatch && !d.mismatch_confirmed {
            warnings
                .into_iter()
                .for_each(|w| keep(ResidentProblem::Mismatch(w)));
        }
    }
    let (Some(info), Some((name, name_key)), Some(sex), Some(birth_date), Some(address), true) = (
        nik,
        name,
        sex,
        birth_date,
        address,
        problems.is_empty() && birth_place_ok && source_ok,
    ) else {
        return Err(problems);
    };
    Ok(ValidResident {
        nik_number: info.nik.parse().unwrap_or(0),
        nik: info.nik,
        kk,
        name,
        name_key,
        sex,
        birth_place: birth_place.trim().to_uppercase(),
        birth_date,
        address,
        rt,
        rw,
        village,
        phone,
        education,
        employment,
        desil: desil.map(|desil| DesilRecord {
            desil,
            source: match source {
                "" => Cow::Borrowed(DEFAULT_DESIL_SOURCE),
                s => Cow::Owned(s.to_string()),
            },
            as_of,
        }),
        stunting_household: stunting,
        disability,
        nik_mismatch_confirmed: mismatch,
        _checked: (),
    })
}

/// The address, with OpenSID's dusun added when there is one.
fn joined_address(address: &str, hamlet: &str) -> String {
    match (address, hamlet) {
        (a, "") => a.to_string(),
        ("", h) => format!("Dusun {h}"),
        (a, h) => format!("{a}, Dusun {h}"),
    }
}

fn read_rt(d: &ResidentDraft, field: Field, keep: &mut impl FnMut(ResidentProblem)) -> Option<Rt> {
    let value = d.get(field);
    Rt::read(value).unwrap_or_else(|Unreadable| {
        keep(ResidentProblem::RtInvalid {
            field,
            value: value.trim().to_string(),
        });
        None
    })
}

/// An optional field: blank is none, anything else must read.
fn optional<T>(
    d: &ResidentDraft,
    field: Field,
    read: impl Fn(&str) -> Result<Option<T>, Unreadable>,
    problem: impl Fn(String) -> ResidentProblem,
    keep: &mut impl FnMut(ResidentProblem),
) -> Option<T> {
    let value = d.get(field);
    read(value).unwrap_or_else(|Unreadable| {
        keep(problem(value.trim().to_string()));
        None
    })
}

fn yes_no(d: &ResidentDraft, field: Field, keep: &mut impl FnMut(ResidentProblem)) -> bool {
    let value = d.get(field);
    read_yes_no(value).unwrap_or_else(|Unreadable| {
        keep(ResidentProblem::YesNoUnknown {
            field,
            value: value.trim().to_string(),
        });
        false
    })
}

fn date_problem(field: Field, value: &str, problem: DateProblem) -> ResidentProblem {
    let value = value.trim().to_string();
    match (problem, parse_date_flexible(&value)) {
        (DateProblem::Future, Some(date)) => ResidentProblem::DateInFuture { field, date },
        (DateProblem::NoSuchDay { day, month, year }, _) => ResidentProblem::DateNoSuchDay {
            field,
            value,
            day,
            month,
            year,
        },
        _ => ResidentProblem::DateInvalid { field, value },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn check(draft: ResidentDraft) -> Result<ValidResident, Vec<ResidentProblem>> {
        let districts = HashMap::from([("360332".to_string(), "Gunung Kaler".to_string())]);
        let villages = HashSet::from(["36.03.32.2001".to_string()]);
        validate(
            &draft,
            &Rules {
                today: d(2026, 3, 2),
                districts: &districts,
                villages: &villages,
            },
        )
    }

    /// Siti, born 1990-04-01 in Gunung Kaler: her NIK has day 41.
    fn siti() -> ResidentDraft<'static> {
        ResidentDraft::default()
            .with(Field::Nik, "3603324104900001")
            .with(Field::Name, " siti  aminah ")
            .with(Field::Sex, "P")
            .with(Field::BirthDate, "01-04-1990")
    }

    #[test]
    fn a_good_draft_is_stored_in_its_normal_form() {
        let r = check(
            siti()
                .with(Field::Kk, "3603320101100001")
                .with(Field::BirthPlace, "tangerang ")
                .with(Field::Address, "Kp. Sidoko")
                .with(Field::Rt, "3")
                .with(Field::Rw, "012")
                .with(Field::Village, "3603322001")
                .with(Field::Phone, "0812-3456-7890")
                .with(Field::Education, "SLTA")
                .with(Field::Employment, "1")
                .with(Field::Desil, "2")
                .with(Field::DesilAsOf, "30-06-2025")
                .with(Field::Stunting, "ya"),
        )
        .unwrap();
        assert_eq!(r.nik, "3603324104900001");
        assert_eq!(r.nik_number, 3_603_324_104_900_001);
        assert_eq!(r.kk.as_deref(), Some("3603320101100001"));
        assert_eq!(
            (r.name.as_str(), r.name_key.as_str()),
            ("SITI AMINAH", "siti aminah")
        );
        assert_eq!((r.sex, r.birth_date), (Sex::Female, d(1990, 4, 1)));
        assert_eq!(r.birth_place, "TANGERANG");
        assert_eq!(r.rt.map(|r| r.as_str().to_string()).as_deref(), Some("003"));
        assert_eq!(r.rw.map(|r| r.as_str().to_string()).as_deref(), Some("012"));
        assert_eq!(
            r.village.map(|v| v.as_str().to_string()).as_deref(),
            Some("36.03.32.2001")
        );
        assert_eq!(
            r.phone.map(|p| p.as_str().to_string()).as_deref(),
            Some("081234567890")
        );
        assert_eq!(r.education.map(Education::code), Some(5));
        assert_eq!(r.employment, Some(Employment::Unemployed));
        let desil = r.desil.unwrap();
        assert_eq!((desil.desil.level(), desil.source.as_ref()), (2, "DTSEN"));
        assert_eq!(desil.as_of, Some(d(2025, 6, 30)));
        assert!(r.stunting_household && !r.disability && !r.nik_mismatch_confirmed);
    }

    #[test]
    fn optional_fields_left_empty() {
        let r = check(siti().with(Field::Kk, "0").with(Field::DesilSource, "P3KE")).unwrap();
        assert_eq!(r.kk, None);
        assert_eq!((r.rt, r.rw, r.village, r.phone), (None, None, None, None));
        assert_eq!((r.education, r.employment), (None, None));
        // no desil: its source and date are not kept
        assert_eq!(r.desil, None);
        let r = check(
            siti()
                .with(Field::Desil, "7")
                .with(Field::DesilSource, " P3KE "),
        )
        .unwrap();
        assert_eq!(r.desil.unwrap().source, "P3KE");
        let r = check(siti().with(Field::Address, "Kp. Baru").with(Field::Rt, "-")).unwrap();
        assert_eq!((r.address.as_str(), r.rt), ("Kp. Baru", None));
        let mut draft = siti().with(Field::Address, "Kp. Baru");
        draft.hamlet = "II";
        assert_eq!(check(draft).unwrap().address, "Kp. Baru, Dusun II");
        draft.set(Field::Address, "");
        assert_eq!(check(draft).unwrap().address, "Dusun II");
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let e = check(
            ResidentDraft::default()
                .with(Field::Nik, "12345")
                .with(Field::Kk, "36033201")
                .with(Field::Sex, "X")
                .with(Field::BirthDate, "31-02-1990")
                .with(Field::Rt, "1234")
                .with(Field::Rw, "b")
                .with(Field::Village, "9999999999")
                .with(Field::Phone, "0812")
                .with(Field::Education, "kuliah")
                .with(Field::Employment, "90")
                .with(Field::Desil, "11")
                .with(Field::DesilAsOf, "01-01-2027")
                .with(Field::Stunting, "mungkin")
                .with(Field::Disability, "?"),
        )
        .unwrap_err();
        use ResidentProblem as P;
        assert_eq!(
            e,
            vec![
                P::Nik(NikError::WrongLength { len: 5 }),
                P::Kk(KkError::WrongLength { len: 8 }),
                P::NameEmpty,
                P::SexUnknown("X".into()),
                P::DateNoSuchDay {
                    field: Field::BirthDate,
                    value: "31-02-1990".into(),
                    day: 31,
                    month: 2,
                    year: 1990
                },
                P::RtInvalid {
                    field: Field::Rt,
                    value: "1234".into()
                },
                P::RtInvalid {
                    field: Field::Rw,
                    value: "b".into()
                },
                P::VillageUnknown("99.99.99.9999".into()),
                P::PhoneInvalid("0812".into()),
                P::EducationUnknown("kuliah".into()),
                P::EmploymentUnknown("90".into()),
                P::DesilOutOfRange("11".into()),
                P::DateInFuture {
                    field: Field::DesilAsOf,
                    date: d(2027, 1, 1)
                },
                P::YesNoUnknown {
                    field: Field::Stunting,
                    value: "mungkin".into()
                },
                P::YesNoUnknown {
                    field: Field::Disability,
                    value: "?".into()
                },
            ]
        );
        let fields: Vec<Field> = e.iter().map(ResidentProblem::field).collect();
        assert_eq!(
            fields,
            [
                Field::Nik,
                Field::Kk,
                Field::Name,
                Field::Sex,
                Field::BirthDate,
                Field::Rt,
                Field::Rw,
                Field::Village,
                Field::Phone,
                Field::Education,
                Field::Employment,
                Field::Desil,
                Field::DesilAsOf,
                Field::Stunting,
                Field::Disability
            ]
        );
        let e = check(ResidentDraft::default()).unwrap_err();
        assert_eq!(
            e,
            vec![
                P::Nik(NikError::Empty),
                P::NameEmpty,
                P::SexMissing,
                P::BirthDateMissing
            ]
        );
        assert!(e.iter().all(ResidentProblem::is_missing));
        let e = check(siti().with(Field::BirthDate, "2026-03-03")).unwrap_err();
        assert!(matches!(
            e[0],
            P::DateInFuture {
                field: Field::BirthDate,
                ..
            }
        ));
        let e = check(siti().with(Field::Village, "36.03.32.200")).unwrap_err();
        assert_eq!(e, vec![P::VillageCodeInvalid("36.03.32.200".into())]);
        let e = check(siti().with(Field::Nik, "0360332200100001")).unwrap_err();
        assert_eq!(e, vec![P::Nik(NikError::TemporaryVillageNik)]);
    }

    #[test]
    fn a_nik_that_disagrees_needs_confirmation() {
        let e = check(siti().with(Field::Sex, "L")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(matches!(
            e[0],
            ResidentProblem::Mismatch(NikWarning::SexMismatch { .. })
        ));
        assert_eq!(e[0].field(), Field::Sex);
        let e = check(
            siti()
                .with(Field::BirthDate, "02-04-1990")
                .with(Field::Sex, "L"),
        )
        .unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].field(), Field::BirthDate);
        let mut confirmed = siti().with(Field::Sex, "L");
        confirmed.mismatch_confirmed = true;
        let r = check(confirmed).unwrap();
        assert!(r.nik_mismatch_confirmed);
        assert_eq!(r.sex, Sex::Male);
        // confirmed but nothing to confirm: not marked
        let mut needless = siti();
        needless.mismatch_confirmed = true;
        assert!(!check(needless).unwrap().nik_mismatch_confirmed);
    }

    #[test]
    fn owned_drafts_read_the_same() {
        let mut text = DraftText::default();
        for field in FIELDS {
            text.set(field, siti().get(field));
        }
        text.mismatch_confirmed = true;
        let draft = text.draft();
        assert_eq!(draft.get(Field::Name), " siti  aminah ");
        assert!(draft.mismatch_confirmed);
        assert_eq!(check(draft), check(siti()));
        assert!(FIELDS.iter().enumerate().all(|(i, f)| f.index() == i));
    }
}
