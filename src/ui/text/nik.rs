//! Sentences of the NIK and KK checks and of the NIK-versus-KTP warnings (DOMAIN.md, "NIK"):
//! what is wrong and what the clerk checks on the KTP or the Kartu Keluarga.

use super::{Lang, Localized, Msg, pick};
use crate::domain::nik::{KkError, NikError, NikWarning};

impl Localized for NikError {
    fn text(&self, lang: Lang) -> String {
        match self {
            NikError::Empty => Msg::new(
                "NIK belum diisi: ketik 16 angka NIK dari KTP",
                "NIK is empty: type the 16 digits from the KTP",
            )
            .text(lang),
            NikError::NotDigits => Msg::new(
                "NIK hanya boleh berisi angka: periksa huruf O atau I yang tertukar dengan 0 atau 1",
                "NIK may contain digits only: check for letters O or I typed instead of 0 or 1",
            )
            .text(lang),
            NikError::WrongLength { len } => pick(
                lang,
                format!("NIK harus 16 angka (tertulis {len}): periksa kembali dengan KTP"),
                format!("NIK must be 16 digits ({len} typed): check it against the KTP"),
            ),
            NikError::TemporaryVillageNik => Msg::new(
                "NIK diawali 0 adalah NIK sementara dari sistem desa, bukan NIK Dukcapil: \
                 minta NIK yang tertulis di KTP atau KK",
                "A NIK starting with 0 is a temporary number from a village system, not a \
                 Dukcapil NIK: ask for the NIK printed on the KTP or KK",
            )
            .text(lang),
            NikError::UnknownDistrict { code } => pick(
                lang,
                format!(
                    "Kode kecamatan {code} (6 angka pertama NIK) tidak dikenal: periksa kembali \
                     dengan KTP"
                ),
                format!(
                    "Kecamatan code {code} (first 6 digits of the NIK) is unknown: check it \
                     against the KTP"
                ),
            ),
            NikError::ImpossibleBirthDate { day, month, year2 } => pick(
                lang,
                format!(
                    "Tanggal lahir di NIK tidak mungkin ({day:02}-{month:02}-{year2:02}): periksa \
                     angka ke-7 sampai ke-12 dengan KTP (untuk perempuan tanggal ditambah 40)"
                ),
                format!(
                    "The birth date in the NIK is impossible ({day:02}-{month:02}-{year2:02}): \
                     check digits 7 to 12 against the KTP (women have 40 added to the day)"
                ),
            ),
            NikError::SerialZero => Msg::new(
                "4 angka terakhir NIK tidak boleh 0000: periksa kembali dengan KTP",
                "The last 4 digits of the NIK cannot be 0000: check it against the KTP",
            )
            .text(lang),
        }
    }
}

impl Localized for KkError {
    fn text(&self, lang: Lang) -> String {
        match self {
            KkError::Empty => Msg::new(
                "Nomor KK belum diisi: ketik 16 angka dari Kartu Keluarga",
                "KK number is empty: type the 16 digits from the family card",
            )
            .text(lang),
            KkError::NotDigits => Msg::new(
                "Nomor KK hanya boleh berisi angka: periksa huruf O atau I yang tertukar dengan 0 \
                 atau 1",
                "KK number may contain digits only: check for letters O or I typed instead of 0 \
                 or 1",
            )
            .text(lang),
            KkError::WrongLength { len } => pick(
                lang,
                format!(
                    "Nomor KK harus 16 angka (tertulis {len}): periksa kembali dengan Kartu Keluarga"
                ),
                format!(
                    "KK number must be 16 digits ({len} typed): check it against the family card"
                ),
            ),
            KkError::UnknownDistrict { code } => pick(
                lang,
                format!(
                    "Kode kecamatan {code} (6 angka pertama nomor KK) tidak dikenal: periksa \
                     kembali dengan Kartu Keluarga"
                ),
                format!(
                    "Kecamatan code {code} (first 6 digits of the KK number) is unknown: check it \
                     against the family card"
                ),
            ),
            KkError::TemporaryVillageNumber => Msg::new(
                "Nomor KK diawali 0 adalah nomor sementara dari sistem desa: minta nomor yang \
                 tertulis di Kartu Keluarga",
                "A KK number starting with 0 is a temporary number from a village system: ask \
                 for the number printed on the family card",
            )
            .text(lang),
        }
    }
}

impl Localized for NikWarning {
    fn text(&self, lang: Lang) -> String {
        match self {
            NikWarning::BirthDateMismatch { from_nik, entered } => {
                let (entered, from_nik) = (entered.format("%d-%m-%Y"), from_nik.format("%d-%m-%Y"));
                pick(
                    lang,
                    format!(
                        "Tanggal lahir {entered} berbeda dengan NIK ({from_nik}). NIK tidak pernah \
                         diganti walau tanggal lahir dikoreksi: cocokkan dengan KTP, lalu \
                         konfirmasi bila sudah benar"
                    ),
                    format!(
                        "Birth date {entered} differs from the NIK ({from_nik}). A NIK is never \
                         reissued when a birth date is corrected: check the KTP, then confirm if \
                         it is right"
                    ),
                )
            }
            NikWarning::SexMismatch { from_nik, entered } => pick(
                lang,
                format!(
                    "Jenis kelamin {} berbeda dengan NIK ({}). NIK tidak pernah diganti: cocokkan \
                     dengan KTP, lalu konfirmasi bila sudah benar",
                    entered.label_id(),
                    from_nik.label_id()
                ),
                format!(
                    "Sex {} differs from the NIK ({}). A NIK is never reissued: check the KTP, \
                     then confirm if it is right",
                    entered.label_en(),
                    from_nik.label_en()
                ),
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
        assert_eq!(
            NikError::WrongLength { len: 15 }.text(Lang::Id),
            "NIK harus 16 angka (tertulis 15): periksa kembali dengan KTP"
        );
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
        let (entered, from_nik) = (
            NaiveDate::from_ymd_opt(1990, 4, 13).unwrap(),
            NaiveDate::from_ymd_opt(1990, 4, 12).unwrap(),
        );
        let w = NikWarning::BirthDateMismatch { from_nik, entered };
        assert!(w.text(Lang::Id).contains("13-04-1990"));
        assert!(w.text(Lang::Id).contains("tidak pernah diganti"));
    }
}
