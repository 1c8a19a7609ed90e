//! The kiosk binary of a terminal: parses the command line, connects to the back office with
//! the terminal's certificate, drives the USB ticket printer, and runs the fullscreen window.
//! It holds no back-office code; the demo with an embedded back office is `kiosk-demo`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;
use devices::escpos::render::PaperWidth;
use kiosk::backend::https::{HttpsBackOffice, HttpsConfig};
use kiosk::launch::{self, Parts, TerminalArgs};
use kiosk::printing::LinkOutput;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Bürgerterminal kiosk: check-in and queue numbers for citizen offices"
)]
struct Args {
    #[command(flatten)]
    terminal: TerminalArgs,
    /// Where the kiosk keeps its offline journal.
    #[arg(long, default_value = "/var/lib/buergerterminal/kiosk")]
    data_dir: PathBuf,
    /// Back-office address, e.g. https://backoffice.example:8443.
    #[arg(long)]
    back_office: String,
    /// Deployment CA (PEM).
    #[arg(long)]
    ca: PathBuf,
    /// Terminal certificate (PEM).
    #[arg(long)]
    cert: PathBuf,
    /// Terminal key (PEM).
    #[arg(long)]
    key: PathBuf,
    /// Version of the configuration this terminal runs, reported in every heartbeat.
    #[arg(long, default_value = "unconfigured")]
    config_version: String,
}

fn main() {
    launch::init_logging();
    let args = Args::parse();
    args.terminal.require_display();
    if let Err(e) = run(args) {
        eprintln!("kiosk: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<()> {
    let config = HttpsConfig::from_files(args.back_office.clone(), &args.ca, &args.cert, &args.key)
        .context("terminal certificates")?;
    let client = HttpsBackOffice::new(config)?;
    let printer = LinkOutput::new(
        devices::printer::UsbConnector(devices::usb::real::PrinterSelector::AnyPrinter),
        PaperWidth::Mm80,
        None,
    );
    launch::run(
        &args.terminal,
        Parts {
            backend: Arc::new(client),
            printer: Box::new(printer),
            demo: vec![],
            data_dir: args.data_dir,
            config_version: args.config_version,
        },
    )
}
