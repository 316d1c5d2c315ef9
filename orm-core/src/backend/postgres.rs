//! PostgreSQL: `"` quoting, array parameters (`= ANY($1)`, `UNNEST($1)`), `ON CONFLICT DO NOTHING`,
//! RETURNING.

use sqlx::postgres::PgQueryResult;
use sqlx::{Connection, PgConnection, Postgres, Transaction};

use super::{Backend, Outcome, RowLock, Sealed, impl_execution, quote_with};
use crate::error::{Error, Result};
use crate::sql::{RowWriter, Sql};
use crate::value::Key;

impl Sealed for Postgres {}

impl Backend for Postgres {
    const NAME: &'static str = "postgres";
    const BIND_LIMIT: usize = 65_535;
    const INSERT_RETURNING: bool = true;
    const LOCKED_READS_ARE_CURRENT: bool = false;
    const PREPARE_KEY_LISTS: bool = false;
    const ROW_LOCK: RowLock = RowLock::Cte;

    fn quote_ident(out: &mut String, name: &str) {
        quote_with(out, name, '"');
    }

    fn add_key_array<K: Key>(
        args: &mut Self::Arguments,
        keys: &[K],
    ) -> std::result::Result<(), sqlx::error::BoxDynError> {
        K::bind_pg_array(keys, args)
    }

    fn push_in_keys<K: Key>(sql: &mut Sql<Self>, column_sql: &str, keys: &[K], negate: bool) {
        sql.push(if negate { "NOT (" } else { "(" });
        sql.push(column_sql);
        sql.push(" = ANY(");
        sql.bind_key_array(keys);
        sql.push("))");
    }

    fn push_key_table<K: Key>(sql: &mut Sql<Self>, keys: &[K], alias: &str) {
        sql.push("UNNEST(");
        sql.bind_key_array(keys);
        sql.push(") AS ");
        sql.ident(alias);
        sql.push("(value)");
    }

    fn push_values_table<T>(
        sql: &mut Sql<Self>,
        columns: &[&str],
        rows: &[T],
        alias: &str,
        write_row: &mut dyn FnMut(&mut RowWriter<'_, Self>, &T),
    ) {
        sql.push("(VALUES ");
        sql.list(rows, |sql, row| {
            sql.push("(");
            write_row(&mut RowWriter::new(sql), row);
            sql.push(")");
        });
        sql.push(") AS ");
        sql.ident(alias);
        sql.push("(");
        sql.list(columns, |sql, column| {
            sql.ident(column);
        });
        sql.push(")");
    }

    fn push_on_conflict_do_nothing(sql: &mut Sql<Self>, _table: &str, _any_column: &str) {
        sql.push(" ON CONFLICT DO NOTHING");
    }

    fn now_expression() -> &'static str {
        "LOCALTIMESTAMP"
    }

    fn push_limit_offset(sql: &mut Sql<Self>, limit: Option<u64>, offset: Option<u64>) {
        if let Some(limit) = limit {
            sql.push(" LIMIT ")
                .bind(&i64::try_from(limit).unwrap_or(i64::MAX));
        }
        if let Some(offset) = offset {
            sql.push(" OFFSET ")
                .bind(&i64::try_from(offset).unwrap_or(i64::MAX));
        }
    }

    impl_execution!(Postgres);

    fn outcome(done: &PgQueryResult) -> Outcome {
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
    async fn after_failed_begin(conn: &mut PgConnection, nested: bool, err: &Error) {
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

/// SQLSTATE `in_failed_sql_transaction`.
const IN_FAILED_TRANSACTION: &str = "25P02";

/// Fails with `in_failed_sql_transaction`, leaving the transaction aborted.
const ABORT_AGAIN: &str = "DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '25P02', MESSAGE = \
    'current transaction is aborted, commands ignored until end of transaction block (an earlier \
    statement failed: roll back the transaction)'; END$$";
