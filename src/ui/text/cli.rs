//! Text of the headless commands (`loket nik`, `loket import`, `loket user` ...): what they print
//! and the refusals they explain. JSON keys are not text: they stay in `cli`.
