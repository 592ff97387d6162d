//! TLS for PostgreSQL connections through rustls (ring provider: no system OpenSSL to build or
//! ship). `sslmode` as libpq reads it: `prefer`/`require` encrypt without checking the server's
//! certificate, `verify-ca` checks it was signed by `sslrootcert`, `verify-full` also that it
//! names the host. Never falls back to a weaker mode than asked.

use std::path::Path;
use std::sync::Arc;

use postgres::config::SslMode as WireMode;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::target::{PgTarget, SslMode};
use super::{Error, Result};

/// The connector and the wire-level mode for a target.
pub fn connector(target: &PgTarget) -> Result<(MakeRustlsConnect, WireMode)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = match target.sslmode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => None,
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let path = target.sslrootcert.as_deref().ok_or_else(|| {
                Error::InvalidTarget(
                    "sslmode=verify-ca and verify-full need the server's CA certificate: sslrootcert=PATH or ~/.postgresql/root.crt".into(),
                )
            })?;
            let webpki = WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots(path)?),
                Arc::clone(&provider),
            )
            .build()
            .map_err(|e| Error::InvalidTarget(format!("TLS verifier: {e}")))?;
            Some(webpki)
        }
    };
    let verifier = Arc::new(Verifier {
        chain,
        any_name: target.sslmode == SslMode::VerifyCa,
        algorithms: provider.signature_verification_algorithms,
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::InvalidTarget(format!("TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let wire = match target.sslmode {
        SslMode::Disable => WireMode::Disable,
        SslMode::Prefer => WireMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => WireMode::Require,
    };
    Ok((MakeRustlsConnect::new(config), wire))
}

fn roots(path: &Path) -> Result<RootCertStore> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::InvalidTarget(format!("sslrootcert {}: {e}", path.display()))
    };
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
        roots
            .add(cert.map_err(|e| unreadable(&e))?)
            .map_err(|e| unreadable(&e))?;
    }
    if roots.is_empty() {
        return Err(unreadable(&"no certificate in the file"));
    }
    Ok(roots)
}

/// Checks the server as `sslmode` asks. Without a `chain` (`prefer`, `require`) the certificate
/// itself is not checked, as libpq does without a root file: the channel is still encrypted and
/// the handshake signed by the certificate's key. With one, the certificate must lead to
/// `sslrootcert`; `any_name` (`verify-ca`) lets the name in it differ from the host.
#[derive(Debug)]
struct Verifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    any_name: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.any_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
