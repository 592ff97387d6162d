-- loket schema, version 1.
-- Constraints live here as well as in code: the database must refuse what the domain refuses,
-- whoever writes to it. Named CHECK constraints (ck_*) surface in errors as typed failures.
-- Machine values are English; the UI shows Indonesian labels.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Wilayah (Kemendagri codes, dotted as in the source: 36, 36.03, 36.03.32, 36.03.32.2001)
CREATE TABLE province (
    code TEXT PRIMARY KEY CONSTRAINT ck_province_code CHECK (length(code) = 2),
    name TEXT NOT NULL
) STRICT;

CREATE TABLE regency (
    code          TEXT PRIMARY KEY CONSTRAINT ck_regency_code CHECK (length(code) = 5),
    province_code TEXT NOT NULL REFERENCES province(code),
    name          TEXT NOT NULL
) STRICT;

CREATE TABLE district (
    code         TEXT PRIMARY KEY CONSTRAINT ck_district_code CHECK (length(code) = 8),
    regency_code TEXT NOT NULL REFERENCES regency(code),
    name         TEXT NOT NULL,
    -- the first six digits of a NIK or KK: the code without dots
    nik_prefix   TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX district_regency ON district(regency_code);

CREATE TABLE village (
    code          TEXT PRIMARY KEY CONSTRAINT ck_village_code CHECK (length(code) = 13),
    district_code TEXT NOT NULL REFERENCES district(code),
    name          TEXT NOT NULL
) STRICT;
CREATE INDEX village_district ON village(district_code);

-- Libur nasional (public) and cuti bersama (government); custom = added by a supervisor
CREATE TABLE holiday (
    date     TEXT PRIMARY KEY CONSTRAINT ck_holiday_date CHECK (date(date) IS date),
    category TEXT NOT NULL CONSTRAINT ck_holiday_category CHECK (category IN ('public', 'government', 'custom')),
    name     TEXT NOT NULL CONSTRAINT ck_holiday_name CHECK (length(trim(name)) > 0)
) STRICT;

-- Petugas / supervisor / admin
CREATE TABLE operator (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE CONSTRAINT ck_operator_name CHECK (length(trim(name)) > 0),
    full_name       TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL CONSTRAINT ck_operator_role CHECK (role IN ('clerk', 'supervisor', 'admin')),
    -- NULL: no password (demo databases only)
    password_hash   TEXT,
    active          INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_operator_active CHECK (active IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
) STRICT;

-- Penduduk
CREATE TABLE resident (
    id                 INTEGER PRIMARY KEY,
    nik                TEXT NOT NULL UNIQUE
        CONSTRAINT ck_resident_nik CHECK (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*' AND substr(nik, 1, 1) <> '0'),
    kk                 TEXT
        CONSTRAINT ck_resident_kk CHECK (kk IS NULL OR (length(kk) = 16 AND kk NOT GLOB '*[^0-9]*')),
    name               TEXT NOT NULL CONSTRAINT ck_resident_name CHECK (length(trim(name)) > 0),
    -- domain::name_key::name_key(name), kept by the code that writes name
    name_key           TEXT NOT NULL,
    sex                TEXT NOT NULL CONSTRAINT ck_resident_sex CHECK (sex IN ('L', 'P')),
    birth_place        TEXT NOT NULL DEFAULT '',
    birth_date         TEXT NOT NULL CONSTRAINT ck_resident_birth_date CHECK (date(birth_date) IS birth_date),
    address            TEXT NOT NULL DEFAULT '',
    rt                 TEXT NOT NULL DEFAULT '',
    rw                 TEXT NOT NULL DEFAULT '',
    village_code       TEXT REFERENCES village(code),
    phone              TEXT NOT NULL DEFAULT '',
    -- OpenSID pendidikan codes 1..10
    education          INTEGER CONSTRAINT ck_resident_education CHECK (education IS NULL OR education BETWEEN 1 AND 10),
    employment         TEXT CONSTRAINT ck_resident_employment
        CHECK (employment IS NULL OR employment IN ('employed', 'unemployed', 'laid_off', 'factory_worker')),
    -- DTSEN desil 1..10 with its source and as-of date (DOMAIN.md: Priority groups)
    desil              INTEGER CONSTRAINT ck_resident_desil CHECK (desil IS NULL OR desil BETWEEN 1 AND 10),
    desil_source       TEXT,
    desil_as_of        TEXT CONSTRAINT ck_resident_desil_as_of CHECK (desil_as_of IS NULL OR date(desil_as_of) IS desil_as_of),
    stunting_household INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_resident_stunting CHECK (stunting_household IN (0, 1)),
    disability         INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_resident_disability CHECK (disability IN (0, 1)),
    -- the clerk confirmed a NIK that disagrees with the KTP's birth date or sex
    nik_mismatch_confirmed INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_resident_nik_confirmed CHECK (nik_mismatch_confirmed IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX resident_kk ON resident(kk) WHERE kk IS NOT NULL;
CREATE INDEX resident_name_key_birth ON resident(name_key, birth_date);
CREATE INDEX resident_village ON resident(village_code);

-- Word-prefix search over the name key (external content: the text lives in resident).
CREATE VIRTUAL TABLE resident_fts USING fts5(
    name_key,
    content = 'resident',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6 7 8',
    detail = none
);
CREATE TRIGGER resident_fts_insert AFTER INSERT ON resident BEGIN
    INSERT INTO resident_fts(rowid, name_key) VALUES (new.id, new.name_key);
END;
CREATE TRIGGER resident_fts_delete AFTER DELETE ON resident BEGIN
    INSERT INTO resident_fts(resident_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
END;
CREATE TRIGGER resident_fts_update AFTER UPDATE OF name_key ON resident BEGIN
    INSERT INTO resident_fts(resident_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
    INSERT INTO resident_fts(rowid, name_key) VALUES (new.id, new.name_key);
END;

-- Kejuruan
CREATE TABLE course (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE CONSTRAINT ck_course_code CHECK (length(trim(code)) > 0),
    name                 TEXT NOT NULL CONSTRAINT ck_course_name CHECK (length(trim(name)) > 0),
    category             TEXT NOT NULL,
    working_days         INTEGER NOT NULL CONSTRAINT ck_course_working_days CHECK (working_days BETWEEN 1 AND 366),
    capacity             INTEGER NOT NULL CONSTRAINT ck_course_capacity CHECK (capacity > 0),
    min_participants     INTEGER NOT NULL CONSTRAINT ck_course_min CHECK (min_participants > 0 AND min_participants <= capacity),
    min_age              INTEGER NOT NULL CONSTRAINT ck_course_min_age CHECK (min_age >= 0),
    max_age              INTEGER NOT NULL CONSTRAINT ck_course_max_age CHECK (max_age >= min_age),
    daily_hours          REAL NOT NULL DEFAULT 8 CONSTRAINT ck_course_hours CHECK (daily_hours > 0 AND daily_hours <= 24),
    toolkit              TEXT,
    active               INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_course_active CHECK (active IN (0, 1))
) STRICT;

-- BLK, BLK kelurahan, MTU unit
CREATE TABLE venue (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CONSTRAINT ck_venue_code CHECK (length(trim(code)) > 0),
    name          TEXT NOT NULL CONSTRAINT ck_venue_name CHECK (length(trim(name)) > 0),
    kind          TEXT NOT NULL CONSTRAINT ck_venue_kind CHECK (kind IN ('blk', 'blk_kelurahan', 'mtu')),
    village_code  TEXT REFERENCES village(code),
    address       TEXT NOT NULL DEFAULT '',
    days_per_week INTEGER NOT NULL DEFAULT 5 CONSTRAINT ck_venue_days CHECK (days_per_week IN (5, 6)),
    active        INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_venue_active CHECK (active IN (0, 1))
) STRICT;

-- Instruktur, with the BNSP certificate
CREATE TABLE instructor (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CONSTRAINT ck_instructor_name CHECK (length(trim(name)) > 0),
    bnsp_cert_no TEXT,
    bnsp_expiry  TEXT CONSTRAINT ck_instructor_expiry CHECK (bnsp_expiry IS NULL OR date(bnsp_expiry) IS bnsp_expiry),
    phone        TEXT NOT NULL DEFAULT '',
    course_code  TEXT,
    active       INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_instructor_active CHECK (active IN (0, 1))
) STRICT;

-- Angkatan pelatihan
CREATE TABLE cohort (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE CONSTRAINT ck_cohort_code CHECK (length(trim(code)) > 0),
    course_id        INTEGER NOT NULL REFERENCES course(id),
    venue_id         INTEGER NOT NULL REFERENCES venue(id),
    -- where an MTU parks: the venue itself, a kecamatan office, a desa office, an RT/RW hall, a company
    location_kind    TEXT NOT NULL DEFAULT 'venue' CONSTRAINT ck_cohort_location_kind
        CHECK (location_kind IN ('venue', 'district_office', 'village_office', 'community_hall', 'company')),
    location_name    TEXT NOT NULL DEFAULT '',
    location_village_code TEXT REFERENCES village(code),
    start_date       TEXT NOT NULL CONSTRAINT ck_cohort_start CHECK (date(start_date) IS start_date),
    working_days     INTEGER NOT NULL CONSTRAINT ck_cohort_working_days CHECK (working_days BETWEEN 1 AND 366),
    end_date         TEXT NOT NULL CONSTRAINT ck_cohort_end CHECK (date(end_date) IS end_date AND end_date >= start_date),
    daily_hours      REAL NOT NULL DEFAULT 8 CONSTRAINT ck_cohort_hours CHECK (daily_hours > 0 AND daily_hours <= 24),
    capacity         INTEGER NOT NULL CONSTRAINT ck_cohort_capacity CHECK (capacity > 0),
    min_participants INTEGER NOT NULL CONSTRAINT ck_cohort_min CHECK (min_participants > 0 AND min_participants <= capacity),
    instructor_id    INTEGER REFERENCES instructor(id),
    funding          TEXT NOT NULL CONSTRAINT ck_cohort_funding CHECK (funding IN ('apbd', 'apbn', 'dif', 'csr')),
    -- comma-separated: extreme_poor, stunting, factory_worker, unemployed, laid_off, youth, women, disability
    target_groups    TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'draft' CONSTRAINT ck_cohort_status
        CHECK (status IN ('draft', 'open', 'running', 'completed', 'cancelled')),
    cancel_reason    TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX cohort_status_start ON cohort(status, start_date);
CREATE INDEX cohort_course ON cohort(course_id);
CREATE INDEX cohort_venue ON cohort(venue_id);
CREATE INDEX cohort_start ON cohort(start_date);

-- Pendaftaran peserta. A resident holds at most one live (enrolled or waitlisted) row per cohort.
CREATE TABLE enrollment (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES resident(id),
    cohort_id       INTEGER NOT NULL REFERENCES cohort(id),
    status          TEXT NOT NULL CONSTRAINT ck_enrollment_status CHECK (status IN ('enrolled', 'waitlisted', 'withdrawn')),
    -- time of registration: the tie-breaker of the waitlist
    registered_at   TEXT NOT NULL,
    promoted_at     TEXT,
    withdrawn_at    TEXT,
    withdraw_reason TEXT,
    -- completion (kelulusan): passed, failed, dropped_out
    outcome         TEXT CONSTRAINT ck_enrollment_outcome CHECK (outcome IS NULL OR outcome IN ('passed', 'failed', 'dropped_out')),
    certificate_no  TEXT,
    toolkit_handed_on TEXT CONSTRAINT ck_enrollment_toolkit CHECK (toolkit_handed_on IS NULL OR date(toolkit_handed_on) IS toolkit_handed_on),
    -- tindak lanjut: employed, self_employed, business_group
    followup        TEXT CONSTRAINT ck_enrollment_followup CHECK (followup IS NULL OR followup IN ('employed', 'self_employed', 'business_group')),
    followup_on     TEXT,
    created_by      INTEGER REFERENCES operator(id),
    CONSTRAINT ck_enrollment_withdrawn CHECK (status <> 'withdrawn' OR withdrawn_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX enrollment_live_once ON enrollment(resident_id, cohort_id) WHERE status IN ('enrolled', 'waitlisted');
CREATE INDEX enrollment_cohort_status ON enrollment(cohort_id, status);
CREATE INDEX enrollment_resident ON enrollment(resident_id);
CREATE INDEX enrollment_registered ON enrollment(registered_at);

-- Kepesertaan BPJS Ketenagakerjaan (JKK/JKM) for the training period, one per enrollment.
CREATE TABLE coverage (
    enrollment_id  INTEGER PRIMARY KEY REFERENCES enrollment(id),
    jkk            INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_coverage_jkk CHECK (jkk IN (0, 1)),
    jkm            INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_coverage_jkm CHECK (jkm IN (0, 1)),
    -- belum didaftarkan, diajukan, aktif, ditolak
    status         TEXT NOT NULL DEFAULT 'unregistered' CONSTRAINT ck_coverage_status
        CHECK (status IN ('unregistered', 'submitted', 'active', 'rejected')),
    kpj            TEXT,
    reject_reason  TEXT,
    period_start   TEXT NOT NULL CONSTRAINT ck_coverage_start CHECK (date(period_start) IS period_start),
    period_end     TEXT NOT NULL CONSTRAINT ck_coverage_end CHECK (date(period_end) IS period_end AND period_end >= period_start),
    -- the cohort's dates moved after submission: BPJS must be told again
    needs_resubmission INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_coverage_resubmit CHECK (needs_resubmission IN (0, 1)),
    submitted_at   TEXT,
    activated_at   TEXT,
    updated_at     TEXT NOT NULL,
    CONSTRAINT ck_coverage_active_kpj CHECK (status <> 'active' OR (kpj IS NOT NULL AND length(trim(kpj)) > 0)),
    CONSTRAINT ck_coverage_rejected_reason CHECK (status <> 'rejected' OR (reject_reason IS NOT NULL AND length(trim(reject_reason)) > 0))
) STRICT;
CREATE INDEX coverage_status ON coverage(status);

-- Kehadiran harian: hadir, izin, sakit, alpa
CREATE TABLE attendance (
    enrollment_id INTEGER NOT NULL REFERENCES enrollment(id),
    date          TEXT NOT NULL CONSTRAINT ck_attendance_date CHECK (date(date) IS date),
    status        TEXT NOT NULL CONSTRAINT ck_attendance_status CHECK (status IN ('present', 'excused', 'sick', 'absent')),
    recorded_by   INTEGER REFERENCES operator(id),
    PRIMARY KEY (enrollment_id, date)
) STRICT;

-- Yearly targets a supervisor sets: scope 'all' (code ''), 'district' (kecamatan code) or 'course' (course code)
CREATE TABLE target (
    year       INTEGER NOT NULL CONSTRAINT ck_target_year CHECK (year BETWEEN 2000 AND 2100),
    scope      TEXT NOT NULL CONSTRAINT ck_target_scope CHECK (scope IN ('all', 'district', 'course')),
    scope_code TEXT NOT NULL DEFAULT '',
    metric     TEXT NOT NULL CONSTRAINT ck_target_metric CHECK (metric IN ('enrolled', 'passed', 'covered')),
    value      INTEGER NOT NULL CONSTRAINT ck_target_value CHECK (value >= 0),
    PRIMARY KEY (year, scope, scope_code, metric)
) STRICT;

-- Editable settings (contribution rates, attendance minimum, idle lock, language...)
CREATE TABLE setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Jejak audit: append-only, written in the same transaction as the change it records.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    operator_id   INTEGER REFERENCES operator(id),
    operator_name TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL DEFAULT '',
    before_json   TEXT,
    after_json    TEXT
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Supervisor view: per-cohort counts of the board and the dashboard read only this index.
CREATE INDEX enrollment_cohort_status_outcome ON enrollment(cohort_id, status, outcome);
