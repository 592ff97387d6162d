-- Schema v8: the PostgreSQL store's narrowed word index (assets/migrations/postgres/0008_*).
-- SQLite has had its own since v6 (resident_narrow_fts), so nothing changes here; the version
-- moves with PostgreSQL's so the two stores' versions stay one number.
SELECT 1;
