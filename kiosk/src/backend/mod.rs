//! The back-office contract the kiosk depends on, as a trait: the reference back office over
//! HTTPS implements it, and so can a city's own queue system behind an adapter, or a test fake.

pub mod https;
pub mod retry;
pub mod wire;

use std::future::Future;
use std::pin::Pin;

use thiserror::Error;

use crate::flow::{CheckInOutcome, ServiceTree, Unreachable, WalkInOutcome};
use crate::offline::{Block, OfflineTicket};

/// A boxed future, so the trait can be used as `dyn BackOffice`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What the terminal reports every few seconds (the contract's heartbeat).
pub use terminal_api::HeartbeatRequest as Heartbeat;
pub use terminal_api::{DeviceCondition, DeviceKind, DeviceReport, HelpRequest, OfflineOutcome};

/// Why the back office gave no usable answer.
#[derive(Debug, Error)]
pub enum ClientError {
    /// No connection, or no answer in time, after every retry.
    #[error("back office unreachable: check the network and the back-office address")]
    Unreachable(#[source] reqwest::Error),
    /// Too many failures lately: not trying until the cool-down ends.
    #[error("back office failing repeatedly; not retrying until the cool-down ends")]
    CircuitOpen,
    /// The back office refused the terminal or the request.
    #[error(
        "back office answered {status} {code}: check the terminal's certificate and configuration"
    )]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The error code from the body (`Unknown` if there was none).
        code: terminal_api::ErrorCode,
    },
    /// The back office kept failing on its side.
    #[error("back office error {status} after retries")]
    Server {
        /// HTTP status.
        status: u16,
    },
    /// The answer could not be read.
    #[error("back office answer unreadable")]
    BadAnswer(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The client could not be set up.
    #[error("cannot set up the HTTPS client: check the certificate files")]
    Setup(#[source] reqwest::Error),
}

impl ClientError {
    /// Whether the back office could not be reached or cannot serve right now (no connection,
    /// 502, 503, 504), so offline mode applies. A 500 is a bug on its side, not an outage:
    /// no offline ticket for it.
    pub fn is_offline(&self) -> bool {
        match self {
            ClientError::Unreachable(_) | ClientError::CircuitOpen => true,
            ClientError::Server { status } => (502..=504).contains(status),
            _ => false,
        }
    }

    /// What the visitor is told.
    pub fn unreachable(&self) -> Unreachable {
        match self {
            ClientError::Rejected { status, .. } if *status == 401 || *status == 403 => {
                Unreachable::Refused
            }
            _ => Unreachable::Offline,
        }
    }
}

/// The back office as the kiosk uses it.
pub trait BackOffice: Send + Sync {
    /// The office and its services with their state now.
    fn services(&self) -> BoxFuture<'_, Result<ServiceTree, ClientError>>;
    /// Checks a booking in (one attempt; retries inside reuse its idempotency key).
    fn check_in<'a>(
        &'a self,
        booking: &'a str,
        code: &'a str,
    ) -> BoxFuture<'a, Result<CheckInOutcome, ClientError>>;
    /// Draws a walk-in number.
    fn walk_in<'a>(
        &'a self,
        service_id: &'a str,
    ) -> BoxFuture<'a, Result<WalkInOutcome, ClientError>>;
    /// Reports versions and device health; answers with the supervisor's lock message while
    /// the terminal is locked.
    fn heartbeat<'a>(
        &'a self,
        beat: &'a Heartbeat,
    ) -> BoxFuture<'a, Result<Option<String>, ClientError>>;
    /// Reserves `count` offline numbers for today.
    fn offline_block(&self, count: u32) -> BoxFuture<'_, Result<Block, ClientError>>;
    /// Files tickets issued offline; returns what became of each number.
    fn offline_tickets<'a>(
        &'a self,
        tickets: &'a [OfflineTicket],
    ) -> BoxFuture<'a, Result<Vec<(String, OfflineOutcome)>, ClientError>>;
}

#[cfg(test)]
mod tests {
    use super::ClientError;

    #[test]
    fn outages_are_offline_bugs_are_not() {
        assert!(ClientError::CircuitOpen.is_offline());
        assert!(ClientError::Server { status: 503 }.is_offline());
        assert!(ClientError::Server { status: 502 }.is_offline());
        assert!(!ClientError::Server { status: 500 }.is_offline());
        let refused = ClientError::Rejected {
            status: 403,
            code: terminal_api::ErrorCode::UnknownTerminal,
        };
        assert!(!refused.is_offline());
    }
}
