//! Whole visits against the real back office (HTTPS, client certificate, demo data) with the
//! simulated printer: every check-in outcome, walk-ins, a full quota, a printer out of paper,
//! and a visit in Arabic.

use devices::sim::Fault;
use kiosk::flow::{
    Availability, CheckInOutcome, Lang, PrintFault, PrintState, Screen, WalkInOutcome,
};
use slint::ComponentHandle;

use crate::harness::{Kiosk, RealBackOffice};

fn printed_number(screen: &Screen) -> String {
    match screen {
        Screen::Ticket {
            ticket,
            print: PrintState::Printed,
            ..
        } => ticket.number.clone(),
        other => panic!("expected a printed ticket, got {other:?}"),
    }
}

#[test]
fn check_in_prints_the_ticket_and_a_second_check_in_reprints_the_same_number() {
    let bo = RealBackOffice::start();
    let k = Kiosk::start(bo.client());
    k.scan(&bo.booking(0));
    let number = printed_number(&k.screen());
    assert!(
        number.starts_with('T'),
        "appointments have their own prefix: {number}"
    );
    assert!(k.shows("Bitte nehmen Sie Ihre Wartemarke."));
    let paper = k.printer.printed();
    assert_eq!(paper.len(), 1);
    assert!(
        paper[0].lines.iter().any(|l| l.contains(&number)),
        "{:?}",
        paper[0].lines
    );
    assert!(paper[0].cut);
    assert_eq!(
        std::fs::read_dir(k.tickets.path()).unwrap().count(),
        1,
        "one PNG per ticket"
    );

    k.touch("Neu beginnen");
    k.scan(&bo.booking(0));
    assert!(matches!(k.screen(), Screen::Ticket { reprint: true, .. }));
    assert_eq!(
        printed_number(&k.screen()),
        number,
        "the same ticket, never a second one"
    );
    assert!(k.shows("Ihre Nummer"));
}

#[test]
fn typed_check_in_with_a_wrong_code_says_so_and_counts_down_attempts() {
    let bo = RealBackOffice::start();
    let k = Kiosk::start(bo.client());
    let booking = bo.booking(0);
    let number = booking.split(':').nth(1).unwrap();
    k.touch("Ich habe einen Termin");
    k.type_keys(number);
    k.touch("Weiter: der Code");
    k.type_keys("ZZZZZ");
    k.touch("Anmelden");
    assert!(
        matches!(k.screen(), Screen::CheckInProblem(CheckInOutcome::WrongCode { attempts_left: Some(n) }) if n > 0),
        "{:?}",
        k.screen()
    );
    assert!(k.shows("Der Code passt nicht"));
    k.touch("Erneut versuchen");
    assert!(matches!(k.screen(), Screen::CheckIn(_)));
}

#[test]
fn too_early_too_late_and_wrong_office_each_get_their_screen() {
    let bo = RealBackOffice::start();
    let k = Kiosk::start(bo.client());
    k.scan(&bo.booking(90));
    assert!(matches!(
        k.screen(),
        Screen::CheckInProblem(CheckInOutcome::TooEarly {
            check_in_from: Some(_)
        })
    ));
    assert!(k.shows("Sie sind zu früh"));

    k.touch("Neu beginnen");
    k.scan(&bo.other_office_booking());
    assert!(
        matches!(k.screen(), Screen::CheckInProblem(CheckInOutcome::WrongOffice { ref name, .. }) if name == "Bürgeramt Dudweiler")
    );

    k.touch("Neu beginnen");
    k.scan(&bo.booking(-60));
    assert!(matches!(
        k.screen(),
        Screen::CheckInProblem(CheckInOutcome::TooLate {
            walk_in_service_id: Some(_)
        })
    ));
    assert!(k.shows("Ihre Terminzeit ist vorbei"));
    k.touch("Nummer ziehen");
    let number = printed_number(&k.screen());
    assert!(
        !number.starts_with('T'),
        "a walk-in number instead: {number}"
    );
}

#[test]
fn walk_in_by_touch_prints_a_number_for_the_chosen_service() {
    let bo = RealBackOffice::start();
    let k = Kiosk::start(bo.client());
    k.touch("Nummer ziehen");
    assert_eq!(k.screen(), Screen::Services);
    k.touch("Wohnsitz anmelden oder ummelden");
    let number = printed_number(&k.screen());
    assert!(number.starts_with('B'), "registration is group B: {number}");
    assert!(
        k.shows("Wartebereich 2, Erdgeschoss")
            || k.app
                .window()
                .global::<layouts::TicketAdapter>()
                .get_waiting_area()
                == "Wartebereich 2, Erdgeschoss"
    );
}

#[test]
fn full_quota_is_refused_with_the_next_opening() {
    let bo = RealBackOffice::start();
    let client = bo.client();
    for _ in 0..30 {
        let r = bo
            .runtime
            .block_on(client.walk_in("fuehrungszeugnis"))
            .unwrap();
        assert!(matches!(r, WalkInOutcome::Issued(_)));
    }
    let k = Kiosk::start(bo.client());
    k.touch("Nummer ziehen");
    k.touch("Führungszeugnis");
    assert!(
        matches!(
            k.screen(),
            Screen::WalkInRefused {
                availability: Availability::QuotaExhausted { .. },
                ..
            }
        ),
        "{:?}",
        k.screen()
    );
    assert!(k.printer.printed().is_empty());
}

#[test]
fn printer_out_of_paper_shows_the_number_to_note() {
    let bo = RealBackOffice::start();
    let k = Kiosk::start(bo.client());
    k.printer.inject(Fault::PaperOutAfter(40));
    k.touch("Nummer ziehen");
    k.touch("Personalausweis beantragen");
    assert!(
        matches!(
            k.screen(),
            Screen::Ticket {
                print: PrintState::Failed(PrintFault::PaperOut),
                ..
            }
        ),
        "{:?}",
        k.screen()
    );
    assert!(k.shows("Ihre Nummer"));
    assert!(
        k.app
            .window()
            .global::<layouts::TicketAdapter>()
            .get_print_state()
            == 2
    );
}

#[test]
fn arabic_visit_mirrors_the_layout_and_shows_arabic_service_names() {
    let bo = RealBackOffice::start();
    let k = Kiosk::start(bo.client());
    k.touch("العربية");
    assert_eq!(k.app.flow().prefs().lang, Lang::Ar);
    assert!(k.app.window().global::<layouts::Theme>().get_rtl());
    assert!(k.shows("خذ رقمًا"), "the start screen speaks Arabic");
    assert!(
        k.app.window().get_spoken().contains("أهلًا وسهلًا"),
        "spoken guidance reads the Arabic texts"
    );
    k.touch("خذ رقمًا");
    k.touch("طلب بطاقة هوية");
    assert!(matches!(
        k.screen(),
        Screen::Ticket {
            print: PrintState::Printed,
            ..
        }
    ));
    assert!(k.shows("رقمك"));
    k.touch("البدء من جديد");
    assert_eq!(
        k.app.flow().prefs().lang,
        Lang::De,
        "a new visitor starts in German"
    );
    assert!(!k.app.window().global::<layouts::Theme>().get_rtl());
    assert!(k.shows("Nummer ziehen"));
}
