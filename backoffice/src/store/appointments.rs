//! Appointments booked ahead: looked up by booking number; wrong codes are counted and lock
//! the booking for a while.

use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, StoreError};

/// A stored appointment. `display_name` is the only personal datum (e.g. "Frau K."), shown
/// to staff only.
#[derive(Debug, Clone)]
pub struct Appointment {
    pub id: i64,
    pub booking_number: String,
    pub code_hash: String,
    pub office_id: String,
    pub service_id: String,
    pub starts_at: i64,
    pub display_name: String,
    pub failed_attempts: u32,
    pub locked_until: i64,
    pub ticket_id: Option<i64>,
}

/// Hash of a booking code as stored (salted with the booking number).
pub fn code_hash(booking_number: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!(
        "{booking_number}:{}",
        code.to_ascii_uppercase()
    )))
}

fn appointment_from(row: &AnyRow) -> Result<Appointment, StoreError> {
    Ok(Appointment {
        id: row.try_get("id")?,
        booking_number: row.try_get("booking_number")?,
        code_hash: row.try_get("code_hash")?,
        office_id: row.try_get("office_id")?,
        service_id: row.try_get("service_id")?,
        starts_at: row.try_get("starts_at")?,
        display_name: row.try_get("display_name")?,
        failed_attempts: row.try_get::<i64, _>("failed_attempts")? as u32,
        locked_until: row.try_get("locked_until")?,
        ticket_id: row.try_get("ticket_id")?,
    })
}

impl Db {
    pub async fn appointment(
        &self,
        booking_number: &str,
    ) -> Result<Option<Appointment>, StoreError> {
        sqlx::query("SELECT * FROM appointments WHERE booking_number = $1")
            .bind(booking_number)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(appointment_from)
            .transpose()
    }

    /// Appointments of an office in `[from, until)`, for the wait estimate and the console.
    pub async fn appointments_between(
        &self,
        office_id: &str,
        from: i64,
        until: i64,
    ) -> Result<Vec<Appointment>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM appointments WHERE office_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at",
        )
        .bind(office_id)
        .bind(from)
        .bind(until)
        .fetch_all(self.read())
        .await?;
        rows.iter().map(appointment_from).collect()
    }

    /// Counts a wrong code; after `max` failures the booking is locked until `lock_until`.
    /// Returns the number of failures so far.
    pub async fn record_wrong_code(
        &self,
        id: i64,
        max: u32,
        lock_until: i64,
    ) -> Result<u32, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "UPDATE appointments SET failed_attempts = failed_attempts + 1, \
             locked_until = CASE WHEN failed_attempts + 1 >= $1 THEN $2 ELSE locked_until END \
             WHERE id = $3 RETURNING failed_attempts",
        )
        .bind(i64::from(max))
        .bind(lock_until)
        .bind(id)
        .fetch_one(self.write())
        .await?;
        Ok(n as u32)
    }

    pub async fn reset_wrong_codes(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE appointments SET failed_attempts = 0, locked_until = 0 WHERE id = $1 AND failed_attempts <> 0")
            .bind(id)
            .execute(self.write())
            .await?;
        Ok(())
    }

    pub async fn insert_appointment(&self, a: &Appointment) -> Result<i64, StoreError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO appointments (booking_number, code_hash, office_id, service_id, starts_at, display_name) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&a.booking_number)
        .bind(&a.code_hash)
        .bind(&a.office_id)
        .bind(&a.service_id)
        .bind(a.starts_at)
        .bind(&a.display_name)
        .fetch_one(self.write())
        .await?;
        Ok(id)
    }
}
