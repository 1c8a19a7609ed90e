//! Demo mode: the reference back office embedded on `127.0.0.1` with its demo office and
//! appointments, a terminal client with the demo certificate, and the simulated printer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use backoffice::demo::DemoAppointment;
use backoffice::server::{DevPki, Running};
use thiserror::Error;

use crate::backend::ClientError;
use crate::backend::https::{HttpsBackOffice, HttpsConfig};
use crate::ui::DemoBooking;

/// The embedded back office could not start.
#[derive(Debug, Error)]
pub enum DemoError {
    /// Certificates.
    #[error("cannot create the demo certificates in {dir}")]
    Pki {
        /// Where.
        dir: PathBuf,
        /// Why.
        #[source]
        source: backoffice::server::StartError,
    },
    /// The database.
    #[error("cannot open or seed the demo database: delete {dir} to start afresh")]
    Store {
        /// Where.
        dir: PathBuf,
        /// Why.
        #[source]
        source: backoffice::store::StoreError,
    },
    /// The server.
    #[error("cannot start the embedded back office")]
    Start(#[source] backoffice::server::StartError),
    /// A certificate file.
    #[error("cannot read {path}")]
    Read {
        /// Which.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The client.
    #[error("cannot set up the terminal's HTTPS client")]
    Client(#[source] ClientError),
}

/// The embedded back office, running.
pub struct EmbeddedBackOffice {
    /// The server (stop it with `server.stop().await`).
    pub server: Running,
    /// Its certificates.
    pub pki: DevPki,
    /// Today's demo appointments.
    pub appointments: Vec<DemoAppointment>,
}

/// Starts the reference back office with demo data in `dir` (SQLite) on a free local port.
/// Call inside a tokio runtime.
pub async fn start_back_office(dir: &Path) -> Result<EmbeddedBackOffice, DemoError> {
    start_back_office_on(dir, std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await
}

/// The same on `addr` (tests restart it on the same port with the same data).
pub async fn start_back_office_on(
    dir: &Path,
    addr: std::net::SocketAddr,
) -> Result<EmbeddedBackOffice, DemoError> {
    let pki =
        backoffice::server::ensure_dev_pki(&dir.join("tls")).map_err(|source| DemoError::Pki {
            dir: dir.to_owned(),
            source,
        })?;
    let store = |source| DemoError::Store {
        dir: dir.to_owned(),
        source,
    };
    let url = format!("sqlite://{}?mode=rwc", dir.join("backoffice.db").display());
    let db = backoffice::store::Db::open(&url).await.map_err(store)?;
    backoffice::demo::seed(&db, &pki.terminal_fingerprint)
        .await
        .map_err(store)?;
    let appointments = backoffice::demo::ensure_appointments(&db, jiff::Timestamp::now())
        .await
        .map_err(store)?;
    let server =
        backoffice::server::start(addr, db, &pki.server, backoffice::api::Settings::default())
            .await
            .map_err(DemoError::Start)?;
    tracing::info!(port = server.addr.port(), "embedded back office started");
    Ok(EmbeddedBackOffice {
        server,
        pki,
        appointments,
    })
}

fn read(path: &Path) -> Result<Vec<u8>, DemoError> {
    std::fs::read(path).map_err(|source| DemoError::Read {
        path: path.to_owned(),
        source,
    })
}

/// The HTTPS settings of the demo terminal for a back office on `addr`.
pub fn client_config(pki: &DevPki, addr: std::net::SocketAddr) -> Result<HttpsConfig, DemoError> {
    let mut identity = read(&pki.terminal_cert)?;
    identity.extend(read(&pki.terminal_key)?);
    Ok(HttpsConfig::new(
        format!("https://localhost:{}", addr.port()),
        read(&pki.server.ca)?,
        identity,
    ))
}

impl EmbeddedBackOffice {
    /// The HTTPS settings of the demo terminal.
    pub fn client_config(&self) -> Result<HttpsConfig, DemoError> {
        client_config(&self.pki, self.server.addr)
    }

    /// The demo terminal's client.
    pub fn client(&self) -> Result<Arc<HttpsBackOffice>, DemoError> {
        Ok(Arc::new(
            HttpsBackOffice::new(self.client_config()?).map_err(DemoError::Client)?,
        ))
    }

    /// A few demo bookings to show on the start screen: on time, too early, too late, and
    /// at the other office.
    pub fn demo_bookings(&self) -> Vec<DemoBooking> {
        let now = jiff::Timestamp::now();
        // Index 12 is the slot of "now" (see backoffice::demo::appointments_around).
        [12, 13, 11, 20, 6, 30]
            .into_iter()
            .filter_map(|i| self.appointments.get(i))
            .map(|a| {
                let at = crate::format::when(a.starts_at, now, crate::flow::Lang::De);
                let other = if a.office_id == backoffice::demo::OFFICE {
                    ""
                } else {
                    " ⌂"
                };
                DemoBooking {
                    label: format!("{at}{other} · {} · {}", a.booking_number, a.code),
                    payload: format!("BT1:{}:{}", a.booking_number, a.code),
                }
            })
            .collect()
    }
}
