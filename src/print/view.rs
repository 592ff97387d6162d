//! A document's values as its template names them: the gathered data (`db::print`) with dates,
//! amounts and codes written out in the chosen language, NIKs masked where the document is not
//! for BPJS, and the labels as `t`. What a template may name is listed in
//! `assets/templates/README.md`.

use serde_json::{Value, json};

use crate::db::print::{CohortPaper, Paperwork, Printable, Receipt};
use crate::domain::nik::{format_nik, mask_nik};
use crate::ui::text::Lang;
use crate::ui::text::print as text;

fn cohort(lang: Lang, paper: &CohortPaper) -> Value {
    let c = &paper.cohort;
    let six_day = paper
        .days
        .iter()
        .any(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Sat);
    json!({
        "code": c.code,
        "course": c.course,
        "course_code": c.course_code,
        "venue": c.venue,
        "venue_address": paper.venue_address,
        "place": c.place(),
        "village": c.village.clone().unwrap_or_default(),
        "district": c.district.clone().unwrap_or_default(),
        "start": text::date_long(lang, c.start_date),
        "end": text::date_long(lang, c.end_date),
        "dates": text::date_range(lang, c.start_date, c.end_date),
        "working_days": c.working_days,
        "duration": text::working_days(lang, c.working_days, six_day),
        "hours": c.daily_hours,
        "instructor": c.instructor.clone().unwrap_or_default(),
        "funding": c.funding.code().to_uppercase(),
    })
}

fn days(lang: Lang, paper: &CohortPaper) -> Value {
    paper
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "number": i + 1,
                "date": d.format("%d/%m").to_string(),
                "weekday": text::weekday(lang, *d),
                "short": text::weekday(lang, *d).chars().take(3).collect::<String>(),
                "long": format!("{}, {}", text::weekday(lang, *d), text::date_long(lang, *d)),
            })
        })
        .collect()
}

/// The operator on the receipt is who registered the place, else (an imported or older
/// enrollment) who prints the receipt.
fn receipt(lang: Lang, r: &Receipt, printed_by: &str) -> Value {
    json!({
        "reference": r.reference,
        "name": r.name,
        "nik": mask_nik(&r.nik),
        "status": text::placement(lang, r.waitlist_position),
        "waitlist_position": r.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
        "coverage": text::coverage(lang, r.jkk, r.jkm, r.coverage),
        "registered_at": chrono::NaiveDateTime::parse_from_str(&r.registered_at, "%Y-%m-%d %H:%M:%S")
            .map(|at| text::date_time(lang, at))
            .unwrap_or_else(|_| r.registered_at.clone()),
        "registered_by": r.registered_by.clone().unwrap_or_else(|| printed_by.to_string()),
        "bring": r.bring,
    })
}

/// The values of a document, for its template.
pub fn values(printable: &Printable, lang: Lang) -> Value {
    let office = &printable.office;
    let date = text::date_long(lang, printable.printed_at.date());
    let mut data = json!({
        "t": text::labels(lang),
        "office": {
            "government": office.letterhead.government,
            "name": office.letterhead.office,
            "address": office.letterhead.address,
            "city": office.letterhead.city,
            "counter": office.counter,
        },
        "signatory": {
            "name": office.signatory.name,
            "position": office.signatory.position,
            "nip": text::nip(&office.signatory.nip),
        },
        "printed": {
            "at": text::date_time(lang, printable.printed_at),
            "date": date,
            "by": printable.printed_by,
            "place_date": if office.letterhead.city.is_empty() {
                date.clone()
            } else {
                format!("{}, {date}", office.letterhead.city)
            },
        },
        "cohort": cohort(lang, printable.paper.cohort()),
        "days": days(lang, printable.paper.cohort()),
    });
    let own = match &printable.paper {
        Paperwork::Receipt(r) => receipt(lang, r, &printable.printed_by),
        Paperwork::Attendance { participants, .. } => json!({
            "participants": participants.iter().map(|p| json!({
                "name": p.name,
                "nik": mask_nik(&p.nik),
                "village": p.village.clone().unwrap_or_default(),
            })).collect::<Vec<_>>(),
            "count": participants.len(),
        }),
        Paperwork::Certificates { cohort, graduates } => json!({
            // A number the supervisor recorded, else the cohort's code and the graduate's place
            // among its graduates (roster order), which stays the same on a reprint.
            "graduates": graduates.iter().enumerate().map(|(i, g)| json!({
                "name": g.name,
                "born": format!("{}, {}", g.birth_place, text::date_long(lang, g.birth_date)),
                "certificate_no": g.certificate_no.clone().filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("{}/{:03}", cohort.cohort.code, i + 1)),
            })).collect::<Vec<_>>(),
            "count": graduates.len(),
        }),
        Paperwork::BpjsList { rows, .. } => {
            let sum =
                |f: &dyn Fn(&crate::db::export::BpjsRow) -> i64| rows.iter().map(f).sum::<i64>();
            json!({
                "rows": rows.iter().map(|r| json!({
                    "nik": format_nik(&r.nik),
                    "name": r.name,
                    "birth_place": r.birth_place,
                    "birth_date": r.birth_date.format("%d-%m-%Y").to_string(),
                    "sex": r.sex,
                    "sex_long": text::sex(lang, &r.sex),
                    "address": r.address,
                    "village": r.village,
                    "district": r.district,
                    "phone": r.phone,
                    "jkk": text::yes_no(lang, r.jkk),
                    "jkm": text::yes_no(lang, r.jkm),
                    "start": r.period_start.format("%d-%m-%Y").to_string(),
                    "end": r.period_end.format("%d-%m-%Y").to_string(),
                    "funding": r.funding.code().to_uppercase(),
                    "income": text::amount(lang, r.declared_income),
                    "months": r.contribution.months,
                    "jkk_amount": text::amount(lang, r.contribution.jkk),
                    "jkm_amount": text::amount(lang, r.contribution.jkm),
                    "total_amount": text::amount(lang, r.contribution.total),
                })).collect::<Vec<_>>(),
                "count": rows.len(),
                "totals": {
                    "jkk": text::amount(lang, sum(&|r| r.contribution.jkk)),
                    "jkm": text::amount(lang, sum(&|r| r.contribution.jkm)),
                    "total": text::amount(lang, sum(&|r| r.contribution.total)),
                },
            })
        }
    };
    if let (Value::Object(all), Value::Object(own)) = (&mut data, own) {
        all.extend(own);
    }
    data
}
