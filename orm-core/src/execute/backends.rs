//! The execution of each backend: the shared statement code (`impl_execution!`) and what
//! differs: SQLite opens its own transactions with `BEGIN IMMEDIATE`, MySQL reports generated
//! ids, PostgreSQL repairs the caller's transaction after a failed savepoint.

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

    /// A savepoint in the caller's transaction fails (25P02) once an earlier statement aborted
    /// that transaction. sqlx 0.9.0 then rolls back the caller's whole transaction (its guard
    /// in `PgTransactionManager::begin` sends `ROLLBACK` for the outer level) and sets the
    /// connection's depth to 0, while the caller's `Transaction` still looks open: the next write
    /// would autocommit and survive the caller's `rollback()`. Here the caller's level is opened
    /// again and put in the aborted state the caller left it in, so every later statement fails
    /// as it would have, and the caller's rollback (or commit, which PostgreSQL turns into a
    /// rollback) ends it with nothing written.
    async fn after_failed_begin(conn: &mut sqlx::PgConnection, nested: bool, err: &Error) {
        let aborted = err
            .as_database_error()
            .and_then(|e| e.code())
            .is_some_and(|code| code == IN_FAILED_TRANSACTION);
        if !nested || !aborted || conn.is_in_transaction() {
            return;
        }
        let Ok(mut tx) = conn.begin().await else {
            return;
        };
        let failed = sqlx::raw_sql(ABORT_AGAIN).execute(&mut *tx).await;
        debug_assert!(failed.is_err());
        // The caller's `Transaction` owns this level now: it rolls it back.
        std::mem::forget(tx);
    }
}

#[cfg(feature = "postgres")]
/// SQLSTATE `in_failed_sql_transaction`.
const IN_FAILED_TRANSACTION: &str = "25P02";

/// Fails with `in_failed_sql_transaction`, leaving the transaction aborted.
#[cfg(feature = "postgres")]
const ABORT_AGAIN: &str = "DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '25P02', MESSAGE = \
    'current transaction is aborted, commands ignored until end of transaction block (an earlier \
    statement failed: roll back the transaction)'; END$$";
