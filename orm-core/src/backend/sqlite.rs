//! SQLite: backtick quoting (a double-quoted name that matches no column silently becomes a
//! string literal in SQLite; a backtick-quoted one is an error), `json_each` key lists, `ON CONFLICT DO NOTHING`, RETURNING.

use sqlx::sqlite::SqliteQueryResult;
use sqlx::{Connection, Sqlite, Transaction};

use super::{Backend, Outcome, RowLock, Sealed, impl_execution, quote_with};
use crate::error::{Error, Result};
use crate::sql::{RowWriter, Sql};
use crate::value::{Key, json_array};

impl Sealed for Sqlite {}

impl Backend for Sqlite {
    const NAME: &'static str = "sqlite";
    const BIND_LIMIT: usize = 32_766;
    const INSERT_RETURNING: bool = true;
    const LOCKED_READS_ARE_CURRENT: bool = true;
    const PREPARE_KEY_LISTS: bool = true;
    const ROW_LOCK: RowLock = RowLock::None;

    fn quote_ident(out: &mut String, name: &str) {
        quote_with(out, name, '`');
    }

    fn add_key_array<K: Key>(
        args: &mut Self::Arguments,
        keys: &[K],
    ) -> std::result::Result<(), sqlx::error::BoxDynError> {
        sqlx::Arguments::add(args, json_array(keys))
    }

    fn push_in_keys<K: Key>(sql: &mut Sql<Self>, column_sql: &str, keys: &[K], negate: bool) {
        sql.push(column_sql);
        sql.push(if negate {
            " NOT IN (SELECT value FROM json_each("
        } else {
            " IN (SELECT value FROM json_each("
        });
        sql.bind_key_array(keys);
        sql.push("))");
    }

    fn push_key_table<K: Key>(sql: &mut Sql<Self>, keys: &[K], alias: &str) {
        sql.push("(SELECT value FROM json_each(");
        sql.bind_key_array(keys);
        sql.push(")) AS ");
        sql.ident(alias);
    }

    fn push_values_table<T>(
        sql: &mut Sql<Self>,
        columns: &[&str],
        rows: &[T],
        alias: &str,
        write_row: &mut dyn FnMut(&mut RowWriter<'_, Self>, &T),
    ) {
        sql.push("(SELECT ");
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("column")
                .push_number(i + 1)
                .push(" AS ")
                .ident(column);
        }
        sql.push(" FROM (VALUES ");
        sql.list(rows, |sql, row| {
            sql.push("(");
            write_row(&mut RowWriter::new(sql), row);
            sql.push(")");
        });
        sql.push(")) AS ");
        sql.ident(alias);
    }

    fn push_on_conflict_do_nothing(sql: &mut Sql<Self>, _table: &str, _any_column: &str) {
        sql.push(" ON CONFLICT DO NOTHING");
    }

    fn now_expression() -> &'static str {
        "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    }

    fn push_limit_offset(sql: &mut Sql<Self>, limit: Option<u64>, offset: Option<u64>) {
        if limit.is_none() && offset.is_none() {
            return;
        }
        sql.push(" LIMIT ");
        sql.bind(&limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX)));
        if let Some(offset) = offset {
            sql.push(" OFFSET ")
                .bind(&i64::try_from(offset).unwrap_or(i64::MAX));
        }
    }

    impl_execution!(Sqlite);

    fn outcome(done: &SqliteQueryResult) -> Outcome {
        Outcome {
            rows_affected: done.rows_affected(),
            last_insert_id: None,
        }
    }

    async fn begin(conn: &mut Self::Connection) -> Result<Transaction<'_, Self>> {
        let tx = if conn.is_in_transaction() {
            conn.begin().await
        } else {
            conn.begin_with("BEGIN IMMEDIATE").await
        };
        tx.map_err(|e| Error::db("begin transaction", e))
    }
}
