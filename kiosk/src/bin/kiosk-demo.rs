//! The kiosk in demo mode (feature `demo`): the reference back office embedded on 127.0.0.1
//! with the demo office and today's appointments, the simulated ticket printer writing each
//! ticket as a PNG, and demo booking codes on the start screen. `scripts/demo` runs it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use devices::escpos::render::PaperWidth;
use devices::sim::SimPrinter;
use kiosk::launch::{self, Parts, TerminalArgs};
use kiosk::printing::LinkOutput;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Bürgerterminal kiosk demo: embedded back office, simulated printer, demo codes"
)]
struct Args {
    #[command(flatten)]
    terminal: TerminalArgs,
    /// Where the demo keeps its database, certificates, offline journal and printed tickets.
    #[arg(long, default_value = "demo-data/kiosk")]
    data_dir: PathBuf,
}

fn main() {
    launch::init_logging();
    let args = Args::parse();
    args.terminal.require_display();
    if let Err(e) = run(args) {
        eprintln!("kiosk-demo: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<()> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
    // The embedded back office's runtime; the controller has its own.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let embedded = runtime
        .block_on(kiosk::demo::start_back_office(&args.data_dir))
        .context("demo back office")?;
    let tickets = args.data_dir.join("tickets");
    tracing::info!(folder = %tickets.display(), "simulated printer writes each ticket as PNG here");
    let printer = LinkOutput::new(
        SimPrinter::new(PaperWidth::Mm80),
        PaperWidth::Mm80,
        Some(tickets),
    );
    let parts = Parts {
        backend: kiosk::demo::client(&embedded)?,
        printer: Box::new(printer),
        demo: kiosk::demo::demo_bookings(&embedded),
        data_dir: args.data_dir,
        config_version: "demo".into(),
    };
    let result = launch::run(&args.terminal, parts);
    runtime.block_on(embedded.server.stop());
    result
}
