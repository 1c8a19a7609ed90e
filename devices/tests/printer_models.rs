//! Printer models: the driver adapts to what the printer supports, and a wrong model shows up
//! as a failed job, never as a silent success.

use devices::escpos::render::PaperWidth;
use devices::printer::{
    Confirmation, FailReason, GENERIC_ESCPOS, PrintError, PrinterModel, PrinterProblem,
    TicketPrinter, Timeouts,
};
use devices::sim::{Fault, SimPrinter};
use devices::ticket::Ticket;
use std::time::Duration;

/// A generic printer with a short settle time, to keep the tests fast.
static QUICK_GENERIC: PrinterModel = PrinterModel {
    confirmation: Confirmation::StatusAfter(Duration::from_millis(60)),
    ..GENERIC_ESCPOS
};

fn timeouts() -> Timeouts {
    Timeouts {
        transfer: Duration::from_millis(300),
        status: Duration::from_secs(1),
        completion: Duration::from_secs(3),
        poll: Duration::from_millis(20),
    }
}

#[test]
fn basic_printer_prints_and_is_confirmed_by_status_after_the_settle_time() {
    let sim = SimPrinter::new(PaperWidth::Mm80).basic();
    let mut p = TicketPrinter::new(sim.open().expect("plugged"), PaperWidth::Mm80, timeouts())
        .with_model(&QUICK_GENERIC);
    let printed = p.print_ticket(&Ticket::sample()).expect("printed");
    assert!(printed.elapsed >= Duration::from_millis(60));
    assert_eq!(
        sim.error(),
        None,
        "no command the basic printer lacks was sent"
    );
    assert_eq!(sim.printed().iter().filter(|t| t.cut).count(), 1);
}

#[test]
fn basic_printer_running_out_of_paper_is_still_a_failure() {
    let sim = SimPrinter::new(PaperWidth::Mm80).basic();
    sim.inject(Fault::PaperOutAfter(300));
    let mut p = TicketPrinter::new(sim.open().expect("plugged"), PaperWidth::Mm80, timeouts())
        .with_model(&QUICK_GENERIC);
    let err = p
        .print_ticket(&Ticket::sample())
        .expect_err("paper ran out");
    assert!(
        matches!(
            err,
            PrintError::Failed {
                reason: FailReason::Printer(PrinterProblem::PaperOut),
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_basic_printer_configured_as_epson_fails_loudly() {
    let sim = SimPrinter::new(PaperWidth::Mm80).basic();
    let mut p = TicketPrinter::new(sim.open().expect("plugged"), PaperWidth::Mm80, timeouts());
    let err = p
        .print_ticket(&Ticket::sample())
        .expect_err("no process-ID response");
    assert!(
        matches!(
            err,
            PrintError::Failed {
                reason: FailReason::Printer(PrinterProblem::Error),
                ..
            }
        ),
        "{err:?}"
    );
}
