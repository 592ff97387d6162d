-- 0002: what a kabupaten-sized import needs (issue 6).
-- * NIK uniqueness becomes a named index, resident_nik, instead of the column's UNIQUE: a bulk
--   import can then drop it and rebuild it once by sorting (3 million NIKs: 3 s instead of 6 s
--   of random inserts), exactly like the other indexes.
-- * The NIK and KK checks say the same thing with one fixed GLOB (16 digits, the NIK's first not
--   0) instead of a length, a GLOB with wildcards and a substr: half the cost per row.
-- * The search index keeps no per-row sizes (columnsize=0): nothing ranks by them, and writing
--   them was a third of the index's build time.
-- Runs with foreign keys off (the migration runner's rule); ids are kept, so every reference
-- to a resident still holds, which the runner checks before it commits.

DROP TRIGGER resident_fts_insert;
DROP TRIGGER resident_fts_delete;
DROP TRIGGER resident_fts_update;
DROP TABLE resident_fts;

CREATE TABLE resident_new (
    id                 INTEGER PRIMARY KEY,
    nik                TEXT NOT NULL
        CONSTRAINT ck_resident_nik CHECK (nik GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    kk                 TEXT
        CONSTRAINT ck_resident_kk CHECK (kk IS NULL OR kk GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
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
INSERT INTO resident_new SELECT * FROM resident;
DROP TABLE resident;
ALTER TABLE resident_new RENAME TO resident;

CREATE UNIQUE INDEX resident_nik ON resident(nik);
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
    detail = none,
    columnsize = 0
);
INSERT INTO resident_fts(resident_fts) VALUES ('rebuild');
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
