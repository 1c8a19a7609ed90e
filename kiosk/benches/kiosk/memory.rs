//! Resident memory after 10 and after 1,000 walk-in visits through the whole UI, each drawn.

use kiosk::flow::{Event, Screen};

use crate::{Kiosk, rig};

/// Spread over four services so no group runs out of its 999 numbers.
const SERVICES: [&str; 4] = ["personalausweis", "anmeldung", "beglaubigung", "fundsache"];

fn visit(k: &mut Kiosk, i: usize) {
    k.app.dispatch(Event::StartWalkIn);
    k.settle();
    k.frame.draw();
    k.app
        .dispatch(Event::ChooseService(SERVICES[i % SERVICES.len()].into()));
    k.settle();
    assert!(
        matches!(k.app.flow().screen(), Screen::Ticket { .. }),
        "{:?}",
        k.app.flow().screen()
    );
    k.frame.draw();
    k.app.dispatch(Event::Home);
    k.frame.draw();
}

/// Visits, then the kiosk's resident memory and the whole demo's (kiosk and back office).
pub fn visits(k: &mut Kiosk, back_office: &rig::ChildBackOffice) {
    let mb = |kib: u64| kib as f64 / 1024.0;
    let own = || rig::rss_kib("/proc/self/status");
    for i in 0..10 {
        visit(k, i);
    }
    let (kiosk_10, bo_10) = (own(), back_office.rss_kib());
    for i in 10..1000 {
        visit(k, i);
    }
    let (kiosk_1000, bo_1000) = (own(), back_office.rss_kib());
    println!(
        "resident memory of the kiosk: after 10 visits {:.1} MB, after 1000 visits {:.1} MB",
        mb(kiosk_10),
        mb(kiosk_1000)
    );
    println!(
        "resident memory of kiosk and back office together (the demo): after 10 visits {:.1} MB, after 1000 visits {:.1} MB",
        mb(kiosk_10 + bo_10),
        mb(kiosk_1000 + bo_1000)
    );
}
