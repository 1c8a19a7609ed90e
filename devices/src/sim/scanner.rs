//! Simulated code scanners: a keyboard-mode scanner as the evdev event stream it produces (what
//! `cat /dev/input/eventN` would record), and a serial scanner behind a pseudo-terminal.

use crate::scanner::evdev::{EV_KEY, EV_MSC, EV_SYN, InputEvent};
use crate::scanner::keymap::{KeyStroke, Layout, key};
use std::fs::File;
use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::PathBuf;
use std::time::Duration;

/// Builds the event stream of a keyboard-mode scanner.
#[derive(Debug, Default, Clone)]
pub struct KeyboardRecording {
    events: Vec<InputEvent>,
    now: Duration,
    key_interval: Duration,
}

impl KeyboardRecording {
    /// An empty recording; the scanner "types" one key every 4 ms.
    pub fn new() -> Self {
        Self {
            events: Vec::new(),
            now: Duration::from_secs(1_700_000_000),
            key_interval: Duration::from_millis(4),
        }
    }

    fn ev(&mut self, kind: u16, code: u16, value: i32) {
        self.events.push(InputEvent {
            time: self.now,
            kind,
            code,
            value,
        });
    }

    fn tap(&mut self, code: u16, value: i32) {
        self.ev(EV_MSC, 4, 0x70000 + i32::from(code));
        self.ev(EV_KEY, code, value);
        self.ev(EV_SYN, 0, 0);
    }

    /// One key stroke with its modifiers, pressed and released.
    pub fn stroke(&mut self, k: KeyStroke) -> &mut Self {
        if k.shift {
            self.tap(key::LEFTSHIFT, 1);
        }
        if k.altgr {
            self.tap(key::RIGHTALT, 1);
        }
        self.tap(k.code, 1);
        self.now += self.key_interval / 2;
        self.tap(k.code, 0);
        if k.altgr {
            self.tap(key::RIGHTALT, 0);
        }
        if k.shift {
            self.tap(key::LEFTSHIFT, 0);
        }
        self.now += self.key_interval / 2;
        self
    }

    /// `text` typed by a scanner set to `layout`, without terminator. Characters the layout
    /// cannot type are skipped, as a real scanner does.
    pub fn typed(&mut self, text: &str, layout: Layout) -> &mut Self {
        for c in text.chars() {
            if let Some(k) = layout.encode(c) {
                self.stroke(k);
            }
        }
        self
    }

    /// The Enter key, the usual scan terminator.
    pub fn enter(&mut self) -> &mut Self {
        self.stroke(KeyStroke {
            code: key::ENTER,
            shift: false,
            altgr: false,
        })
    }

    /// A pause with no events.
    pub fn pause(&mut self, d: Duration) -> &mut Self {
        self.now += d;
        self
    }

    /// The raw bytes, as read from the evdev node.
    pub fn bytes(&self) -> Vec<u8> {
        self.events.iter().flat_map(|e| e.to_bytes()).collect()
    }
}

/// A serial scanner on a pseudo-terminal: the driver opens [`path`](Self::path) like
/// `/dev/ttyACM0`, the test writes what the scanner sends.
#[derive(Debug)]
pub struct SimSerialScanner {
    master: File,
    path: PathBuf,
}

impl SimSerialScanner {
    /// Creates the pseudo-terminal.
    pub fn new() -> std::io::Result<Self> {
        // SAFETY: posix_openpt returns a new descriptor or -1; ownership moves to OwnedFd.
        let fd = unsafe { libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor that nothing else owns.
        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
        let mut name = [0 as libc::c_char; 128];
        // SAFETY: `fd` is a pty master; `name` is large enough and NUL-terminated on success.
        let ok = unsafe {
            libc::grantpt(fd) == 0
                && libc::unlockpt(fd) == 0
                && libc::ptsname_r(fd, name.as_mut_ptr(), name.len()) == 0
        };
        if !ok {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: ptsname_r wrote a NUL-terminated string into `name`.
        let path = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
        Ok(Self {
            master: File::from(owned),
            path: PathBuf::from(path.to_string_lossy().into_owned()),
        })
    }

    /// The device path to open, e.g. `/dev/pts/3`.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Sends bytes as the scanner would.
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.master.write_all(bytes)?;
        self.master.flush()
    }
}
