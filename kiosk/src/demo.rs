//! Demo mode (feature `demo`): the reference back office with its demo office started on
//! `127.0.0.1`, the demo terminal's client for it, and the demo bookings the start screen
//! offers to tap.

use std::sync::Arc;

pub use backoffice::demo::{DemoBackOffice, DemoError};
use terminal_api::booking::QR_PREFIX;

use crate::backend::https::{HttpsBackOffice, HttpsConfig};
use crate::ui::DemoBooking;

/// Starts the demo back office with its data in `dir` on a free local port. Call inside a
/// tokio runtime.
pub async fn start_back_office(dir: &std::path::Path) -> Result<DemoBackOffice, DemoError> {
    let any_port = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let embedded = backoffice::demo::start(dir, any_port).await?;
    tracing::info!(
        port = embedded.server.addr.port(),
        "embedded back office started"
    );
    Ok(embedded)
}

/// The demo terminal's client for the embedded back office.
pub fn client(embedded: &DemoBackOffice) -> anyhow::Result<Arc<HttpsBackOffice>> {
    let pki = &embedded.pki;
    let config = HttpsConfig::from_files(
        embedded.url(),
        &pki.server.ca,
        &pki.terminal_cert,
        &pki.terminal_key,
    )?;
    Ok(Arc::new(HttpsBackOffice::new(config)?))
}

/// A few demo bookings to show on the start screen: on time, too early, too late, and at the
/// other office.
pub fn demo_bookings(embedded: &DemoBackOffice) -> Vec<DemoBooking> {
    let now = jiff::Timestamp::now();
    // Index 12 is the slot of "now" (see backoffice::demo::appointments_around).
    [12, 13, 11, 20, 6, 30]
        .into_iter()
        .filter_map(|i| embedded.appointments.get(i))
        .map(|a| {
            let at = crate::format::when(a.starts_at, now, crate::flow::Lang::De);
            let other = if a.office_id == backoffice::demo::OFFICE {
                ""
            } else {
                " ⌂"
            };
            DemoBooking {
                label: format!("{at}{other} · {} · {}", a.booking_number, a.code),
                payload: format!("{QR_PREFIX}{}:{}", a.booking_number, a.code),
            }
        })
        .collect()
}
