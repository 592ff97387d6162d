//! Sentences of the NIK and KK checks and of the NIK-versus-KTP warnings (DOMAIN.md, "NIK").
