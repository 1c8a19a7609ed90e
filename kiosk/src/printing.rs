//! Printing the visitor's ticket through `devices`: the domain ticket for paper, the printer
//! behind a trait (real USB or the simulator), and printer faults mapped to what the flow shows.

use std::path::PathBuf;
use std::sync::Arc;

use devices::escpos::render::{PaperWidth, render_ticket_full};
use devices::escpos::textraster::{DEFAULT_FONT, TextRasterizer};
use devices::health::DeviceState;
use devices::printer::{Connector, FailReason, PrintError, PrinterLink, PrinterProblem, Timeouts};
use devices::sim::SimPrinter;
use devices::ticket::{Ticket, TicketLabels, WaitRange};
use devices::usb::UsbTransport;
use visitor_texts::paper;

use crate::flow::{Lang, Origin, PrintFault, TicketInfo};
use crate::format;

/// A ticket printer as the controller uses it. Blocking: call it off the UI thread.
pub trait TicketOutput: Send {
    /// Prints one ticket; `Ok` only when the printer confirmed it.
    fn print(&mut self, ticket: &Ticket) -> Result<(), PrintFault>;
    /// The printer's state now (for the heartbeat).
    fn state(&mut self) -> DeviceState;
}

/// A printer link, and optionally a folder where each ticket is also written as a PNG
/// (demo mode and tests: what came out of the simulated printer).
pub struct LinkOutput<C: Connector> {
    link: PrinterLink<C>,
    paper: PaperWidth,
    png_dir: Option<PathBuf>,
    /// The printer's raster-text font, for the PNG copies.
    text_font: Option<Arc<TextRasterizer>>,
    printed: u32,
}

/// The font for text the printer's code page lacks (Turkish ş ı ğ, the service names of other
/// scripts); without it such letters print as `?`.
fn text_font() -> Option<Arc<TextRasterizer>> {
    match TextRasterizer::load(std::path::Path::new(DEFAULT_FONT)) {
        Ok(font) => Some(Arc::new(font)),
        Err(e) => {
            tracing::warn!(error = %e, font = DEFAULT_FONT, "letters outside the printer's code page will print as ?");
            None
        }
    }
}

impl<C: Connector> LinkOutput<C> {
    /// Prints through `connector`.
    pub fn new(connector: C, paper: PaperWidth, png_dir: Option<PathBuf>) -> Self {
        let text_font = text_font();
        let mut link = PrinterLink::new(connector, paper, Timeouts::default());
        if let Some(font) = &text_font {
            link = link.with_text_font(Arc::clone(font));
        }
        Self {
            link,
            paper,
            text_font,
            png_dir,
            printed: 0,
        }
    }

    fn write_png(&mut self, ticket: &Ticket) {
        let Some(dir) = &self.png_dir else { return };
        // The same ESC/POS bytes through a fresh simulator: one PNG per ticket.
        let png = render_ticket_full(
            ticket,
            self.paper,
            devices::escpos::codepage::PC858_TABLE,
            self.text_font.as_deref(),
        )
        .ok()
        .and_then(|job| {
            let sim = SimPrinter::new(self.paper);
            let mut t = sim.open().ok()?;
            t.write_bulk(&job.bytes, std::time::Duration::from_secs(5))
                .ok()?;
            sim.png().ok()
        });
        self.printed += 1;
        let path = dir.join(format!("ticket-{:04}-{}.png", self.printed, ticket.number));
        match png
            .map(|bytes| std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, bytes)))
        {
            Some(Ok(())) => {
                tracing::info!(path = %path.display(), "simulated printer wrote the ticket")
            }
            Some(Err(e)) => {
                tracing::warn!(error = %e, path = %path.display(), "cannot write ticket PNG")
            }
            None => tracing::warn!("cannot render ticket PNG"),
        }
    }
}

fn fault(problem: PrinterProblem) -> PrintFault {
    match problem {
        PrinterProblem::PaperOut => PrintFault::PaperOut,
        PrinterProblem::CoverOpen => PrintFault::CoverOpen,
        PrinterProblem::Error | PrinterProblem::Offline => PrintFault::Failed,
    }
}

/// What the visitor is told about a failed job.
pub fn print_fault(e: &PrintError) -> PrintFault {
    match e {
        e if e.is_disconnect() => PrintFault::Absent,
        PrintError::NotReady { problem, .. } => fault(*problem),
        PrintError::Failed {
            reason: FailReason::Printer(problem),
            ..
        } => fault(*problem),
        PrintError::Failed {
            reason: FailReason::Unplugged,
            ..
        } => PrintFault::Absent,
        _ => PrintFault::Failed,
    }
}

impl<C: Connector> TicketOutput for LinkOutput<C> {
    fn print(&mut self, ticket: &Ticket) -> Result<(), PrintFault> {
        match self.link.print(ticket) {
            Ok(_) => {
                self.write_png(ticket);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "ticket not printed");
                Err(print_fault(&e))
            }
        }
    }

    fn state(&mut self) -> DeviceState {
        self.link.poll();
        self.link.state().unwrap_or(DeviceState::Absent)
    }
}

/// The language of the paper ticket: the visitor's, printed in the code page or as raster
/// text; Arabic visitors get the German texts on paper (raster text is not shaped for Arabic
/// script; the screen shows their language).
fn paper_lang(lang: Lang) -> Lang {
    match lang {
        Lang::Ar => Lang::De,
        other => other,
    }
}

/// A label followed by a colon, as the language writes it.
fn with_colon(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Fr => format!("{text} :"),
        _ => format!("{text}:"),
    }
}

/// The ticket's labels in `lang`, from the catalogs the screens use.
fn labels(lang: Lang) -> TicketLabels {
    let tr = |english| visitor_texts::translate(lang.code(), english);
    TicketLabels {
        your_number: tr(paper::YOUR_NUMBER).into(),
        waiting_area: with_colon(lang, tr(paper::WAIT_IN)),
        people_ahead: with_colon(lang, tr(paper::PEOPLE_AHEAD)),
        wait: with_colon(lang, tr(paper::ESTIMATED_WAIT)),
        qr_hint: tr(paper::QR_HINT).into(),
        minutes: tr(paper::MINUTES).into(),
    }
}

/// What an offline check-in's ticket says instead of the service, and its note.
fn unconfirmed_appointment(lang: Lang) -> (&'static str, &'static str) {
    let tr = |english| visitor_texts::translate(lang.code(), english);
    (tr(paper::APPOINTMENT), tr(paper::CONFIRMED_AT_COUNTER))
}

/// The paper ticket for `info` in the visitor's language (as far as the code page allows).
pub fn paper_ticket(info: &TicketInfo, lang: Lang) -> Ticket {
    let lang = paper_lang(lang);
    let (low, high) = info.wait_minutes;
    let offline = info.origin.offline();
    let (service, note) = if info.origin == Origin::OfflineCheckIn {
        let (service, note) = unconfirmed_appointment(lang);
        (service.to_owned(), Some(note.to_owned()))
    } else {
        (info.service.get(lang).to_owned(), None)
    };
    Ticket {
        office: info.office_name.clone(),
        number: info.number.clone(),
        service,
        waiting_area: info.waiting_area.get(lang).to_owned(),
        // Offline nobody knows the queue: no "0 people ahead", no "0–0 min".
        people_ahead: (!offline).then_some(info.people_ahead),
        wait: (!offline)
            .then(|| WaitRange::new(low.min(high), high.max(low)).ok())
            .flatten(),
        issued_at: format::date_time(info.issued_at, lang),
        // Offline tickets have no live page yet: the QR code repeats the number.
        qr_payload: if info.status_url.is_empty() {
            info.number.clone()
        } else {
            info.status_url.clone()
        },
        note,
        logo: None,
        labels: labels(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Localized;

    fn turkish_ticket() -> TicketInfo {
        TicketInfo {
            number: "A017".into(),
            origin: Origin::WalkIn,
            office_name: "Bürgeramt Saarbrücken-Mitte".into(),
            service_id: "anmeldung".into(),
            service: Localized::same("İkamet kaydı"),
            waiting_area: Localized::same("Bekleme alanı 1"),
            people_ahead: 4,
            wait_minutes: (20, 35),
            issued_at: jiff::Timestamp::now(),
            appointment_at: None,
            status_url: "https://termine.example/t/7K2M9X".into(),
        }
    }

    /// The text lines the simulated printer put on paper for `ticket` (raster lines are images).
    fn printed_lines(ticket: &Ticket) -> Vec<String> {
        let printer = SimPrinter::new(PaperWidth::Mm80);
        let mut out = LinkOutput::new(printer.clone(), PaperWidth::Mm80, None);
        out.print(ticket).expect("printed");
        printer.printed().pop().expect("a ticket").lines
    }

    #[test]
    fn ukrainian_visitors_get_ukrainian_labels_and_arabic_visitors_german_ones() {
        let ticket = turkish_ticket();
        assert_eq!(
            paper_ticket(&ticket, Lang::Uk).labels.your_number,
            "Ваш номер"
        );
        let german = paper_ticket(&ticket, Lang::Ar).labels;
        assert_eq!(german, paper_ticket(&ticket, Lang::De).labels);
        assert_eq!(german.people_ahead, "Personen vor Ihnen:");
        assert_eq!(
            paper_ticket(&ticket, Lang::Fr).labels.waiting_area,
            "Veuillez attendre dans :"
        );
        let lines = printed_lines(&paper_ticket(&ticket, Lang::Uk));
        assert!(
            !lines.iter().any(|l| l.contains('?')),
            "Cyrillic comes out as raster lines, not as ?: {lines:?}"
        );
    }

    #[test]
    fn turkish_letters_outside_the_code_page_are_printed_not_replaced_by_question_marks() {
        let lines = printed_lines(&paper_ticket(&turkish_ticket(), Lang::Tr));
        assert!(
            lines.iter().any(|l| l.contains("A017")),
            "the number is text: {lines:?}"
        );
        assert!(
            !lines.iter().any(|l| l.contains('?')),
            "ş, ı and İ come out as letters (raster lines), not as ?: {lines:?}"
        );
    }
}
