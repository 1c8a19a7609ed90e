//! The terminal fleet: identity by client-certificate fingerprint, heartbeats, device health,
//! and blocks of numbers reserved for offline use.

use sqlx::Row;
use sqlx::any::AnyRow;
use terminal_api::DeviceReport;

use super::{Db, StoreError, tickets};

/// A terminal as the back office knows it.
#[derive(Debug, Clone)]
pub struct Terminal {
    pub id: String,
    pub office_id: String,
    pub name: String,
    pub cert_fingerprint: Option<String>,
    pub last_heartbeat: Option<i64>,
    pub app_version: Option<String>,
    pub config_version: Option<String>,
    pub health: Vec<DeviceReport>,
    /// When a visitor at the terminal asked for help (ms), while the request is open.
    pub help_requested_at: Option<i64>,
}

fn terminal_from(row: &AnyRow) -> Result<Terminal, StoreError> {
    let health: String = row.try_get("health_json")?;
    Ok(Terminal {
        id: row.try_get("id")?,
        office_id: row.try_get("office_id")?,
        name: row.try_get("name")?,
        cert_fingerprint: row.try_get("cert_fingerprint")?,
        last_heartbeat: row.try_get("last_heartbeat")?,
        app_version: row.try_get("app_version")?,
        config_version: row.try_get("config_version")?,
        health: serde_json::from_str(&health)?,
        help_requested_at: row.try_get("help_requested_at")?,
    })
}

impl Db {
    pub async fn terminal_by_fingerprint(
        &self,
        fingerprint: &str,
    ) -> Result<Option<Terminal>, StoreError> {
        if let Some(known) = self.terminal_cache.get(fingerprint) {
            return Ok(known);
        }
        let generation = self.terminal_cache.generation();
        let terminal = sqlx::query("SELECT * FROM terminals WHERE cert_fingerprint = $1")
            .bind(fingerprint)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(terminal_from)
            .transpose()?;
        self.terminal_cache
            .put(generation, fingerprint.to_owned(), terminal.clone());
        Ok(terminal)
    }

    pub async fn terminals(&self, office_id: Option<&str>) -> Result<Vec<Terminal>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM terminals WHERE ($1 = '' OR office_id = $1) ORDER BY name")
                .bind(office_id.unwrap_or(""))
                .fetch_all(self.read())
                .await?;
        rows.iter().map(terminal_from).collect()
    }

    pub async fn insert_terminal(
        &self,
        id: &str,
        office_id: &str,
        name: &str,
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO terminals (id, office_id, name, cert_fingerprint) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(office_id)
        .bind(name)
        .bind(fingerprint)
        .execute(self.write())
        .await?;
        self.terminal_cache.invalidate();
        Ok(())
    }

    pub async fn record_heartbeat(
        &self,
        id: &str,
        at: i64,
        app_version: &str,
        config_version: &str,
        health: &[DeviceReport],
        help_requested_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE terminals SET last_heartbeat = $1, app_version = $2, config_version = $3, health_json = $4, help_requested_at = $5 WHERE id = $6",
        )
        .bind(at)
        .bind(app_version)
        .bind(config_version)
        .bind(serde_json::to_string(health)?)
        .bind(help_requested_at)
        .bind(id)
        .execute(self.write())
        .await?;
        self.terminal_cache.invalidate();
        Ok(())
    }

    /// Reserves `count` offline numbers for a terminal; `None` when the range has no room.
    pub async fn allocate_offline_block(
        &self,
        terminal_id: &str,
        office_id: &str,
        day: &str,
        prefix: char,
        count: u32,
    ) -> Result<Option<(u32, u32)>, StoreError> {
        let mut tx = self.write().begin().await?;
        let Some((first, last)) =
            tickets::reserve_block(&mut tx, office_id, day, prefix, count, (1, 999)).await?
        else {
            return Ok(None);
        };
        sqlx::query(
            "INSERT INTO offline_blocks (terminal_id, day, prefix, first_number, last_number) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(terminal_id)
        .bind(day)
        .bind(prefix.to_string())
        .bind(i64::from(first))
        .bind(i64::from(last))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some((first, last)))
    }

    /// Whether `number` lies in a block reserved for this terminal on `day`.
    pub async fn owns_offline_number(
        &self,
        terminal_id: &str,
        day: &str,
        prefix: char,
        number: u32,
    ) -> Result<bool, StoreError> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM offline_blocks WHERE terminal_id = $1 AND day = $2 AND prefix = $3 \
             AND first_number <= $4 AND last_number >= $4",
        )
        .bind(terminal_id)
        .bind(day)
        .bind(prefix.to_string())
        .bind(i64::from(number))
        .fetch_optional(self.read())
        .await?;
        Ok(found.is_some())
    }
}
