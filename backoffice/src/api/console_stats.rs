//! Statistics for a day or a range of days: tickets per hour, the waiting-time distribution,
//! processing time per service, no-shows and how good the wait estimates were; as JSON, as
//! SVG charts and as CSV.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::console_charts::bar_chart;
use super::error::ApiError;
use super::issue::office_of;
use super::staff_auth::StaffSession;
use super::state::AppState;
use crate::queue;
use crate::store::console_stats::VisitFigures;
use terminal_api::ErrorCode;

/// Upper bounds (minutes) of the waiting-time buckets; the last bucket is open.
pub const WAIT_BUCKETS: [u32; 8] = [5, 10, 15, 20, 30, 45, 60, 90];

/// The days asked for; both default to today.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// First day (`2026-11-27`), today without it.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, `from` without it.
    #[param(format = Date)]
    pub to: Option<String>,
}

/// Processing time of one service.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceFigures {
    pub service_id: String,
    pub tickets: u32,
    pub finished: u32,
    pub no_shows: u32,
    /// Mean minutes from start to finish, where both are known.
    pub mean_processing_minutes: Option<f64>,
}

/// Statistics of a range of days.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub from: String,
    pub to: String,
    pub tickets: u32,
    pub finished: u32,
    pub no_shows: u32,
    pub cancelled: u32,
    /// Tickets issued per office-local hour (0–23).
    pub tickets_per_hour: Vec<u32>,
    /// Waits (queued → first call) per bucket of [`WAIT_BUCKETS`], plus one open bucket.
    pub wait_buckets: Vec<u32>,
    pub mean_wait_minutes: Option<f64>,
    pub services: Vec<ServiceFigures>,
    /// Tickets whose estimate can be compared with the real wait.
    pub estimated: u32,
    /// Mean absolute error of the expected wait against the real one, minutes.
    pub estimate_mean_abs_error_minutes: Option<f64>,
    /// Share of real waits inside the promised range.
    pub estimate_within_range: Option<f64>,
}

fn minutes(ms: i64) -> f64 {
    ms as f64 / 60_000.0
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Computes the statistics of `visits` (pure; `tz` gives the office-local hour).
pub fn compute(from: &str, to: &str, visits: &[VisitFigures], tz: &jiff::tz::TimeZone) -> Stats {
    let mut per_hour = vec![0u32; 24];
    let mut buckets = vec![0u32; WAIT_BUCKETS.len() + 1];
    let mut waits = Vec::new();
    let mut errors = Vec::new();
    let mut within = 0u32;
    let mut services: Vec<(ServiceFigures, Vec<f64>)> = Vec::new();
    for v in visits {
        if let Ok(t) = jiff::Timestamp::from_millisecond(v.issued_at) {
            per_hour[t.to_zoned(tz.clone()).hour() as usize] += 1;
        }
        let idx = match services
            .iter()
            .position(|(s, _)| s.service_id == v.service_id)
        {
            Some(i) => i,
            None => {
                let figures = ServiceFigures {
                    service_id: v.service_id.clone(),
                    tickets: 0,
                    finished: 0,
                    no_shows: 0,
                    mean_processing_minutes: None,
                };
                services.push((figures, Vec::new()));
                services.len() - 1
            }
        };
        let (figures, processing) = &mut services[idx];
        figures.tickets += 1;
        figures.finished += u32::from(v.status == "finished");
        figures.no_shows += u32::from(v.status == "no_show");
        if let (Some(start), Some(end), "finished") =
            (v.started_at, v.finished_at, v.status.as_str())
        {
            processing.push(minutes(end - start).max(0.0));
        }
        if let Some(called) = v.first_called_at {
            let wait = minutes(called - v.queued_at).max(0.0);
            waits.push(wait);
            let b = WAIT_BUCKETS
                .iter()
                .position(|&limit| wait < f64::from(limit))
                .unwrap_or(WAIT_BUCKETS.len());
            buckets[b] += 1;
            if let Some((low, high)) = v.estimate {
                errors.push((wait - high as f64).abs());
                within += u32::from(wait >= low as f64 - 0.5 && wait <= high as f64 + 0.5);
            }
        }
    }
    let count = |status: &str| visits.iter().filter(|v| v.status == status).count() as u32;
    Stats {
        from: from.to_owned(),
        to: to.to_owned(),
        tickets: visits.len() as u32,
        finished: count("finished"),
        no_shows: count("no_show"),
        cancelled: count("cancelled"),
        tickets_per_hour: per_hour,
        wait_buckets: buckets,
        mean_wait_minutes: mean(&waits),
        services: services
            .into_iter()
            .map(|(mut f, p)| {
                f.mean_processing_minutes = mean(&p);
                f
            })
            .collect(),
        estimated: errors.len() as u32,
        estimate_mean_abs_error_minutes: mean(&errors),
        estimate_within_range: (!errors.is_empty())
            .then(|| f64::from(within) / errors.len() as f64),
    }
}

async fn load(
    state: &AppState,
    s: &StaffSession,
    range: &Range,
) -> Result<(Stats, Vec<VisitFigures>), ApiError> {
    let office = office_of(state, s.office_id()).await?;
    let today = queue::office_day(&office, state.clock.now());
    let parse = |value: &Option<String>, field: &'static str| -> Result<Date, ApiError> {
        let text = value.as_deref().unwrap_or(&today);
        text.parse::<Date>().map_err(|_| {
            ApiError::bad_request(ErrorCode::InvalidField, "Give dates as YYYY-MM-DD.").field(field)
        })
    };
    let (from, to) = (parse(&range.from, "from")?, parse(&range.to, "to")?);
    if from > to {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidField,
            "The range starts after it ends.",
        )
        .field("from"));
    }
    if from.until(to).map_or(true, |span| span.get_days() > 366) {
        return Err(
            ApiError::bad_request(ErrorCode::InvalidField, "At most one year at a time.")
                .field("to"),
        );
    }
    let (from, to) = (from.to_string(), to.to_string());
    let visits = state.db.visit_figures(&office.id, &from, &to).await?;
    Ok((compute(&from, &to, &visits, &office.timezone), visits))
}

#[utoipa::path(get, path = "/api/v1/staff/console/stats", tag = "console", params(Range), responses((status = 200, body = Stats)))]
pub async fn stats(
    State(state): State<AppState>,
    s: StaffSession,
    Query(range): Query<Range>,
) -> Result<Json<Stats>, ApiError> {
    Ok(Json(load(&state, &s, &range).await?.0))
}

#[utoipa::path(get, path = "/api/v1/staff/console/stats.csv", tag = "console", params(Range),
    responses((status = 200, description = "text/csv, one row per visit, no personal data")))]
pub async fn csv(
    State(state): State<AppState>,
    s: StaffSession,
    Query(range): Query<Range>,
) -> Result<Response, ApiError> {
    let (stats, visits) = load(&state, &s, &range).await?;
    let mut out = String::from(
        "day,service,origin,status,issued_at,wait_minutes,processing_minutes,estimate_low,estimate_high\r\n",
    );
    let opt = |v: Option<f64>| v.map(|m| format!("{m:.1}")).unwrap_or_default();
    for v in &visits {
        let wait = v.first_called_at.map(|c| minutes(c - v.queued_at));
        let processing = v.started_at.zip(v.finished_at).map(|(a, b)| minutes(b - a));
        let (low, high) = v.estimate.map_or((String::new(), String::new()), |(l, h)| {
            (l.to_string(), h.to_string())
        });
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\r\n",
            v.day,
            v.service_id,
            v.origin,
            v.status,
            super::views::rfc3339(v.issued_at),
            opt(wait),
            opt(processing),
            low,
            high
        ));
    }
    let name = format!(
        "attachment; filename=\"statistik-{}-{}.csv\"",
        stats.from, stats.to
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, name),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/staff/console/stats/charts/{chart}", tag = "console",
    params(("chart" = String, Path, description = "hourly, waits or processing"), Range),
    responses((status = 200, description = "image/svg+xml")))]
pub async fn chart(
    State(state): State<AppState>,
    s: StaffSession,
    Path(chart): Path<String>,
    Query(range): Query<Range>,
) -> Result<Response, ApiError> {
    let (stats, _) = load(&state, &s, &range).await?;
    let svg = match chart.as_str() {
        "hourly" => {
            let labels: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
            let values: Vec<f64> = stats
                .tickets_per_hour
                .iter()
                .map(|&n| f64::from(n))
                .collect();
            bar_chart(
                "Tickets pro Stunde / tickets per hour",
                &labels,
                &values,
                "Tickets",
            )
        }
        "waits" => {
            let mut labels: Vec<String> = Vec::new();
            let mut lower = 0;
            for upper in WAIT_BUCKETS {
                labels.push(format!("{lower}–{upper}"));
                lower = upper;
            }
            labels.push(format!("≥{lower}"));
            let values: Vec<f64> = stats.wait_buckets.iter().map(|&n| f64::from(n)).collect();
            bar_chart(
                "Wartezeiten / waiting times (Min.)",
                &labels,
                &values,
                "Personen",
            )
        }
        "processing" => {
            let names = state.db.services(s.office_id()).await?;
            let labels: Vec<String> = stats
                .services
                .iter()
                .map(|f| {
                    names
                        .iter()
                        .find(|n| n.id == f.service_id)
                        .map_or(f.service_id.clone(), |n| n.names.get("de").to_owned())
                })
                .collect();
            let values: Vec<f64> = stats
                .services
                .iter()
                .map(|f| f.mean_processing_minutes.unwrap_or(0.0))
                .collect();
            bar_chart(
                "Bearbeitungszeit / processing time",
                &labels,
                &values,
                "Min.",
            )
        }
        _ => {
            return Err(ApiError::not_found(
                ErrorCode::UnknownChart,
                "Charts: hourly, waits, processing.",
            ));
        }
    };
    Ok((
        [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "no-store")],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(
        status: &str,
        queued: i64,
        called: Option<i64>,
        estimate: Option<(i64, i64)>,
    ) -> VisitFigures {
        VisitFigures {
            day: "2026-11-26".into(),
            service_id: "anmeldung".into(),
            origin: "walk_in".into(),
            status: status.into(),
            issued_at: queued,
            queued_at: queued,
            first_called_at: called,
            started_at: called,
            finished_at: called.map(|c| c + 10 * 60_000),
            estimate,
        }
    }

    #[test]
    fn counts_waits_no_shows_and_estimate_error() {
        let t0 = 1_764_144_000_000; // 2025-11-26 08:00 UTC, 09:00 in Berlin
        let visits = [
            visit("finished", t0, Some(t0 + 12 * 60_000), Some((8, 10))),
            visit("no_show", t0, Some(t0 + 3 * 60_000), Some((0, 5))),
            visit("waiting", t0, None, None),
        ];
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let s = compute("2026-11-26", "2026-11-26", &visits, &tz);
        assert_eq!((s.tickets, s.finished, s.no_shows), (3, 1, 1));
        assert_eq!(s.tickets_per_hour[9], 3);
        assert_eq!(s.wait_buckets[0], 1, "3 min");
        assert_eq!(s.wait_buckets[2], 1, "12 min");
        assert_eq!(s.estimated, 2);
        assert_eq!(s.estimate_mean_abs_error_minutes, Some(2.0));
        assert_eq!(s.estimate_within_range, Some(0.5));
        assert_eq!(s.services[0].mean_processing_minutes, Some(10.0));
    }
}
