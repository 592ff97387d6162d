//! Text of the dashboard: the groupings, the gauges' columns, the totals row and the weekly
//! chart's title.

use chrono::NaiveDate;

use super::{Lang, Msg, pick};

pub const BY_RESIDENCE: Msg = Msg::new(
    "Per kecamatan domisili peserta",
    "By kecamatan where participants live",
);
pub const BY_OFFICE: Msg = Msg::new(
    "Per kantor kecamatan yang mendaftarkan",
    "By kecamatan office that enrolled them",
);
/// The first column of the per-office table.
pub const COL_OFFICE: Msg = Msg::new("Kantor (loket)", "Office (counter)");
pub const BY_VENUE: Msg = Msg::new(
    "Per kecamatan tempat pelatihan",
    "By kecamatan where the training is held",
);
pub const COL_COVERAGE: Msg = Msg::new("BPJS aktif", "BPJS active");
pub const COL_DONE: Msg = Msg::new("Capaian", "Progress");
pub const COL_UNRECORDED: Msg = Msg::new("Blm dicatat", "Unrecorded");
pub const TOTAL: Msg = Msg::new("Jumlah", "Total");
/// The row of participants (or venues) whose kecamatan is not recorded.
pub const UNKNOWN: Msg = Msg::new("(tidak diketahui)", "(unknown)");
pub const NO_TARGET_HERE: Msg = Msg::new(
    "Target hanya untuk kecamatan atau kejuruan yang diketahui.",
    "Targets are set for a known kecamatan or course only.",
);
pub const NOT_DRILLABLE: Msg = Msg::new(
    "Angkatan per domisili tidak ada di papan; Tab ke per tempat pelatihan.",
    "The board has no cohorts by residence; Tab to by venue.",
);

/// The weekly chart's title: the weeks shown, the total and the busiest week.
pub fn weekly_title(lang: Lang, first: NaiveDate, last: NaiveDate, total: u32, max: u32) -> String {
    let (first, last) = (first.format("%d/%m/%Y"), last.format("%d/%m/%Y"));
    pick(
        lang,
        format!("Pendaftaran per minggu {first} - {last}: {total} (maks {max}/minggu)"),
        format!("Enrollments per week {first} - {last}: {total} (max {max}/week)"),
    )
}

/// Month initials for the chart's axis, January first (the same in both languages).
pub const MONTH_INITIALS: [&str; 12] = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"];

/// A target for a code no kecamatan or course has.
pub fn unknown_code(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("Tidak ada kecamatan atau kejuruan dengan kode {code}."),
        format!("No kecamatan or course has the code {code}."),
    )
}
