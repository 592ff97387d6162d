//! loket: front-desk terminal app for vocational-training registration at kecamatan offices.
//! Layers depend one way: `ui` -> `db` -> `domain`; `cli` wires the command line to either.
pub mod bench;
pub mod cli;
pub mod db;
pub mod domain;
pub mod print;
pub mod ui;
