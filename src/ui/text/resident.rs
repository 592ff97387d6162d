//! Words for a resident's fields and for why one was refused (`domain::resident`,
//! `domain::import_row`), in both languages: short notes beside the register form's fields,
//! and the reasons of an import's rejects file, which name the column and quote the cell. The
//! form, the import screen and `loket import` all use these.

use super::desk;
use super::{Lang, Localized, Msg};
use crate::db::import::MAX_SHEET_COLUMNS;
use crate::domain::import_row::RowProblem;
use crate::domain::resident::{Employment, Field, ResidentProblem};

/// The form's label of a field.
pub fn field_label(field: Field) -> Msg {
    match field {
        Field::Nik => desk::F_NIK,
        Field::Kk => desk::F_KK,
        Field::Name => desk::F_NAME,
        Field::Sex => desk::F_SEX,
        Field::BirthPlace => desk::F_BIRTH_PLACE,
        Field::BirthDate => desk::F_BIRTH_DATE,
        Field::Address => desk::F_ADDRESS,
        Field::Rt => desk::F_RT,
        Field::Rw => desk::F_RW,
        Field::Village => desk::F_VILLAGE,
        Field::Phone => desk::F_PHONE,
        Field::Education => desk::F_EDUCATION,
        Field::Employment => desk::F_EMPLOYMENT,
        Field::Desil => desk::F_DESIL,
        Field::DesilSource => desk::F_DESIL_SOURCE,
        Field::DesilAsOf => desk::F_DESIL_AS_OF,
        Field::Stunting => desk::F_STUNTING,
        Field::Disability => desk::F_DISABILITY,
    }
}

pub const EMPLOYMENT_HINT: Msg = Msg::new(
    "bekerja, tidak bekerja, PHK, pabrik; atau kode pekerjaan OpenSID (1 belum/tidak bekerja)",
    "bekerja (employed), tidak bekerja, PHK (laid off), pabrik (factory); or an OpenSID job code (1 unemployed)",
);
pub const NAME_NOT_LATIN: Msg = Msg::new(
    "Tulis nama dengan huruf Latin, seperti di KTP",
    "Write the name in Latin letters, as on the KTP",
);
pub const CONTROL_CHARACTER: Msg = Msg::new(
    "Ada karakter kendali (mis. ESC, NUL): hapus lalu ketik ulang",
    "Holds a control character (e.g. ESC, NUL): delete it and type again",
);
pub const OUTSIDE_LABOUR_FORCE: Msg = Msg::new(
    "Mengurus rumah tangga/pelajar: pekerjaan tidak dicatat",
    "Homemaker/student: no employment recorded",
);
pub fn employment_label(employment: Employment, lang: Lang) -> &'static str {
    let (id, en) = match employment {
        Employment::Employed => ("Bekerja", "Employed"),
        Employment::Unemployed => ("Tidak bekerja", "Unemployed"),
        Employment::LaidOff => ("PHK", "Laid off"),
        Employment::FactoryWorker => ("Pekerja pabrik", "Factory worker"),
    };
    if lang == Lang::Id { id } else { en }
}

/// The short note the register form shows beside the field of `problem`.
pub fn note(problem: &ResidentProblem, lang: Lang) -> String {
    use ResidentProblem as P;
    let msg = match problem {
        P::Nik(crate::domain::NikError::Empty) => desk::REQUIRED_NIK,
        P::Nik(e) => return e.text(lang),
        P::Kk(e) => return e.text(lang),
        P::Mismatch(w) => return w.text(lang),
        P::NameEmpty => desk::REQUIRED_NAME,
        P::NameNotLatin(_) => NAME_NOT_LATIN,
        P::ControlCharacter { .. } => CONTROL_CHARACTER,
        P::SexMissing => desk::REQUIRED_SEX,
        P::SexUnknown(_) => desk::BAD_SEX,
        P::BirthDateMissing => desk::REQUIRED_BIRTH_DATE,
        P::DateInvalid { .. } => desk::BAD_DATE,
        P::DateNoSuchDay {
            day, month, year, ..
        } => return no_such_day(*day, *month, *year, lang),
        P::DateInFuture { .. } => desk::FUTURE_DATE,
        P::VillageCodeInvalid(_) | P::VillageUnknown(_) => desk::NO_VILLAGE,
        P::RtInvalid { .. } => desk::BAD_RT,
        P::PhoneInvalid(_) => desk::BAD_PHONE,
        P::EducationUnknown(_) => desk::EDUCATION_HINT,
        P::EmploymentUnknown(_) => EMPLOYMENT_HINT,
        P::DesilOutOfRange(_) => desk::DESIL_HINT,
        P::YesNoUnknown { .. } => desk::YES_NO_HINT,
    };
    msg.get(lang).to_string()
}

/// Why an imported row was refused, for the rejects file and `loket import`: every reason,
/// joined by `; `.
pub fn reasons(problems: &[RowProblem], lang: Lang) -> String {
    problems
        .iter()
        .map(|p| reason(p, lang))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One reason a row was refused, naming the column and quoting the cell.
pub fn reason(problem: &RowProblem, lang: Lang) -> String {
    match problem {
        RowProblem::NotUtf8 => localized(
            lang,
            "bukan UTF-8: ada huruf yang tidak terbaca; simpan ulang berkas sebagai CSV UTF-8",
            "not UTF-8: some letters cannot be read; save the file again as CSV UTF-8",
        ),
        RowProblem::WrongWidth { found, expected } => localized(
            lang,
            format!(
                "jumlah kolom {found}, seharusnya {expected}: periksa tanda koma atau titik koma di dalam isian"
            ),
            format!(
                "{found} columns instead of {expected}: look for commas or semicolons inside a cell"
            ),
        ),
        RowProblem::OpenQuote { from, until } => localized(
            lang,
            format!(
                "tanda kutip tidak seimbang mulai baris {from}: baris {from}-{until} terbaca sebagai satu isian; tutup tanda kutipnya lalu impor ulang baris-baris itu"
            ),
            format!(
                "unbalanced quote from line {from}: lines {from}-{until} were read as one cell; close the quote and import those lines again"
            ),
        ),
        RowProblem::NumericIdentifier(column) => localized(
            lang,
            format!(
                "{} tersimpan sebagai angka di lembar kerja: Excel hanya menyimpan 15 digit, jadi angka 16 digit bisa sudah berubah; format kolom {} sebagai Teks, ketik ulang dari KTP/KK, lalu impor ulang",
                column.canonical(),
                column.canonical()
            ),
            format!(
                "{} is stored as a number in the sheet: Excel keeps only 15 digits, so a 16-digit number may already have changed; format column {} as Text, type it again from the KTP/KK, and import again",
                column.canonical(),
                column.canonical()
            ),
        ),
        RowProblem::CellTooFarRight { cell } => localized(
            lang,
            format!(
                "ada isian di sel {cell}, di luar {MAX_SHEET_COLUMNS} kolom yang dibaca: hapus isian di luar tabel"
            ),
            format!(
                "cell {cell} holds something, beyond the {MAX_SHEET_COLUMNS} columns read: clear what lies outside the table"
            ),
        ),
        RowProblem::Resident(p) => resident_reason(p, lang),
        RowProblem::DuplicateInFile { line } => localized(
            lang,
            format!(
                "NIK sama dengan baris {line} di berkas ini (impor dengan --update-existing untuk memakai baris terakhir)"
            ),
            format!(
                "same NIK as line {line} of this file (import with --update-existing to keep the last row)"
            ),
        ),
        RowProblem::NikExists { name } => localized(
            lang,
            format!(
                "NIK sudah terdaftar atas nama {name} dengan data lain (impor dengan --update-existing untuk memperbarui)"
            ),
            format!(
                "NIK already registered to {name} with other data (import with --update-existing to update)"
            ),
        ),
    }
}

const DATE_FORMATS: &str = "YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DDMMYYYY";

const MONTHS: [(&str, &str); 12] = [
    ("Januari", "January"),
    ("Februari", "February"),
    ("Maret", "March"),
    ("April", "April"),
    ("Mei", "May"),
    ("Juni", "June"),
    ("Juli", "July"),
    ("Agustus", "August"),
    ("September", "September"),
    ("Oktober", "October"),
    ("November", "November"),
    ("Desember", "December"),
];

fn month_name(month: u32) -> (&'static str, &'static str) {
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or(("?", "?"))
}

/// "Tanggal 31 tidak ada: Februari 2001 hanya sampai tanggal 28" (the form's note).
pub fn no_such_day(day: u32, month: u32, year: i32, lang: Lang) -> String {
    let (id, en) = month_name(month);
    let last = crate::domain::person::days_in_month(year, month);
    localized(
        lang,
        format!("Tanggal {day} tidak ada: {id} {year} hanya sampai tanggal {last}"),
        format!("No day {day}: {en} {year} has {last} days"),
    )
}

fn resident_reason(problem: &ResidentProblem, lang: Lang) -> String {
    use ResidentProblem as P;
    let date_name = |field: &Field| match field {
        Field::DesilAsOf => ("tanggal desil", "desil date"),
        _ => ("tanggal lahir", "birth date"),
    };
    match problem {
        P::Nik(e) => e.text(lang),
        P::Kk(e) => e.text(lang),
        P::NameEmpty => localized(lang, "nama kosong", "name is empty"),
        P::NameNotLatin(v) => localized(
            lang,
            format!("nama '{v}' tidak berhuruf Latin: tulis nama seperti di KTP"),
            format!("name '{v}' is not in Latin letters: write it as on the KTP"),
        ),
        P::ControlCharacter { field } => {
            let label = field_label(*field);
            localized(
                lang,
                format!(
                    "{} berisi karakter kendali (mis. ESC, NUL, tab, ganti baris): hapus lalu impor ulang",
                    label.id
                ),
                format!(
                    "{} holds a control character (e.g. ESC, NUL, tab, line break): remove it and import again",
                    label.en
                ),
            )
        }
        P::SexMissing => localized(lang, "jenis kelamin kosong", "sex is empty"),
        P::SexUnknown(v) => localized(
            lang,
            format!("jenis kelamin '{v}' tidak dikenal (pakai L/P, LK/PR, 1/2)"),
            format!("sex '{v}' is not known (use L/P, LK/PR, 1/2)"),
        ),
        P::BirthDateMissing => localized(lang, "tanggal lahir kosong", "birth date is empty"),
        P::DateInvalid { field, value } => {
            let (id, en) = date_name(field);
            localized(
                lang,
                format!("{id} '{value}' tidak sah (pakai {DATE_FORMATS})"),
                format!("{en} '{value}' is not a date (use {DATE_FORMATS})"),
            )
        }
        P::DateNoSuchDay {
            field,
            value,
            day,
            month,
            year,
        } => {
            let (id, en) = date_name(field);
            let (month_id, month_en) = month_name(*month);
            let last = crate::domain::person::days_in_month(*year, *month);
            localized(
                lang,
                format!(
                    "{id} '{value}' tidak sah: tanggal {day} tidak ada, {month_id} {year} hanya \
                     sampai tanggal {last}"
                ),
                format!("{en} '{value}' is not a date: {month_en} {year} has {last} days"),
            )
        }
        P::DateInFuture { field, date } => {
            let (id, en) = date_name(field);
            let date = date.format("%d-%m-%Y");
            localized(
                lang,
                format!("{id} {date} belum lewat"),
                format!("{en} {date} is in the future"),
            )
        }
        P::Mismatch(w) => localized(
            lang,
            format!(
                "{} (impor dengan --accept-warnings bila sudah dicocokkan)",
                w.text(lang)
            ),
            format!(
                "{} (import with --accept-warnings once checked)",
                w.text(lang)
            ),
        ),
        P::VillageCodeInvalid(v) => localized(
            lang,
            format!("kode desa '{v}' tidak sah: 10 angka, dengan atau tanpa titik (36.03.32.2001)"),
            format!(
                "village code '{v}' is not valid: 10 digits, with or without dots (36.03.32.2001)"
            ),
        ),
        P::VillageUnknown(v) => localized(
            lang,
            format!("kode desa {v} tidak dikenal"),
            format!("village code {v} is unknown"),
        ),
        P::RtInvalid { field, value } => {
            let name = if *field == Field::Rw { "RW" } else { "RT" };
            localized(
                lang,
                format!("{name} '{value}' tidak sah: paling banyak 3 angka"),
                format!("{name} '{value}' is not valid: at most 3 digits"),
            )
        }
        P::PhoneInvalid(v) => localized(
            lang,
            format!("nomor HP '{v}' tidak sah: 8-15 angka"),
            format!("phone '{v}' is not valid: 8-15 digits"),
        ),
        P::EducationUnknown(v) => localized(
            lang,
            format!("pendidikan '{v}' tidak dikenal: kode 1-10 seperti di KK"),
            format!("education '{v}' is not known: code 1-10 as on the KK"),
        ),
        P::EmploymentUnknown(v) => localized(
            lang,
            format!("pekerjaan '{v}' tidak dikenal: {}", EMPLOYMENT_HINT.id),
            format!("employment '{v}' is not known: {}", EMPLOYMENT_HINT.en),
        ),
        P::DesilOutOfRange(v) => localized(
            lang,
            format!("desil '{v}' tidak sah: 1-10"),
            format!("desil '{v}' is not valid: 1-10"),
        ),
        P::YesNoUnknown { field, value } => {
            let column = if *field == Field::Disability {
                "DISABILITAS"
            } else {
                "STUNTING"
            };
            localized(
                lang,
                format!("isi kolom {column} '{value}' tidak dikenal (pakai ya/tidak atau 1/0)"),
                format!("column {column} holds '{value}' (use ya/tidak or 1/0)"),
            )
        }
    }
}

fn localized(lang: Lang, id: impl Into<String>, en: impl Into<String>) -> String {
    match lang {
        Lang::Id => id.into(),
        Lang::En => en.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::resident::FIELDS;
    use chrono::NaiveDate;

    #[test]
    fn every_problem_has_words_in_both_languages() {
        let date = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let problems = [
            ResidentProblem::NameEmpty,
            ResidentProblem::SexUnknown("X".into()),
            ResidentProblem::DateInvalid {
                field: Field::DesilAsOf,
                value: "x".into(),
            },
            ResidentProblem::DateInFuture {
                field: Field::BirthDate,
                date,
            },
            ResidentProblem::DateNoSuchDay {
                field: Field::BirthDate,
                value: "31-02-2001".into(),
                day: 31,
                month: 2,
                year: 2001,
            },
            ResidentProblem::RtInvalid {
                field: Field::Rw,
                value: "b".into(),
            },
            ResidentProblem::PhoneInvalid("0812".into()),
            ResidentProblem::EmploymentUnknown("90".into()),
            ResidentProblem::YesNoUnknown {
                field: Field::Disability,
                value: "?".into(),
            },
        ];
        for p in &problems {
            for lang in [Lang::Id, Lang::En] {
                assert!(!note(p, lang).is_empty(), "{p:?}");
                let reason = reason(&RowProblem::Resident(p.clone()), lang);
                assert!(!reason.is_empty(), "{p:?}");
            }
            assert_ne!(
                reason(&RowProblem::Resident(p.clone()), Lang::Id),
                reason(&RowProblem::Resident(p.clone()), Lang::En)
            );
        }
        let text = reasons(
            &[
                RowProblem::Resident(problems[5].clone()),
                RowProblem::DuplicateInFile { line: 2 },
            ],
            Lang::Id,
        );
        assert_eq!(
            text,
            "RW 'b' tidak sah: paling banyak 3 angka; NIK sama dengan baris 2 di berkas ini \
             (impor dengan --update-existing untuk memakai baris terakhir)"
        );
        assert!(FIELDS.iter().all(|f| !field_label(*f).id.is_empty()));
        assert_eq!(
            note(&problems[4], Lang::Id),
            "Tanggal 31 tidak ada: Februari 2001 hanya sampai tanggal 28"
        );
        assert_eq!(
            reason(&RowProblem::Resident(problems[4].clone()), Lang::En),
            "birth date '31-02-2001' is not a date: February 2001 has 28 days"
        );
    }
}
