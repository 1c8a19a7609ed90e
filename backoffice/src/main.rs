//! `backoffice` command line: `serve` runs the back office until SIGTERM or SIGINT, then
//! stops accepting, lets open requests finish and exits 0.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use backoffice::api::Settings;
use backoffice::server::{self, TlsFiles};
use backoffice::store::Db;
use clap::{Parser, Subcommand};

/// mimalloc: the many small, short-lived allocations of each request (JSON, rows, TLS records)
/// cost less than with glibc's allocator (see the load benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "backoffice",
    version,
    about = "Bürgerterminal reference back office"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API over HTTPS.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Seed the demo office of Saarbrücken (only into an empty database) and print how to use it.
    #[arg(long)]
    demo: bool,
    /// Directory for the SQLite database and, without --tls-cert, the development certificates.
    #[arg(long, default_value = "/var/lib/buergerterminal/backoffice")]
    data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (default: SQLite in the data directory).
    #[arg(long, env = "BT_DATABASE_URL")]
    database_url: Option<String>,
    /// Server certificate (PEM); without it a development CA is created under DATA_DIR/tls.
    #[arg(long, requires_all = ["tls_key", "tls_ca"])]
    tls_cert: Option<PathBuf>,
    /// Server private key (PEM).
    #[arg(long)]
    tls_key: Option<PathBuf>,
    /// Deployment CA certificate (PEM) that terminal client certificates must chain to.
    #[arg(long)]
    tls_ca: Option<PathBuf>,
    /// Public base URL of this server, used in ticket QR codes.
    #[arg(long)]
    public_url: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let Command::Serve(args) = Cli::parse().command;
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
    let url = args.database_url.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            args.data_dir.join("backoffice.db").display()
        )
    });
    let db = Db::open(&url).await.context("opening the database")?;
    let settings = Settings {
        public_url: args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("https://{}", args.listen)),
        ..Settings::default()
    };
    let running = if args.demo {
        let demo = backoffice::demo::start_with(&args.data_dir, db, args.listen, settings)
            .await
            .context("starting the demo back office")?;
        print_demo(&demo.pki, &demo.appointments);
        demo.server
    } else {
        let tls = match (&args.tls_cert, &args.tls_key, &args.tls_ca) {
            (Some(cert), Some(key), Some(ca)) => TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
                ca: ca.clone(),
            },
            _ => development_tls(&args.data_dir)?,
        };
        server::start(args.listen, db, &tls, settings)
            .await
            .context("starting the server")?
    };
    println!(
        "Back office on https://{}  (API description: /api/v1/openapi.json)",
        running.addr
    );
    if args.demo {
        println!("  staff console: https://{}/console", running.addr);
        println!(
            "  call display:  https://{}/display/{}",
            running.addr,
            backoffice::demo::OFFICE
        );
    }
    let signal = stop_signal()
        .await
        .context("waiting for SIGTERM or SIGINT")?;
    tracing::info!(signal, "stopping: no new connections, open requests finish");
    running.stop().await;
    tracing::info!("stopped");
    Ok(())
}

/// Waits for SIGTERM (systemd's stop) or SIGINT (Ctrl-C); returns which.
async fn stop_signal() -> std::io::Result<&'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    })
}

/// Without TLS files: a development CA and certificates under DATA_DIR/tls (created once).
fn development_tls(data_dir: &std::path::Path) -> anyhow::Result<TlsFiles> {
    let dev = server::ensure_dev_pki(&data_dir.join("tls")).context("development certificates")?;
    if dev.created {
        println!(
            "Created a development CA and certificates in {} (give --tls-cert, --tls-key and --tls-ca in production)",
            data_dir.join("tls").display()
        );
    }
    println!(
        "TLS: CA {}  server {}",
        dev.server.ca.display(),
        dev.server.cert.display()
    );
    Ok(dev.server)
}

fn print_demo(dev: &server::DevPki, appointments: &[backoffice::demo::DemoAppointment]) {
    println!("\nDemo staff accounts (user / password):");
    for (user, name, role, password) in backoffice::demo::STAFF {
        println!("  {user:<10} / {password:<16} {name} ({})", role.as_str());
    }
    println!(
        "\nDemo terminal certificate: {} (key {})",
        dev.terminal_cert.display(),
        dev.terminal_key.display()
    );
    println!("\nDemo appointments today (booking number, code, time, office):");
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap_or(jiff::tz::TimeZone::UTC);
    for a in appointments.iter().step_by(3) {
        let at = a.starts_at.to_zoned(tz.clone());
        println!(
            "  {}  {}  {}  {}",
            a.booking_number,
            a.code,
            at.strftime("%H:%M"),
            a.office_id
        );
    }
}
