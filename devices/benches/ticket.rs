//! Benchmark: rendering a ticket to ESC/POS, and request to last byte through the simulated
//! USB printer. Run with `cargo bench -p devices --bench ticket`.

use devices::escpos::render::{PaperWidth, render_ticket};
use devices::printer::{TicketPrinter, Timeouts};
use devices::sim::SimPrinter;
use devices::ticket::Ticket;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / u32::try_from(n).unwrap_or(u32::MAX);
    println!(
        "{name:<44} n={n:<6} mean {mean:>10.1?}  median {:>10.1?}  p95 {:>10.1?}  max {:>10.1?}",
        samples[n / 2],
        samples[n * 95 / 100],
        samples[n - 1]
    );
}

fn main() {
    let ticket = Ticket::sample();
    for paper in [PaperWidth::Mm80, PaperWidth::Mm58] {
        let mut samples = Vec::new();
        for _ in 0..5_000 {
            let t = Instant::now();
            black_box(render_ticket(black_box(&ticket), paper).ok());
            samples.push(t.elapsed());
        }
        summary(&format!("render ticket to ESC/POS ({paper:?})"), samples);
    }

    round_trips(None, 300);
    round_trips(Some(350), 20);
}

/// Request to confirmation through the simulated printer, printing instantly or at a real
/// printer's speed (mm/s).
fn round_trips(speed: Option<u32>, n: usize) {
    let ticket = Ticket::sample();
    let mut total = Vec::new();
    let mut confirm = Vec::new();
    for _ in 0..n {
        let sim = SimPrinter::new(PaperWidth::Mm80);
        sim.set_print_speed(speed);
        let Ok(transport) = sim.open() else {
            eprintln!("simulator could not be opened");
            return;
        };
        let mut printer = TicketPrinter::new(transport, PaperWidth::Mm80, Timeouts::default());
        let t = Instant::now();
        match printer.print_ticket(&ticket) {
            Ok(printed) => {
                total.push(t.elapsed());
                confirm.push(printed.elapsed);
            }
            Err(e) => {
                eprintln!("simulated print failed: {e}");
                return;
            }
        }
    }
    let label = speed.map_or("instant".to_string(), |v| format!("{v} mm/s"));
    summary(
        &format!("print_ticket, request to confirmed ({label})"),
        total,
    );
    summary("  of which first job byte to last confirm byte", confirm);
}
