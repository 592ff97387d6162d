-- Schema v7: which counter did it (issue 18). A counter is one desk of one kecamatan office,
-- a setting of the PC (`loket counter set`), written OFFICE/NAME (`36.03.04/Loket 1`).
-- * resident.office_code / counter: where the resident was registered (or imported).
-- * enrollment.office_code / counter: where the enrollment was taken; the dashboard counts
--   per office of registration from these.
-- * audit_log.counter: the desk of every audited change. The chain covers it when set, so rows
--   written before it existed keep their links.
-- Rows from before this version have none (NULL): "office unknown".

ALTER TABLE resident ADD COLUMN office_code TEXT;
ALTER TABLE resident ADD COLUMN counter TEXT;
ALTER TABLE enrollment ADD COLUMN office_code TEXT;
ALTER TABLE enrollment ADD COLUMN counter TEXT;
ALTER TABLE audit_log ADD COLUMN counter TEXT;
CREATE INDEX enrollment_office ON enrollment(office_code) WHERE office_code IS NOT NULL;
