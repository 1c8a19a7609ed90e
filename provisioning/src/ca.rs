//! The deployment CA: created once per city, it signs the back office's server certificate and
//! every terminal's client certificate (ECDSA P-256).

use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// What can go wrong while creating or using certificates.
#[derive(Debug, thiserror::Error)]
pub enum ProvisioningError {
    #[error("could not create or sign a certificate")]
    Certificate(#[source] rcgen::Error),
    #[error(
        "the CA certificate or key is not valid PEM; recreate the deployment CA or restore it from backup"
    )]
    InvalidCa(#[source] rcgen::Error),
    #[error("the certificate signing request is not valid: {0}")]
    InvalidCsr(#[source] rcgen::Error),
    #[error("not a PEM certificate")]
    NotPem,
}

/// A certificate and its private key, both PEM encoded.
#[derive(Clone)]
pub struct CertifiedKeyPem {
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for CertifiedKeyPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertifiedKeyPem")
            .field("cert_pem", &self.cert_pem)
            .field("key_pem", &"<redacted>")
            .finish()
    }
}

/// The deployment's certificate authority.
pub struct DeploymentCa {
    cert_pem: String,
    issuer: Issuer<'static, KeyPair>,
    key_pem: String,
}

impl DeploymentCa {
    /// Creates a new CA valid for `years` years.
    pub fn create(common_name: &str, years: i64) -> Result<Self, ProvisioningError> {
        let key = KeyPair::generate().map_err(ProvisioningError::Certificate)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = name(common_name);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::hours(1);
        params.not_after = now + Duration::days(365 * years);
        let cert = params
            .self_signed(&key)
            .map_err(ProvisioningError::Certificate)?;
        let key_pem = key.serialize_pem();
        Ok(Self {
            cert_pem: cert.pem(),
            issuer: Issuer::new(params, key),
            key_pem,
        })
    }

    /// Loads a CA from its certificate and key.
    pub fn load(cert_pem: &str, key_pem: &str) -> Result<Self, ProvisioningError> {
        let key = KeyPair::from_pem(key_pem).map_err(ProvisioningError::InvalidCa)?;
        let issuer =
            Issuer::from_ca_cert_pem(cert_pem, key).map_err(ProvisioningError::InvalidCa)?;
        Ok(Self {
            cert_pem: cert_pem.to_owned(),
            issuer,
            key_pem: key_pem.to_owned(),
        })
    }

    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// Issues the back office's server certificate for the given DNS names and IP addresses.
    pub fn issue_server(
        &self,
        dns_names: &[&str],
        ips: &[IpAddr],
    ) -> Result<CertifiedKeyPem, ProvisioningError> {
        let mut params = leaf_params(dns_names.first().copied().unwrap_or("backoffice"), 2);
        params.subject_alt_names = dns_names
            .iter()
            .filter_map(|d| (*d).try_into().ok().map(SanType::DnsName))
            .chain(ips.iter().map(|ip| SanType::IpAddress(*ip)))
            .collect();
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.sign_new_key(params)
    }

    /// Issues a client certificate for a terminal with its own new key (demo and tests; a real
    /// terminal makes its key itself and sends a CSR to [`DeploymentCa::sign_terminal_csr`]).
    pub fn issue_terminal(&self, terminal_id: &str) -> Result<CertifiedKeyPem, ProvisioningError> {
        self.sign_new_key(terminal_params(terminal_id))
    }

    /// Signs a terminal's certificate signing request, naming it `terminal_id` whatever the CSR
    /// asked for.
    pub fn sign_terminal_csr(
        &self,
        csr_pem: &str,
        terminal_id: &str,
    ) -> Result<String, ProvisioningError> {
        let mut csr = CertificateSigningRequestParams::from_pem(csr_pem)
            .map_err(ProvisioningError::InvalidCsr)?;
        csr.params = terminal_params(terminal_id);
        let cert = csr
            .signed_by(&self.issuer)
            .map_err(ProvisioningError::Certificate)?;
        Ok(cert.pem())
    }

    fn sign_new_key(
        &self,
        params: CertificateParams,
    ) -> Result<CertifiedKeyPem, ProvisioningError> {
        let key = KeyPair::generate().map_err(ProvisioningError::Certificate)?;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(ProvisioningError::Certificate)?;
        Ok(CertifiedKeyPem {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "Bürgerterminal deployment");
    dn
}

fn leaf_params(common_name: &str, years: i64) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = name(common_name);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(365 * years);
    params
}

fn terminal_params(terminal_id: &str) -> CertificateParams {
    let mut params = leaf_params(terminal_id, 3);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params
}

/// SHA-256 fingerprint of a DER certificate, lower-case hex: how the back office names a
/// terminal's certificate.
pub fn fingerprint_der(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

/// SHA-256 fingerprint of the first certificate in a PEM text.
pub fn fingerprint_pem(pem: &str) -> Result<String, ProvisioningError> {
    let der = rustls_pki_types::pem::PemObject::from_pem_slice(pem.as_bytes())
        .map(|c: rustls_pki_types::CertificateDer<'static>| c)
        .map_err(|_| ProvisioningError::NotPem)?;
    Ok(fingerprint_der(&der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ca_round_trips_and_signs_terminal_certificates() {
        let ca = DeploymentCa::create("Test CA", 10).unwrap();
        let again = DeploymentCa::load(ca.cert_pem(), ca.key_pem()).unwrap();
        let t = again.issue_terminal("terminal-1").unwrap();
        assert!(t.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(fingerprint_pem(&t.cert_pem).unwrap().len(), 64);
        assert!(!format!("{t:?}").contains("PRIVATE KEY"));
    }

    #[test]
    fn signs_a_csr_under_the_terminal_id_it_is_given() {
        let ca = DeploymentCa::create("Test CA", 10).unwrap();
        let key = KeyPair::generate().unwrap();
        let csr = CertificateParams::new(vec!["evil".to_owned()])
            .unwrap()
            .serialize_request(&key)
            .unwrap()
            .pem()
            .unwrap();
        let pem = ca.sign_terminal_csr(&csr, "terminal-7").unwrap();
        let der = rustls_pki_types::pem::PemObject::from_pem_slice(pem.as_bytes())
            .map(|c: rustls_pki_types::CertificateDer<'static>| c)
            .unwrap();
        let text = String::from_utf8_lossy(&der);
        assert!(text.contains("terminal-7"));
        assert!(!text.contains("evil"));
    }

    #[test]
    fn broken_ca_material_is_a_clear_error() {
        let err = DeploymentCa::load("garbage", "garbage").err().unwrap();
        assert!(err.to_string().contains("recreate the deployment CA"));
    }
}
