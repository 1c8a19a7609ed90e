//! Out of service from device health: with the ticket printer required, unplugging the
//! simulated printer takes the terminal out of service with the reason (after the visitor at
//! the screen has left), and plugging it back in brings the start screen back by itself.

use std::sync::Arc;
use std::time::Duration;

use kiosk::flow::{Device, Screen};

use crate::fake::Fake;
use crate::harness::{Kiosk, Options};

const PRINTER_REASON: &str = "Der Drucker für die Wartemarken funktioniert nicht.";

fn printer_missing(k: &Kiosk) -> bool {
    matches!(k.screen(), Screen::OutOfService(ref why) if why.missing == [Device::TicketPrinter])
}

#[test]
fn an_unplugged_required_printer_takes_the_terminal_out_of_service_until_it_is_back() {
    let mut options = Options::default();
    options.config.required = vec![Device::TicketPrinter];
    options.config.device_poll = Duration::from_millis(50);
    options.config.device_grace = Duration::from_millis(300);
    let k = Kiosk::build(Arc::new(Fake::new()), options);

    // A visitor at the screen finishes first.
    k.touch("Ich habe einen Termin");
    k.type_keys("1005");
    k.printer.unplug();
    std::thread::sleep(Duration::from_millis(800));
    k.settle();
    assert!(matches!(k.screen(), Screen::CheckIn(_)), "{:?}", k.screen());
    k.touch("Neu beginnen");
    k.settle_until("the out-of-service screen", printer_missing);
    assert!(k.shows("Dieses Terminal ist außer Betrieb"));
    assert!(k.shows(PRINTER_REASON), "the reason is on screen");
    assert!(!k.shows("Ich habe einen Termin"), "no visitor can start");
    k.shot("out-of-service-printer");

    k.app
        .dispatch(kiosk::flow::Event::Language(kiosk::flow::Lang::Uk));
    assert!(
        printer_missing(&k),
        "the language bar is not there to change anything"
    );

    k.printer.plug_in();
    k.settle_until("the start screen", |k| k.screen() == Screen::Start);
    assert!(k.shows("Ich habe einen Termin"));
    assert!(!k.shows(PRINTER_REASON));
}

#[test]
fn a_printer_that_is_not_required_never_takes_the_terminal_out_of_service() {
    let mut options = Options::default();
    options.config.device_poll = Duration::from_millis(50);
    options.config.device_grace = Duration::from_millis(100);
    let k = Kiosk::build(Arc::new(Fake::new()), options);
    k.printer.unplug();
    std::thread::sleep(Duration::from_millis(500));
    k.settle();
    assert_eq!(k.screen(), Screen::Start);
}
