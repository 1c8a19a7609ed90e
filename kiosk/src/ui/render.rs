//! Writes the flow's state into the Slint adapter globals. Screens that are not showing get
//! empty models, so nothing of a visitor lingers in the UI after the session ends.

use std::rc::Rc;

use layouts::{
    CheckInAdapter, DemoCode, Language, OutOfServiceAdapter, Problem, ProblemAdapter,
    ProgressAdapter, RefusedAdapter, ScanNotice, Screen as UiScreen, ServiceRow, ServiceState,
    ServicesAdapter, Session, StartAdapter, Theme, TicketAdapter, Waiting,
};
use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use super::App;
use crate::flow::{
    Availability, CheckInOutcome, Device, Field, Lang, OutOfService, Pending, PrintState,
    ScanProblem, Screen, ServiceTree,
};
use crate::format;

/// Sets a list through `set` only when its rows differ from `current`'s: a new model makes
/// Slint rebuild, lay out and redraw every row, which an unchanged list need not cost.
fn update<T: Clone + PartialEq + 'static>(
    current: ModelRc<T>,
    rows: Vec<T>,
    set: impl FnOnce(ModelRc<T>),
) {
    let same = current.row_count() == rows.len() && current.iter().zip(&rows).all(|(a, b)| a == *b);
    if !same {
        set(ModelRc::from(Rc::new(VecModel::from(rows))));
    }
}

fn state_of(a: &Availability) -> (ServiceState, Option<jiff::civil::DateTime>) {
    match a {
        Availability::Open => (ServiceState::Open, None),
        Availability::Closed { next_opening, .. } => (ServiceState::Closed, *next_opening),
        Availability::QuotaExhausted { next_opening } => (ServiceState::Quota, *next_opening),
        Availability::NotToday { next_opening } => (ServiceState::NotToday, *next_opening),
    }
}

fn next_text(
    next: Option<jiff::civil::DateTime>,
    now: jiff::Timestamp,
    lang: Lang,
) -> SharedString {
    let now = now.to_zoned(format::office_tz()).datetime();
    next.map(|n| format::local_when(n, now, lang))
        .unwrap_or_default()
        .into()
}

/// The service rows in one or two columns, whole groups per column, balancing the count.
fn service_columns(
    tree: Option<&ServiceTree>,
    now: jiff::Timestamp,
    lang: Lang,
    two: bool,
) -> [Vec<ServiceRow>; 2] {
    let mut columns: [Vec<ServiceRow>; 2] = [vec![], vec![]];
    let Some(tree) = tree else { return columns };
    let total: usize = tree.groups.iter().map(|g| g.services.len()).sum();
    let mut column = 0;
    for g in &tree.groups {
        if two
            && column == 0
            && !columns[0].is_empty()
            && columns[0].len() + g.services.len() > total.div_ceil(2)
        {
            column = 1;
        }
        for (i, s) in g.services.iter().enumerate() {
            let (state, next) = state_of(&s.availability);
            columns[column].push(ServiceRow {
                id: s.id.as_str().into(),
                name: s.name.get(lang).into(),
                group: g.name.get(lang).into(),
                first_in_group: i == 0,
                prefix: g.prefix.as_str().into(),
                state,
                next: next_text(next, now, lang),
            });
        }
    }
    columns
}

impl App {
    /// Redraws every adapter from the flow.
    pub(super) fn render(&self) {
        let flow = self.flow.borrow();
        let prefs = flow.prefs();
        let lang = prefs.lang;
        let w = &self.window;
        let now = self.wall_now();

        if self.applied_lang.get() != Some(lang) {
            let code = if lang == Lang::En { "" } else { lang.code() };
            if let Err(e) = slint::select_bundled_translation(code) {
                tracing::error!(error = %e, lang = lang.code(), "translation missing");
            }
            self.applied_lang.set(Some(lang));
        }

        let theme = w.global::<Theme>();
        theme.set_large_text(prefs.large_text);
        theme.set_high_contrast(prefs.high_contrast);
        theme.set_low_layout(prefs.low_layout);
        theme.set_rtl(lang.rtl());

        let session = w.global::<Session>();
        let office = flow
            .services()
            .map_or(self.office_name.as_str(), |t| t.office_name.as_str());
        session.set_office_name(office.into());
        session.set_clock(format::clock(now).into());
        session.set_date(format::today(now, lang).into());
        session.set_help_requested(flow.help_requested());
        session.set_warning_seconds(
            flow.warning_seconds()
                .map_or(0, |s| i32::try_from(s).unwrap_or(i32::MAX)),
        );
        session.set_speech(prefs.speech);
        session.set_offline(flow.offline());
        // The layout follows the panel: portrait when it is taller than wide.
        let size = w.window().size();
        session.set_portrait(size.height > size.width);

        let start = w.global::<StartAdapter>();
        let mut langs: Vec<Language> = Lang::ALL
            .iter()
            .map(|l| Language {
                code: l.code().into(),
                name: l.native_name().into(),
            })
            .collect();
        if lang.rtl() {
            langs.reverse();
        }
        update(start.get_languages(), langs, |m| start.set_languages(m));
        start.set_current_language(lang.code().into());
        start.set_demo(!self.demo.is_empty());
        let codes = self
            .demo
            .iter()
            .map(|d| DemoCode {
                label: d.label.as_str().into(),
                payload: d.payload.as_str().into(),
            })
            .collect();
        update(start.get_demo_codes(), codes, |m| start.set_demo_codes(m));

        let screen = flow.screen();
        session.set_screen(match screen {
            Screen::Start => UiScreen::Start,
            Screen::CheckIn(_) => UiScreen::CheckIn,
            Screen::Services => UiScreen::Services,
            Screen::Progress(_) => UiScreen::Progress,
            Screen::Ticket { .. } => UiScreen::Ticket,
            Screen::CheckInProblem(_) => UiScreen::Problem,
            Screen::WalkInRefused { .. } => UiScreen::Refused,
            Screen::Unreachable(_) => UiScreen::Unreachable,
            Screen::OutOfService(_) => UiScreen::OutOfService,
        });

        let check_in = w.global::<CheckInAdapter>();
        let (booking, code, field, complete, notice) = match screen {
            Screen::CheckIn(e) => (
                e.booking.as_str(),
                e.code.as_str(),
                e.field,
                e.complete(),
                e.notice,
            ),
            _ => ("", "", Field::Booking, false, None),
        };
        check_in.set_notice(match notice {
            None => ScanNotice::None,
            Some(ScanProblem::Unreadable) => ScanNotice::Unreadable,
            Some(ScanProblem::NotABooking) => ScanNotice::NotABooking,
        });
        check_in.set_booking(booking.into());
        check_in.set_code(code.into());
        check_in.set_field(i32::from(field == Field::Code));
        check_in.set_can_submit(complete);

        let [first, second] = if *screen == Screen::Services {
            service_columns(
                flow.services().map(|t| t.as_ref()),
                now,
                lang,
                size.width >= size.height,
            )
        } else {
            [vec![], vec![]]
        };
        let services = w.global::<ServicesAdapter>();
        update(services.get_first_column(), first, |m| {
            services.set_first_column(m);
        });
        update(services.get_second_column(), second, |m| {
            services.set_second_column(m);
        });

        if let Screen::Progress(p) = screen {
            w.global::<ProgressAdapter>().set_waiting(match p {
                Pending::Services => Waiting::Services,
                Pending::CheckIn => Waiting::CheckIn,
                Pending::WalkIn => Waiting::WalkIn,
            });
        }

        self.render_ticket(screen, lang);
        self.render_problem(screen, lang, now);

        if let Screen::WalkInRefused { availability, .. } = screen {
            let (state, next) = state_of(availability);
            let refused = w.global::<RefusedAdapter>();
            refused.set_state(state);
            refused.set_next(next_text(next, now, lang));
        }
        let none = OutOfService::default();
        let why = match screen {
            Screen::OutOfService(why) => why,
            _ => &none,
        };
        let out = w.global::<OutOfServiceAdapter>();
        out.set_reason(why.lock.as_deref().unwrap_or_default().into());
        out.set_printer_missing(why.missing.contains(&Device::TicketPrinter));
        out.set_scanner_missing(why.missing.contains(&Device::CodeScanner));
    }

    fn render_ticket(&self, screen: &Screen, lang: Lang) {
        let t = self.window.global::<TicketAdapter>();
        let Screen::Ticket {
            ticket,
            print,
            reprint,
            ..
        } = screen
        else {
            t.set_number("".into());
            t.set_service("".into());
            t.set_waiting_area("".into());
            t.set_appointment("".into());
            return;
        };
        t.set_number(ticket.number.as_str().into());
        t.set_service(ticket.service.get(lang).into());
        t.set_waiting_area(ticket.waiting_area.get(lang).into());
        t.set_people_ahead(i32::try_from(ticket.people_ahead).unwrap_or(i32::MAX));
        t.set_wait_low(ticket.wait_minutes.0.to_string().into());
        t.set_wait_high(ticket.wait_minutes.1.to_string().into());
        t.set_issued(format::date_time(ticket.issued_at, lang).into());
        t.set_appointment(
            ticket
                .appointment_at
                .map(format::clock)
                .unwrap_or_default()
                .into(),
        );
        t.set_print_state(match print {
            PrintState::Printing => 0,
            PrintState::Printed => 1,
            PrintState::Failed(_) => 2,
        });
        t.set_reprint(*reprint);
        t.set_offline(ticket.origin.offline());
        t.set_unconfirmed(ticket.origin == crate::flow::Origin::OfflineCheckIn);
    }

    fn render_problem(&self, screen: &Screen, lang: Lang, now: jiff::Timestamp) {
        let p = self.window.global::<ProblemAdapter>();
        let Screen::CheckInProblem(outcome) = screen else {
            p.set_when("".into());
            p.set_office_name("".into());
            p.set_office_address("".into());
            return;
        };
        let when = |t: &Option<jiff::Timestamp>| -> SharedString {
            t.map(|t| format::when(t, now, lang))
                .unwrap_or_default()
                .into()
        };
        p.set_when("".into());
        match outcome {
            CheckInOutcome::UnknownBooking => p.set_problem(Problem::UnknownBooking),
            CheckInOutcome::WrongCode { attempts_left } => {
                p.set_problem(Problem::WrongCode);
                p.set_attempts_left(attempts_left.map_or(0, |n| i32::try_from(n).unwrap_or(0)));
            }
            CheckInOutcome::Throttled { retry_at } => {
                p.set_problem(Problem::Throttled);
                p.set_when(when(retry_at));
            }
            CheckInOutcome::WrongOffice { name, address } => {
                p.set_problem(Problem::WrongOffice);
                p.set_office_name(name.as_str().into());
                p.set_office_address(address.as_str().into());
            }
            CheckInOutcome::TooEarly { check_in_from } => {
                p.set_problem(Problem::TooEarly);
                p.set_when(when(check_in_from));
            }
            CheckInOutcome::TooLate { walk_in_service_id } => {
                p.set_problem(Problem::TooLate);
                p.set_walk_in_offered(walk_in_service_id.is_some());
            }
            CheckInOutcome::CheckedIn(_) | CheckInOutcome::AlreadyCheckedIn(_) => {}
        }
    }
}
