//! The printer link: unplug and replug are noticed, reported with the gap, and healed without
//! re-sending a ticket.

use devices::escpos::render::PaperWidth;
use devices::health::DeviceState;
use devices::printer::{PrinterLink, Timeouts};
use devices::sim::{Fault, SimPrinter};
use devices::ticket::Ticket;
use std::time::Duration;

fn states(events: &[devices::health::HealthEvent]) -> Vec<DeviceState> {
    events.iter().map(|e| e.state).collect()
}

#[test]
fn unplug_then_replug_reconnects_and_reports_the_gap() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut link = PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default());
    assert_eq!(states(&link.poll()), [DeviceState::Ready]);
    assert!(link.poll().is_empty(), "no news is no event");

    sim.unplug();
    assert_eq!(states(&link.poll()), [DeviceState::Absent]);
    assert!(
        link.print(&Ticket::sample()).is_err(),
        "cannot print while absent"
    );
    std::thread::sleep(Duration::from_millis(30));

    sim.plug_in();
    let back = link.poll();
    assert_eq!(states(&back), [DeviceState::Ready]);
    assert!(
        back[0].gap.is_some_and(|g| g >= Duration::from_millis(30)),
        "{back:?}"
    );
    link.print(&Ticket::sample()).expect("prints after replug");
}

#[test]
fn unplug_during_a_ticket_is_not_retried_and_the_link_recovers() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut link = PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default());
    link.poll();
    sim.inject(Fault::UnplugAfter(120));
    let err = link
        .print(&Ticket::sample())
        .expect_err("unplugged mid-ticket");
    assert!(err.is_disconnect());
    assert_eq!(states(&link.poll()), [DeviceState::Absent]);
    sim.plug_in();
    assert_eq!(states(&link.poll()), [DeviceState::Ready]);
    assert_eq!(
        sim.printed().iter().filter(|t| t.cut).count(),
        0,
        "the failed ticket was not re-sent"
    );
}

#[test]
fn paper_out_after_a_ticket_shows_up_as_an_event() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut link = PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default());
    link.poll();
    // A reference ticket takes about 700 dots of paper: one fits, the second does not.
    sim.inject(Fault::PaperOutAfter(1000));
    link.print(&Ticket::sample())
        .expect("first ticket fits the roll");
    assert_eq!(states(&link.poll()), [DeviceState::PaperLow]);
    link.print(&Ticket::sample())
        .expect_err("roll runs out during the second");
    assert_eq!(states(&link.poll()), [DeviceState::PaperOut]);
}

#[test]
fn a_link_with_a_text_font_prints_cyrillic_instead_of_question_marks() {
    use devices::escpos::textraster::{DEFAULT_FONT, TextRasterizer};
    let font = TextRasterizer::load(std::path::Path::new(DEFAULT_FONT)).expect("fonts-dejavu-core");
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let mut link =
        PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default()).with_text_font(font);
    let mut ticket = Ticket::sample();
    ticket.waiting_area = "Зала очікування 2".into();
    let printed = link.print(&ticket).expect("printed");
    assert_eq!(printed.replaced, 0);
    assert!(sim.printed()[0].lines.iter().all(|l| !l.contains('?')));
}
