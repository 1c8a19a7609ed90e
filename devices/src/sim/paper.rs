//! The simulated print engine: executes parsed commands onto a growing strip of thermal paper
//! (1 bit per dot), keeps a text log of every ticket, and writes the strip out as a PNG.

use super::font::{CELL_H, CELL_W, Glyphs};
use super::parser::Command;
use crate::escpos::codepage;
use qrcode::{EcLevel, QrCode};
use thiserror::Error;

/// Default line spacing, 1/6 inch in 1/180 inch motion units.
const DEFAULT_SPACING: usize = 30;
/// Distance from the print line to the cutter, fed before every cut.
const CUTTER_FEED: usize = 60;
/// Paper kept for the PNG, in dots (about 16 tickets): older tickets are torn off, so a demo
/// terminal can print all day without its memory growing.
const KEEP_DOTS: usize = 12_000;
/// Printed tickets kept in the text log.
const KEEP_TICKETS: usize = 200;

/// A valid command the engine cannot carry out where it stands.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ExecError {
    /// `GS ( k` print without stored data.
    #[error("QR print requested but no symbol data was stored")]
    QrEmpty,
    /// Data the QR encoder refuses.
    #[error("QR data cannot be encoded: {0}")]
    QrEncode(String),
    /// Only model 2 is rendered.
    #[error("QR model 1 is obsolete and not rendered by the simulator")]
    QrModel1,
    /// An image wider than the print area.
    #[error("{what} is {width} dots wide but the print area is {paper} dots")]
    TooWide {
        /// QR code or raster image.
        what: &'static str,
        /// Its width.
        width: usize,
        /// The print area.
        paper: usize,
    },
    /// A graphics or cut command with text still waiting in the line buffer.
    #[error("{0} sent in the middle of a text line")]
    NotAtLineStart(&'static str),
}

/// What one ticket (one stretch of paper up to a cut) says, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintedTicket {
    /// The text lines, decoded from the code page.
    pub lines: Vec<String>,
    /// Payloads of the QR codes printed.
    pub qr_payloads: Vec<Vec<u8>>,
    /// Whether the stretch ended in a cut (partial or full).
    pub cut: bool,
}

#[derive(Debug, Clone, Copy)]
struct Glyph {
    byte: u8,
    width: usize,
    height: usize,
    bold: bool,
}

#[derive(Debug)]
struct Mode {
    align: u8,
    bold: bool,
    width: usize,
    height: usize,
    spacing: usize,
    qr_module: usize,
    qr_ec: EcLevel,
    qr_model: u8,
    qr_data: Option<Vec<u8>>,
}

impl Default for Mode {
    fn default() -> Self {
        Self {
            align: 0,
            bold: false,
            width: 1,
            height: 1,
            spacing: DEFAULT_SPACING,
            qr_module: 3,
            qr_ec: EcLevel::L,
            qr_model: 2,
            qr_data: None,
        }
    }
}

/// The paper strip and the engine state.
#[derive(Debug)]
pub struct Paper {
    width: usize,
    /// One bit per dot, each row in whole 64-bit words (a thermal dot is black or white).
    dots: Vec<u64>,
    words_per_row: usize,
    cuts: Vec<(usize, bool)>,
    line: Vec<Glyph>,
    mode: Mode,
    glyphs: Glyphs,
    current: PrintedTicket,
    tickets: Vec<PrintedTicket>,
}

impl Paper {
    /// Blank paper `width` dots wide.
    pub fn new(width: usize, glyphs: Glyphs) -> Self {
        Self {
            width,
            dots: Vec::new(),
            words_per_row: width.div_ceil(64).max(1),
            cuts: Vec::new(),
            line: Vec::new(),
            mode: Mode::default(),
            glyphs,
            current: PrintedTicket::default(),
            tickets: Vec::new(),
        }
    }

    /// Dots fed so far.
    pub fn length(&self) -> usize {
        self.dots.len() / self.words_per_row
    }

    /// Tickets cut off so far, and the one still in the printer if anything is on it.
    pub fn tickets(&self) -> Vec<PrintedTicket> {
        let mut all = self.tickets.clone();
        if self.current != PrintedTicket::default() {
            all.push(self.current.clone());
        }
        all
    }

    /// Resets modes (`ESC @`, power-on): the paper and its contents stay.
    pub fn reset_modes(&mut self) {
        self.mode = Mode::default();
        self.line.clear();
    }

    /// Drops text not yet printed (the line buffer).
    pub fn clear_line(&mut self) {
        self.line.clear();
    }

    fn feed(&mut self, rows: usize) {
        self.dots
            .resize(self.dots.len() + rows * self.words_per_row, 0);
    }

    fn set(&mut self, top: usize, x: usize, y: usize) {
        if x < self.width {
            let i = (top + y) * self.words_per_row + x / 64;
            if let Some(word) = self.dots.get_mut(i) {
                *word |= 1 << (x % 64);
            }
        }
    }

    fn offset(&self, used: usize) -> usize {
        let free = self.width.saturating_sub(used);
        match self.mode.align {
            1 => free / 2,
            2 => free,
            _ => 0,
        }
    }

    /// Prints the line buffer and advances by the line height.
    fn print_line(&mut self) {
        let glyphs = std::mem::take(&mut self.line);
        let used: usize = glyphs.iter().map(|g| g.width * CELL_W).sum();
        let tallest = glyphs.iter().map(|g| g.height * CELL_H).max().unwrap_or(0);
        let advance = tallest.max(self.mode.spacing);
        let top = self.length();
        self.feed(advance);
        let mut x0 = self.offset(used);
        let mut text = String::new();
        for g in glyphs {
            let c = codepage::decode_byte(g.byte).unwrap_or('?');
            text.push(c);
            let cell = *self.glyphs.cell(c);
            let y0 = tallest - g.height * CELL_H;
            for cy in 0..CELL_H * g.height {
                for cx in 0..CELL_W * g.width {
                    let mut on = cell[(cy / g.height) * CELL_W + cx / g.width];
                    if g.bold && cx >= g.width {
                        on |= cell[(cy / g.height) * CELL_W + (cx - g.width) / g.width];
                    }
                    if on {
                        self.set(top, x0 + cx, y0 + cy);
                    }
                }
            }
            x0 += g.width * CELL_W;
        }
        self.current.lines.push(text.trim_end().to_string());
    }

    fn at_line_start(&self, what: &'static str) -> Result<(), ExecError> {
        if self.line.is_empty() {
            Ok(())
        } else {
            Err(ExecError::NotAtLineStart(what))
        }
    }

    fn bitmap(
        &mut self,
        what: &'static str,
        w: usize,
        h: usize,
        black: impl Fn(usize, usize) -> bool,
    ) -> Result<(), ExecError> {
        if w > self.width {
            return Err(ExecError::TooWide {
                what,
                width: w,
                paper: self.width,
            });
        }
        let top = self.length();
        let x0 = self.offset(w);
        self.feed(h);
        for y in 0..h {
            for x in 0..w {
                if black(x, y) {
                    self.set(top, x0 + x, y);
                }
            }
        }
        Ok(())
    }

    /// Carries out one print command (not real-time or process-ID ones). Returns the dots fed.
    pub fn execute(&mut self, cmd: &Command) -> Result<usize, ExecError> {
        let before = self.length();
        match cmd {
            Command::Char(b) => {
                let g = Glyph {
                    byte: *b,
                    width: self.mode.width,
                    height: self.mode.height,
                    bold: self.mode.bold,
                };
                let used: usize = self.line.iter().map(|g| g.width * CELL_W).sum();
                if used + g.width * CELL_W > self.width {
                    self.print_line();
                }
                self.line.push(g);
            }
            Command::LineFeed => self.print_line(),
            Command::CarriageReturn | Command::CodeTable(_) => {}
            Command::Initialize => self.reset_modes(),
            Command::Align(a) => self.mode.align = *a,
            Command::Emphasis(on) => self.mode.bold = *on,
            Command::CharSize { width, height } => {
                self.mode.width = usize::from(*width);
                self.mode.height = usize::from(*height);
            }
            Command::LineSpacing(n) => {
                self.mode.spacing = n.map_or(DEFAULT_SPACING, usize::from);
            }
            Command::FeedLines(n) => {
                if !self.line.is_empty() {
                    self.print_line();
                }
                self.feed(usize::from(*n) * self.mode.spacing);
            }
            Command::FeedDots(n) => {
                if !self.line.is_empty() {
                    self.print_line();
                }
                self.feed(usize::from(*n));
            }
            Command::QrModel(m) => self.mode.qr_model = *m,
            Command::QrModuleSize(n) => self.mode.qr_module = usize::from(*n),
            Command::QrErrorCorrection(n) => {
                self.mode.qr_ec = match n {
                    48 => EcLevel::L,
                    49 => EcLevel::M,
                    50 => EcLevel::Q,
                    _ => EcLevel::H,
                }
            }
            Command::QrStore(data) => self.mode.qr_data = Some(data.clone()),
            Command::QrPrint => self.print_qr()?,
            Command::Raster {
                mode,
                row_bytes,
                height,
                data,
            } => {
                self.at_line_start("GS v 0")?;
                let (sx, sy) = (1 + usize::from(mode & 1), 1 + usize::from(mode >> 1));
                let rb = usize::from(*row_bytes);
                let black = |x: usize, y: usize| {
                    let (x, y) = (x / sx, y / sy);
                    data.get(y * rb + x / 8)
                        .is_some_and(|b| b & (0x80 >> (x % 8)) != 0)
                };
                self.bitmap(
                    "raster image",
                    rb * 8 * sx,
                    usize::from(*height) * sy,
                    black,
                )?;
            }
            Command::Cut { partial, feed } => {
                self.at_line_start("GS V")?;
                self.feed(CUTTER_FEED + usize::from(*feed));
                self.cuts.push((self.length(), *partial));
                let mut done = std::mem::take(&mut self.current);
                done.cut = true;
                self.tickets.push(done);
            }
            Command::StatusRequest(_) | Command::ProcessId(_) => {}
            Command::ClearBuffers => self.line.clear(),
        }
        let fed = self.length() - before;
        if matches!(cmd, Command::Cut { .. }) {
            self.tear_off_old();
        }
        Ok(fed)
    }

    /// Drops the oldest tickets beyond what is kept.
    fn tear_off_old(&mut self) {
        while self.length() > KEEP_DOTS && self.cuts.len() > 1 {
            let (y, _) = self.cuts.remove(0);
            self.dots.drain(..y * self.words_per_row);
            for cut in &mut self.cuts {
                cut.0 -= y;
            }
        }
        if self.tickets.len() > KEEP_TICKETS {
            let excess = self.tickets.len() - KEEP_TICKETS;
            self.tickets.drain(..excess);
        }
    }

    fn print_qr(&mut self) -> Result<(), ExecError> {
        self.at_line_start("GS ( k print")?;
        if self.mode.qr_model != 2 {
            return Err(ExecError::QrModel1);
        }
        let data = self.mode.qr_data.clone().ok_or(ExecError::QrEmpty)?;
        let code = QrCode::with_error_correction_level(&data, self.mode.qr_ec)
            .map_err(|e| ExecError::QrEncode(e.to_string()))?;
        let n = code.width();
        let colors = code.to_colors();
        let m = self.mode.qr_module;
        self.bitmap("QR code", n * m, n * m, |x, y| {
            colors.get((y / m) * n + x / m) == Some(&qrcode::Color::Dark)
        })?;
        self.current.qr_payloads.push(data);
        Ok(())
    }

    /// The strip as a greyscale PNG: white paper with a grey margin either side, cuts drawn as
    /// dashed lines (a partial cut leaves the centre uncut).
    pub fn to_png(&self) -> Result<Vec<u8>, png::EncodingError> {
        const MARGIN: usize = 24;
        let w = self.width + 2 * MARGIN;
        let h = self.length() + 2 * MARGIN;
        let mut img = vec![0xd8u8; w * h];
        for y in 0..h {
            for x in MARGIN..MARGIN + self.width {
                img[y * w + x] = 0xff;
            }
        }
        for (y, row) in self.dots.chunks(self.words_per_row).enumerate() {
            for x in (0..self.width).filter(|x| row[x / 64] & (1 << (x % 64)) != 0) {
                img[(MARGIN + y) * w + MARGIN + x] = 0;
            }
        }
        for &(y, partial) in &self.cuts {
            let row = (MARGIN + y).min(h - 1);
            for x in 0..w {
                let in_gap = partial && x.abs_diff(w / 2) < 12;
                if (x / 8) % 2 == 0 && !in_gap {
                    img[row * w + x] = 0x60;
                }
            }
        }
        let mut out = Vec::new();
        {
            let (pw, ph) = (
                u32::try_from(w).unwrap_or(u32::MAX),
                u32::try_from(h).unwrap_or(u32::MAX),
            );
            let mut enc = png::Encoder::new(&mut out, pw, ph);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            enc.write_header()?.write_image_data(&img)?;
        }
        Ok(out)
    }
}
