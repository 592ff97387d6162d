-- Schema v3: resident_village goes. Nothing reads residents by desa: the desk finds them by NIK,
-- KK and name, and every report goes from enrollments to their residents. Its one use would be
-- the foreign-key check when a desa is deleted or re-coded, which loket never does (the region
-- list ships with each release). It cost every registration a write and every bulk import a
-- rebuild (1.7 s at 3 million residents).
DROP INDEX IF EXISTS resident_village;
