//! The API tests' harness: the one test support (`backoffice-testkit`: the real back office
//! on 127.0.0.1:0 over TLS with the demo office, and HTTPS clients for the terminal, staff and
//! visitors), and a macro that runs each scenario on SQLite and on PostgreSQL.

pub use backoffice_testkit::TestBackOffice as Harness;

#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(&$crate::harness::Harness::sqlite().await).await }
        )* }
        mod postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(h) = $crate::harness::Harness::postgres().await { super::$name(&h).await }
            }
        )* }
    };
}
