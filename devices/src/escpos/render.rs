//! Lays a [`Ticket`] out for 80 mm or 58 mm paper and renders it into one ESC/POS job.

use super::textraster::TextRasterizer;
use super::{Align, BuildError, EscPos, Job, codepage};
use crate::ticket::Ticket;
use qrcode::EcLevel;
use thiserror::Error;

/// Paper roll width, which fixes the printable dots and the Font A columns (12 dots each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperWidth {
    /// 80 mm paper: 576 dots, 48 columns.
    Mm80,
    /// 58 mm paper: 384 dots, 32 columns.
    Mm58,
}

impl PaperWidth {
    /// Printable width in dots.
    pub fn dots(self) -> u16 {
        match self {
            Self::Mm80 => 576,
            Self::Mm58 => 384,
        }
    }

    /// Characters per line in Font A (12 × 24 dots) at normal size.
    pub fn columns(self) -> usize {
        usize::from(self.dots() / 12)
    }

    /// Largest QR module size used: bigger modules scan better from a phone.
    fn max_qr_module(self) -> u8 {
        match self {
            Self::Mm80 => 6,
            Self::Mm58 => 5,
        }
    }
}

/// Why a ticket cannot be rendered.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum RenderError {
    /// The display number does not fit one line at double size.
    #[error(
        "display number {number:?} is longer than the {max} characters that fit at double size"
    )]
    NumberTooLong {
        /// The number.
        number: String,
        /// Maximum length.
        max: usize,
    },
    /// The logo is wider than the paper.
    #[error("logo is {width} dots wide but the paper prints {paper} dots: scale the logo down")]
    LogoTooWide {
        /// Logo width.
        width: u16,
        /// Printable width.
        paper: u16,
    },
    /// The QR payload does not fit a symbol that fits the paper.
    #[error("QR payload of {len} bytes gives a symbol too wide for {paper} dots: shorten the link")]
    QrTooWide {
        /// Payload length.
        len: usize,
        /// Printable width.
        paper: u16,
    },
    /// The QR payload could not be encoded at all.
    #[error("QR payload cannot be encoded as a model-2 symbol at level M")]
    QrEncode(#[source] qrcode::types::QrError),
    /// A command could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// The dots per QR module for `payload`: as large as allowed while the symbol (with its
/// four-module quiet zone) takes at most three quarters of the paper width, never below 2.
pub fn qr_module_size(payload: &[u8], paper: PaperWidth) -> Result<u8, RenderError> {
    // Only the symbol size is needed: encode the data (choosing the version the way the
    // printer's firmware does) without building and masking the whole symbol.
    let bits = qrcode::bits::encode_auto(payload, EcLevel::M).map_err(RenderError::QrEncode)?;
    let width = u16::try_from(bits.version().width()).unwrap_or(u16::MAX);
    let modules = width.saturating_add(8);
    let fit = u8::try_from(paper.dots() * 3 / 4 / modules).unwrap_or(u8::MAX);
    let size = fit.min(paper.max_qr_module());
    if size < 2 {
        return Err(RenderError::QrTooWide {
            len: payload.len(),
            paper: paper.dots(),
        });
    }
    Ok(size)
}

/// Breaks `text` into lines of at most `columns` characters at spaces; longer words are split.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        let len = current.chars().count();
        if len > 0 && len + 1 + word.len() <= columns {
            current.push(' ');
            current.extend(word);
            continue;
        }
        if len > 0 {
            lines.push(std::mem::take(&mut current));
        }
        while word.len() > columns {
            lines.push(word.drain(..columns).collect());
        }
        current.extend(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Renders `ticket` for `paper` into one job: initialise, PC858 (`ESC t 19`), everything
/// centred, the number at double size, the QR code, partial cut.
pub fn render_ticket(ticket: &Ticket, paper: PaperWidth) -> Result<Job, RenderError> {
    render_ticket_with(ticket, paper, codepage::PC858_TABLE)
}

/// Same, for a printer whose `ESC t` number for PC858 is `pc858_table`.
pub fn render_ticket_with(
    ticket: &Ticket,
    paper: PaperWidth,
    pc858_table: u8,
) -> Result<Job, RenderError> {
    render_ticket_full(ticket, paper, pc858_table, None)
}

/// Writes `text` centred, wrapped to the paper: in the code page where it can, and as raster
/// lines from `raster` where the code page lacks characters and the font can draw them.
fn emit(
    p: &mut EscPos,
    text: &str,
    paper: PaperWidth,
    bold: bool,
    raster: Option<&TextRasterizer>,
) {
    let lacks = !codepage::encode(text).replaced.is_empty();
    match raster {
        Some(r) if lacks && r.can_draw(text) => {
            for l in r.wrap(text, paper.dots()) {
                p.raster(&r.line(&l, bold, paper.dots()))
                    .feed_dots(LINE_GAP);
            }
        }
        _ => {
            for l in wrap(text, paper.columns()) {
                p.line(&l);
            }
        }
    }
}

/// Dots between raster text lines, so they sit like printed text lines (30-dot spacing).
const LINE_GAP: u8 = 6;

/// Renders `ticket` as [`render_ticket_with`] does; text outside the code page is printed as
/// raster lines when a `raster` font is given (else as visible `?`).
pub fn render_ticket_full(
    ticket: &Ticket,
    paper: PaperWidth,
    pc858_table: u8,
    raster: Option<&TextRasterizer>,
) -> Result<Job, RenderError> {
    let columns = paper.columns();
    let number_chars = ticket.number.chars().count();
    if number_chars > columns / 2 {
        return Err(RenderError::NumberTooLong {
            number: ticket.number.clone(),
            max: columns / 2,
        });
    }
    let qr_module = qr_module_size(ticket.qr_payload.as_bytes(), paper)?;
    let labels = &ticket.labels;

    let mut p = EscPos::new();
    p.initialize().code_table(pc858_table).align(Align::Center);
    if let Some(logo) = &ticket.logo {
        if logo.width() > paper.dots() {
            return Err(RenderError::LogoTooWide {
                width: logo.width(),
                paper: paper.dots(),
            });
        }
        p.raster(logo).feed_lines(1);
    }
    p.emphasis(true);
    emit(&mut p, &ticket.office, paper, true, raster);
    p.emphasis(false).feed_lines(1);
    emit(&mut p, &labels.your_number, paper, false, raster);
    p.char_size(2, 2)?.line(&ticket.number).char_size(1, 1)?;
    p.feed_lines(1).emphasis(true);
    emit(&mut p, &ticket.service, paper, true, raster);
    p.emphasis(false).feed_lines(1);
    // An unknown waiting area (a ticket issued offline) prints no label either.
    if !ticket.waiting_area.is_empty() {
        emit(&mut p, &labels.waiting_area, paper, false, raster);
        emit(&mut p, &ticket.waiting_area, paper, false, raster);
        p.feed_lines(1);
    }
    if let Some(ahead) = ticket.people_ahead {
        emit(
            &mut p,
            &format!("{} {ahead}", labels.people_ahead),
            paper,
            false,
            raster,
        );
    }
    if let Some(wait) = ticket.wait {
        let (low, high) = (wait.min(), wait.max());
        let wait = format!("{} {low}–{high} {}", labels.wait, labels.minutes);
        emit(&mut p, &wait, paper, false, raster);
    }
    if let Some(note) = &ticket.note {
        p.feed_lines(1).emphasis(true);
        emit(&mut p, note, paper, true, raster);
        p.emphasis(false);
    }
    p.feed_lines(1)
        .qr(ticket.qr_payload.as_bytes(), qr_module)?
        .feed_lines(1);
    emit(&mut p, &labels.qr_hint, paper, false, raster);
    // Date and time as formatted, spacing kept.
    p.line(&ticket.issued_at).partial_cut();
    Ok(p.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_splits_long_words() {
        assert_eq!(
            wrap("Meldebescheinigung und Anmeldung", 20),
            ["Meldebescheinigung", "und Anmeldung"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn a_note_prints_and_an_unknown_waiting_area_prints_no_label() {
        let has =
            |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
        let plain = render_ticket(&Ticket::sample(), PaperWidth::Mm80).expect("renders");
        let mut t = Ticket::sample();
        t.waiting_area.clear();
        t.note = Some("Confirmed at the counter.".into());
        let noted = render_ticket(&t, PaperWidth::Mm80).expect("renders");
        assert!(has(&plain.bytes, "Bitte warten Sie in:"));
        assert!(!has(&plain.bytes, "Confirmed at the counter."));
        assert!(has(&noted.bytes, "Confirmed at the counter."));
        assert!(!has(&noted.bytes, "Bitte warten Sie in:"));
    }

    #[test]
    fn qr_modules_shrink_on_narrow_paper_and_refuse_huge_payloads() {
        let link = b"https://termine.stadt.example/q/7K2M9X";
        assert_eq!(qr_module_size(link, PaperWidth::Mm80), Ok(6));
        assert_eq!(qr_module_size(link, PaperWidth::Mm58), Ok(5));
        let huge = vec![b'x'; 1500];
        assert!(matches!(
            qr_module_size(&huge, PaperWidth::Mm58),
            Err(RenderError::QrTooWide { .. })
        ));
    }
}
