//! The browser tests' harness: the one test support (`backoffice-testkit`: the real back
//! office on 127.0.0.1:0 over TLS with the demo office, HTTPS clients for the terminal and
//! staff) and a macro that runs each scenario on SQLite and on PostgreSQL; headless Chromium
//! is driven from `browser.rs`.

pub use backoffice_testkit::TestBackOffice as Office;

#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(&$crate::harness::Office::sqlite().await).await }
        )* }
        mod postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(office) = $crate::harness::Office::postgres().await { super::$name(&office).await }
            }
        )* }
    };
}
