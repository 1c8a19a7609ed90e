//! `devices`: what IT runs at a terminal after plugging hardware in — list USB devices, show the
//! ticket printer's status, print a test ticket, watch scans and card readers.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use devices::card::{CardEvent, CardWatcher};
use devices::escpos::render::PaperWidth;
use devices::escpos::textraster::{DEFAULT_FONT, TextRasterizer};
use devices::printer::{PrintError, TicketPrinter, Timeouts, model_for};
use devices::scanner::Framing;
use devices::scanner::evdev::{KeyboardConfig, KeyboardScanner};
use devices::scanner::keymap::Layout;
use devices::scanner::serial::SerialScanner;
use devices::sim::SimPrinter;
use devices::ticket::Ticket;
use devices::usb::UsbTransport;
use devices::usb::inventory::list_devices;
use devices::usb::real::{PRINTER_CLASS, PrinterSelector, RusbTransport};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "devices", about = "Check the terminal's USB devices")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Paper {
    #[value(name = "80")]
    Mm80,
    #[value(name = "58")]
    Mm58,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kbd {
    Us,
    De,
}

#[derive(clap::Args)]
struct PrinterArgs {
    /// The printer's VID:PID in hex (e.g. 04b8:0202); default: the first USB printer.
    #[arg(long, value_name = "VID:PID")]
    printer: Option<String>,
    /// Use the simulated printer instead of USB.
    #[arg(long)]
    sim: bool,
    /// Paper width in mm.
    #[arg(long, value_enum, default_value = "80")]
    paper: Paper,
}

#[derive(Subcommand)]
enum Cmd {
    /// List attached USB devices.
    List,
    /// Show the ticket printer's status.
    Status(PrinterArgs),
    /// Print the sample ticket.
    TestTicket {
        #[command(flatten)]
        printer: PrinterArgs,
        /// With --sim: write what was printed to this PNG.
        #[arg(long)]
        png: Option<PathBuf>,
    },
    /// Show every scan until interrupted.
    WatchScans {
        /// Keyboard-mode scanner: its evdev node (see /dev/input/by-id/).
        #[arg(long, conflicts_with = "serial")]
        evdev: Option<PathBuf>,
        /// Serial-mode scanner: its tty (e.g. /dev/ttyACM0).
        #[arg(long)]
        serial: Option<PathBuf>,
        /// Keyboard layouts to try, in order.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "us")]
        layout: Vec<Kbd>,
    },
    /// Show card readers and cards (through pcscd) until interrupted.
    WatchCards,
}

fn selector(arg: &Option<String>) -> Result<PrinterSelector> {
    let Some(s) = arg else {
        return Ok(PrinterSelector::AnyPrinter);
    };
    let (v, p) = s
        .split_once(':')
        .context("--printer wants VID:PID, e.g. 04b8:0202")?;
    let hex =
        |x: &str| u16::from_str_radix(x, 16).with_context(|| format!("{x:?} is not a hex ID"));
    Ok(PrinterSelector::VidPid(hex(v)?, hex(p)?))
}

/// The font for text the printer's code page lacks, when installed.
fn text_font() -> Option<Arc<TextRasterizer>> {
    TextRasterizer::load(Path::new(DEFAULT_FONT))
        .ok()
        .map(Arc::new)
}

fn paper(p: Paper) -> PaperWidth {
    match p {
        Paper::Mm80 => PaperWidth::Mm80,
        Paper::Mm58 => PaperWidth::Mm58,
    }
}

/// The driver, over USB or over the simulator (then with a handle on it).
type Opened = (TicketPrinter<Box<dyn UsbTransport>>, Option<SimPrinter>);

fn printer(args: &PrinterArgs) -> Result<Opened> {
    let width = paper(args.paper);
    if args.sim {
        let sim = SimPrinter::new(width);
        let t: Box<dyn UsbTransport> = Box::new(sim.open()?);
        let p = TicketPrinter::new(t, width, Timeouts::default()).with_text_font(text_font());
        return Ok((p, Some(sim)));
    }
    let t = RusbTransport::open(selector(&args.printer)?)?;
    let (vendor_id, product_id) = t.usb_ids();
    let model = model_for(vendor_id, product_id);
    println!("{}: treated as {}", t.describe(), model.name);
    let t: Box<dyn UsbTransport> = Box::new(t);
    Ok((
        TicketPrinter::new(t, width, Timeouts::default()).with_model(model),
        None,
    ))
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Cmd::List => {
            let devices = list_devices()?;
            if devices.is_empty() {
                println!("no USB devices");
            }
            for d in devices {
                let role = if d.has_class(PRINTER_CLASS) {
                    "  printer"
                } else {
                    ""
                };
                println!(
                    "{}  bus {:03} addr {:03}  class {:#04x}  {}  serial {}{role}",
                    d.vid_pid(),
                    d.bus,
                    d.address,
                    d.class,
                    d.product.as_deref().unwrap_or("?"),
                    d.serial.as_deref().unwrap_or("-"),
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Status(args) => {
            let (mut p, _) = printer(&args)?;
            let s = p.status()?;
            println!("{}: {s:?}", p.transport().describe());
            match s.problem() {
                Some(problem) => {
                    println!("problem: {problem}");
                    Ok(ExitCode::from(2))
                }
                None => Ok(ExitCode::SUCCESS),
            }
        }
        Cmd::TestTicket { printer: args, png } => {
            let (mut p, sim) = printer(&args)?;
            let result = p.print_ticket(&Ticket::sample());
            if let (Some(sim), Some(path)) = (&sim, &png) {
                std::fs::write(path, sim.png()?)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
            } else if png.is_some() {
                bail!("--png needs --sim");
            }
            match result {
                Ok(printed) => {
                    println!(
                        "printed and confirmed in {:?}; paper {:?}",
                        printed.elapsed, printed.status_after.paper
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e @ PrintError::NotReady { .. }) => {
                    println!("{e}");
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(e.into()),
            }
        }
        Cmd::WatchCards => {
            let mut w = CardWatcher::new()?;
            println!("watching card readers (Ctrl-C ends)");
            loop {
                for e in w.wait(Duration::from_secs(1))? {
                    match e {
                        CardEvent::ReaderAdded(r) => println!("reader added: {r}"),
                        CardEvent::ReaderRemoved(r) => println!("reader removed: {r}"),
                        CardEvent::CardInserted { reader, atr, kind } => {
                            let atr: Vec<String> = atr.iter().map(|b| format!("{b:02X}")).collect();
                            println!("card on {reader}: {kind:?}, ATR {}", atr.join(" "));
                        }
                        CardEvent::CardRemoved { reader } => println!("card removed from {reader}"),
                    }
                }
            }
        }
        Cmd::WatchScans {
            evdev,
            serial,
            layout,
        } => {
            let framing = Framing::default();
            if let Some(path) = serial {
                let mut s = SerialScanner::open(&path, framing)?;
                println!("waiting for scans on {} (Ctrl-C ends)", path.display());
                loop {
                    match s.next_scan()? {
                        Ok(scan) => println!("scan: {}", scan.text),
                        Err(e) => println!("rejected: {e}"),
                    }
                }
            }
            let Some(path) = evdev else {
                bail!("give --evdev /dev/input/by-id/…-event-kbd or --serial /dev/ttyACM0");
            };
            let layouts = layout.iter().map(|k| match k {
                Kbd::Us => Layout::Us,
                Kbd::De => Layout::De,
            });
            let config = KeyboardConfig {
                layouts: layouts.collect(),
                accept: None,
                framing,
            };
            let mut s = KeyboardScanner::open(&path, config)?;
            println!(
                "scanner grabbed; waiting for scans on {} (Ctrl-C ends)",
                path.display()
            );
            while let Some(scan) = s.next_scan()? {
                match scan {
                    Ok(scan) => println!("scan: {}", scan.text),
                    Err(e) => println!("rejected: {e}"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
