-- 0006: the desk search narrows a name by birth date and desa (issue 15). The name index gains
-- the desa code after the birth date, so "siti 1990" is answered from the index alone: the
-- names that begin with the text are one range of it, in name order, and the year (and a
-- kecamatan's many desa) are checked on its entries without reading a row. A second index by
-- desa, then name, serves a line naming one desa: "siti kemiri" reads the SITI range of that
-- desa's entries instead of every SITI of the kabupaten checked for its desa (at 3 million
-- residents 5 ms for a common first name, 0.2 ms so). It costs a bulk import a few seconds at
-- 3 million. The other names holding the words are found through a word index of their own
-- (below).
DROP INDEX IF EXISTS resident_name_key_birth;
CREATE INDEX resident_name_key_birth_village ON resident(name_key, birth_date, village_code);
CREATE INDEX resident_village_name ON resident(village_code, name_key, birth_date);

-- The other names holding the words (those that do not begin with the text), narrowed by birth
-- year or desa, are found in a second word index whose terms carry the year or the desa with
-- the word: a resident RIZKI SAPUTRA born 1970 in desa 36.03.05.2002 is indexed as
-- `_y1970_rizki _y1970_saputra _v3603052002_rizki _v3603052002_saputra`. "rizki sap 1970" asks
-- `"_y1970_rizki"* AND "_y1970_sap"*`: two small doclists, 1-3 ms at 3 million residents,
-- where the name index intersects RIZKI with every resident of 1970 and reads the rows left for
-- the second word (10-13 ms). No prefix index: a term prefix holds the year or desa, so the
-- terms it spans are few. The terms are made from the row in one place (the view); the
-- triggers read it, before a change to delete the old terms and after it to add the new ones.
CREATE VIEW resident_narrow_terms(id, terms) AS
SELECT id,
    '_y' || substr(birth_date, 1, 4) || '_'
        || replace(name_key, ' ', ' _y' || substr(birth_date, 1, 4) || '_')
    || coalesce(' _v' || replace(village_code, '.', '') || '_'
        || replace(name_key, ' ', ' _v' || replace(village_code, '.', '') || '_'), '')
FROM resident;
CREATE VIRTUAL TABLE resident_narrow_fts USING fts5(
    terms,
    content = 'resident_narrow_terms',
    content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'",
    detail = none,
    columnsize = 0
);
INSERT INTO resident_narrow_fts(resident_narrow_fts, rank) VALUES ('hashsize', 268435456);
INSERT INTO resident_narrow_fts(rowid, terms) SELECT id, terms FROM resident_narrow_terms;
INSERT INTO resident_narrow_fts(resident_narrow_fts, rank) VALUES ('hashsize', 1048576);
CREATE TRIGGER resident_narrow_insert AFTER INSERT ON resident BEGIN
    INSERT INTO resident_narrow_fts(rowid, terms)
    SELECT id, terms FROM resident_narrow_terms WHERE id = new.id;
END;
CREATE TRIGGER resident_narrow_delete BEFORE DELETE ON resident BEGIN
    INSERT INTO resident_narrow_fts(resident_narrow_fts, rowid, terms)
    SELECT 'delete', id, terms FROM resident_narrow_terms WHERE id = old.id;
END;
CREATE TRIGGER resident_narrow_update_old BEFORE UPDATE OF name_key, birth_date, village_code ON resident BEGIN
    INSERT INTO resident_narrow_fts(resident_narrow_fts, rowid, terms)
    SELECT 'delete', id, terms FROM resident_narrow_terms WHERE id = old.id;
END;
CREATE TRIGGER resident_narrow_update_new AFTER UPDATE OF name_key, birth_date, village_code ON resident BEGIN
    INSERT INTO resident_narrow_fts(rowid, terms)
    SELECT id, terms FROM resident_narrow_terms WHERE id = new.id;
END;
