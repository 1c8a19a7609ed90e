//! The driver against the simulator: every job ends either confirmed printed or failed with the
//! reason staff need — for every fault the simulator can produce.

use devices::escpos::Job;
use devices::escpos::render::PaperWidth;
use devices::printer::{
    FailReason, PaperLevel, PrintError, PrinterProblem, TicketPrinter, Timeouts,
};
use devices::sim::{Fault, SimPrinter, SimTransport};
use devices::ticket::Ticket;
use std::time::Duration;

/// Short transfer timeout (the slow-printer tests rely on it); generous waits otherwise, so a
/// loaded CI machine cannot turn a printed ticket into a failure.
fn quick() -> Timeouts {
    Timeouts {
        transfer: Duration::from_millis(300),
        status: Duration::from_secs(1),
        completion: Duration::from_secs(3),
        poll: Duration::from_millis(20),
    }
}

fn setup() -> (SimPrinter, TicketPrinter<SimTransport>) {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let t = sim.open().expect("plugged in");
    (
        sim.clone(),
        TicketPrinter::new(t, PaperWidth::Mm80, quick()),
    )
}

fn reason(e: &PrintError) -> FailReason {
    match e {
        PrintError::Failed { reason, .. } => *reason,
        other => panic!("expected a failed job, got {other:?}"),
    }
}

#[test]
fn ready_printer_confirms_the_ticket_and_it_is_on_paper_once() {
    let (sim, mut p) = setup();
    let printed = p.print_ticket(&Ticket::sample()).expect("printed");
    assert_eq!(printed.status_after.paper, PaperLevel::Ok);
    let tickets = sim.printed();
    assert_eq!(tickets.len(), 1, "exactly one ticket, never twice");
    assert!(tickets[0].cut && tickets[0].lines.contains(&"A017".to_string()));
}

#[test]
fn near_end_paper_still_prints_and_warns() {
    let (sim, mut p) = setup();
    sim.set_paper_near_end(true);
    let printed = p.print_ticket(&Ticket::sample()).expect("printed");
    assert_eq!(printed.status_after.paper, PaperLevel::Low);
}

#[test]
fn paper_out_before_the_job_sends_nothing() {
    let (sim, mut p) = setup();
    sim.inject(Fault::PaperOutAfter(1));
    p.print_job(&Job {
        bytes: b"\n".to_vec(),
        replaced: vec![],
    })
    .ok();
    let err = p.print_ticket(&Ticket::sample()).expect_err("no paper");
    assert!(
        matches!(
            err,
            PrintError::NotReady {
                problem: PrinterProblem::PaperOut,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.maybe_partly_printed());
    assert!(
        sim.printed()
            .iter()
            .all(|t| !t.lines.contains(&"A017".to_string()))
    );
}

#[test]
fn cover_open_before_the_job_sends_nothing() {
    let (sim, mut p) = setup();
    sim.open_cover();
    let err = p.print_ticket(&Ticket::sample()).expect_err("cover open");
    assert!(matches!(
        err,
        PrintError::NotReady {
            problem: PrinterProblem::CoverOpen,
            ..
        }
    ));
    assert!(sim.printed().is_empty());
}

#[test]
fn paper_running_out_mid_ticket_is_a_reported_partial_failure() {
    let (sim, mut p) = setup();
    sim.inject(Fault::PaperOutAfter(300));
    let err = p
        .print_ticket(&Ticket::sample())
        .expect_err("paper ran out");
    assert_eq!(reason(&err), FailReason::Printer(PrinterProblem::PaperOut));
    assert!(
        err.maybe_partly_printed(),
        "staff are told a stub may hang out"
    );
    assert!(!sim.printed()[0].cut, "the half ticket was not cut");
}

#[test]
fn cover_opening_mid_ticket_fails_with_cover_open() {
    let (sim, mut p) = setup();
    sim.inject(Fault::CoverOpensAfter(200));
    let err = p.print_ticket(&Ticket::sample()).expect_err("cover opened");
    assert_eq!(reason(&err), FailReason::Printer(PrinterProblem::CoverOpen));
}

#[test]
fn unplug_mid_transfer_fails_as_unplugged() {
    let (sim, mut p2) = setup();
    sim.inject(Fault::UnplugAfter(100));
    let err = p2.print_ticket(&Ticket::sample()).expect_err("unplugged");
    assert_eq!(reason(&err), FailReason::Unplugged);
    assert!(err.is_disconnect());
    let again = p2.print_ticket(&Ticket::sample()).expect_err("still gone");
    assert!(again.is_disconnect(), "{again:?}");
}

#[test]
fn endpoint_stall_fails_the_job_and_the_next_job_prints() {
    let (sim, mut p) = setup();
    sim.inject(Fault::StallAfter(50));
    let err = p.print_ticket(&Ticket::sample()).expect_err("stalled");
    assert_eq!(reason(&err), FailReason::Stalled);
    p.print_ticket(&Ticket::sample())
        .expect("halt cleared, next ticket prints");
    assert_eq!(sim.printed().iter().filter(|t| t.cut).count(), 1);
}

#[test]
fn printer_too_slow_for_the_transfer_timeout_fails_with_bytes_sent() {
    let (sim, mut p) = setup();
    sim.inject(Fault::Slow(1000));
    let err = p.print_ticket(&Ticket::sample()).expect_err("too slow");
    assert_eq!(reason(&err), FailReason::TransferTimeout);
    assert!(
        matches!(
            err,
            PrintError::Failed {
                sent: Some(300),
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn slow_printer_within_the_timeout_still_confirms() {
    let (sim, mut p) = setup();
    sim.inject(Fault::Slow(4_000));
    let len = devices::escpos::render::render_ticket(&Ticket::sample(), PaperWidth::Mm80)
        .expect("renders")
        .bytes
        .len();
    let printed = p.print_ticket(&Ticket::sample()).expect("printed");
    let floor = Duration::from_secs_f64(len as f64 / 4_000.0);
    assert!(
        printed.elapsed >= floor,
        "{:?} < {floor:?}",
        printed.elapsed
    );
}

#[test]
fn bytes_the_printer_rejects_fail_the_job_with_printer_error() {
    let (_sim, mut p) = setup();
    let err = p
        .print_job(&Job {
            bytes: b"\x1b@hello\x1bZ\n".to_vec(),
            replaced: vec![],
        })
        .expect_err("rejected");
    assert_eq!(reason(&err), FailReason::Printer(PrinterProblem::Error));
}

#[test]
fn unplugged_printer_is_reported_before_anything_is_sent() {
    let (sim, mut p) = setup();
    sim.unplug();
    let err = p.print_ticket(&Ticket::sample()).expect_err("gone");
    assert!(matches!(err, PrintError::Status(_)) && err.is_disconnect());
    assert!(!err.maybe_partly_printed());
}

#[test]
fn rest_of_a_failed_ticket_never_prints_after_the_roll_is_changed() {
    let (sim, mut p) = setup();
    sim.inject(Fault::PaperOutAfter(300));
    p.print_ticket(&Ticket::sample())
        .expect_err("paper ran out");
    let lines_before = sim.printed()[0].lines.len();
    sim.load_paper();
    assert_eq!(
        sim.printed()[0].lines.len(),
        lines_before,
        "nothing more came out"
    );
    assert!(!sim.printed()[0].cut);
    p.print_ticket(&Ticket::sample())
        .expect("next ticket prints");
    let cut: Vec<_> = sim.printed().into_iter().filter(|t| t.cut).collect();
    assert_eq!(cut.len(), 1);
    assert_eq!(cut[0].qr_payloads.len(), 1, "one QR code: the new ticket's");
}

#[test]
fn a_transfer_cut_off_inside_the_qr_data_does_not_swallow_the_next_ticket() {
    let (sim, mut p) = setup();
    let job = devices::escpos::render::render_ticket(&Ticket::sample(), PaperWidth::Mm80)
        .expect("renders");
    let store = job
        .bytes
        .windows(3)
        .position(|w| w == b"1P0")
        .expect("QR store command");
    // Accept exactly up to ten bytes into the QR payload within the 300 ms transfer timeout.
    let rate = u32::try_from((store + 3 + 10) * 1000 / 300).expect("small");
    sim.inject(Fault::Slow(rate));
    let err = p.print_ticket(&Ticket::sample()).expect_err("too slow");
    assert!(
        matches!(
            err,
            PrintError::Failed {
                status_after: Some(_),
                ..
            }
        ),
        "the status after the failure is still readable: {err:?}"
    );
    sim.inject(Fault::Slow(10_000_000));
    p.print_ticket(&Ticket::sample())
        .expect("next ticket prints whole");
    assert_eq!(sim.error(), None, "no stray bytes reached the parser");
    let t = sim
        .printed()
        .into_iter()
        .find(|t| t.cut)
        .expect("a cut ticket");
    assert_eq!(
        t.qr_payloads,
        vec![Ticket::sample().qr_payload.into_bytes()],
        "only the new ticket's QR code"
    );
}

#[test]
fn confirmation_waits_until_the_paper_has_actually_been_fed() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    sim.set_print_speed(Some(350)); // TM-T88VI: 350 mm/s, 8 dots/mm
    let mut p = TicketPrinter::new(
        sim.open().expect("plugged in"),
        PaperWidth::Mm80,
        Timeouts::default(),
    );
    let printed = p.print_ticket(&Ticket::sample()).expect("printed");
    // About 730 dots of paper at 2800 dots/s.
    assert!(
        printed.elapsed >= Duration::from_millis(200),
        "{:?}",
        printed.elapsed
    );
    assert!(
        printed.elapsed < Duration::from_secs(5),
        "{:?}",
        printed.elapsed
    );
}
