//! The privacy wipe: canary personal data typed on the screen is gone from the flow, the UI
//! models and the logs after the inactivity timeout; and nothing personal is logged on a
//! submitted check-in either.

use std::sync::Arc;

use kiosk::flow::{CheckInOutcome, Lang, Screen};
use slint::ComponentHandle;

use crate::fake::Fake;
use crate::harness::{Kiosk, LOG};

const CANARY_BOOKING: &str = "8642097531";
const CANARY_CODE: &str = "QX7ZK";
const SUBMITTED_BOOKING: &str = "7531908642";
const SUBMITTED_CODE: &str = "WV9YJ";

fn log_text() -> String {
    String::from_utf8_lossy(&LOG.lock().unwrap()).into_owned()
}

#[test]
fn timeout_warns_then_wipes_every_trace_and_restores_german() {
    let k = Kiosk::start(Arc::new(Fake::new()));
    k.touch("Українська");
    k.touch("Великий шрифт");
    k.touch("Допомога");
    k.touch("У мене є запис");
    k.type_keys(CANARY_BOOKING);
    k.type_keys(CANARY_CODE);
    let adapter = k.app.window().global::<layouts::CheckInAdapter>();
    assert_eq!(adapter.get_booking(), CANARY_BOOKING);
    assert_eq!(adapter.get_code(), CANARY_CODE);

    k.wait(59);
    assert_eq!(
        k.app
            .window()
            .global::<layouts::Session>()
            .get_warning_seconds(),
        0
    );
    k.wait(1);
    let session = k.app.window().global::<layouts::Session>();
    assert!(
        session.get_warning_seconds() >= 20,
        "countdown of at least 20 s"
    );
    assert!(
        k.shows("Вам потрібно більше часу?"),
        "warning in the visitor's language"
    );
    k.wait(30);

    assert_eq!(k.screen(), Screen::Start);
    assert_eq!(k.app.flow().prefs().lang, Lang::De);
    assert!(!k.app.flow().help_requested());
    let state = format!("{:?}", *k.app.flow());
    assert!(
        !state.contains(CANARY_BOOKING) && !state.contains(CANARY_CODE),
        "flow: {state}"
    );
    assert_eq!(adapter.get_booking(), "");
    assert_eq!(adapter.get_code(), "");
    assert!(!session.get_help_requested());
    assert!(!k.app.window().global::<layouts::Theme>().get_large_text());
    assert!(k.shows("Ich habe einen Termin"), "start screen in German");
    let log = log_text();
    assert!(
        !log.contains(CANARY_BOOKING) && !log.contains(CANARY_CODE),
        "canary in the log"
    );
}

#[test]
fn submitted_booking_never_reaches_the_log() {
    let fake = Arc::new(Fake::new());
    fake.answer_check_in(CheckInOutcome::UnknownBooking);
    let k = Kiosk::start(fake);
    k.scan(&format!("BT1:{SUBMITTED_BOOKING}:{SUBMITTED_CODE}"));
    assert_eq!(
        k.screen(),
        Screen::CheckInProblem(CheckInOutcome::UnknownBooking)
    );
    assert!(!format!("{:?}", *k.app.flow()).contains(SUBMITTED_BOOKING));
    let log = log_text();
    assert!(!log.is_empty(), "the controller logs at debug level");
    assert!(!log.contains(SUBMITTED_BOOKING) && !log.contains(SUBMITTED_CODE));
}
