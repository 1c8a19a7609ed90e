//! Unit tests of the visitor flow: whole visits driven by events with a controlled clock.

use super::*;
use std::time::{Duration, Instant};

struct Visit {
    flow: Flow,
    now: Instant,
}

impl Visit {
    fn new() -> Self {
        let now = Instant::now();
        Self {
            flow: Flow::new(Lang::De, Timings::default(), now),
            now,
        }
    }

    fn send(&mut self, event: Event) -> Vec<Command> {
        self.flow.step(event, self.now)
    }

    fn wait(&mut self, secs: u64) -> Vec<Command> {
        let mut commands = vec![];
        for _ in 0..secs {
            self.now += Duration::from_secs(1);
            commands.extend(self.flow.step(Event::Tick, self.now));
        }
        commands
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(Event::Key(Key::Char(c)));
        }
    }
}

fn ticket(number: &str) -> TicketInfo {
    TicketInfo {
        number: number.into(),
        origin: Origin::WalkIn,
        office_name: "Bürgeramt".into(),
        service_id: "anmeldung".into(),
        service: Localized::same("Anmeldung"),
        waiting_area: Localized::same("Wartebereich 2"),
        people_ahead: 3,
        wait_minutes: (10, 20),
        issued_at: jiff::Timestamp::UNIX_EPOCH,
        appointment_at: None,
        status_url: "https://example.org/t/x".into(),
    }
}

fn tree() -> Arc<ServiceTree> {
    let service = |id: &str, availability| ServiceInfo {
        id: id.into(),
        name: Localized::same(id),
        waiting_area: Localized::same("Wartebereich 1"),
        availability,
    };
    Arc::new(ServiceTree {
        office_name: "Bürgeramt".into(),
        office_address: "Gerberstraße 4".into(),
        groups: vec![ServiceGroup {
            id: "g".into(),
            prefix: "A".into(),
            name: Localized::same("Gruppe"),
            services: vec![
                service("anmeldung", Availability::Open),
                service(
                    "zeugnis",
                    Availability::QuotaExhausted { next_opening: None },
                ),
            ],
        }],
    })
}

#[test]
fn check_in_by_typing_prints_and_returns_to_start() {
    let mut v = Visit::new();
    v.send(Event::StartCheckIn);
    v.type_text("100123");
    assert_eq!(v.send(Event::SubmitCheckIn), vec![], "code still missing");
    v.send(Event::SelectField(Field::Code));
    v.type_text("ab2cd");
    let sent = v.send(Event::SubmitCheckIn);
    assert_eq!(
        sent,
        vec![Command::CheckIn {
            booking: "100123".into(),
            code: "AB2CD".into()
        }]
    );
    assert_eq!(*v.flow.screen(), Screen::Progress(Pending::CheckIn));
    let t = ticket("T004");
    let sent = v.send(Event::CheckInAnswered(Ok(CheckInOutcome::CheckedIn(
        t.clone(),
    ))));
    assert_eq!(
        sent,
        vec![Command::Print {
            ticket: t,
            lang: Lang::De
        }]
    );
    v.send(Event::Printed(Ok(())));
    assert!(matches!(
        v.flow.screen(),
        Screen::Ticket {
            print: PrintState::Printed,
            reprint: false,
            ..
        }
    ));
    assert_eq!(v.wait(14), vec![]);
    assert_eq!(v.wait(1), vec![Command::SessionEnded]);
    assert_eq!(*v.flow.screen(), Screen::Start);
}

#[test]
fn already_checked_in_shows_the_same_ticket_as_reprint() {
    let mut v = Visit::new();
    v.send(Event::Scanned("BT1:100123:AB2CD".into()));
    v.send(Event::CheckInAnswered(Ok(
        CheckInOutcome::AlreadyCheckedIn(ticket("T004")),
    )));
    assert!(matches!(
        v.flow.screen(),
        Screen::Ticket { reprint: true, .. }
    ));
}

#[test]
fn every_check_in_problem_has_its_own_screen() {
    let problems = [
        CheckInOutcome::UnknownBooking,
        CheckInOutcome::WrongCode {
            attempts_left: Some(2),
        },
        CheckInOutcome::Throttled { retry_at: None },
        CheckInOutcome::WrongOffice {
            name: "Bürgeramt Dudweiler".into(),
            address: "Rathausstraße 1".into(),
        },
        CheckInOutcome::TooEarly {
            check_in_from: None,
        },
        CheckInOutcome::TooLate {
            walk_in_service_id: Some("anmeldung".into()),
        },
    ];
    for problem in problems {
        let mut v = Visit::new();
        v.send(Event::Scanned("100123 AB2CD".into()));
        assert_eq!(v.send(Event::CheckInAnswered(Ok(problem.clone()))), vec![]);
        assert_eq!(*v.flow.screen(), Screen::CheckInProblem(problem));
    }
}

#[test]
fn too_late_offers_a_walk_in_number_for_the_same_service() {
    let mut v = Visit::new();
    v.send(Event::Scanned("100123 AB2CD".into()));
    v.send(Event::CheckInAnswered(Ok(CheckInOutcome::TooLate {
        walk_in_service_id: Some("anmeldung".into()),
    })));
    assert_eq!(
        v.send(Event::WalkInInstead),
        vec![Command::WalkIn {
            service_id: "anmeldung".into()
        }]
    );
}

#[test]
fn walk_in_refuses_closed_services_without_asking_and_draws_open_ones() {
    let mut v = Visit::new();
    assert_eq!(v.send(Event::StartWalkIn), vec![Command::LoadServices]);
    assert_eq!(*v.flow.screen(), Screen::Progress(Pending::Services));
    v.send(Event::ServicesLoaded(Ok(tree())));
    assert_eq!(*v.flow.screen(), Screen::Services);
    assert_eq!(v.send(Event::ChooseService("zeugnis".into())), vec![]);
    assert!(matches!(
        v.flow.screen(),
        Screen::WalkInRefused {
            availability: Availability::QuotaExhausted { .. },
            ..
        }
    ));
    v.send(Event::StartWalkIn);
    assert_eq!(
        v.send(Event::ChooseService("anmeldung".into())),
        vec![Command::WalkIn {
            service_id: "anmeldung".into()
        }]
    );
    v.send(Event::WalkInAnswered(Ok(WalkInOutcome::Issued(ticket(
        "B012",
    )))));
    assert!(matches!(v.flow.screen(), Screen::Ticket { .. }));
}

#[test]
fn printer_fault_asks_to_note_the_number_and_keeps_it_longer() {
    let mut v = Visit::new();
    v.flow.services = Some(tree());
    v.send(Event::StartWalkIn);
    v.send(Event::ChooseService("anmeldung".into()));
    v.send(Event::WalkInAnswered(Ok(WalkInOutcome::Issued(ticket(
        "B012",
    )))));
    v.send(Event::Printed(Err(PrintFault::PaperOut)));
    assert!(matches!(
        v.flow.screen(),
        Screen::Ticket {
            print: PrintState::Failed(PrintFault::PaperOut),
            ..
        }
    ));
    assert_eq!(v.wait(44), vec![]);
    assert_eq!(v.wait(1), vec![Command::SessionEnded]);
}

#[test]
fn back_office_down_says_so() {
    let mut v = Visit::new();
    v.send(Event::StartWalkIn);
    v.send(Event::ServicesLoaded(Err(Unreachable::Offline)));
    assert_eq!(*v.flow.screen(), Screen::Unreachable(Unreachable::Offline));
}

#[test]
fn stray_scans_are_ignored_where_no_scan_is_expected() {
    let mut v = Visit::new();
    v.send(Event::StartWalkIn);
    v.send(Event::ServicesLoaded(Ok(tree())));
    assert_eq!(v.send(Event::Scanned("BT1:100123:AB2CD".into())), vec![]);
    assert_eq!(*v.flow.screen(), Screen::Services);
    let mut v = Visit::new();
    assert_eq!(v.send(Event::Scanned("4006381333931".into())), vec![]);
    assert_eq!(*v.flow.screen(), Screen::Start);
}

#[test]
fn unusable_scan_on_the_check_in_screen_says_so_and_keeps_what_was_typed() {
    let mut v = Visit::new();
    v.send(Event::StartCheckIn);
    v.type_text("100123");
    assert_eq!(v.send(Event::ScanRejected(ScanProblem::Unreadable)), vec![]);
    assert!(matches!(
        v.flow.screen(),
        Screen::CheckIn(e) if e.booking == "100123" && e.notice == Some(ScanProblem::Unreadable)
    ));
    assert_eq!(v.send(Event::Scanned("4006381333931".into())), vec![]);
    assert!(matches!(
        v.flow.screen(),
        Screen::CheckIn(e) if e.booking == "100123" && e.notice == Some(ScanProblem::NotABooking)
    ));
    v.send(Event::SelectField(Field::Code));
    v.type_text("A");
    assert!(
        matches!(v.flow.screen(), Screen::CheckIn(e) if e.notice.is_none() && e.code == "A"),
        "the next key clears the notice"
    );
    let sent = v.send(Event::Scanned("BT1:100555:QQ7RT".into()));
    assert_eq!(
        sent,
        vec![Command::CheckIn {
            booking: "100555".into(),
            code: "QQ7RT".into()
        }],
        "a good scan replaces what was typed"
    );
}

#[test]
fn rejected_scans_elsewhere_change_nothing() {
    let mut v = Visit::new();
    assert_eq!(v.send(Event::ScanRejected(ScanProblem::Unreadable)), vec![]);
    assert_eq!(*v.flow.screen(), Screen::Start);
    v.send(Event::StartWalkIn);
    v.send(Event::ServicesLoaded(Ok(tree())));
    assert_eq!(
        v.send(Event::ScanRejected(ScanProblem::NotABooking)),
        vec![]
    );
    assert_eq!(*v.flow.screen(), Screen::Services);
}

#[test]
fn warning_is_never_shorter_than_twenty_seconds() {
    let t = Timings::new(Duration::from_secs(60), Duration::from_secs(5));
    assert_eq!(t.warning, Duration::from_secs(20));
}

#[test]
fn inactivity_warns_then_continue_keeps_the_session() {
    let mut v = Visit::new();
    v.send(Event::Language(Lang::Tr));
    v.send(Event::StartCheckIn);
    v.type_text("1001");
    v.wait(59);
    assert_eq!(v.flow.warning_seconds(), None);
    v.wait(1);
    assert_eq!(v.flow.warning_seconds(), Some(30));
    v.wait(10);
    assert_eq!(v.flow.warning_seconds(), Some(20));
    v.send(Event::Continue);
    assert_eq!(v.flow.warning_seconds(), None);
    v.wait(59);
    assert_eq!(v.flow.warning_seconds(), None);
    assert!(matches!(v.flow.screen(), Screen::CheckIn(e) if e.booking == "1001"));
    assert_eq!(v.flow.prefs().lang, Lang::Tr);
}

#[test]
fn timeout_wipes_canary_data_and_restores_the_default_language() {
    const CANARY_BOOKING: &str = "9876543210";
    const CANARY_CODE: &str = "QX7ZK";
    let mut v = Visit::new();
    v.send(Event::Language(Lang::Ar));
    v.send(Event::ToggleLargeText);
    v.send(Event::Help);
    v.send(Event::StartCheckIn);
    v.type_text(CANARY_BOOKING);
    v.type_text(CANARY_CODE);
    assert!(format!("{:?}", v.flow).contains(CANARY_BOOKING));
    v.wait(60);
    assert!(v.flow.warning_seconds().is_some());
    let commands = v.wait(30);
    assert_eq!(commands, vec![Command::SessionEnded]);
    let state = format!("{:?}", v.flow);
    assert!(
        !state.contains(CANARY_BOOKING),
        "booking number left: {state}"
    );
    assert!(!state.contains(CANARY_CODE), "code left: {state}");
    assert_eq!(*v.flow.screen(), Screen::Start);
    assert_eq!(v.flow.prefs(), Prefs::default());
    assert!(!v.flow.help_requested());
    assert_eq!(v.flow.warning_seconds(), None);
}

#[test]
fn untouched_start_screen_never_warns() {
    let mut v = Visit::new();
    v.wait(600);
    assert_eq!(v.flow.warning_seconds(), None);
}

#[test]
fn help_alerts_the_desk_once_per_session() {
    let mut v = Visit::new();
    assert_eq!(v.send(Event::Help), vec![Command::RequestHelp]);
    assert_eq!(v.send(Event::Help), vec![]);
    assert!(v.flow.help_requested());
    assert_eq!(v.send(Event::Home), vec![Command::SessionEnded]);
    assert!(!v.flow.help_requested());
}

#[test]
fn locked_terminal_takes_no_visitors_until_unlocked() {
    let mut v = Visit::new();
    v.send(Event::StartCheckIn);
    v.send(Event::Locked(Some("printer missing".into())));
    assert_eq!(
        *v.flow.screen(),
        Screen::OutOfService(OutOfService::locked("printer missing"))
    );
    assert_eq!(v.send(Event::StartWalkIn), vec![]);
    assert_eq!(v.send(Event::Locked(None)), vec![Command::LoadServices]);
    assert_eq!(*v.flow.screen(), Screen::Start);
}

fn printer(working: bool) -> Event {
    Event::RequiredDevice {
        device: Device::TicketPrinter,
        working,
    }
}

#[test]
fn a_missing_required_device_takes_an_idle_terminal_out_of_service_and_back() {
    let mut v = Visit::new();
    assert_eq!(v.send(printer(false)), vec![]);
    assert_eq!(
        *v.flow.screen(),
        Screen::OutOfService(OutOfService {
            lock: None,
            missing: vec![Device::TicketPrinter]
        })
    );
    assert_eq!(v.send(Event::StartWalkIn), vec![], "no visitors now");
    assert_eq!(v.send(printer(true)), vec![Command::LoadServices]);
    assert_eq!(*v.flow.screen(), Screen::Start);
}

#[test]
fn a_device_lost_during_a_visit_waits_until_the_visitor_has_left() {
    let mut v = Visit::new();
    v.send(Event::StartCheckIn);
    v.type_text("100123");
    v.send(printer(false));
    assert!(
        matches!(v.flow.screen(), Screen::CheckIn(e) if e.booking == "100123"),
        "the visitor is not thrown out"
    );
    assert_eq!(v.send(Event::Home), vec![Command::SessionEnded]);
    assert!(matches!(v.flow.screen(), Screen::OutOfService(_)));
}

#[test]
fn unlocking_keeps_the_terminal_out_of_service_while_a_device_is_missing() {
    let mut v = Visit::new();
    v.send(Event::Locked(Some("Wartung".into())));
    v.send(Event::RequiredDevice {
        device: Device::CodeScanner,
        working: false,
    });
    assert_eq!(
        *v.flow.screen(),
        Screen::OutOfService(OutOfService {
            lock: Some("Wartung".into()),
            missing: vec![Device::CodeScanner]
        })
    );
    assert_eq!(v.send(Event::Locked(None)), vec![]);
    assert_eq!(
        *v.flow.screen(),
        Screen::OutOfService(OutOfService {
            lock: None,
            missing: vec![Device::CodeScanner]
        })
    );
    v.send(Event::RequiredDevice {
        device: Device::CodeScanner,
        working: true,
    });
    assert_eq!(*v.flow.screen(), Screen::Start);
}
