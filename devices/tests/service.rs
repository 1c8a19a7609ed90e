//! The device thread as the kiosk uses it: print without blocking, health as events.

use devices::escpos::render::PaperWidth;
use devices::health::{DeviceKind, DeviceState};
use devices::printer::{PrinterLink, Timeouts};
use devices::service::{DeviceService, ServiceError};
use devices::sim::{Fault, SimPrinter};
use devices::ticket::Ticket;
use std::time::Duration;

async fn next_state(s: &mut DeviceService) -> DeviceState {
    let e = tokio::time::timeout(Duration::from_secs(5), s.events.recv())
        .await
        .expect("an event within 5 s")
        .expect("thread alive");
    assert_eq!(e.device, DeviceKind::TicketPrinter);
    e.state
}

#[tokio::test]
async fn kiosk_prints_through_the_device_thread_and_sees_unplug_and_replug() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let link = PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default());
    let mut service = DeviceService::spawn(link, Duration::from_millis(20)).expect("thread starts");
    assert_eq!(next_state(&mut service).await, DeviceState::Ready);

    let printed = service
        .handle
        .print_ticket(Ticket::sample())
        .expect("accepted")
        .await
        .expect("answered");
    assert!(printed.is_ok(), "{printed:?}");
    assert_eq!(sim.printed().iter().filter(|t| t.cut).count(), 1);

    sim.unplug();
    assert_eq!(next_state(&mut service).await, DeviceState::Absent);
    sim.plug_in();
    assert_eq!(next_state(&mut service).await, DeviceState::Ready);
}

#[tokio::test]
async fn a_second_ticket_while_one_is_printing_is_refused_not_queued() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    sim.inject(Fault::Slow(4_000)); // about 0.1 s per ticket
    let link = PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default());
    let service = DeviceService::spawn(link, Duration::from_secs(60)).expect("thread starts");
    let first = service
        .handle
        .print_ticket(Ticket::sample())
        .expect("accepted");
    assert_eq!(
        service.handle.print_ticket(Ticket::sample()).err(),
        Some(ServiceError::Busy)
    );
    assert!(first.await.expect("answered").is_ok());
    assert_eq!(
        sim.printed().iter().filter(|t| t.cut).count(),
        1,
        "exactly one ticket came out"
    );
    let again = service
        .handle
        .print_ticket(Ticket::sample())
        .expect("free again");
    assert!(again.await.expect("answered").is_ok());
}

#[tokio::test]
async fn rescan_checks_the_printer_at_once_and_hotplug_forwarding_is_optional() {
    let sim = SimPrinter::new(PaperWidth::Mm80);
    let link = PrinterLink::new(sim.clone(), PaperWidth::Mm80, Timeouts::default());
    let mut service = DeviceService::spawn(link, Duration::from_secs(3600)).expect("thread starts");
    // Without usbfs (as in CI) there is nothing to forward; the poll does the work.
    let _forwarder = devices::service::forward_hotplug(service.handle.clone());
    service.handle.rescan();
    assert_eq!(
        next_state(&mut service).await,
        DeviceState::Ready,
        "no hour-long wait for the poll"
    );
    sim.unplug();
    service.handle.rescan();
    assert_eq!(next_state(&mut service).await, DeviceState::Absent);
}
