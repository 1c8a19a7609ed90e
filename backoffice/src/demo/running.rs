//! The one way to run a back office with the demo office: development certificates, the demo
//! data and today's appointments, served on a local port. Demo mode, every test harness and
//! every benchmark start it through here.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{DemoAppointment, ensure_appointments, seed};
use crate::api::Settings;
use crate::server::{self, DevPki, Running, StartError};
use crate::store::{Db, StoreError};

/// The demo back office could not start.
#[derive(Debug, Error)]
pub enum DemoError {
    /// Certificates.
    #[error("cannot create the demo certificates in {dir}")]
    Pki {
        dir: PathBuf,
        #[source]
        source: StartError,
    },
    /// The database.
    #[error("cannot open or seed the demo database: delete {dir} to start afresh")]
    Store {
        dir: PathBuf,
        #[source]
        source: StoreError,
    },
    /// The server.
    #[error("cannot start the back office")]
    Start(#[source] StartError),
}

/// A running back office with the demo office.
pub struct DemoBackOffice {
    /// The server (stop it with `server.stop().await`).
    pub server: Running,
    /// Its certificates and the demo terminal's.
    pub pki: DevPki,
    /// Today's demo appointments.
    pub appointments: Vec<DemoAppointment>,
}

/// Starts the demo back office with its data in `dir` (SQLite) on `addr` (port 0 picks a free
/// one; restarting on the same address and folder keeps the data).
pub async fn start(dir: &Path, addr: SocketAddr) -> Result<DemoBackOffice, DemoError> {
    let store = |source| DemoError::Store {
        dir: dir.to_owned(),
        source,
    };
    let url = format!("sqlite://{}?mode=rwc", dir.join("backoffice.db").display());
    let db = Db::open(&url).await.map_err(store)?;
    start_with(dir, db, addr, Settings::default()).await
}

/// The same on a database of the caller's (PostgreSQL, say), with its settings; the
/// certificates go to `dir/tls`.
pub async fn start_with(
    dir: &Path,
    db: Db,
    addr: SocketAddr,
    settings: Settings,
) -> Result<DemoBackOffice, DemoError> {
    let pki = server::ensure_dev_pki(&dir.join("tls")).map_err(|source| DemoError::Pki {
        dir: dir.to_owned(),
        source,
    })?;
    let store = |source| DemoError::Store {
        dir: dir.to_owned(),
        source,
    };
    seed(&db, &pki.terminal_fingerprint).await.map_err(store)?;
    let appointments = ensure_appointments(&db, jiff::Timestamp::now())
        .await
        .map_err(store)?;
    let server = server::start(addr, db, &pki.server, settings)
        .await
        .map_err(DemoError::Start)?;
    Ok(DemoBackOffice {
        server,
        pki,
        appointments,
    })
}

impl DemoBackOffice {
    /// `https://localhost:PORT`.
    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.server.addr.port())
    }

    /// The demo appointment `minutes` from now (on the 10-minute grid) at the demo office.
    pub fn appointment_at(&self, minutes: i64) -> Option<&DemoAppointment> {
        // Index 12 is the slot of "now" (see `appointments_around`).
        let slot = self.appointments.get(12)?.starts_at.as_second() + minutes * 60;
        self.appointments
            .iter()
            .find(|a| a.starts_at.as_second() == slot && a.office_id == super::OFFICE)
    }
}
