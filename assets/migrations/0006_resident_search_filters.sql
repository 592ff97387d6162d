-- 0006: the desk search narrows a name by birth date and desa (issue 15). The name index gains
-- the desa code after the birth date, so "siti 1990" is answered from the index alone: the
-- names that begin with the text are one range of it, in name order, and the year (and a
-- kecamatan's many desa) are checked on its entries without reading a row. A second index by
-- desa, then name, serves a line naming one desa: "siti kemiri" reads the SITI range of that
-- desa's entries instead of every SITI of the kabupaten checked for its desa (at 3 million
-- residents 5 ms for a common first name, 0.2 ms so), and the other names holding the words
-- are found among the desa's entries (3 ms) instead of among the name's matches everywhere,
-- each row read for its desa (17 ms). It costs a bulk import a few seconds at 3 million.
DROP INDEX IF EXISTS resident_name_key_birth;
CREATE INDEX resident_name_key_birth_village ON resident(name_key, birth_date, village_code);
CREATE INDEX resident_village_name ON resident(village_code, name_key, birth_date);
