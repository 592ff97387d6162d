//! A realistic demo database: Kabupaten Tangerang (36.03), residents with valid NIKs living in
//! its real desa, two BLKs and an MTU unit, instructors, cohorts in every state with enrollments,
//! a waitlist and coverage in every state. Deterministic for a seed (dates follow today). Its
//! residents pass the same rules as the form's and an import's (`domain::resident`).
//! Never used on a production database: `loket init` makes those.

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::HashSet;

use crate::db::sql::{Connection, Transaction, params};

use super::residents::{INSERT_RETURNING_SQL, ResidentParams};
use super::sample::SplitMix64;
use super::{DbError, now_text, operators, reference};
use crate::domain::access::Role;
use crate::domain::calendar::{WorkingCalendar, WorkingWeek};
use crate::domain::resident::{
    Employment, Field, ResidentDraft, Rules, typed_date, typed_yes_no, validate,
};

/// Options of `loket demo`.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub residents: u32,
    pub seed: u64,
    pub today: NaiveDate,
}

/// Whether the database is a demo (`populate` marks it): one `loket demo --force` may replace
/// without a login, unlike a production database (issue 14.1).
pub fn is_demo(conn: &Connection) -> Result<bool, DbError> {
    let marked: i64 = conn.query_row(
        "SELECT count(*) FROM app_meta WHERE key = 'demo' AND value = '1'",
        [],
        |r| r.get(0),
    )?;
    Ok(marked > 0)
}

/// Fills a freshly created database with the demo. Runs in one transaction.
pub fn populate(conn: &mut Connection, opts: DemoOptions) -> Result<DemoSummary, DbError> {
    let tx = conn.transaction()?;
    let mut rng = SplitMix64(opts.seed);
    tx.execute(
        "INSERT INTO app_meta (key, value) VALUES ('demo', '1')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )?;
    operators::insert_without_password(&tx, "sari", "Sari Wulandari", Role::Clerk)?;
    operators::insert_without_password(&tx, "budi", "Budi Santoso", Role::Supervisor)?;
    let residents = insert_residents(&tx, &mut rng, opts)?;
    let venues = insert_venues(&tx)?;
    let instructors = insert_instructors(&tx, opts.today)?;
    let cohorts = insert_cohorts(&tx, &mut rng, opts.today, &venues, &instructors)?;
    let enrollments = insert_enrollments(&tx, &mut rng, opts.today, &residents, &cohorts)?;
    tx.commit()?;
    Ok(DemoSummary {
        residents: residents.len(),
        cohorts: cohorts.len(),
        enrollments,
    })
}

#[derive(Debug, Clone, Copy)]
pub struct DemoSummary {
    pub residents: usize,
    pub cohorts: usize,
    pub enrollments: usize,
}

const MALE: &[&str] = &[
    "MUHAMMAD", "AHMAD", "RIZKI", "WAHYU", "BUDI", "AGUS", "DEDI", "ADI", "FAJAR", "HENDRA",
    "IRFAN", "JOKO", "RUDI", "SUHENDRA", "UJANG", "ASEP", "DIMAS", "EKO", "ANDI", "YUSUF", "ILHAM",
    "BAYU", "DANANG", "RAHMAT", "SOLEH", "TAUFIK", "ARIF", "HERI", "ENDANG", "MAMAT",
];
const FEMALE: &[&str] = &[
    "SITI", "NUR", "DEWI", "SRI", "RINA", "AYU", "FITRI", "LESTARI", "WULAN", "YULIA", "NENG",
    "ENENG", "RATNA", "INDAH", "PUTRI", "ANISA", "MAYA", "NOVI", "EUIS", "IMAS", "KARTIKA",
    "LILIS", "MEGA", "NINA", "RIZKY", "TITIN", "YANTI", "ELIS", "HANA", "DINA",
];
const SECOND: &[&str] = &[
    "SAPUTRA",
    "SAPUTRI",
    "HIDAYAT",
    "KURNIAWAN",
    "SETIAWAN",
    "RAHAYU",
    "PERMATASARI",
    "NURHALIMAH",
    "FIRMANSYAH",
    "RAMADHAN",
    "HASANAH",
    "SUSANTI",
    "PRATAMA",
    "WIJAYA",
    "MAULANA",
    "SOPIAN",
    "SUPRIATNA",
    "HERMAWAN",
    "AMELIA",
    "FAUZIAH",
    "ROHMAN",
    "SULAEMAN",
    "NURJANAH",
    "HAERUDIN",
    "RIZKI",
    "WAHYUDI",
    "SURYANA",
    "KOMARUDIN",
    "MULYANA",
    "SARI",
];
const PLACES: &[&str] = &[
    "TANGERANG",
    "JAKARTA",
    "SERANG",
    "BOGOR",
    "LEBAK",
    "PANDEGLANG",
    "BANDUNG",
    "BREBES",
    "CIREBON",
    "LAMPUNG",
];

struct DemoResident {
    id: i64,
    birth: NaiveDate,
}

fn insert_residents(
    tx: &Transaction,
    rng: &mut SplitMix64,
    opts: DemoOptions,
) -> Result<Vec<DemoResident>, DbError> {
    let villages: Vec<(String, String)> = tx
        .prepare("SELECT code, district_code FROM village WHERE code LIKE '36.03.%' ORDER BY code")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let other_districts: Vec<String> = tx
        .prepare("SELECT nik_prefix FROM district WHERE code LIKE '36.%' OR code LIKE '32.%' OR code LIKE '31.%'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let districts = reference::district_names(tx)?;
    let codes: HashSet<&str> = villages.iter().map(|(code, _)| code.as_str()).collect();
    let rules = Rules {
        today: opts.today,
        districts: &districts,
        villages: &|code: &str| codes.contains(code),
    };
    let mut insert = tx.prepare(&INSERT_RETURNING_SQL)?;
    let mut used = HashSet::new();
    let mut residents = Vec::with_capacity(opts.residents as usize);
    let created = now_text();
    let mut family: Option<(String, String, String, String, u32)> = None; // kk, village, rt, rw, left
    let employments = [
        Employment::Employed,
        Employment::Unemployed,
        Employment::LaidOff,
        Employment::FactoryWorker,
    ];
    while residents.len() < opts.residents as usize {
        let (kk, village, rt, rw) = match family.take() {
            Some((kk, v, rt, rw, left)) if left > 0 => {
                family = Some((kk.clone(), v.clone(), rt.clone(), rw.clone(), left - 1));
                (kk, v, rt, rw)
            }
            _ => {
                let (village, district) = rng.pick(&villages).clone();
                let prefix = district.replace('.', "");
                let kk = format!("{prefix}{:010}", rng.next_u64() % 10_000_000_000);
                let rt = format!("{:03}", 1 + rng.below(12));
                let rw = format!("{:03}", 1 + rng.below(8));
                let members = rng.below(4) as u32;
                family = Some((kk.clone(), village.clone(), rt.clone(), rw.clone(), members));
                (kk, village, rt, rw)
            }
        };
        let female = rng.percent(50);
        let year = opts.today.year() - 17 - rng.below(40) as i32;
        let birth =
            NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                .unwrap_or(NaiveDate::MIN);
        let registered_in = if rng.percent(85) {
            village[..8].replace('.', "")
        } else {
            rng.pick(&other_districts).clone()
        };
        let day = birth.day() + if female { 40 } else { 0 };
        let stem = format!(
            "{registered_in}{day:02}{:02}{:02}",
            birth.month(),
            birth.year() % 100
        );
        let mut serial = 1 + rng.below(9998) as u32;
        while !used.insert(format!("{stem}{serial:04}")) {
            serial = serial % 9999 + 1;
        }
        let nik = format!("{stem}{serial:04}");
        let first = if female {
            rng.pick(FEMALE)
        } else {
            rng.pick(MALE)
        };
        let name = if rng.percent(15) {
            first.to_string()
        } else {
            format!("{first} {}", rng.pick(SECOND))
        };
        let desil = rng.percent(35).then(|| (1 + rng.below(10)).to_string());
        let employment = rng.percent(80).then(|| rng.pick(&employments).code());
        // The rest in the order the generator has always drawn it (the demo of a seed stays
        // the same).
        let birth_place = rng.pick(PLACES);
        let address = format!(
            "Kp. {} No. {}",
            rng.pick(SECOND).to_lowercase(),
            1 + rng.below(120)
        );
        let phone = format!("08{:010}", rng.next_u64() % 10_000_000_000);
        let education = (1 + rng.below(8)).to_string();
        let stunting = typed_yes_no(rng.percent(6));
        let disability = typed_yes_no(rng.percent(3));
        let birth_text = typed_date(birth);
        let draft = ResidentDraft::default()
            .with(Field::Nik, &nik)
            .with(Field::Kk, &kk)
            .with(Field::Name, &name)
            .with(Field::Sex, if female { "P" } else { "L" })
            .with(Field::BirthPlace, birth_place)
            .with(Field::BirthDate, &birth_text)
            .with(Field::Address, &address)
            .with(Field::Rt, &rt)
            .with(Field::Rw, &rw)
            .with(Field::Village, &village)
            .with(Field::Phone, &phone)
            .with(Field::Education, &education)
            .with(Field::Employment, employment.unwrap_or(""))
            .with(Field::Desil, desil.as_deref().unwrap_or(""))
            .with(
                Field::DesilAsOf,
                if desil.is_some() { "30-06-2025" } else { "" },
            )
            .with(Field::Stunting, stunting)
            .with(Field::Disability, disability);
        let resident = validate(&draft, &rules)
            .map_err(|p| DbError::Demo(format!("resident {nik}: {p:?}")))?;
        let id: i64 = insert.query_row(
            &ResidentParams::new(&resident, &created).values()[..],
            |r| r.get(0),
        )?;
        residents.push(DemoResident { id, birth });
    }
    Ok(residents)
}

struct DemoVenue {
    id: i64,
    code: &'static str,
    week: WorkingWeek,
    village: Option<String>,
}

fn insert_venues(tx: &Transaction) -> Result<Vec<DemoVenue>, DbError> {
    let venues = [
        (
            "BLK-JYT",
            "UPTD BLK Jayanti",
            "blk",
            "36.03.02",
            "Jl. Raya Jayanti",
            5,
        ),
        (
            "BLK-KSB",
            "BLK Kosambi",
            "blk",
            "36.03.14",
            "Jl. Raya Perancis, Kosambi",
            5,
        ),
        (
            "MTU-1",
            "Mobile Training Unit 1",
            "mtu",
            "36.03.03",
            "Pool Disnaker, Tigaraksa",
            6,
        ),
    ];
    let mut out = Vec::new();
    for (code, name, kind, district, address, days) in venues {
        let village: Option<String> = tx.query_row(
            "SELECT min(code) FROM village WHERE district_code = ?1",
            [district],
            |r| r.get(0),
        )?;
        let id = tx.insert_returning_id(
            "INSERT INTO venue (code, name, kind, village_code, address, days_per_week) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            params![code, name, kind, village, address, days],
        )?;
        out.push(DemoVenue {
            id,
            code,
            week: WorkingWeek::from_days(days).unwrap_or(WorkingWeek::FiveDay),
            village,
        });
    }
    Ok(out)
}

fn insert_instructors(tx: &Transaction, today: NaiveDate) -> Result<Vec<i64>, DbError> {
    let instructors = [
        ("Hj. Nurlela", "TBS", 400),
        ("Dadang Sudrajat", "OTO", 700),
        ("Rina Marlina", "MUA", 20), // expires during the next cohorts: the warning shows
        ("Slamet Riyadi", "LIS", 300),
        ("Yoga Pratama", "BRS", 500),
        ("Teguh Santoso", "LAS", -30), // already expired
    ];
    let mut ids = Vec::new();
    for (i, (name, course, days)) in instructors.iter().enumerate() {
        let id = tx.insert_returning_id(
            "INSERT INTO instructor (name, bnsp_cert_no, bnsp_expiry, phone, course_code) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![
                name,
                format!("BNSP-{:05}-{}", 1200 + i, today.year() - 2),
                today + Duration::days(*days),
                format!("0812{:08}", 1000 + i),
                course
            ],
        )?;
        ids.push(id);
    }
    Ok(ids)
}

struct DemoCohort {
    id: i64,
    status: &'static str,
    start: NaiveDate,
    end: NaiveDate,
    capacity: usize,
    min_age: u32,
    max_age: u32,
    /// How many to put in: enrolled up to capacity, the rest waitlisted.
    fill: usize,
}

fn insert_cohorts(
    tx: &Transaction,
    rng: &mut SplitMix64,
    today: NaiveDate,
    venues: &[DemoVenue],
    instructors: &[i64],
) -> Result<Vec<DemoCohort>, DbError> {
    let holidays = reference::holiday_dates(tx)?;
    // (course, venue index, status, start offset in days, fill percent of capacity)
    let plan: &[(&str, usize, &'static str, i64, usize)] = &[
        ("TBS", 0, "completed", -150, 100),
        ("OTO", 1, "completed", -90, 90),
        ("MUA", 2, "completed", -60, 100),
        ("TBS", 1, "running", -10, 100),
        ("LIS", 0, "running", -5, 95),
        ("BRS", 2, "running", -3, 100),
        ("TBS", 0, "open", 9, 125),
        ("OTO", 0, "open", 16, 60),
        ("MUA", 1, "open", 12, 80),
        ("TBG", 2, "open", 23, 40),
        ("PRB", 1, "open", 30, 20),
        ("SBE", 0, "open", 44, 0),
        ("LAS", 1, "draft", 60, 0),
        ("BTK", 2, "draft", 75, 0),
        ("FOT", 0, "cancelled", 20, 30),
    ];
    let mut out = Vec::new();
    let now = now_text();
    for (n, (course, venue_ix, status, offset, fill)) in plan.iter().enumerate() {
        let venue = &venues[*venue_ix];
        let (course_id, working_days, capacity, min, min_age, max_age, hours): (i64, u32, usize, usize, u32, u32, f64) =
            tx.query_row(
                "SELECT id, working_days, capacity, min_participants, min_age, max_age, daily_hours FROM course WHERE code = ?1",
                [course],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )?;
        let calendar = WorkingCalendar::new(holidays.iter().copied(), venue.week);
        let mut start = today + Duration::days(*offset);
        while !calendar.is_working_day(start) {
            start += Duration::days(1);
        }
        let end = calendar
            .nth_working_day(start, working_days)
            .map_err(DbError::Calendar)?;
        let code = format!("{}-{}-{}-{:02}", start.year(), course, venue.code, n + 1);
        let (location_kind, location_name) = if venue.code.starts_with("MTU") {
            ("village_office", "Kantor Desa")
        } else {
            ("venue", "")
        };
        let funding = ["apbd", "apbd", "dif", "csr", "apbn"][rng.below(5)];
        let id = tx.insert_returning_id(
            "INSERT INTO cohort (code, course_id, venue_id, location_kind, location_name, location_village_code,
                start_date, working_days, end_date, daily_hours, capacity, min_participants, instructor_id,
                funding, target_groups, status, cancel_reason, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)
             RETURNING id",
            params![
                code,
                course_id,
                venue.id,
                location_kind,
                location_name,
                venue.code.starts_with("MTU").then_some(venue.village.clone()).flatten(),
                start,
                working_days,
                end,
                hours,
                capacity,
                min,
                instructors.get(n % instructors.len()),
                funding,
                if n % 3 == 0 { "extreme_poor,stunting" } else { "unemployed,laid_off" },
                status,
                (*status == "cancelled").then_some("Instruktur berhalangan, dijadwalkan ulang"),
                now,
            ],
        )?;
        out.push(DemoCohort {
            id,
            status,
            start,
            end,
            capacity,
            min_age,
            max_age,
            fill: capacity * fill / 100,
        });
    }
    Ok(out)
}

fn insert_enrollments(
    tx: &Transaction,
    rng: &mut SplitMix64,
    today: NaiveDate,
    residents: &[DemoResident],
    cohorts: &[DemoCohort],
) -> Result<usize, DbError> {
    let mut enroll = tx.prepare(
        "INSERT INTO enrollment (resident_id, cohort_id, status, registered_at, withdrawn_at, withdraw_reason, outcome, certificate_no, toolkit_handed_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
    )?;
    let mut cover = tx.prepare(
        "INSERT INTO coverage (enrollment_id, jkk, jkm, status, kpj, reject_reason, period_start, period_end, submitted_at, activated_at, updated_at,
             covered_from, covered_until)
         VALUES (?1, 1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    // A resident takes part in one cohort at most in the demo, so no dates overlap.
    let mut next = rng.below(residents.len().max(1));
    let mut count = 0;
    let now = now_text();
    for cohort in cohorts {
        let mut placed = 0;
        let mut tries = 0;
        while placed < cohort.fill && tries < residents.len() {
            tries += 1;
            next = (next + 1 + rng.below(7)) % residents.len();
            let resident = &residents[next];
            let age = crate::domain::person::age_on(resident.birth, cohort.start);
            if age < cohort.min_age || age > cohort.max_age {
                continue;
            }
            let taken: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM enrollment WHERE resident_id = ?1)",
                [resident.id],
                |r| r.get(0),
            )?;
            if taken {
                continue;
            }
            let waitlisted = placed >= cohort.capacity;
            let registered = cohort.start - Duration::days(30 - (placed as i64 % 25));
            let registered_at = format!("{registered} {:02}:{:02}:00", 8 + placed % 8, placed % 60);
            let withdrawn = cohort.status == "cancelled";
            let completed = cohort.status == "completed";
            let outcome = completed.then(|| if rng.percent(88) { "passed" } else { "failed" });
            let enrollment: i64 = enroll.query_row(
                params![
                    resident.id,
                    cohort.id,
                    if withdrawn {
                        "withdrawn"
                    } else if waitlisted {
                        "waitlisted"
                    } else {
                        "enrolled"
                    },
                    registered_at,
                    withdrawn.then_some(&now),
                    withdrawn.then_some("Angkatan dibatalkan"),
                    outcome,
                    (outcome == Some("passed")).then(|| format!(
                        "SKK-{}-{:05}",
                        cohort.start.year(),
                        count + 1
                    )),
                    (outcome == Some("passed")).then_some(cohort.end),
                ],
                |r| r.get(0),
            )?;
            let status = match cohort.status {
                "completed" | "running" => "active",
                "open" if cohort.start - today < Duration::days(14) => {
                    ["active", "active", "submitted", "unregistered", "rejected"][rng.below(5)]
                }
                "open" => ["submitted", "unregistered", "unregistered"][rng.below(3)],
                _ => "unregistered",
            };
            let status = if waitlisted { "unregistered" } else { status };
            cover.execute(params![
                enrollment,
                status,
                (status == "active")
                    .then(|| format!("{:011}", 26_000_000_000u64 + enrollment as u64)),
                (status == "rejected").then_some("NIK tidak cocok dengan data Dukcapil"),
                cohort.start,
                cohort.end,
                (status != "unregistered").then_some(&now),
                (status == "active").then_some(&now),
                now,
                (status == "active").then_some(cohort.start),
                (status == "active").then_some(cohort.end),
            ])?;
            placed += 1;
            count += 1;
        }
    }
    // Residents register at their own kecamatan's office (seed 000), at its first counter.
    tx.execute(
        "UPDATE enrollment SET
             office_code = (SELECT substr(r.village_code, 1, 8) FROM resident r WHERE r.id = enrollment.resident_id),
             counter = (SELECT substr(r.village_code, 1, 8) || '/Loket 1' FROM resident r WHERE r.id = enrollment.resident_id)",
        [],
    )?;
    Ok(count)
}
