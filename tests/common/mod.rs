//! The test harness: every behaviour test is written once and runs on SQLite, PostgreSQL,
//! MySQL/MariaDB and PostgreSQL behind pgbouncer, each test on a fresh database, with a
//! statement counter for budgets.
//!
//! - SQLite always runs (a temporary file per test).
//! - PostgreSQL runs when `ORM_TEST_POSTGRES_URL` is set (a fresh schema per test).
//! - MySQL/MariaDB runs when `ORM_TEST_MYSQL_URL` is set (a fresh database per test).
//! - `pgbouncer` runs when `ORM_TEST_PGBOUNCER_URL` is set: PostgreSQL through pgbouncer in
//!   transaction pooling mode (`.ci/pgbouncer.sh`), a fresh database per test.
//! - A target without its URL prints a line saying it was skipped, unless
//!   `ORM_TEST_REQUIRE=sqlite,postgres,mysql,pgbouncer` names it: then the test fails.
#![allow(dead_code)]

pub mod counter;
pub mod db;
#[path = "../models/mod.rs"]
pub mod models;
pub mod pgbouncer;
pub mod server;
pub mod sql;

#[allow(unused_imports)]
pub use counter::{Statements, count_statements};
#[allow(unused_imports)]
pub use db::{Target, TestBackend, run};
#[allow(unused_imports)]
pub use server::Server;

/// The report a sync of integer keys is expected to give.
pub fn report(
    attached: &[i64],
    detached: &[i64],
    updated: &[i64],
    unchanged: &[i64],
) -> orm::SyncReport<i64> {
    orm::SyncReport {
        attached: attached.to_vec(),
        detached: detached.to_vec(),
        updated: updated.to_vec(),
        unchanged: unchanged.to_vec(),
    }
}

/// What a test body returns; any error fails the test with its message and sources.
pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Declares behaviour tests once; each becomes one `#[tokio::test]` per target, in the modules
/// `sqlite`, `postgres`, `mysql` and `pgbouncer`, where `DB` names that target's sqlx database
/// type (`sqlx::Postgres` behind pgbouncer) and `BEHIND_POOLER` says whether a transaction
/// pooler stands between the test and the server (only for the few tests that must differ
/// there, each saying why).
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
    (@backend $module:ident, $db:ty, $target:ty; $(
        $(#[$meta:meta])*
        async fn $name:ident($pool:ident) $body:block
    )*) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            /// The backend these tests run on.
            #[allow(dead_code)]
            pub type DB = $db;
            /// Whether this target reaches the server through a transaction pooler.
            #[allow(dead_code)]
            const BEHIND_POOLER: bool = <$target as common::Target>::POOLED;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    common::run::<$target, _, _>(stringify!($name), |$pool: sqlx::Pool<DB>| async move $body).await;
                }
            )*
        }
    };
    ($($tests:tt)*) => {
        $crate::backend_tests!(@backend sqlite, sqlx::Sqlite, sqlx::Sqlite; $($tests)*);
        $crate::backend_tests!(@backend postgres, sqlx::Postgres, sqlx::Postgres; $($tests)*);
        $crate::backend_tests!(@backend mysql, sqlx::MySql, sqlx::MySql; $($tests)*);
        $crate::backend_tests!(@backend pgbouncer, sqlx::Postgres, common::pgbouncer::Pgbouncer; $($tests)*);
    };
}
