//! The server speaks only what BSI TR-03116-4 allows.

use std::sync::Arc;

use rustls::crypto::aws_lc_rs;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;

use crate::harness::Harness;

async fn handshake(
    h: &Harness,
    suites: Vec<rustls::SupportedCipherSuite>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<(), std::io::Error> {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(&h.pki.server.ca).unwrap();
    for c in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(c.unwrap()).unwrap();
    }
    let provider = rustls::crypto::CryptoProvider {
        cipher_suites: suites,
        ..aws_lc_rs::default_provider()
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(h.server.addr).await?;
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .map(|_| ())
}

use rustls::pki_types::pem::PemObject;

#[tokio::test]
async fn only_aes_gcm_with_ecdhe_on_tls_1_2_and_1_3() {
    let h = Harness::sqlite().await;
    use aws_lc_rs::cipher_suite as cs;
    let v13: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];
    let v12: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];
    assert!(
        handshake(&h, vec![cs::TLS13_AES_256_GCM_SHA384], v13)
            .await
            .is_ok()
    );
    assert!(
        handshake(&h, vec![cs::TLS13_AES_128_GCM_SHA256], v13)
            .await
            .is_ok()
    );
    assert!(
        handshake(&h, vec![cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256], v12)
            .await
            .is_ok()
    );
    assert!(
        handshake(&h, vec![cs::TLS13_CHACHA20_POLY1305_SHA256], v13)
            .await
            .is_err(),
        "ChaCha20 is not allowed"
    );
    assert!(
        handshake(
            &h,
            vec![cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256],
            v12
        )
        .await
        .is_err()
    );
}
