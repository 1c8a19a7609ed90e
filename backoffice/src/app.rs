//! The whole HTTP application: the API's routes and the web pages, with the layers every
//! request passes (body limit, request id, request span, error bodies). The one place that
//! knows both `api` and `web`.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderName;
use tower_http::LatencyUnit;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::api::{self, AppState, BODY_LIMIT, error};

/// Every route with its layers.
pub fn router(state: AppState) -> Router {
    api::routes()
        .merge(crate::web::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            // Outermost first: a usable request id (the client's or a new one), echoed in
            // the answer; a span with it around everything the request does; error bodies
            // that name it.
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(error::drop_unusable_request_id))
                .layer(SetRequestIdLayer::new(
                    HeaderName::from_static(error::REQUEST_ID),
                    error::NewRequestId,
                ))
                .layer(PropagateRequestIdLayer::new(HeaderName::from_static(
                    error::REQUEST_ID,
                )))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(error::request_span)
                        .on_request(())
                        .on_response(
                            DefaultOnResponse::new()
                                .level(tracing::Level::DEBUG)
                                .latency_unit(LatencyUnit::Micros),
                        ),
                )
                .layer(axum::middleware::from_fn(error::render_errors)),
        )
        .with_state(state)
}
