//! Offices, service groups, services and counters: the configuration a supervisor edits.

use std::sync::Arc;

use serde::{Serialize, de::DeserializeOwned};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, StoreError};
use crate::domain::text::Texts;
use crate::domain::{OfficeRules, ServiceRules};

/// One office's configuration as read together.
#[derive(Debug, Clone)]
pub struct OfficeCatalog {
    pub office: Office,
    /// In display order.
    pub groups: Vec<ServiceGroup>,
    /// In display order (by group, then service).
    pub services: Vec<Service>,
    /// In display order.
    pub counters: Vec<Counter>,
}

impl OfficeCatalog {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&ServiceGroup> {
        self.groups.iter().find(|g| g.id == id)
    }
}

/// An office with its rules.
#[derive(Debug, Clone)]
pub struct Office {
    pub id: String,
    pub name: String,
    pub address: String,
    pub timezone: jiff::tz::TimeZone,
    pub rules: OfficeRules,
    /// Prefix letter for appointment tickets.
    pub appointment_prefix: char,
    /// Prefix letter for numbers terminals hand out while offline.
    pub offline_prefix: char,
}

/// A group of services sharing a ticket prefix and number range.
#[derive(Debug, Clone)]
pub struct ServiceGroup {
    pub id: String,
    pub office_id: String,
    pub prefix: char,
    pub names: Texts,
    pub first_number: u32,
    pub last_number: u32,
}

/// A service visitors can choose.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub office_id: String,
    pub group_id: String,
    pub names: Texts,
    pub waiting_area: Texts,
    pub average_minutes: u32,
    pub rules: ServiceRules,
}

/// A counter (Platz) where staff serve visitors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Counter {
    pub id: String,
    pub name: String,
}

fn json<T: DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    let text: String = row.try_get(col)?;
    Ok(serde_json::from_str(&text)?)
}

fn letter(row: &AnyRow, col: &str) -> Result<char, StoreError> {
    let text: String = row.try_get(col)?;
    text.chars()
        .next()
        .ok_or_else(|| StoreError::Corrupt(format!("empty {col}")))
}

fn office_from(row: &AnyRow) -> Result<Office, StoreError> {
    let tz: String = row.try_get("timezone")?;
    Ok(Office {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        timezone: jiff::tz::TimeZone::get(&tz)
            .map_err(|_| StoreError::Corrupt(format!("unknown time zone {tz}")))?,
        rules: json(row, "rules_json")?,
        appointment_prefix: letter(row, "appointment_prefix")?,
        offline_prefix: letter(row, "offline_prefix")?,
    })
}

fn service_from(row: &AnyRow) -> Result<Service, StoreError> {
    Ok(Service {
        id: row.try_get("id")?,
        office_id: row.try_get("office_id")?,
        group_id: row.try_get("group_id")?,
        names: json(row, "names_json")?,
        waiting_area: json(row, "waiting_area_json")?,
        average_minutes: row.try_get::<i64, _>("average_minutes")? as u32,
        rules: json(row, "rules_json")?,
    })
}

fn group_from(row: &AnyRow) -> Result<ServiceGroup, StoreError> {
    Ok(ServiceGroup {
        id: row.try_get("id")?,
        office_id: row.try_get("office_id")?,
        prefix: letter(row, "prefix")?,
        names: json(row, "names_json")?,
        first_number: row.try_get::<i64, _>("first_number")? as u32,
        last_number: row.try_get::<i64, _>("last_number")? as u32,
    })
}

impl Db {
    /// The office's configuration, from the in-process copy while it is fresh.
    pub async fn catalog(&self, office_id: &str) -> Result<Option<Arc<OfficeCatalog>>, StoreError> {
        if let Some(c) = self.catalog_cache.get(office_id) {
            return Ok(Some(c));
        }
        let generation = self.catalog_cache.generation();
        let Some(office) = self.load_office(office_id).await? else {
            return Ok(None);
        };
        let catalog = Arc::new(OfficeCatalog {
            groups: self.load_service_groups(office_id).await?,
            services: self.load_services(office_id).await?,
            counters: self.load_counters(office_id).await?,
            office,
        });
        self.catalog_cache
            .put(generation, office_id.to_owned(), catalog.clone());
        Ok(Some(catalog))
    }

    pub async fn office(&self, id: &str) -> Result<Option<Office>, StoreError> {
        Ok(self.catalog(id).await?.map(|c| c.office.clone()))
    }

    pub async fn service_groups(&self, office_id: &str) -> Result<Vec<ServiceGroup>, StoreError> {
        Ok(self
            .catalog(office_id)
            .await?
            .map(|c| c.groups.clone())
            .unwrap_or_default())
    }

    pub async fn services(&self, office_id: &str) -> Result<Vec<Service>, StoreError> {
        Ok(self
            .catalog(office_id)
            .await?
            .map(|c| c.services.clone())
            .unwrap_or_default())
    }

    pub async fn counters(&self, office_id: &str) -> Result<Vec<Counter>, StoreError> {
        Ok(self
            .catalog(office_id)
            .await?
            .map(|c| c.counters.clone())
            .unwrap_or_default())
    }

    async fn load_office(&self, id: &str) -> Result<Option<Office>, StoreError> {
        sqlx::query("SELECT * FROM offices WHERE id = $1")
            .bind(id)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(office_from)
            .transpose()
    }

    pub async fn offices(&self) -> Result<Vec<Office>, StoreError> {
        let rows = sqlx::query("SELECT * FROM offices ORDER BY name")
            .fetch_all(self.read())
            .await?;
        rows.iter().map(office_from).collect()
    }

    async fn load_service_groups(&self, office_id: &str) -> Result<Vec<ServiceGroup>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM service_groups WHERE office_id = $1 ORDER BY position")
                .bind(office_id)
                .fetch_all(self.read())
                .await?;
        rows.iter().map(group_from).collect()
    }

    async fn load_services(&self, office_id: &str) -> Result<Vec<Service>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.* FROM services s JOIN service_groups g ON g.id = s.group_id \
             WHERE s.office_id = $1 ORDER BY g.position, s.position",
        )
        .bind(office_id)
        .fetch_all(self.read())
        .await?;
        rows.iter().map(service_from).collect()
    }

    pub async fn service(&self, id: &str) -> Result<Option<Service>, StoreError> {
        sqlx::query("SELECT * FROM services WHERE id = $1")
            .bind(id)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(service_from)
            .transpose()
    }

    async fn load_counters(&self, office_id: &str) -> Result<Vec<Counter>, StoreError> {
        let rows =
            sqlx::query("SELECT id, name FROM counters WHERE office_id = $1 ORDER BY position")
                .bind(office_id)
                .fetch_all(self.read())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Counter {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub async fn insert_office(&self, o: &Office) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO offices (id, name, address, timezone, rules_json, appointment_prefix, offline_prefix) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&o.id)
        .bind(&o.name)
        .bind(&o.address)
        .bind(o.timezone.iana_name().unwrap_or("Europe/Berlin"))
        .bind(serde_json::to_string(&o.rules)?)
        .bind(o.appointment_prefix.to_string())
        .bind(o.offline_prefix.to_string())
        .execute(self.write())
        .await?;
        self.catalog_cache.invalidate();
        Ok(())
    }

    pub async fn insert_group(&self, g: &ServiceGroup, position: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO service_groups (id, office_id, prefix, names_json, first_number, last_number, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&g.id)
        .bind(&g.office_id)
        .bind(g.prefix.to_string())
        .bind(serde_json::to_string(&g.names)?)
        .bind(i64::from(g.first_number))
        .bind(i64::from(g.last_number))
        .bind(position)
        .execute(self.write())
        .await?;
        self.catalog_cache.invalidate();
        Ok(())
    }

    pub async fn insert_service(&self, s: &Service, position: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO services (id, office_id, group_id, names_json, waiting_area_json, average_minutes, rules_json, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&s.id)
        .bind(&s.office_id)
        .bind(&s.group_id)
        .bind(serde_json::to_string(&s.names)?)
        .bind(serde_json::to_string(&s.waiting_area)?)
        .bind(i64::from(s.average_minutes))
        .bind(serde_json::to_string(&s.rules)?)
        .bind(position)
        .execute(self.write())
        .await?;
        self.catalog_cache.invalidate();
        Ok(())
    }

    pub async fn update_service_rules(
        &self,
        id: &str,
        rules: &ServiceRules,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE services SET rules_json = $1 WHERE id = $2")
            .bind(serde_json::to_string(rules)?)
            .bind(id)
            .execute(self.write())
            .await?;
        self.catalog_cache.invalidate();
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_counter(
        &self,
        office_id: &str,
        c: &Counter,
        position: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO counters (id, office_id, name, position) VALUES ($1, $2, $3, $4)")
            .bind(&c.id)
            .bind(office_id)
            .bind(&c.name)
            .bind(position)
            .execute(self.write())
            .await?;
        self.catalog_cache.invalidate();
        Ok(())
    }
}
