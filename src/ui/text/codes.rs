//! Names of the stored codes (cohort, enrollment and coverage statuses, outcomes, follow-ups,
//! attendance marks, funding, roles) in both languages: one [`Label`] impl per code enum.
