//! The `pgbouncer` target: PostgreSQL behind pgbouncer in transaction pooling mode
//! (`.ci/pgbouncer.sh`, `ORM_TEST_PGBOUNCER_URL`), so that every behaviour test also runs the
//! way an application behind a transaction pooler does.
//!
//! Isolation: a fresh *database* per test, not the `postgres` target's fresh schema chosen by
//! a `search_path` startup option: pgbouncer does not pass `options` on (the config lists it in
//! `ignore_startup_parameters`), and a `SET search_path` would hold only for the server of one
//! transaction. A database is part of what a client connects to, so every server pgbouncer lends
//! the test's connections is on the test's database. The database is created and dropped with
//! single simple-protocol statements through pgbouncer itself (run outside any transaction, as
//! `CREATE DATABASE` needs), so the target needs no other URL; `DROP DATABASE ... WITH (FORCE)`
//! ends the idle server connections pgbouncer still keeps to it.
//!
//! The pool's connections have sqlx's statement cache off (`statement_cache_capacity(0)`), the
//! documented option behind a transaction pooler (README, "Behind pgbouncer").

use sqlx::{ConnectOptions, Pool};

use super::db::{Cleanup, Target, test_pool};

/// PostgreSQL through pgbouncer (`pool_mode = transaction`).
pub struct Pgbouncer;

impl Target for Pgbouncer {
    type DB = sqlx::Postgres;
    const NAME: &'static str = "pgbouncer";
    const URL_VAR: Option<&'static str> = Some("ORM_TEST_PGBOUNCER_URL");
    const POOLED: bool = true;

    async fn fresh(
        url: Option<String>,
        name: String,
    ) -> Result<(Pool<sqlx::Postgres>, Cleanup), sqlx::Error> {
        let admin_url = url.unwrap_or_default();
        let admin: sqlx::postgres::PgConnectOptions = admin_url.parse()?;
        let mut conn = admin.connect().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await?;
        sqlx::Connection::close(conn).await?;
        let options = admin.database(&name).statement_cache_capacity(0);
        let pool = test_pool(options).await?;
        Ok((
            pool,
            Cleanup::Sql {
                admin_url,
                statement: format!("DROP DATABASE \"{name}\" WITH (FORCE)"),
                postgres: true,
            },
        ))
    }
}
