//! Raw figures for the front desk's statistics: every ticket of a range of days with the
//! moments that matter (queued, first called, started, finished) and the estimate it was given.

use sqlx::Row;

use super::{Db, StoreError};

/// One visit, reduced to what statistics need. No personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFigures {
    pub day: String,
    pub service_id: String,
    pub origin: String,
    pub status: String,
    pub issued_at: i64,
    pub queued_at: i64,
    pub first_called_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// The estimate given at issue, minutes (optimistic, expected).
    pub estimate: Option<(i64, i64)>,
}

impl Db {
    /// Tickets of an office from `from_day` to `to_day` (inclusive, `YYYY-MM-DD`).
    pub async fn visit_figures(
        &self,
        office_id: &str,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<VisitFigures>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.day, t.service_id, t.origin, t.status, t.issued_at, t.queued_at, t.started_at, t.finished_at, \
             t.estimate_low, t.estimate_high, \
             (SELECT MIN(e.at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.to_status = 'called') AS first_called_at \
             FROM tickets t WHERE t.office_id = $1 AND t.day >= $2 AND t.day <= $3 ORDER BY t.issued_at, t.id",
        )
        .bind(office_id)
        .bind(from_day)
        .bind(to_day)
        .fetch_all(self.read())
        .await?;
        rows.iter()
            .map(|r| {
                let low: Option<i64> = r.try_get("estimate_low")?;
                let high: Option<i64> = r.try_get("estimate_high")?;
                Ok(VisitFigures {
                    day: r.try_get("day")?,
                    service_id: r.try_get("service_id")?,
                    origin: r.try_get("origin")?,
                    status: r.try_get("status")?,
                    issued_at: r.try_get("issued_at")?,
                    queued_at: r.try_get("queued_at")?,
                    first_called_at: r.try_get("first_called_at")?,
                    started_at: r.try_get("started_at")?,
                    finished_at: r.try_get("finished_at")?,
                    estimate: low.zip(high),
                })
            })
            .collect()
    }
}
