//! Sentences of the storage errors (`DbError` and the errors of backups, exports, holidays and
//! reference data): what went wrong, and what the clerk can do about it.
