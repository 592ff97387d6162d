//! Sentences of the enrollment, withdrawal, completion and BPJS coverage rules and errors, and
//! of the explained waitlist.
