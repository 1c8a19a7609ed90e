//! The transitions of the visitor flow for input and I/O results (the clock and the session
//! end are handled in `mod.rs`).

use std::time::Instant;

use super::entry::{CheckInEntry, ScanProblem, parse_scan};
use super::{
    Availability, CheckInOutcome, Command, Event, Flow, Pending, PrintState, Screen, TicketInfo,
    WalkInOutcome,
};

/// Applies an input or result event to the flow.
pub(super) fn apply(flow: &mut Flow, event: Event, now: Instant) -> Vec<Command> {
    match event {
        Event::Locked(lock) => {
            let interrupt = lock.is_some();
            flow.service.lock = lock;
            return flow.service_changed(interrupt);
        }
        Event::RequiredDevice { device, working } => {
            let missing = &mut flow.service.missing;
            missing.retain(|d| *d != device);
            if !working {
                missing.push(device);
                missing.sort();
            }
            return flow.service_changed(false);
        }
        _ => {}
    }
    if let Screen::OutOfService(_) = flow.screen {
        return match event {
            Event::Help => help(flow),
            Event::ServicesLoaded(Ok(tree)) => {
                flow.services = Some(tree);
                vec![]
            }
            _ => vec![],
        };
    }
    match event {
        Event::Language(lang) => flow.prefs.lang = lang,
        Event::ToggleLargeText => flow.prefs.large_text = !flow.prefs.large_text,
        Event::ToggleHighContrast => flow.prefs.high_contrast = !flow.prefs.high_contrast,
        Event::ToggleLowLayout => flow.prefs.low_layout = !flow.prefs.low_layout,
        Event::ToggleSpeech => flow.prefs.speech = !flow.prefs.speech,
        Event::Help => return help(flow),
        Event::DismissHelp => flow.help = false,
        Event::StartCheckIn
            if matches!(
                flow.screen,
                Screen::Start | Screen::CheckInProblem(_) | Screen::Unreachable(_)
            ) =>
        {
            flow.screen = Screen::CheckIn(CheckInEntry::default());
        }
        Event::StartWalkIn
            if matches!(
                flow.screen,
                Screen::Start | Screen::WalkInRefused { .. } | Screen::Unreachable(_)
            ) =>
        {
            return if flow.services.is_some() {
                flow.screen = Screen::Services;
                vec![Command::LoadServices]
            } else {
                flow.screen = Screen::Progress(Pending::Services);
                vec![Command::LoadServices]
            };
        }
        Event::SelectField(field) => {
            if let Screen::CheckIn(entry) = &mut flow.screen {
                entry.field = field;
            }
        }
        Event::Key(key) => {
            if let Screen::CheckIn(entry) = &mut flow.screen {
                entry.key(key);
            }
        }
        Event::SubmitCheckIn => return submit(flow, None),
        Event::Scanned(payload) => {
            return scanned(flow, parse_scan(&payload).ok_or(ScanProblem::NotABooking));
        }
        Event::ScanRejected(problem) => return scanned(flow, Err(problem)),
        Event::ChooseService(id) if flow.screen == Screen::Services => {
            let open = flow
                .services
                .as_ref()
                .and_then(|t| t.service(&id))
                .map(|s| s.availability.clone());
            match open {
                Some(Availability::Open) | None => {
                    flow.screen = Screen::Progress(Pending::WalkIn);
                    return vec![Command::WalkIn { service_id: id }];
                }
                Some(availability) => {
                    flow.screen = Screen::WalkInRefused {
                        service_id: id,
                        availability,
                    };
                }
            }
        }
        Event::WalkInInstead => {
            if let Screen::CheckInProblem(CheckInOutcome::TooLate {
                walk_in_service_id: Some(id),
            }) = &flow.screen
            {
                let service_id = id.clone();
                flow.screen = Screen::Progress(Pending::WalkIn);
                return vec![Command::WalkIn { service_id }];
            }
        }
        Event::ServicesLoaded(result) => match result {
            Ok(tree) => {
                flow.services = Some(tree);
                if flow.screen == Screen::Progress(Pending::Services) {
                    flow.screen = Screen::Services;
                }
            }
            Err(why) if flow.screen == Screen::Progress(Pending::Services) => {
                flow.screen = Screen::Unreachable(why);
            }
            Err(_) => {}
        },
        Event::CheckInAnswered(result) if flow.screen == Screen::Progress(Pending::CheckIn) => {
            return match result {
                Ok(CheckInOutcome::CheckedIn(ticket)) => show_ticket(flow, ticket, false),
                Ok(CheckInOutcome::AlreadyCheckedIn(ticket)) => show_ticket(flow, ticket, true),
                Ok(problem) => {
                    flow.screen = Screen::CheckInProblem(problem);
                    vec![]
                }
                Err(why) => {
                    flow.screen = Screen::Unreachable(why);
                    vec![]
                }
            };
        }
        Event::WalkInAnswered(result) if flow.screen == Screen::Progress(Pending::WalkIn) => {
            return match result {
                Ok(WalkInOutcome::Issued(ticket)) => show_ticket(flow, ticket, false),
                Ok(WalkInOutcome::Refused(availability)) => {
                    flow.screen = Screen::WalkInRefused {
                        service_id: String::new(),
                        availability,
                    };
                    vec![Command::LoadServices]
                }
                Err(why) => {
                    flow.screen = Screen::Unreachable(why);
                    vec![]
                }
            };
        }
        Event::Printed(result) => {
            if let Screen::Ticket { print, until, .. } = &mut flow.screen
                && *print == PrintState::Printing
            {
                let shown = match result {
                    Ok(()) => {
                        *print = PrintState::Printed;
                        flow.timings.ticket_shown
                    }
                    Err(fault) => {
                        *print = PrintState::Failed(fault);
                        flow.timings.note_shown
                    }
                };
                *until = Some(now + shown);
            }
        }
        _ => {}
    }
    vec![]
}

fn help(flow: &mut Flow) -> Vec<Command> {
    if flow.help {
        return vec![];
    }
    flow.help = true;
    vec![Command::RequestHelp]
}

/// A scan counts only where a booking code is expected: on the check-in screen, and — for a
/// booking confirmation — on the start screen and after a check-in problem. On the check-in
/// screen a scan that cannot be used says so and keeps what was typed; everywhere else it is
/// ignored (logged without its content).
fn scanned(flow: &mut Flow, scan: Result<CheckInEntry, ScanProblem>) -> Vec<Command> {
    match (scan, &mut flow.screen) {
        (Ok(entry), Screen::Start | Screen::CheckIn(_) | Screen::CheckInProblem(_)) => {
            submit(flow, Some(entry))
        }
        (Err(problem), Screen::CheckIn(entry)) => {
            tracing::info!(?problem, "scan not usable for a check-in");
            entry.notice = Some(problem);
            vec![]
        }
        (scan, screen) => {
            tracing::info!(
                screen = screen.name(),
                usable = scan.is_ok(),
                "scan ignored: no scan expected here"
            );
            vec![]
        }
    }
}

/// Sends the typed (or scanned) booking to the back office if it is complete.
fn submit(flow: &mut Flow, scanned: Option<CheckInEntry>) -> Vec<Command> {
    let entry = match (scanned, &mut flow.screen) {
        (Some(entry), _) => entry,
        (None, Screen::CheckIn(entry)) if entry.complete() => std::mem::take(entry),
        _ => return vec![],
    };
    if let Screen::CheckIn(old) = &mut flow.screen {
        old.wipe();
    }
    flow.screen = Screen::Progress(Pending::CheckIn);
    vec![Command::CheckIn {
        booking: entry.booking,
        code: entry.code,
    }]
}

fn show_ticket(flow: &mut Flow, ticket: TicketInfo, reprint: bool) -> Vec<Command> {
    flow.screen = Screen::Ticket {
        ticket: ticket.clone(),
        print: PrintState::Printing,
        reprint,
        until: None,
    };
    vec![Command::Print {
        ticket,
        lang: flow.prefs.lang,
    }]
}
