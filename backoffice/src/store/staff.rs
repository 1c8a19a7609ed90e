//! Staff accounts (argon2 password hashes) and their login sessions (only a hash of the
//! session token is stored).

use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, StoreError};

/// What a staff member may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    Supervisor,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "staff" => Some(Self::Staff),
            "supervisor" => Some(Self::Supervisor),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }
}

/// A staff account.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub office_id: String,
    pub password_hash: String,
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub staff: StaffMember,
    pub csrf_token: String,
    pub counter_id: Option<String>,
}

fn staff_from(row: &AnyRow) -> Result<StaffMember, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(StaffMember {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        office_id: row.try_get("office_id")?,
        password_hash: row.try_get("password_hash")?,
    })
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Db {
    pub async fn staff_by_username(
        &self,
        username: &str,
    ) -> Result<Option<StaffMember>, StoreError> {
        sqlx::query("SELECT * FROM staff WHERE username = $1")
            .bind(username)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(staff_from)
            .transpose()
    }

    pub async fn insert_staff(&self, m: &StaffMember) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff (username, display_name, role, office_id, password_hash) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&m.username)
        .bind(&m.display_name)
        .bind(m.role.as_str())
        .bind(&m.office_id)
        .bind(&m.password_hash)
        .execute(self.write())
        .await?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        staff_id: i64,
        token: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash(token))
            .bind(staff_id)
            .bind(csrf)
            .bind(expires_at)
            .execute(self.write())
            .await?;
        Ok(())
    }

    pub async fn session(&self, token: &str, now: i64) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT s.*, ss.csrf_token, ss.counter_id FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id \
             WHERE ss.token_hash = $1 AND ss.expires_at > $2",
        )
        .bind(token_hash(token))
        .bind(now)
        .fetch_optional(self.read())
        .await?;
        row.map(|r| {
            Ok(Session {
                staff: staff_from(&r)?,
                csrf_token: r.try_get("csrf_token")?,
                counter_id: r.try_get("counter_id")?,
            })
        })
        .transpose()
    }

    pub async fn set_session_counter(
        &self,
        token: &str,
        counter_id: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE staff_sessions SET counter_id = $1 WHERE token_hash = $2")
            .bind(counter_id)
            .bind(token_hash(token))
            .execute(self.write())
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(self.write())
            .await?;
        Ok(())
    }
}

impl Db {
    /// Counters with a logged-in staff member right now.
    pub async fn staffed_counters(&self, office_id: &str, now: i64) -> Result<u32, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT ss.counter_id) FROM staff_sessions ss JOIN counters c ON c.id = ss.counter_id \
             WHERE c.office_id = $1 AND ss.expires_at > $2",
        )
        .bind(office_id)
        .bind(now)
        .fetch_one(self.read())
        .await?;
        Ok(n as u32)
    }
}
