//! The execution of each backend: the shared statement code (`impl_execution!`) and what
//! differs: SQLite opens its own transactions with `BEGIN IMMEDIATE`, MySQL reports generated
//! ids, PostgreSQL repairs the caller's transaction after a failed savepoint and runs a
//! statement in a transaction of its own behind a transaction pooler (`pinned`).

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
use sqlx::{Connection, Transaction};

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
use super::{Execute, Outcome, impl_execution};
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
use crate::error::{Error, Result};

#[cfg(feature = "sqlite")]
impl Execute for sqlx::Sqlite {
    impl_execution!(sqlx::Sqlite);

    const BEGIN: &'static str = "BEGIN IMMEDIATE";

    fn each_raw_row<'c, F>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
        args: &'c [super::raw::RawArg],
        summary: &'c str,
        each: F,
    ) -> impl std::future::Future<Output = Result<u64>> + Send + 'c
    where
        F: FnMut(&super::raw::RawRow<'_>) -> Result<()> + Send + 'c,
    {
        super::raw::each_row(conn, sql, args, summary, each)
    }

    fn outcome(done: &sqlx::sqlite::SqliteQueryResult) -> Outcome {
        Outcome {
            rows_affected: done.rows_affected(),
            last_insert_id: None,
        }
    }

    /// A transaction of the ORM's own takes the write lock at once (`BEGIN IMMEDIATE`), so that
    /// concurrent writers wait for it (and retry) instead of failing to upgrade a read lock.
    async fn begin(conn: &mut Self::Connection) -> Result<Transaction<'_, Self>> {
        let tx = if conn.is_in_transaction() {
            conn.begin().await
        } else {
            conn.begin_with("BEGIN IMMEDIATE").await
        };
        tx.map_err(|e| Error::db("begin transaction", e))
    }
}

#[cfg(feature = "mysql")]
impl Execute for sqlx::MySql {
    impl_execution!(sqlx::MySql);

    fn outcome(done: &sqlx::mysql::MySqlQueryResult) -> Outcome {
        Outcome {
            rows_affected: done.rows_affected(),
            last_insert_id: Some(done.last_insert_id()),
        }
    }

    async fn begin(conn: &mut Self::Connection) -> Result<Transaction<'_, Self>> {
        conn.begin()
            .await
            .map_err(|e| Error::db("begin transaction", e))
    }
}

#[cfg(feature = "postgres")]
impl Execute for sqlx::Postgres {
    impl_execution!(sqlx::Postgres);

    fn outcome(done: &sqlx::postgres::PgQueryResult) -> Outcome {
        Outcome {
            rows_affected: done.rows_affected(),
            last_insert_id: None,
        }
    }

    async fn begin(conn: &mut Self::Connection) -> Result<Transaction<'_, Self>> {
        conn.begin()
            .await
            .map_err(|e| Error::db("begin transaction", e))
    }

    /// Behind a transaction pooler ([`super::set_transaction_pooler`]), outside a transaction,
    /// while sqlx's statement cache holds nothing: always with `statement_cache_capacity(0)`
    /// (the option for a transaction pooler). The rule and its reasons: `pinned`.
    fn pins(conn: &sqlx::PgConnection) -> bool {
        super::transaction_pooler()
            && !conn.is_in_transaction()
            && conn.cached_statements_size() == 0
    }

    /// A savepoint in the caller's transaction fails (25P02) once an earlier statement aborted
    /// that transaction, and sqlx 0.9.1 then ends the caller's level as well as the savepoint's.
    /// `PgTransactionManager::begin` (sqlx-postgres-0.9.1/src/transaction.rs:28-41) claims the
    /// depth before the round trip (caller's depth `n` -> `n + 1`); the `SAVEPOINT` fails, the
    /// `?` at line 37 returns before the `ReadyForQuery` is read, and two guards fire:
    ///
    /// 1. its `Rollback` guard (lines 90-96) queues `ROLLBACK TO SAVEPOINT _sqlx_savepoint_n`
    ///    for the level it claimed, and the depth goes back to `n`;
    /// 2. then `Transaction::begin`'s half-built `Transaction` (sqlx-core-0.9.1/src/transaction.rs:
    ///    106-113, `open: true`) is dropped, and its `Drop` (lines 265-279) calls `start_rollback`
    ///    again, now for the *caller's* level: it queues `ROLLBACK` (or, when the caller is itself
    ///    in a savepoint, `ROLLBACK TO SAVEPOINT _sqlx_savepoint_{n-1}`), and the depth is `n - 1`.
    ///
    /// (With sqlx 0.9.0, which raised the depth only after a successful round trip, the first
    /// guard already rolled back the caller's level and the second found nothing to do.) The
    /// queued statements go out with the next use of the connection: the first fails (the
    /// savepoint never existed), the second ends the caller's transaction (or undoes its
    /// innermost savepoint), and the caller's `Transaction` still looks open: the next write would
    /// autocommit and survive the caller's `rollback()`.
    ///
    /// Here the queued statements are run (a `ping` returns their first error; the next one runs
    /// the rest), then the caller's level is opened again and put in the aborted state the caller
    /// left it in, so every later statement fails as it would have, and the caller's rollback (or
    /// commit, which PostgreSQL turns into a rollback) ends it with nothing written. Any failed
    /// `SAVEPOINT` the server answered is repaired this way, whatever its SQLSTATE: sqlx unwinds
    /// both levels for every failure, and PostgreSQL aborts a transaction on every error in it.
    async fn after_failed_begin(conn: &mut sqlx::PgConnection, nested: bool, err: &Error) {
        if !nested || err.as_database_error().is_none() {
            return;
        }
        // The queued rollbacks: each failing one surfaces as the error of one call.
        let mut drained = false;
        for _ in 0..QUEUED_ROLLBACKS + 1 {
            if conn.ping().await.is_ok() {
                drained = true;
                break;
            }
        }
        if !drained {
            // The connection does not answer: sqlx closes it, and the transaction ends with it.
            return;
        }
        let Ok(mut tx) = conn.begin().await else {
            return;
        };
        if sqlx::raw_sql(ABORT_AGAIN).execute(&mut *tx).await.is_ok() {
            tracing::warn!("could not abort the reopened transaction level again");
        }
        // The caller's `Transaction` owns this level now: it rolls it back.
        std::mem::forget(tx);
    }
}

/// How many statements sqlx 0.9.1 queues after a failed `SAVEPOINT` (one per guard, see
/// `after_failed_begin`).
#[cfg(feature = "postgres")]
const QUEUED_ROLLBACKS: usize = 2;

/// Fails with `in_failed_sql_transaction`, leaving the transaction aborted.
#[cfg(feature = "postgres")]
const ABORT_AGAIN: &str = "DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '25P02', MESSAGE = \
    'current transaction is aborted, commands ignored until end of transaction block (an earlier \
    statement failed: roll back the transaction)'; END$$";
