//! Public live streams: the calls of an office for the waiting-room display (numbers and
//! counters only) and a "something changed" stream for the visitor's phone page.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::error::ApiError;
use super::events::Event;
use super::state::AppState;
use super::views::rfc3339;
use crate::queue;
use crate::store::catalog::Office;
use terminal_api::ErrorCode;

/// Public streams open at once; more are refused with 503 so a flood cannot exhaust the server.
pub const MAX_PUBLIC_STREAMS: usize = 5000;

static OPEN_STREAMS: AtomicUsize = AtomicUsize::new(0);

/// Holds one slot of [`MAX_PUBLIC_STREAMS`] while a stream is open.
struct StreamSlot;

impl StreamSlot {
    fn take() -> Result<Arc<Self>, ApiError> {
        if OPEN_STREAMS.fetch_add(1, Ordering::Relaxed) >= MAX_PUBLIC_STREAMS {
            OPEN_STREAMS.fetch_sub(1, Ordering::Relaxed);
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::TooManyStreams,
                "Too many open displays; try again shortly.",
            ));
        }
        Ok(Arc::new(Self))
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        OPEN_STREAMS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// One call as the waiting room sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicCall {
    pub display_number: String,
    pub counter: String,
    pub at: String,
}

/// The display's starting point: the office name and the latest calls, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecentCalls {
    pub office_name: String,
    pub calls: Vec<PublicCall>,
}

async fn office(state: &AppState, office_id: &str) -> Result<Office, ApiError> {
    if office_id.len() > 64 {
        return Err(ApiError::not_found(
            ErrorCode::UnknownOffice,
            "No such office.",
        ));
    }
    state
        .db
        .office(office_id)
        .await?
        .ok_or_else(|| ApiError::not_found(ErrorCode::UnknownOffice, "No such office."))
}

#[utoipa::path(get, path = "/api/v1/public/offices/{office_id}/calls", tag = "public",
    params(("office_id" = String, Path)),
    responses((status = 200, body = RecentCalls), (status = 404, body = super::error::ErrorBody)))]
pub async fn recent(
    State(state): State<AppState>,
    Path(office_id): Path<String>,
) -> Result<Json<RecentCalls>, ApiError> {
    let office = office(&state, &office_id).await?;
    let day = queue::office_day(&office, state.clock.now());
    let counters = state.db.counters(&office.id).await?;
    let calls = state
        .db
        .recent_calls(&office.id, &day, 8)
        .await?
        .into_iter()
        .map(|c| PublicCall {
            counter: c
                .counter_id
                .as_ref()
                .and_then(|id| counters.iter().find(|k| &k.id == id))
                .map_or_else(
                    || c.counter_id.clone().unwrap_or_default(),
                    |k| k.name.clone(),
                ),
            display_number: c.display_number,
            at: rfc3339(c.at),
        })
        .collect();
    Ok(Json(RecentCalls {
        office_name: office.name,
        calls,
    }))
}

type BoxedEvents = std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>>;
type SseStream = Sse<axum::response::sse::KeepAliveStream<BoxedEvents>>;

fn office_stream(
    state: &AppState,
    office_id: String,
    slot: Arc<StreamSlot>,
    map: fn(&Event) -> Option<SseEvent>,
) -> SseStream {
    let stream = BroadcastStream::new(state.events.subscribe()).filter_map(move |e| {
        let _slot = &slot;
        match e {
            Ok(event) if event.office_id() == office_id => map(&event).map(Ok),
            Ok(_) => None,
            Err(_) => Some(Ok(SseEvent::default().event("resync").data("{}"))),
        }
    });
    let hello = tokio_stream::once(Ok(SseEvent::default().event("hello").data("{}")));
    // A named event the page can see (comments are invisible to scripts): a display that hears
    // nothing for a while knows its connection is dead even when TCP has not noticed.
    let pings = futures_util::stream::unfold((), |()| async {
        tokio::time::sleep(PING_INTERVAL).await;
        Some((Ok(SseEvent::default().event("ping").data("{}")), ()))
    });
    Sse::new(Box::pin(hello.chain(stream.merge(pings))) as BoxedEvents)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
}

/// How often the public streams send a `ping` event.
pub const PING_INTERVAL: Duration = Duration::from_secs(10);

#[utoipa::path(get, path = "/api/v1/public/offices/{office_id}/calls/events", tag = "public",
    params(("office_id" = String, Path)),
    responses((status = 200, description = "text/event-stream: `called` with PublicCall, `resync`, `hello`, `ping` every 10 s")))]
pub async fn events(
    State(state): State<AppState>,
    Path(office_id): Path<String>,
) -> Result<SseStream, ApiError> {
    let office = office(&state, &office_id).await?;
    let slot = StreamSlot::take()?;
    Ok(office_stream(
        &state,
        office.id,
        slot,
        |event| match event {
            Event::Called {
                display_number,
                counter,
                at,
                ..
            } => SseEvent::default()
                .event("called")
                .json_data(PublicCall {
                    display_number: display_number.clone(),
                    counter: counter.clone(),
                    at: at.clone(),
                })
                .ok(),
            _ => None,
        },
    ))
}

#[utoipa::path(get, path = "/api/v1/public/tickets/{token}/events", tag = "public",
    params(("token" = String, Path)),
    responses((status = 200, description = "text/event-stream: `changed` whenever the office's queue moves; reload the ticket then"),
        (status = 404, body = super::error::ErrorBody)))]
pub async fn ticket_events(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<SseStream, ApiError> {
    let (_, office) = super::public::todays_ticket(&state, &token).await?;
    let slot = StreamSlot::take()?;
    Ok(office_stream(
        &state,
        office.id,
        slot,
        |event| match event {
            Event::Ticket { .. } | Event::Called { .. } => {
                Some(SseEvent::default().event("changed").data("{}"))
            }
            _ => None,
        },
    ))
}
