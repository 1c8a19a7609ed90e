//! Keyboard-mode scanners through Linux evdev: the device is grabbed exclusively (no keystroke
//! reaches the kiosk UI), raw key codes are decoded with the configured layout(s), and scans
//! are framed by Enter/Tab or by a pause. Recorded event streams go through the same code.

use super::keymap::{KeyStroke, Layout, key};
use super::{Framer, Framing, Scan, ScanError, ScanSource};
use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

/// Size of `struct input_event` on 64-bit Linux (two 64-bit time fields, u16, u16, i32).
pub const EVENT_SIZE: usize = 24;
/// Event type of key presses.
pub const EV_KEY: u16 = 1;
/// Event type of synchronisation reports.
pub const EV_SYN: u16 = 0;
/// Event type of miscellaneous reports (scancodes).
pub const EV_MSC: u16 = 4;
/// `EVIOCGRAB`, `_IOW('E', 0x90, int)`.
const EVIOCGRAB: u64 = 0x4004_4590;

/// One raw input event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEvent {
    /// Kernel timestamp.
    pub time: Duration,
    /// Event type.
    pub kind: u16,
    /// Key code for `EV_KEY`.
    pub code: u16,
    /// 1 press, 2 auto-repeat, 0 release.
    pub value: i32,
}

impl InputEvent {
    /// Decodes one event from its 24 bytes.
    pub fn from_bytes(b: &[u8; EVENT_SIZE]) -> Self {
        let i64_at = |i: usize| i64::from_ne_bytes(b[i..i + 8].try_into().unwrap_or_default());
        let (sec, usec) = (i64_at(0), i64_at(8));
        Self {
            time: Duration::from_secs(sec.max(0) as u64)
                + Duration::from_micros(usec.max(0) as u64),
            kind: u16::from_ne_bytes([b[16], b[17]]),
            code: u16::from_ne_bytes([b[18], b[19]]),
            value: i32::from_ne_bytes([b[20], b[21], b[22], b[23]]),
        }
    }

    /// Encodes the event as the kernel delivers it.
    pub fn to_bytes(&self) -> [u8; EVENT_SIZE] {
        let mut b = [0u8; EVENT_SIZE];
        let sec = i64::try_from(self.time.as_secs()).unwrap_or(i64::MAX);
        b[0..8].copy_from_slice(&sec.to_ne_bytes());
        b[8..16].copy_from_slice(&i64::from(self.time.subsec_micros()).to_ne_bytes());
        b[16..18].copy_from_slice(&self.kind.to_ne_bytes());
        b[18..20].copy_from_slice(&self.code.to_ne_bytes());
        b[20..24].copy_from_slice(&self.value.to_ne_bytes());
        b
    }
}

/// The scanner device failed (as opposed to a bad scan).
#[derive(Debug, Error)]
pub enum ScannerDeviceError {
    /// The device node does not exist.
    #[error("no scanner at {path}: check its USB cable and the path in the terminal configuration")]
    Missing {
        /// The node.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The device node cannot be opened.
    #[error(
        "cannot open {path}: install the udev rule 70-buergerterminal-devices.rules with the scanner's VID:PID"
    )]
    Open {
        /// The node.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Another program holds the device exclusively.
    #[error("cannot grab {path} exclusively: another program (a second kiosk?) holds the scanner")]
    Busy {
        /// The node.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The node is not an input device.
    #[error("{path} is not an evdev input device: use the scanner's node in /dev/input/by-id/")]
    Grab {
        /// The node.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Reading failed; usually the scanner was unplugged.
    #[error("reading the scanner failed: check its USB cable")]
    Read(#[source] std::io::Error),
}

/// Tells whether decoded text is a code the kiosk expects.
pub type AcceptFn = Box<dyn Fn(&str) -> bool + Send>;

/// How a keyboard-mode scanner is read.
pub struct KeyboardConfig {
    /// Layouts to try, in order; the first whose text `accept`s wins.
    pub layouts: Vec<Layout>,
    /// What a valid scan looks like (e.g. a booking link); `None` accepts anything.
    pub accept: Option<AcceptFn>,
    /// Framing.
    pub framing: Framing,
}

impl std::fmt::Debug for KeyboardConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyboardConfig")
            .field("layouts", &self.layouts)
            .field("accept", &self.accept.is_some())
            .field("framing", &self.framing)
            .finish()
    }
}

impl Default for KeyboardConfig {
    fn default() -> Self {
        Self {
            layouts: vec![Layout::Us],
            accept: None,
            framing: Framing::default(),
        }
    }
}

/// A keyboard-mode scanner reading events from `R` (the grabbed device, or a recording).
#[derive(Debug)]
pub struct KeyboardScanner<R> {
    reader: R,
    fd: Option<RawFd>,
    config: KeyboardConfig,
    framer: Framer<KeyStroke>,
    partial: Vec<u8>,
    events: VecDeque<InputEvent>,
    shift: u8,
    altgr: bool,
    eof: bool,
}

impl KeyboardScanner<File> {
    /// Opens the evdev node (e.g. `/dev/input/by-id/usb-…-event-kbd`) and grabs it.
    pub fn open(path: &Path, config: KeyboardConfig) -> Result<Self, ScannerDeviceError> {
        let file = File::open(path).map_err(|source| {
            let path = path.into();
            if source.kind() == std::io::ErrorKind::NotFound {
                ScannerDeviceError::Missing { path, source }
            } else {
                ScannerDeviceError::Open { path, source }
            }
        })?;
        let fd = file.as_raw_fd();
        // SAFETY: `fd` is an open evdev descriptor owned by `file`; EVIOCGRAB takes an int.
        let rc = unsafe { libc::ioctl(fd, EVIOCGRAB as _, 1 as libc::c_int) };
        if rc != 0 {
            return Err(ScannerDeviceError::Grab {
                path: path.into(),
                source: std::io::Error::last_os_error(),
            });
        }
        tracing::info!(path = %path.display(), "scanner grabbed exclusively");
        let mut s = Self::from_reader(file, config);
        s.fd = Some(fd);
        Ok(s)
    }
}

impl<R: Read + AsRawFd> KeyboardScanner<R> {
    /// Reads events live from a descriptor without grabbing it (a pipe or socket replaying a
    /// recording in real time): a scan without terminator ends after the inter-key timeout,
    /// as on the device.
    pub fn from_live(reader: R, config: KeyboardConfig) -> Self {
        let fd = reader.as_raw_fd();
        let mut s = Self::from_reader(reader, config);
        s.fd = Some(fd);
        s
    }
}

impl<R: Read> KeyboardScanner<R> {
    /// Reads events from any source, e.g. a recorded event stream. Without a file descriptor
    /// to wait on, a scan without terminator ends at the end of the input.
    pub fn from_reader(reader: R, config: KeyboardConfig) -> Self {
        let framer = Framer::new(config.framing);
        Self {
            reader,
            fd: None,
            config,
            framer,
            partial: Vec::new(),
            events: VecDeque::new(),
            shift: 0,
            altgr: false,
            eof: false,
        }
    }

    /// Waits up to the inter-key timeout for input; `false` on timeout.
    fn wait_readable(&self) -> bool {
        let Some(fd) = self.fd else {
            return true;
        };
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(self.framer.timeout().as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe { libc::poll(&mut p, 1, ms) > 0 }
    }

    fn fill(&mut self) -> Result<(), ScannerDeviceError> {
        let mut buf = [0u8; EVENT_SIZE * 32];
        let n = self
            .reader
            .read(&mut buf)
            .map_err(ScannerDeviceError::Read)?;
        if n == 0 {
            self.eof = true;
        }
        self.partial.extend_from_slice(&buf[..n]);
        let whole = self.partial.len() / EVENT_SIZE * EVENT_SIZE;
        for chunk in self.partial[..whole].chunks_exact(EVENT_SIZE) {
            if let Ok(b) = <&[u8; EVENT_SIZE]>::try_from(chunk) {
                self.events.push_back(InputEvent::from_bytes(b));
            }
        }
        self.partial.drain(..whole);
        Ok(())
    }

    fn decode(&self, strokes: Vec<KeyStroke>) -> Result<Scan, ScanError> {
        let mut fewest_bad = usize::MAX;
        let mut readable = false;
        for layout in &self.config.layouts {
            match layout.decode_all(&strokes) {
                Ok(text) => {
                    readable = true;
                    if self.config.accept.as_ref().is_none_or(|ok| ok(&text)) {
                        return Ok(Scan {
                            text,
                            source: ScanSource::Keyboard,
                        });
                    }
                }
                Err(bad) => fewest_bad = fewest_bad.min(bad),
            }
        }
        Err(if readable {
            ScanError::Unrecognised
        } else {
            ScanError::Garbage { count: fewest_bad }
        })
    }

    /// The next scan (or rejected scan); `Ok(None)` when the input has ended.
    pub fn next_scan(&mut self) -> Result<Option<Result<Scan, ScanError>>, ScannerDeviceError> {
        loop {
            while let Some(ev) = self.events.pop_front() {
                if ev.kind != EV_KEY {
                    continue;
                }
                let down = ev.value != 0;
                match ev.code {
                    key::LEFTSHIFT | key::RIGHTSHIFT => {
                        self.shift = if down {
                            self.shift.saturating_add(1)
                        } else {
                            self.shift.saturating_sub(1)
                        };
                        continue;
                    }
                    key::RIGHTALT => {
                        self.altgr = down;
                        continue;
                    }
                    _ if !down => continue,
                    _ => {}
                }
                let stroke = KeyStroke {
                    code: ev.code,
                    shift: self.shift > 0,
                    altgr: self.altgr,
                };
                if let Some(frame) = self.framer.push(stroke, stroke.is_terminator(), ev.time) {
                    return Ok(Some(frame.and_then(|s| self.decode(s))));
                }
            }
            if self.eof {
                return Ok(self.framer.idle().map(|f| f.and_then(|s| self.decode(s))));
            }
            if self.framer.pending()
                && !self.wait_readable()
                && let Some(frame) = self.framer.idle()
            {
                return Ok(Some(frame.and_then(|s| self.decode(s))));
            }
            self.fill()?;
        }
    }
}
