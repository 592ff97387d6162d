//! Sentences of the NIK and KK checks and of the NIK-versus-KTP warnings (DOMAIN.md, "NIK").
//! The Bahasa Indonesia of these three is their `Display` in `domain::nik`, because the
//! import's rejects file (written by the db layer) quotes it; the English is here.

use super::{Lang, Localized};
use crate::domain::nik::{KkError, NikError, NikWarning};

impl Localized for NikError {
    fn text(&self, lang: Lang) -> String {
        if lang == Lang::Id {
            return self.to_string();
        }
        match self {
            NikError::Empty => "NIK is empty: type the 16 digits from the KTP".into(),
            NikError::NotDigits => {
                "NIK may contain digits only: check for letters O or I typed instead of 0 or 1"
                    .into()
            }
            NikError::WrongLength { len } => {
                format!("NIK must be 16 digits ({len} typed): check it against the KTP")
            }
            NikError::TemporaryVillageNik => "A NIK starting with 0 is a temporary number from a \
                 village system, not a Dukcapil NIK: ask for the NIK printed on the KTP or KK"
                .into(),
            NikError::UnknownDistrict { code } => format!(
                "Kecamatan code {code} (first 6 digits of the NIK) is unknown: check it against the KTP"
            ),
            NikError::ImpossibleBirthDate { day, month, year2 } => format!(
                "The birth date in the NIK is impossible ({day:02}-{month:02}-{year2:02}): check \
                 digits 7 to 12 against the KTP (women have 40 added to the day)"
            ),
            NikError::SerialZero => {
                "The last 4 digits of the NIK cannot be 0000: check it against the KTP".into()
            }
        }
    }
}

impl Localized for KkError {
    fn text(&self, lang: Lang) -> String {
        if lang == Lang::Id {
            return self.to_string();
        }
        match self {
            KkError::Empty => "KK number is empty: type the 16 digits from the family card".into(),
            KkError::NotDigits => "KK number may contain digits only: check for letters O or I \
                 typed instead of 0 or 1"
                .into(),
            KkError::WrongLength { len } => format!(
                "KK number must be 16 digits ({len} typed): check it against the family card"
            ),
            KkError::UnknownDistrict { code } => format!(
                "Kecamatan code {code} (first 6 digits of the KK number) is unknown: check it \
                 against the family card"
            ),
            KkError::TemporaryVillageNumber => "A KK number starting with 0 is a temporary \
                 number from a village system: ask for the number printed on the family card"
                .into(),
        }
    }
}

impl Localized for NikWarning {
    fn text(&self, lang: Lang) -> String {
        if lang == Lang::Id {
            return self.to_string();
        }
        match self {
            NikWarning::BirthDateMismatch { from_nik, entered } => format!(
                "Birth date {} differs from the NIK ({}). A NIK is never reissued when a birth \
                 date is corrected: check the KTP, then confirm if it is right",
                entered.format("%d-%m-%Y"),
                from_nik.format("%d-%m-%Y")
            ),
            NikWarning::SexMismatch { from_nik, entered } => format!(
                "Sex {} differs from the NIK ({}). A NIK is never reissued: check the KTP, then \
                 confirm if it is right",
                entered.label_en(),
                from_nik.label_en()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::nik::Sex;

    #[test]
    fn every_refusal_reads_in_both_languages() {
        let nik = [
            NikError::Empty,
            NikError::NotDigits,
            NikError::WrongLength { len: 3 },
            NikError::TemporaryVillageNik,
            NikError::UnknownDistrict { code: "1".into() },
            NikError::ImpossibleBirthDate {
                day: 72,
                month: 1,
                year2: 90,
            },
            NikError::SerialZero,
        ];
        for e in nik {
            assert_ne!(e.text(Lang::Id), e.text(Lang::En));
        }
        let kk = [
            KkError::Empty,
            KkError::NotDigits,
            KkError::WrongLength { len: 3 },
            KkError::UnknownDistrict { code: "1".into() },
            KkError::TemporaryVillageNumber,
        ];
        for e in kk {
            assert_ne!(e.text(Lang::Id), e.text(Lang::En));
        }
        let w = NikWarning::SexMismatch {
            from_nik: Sex::Female,
            entered: Sex::Male,
        };
        assert!(w.text(Lang::En).contains("never reissued"));
        let d = NaiveDate::from_ymd_opt(1990, 4, 13).unwrap();
        let w = NikWarning::BirthDateMismatch {
            from_nik: d,
            entered: d,
        };
        assert!(w.text(Lang::En).contains("13-04-1990"));
    }
}
