//! Fresh databases for tests and benchmarks: SQLite in a directory, or a new database on the
//! PostgreSQL server named by `BT_TEST_POSTGRES_URL` (`scripts/start-postgres` provides one).

use std::path::Path;

use backoffice::store::Db;

/// A fresh SQLite database in `dir`.
pub async fn sqlite(dir: &Path) -> Db {
    let url = format!("sqlite://{}?mode=rwc", dir.join("backoffice.db").display());
    Db::open(&url).await.expect("open a SQLite database")
}

/// A fresh database on the test PostgreSQL server, or `None` (with a note) without one.
pub async fn postgres() -> Option<Db> {
    let Ok(admin_url) = std::env::var("BT_TEST_POSTGRES_URL") else {
        eprintln!(
            "BT_TEST_POSTGRES_URL is not set: PostgreSQL variant not run (scripts/test sets it)"
        );
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!("bt_{}", hex::encode(rand::random::<[u8; 6]>()));
    let admin = sqlx::AnyPool::connect(&admin_url)
        .await
        .expect("connect to BT_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    Some(
        Db::open(&format!("{base}/{name}"))
            .await
            .expect("open the test database"),
    )
}
