//! A virtual smart card for the `vsmartcard-vpcd` reader driver: it connects to vpcd's TCP port
//! the way `vicc` does and answers like the card — a German eID card (its ATR and EF.CardAccess)
//! or a generic ISO 7816 card. Connecting inserts the card, dropping it removes the card.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The German eID ATR, as the card sends it.
pub use crate::card::GERMAN_EID_ATR;

/// A minimal EF.CardAccess: one PACE-ECDH-GM-AES-128 info, version 2, parameter set 13.
pub const EF_CARD_ACCESS: [u8; 22] = [
    0x31, 0x14, 0x30, 0x12, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02,
    0x02, 0x01, 0x02, 0x02, 0x01, 0x0d,
];

/// How the virtual card behaves.
#[derive(Debug, Clone)]
pub struct CardProfile {
    /// Answer to reset.
    pub atr: Vec<u8>,
    /// EF.CardAccess content, if the card has one.
    pub card_access: Option<Vec<u8>>,
}

impl CardProfile {
    /// A German ID card.
    pub fn german_eid() -> Self {
        Self {
            atr: GERMAN_EID_ATR.to_vec(),
            card_access: Some(EF_CARD_ACCESS.to_vec()),
        }
    }

    /// A generic ISO 7816 card (say, a health-insurance card) without EF.CardAccess.
    pub fn generic() -> Self {
        Self {
            atr: vec![0x3b, 0x80, 0x80, 0x01, 0x01],
            card_access: None,
        }
    }

    fn answer(&self, apdu: &[u8], selected: &mut bool) -> Vec<u8> {
        match apdu {
            [0x00, 0xa4, 0x02, 0x0c, 0x02, 0x01, 0x1c, ..] if self.card_access.is_some() => {
                *selected = true;
                vec![0x90, 0x00]
            }
            [0x00, 0xa4, ..] => vec![0x6a, 0x82],
            [0x00, 0xb0, ..] => match (&self.card_access, *selected) {
                (Some(data), true) => data.iter().copied().chain([0x90, 0x00]).collect(),
                _ => vec![0x69, 0x86],
            },
            _ => vec![0x6d, 0x00],
        }
    }
}

/// A virtual card on a vpcd reader; dropping it takes the card off the reader.
#[derive(Debug)]
pub struct VirtualCard {
    stream: TcpStream,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl VirtualCard {
    /// Puts a card with `profile` on the vpcd reader listening at `127.0.0.1:port`.
    pub fn insert(port: u16, profile: CardProfile) -> std::io::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_millis(100)))?;
        let mut rx = stream.try_clone()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut selected = false;
            while !stopping.load(Ordering::Relaxed) {
                let mut len = [0u8; 2];
                match rx.read_exact(&mut len) {
                    Ok(()) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        continue;
                    }
                    Err(_) => return,
                }
                let mut msg = vec![0u8; usize::from(u16::from_be_bytes(len))];
                if rx.read_exact(&mut msg).is_err() {
                    return;
                }
                let reply = match msg.as_slice() {
                    // vpcd control bytes: 0 power off, 1 power on, 2 reset, 4 get ATR.
                    [0] | [1] | [2] => {
                        selected = false;
                        continue;
                    }
                    [4] => profile.atr.clone(),
                    apdu => profile.answer(apdu, &mut selected),
                };
                let Ok(n) = u16::try_from(reply.len()) else {
                    return;
                };
                let mut out = n.to_be_bytes().to_vec();
                out.extend(reply);
                if rx.write_all(&out).is_err() {
                    return;
                }
            }
        });
        Ok(Self {
            stream,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for VirtualCard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.stream.shutdown(Shutdown::Both);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
