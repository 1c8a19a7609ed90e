//! Serial-mode scanners (USB CDC-ACM, `/dev/ttyACM*`): the port is put in raw mode, bytes are
//! framed by CR/LF or a pause, and must be printable UTF-8.

use super::{Framer, Framing, Scan, ScanError, ScanSource};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The serial port failed.
#[derive(Debug, Error)]
pub enum SerialError {
    /// The port cannot be opened.
    #[error("cannot open {path}: check the cable, and that the kiosk user is in group dialout")]
    Open {
        /// The port.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The port cannot be set to raw mode.
    #[error("cannot configure {path} as a raw serial port")]
    Configure {
        /// The port.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Reading failed; usually the scanner was unplugged.
    #[error("reading the serial scanner failed: check its USB cable")]
    Read(#[source] std::io::Error),
}

/// Puts the terminal behind `file` into raw mode (no echo, no line editing, no CR/LF mapping).
pub fn make_raw(file: &File) -> std::io::Result<()> {
    let fd = file.as_raw_fd();
    // SAFETY: termios is plain data; `fd` is open for the duration of both calls.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::cfmakeraw(&mut t);
        if libc::tcsetattr(fd, libc::TCSANOW, &t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// A scanner on a serial port.
#[derive(Debug)]
pub struct SerialScanner {
    port: File,
    framer: Framer<u8>,
    pending: Vec<u8>,
    started: std::time::Instant,
}

impl SerialScanner {
    /// Opens `path` (e.g. `/dev/ttyACM0`) in raw mode.
    pub fn open(path: &Path, framing: Framing) -> Result<Self, SerialError> {
        let port = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(path)
            .map_err(|source| SerialError::Open {
                path: path.into(),
                source,
            })?;
        make_raw(&port).map_err(|source| SerialError::Configure {
            path: path.into(),
            source,
        })?;
        tracing::info!(path = %path.display(), "serial scanner opened");
        Ok(Self {
            port,
            framer: Framer::new(framing),
            pending: Vec::new(),
            started: std::time::Instant::now(),
        })
    }

    fn decode(bytes: Vec<u8>) -> Result<Scan, ScanError> {
        let bad = |count| ScanError::Garbage { count };
        let text = String::from_utf8(bytes)
            .map_err(|e| bad(e.as_bytes().len() - e.utf8_error().valid_up_to()))?;
        let controls = text.chars().filter(|c| c.is_control()).count();
        if controls > 0 {
            return Err(bad(controls));
        }
        Ok(Scan {
            text,
            source: ScanSource::Serial,
        })
    }

    fn readable(&self) -> bool {
        let mut p = libc::pollfd {
            fd: self.port.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = if self.framer.pending() {
            i32::try_from(self.framer.timeout().as_millis()).unwrap_or(i32::MAX)
        } else {
            -1
        };
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe { libc::poll(&mut p, 1, ms) > 0 }
    }

    /// Blocks until the next scan (or rejected scan).
    pub fn next_scan(&mut self) -> Result<Result<Scan, ScanError>, SerialError> {
        loop {
            while !self.pending.is_empty() {
                let b = self.pending.remove(0);
                let at = self.started.elapsed();
                if let Some(frame) = self.framer.push(b, b == b'\r' || b == b'\n', at) {
                    return Ok(frame.and_then(Self::decode));
                }
            }
            if !self.readable() {
                if let Some(frame) = self.framer.idle() {
                    return Ok(frame.and_then(Self::decode));
                }
                continue;
            }
            let mut buf = [0u8; 256];
            let n = self.port.read(&mut buf).map_err(SerialError::Read)?;
            if n == 0 {
                return Err(SerialError::Read(std::io::ErrorKind::UnexpectedEof.into()));
            }
            self.pending.extend_from_slice(&buf[..n]);
        }
    }
}
