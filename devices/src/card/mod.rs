//! Smart-card readers through PC/SC (`pcscd`): readers coming and going, cards inserted and
//! removed, and whether a card is a German eID card — from its ATR and, failing that, from the
//! PACE entry of its EF.CardAccess. No personal data is read; the eID itself runs through the
//! AusweisApp SDK.

pub mod watch;

use crate::health::DeviceState;
use pcsc::{Context, Error as PcscError, Protocols, ReaderState, Scope, ShareMode, State};
use std::ffi::CString;
use std::time::Duration;
use thiserror::Error;

/// The ATR of the German ID card and electronic residence permit.
pub const GERMAN_EID_ATR: [u8; 15] = [
    0x3b, 0x8a, 0x80, 0x01, 0x80, 0x31, 0xf8, 0x73, 0xf7, 0x41, 0xe0, 0x82, 0x90, 0x00, 0x75,
];
/// SELECT EF.CardAccess (file 011C) under the master file, no answer data.
pub const SELECT_CARD_ACCESS: [u8; 7] = [0x00, 0xa4, 0x02, 0x0c, 0x02, 0x01, 0x1c];
/// READ BINARY of up to 256 bytes from offset 0.
pub const READ_BINARY: [u8; 5] = [0x00, 0xb0, 0x00, 0x00, 0x00];
/// DER of the object identifier prefix id-PACE (0.4.0.127.0.7.2.2.4).
const PACE_OID_PREFIX: [u8; 8] = [0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04];

/// What kind of card lies on the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// German ID card or electronic residence permit (eID capable).
    GermanEid,
    /// Any other card.
    Other,
}

/// Something happened at the card readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEvent {
    /// A reader appeared.
    ReaderAdded(String),
    /// A reader disappeared.
    ReaderRemoved(String),
    /// A card was put on a reader.
    CardInserted {
        /// The reader.
        reader: String,
        /// The card's answer to reset.
        atr: Vec<u8>,
        /// What it is.
        kind: CardKind,
    },
    /// The card was taken away.
    CardRemoved {
        /// The reader.
        reader: String,
    },
}

impl CardEvent {
    /// The reader's health, for events that change it.
    pub fn reader_state(&self) -> Option<DeviceState> {
        match self {
            Self::ReaderAdded(_) => Some(DeviceState::Ready),
            Self::ReaderRemoved(_) => Some(DeviceState::Absent),
            _ => None,
        }
    }
}

/// The card-reader service failed.
#[derive(Debug, Error)]
pub enum CardError {
    /// pcscd is not running (or stopped).
    #[error("the smart-card service is not running: install and start pcscd")]
    NoService(#[source] PcscError),
    /// Any other PC/SC failure.
    #[error("smart-card {operation} failed")]
    Pcsc {
        /// What was being done.
        operation: &'static str,
        /// The PC/SC error.
        #[source]
        source: PcscError,
    },
}

impl CardError {
    /// The reader's health after this failure: without pcscd there is no reader.
    pub fn reader_state(&self) -> DeviceState {
        DeviceState::Absent
    }
}

fn pcsc_err(operation: &'static str) -> impl Fn(PcscError) -> CardError {
    move |source| match source {
        PcscError::NoService | PcscError::ServiceStopped | PcscError::InvalidHandle => {
            CardError::NoService(source)
        }
        source => CardError::Pcsc { operation, source },
    }
}

fn is_pace(card_access: &[u8]) -> bool {
    card_access
        .windows(10)
        .any(|w| w[0] == 0x06 && w[2..10] == PACE_OID_PREFIX[..8])
}

/// Classifies a card by ATR alone.
pub fn kind_from_atr(atr: &[u8]) -> Option<CardKind> {
    (atr == GERMAN_EID_ATR).then_some(CardKind::GermanEid)
}

struct Reader {
    name: CString,
    state: State,
    card: bool,
}

/// Watches the PC/SC readers and turns changes into [`CardEvent`]s.
pub struct CardWatcher {
    ctx: Context,
    readers: Vec<Reader>,
}

impl std::fmt::Debug for CardWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardWatcher")
            .field("readers", &self.readers.len())
            .finish()
    }
}

impl CardWatcher {
    /// Connects to pcscd.
    pub fn new() -> Result<Self, CardError> {
        let ctx = Context::establish(Scope::User).map_err(pcsc_err("connection to pcscd"))?;
        Ok(Self {
            ctx,
            readers: Vec::new(),
        })
    }

    fn probe(&self, reader: &CString, atr: &[u8]) -> CardKind {
        if let Some(kind) = kind_from_atr(atr) {
            return kind;
        }
        let Ok(card) = self.ctx.connect(reader, ShareMode::Shared, Protocols::ANY) else {
            return CardKind::Other;
        };
        let mut buf = [0u8; 260];
        let selected = card
            .transmit(&SELECT_CARD_ACCESS, &mut buf)
            .is_ok_and(|r| r.ends_with(&[0x90, 0x00]));
        if selected
            && let Ok(r) = card.transmit(&READ_BINARY, &mut buf)
            && r.ends_with(&[0x90, 0x00])
            && is_pace(r)
        {
            return CardKind::GermanEid;
        }
        CardKind::Other
    }

    fn refresh_readers(&mut self, events: &mut Vec<CardEvent>) -> Result<(), CardError> {
        let names = match self.ctx.list_readers_owned() {
            Ok(n) => n,
            Err(PcscError::NoReadersAvailable) => Vec::new(),
            Err(e) => return Err(pcsc_err("reader listing")(e)),
        };
        self.readers.retain(|r| {
            let keep = names.contains(&r.name);
            if !keep {
                let name = r.name.to_string_lossy().into_owned();
                if r.card {
                    events.push(CardEvent::CardRemoved {
                        reader: name.clone(),
                    });
                }
                events.push(CardEvent::ReaderRemoved(name));
            }
            keep
        });
        for name in names {
            if !self.readers.iter().any(|r| r.name == name) {
                events.push(CardEvent::ReaderAdded(name.to_string_lossy().into_owned()));
                self.readers.push(Reader {
                    name,
                    state: State::UNAWARE,
                    card: false,
                });
            }
        }
        Ok(())
    }

    /// Waits up to `timeout` for changes and returns them (empty on timeout). The first call
    /// reports every reader and every card already present.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<CardEvent>, CardError> {
        let mut events = Vec::new();
        self.refresh_readers(&mut events)?;
        let mut states: Vec<ReaderState> = self
            .readers
            .iter()
            .map(|r| ReaderState::new(r.name.clone(), r.state))
            .collect();
        states.push(ReaderState::new(pcsc::PNP_NOTIFICATION(), State::UNAWARE));
        let wait = if events.is_empty() {
            timeout
        } else {
            Duration::ZERO
        };
        match self.ctx.get_status_change(wait, &mut states) {
            Ok(()) | Err(PcscError::Timeout) => {}
            Err(PcscError::UnknownReader) => return Ok(events),
            Err(e) => return Err(pcsc_err("status change")(e)),
        }
        for (i, rs) in states.iter().enumerate().take(self.readers.len()) {
            let now = rs.event_state();
            let present = now.contains(State::PRESENT);
            let name = self.readers[i].name.clone();
            let reader = name.to_string_lossy().into_owned();
            if present && !self.readers[i].card {
                let atr = rs.atr().to_vec();
                let kind = self.probe(&name, &atr);
                tracing::info!(%reader, ?kind, "card inserted");
                events.push(CardEvent::CardInserted { reader, atr, kind });
            } else if !present && self.readers[i].card {
                tracing::info!(%reader, "card removed");
                events.push(CardEvent::CardRemoved { reader });
            }
            self.readers[i].card = present;
            self.readers[i].state = now & !State::CHANGED;
        }
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_german_eid_is_known_by_its_atr_and_its_pace_entry() {
        assert_eq!(kind_from_atr(&GERMAN_EID_ATR), Some(CardKind::GermanEid));
        assert_eq!(kind_from_atr(&[0x3b, 0x80, 0x80, 0x01, 0x01]), None);
        assert!(is_pace(&crate::sim::card::EF_CARD_ACCESS));
        assert!(!is_pace(&[0x31, 0x03, 0x02, 0x01, 0x02]));
    }
}
