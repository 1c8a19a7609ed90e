//! ESC/POS: the byte commands of thermal receipt printers, a builder for print jobs, and the
//! renderer that turns a [`Ticket`](crate::ticket::Ticket) into one job.

pub mod codepage;
pub mod render;
pub mod textraster;

use crate::ticket::Raster;
use thiserror::Error;

/// Escape.
pub const ESC: u8 = 0x1b;
/// Group separator, the prefix of most graphics commands.
pub const GS: u8 = 0x1d;
/// Data link escape, the prefix of real-time commands.
pub const DLE: u8 = 0x10;
/// End of transmission (`DLE EOT n` is the real-time status request).
pub const EOT: u8 = 0x04;
/// Device control 4, the prefix of real-time control requests.
pub const DC4: u8 = 0x14;
/// Print and line feed.
pub const LF: u8 = 0x0a;
/// Carriage return (ignored by USB printers in their default setting).
pub const CR: u8 = 0x0d;

/// `GS ( k` QR function arguments (cn = 49 is the QR code symbol).
pub mod qr {
    /// Symbol type QR code.
    pub const CN: u8 = 49;
    /// Function 165: select the model.
    pub const FN_MODEL: u8 = 65;
    /// Function 167: module size in dots.
    pub const FN_SIZE: u8 = 67;
    /// Function 169: error correction level.
    pub const FN_EC: u8 = 69;
    /// Function 180: store data in the symbol storage area.
    pub const FN_STORE: u8 = 80;
    /// Function 181: print the stored symbol.
    pub const FN_PRINT: u8 = 81;
    /// Model 2 (the model phones read).
    pub const MODEL_2: u8 = 50;
    /// Error correction level M (15 %).
    pub const EC_M: u8 = 49;
    /// Longest byte payload a model-2 symbol holds at level M.
    pub const MAX_PAYLOAD_M: usize = 2331;
}

/// Horizontal alignment (`ESC a n`), effective at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left = 0,
    /// Centred.
    Center = 1,
    /// Flush right.
    Right = 2,
}

/// One complete print job: the bytes sent in one go, and what could not be printed exactly.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Job {
    /// The ESC/POS byte stream.
    pub bytes: Vec<u8>,
    /// Characters the code page lacks; each was printed as a visible `?`.
    pub replaced: Vec<char>,
}

/// A job that cannot be built.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BuildError {
    /// The QR payload exceeds what a symbol can hold.
    #[error("QR payload of {len} bytes exceeds the {max} bytes a model-2 symbol holds at level M")]
    QrTooLong {
        /// Payload length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Character size outside 1..=8.
    #[error("character magnification {width}×{height} is outside 1–8")]
    CharSize {
        /// Width factor.
        width: u8,
        /// Height factor.
        height: u8,
    },
    /// Module size outside 1..=16.
    #[error("QR module size {0} is outside 1–16 dots")]
    QrModule(u8),
}

/// Builds an ESC/POS job command by command.
#[derive(Debug, Default)]
pub struct EscPos {
    job: Job,
}

impl EscPos {
    /// An empty job.
    pub fn new() -> Self {
        Self::default()
    }

    fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.job.bytes.extend_from_slice(bytes);
        self
    }

    /// `ESC @`: reset every mode to the power-on default.
    pub fn initialize(&mut self) -> &mut Self {
        self.raw(&[ESC, b'@'])
    }

    /// `ESC t n`: select the character code table.
    pub fn code_table(&mut self, n: u8) -> &mut Self {
        self.raw(&[ESC, b't', n])
    }

    /// `ESC a n`.
    pub fn align(&mut self, align: Align) -> &mut Self {
        self.raw(&[ESC, b'a', align as u8])
    }

    /// `ESC E n`: emphasised (bold) on or off.
    pub fn emphasis(&mut self, on: bool) -> &mut Self {
        self.raw(&[ESC, b'E', u8::from(on)])
    }

    /// `GS ! n`: character magnification, 1–8 each way.
    pub fn char_size(&mut self, width: u8, height: u8) -> Result<&mut Self, BuildError> {
        if !(1..=8).contains(&width) || !(1..=8).contains(&height) {
            return Err(BuildError::CharSize { width, height });
        }
        Ok(self.raw(&[GS, b'!', ((width - 1) << 4) | (height - 1)]))
    }

    /// Text in code page PC858 (see [`codepage::encode`]), without a line feed.
    pub fn text(&mut self, text: &str) -> &mut Self {
        let encoded = codepage::encode(text);
        self.job.replaced.extend(encoded.replaced);
        self.raw(&encoded.bytes)
    }

    /// Text followed by `LF`.
    pub fn line(&mut self, text: &str) -> &mut Self {
        self.text(text).raw(&[LF])
    }

    /// `ESC J n`: print and feed `n` dots.
    pub fn feed_dots(&mut self, n: u8) -> &mut Self {
        self.raw(&[ESC, b'J', n])
    }

    /// `ESC d n`: print and feed `n` lines.
    pub fn feed_lines(&mut self, n: u8) -> &mut Self {
        self.raw(&[ESC, b'd', n])
    }

    /// `GS ( k`: a model-2 QR code at error level M with `module` dots per module, printed at
    /// the current alignment.
    pub fn qr(&mut self, payload: &[u8], module: u8) -> Result<&mut Self, BuildError> {
        if payload.len() > qr::MAX_PAYLOAD_M {
            return Err(BuildError::QrTooLong {
                len: payload.len(),
                max: qr::MAX_PAYLOAD_M,
            });
        }
        if !(1..=16).contains(&module) {
            return Err(BuildError::QrModule(module));
        }
        let [pl, ph] = u16::try_from(payload.len() + 3)
            .map_err(|_| BuildError::QrTooLong {
                len: payload.len(),
                max: qr::MAX_PAYLOAD_M,
            })?
            .to_le_bytes();
        self.raw(&[GS, b'(', b'k', 4, 0, qr::CN, qr::FN_MODEL, qr::MODEL_2, 0])
            .raw(&[GS, b'(', b'k', 3, 0, qr::CN, qr::FN_SIZE, module])
            .raw(&[GS, b'(', b'k', 3, 0, qr::CN, qr::FN_EC, qr::EC_M])
            .raw(&[GS, b'(', b'k', pl, ph, qr::CN, qr::FN_STORE, b'0'])
            .raw(payload)
            .raw(&[GS, b'(', b'k', 3, 0, qr::CN, qr::FN_PRINT, b'0']);
        Ok(self)
    }

    /// `GS v 0`: a raster image at normal density, printed at the current alignment.
    pub fn raster(&mut self, image: &Raster) -> &mut Self {
        let [xl, xh] = u16::try_from(image.row_bytes())
            .unwrap_or(u16::MAX)
            .to_le_bytes();
        let [yl, yh] = image.height().to_le_bytes();
        self.raw(&[GS, b'v', b'0', 0, xl, xh, yl, yh])
            .raw(image.data())
    }

    /// `GS V 66 0`: feed to the cutter and cut partially (one point left uncut, so the ticket
    /// hangs until taken instead of falling).
    pub fn partial_cut(&mut self) -> &mut Self {
        self.raw(&[GS, b'V', 66, 0])
    }

    /// The finished job.
    pub fn finish(self) -> Job {
        self.job
    }
}

/// `DLE EOT n`: the real-time status request for status `n` (1 printer, 2 offline cause,
/// 3 error cause, 4 roll paper sensor). Answered with one byte even while the printer is busy.
pub fn status_request(n: u8) -> [u8; 3] {
    [DLE, EOT, n]
}

/// `GS ( H fn=48`: ask for a process-ID response, which the printer sends only after it has
/// printed everything received before. `id` is four ASCII characters.
pub fn process_id_request(id: [u8; 4]) -> [u8; 11] {
    [GS, b'(', b'H', 6, 0, 48, 48, id[0], id[1], id[2], id[3]]
}

/// The printer's answer to [`process_id_request`]: header 0x37, identifier 0x22, the ID, NUL.
pub fn process_id_response(id: [u8; 4]) -> [u8; 7] {
    [0x37, 0x22, id[0], id[1], id[2], id[3], 0]
}

/// `DLE DC4 fn=8`: clear the receive and print buffers at once, so what is left of a failed job
/// never prints later (after the paper is changed, say). The fixed arguments are 1 3 20 1 6 2 8.
pub fn clear_buffers_request() -> [u8; 10] {
    [DLE, DC4, 8, 1, 3, 20, 1, 6, 2, 8]
}

/// The printer's answer to [`clear_buffers_request`].
pub const CLEAR_BUFFERS_RESPONSE: [u8; 3] = [0x37, 0x25, 0x00];
