//! Text of running a cohort from plan to certificate: the create and edit form, outcomes and
//! follow-up, the holiday warning and its recomputed end dates, KPJ on the marked rows, the
//! "not ready, starting soon" list, and what `loket cohort edit|outcome|followup` and `loket
//! coverage` print. Phrases with names or numbers are small functions of the language.

use chrono::NaiveDate;

use super::{Label, Lang, Msg, pick};
use crate::db::cohorts::{CompletionGaps, OverlapWarning, TouchedCohort};
use crate::db::coverage::CoverageRow;
use crate::domain::enrollment::Outcome;

fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

// ---- headless ----

pub const RESULT: Msg = Msg::new("hasil", "result");
pub const KPJ_FLAG_NEEDED: Msg = Msg::new(
    "Aktivasi perlu --kpj NOMOR (11 angka dari BPJS)",
    "Activation needs --kpj NUMBER (11 digits from BPJS)",
);

pub fn promoted(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Naik dari daftar tunggu ke kursi baru: {name}"),
        format!("Promoted from the waitlist into a new seat: {name}"),
    )
}

pub fn overlap(lang: Lang, o: &OverlapWarning) -> String {
    pick(
        lang,
        format!(
            "{} juga ikut angkatan {} ({} s.d. {}): tanggalnya kini bentrok",
            o.name,
            o.other_code,
            dmy(o.other_start),
            dmy(o.other_end)
        ),
        format!(
            "{} also takes cohort {} ({} to {}): the dates now overlap",
            o.name,
            o.other_code,
            dmy(o.other_start),
            dmy(o.other_end)
        ),
    )
}

/// The warnings of a completion: outcomes and attendance still missing (none when complete).
pub fn completion_gaps(lang: Lang, g: &CompletionGaps) -> Vec<String> {
    let mut lines = Vec::new();
    if g.missing_outcomes > 0 {
        lines.push(pick(
            lang,
            format!(
                "{} peserta belum punya hasil (lulus / tidak lulus / mengundurkan diri)",
                g.missing_outcomes
            ),
            format!(
                "{} participants have no outcome yet (passed / failed / dropped out)",
                g.missing_outcomes
            ),
        ));
    }
    if g.unmarked_days > 0 {
        lines.push(pick(
            lang,
            format!(
                "{} hari kehadiran belum dicatat ({} peserta)",
                g.unmarked_days, g.unmarked_participants
            ),
            format!(
                "{} attendance days are not recorded ({} participants)",
                g.unmarked_days, g.unmarked_participants
            ),
        ));
    }
    lines
}

pub fn outcome_line(
    lang: Lang,
    name: &str,
    outcome: Outcome,
    certificate: Option<&str>,
    toolkit: Option<NaiveDate>,
) -> String {
    let mut line = format!("{name}: {}", outcome.label(lang));
    if let Some(c) = certificate {
        line.push_str(&pick(
            lang,
            format!(", sertifikat {c}"),
            format!(", certificate {c}"),
        ));
    }
    if let Some(t) = toolkit {
        line.push_str(&pick(
            lang,
            format!(", toolkit diserahkan {}", dmy(t)),
            format!(", toolkit handed over {}", dmy(t)),
        ));
    }
    line
}

pub fn coverage_now(lang: Lang, name: &str, c: &CoverageRow) -> String {
    let mut line = format!("{name}: BPJS {}", c.status.label(lang));
    if let Some(kpj) = &c.kpj {
        line.push_str(&format!(", KPJ {kpj}"));
    }
    if let Some(reason) = &c.reject_reason {
        line.push_str(&format!(" ({reason})"));
    }
    line
}

// ---- holidays ----

pub const RECOMPUTE_TITLE: Msg = Msg::new("Hitung ulang tanggal selesai", "Recompute end dates");

/// The warning after a holiday was added or removed inside cohorts' dates.
pub fn holiday_touches(lang: Lang, date: NaiveDate, cohorts: &[TouchedCohort]) -> String {
    let list: Vec<String> = cohorts
        .iter()
        .map(|c| {
            if c.new_end == c.end_date {
                format!("{} ({})", c.code, dmy(c.end_date))
            } else {
                format!("{} ({} → {})", c.code, dmy(c.end_date), dmy(c.new_end))
            }
        })
        .collect();
    pick(
        lang,
        format!(
            "Libur {} jatuh di dalam tanggal angkatan: {}. Enter menghitung ulang tanggal \
             selesainya (periode BPJS ikut, yang sudah diajukan perlu diajukan ulang); Esc \
             membiarkannya (daftar hadir berhenti di tanggal selesai lama).",
            dmy(date),
            list.join(", ")
        ),
        format!(
            "The holiday on {} falls within cohorts' dates: {}. Enter recomputes their end dates \
             (the BPJS period follows; what was submitted must be resubmitted); Esc leaves them \
             (the attendance grid stops at the old end date).",
            dmy(date),
            list.join(", ")
        ),
    )
}

pub fn ends_recomputed(lang: Lang, moved: &[TouchedCohort]) -> String {
    if moved.is_empty() {
        return Msg::new("Tanggal selesai tidak berubah", "No end date changed")
            .get(lang)
            .to_string();
    }
    let list: Vec<String> = moved
        .iter()
        .map(|c| format!("{} → {}", c.code, dmy(c.new_end)))
        .collect();
    pick(
        lang,
        format!("Tanggal selesai dihitung ulang: {}", list.join(", ")),
        format!("End dates recomputed: {}", list.join(", ")),
    )
}

// ---- the create and edit form ----

pub const NEW_TITLE: Msg = Msg::new("Angkatan baru", "New cohort");
pub const EDIT_TITLE: Msg = Msg::new("Ubah angkatan", "Edit cohort");
pub const SAVE: Msg = Msg::new("Simpan", "Save");
pub const PICK_OR_SAVE: Msg = Msg::new("Pilih dari daftar / simpan", "Pick from the list / save");
pub const NEXT_FIELD: Msg = Msg::new("Isian berikut", "Next field");
pub const PREV_FIELD: Msg = Msg::new("Isian sebelumnya", "Previous field");
pub const CANCEL: Msg = Msg::new("Batal", "Cancel");
pub const F_CODE: Msg = Msg::new("Kode", "Code");
pub const F_COURSE: Msg = Msg::new("Kejuruan", "Course");
pub const F_VENUE: Msg = Msg::new("Tempat", "Venue");
pub const F_INSTRUCTOR: Msg = Msg::new("Instruktur", "Instructor");
pub const F_START: Msg = Msg::new("Mulai", "Start");
pub const F_DAYS: Msg = Msg::new("Hari kerja", "Working days");
pub const F_CAPACITY: Msg = Msg::new("Kapasitas", "Capacity");
pub const F_MIN: Msg = Msg::new("Minimal", "Minimum");
pub const F_FUNDING: Msg = Msg::new("Sumber dana", "Funding");
pub const NO_INSTRUCTOR: Msg = Msg::new(
    "kosong: instruktur belum ditentukan",
    "empty: no instructor yet",
);
pub const FORM_RULES: Msg = Msg::new(
    "Ketik untuk mencari di daftar, ↑/↓ memilih. Tanggal selesai dihitung dari kalender tempat \
     pelatihan. Tanggal tidak boleh mundur ke masa lalu; kapasitas yang bertambah menaikkan \
     peserta dari daftar tunggu. F10 simpan, Esc batal.",
    "Type to search a list, ↑/↓ to choose. The end date follows the venue's calendar. Dates \
     never go into the past; a larger capacity promotes participants from the waitlist. F10 \
     saves, Esc cancels.",
);

pub fn course_choice(lang: Lang, c: &crate::db::reference_admin::CourseRef) -> String {
    pick(
        lang,
        format!(
            "{} {} · {} hari · {}/{} peserta",
            c.code, c.name, c.working_days, c.min_participants, c.capacity
        ),
        format!(
            "{} {} · {} days · {}/{} participants",
            c.code, c.name, c.working_days, c.min_participants, c.capacity
        ),
    )
}

pub fn venue_choice(lang: Lang, v: &crate::db::reference_admin::VenueRef) -> String {
    let village = v.village.as_deref().unwrap_or("-");
    pick(
        lang,
        format!(
            "{} {} · {village} · {} hari/mg",
            v.code, v.name, v.days_per_week
        ),
        format!(
            "{} {} · {village} · {} days/wk",
            v.code, v.name, v.days_per_week
        ),
    )
}

/// How an instructor fits the cohort: the course of their certificate (None: no course
/// picked yet) and what is wrong with the certificate for the planned dates.
pub fn instructor_fit(
    lang: Lang,
    fits: Option<bool>,
    warning: Option<&crate::domain::cohort::BnspWarning>,
) -> String {
    use super::Localized;
    let course = match fits {
        Some(true) => Msg::new("cocok", "fits"),
        Some(false) => Msg::new("kejuruan lain", "other course"),
        None => Msg::new("", ""),
    }
    .get(lang);
    let bnsp = match warning {
        None => Msg::new("BNSP berlaku", "BNSP valid").get(lang).to_string(),
        Some(w) => w.text(lang),
    };
    if course.is_empty() {
        bnsp
    } else {
        format!("{course} · {bnsp}")
    }
}

pub fn instructor_choice(
    lang: Lang,
    x: &crate::db::reference_admin::InstructorRef,
    fits: Option<bool>,
    warning: Option<&crate::domain::cohort::BnspWarning>,
) -> String {
    let course = x.course_code.as_deref().unwrap_or("-");
    let expiry = x.bnsp_expiry.map(dmy).unwrap_or_else(|| "-".to_string());
    format!(
        "{} ({course}, BNSP {expiry}) · {}",
        x.name,
        instructor_fit(lang, fits, warning)
    )
}

pub fn not_a_number(lang: Lang, what: &str, typed: &str) -> String {
    pick(
        lang,
        format!("{what}: '{typed}' bukan angka"),
        format!("{what}: '{typed}' is not a number"),
    )
}

pub fn not_a_date(lang: Lang, typed: &str) -> String {
    pick(
        lang,
        format!("'{typed}' bukan tanggal: tulis HH-BB-TTTT, mis. 04-01-2027"),
        format!("'{typed}' is not a date: write DD-MM-YYYY, e.g. 04-01-2027"),
    )
}

pub fn pick_from_list(lang: Lang, what: &str) -> String {
    pick(
        lang,
        format!("{what}: pilih dari daftar (↑/↓, Enter)"),
        format!("{what}: pick from the list (↑/↓, Enter)"),
    )
}

pub fn created(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("Angkatan {code} dibuat sebagai draf: F5 membukanya untuk pendaftaran"),
        format!("Cohort {code} created as a draft: F5 opens it for enrollment"),
    )
}

pub fn locked(lang: Lang, status: crate::domain::cohort::CohortStatus) -> String {
    pick(
        lang,
        format!("tetap: angkatan {}", status.label(lang)),
        format!("fixed: the cohort is {}", status.label(lang)),
    )
}

pub fn in_past(lang: Lang) -> String {
    Msg::new(
        "hari pertama sudah lewat: pilih tanggal hari ini atau sesudahnya",
        "day 1 has passed: choose today or a later date",
    )
    .get(lang)
    .to_string()
}

pub fn planned(lang: Lang, first: NaiveDate, end: NaiveDate) -> String {
    pick(
        lang,
        format!("hari 1: {} · selesai {}", dmy(first), dmy(end)),
        format!("day 1: {} · ends {}", dmy(first), dmy(end)),
    )
}

pub fn bad_minimum(lang: Lang, capacity: u32) -> String {
    pick(
        lang,
        format!("minimal harus 1 sampai {capacity}"),
        format!("the minimum must be 1 to {capacity}"),
    )
}

pub fn below_enrolled(lang: Lang, enrolled: u32) -> String {
    pick(
        lang,
        format!("sudah {enrolled} peserta terdaftar: kapasitas tidak boleh kurang"),
        format!("{enrolled} participants are enrolled: capacity cannot be lower"),
    )
}

pub fn will_promote(lang: Lang, n: u32) -> String {
    pick(
        lang,
        format!("{n} orang naik dari daftar tunggu saat disimpan"),
        format!("{n} people move up from the waitlist when saved"),
    )
}

// ---- the cohort screen: KPJ and rejections on the marked rows ----

pub const OUTCOMES: Msg = Msg::new("Hasil", "Outcomes");
pub const CORRECT_KPJ: Msg = Msg::new("Koreksi KPJ", "Correct the KPJ");
pub const COL_REASON: Msg = Msg::new("Alasan ditolak", "Rejection reason");

/// "(2/5)" after a question asked for each marked row.
fn place(place: Option<(usize, usize)>) -> String {
    place
        .map(|(i, n)| format!(" ({i}/{n})"))
        .unwrap_or_default()
}

pub fn kpj_question(lang: Lang, name: &str, at: Option<(usize, usize)>) -> String {
    pick(
        lang,
        format!("Nomor KPJ (11 angka) untuk {name}{}", place(at)),
        format!("KPJ number (11 digits) for {name}{}", place(at)),
    )
}

pub fn reject_question(lang: Lang, name: &str, at: Option<(usize, usize)>) -> String {
    pick(
        lang,
        format!("Alasan penolakan BPJS untuk {name}{}", place(at)),
        format!("BPJS's reason for rejecting {name}{}", place(at)),
    )
}

pub fn correct_kpj_question(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("KPJ {name} sudah aktif. Nomor KPJ yang benar:"),
        format!("{name}'s coverage is active. The correct KPJ number:"),
    )
}

pub fn correct_reason_question(lang: Lang, name: &str, kpj: &str) -> String {
    pick(
        lang,
        format!("Alasan koreksi KPJ {name} menjadi {kpj} (tercatat di jejak audit):"),
        format!("Why {name}'s KPJ becomes {kpj} (kept in the audit trail):"),
    )
}

pub fn kpj_corrected(lang: Lang, name: &str, kpj: &str) -> String {
    pick(
        lang,
        format!("{name}: KPJ dikoreksi menjadi {kpj}"),
        format!("{name}: KPJ corrected to {kpj}"),
    )
}

pub fn none_submitted(lang: Lang, marked: usize) -> String {
    pick(
        lang,
        format!(
            "Tidak ada dari {marked} peserta yang ditandai berstatus diajukan: ajukan dulu (F2)"
        ),
        format!("None of the {marked} marked participants is submitted: submit first (F2)"),
    )
}

pub fn skipped_not_submitted(lang: Lang, skipped: usize) -> String {
    pick(
        lang,
        format!("{skipped} peserta dilewati: belum diajukan ke BPJS"),
        format!("{skipped} participants skipped: not submitted to BPJS"),
    )
}

pub fn batch_done(lang: Lang, done: usize) -> String {
    pick(
        lang,
        format!("{done} peserta tersimpan"),
        format!("{done} participants saved"),
    )
}

pub fn batch_stopped(lang: Lang, done: usize, total: usize) -> String {
    pick(
        lang,
        format!("Dihentikan: {done} dari {total} peserta tersimpan"),
        format!("Stopped: {done} of {total} participants saved"),
    )
}

pub fn marked(lang: Lang, n: usize) -> String {
    pick(lang, format!("{n} ditandai"), format!("{n} marked"))
}

/// The line under the roster for the row under the cursor: KPJ, BPJS's reason, the outcome.
pub fn roster_detail(lang: Lang, r: &crate::db::enrollment::RosterRow) -> String {
    let mut parts = vec![r.name.clone()];
    if let Some(status) = r.coverage_status {
        parts.push(format!("BPJS {}", status.label(lang)));
    }
    if let Some(kpj) = &r.kpj {
        parts.push(format!("KPJ {kpj}"));
    }
    if let Some(reason) = &r.reject_reason {
        parts.push(pick(
            lang,
            format!("ditolak: {reason}"),
            format!("rejected: {reason}"),
        ));
    }
    if let Some(outcome) = r.outcome {
        parts.push(outcome.label(lang).to_string());
    }
    parts.join(" · ")
}

// ---- outcomes ----

pub const PASSED: Msg = Msg::new("Lulus", "Passed");
pub const FAILED: Msg = Msg::new("Tidak lulus", "Failed");
pub const DROPPED: Msg = Msg::new("Mundur", "Dropped out");
pub const ALL_PASSED: Msg = Msg::new("Sisanya lulus", "All remaining passed");
pub const CERTIFICATE: Msg = Msg::new("Sertifikat", "Certificate");
pub const TOOLKIT: Msg = Msg::new("Toolkit", "Toolkit");
pub const FOLLOWUP: Msg = Msg::new("Tindak lanjut", "Follow-up");
pub const COL_RESULT: Msg = Msg::new("Hasil", "Result");
pub const NOT_RECORDED: Msg = Msg::new("belum dicatat", "not recorded");

pub fn pass_remaining_question(lang: Lang, min_rate: u32) -> String {
    pick(
        lang,
        format!(
            "Semua peserta yang belum punya hasil dicatat lulus, kecuali yang kehadirannya di \
             bawah {min_rate}% (mereka disebutkan, putuskan satu per satu). Hasil yang sudah \
             dicatat (pengecualian) tetap."
        ),
        format!(
            "Every participant without an outcome is recorded as passed, except those whose \
             attendance is below {min_rate}% (they are named: decide one by one). Outcomes \
             already recorded (the exceptions) stay."
        ),
    )
}

pub fn passed_remaining(lang: Lang, done: &crate::db::enrollment::RemainingPassed) -> String {
    let mut line = pick(
        lang,
        format!("{} peserta lulus", done.passed.len()),
        format!("{} participants passed", done.passed.len()),
    );
    if !done.held.is_empty() {
        let names: Vec<String> = done
            .held
            .iter()
            .map(|h| format!("{} ({}%)", h.name, h.rate))
            .collect();
        line.push_str(&pick(
            lang,
            format!(
                "; di bawah kehadiran minimal, belum dicatat: {}",
                names.join(", ")
            ),
            format!(
                "; below the attendance minimum, not recorded: {}",
                names.join(", ")
            ),
        ));
    }
    line
}

pub fn certificate_question(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Nomor sertifikat {name} (kosong menghapus):"),
        format!("Certificate number of {name} (empty removes it):"),
    )
}

pub fn toolkit_question(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Tanggal toolkit diserahkan kepada {name} (HH-BB-TTTT; kosong menghapus):"),
        format!("Date the toolkit was handed to {name} (DD-MM-YYYY; empty removes it):"),
    )
}

pub fn followup_question(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!(
            "Tindak lanjut {name}: 1 bekerja · 2 usaha mandiri · 3 kelompok usaha · 4 belum bekerja"
        ),
        format!(
            "Follow-up of {name}: 1 employed · 2 self-employed · 3 business group · 4 not working yet"
        ),
    )
}

pub fn outcome_counts(
    lang: Lang,
    passed: usize,
    failed: usize,
    dropped: usize,
    none: usize,
) -> String {
    pick(
        lang,
        format!(
            "Hasil: {passed} lulus · {failed} tidak lulus · {dropped} mundur · {none} belum dicatat"
        ),
        format!(
            "Outcomes: {passed} passed · {failed} failed · {dropped} dropped out · {none} not recorded"
        ),
    )
}

// ---- board and dashboard ----

pub const NEW_COHORT: Msg = Msg::new("Angkatan baru", "New cohort");

/// "2 belum siap, segera mulai: 2026-TBS-BLK-JYT-07, ..." for the board and the dashboard,
/// the count first so it shows however narrow; `wide` adds each cohort's start and first
/// reason. None when every cohort starting soon is ready.
pub fn not_ready_soon(
    lang: Lang,
    rows: &[crate::db::board::BoardRow],
    wide: bool,
) -> Option<String> {
    use super::Localized;
    if rows.is_empty() {
        return None;
    }
    let list: Vec<String> = rows
        .iter()
        .map(|r| match (wide, r.not_ready.first()) {
            (true, Some(why)) => format!(
                "{} {} ({})",
                r.cohort.code,
                r.cohort.start_date.format("%d/%m"),
                why.text(lang)
            ),
            _ => r.cohort.code.clone(),
        })
        .collect();
    let n = rows.len();
    Some(pick(
        lang,
        format!(" {n} belum siap, segera mulai: {} ", list.join(", ")),
        format!(" {n} not ready, starting soon: {} ", list.join(", ")),
    ))
}

/// "   Sertifikat SKK-2026-00012 · toolkit diserahkan 30-11-2026" under a resident's history row.
pub fn certificate_and_toolkit(
    lang: Lang,
    certificate: Option<&str>,
    toolkit: Option<NaiveDate>,
) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(c) = certificate {
        parts.push(pick(
            lang,
            format!("Sertifikat {c}"),
            format!("Certificate {c}"),
        ));
    }
    if let Some(t) = toolkit {
        parts.push(pick(
            lang,
            format!("toolkit diserahkan {}", dmy(t)),
            format!("toolkit handed over {}", dmy(t)),
        ));
    }
    (!parts.is_empty()).then(|| format!("   {}", parts.join(" · ")))
}
