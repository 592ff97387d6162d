//! Pure types and rules of the training desk. No I/O, no terminal, no SQL.

pub mod access;
