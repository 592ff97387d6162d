//! loket: front-desk terminal app for vocational-training registration at kecamatan offices.
//! Layers depend one way: `ui` -> `db` -> `domain`.
pub mod domain;
