-- Schema v5: what a supervisor needs to run a cohort to its certificate (issue 16).
-- * coverage.covered_from / covered_until: the period BPJS confirmed when it activated the
--   coverage (period_start/period_end follow the cohort's dates and are what is submitted). A
--   participant is marked present only on a day inside the confirmed period, so moving dates or
--   recomputing an end after a new holiday never claims protection BPJS has not given. Active
--   rows take their current period.
-- * coverage_kpj: a KPJ is one person's; the check reads this index.
-- * enrollment.followup gains 'unemployed' (belum bekerja); SQLite changes a CHECK only by
--   rebuilding the table (its documented procedure; the runner keeps foreign keys off and checks
--   them before committing). Ids are kept, so coverage and attendance still point at their rows.
-- * enrollment_certificate: a certificate number is recorded for one participant only.

ALTER TABLE coverage ADD COLUMN covered_from TEXT
    CONSTRAINT ck_coverage_covered_from CHECK (covered_from IS NULL OR date(covered_from) IS covered_from);
ALTER TABLE coverage ADD COLUMN covered_until TEXT
    CONSTRAINT ck_coverage_covered_until CHECK (covered_until IS NULL OR date(covered_until) IS covered_until);
UPDATE coverage SET covered_from = period_start, covered_until = period_end WHERE status = 'active';
CREATE INDEX coverage_kpj ON coverage(kpj) WHERE kpj IS NOT NULL;

CREATE TABLE enrollment_new (
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
    -- tindak lanjut: employed, self_employed, business_group, unemployed
    followup        TEXT CONSTRAINT ck_enrollment_followup CHECK (followup IS NULL OR followup IN ('employed', 'self_employed', 'business_group', 'unemployed')),
    followup_on     TEXT,
    created_by      INTEGER REFERENCES operator(id),
    CONSTRAINT ck_enrollment_withdrawn CHECK (status <> 'withdrawn' OR withdrawn_at IS NOT NULL)
) STRICT;
INSERT INTO enrollment_new (id, resident_id, cohort_id, status, registered_at, promoted_at, withdrawn_at,
    withdraw_reason, outcome, certificate_no, toolkit_handed_on, followup, followup_on, created_by)
SELECT id, resident_id, cohort_id, status, registered_at, promoted_at, withdrawn_at,
    withdraw_reason, outcome, certificate_no, toolkit_handed_on, followup, followup_on, created_by
FROM enrollment;
DROP TABLE enrollment;
ALTER TABLE enrollment_new RENAME TO enrollment;
CREATE UNIQUE INDEX enrollment_live_once ON enrollment(resident_id, cohort_id) WHERE status IN ('enrolled', 'waitlisted');
CREATE INDEX enrollment_cohort_status ON enrollment(cohort_id, status);
CREATE INDEX enrollment_resident ON enrollment(resident_id);
CREATE INDEX enrollment_registered ON enrollment(registered_at);
CREATE INDEX enrollment_cohort_status_outcome ON enrollment(cohort_id, status, outcome);
CREATE UNIQUE INDEX enrollment_certificate ON enrollment(certificate_no) WHERE certificate_no IS NOT NULL;
