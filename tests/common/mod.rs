//! The test harness: every behaviour test is written once and runs on SQLite, PostgreSQL and
//! MySQL/MariaDB, each test on a fresh database, with a statement counter for budgets.
//!
//! - SQLite always runs (a temporary file per test).
//! - PostgreSQL runs when `ORM_TEST_POSTGRES_URL` is set (a fresh schema per test).
//! - MySQL/MariaDB runs when `ORM_TEST_MYSQL_URL` is set (a fresh database per test).
//! - A backend without its URL prints a line saying it was skipped, unless
//!   `ORM_TEST_REQUIRE=sqlite,postgres,mysql` names it: then the test fails.
#![allow(dead_code)]

pub mod counter;
pub mod db;
#[path = "../models/mod.rs"]
pub mod models;
pub mod server;
pub mod sql;

#[allow(unused_imports)]
pub use counter::{Statements, count_statements};
pub use db::{TestBackend, run};
#[allow(unused_imports)]
pub use server::Server;

/// What a test body returns; any error fails the test with its message and sources.
pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Declares behaviour tests once; each becomes one `#[tokio::test]` per backend, in the modules
/// `sqlite`, `postgres` and `mysql`, where `DB` names that backend's sqlx database type.
///
/// ```text
/// backend_tests! {
///     async fn creates_a_user(pool) {
///         let user = User::create(&pool, NewUser { .. }).await?;
///         assert_eq!(User::find(&pool, user.id).await?.unwrap().id, user.id);
///         Ok(())
///     }
/// }
/// ```
#[macro_export]
macro_rules! backend_tests {
    (@backend $module:ident, $db:ty; $(
        $(#[$meta:meta])*
        async fn $name:ident($pool:ident) $body:block
    )*) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            /// The backend these tests run on.
            #[allow(dead_code)]
            pub type DB = $db;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    common::run::<DB, _, _>(stringify!($name), |$pool: sqlx::Pool<DB>| async move $body).await;
                }
            )*
        }
    };
    ($($tests:tt)*) => {
        $crate::backend_tests!(@backend sqlite, sqlx::Sqlite; $($tests)*);
        $crate::backend_tests!(@backend postgres, sqlx::Postgres; $($tests)*);
        $crate::backend_tests!(@backend mysql, sqlx::MySql; $($tests)*);
    };
}
