//! A strict, incremental ESC/POS parser: it accepts exactly the commands a TM-T88-class printer
//! documents (the subset this project sends, with every argument range checked) and calls any
//! other byte sequence an error, so a driver bug shows up in tests instead of on paper.

use crate::escpos::{CR, DC4, DLE, EOT, ESC, GS, LF, clear_buffers_request};
use thiserror::Error;

/// One parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A printable byte in the current code table.
    Char(u8),
    /// `LF`: print the line buffer and feed one line.
    LineFeed,
    /// `CR`: ignored (USB printers do not auto-feed on CR).
    CarriageReturn,
    /// `ESC @`.
    Initialize,
    /// `ESC t n`.
    CodeTable(u8),
    /// `ESC a n`, normalised to 0 left, 1 centre, 2 right.
    Align(u8),
    /// `ESC E n`.
    Emphasis(bool),
    /// `GS ! n`: width and height magnification, 1–8.
    CharSize {
        /// Width factor.
        width: u8,
        /// Height factor.
        height: u8,
    },
    /// `ESC d n`.
    FeedLines(u8),
    /// `ESC J n`.
    FeedDots(u8),
    /// `ESC 2` (None) or `ESC 3 n`.
    LineSpacing(Option<u8>),
    /// `GS ( k` fn 165: QR model (1 or 2).
    QrModel(u8),
    /// `GS ( k` fn 167: module size.
    QrModuleSize(u8),
    /// `GS ( k` fn 169: error correction level 48–51 (L, M, Q, H).
    QrErrorCorrection(u8),
    /// `GS ( k` fn 180: store symbol data.
    QrStore(Vec<u8>),
    /// `GS ( k` fn 181: print the stored symbol.
    QrPrint,
    /// `GS v 0`: raster image.
    Raster {
        /// Mode 0–3 (bit 0 double width, bit 1 double height).
        mode: u8,
        /// Bytes per row.
        row_bytes: u16,
        /// Rows.
        height: u16,
        /// Packed rows.
        data: Vec<u8>,
    },
    /// `GS V`: cut, `partial` or full, after feeding `feed` dots (function B).
    Cut {
        /// Partial (one point left) rather than full.
        partial: bool,
        /// Extra feed before cutting.
        feed: u8,
    },
    /// `DLE EOT n`: real-time status request.
    StatusRequest(u8),
    /// `DLE DC4 8 1 3 20 1 6 2 8`: clear receive and print buffers.
    ClearBuffers,
    /// `GS ( H` fn 48: process-ID response request.
    ProcessId([u8; 4]),
}

/// A byte sequence the printer does not accept.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ParseError {
    /// No command starts with these bytes.
    #[error("unknown command {bytes:02x?}")]
    Unknown {
        /// The first bytes.
        bytes: Vec<u8>,
    },
    /// A known command with an argument out of its documented range.
    #[error("{command}: argument {value:#04x} is outside the documented range")]
    BadArgument {
        /// The command name.
        command: &'static str,
        /// The argument.
        value: u8,
    },
    /// A length-prefixed command whose length does not match its function.
    #[error("{command}: parameter length {len} does not fit function {function}")]
    BadLength {
        /// The command name.
        command: &'static str,
        /// The function byte.
        function: u8,
        /// The announced length.
        len: usize,
    },
}

/// `Ok(None)`: more bytes are needed. `Ok(Some((cmd, used)))`: one command from the first
/// `used` bytes.
pub type Parsed = Result<Option<(Command, usize)>, ParseError>;

fn need(buf: &[u8], n: usize) -> Option<&[u8]> {
    buf.get(..n)
}

fn bad(command: &'static str, value: u8) -> ParseError {
    ParseError::BadArgument { command, value }
}

/// Parses the command at the start of `buf`.
pub fn parse(buf: &[u8]) -> Parsed {
    let Some(&first) = buf.first() else {
        return Ok(None);
    };
    match first {
        LF => Ok(Some((Command::LineFeed, 1))),
        CR => Ok(Some((Command::CarriageReturn, 1))),
        0x20..=0x7e | 0x80..=0xff => Ok(Some((Command::Char(first), 1))),
        ESC => parse_esc(buf),
        GS => parse_gs(buf),
        DLE => {
            let Some(b) = need(buf, 3) else {
                return Ok(None);
            };
            if b[1] == DC4 {
                let Some(all) = need(buf, 10) else {
                    return Ok(None);
                };
                return if all == clear_buffers_request() {
                    Ok(Some((Command::ClearBuffers, 10)))
                } else {
                    Err(bad("DLE DC4 (only fn 8, clear buffers)", b[2]))
                };
            }
            if b[1] != EOT {
                return Err(ParseError::Unknown { bytes: b.to_vec() });
            }
            match b[2] {
                1..=4 => Ok(Some((Command::StatusRequest(b[2]), 3))),
                n => Err(bad("DLE EOT", n)),
            }
        }
        _ => Err(ParseError::Unknown { bytes: vec![first] }),
    }
}

fn parse_esc(buf: &[u8]) -> Parsed {
    let Some(b) = need(buf, 2) else {
        return Ok(None);
    };
    let with_arg = |f: fn(u8) -> Result<Command, ParseError>| -> Parsed {
        match need(buf, 3) {
            None => Ok(None),
            Some(b) => f(b[2]).map(|c| Some((c, 3))),
        }
    };
    match b[1] {
        b'@' => Ok(Some((Command::Initialize, 2))),
        b'2' => Ok(Some((Command::LineSpacing(None), 2))),
        b'3' => with_arg(|n| Ok(Command::LineSpacing(Some(n)))),
        b't' => with_arg(|n| match n {
            0 | 19 => Ok(Command::CodeTable(n)),
            _ => Err(bad("ESC t (code tables known: 0 PC437, 19 PC858)", n)),
        }),
        b'a' => with_arg(|n| match n {
            0..=2 | 48..=50 => Ok(Command::Align(n % 48)),
            _ => Err(bad("ESC a", n)),
        }),
        b'E' => with_arg(|n| Ok(Command::Emphasis(n & 1 == 1))),
        b'd' => with_arg(|n| Ok(Command::FeedLines(n))),
        b'J' => with_arg(|n| Ok(Command::FeedDots(n))),
        _ => Err(ParseError::Unknown { bytes: b.to_vec() }),
    }
}

fn parse_gs(buf: &[u8]) -> Parsed {
    let Some(b) = need(buf, 2) else {
        return Ok(None);
    };
    match b[1] {
        b'!' => match need(buf, 3) {
            None => Ok(None),
            Some(b) if b[2] & 0x88 != 0 => Err(bad("GS !", b[2])),
            Some(b) => Ok(Some((
                Command::CharSize {
                    width: (b[2] >> 4) + 1,
                    height: (b[2] & 0x07) + 1,
                },
                3,
            ))),
        },
        b'V' => parse_cut(buf),
        b'v' => parse_raster(buf),
        b'(' => parse_function(buf),
        _ => Err(ParseError::Unknown { bytes: b.to_vec() }),
    }
}

fn parse_cut(buf: &[u8]) -> Parsed {
    let Some(b) = need(buf, 3) else {
        return Ok(None);
    };
    match b[2] {
        0 | 48 => Ok(Some((
            Command::Cut {
                partial: false,
                feed: 0,
            },
            3,
        ))),
        1 | 49 => Ok(Some((
            Command::Cut {
                partial: true,
                feed: 0,
            },
            3,
        ))),
        65 | 66 => match need(buf, 4) {
            None => Ok(None),
            Some(b) => Ok(Some((
                Command::Cut {
                    partial: b[2] == 66,
                    feed: b[3],
                },
                4,
            ))),
        },
        m => Err(bad("GS V", m)),
    }
}

fn parse_raster(buf: &[u8]) -> Parsed {
    let Some(h) = need(buf, 8) else {
        return Ok(None);
    };
    if h[2] != b'0' {
        return Err(ParseError::Unknown {
            bytes: h[..3].to_vec(),
        });
    }
    let mode = h[3] % 48;
    if mode > 3 || !(h[3] <= 3 || (48..=51).contains(&h[3])) {
        return Err(bad("GS v 0 mode", h[3]));
    }
    let row_bytes = u16::from_le_bytes([h[4], h[5]]);
    let height = u16::from_le_bytes([h[6], h[7]]);
    if !(1..=128).contains(&row_bytes) {
        return Err(bad("GS v 0 xH", h[5]));
    }
    if !(1..=4095).contains(&height) {
        return Err(bad("GS v 0 yH", h[7]));
    }
    let len = 8 + usize::from(row_bytes) * usize::from(height);
    match need(buf, len) {
        None => Ok(None),
        Some(all) => Ok(Some((
            Command::Raster {
                mode,
                row_bytes,
                height,
                data: all[8..].to_vec(),
            },
            len,
        ))),
    }
}

fn parse_function(buf: &[u8]) -> Parsed {
    let Some(h) = need(buf, 5) else {
        return Ok(None);
    };
    let len = usize::from(u16::from_le_bytes([h[3], h[4]]));
    let total = 5 + len;
    let name: &'static str = match h[2] {
        b'k' => "GS ( k",
        b'H' => "GS ( H",
        _ => {
            return Err(ParseError::Unknown {
                bytes: h[..3].to_vec(),
            });
        }
    };
    if len < 2 {
        return Err(ParseError::BadLength {
            command: name,
            function: 0,
            len,
        });
    }
    let Some(all) = need(buf, total) else {
        return Ok(None);
    };
    let p = &all[5..];
    let bad_len = || ParseError::BadLength {
        command: name,
        function: p[1],
        len,
    };
    let cmd = if h[2] == b'H' {
        if p[0] != 48 || len != 6 {
            return Err(bad_len());
        }
        if p[1] != 48 || !p[2..].iter().all(|b| (32..=126).contains(b)) {
            return Err(bad("GS ( H", p[1]));
        }
        Command::ProcessId([p[2], p[3], p[4], p[5]])
    } else {
        if p[0] != 49 {
            return Err(bad("GS ( k cn (only 49, QR code, is supported)", p[0]));
        }
        match (p[1], len) {
            (65, 4) if matches!(p[2], 49 | 50) && p[3] == 0 => Command::QrModel(p[2] - 48),
            (65, 4) => return Err(bad("GS ( k QR model", p[2])),
            (67, 3) if (1..=16).contains(&p[2]) => Command::QrModuleSize(p[2]),
            (67, 3) => return Err(bad("GS ( k QR module size", p[2])),
            (69, 3) if (48..=51).contains(&p[2]) => Command::QrErrorCorrection(p[2]),
            (69, 3) => return Err(bad("GS ( k QR error correction", p[2])),
            (80, 4..) if p[2] == 48 => Command::QrStore(p[3..].to_vec()),
            (81, 3) if p[2] == 48 => Command::QrPrint,
            (65 | 67 | 69 | 80 | 81, _) => return Err(bad_len()),
            (f, _) => return Err(bad("GS ( k QR function", f)),
        }
    };
    Ok(Some((cmd, total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut buf: &[u8]) -> Result<Vec<Command>, ParseError> {
        let mut out = Vec::new();
        while let Some((c, n)) = parse(buf)? {
            out.push(c);
            buf = &buf[n..];
        }
        Ok(out)
    }

    #[test]
    fn incomplete_commands_wait_for_more_bytes() {
        assert_eq!(parse(b"\x1d(k\x29\x001P0https"), Ok(None));
        assert_eq!(parse(b"\x1b"), Ok(None));
        assert_eq!(parse(b"\x1dv0\x00\x01\x00\x02\x00\xff"), Ok(None));
    }

    #[test]
    fn a_ticket_prefix_parses_into_commands() {
        let cmds = all(b"\x1b@\x1bt\x13\x1ba\x01\x1d!\x11A\n\x1dVB\x00").expect("valid");
        assert_eq!(
            cmds,
            [
                Command::Initialize,
                Command::CodeTable(19),
                Command::Align(1),
                Command::CharSize {
                    width: 2,
                    height: 2
                },
                Command::Char(b'A'),
                Command::LineFeed,
                Command::Cut {
                    partial: true,
                    feed: 0
                },
            ]
        );
    }

    #[test]
    fn unknown_and_out_of_range_commands_are_errors() {
        assert!(matches!(parse(b"\x1bZ"), Err(ParseError::Unknown { .. })));
        assert!(matches!(parse(b"\x07"), Err(ParseError::Unknown { .. })));
        assert!(matches!(
            parse(b"\x1ba\x07"),
            Err(ParseError::BadArgument { .. })
        ));
        assert!(matches!(
            parse(b"\x1d!\x88"),
            Err(ParseError::BadArgument { .. })
        ));
        assert!(matches!(
            parse(b"\x1d(k\x03\x001C\x00"),
            Err(ParseError::BadArgument { .. })
        ));
        assert!(matches!(
            parse(b"\x1d(k\x04\x001C\x06\x00"),
            Err(ParseError::BadLength { .. })
        ));
        assert!(matches!(
            parse(b"\x10\x04\x09"),
            Err(ParseError::BadArgument { .. })
        ));
    }
}
