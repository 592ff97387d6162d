-- 0006: the desk search narrows a name by birth date and desa (issue 15). The name index gains
-- the desa code after the birth date, so "siti 1990 kemiri" is answered from the index alone:
-- the names that begin with the text are one range of it, in name order, and the year and the
-- desa are checked on its entries without reading a row. One index instead of a second one
-- by desa: a bulk import rebuilds every index of the table, and this costs it a few bytes per
-- entry rather than a whole index.
DROP INDEX IF EXISTS resident_name_key_birth;
CREATE INDEX resident_name_key_birth_village ON resident(name_key, birth_date, village_code);
