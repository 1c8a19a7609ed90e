//! Starting the back office: development certificates where none are configured, the
//! database, the TLS listener, and a handle to stop it again.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::{AppState, Settings};
use crate::store::{Db, StoreError};
use crate::tls::{self, TlsError};

/// Why the back office could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot read or write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot create the development certificates")]
    Certificates(#[from] provisioning::ProvisioningError),
    #[error("TLS set-up failed")]
    Tls(#[from] TlsError),
    #[error("cannot open the database")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}; is another back office already running there?")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// Where the server's TLS material lives.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub ca: PathBuf,
}

/// Paths of the development PKI created under a data directory.
#[derive(Debug, Clone)]
pub struct DevPki {
    pub server: TlsFiles,
    pub terminal_cert: PathBuf,
    pub terminal_key: PathBuf,
    /// SHA-256 fingerprint of the demo terminal's certificate.
    pub terminal_fingerprint: String,
    pub created: bool,
}

fn read(path: &Path) -> Result<String, StartError> {
    std::fs::read_to_string(path).map_err(|source| StartError::Io {
        path: path.into(),
        source,
    })
}

fn write(path: &Path, text: &str, secret: bool) -> Result<(), StartError> {
    let io = |source| StartError::Io {
        path: path.into(),
        source,
    };
    std::fs::write(path, text).map_err(io)?;
    if secret {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(())
}

/// Creates (once) a development CA, a server certificate for localhost and a client
/// certificate for the demo terminal under `dir`.
pub fn ensure_dev_pki(dir: &Path) -> Result<DevPki, StartError> {
    std::fs::create_dir_all(dir).map_err(|source| StartError::Io {
        path: dir.into(),
        source,
    })?;
    let p = |name: &str| dir.join(name);
    let created = !p("ca.pem").exists();
    if created {
        let ca = provisioning::DeploymentCa::create("Bürgerterminal development CA", 10)?;
        let ips = ["127.0.0.1".parse(), "::1".parse()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        let server = ca.issue_server(&["localhost"], &ips)?;
        let terminal = ca.issue_terminal(crate::demo::TERMINAL)?;
        write(&p("ca-key.pem"), ca.key_pem(), true)?;
        write(&p("server.pem"), &server.cert_pem, false)?;
        write(&p("server-key.pem"), &server.key_pem, true)?;
        write(&p("terminal-1.pem"), &terminal.cert_pem, false)?;
        write(&p("terminal-1-key.pem"), &terminal.key_pem, true)?;
        // Written last: its presence means the set is complete.
        write(&p("ca.pem"), ca.cert_pem(), false)?;
    }
    let terminal_fingerprint = provisioning::fingerprint_pem(&read(&p("terminal-1.pem"))?)?;
    Ok(DevPki {
        server: TlsFiles {
            cert: p("server.pem"),
            key: p("server-key.pem"),
            ca: p("ca.pem"),
        },
        terminal_cert: p("terminal-1.pem"),
        terminal_key: p("terminal-1-key.pem"),
        terminal_fingerprint,
        created,
    })
}

/// A running back office.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets open requests finish, and waits for the server to end.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Opens the database and serves the API over TLS on `listen` (port 0 picks a free one).
pub async fn start(
    listen: SocketAddr,
    db: Db,
    tls_files: &TlsFiles,
    settings: Settings,
) -> Result<Running, StartError> {
    let config = tls::server_config(
        &read(&tls_files.cert)?,
        &read(&tls_files.key)?,
        &read(&tls_files.ca)?,
    )?;
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: listen,
        source,
    })?;
    let recent = db.recent_finished(5000).await?;
    let state = AppState::new(db, settings);
    // Processing times learned before a restart are relearned from the stored tickets.
    for ticket in recent.iter().rev() {
        state.estimators.record_finished(ticket);
    }
    let app = crate::app::router(state.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(tls::serve(listener, config, app, async {
        let _ = stopped.await;
    }));
    tracing::info!(%addr, "back office listening");
    Ok(Running {
        addr,
        state,
        stop: Some(stop),
        task,
    })
}
