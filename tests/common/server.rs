//! What differs per backend in the reliability tests: holding a write lock from outside the ORM,
//! a pool that gives up waiting for locks quickly, and killing a connection from another one.

use std::future::Future;
use std::time::Duration;

use sqlx::{Connection, Pool};

use super::TestBackend;

/// Backend-specific moves of the reliability tests.
pub trait Server: TestBackend {
    /// A second pool of `max` connections on the same database, whose waits for a lock end
    /// quickly on SQLite (a 200 ms busy timeout instead of the harness's 30 s).
    fn impatient_pool(
        pool: &Pool<Self>,
        max: u32,
    ) -> impl Future<Output = Result<Pool<Self>, sqlx::Error>> + Send;

    /// Holds the write lock on `users` row `user` (SQLite: the database's write lock) from a
    /// connection outside the ORM for `hold`, then releases it. Returns once the lock is held.
    fn hold_write_lock(
        pool: &Pool<Self>,
        user: i64,
        hold: Duration,
    ) -> impl Future<Output = Result<tokio::task::JoinHandle<()>, sqlx::Error>> + Send;

    /// The server's id of this connection, to kill it; `None` where there is no server.
    fn connection_id(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;

    /// Ends connection `id` from another connection of `pool`, as an administrator would.
    fn kill(pool: &Pool<Self>, id: i64) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Ends, from another connection of `pool`, the server connection that waits for a row lock
    /// on `pool`'s database; how many it ended. For a pool behind a transaction pooler, whose
    /// connections have no server connection of their own to read an id from beforehand.
    fn kill_lock_waiter(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        let _ = pool;
        std::future::ready(Err(sqlx::Error::Configuration(
            "only PostgreSQL runs behind a pooler in these tests".into(),
        )))
    }

    /// Opens a transaction that takes the write lock at once where the backend needs that
    /// (SQLite `BEGIN IMMEDIATE`), a plain one elsewhere.
    fn begin_for_writing(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self>, sqlx::Error>> + Send;
}

impl Server for sqlx::Sqlite {
    async fn impatient_pool(pool: &Pool<Self>, max: u32) -> Result<Pool<Self>, sqlx::Error> {
        let options = (*pool.connect_options())
            .clone()
            .busy_timeout(Duration::from_millis(200));
        sqlx::pool::PoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(20))
            .connect_with(options)
            .await
    }

    async fn hold_write_lock(
        pool: &Pool<Self>,
        _user: i64,
        hold: Duration,
    ) -> Result<tokio::task::JoinHandle<()>, sqlx::Error> {
        let mut conn = pool.acquire().await?.detach();
        sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut conn).await?;
        Ok(tokio::spawn(async move {
            tokio::time::sleep(hold).await;
            let _ = sqlx::raw_sql("COMMIT").execute(&mut conn).await;
            let _ = conn.close().await;
        }))
    }

    async fn connection_id(_: &mut Self::Connection) -> Result<Option<i64>, sqlx::Error> {
        Ok(None)
    }

    async fn kill(_: &Pool<Self>, _: i64) -> Result<(), sqlx::Error> {
        Ok(())
    }

    async fn begin_for_writing(
        pool: &Pool<Self>,
    ) -> Result<sqlx::Transaction<'static, Self>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }
}

/// A second pool of `max` connections with `pool`'s connect options (servers wait for row locks
/// as long as their own timeouts say).
async fn pool_like<DB: TestBackend>(pool: &Pool<DB>, max: u32) -> Result<Pool<DB>, sqlx::Error> {
    sqlx::pool::PoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(20))
        .connect_with((*pool.connect_options()).clone())
        .await
}

/// `SELECT id FROM users WHERE id = {user} FOR UPDATE` in a transaction held for `hold`.
async fn hold_row_lock<DB>(
    pool: &Pool<DB>,
    user: i64,
    hold: Duration,
) -> Result<tokio::task::JoinHandle<()>, sqlx::Error>
where
    DB: TestBackend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let mut tx = pool.begin().await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM users WHERE id = {user} FOR UPDATE"
    )))
    .execute(&mut *tx)
    .await?;
    Ok(tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        let _ = tx.commit().await;
    }))
}

impl Server for sqlx::Postgres {
    async fn impatient_pool(pool: &Pool<Self>, max: u32) -> Result<Pool<Self>, sqlx::Error> {
        pool_like(pool, max).await
    }

    async fn hold_write_lock(
        pool: &Pool<Self>,
        user: i64,
        hold: Duration,
    ) -> Result<tokio::task::JoinHandle<()>, sqlx::Error> {
        hold_row_lock(pool, user, hold).await
    }

    async fn connection_id(conn: &mut Self::Connection) -> Result<Option<i64>, sqlx::Error> {
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(conn)
            .await?;
        Ok(Some(i64::from(pid)))
    }

    async fn kill(pool: &Pool<Self>, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(i32::try_from(id).unwrap_or(i32::MAX))
            .execute(pool)
            .await?;
        Ok(())
    }

    async fn kill_lock_waiter(pool: &Pool<Self>) -> Result<u64, sqlx::Error> {
        // One simple-protocol statement: one round trip, whatever server the pooler lends.
        let killed = sqlx::raw_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_all(pool)
        .await?;
        Ok(killed.len() as u64)
    }

    async fn begin_for_writing(
        pool: &Pool<Self>,
    ) -> Result<sqlx::Transaction<'static, Self>, sqlx::Error> {
        pool.begin().await
    }
}

impl Server for sqlx::MySql {
    async fn impatient_pool(pool: &Pool<Self>, max: u32) -> Result<Pool<Self>, sqlx::Error> {
        pool_like(pool, max).await
    }

    async fn hold_write_lock(
        pool: &Pool<Self>,
        user: i64,
        hold: Duration,
    ) -> Result<tokio::task::JoinHandle<()>, sqlx::Error> {
        hold_row_lock(pool, user, hold).await
    }

    async fn connection_id(conn: &mut Self::Connection) -> Result<Option<i64>, sqlx::Error> {
        let id: u64 = sqlx::query_scalar("SELECT CONNECTION_ID()")
            .fetch_one(conn)
            .await?;
        Ok(Some(i64::try_from(id).unwrap_or(i64::MAX)))
    }

    async fn kill(pool: &Pool<Self>, id: i64) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("KILL {id}")))
            .execute(pool)
            .await?;
        Ok(())
    }

    async fn begin_for_writing(
        pool: &Pool<Self>,
    ) -> Result<sqlx::Transaction<'static, Self>, sqlx::Error> {
        pool.begin().await
    }
}
