//! City IT's tooling: the deployment certificate authority, server and terminal certificates.
//!
//! Signed configuration bundles, enrollment tokens and the terminal image recipe build on this.

mod ca;

pub use ca::{CertifiedKeyPem, DeploymentCa, ProvisioningError, fingerprint_der, fingerprint_pem};
