//! MySQL / MariaDB: backtick quoting, `JSON_TABLE` key lists, a no-op `ON DUPLICATE KEY UPDATE`
//! (unlike `INSERT IGNORE` it does not hide foreign-key errors), `LAST_INSERT_ID()` for generated
//! keys. Pivot writes use `INSERT ... RETURNING` and `DELETE ... RETURNING`, which MariaDB 10.5+
//! has and MySQL 8 does not.

use sqlx::mysql::MySqlQueryResult;
use sqlx::{Connection, MySql, Transaction};

use super::{Backend, Outcome, RowLock, Sealed, impl_execution, quote_with};
use crate::error::{Error, Result};
use crate::sql::{RowWriter, Sql};
use crate::value::{Key, json_array};

impl Sealed for MySql {}

impl Backend for MySql {
    const NAME: &'static str = "mysql";
    const BIND_LIMIT: usize = 65_535;
    const INSERT_RETURNING: bool = false;
    const LOCKED_READS_ARE_CURRENT: bool = true;
    const PREPARE_KEY_LISTS: bool = true;
    const ROW_LOCK: RowLock = RowLock::Join;

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
            " NOT IN (SELECT `value` FROM "
        } else {
            " IN (SELECT `value` FROM "
        });
        Self::push_key_table(sql, keys, "orm_keys");
        sql.push(")");
    }

    fn push_delete_where<K: Key>(sql: &mut Sql<Self>, table: &str, keys: Option<(&str, &[K])>) {
        sql.push("DELETE ").ident(table).push(" FROM ").ident(table);
        if let Some((column, keys)) = keys {
            sql.push(" JOIN ");
            Self::push_key_table(sql, keys, "orm_keys");
            sql.push(" ON ")
                .qualified(table, column)
                .push(" = ")
                .qualified("orm_keys", "value");
        }
        sql.push(" WHERE ");
    }

    fn push_key_table<K: Key>(sql: &mut Sql<Self>, keys: &[K], alias: &str) {
        sql.push("JSON_TABLE(");
        sql.bind_key_array(keys);
        sql.push(", '$[*]' COLUMNS (`value` ");
        sql.push(K::MYSQL_JSON_TYPE);
        sql.push(" PATH '$')) AS ");
        sql.ident(alias);
    }

    fn push_values_table<T>(
        sql: &mut Sql<Self>,
        columns: &[&str],
        rows: &[T],
        alias: &str,
        write_row: &mut dyn FnMut(&mut RowWriter<'_, Self>, &T),
    ) {
        // One `SELECT` per row, joined by `UNION ALL`: the first names the columns, and MariaDB
        // types each column from every row. A table value constructor (`VALUES (..), (..)`)
        // takes each column's type from its first row alone: after a NULL there, MariaDB 10.11
        // stores later strings as '' and numbers as 0.
        let Some((first, rest)) = rows.split_first() else {
            return;
        };
        sql.push("(SELECT ");
        write_row(&mut RowWriter::aliased(sql, columns), first);
        for row in rest {
            sql.push(" UNION ALL SELECT ");
            write_row(&mut RowWriter::new(sql), row);
        }
        sql.push(") AS ");
        sql.ident(alias);
    }

    fn push_on_conflict_do_nothing(sql: &mut Sql<Self>, table: &str, any_column: &str) {
        sql.push(" ON DUPLICATE KEY UPDATE ");
        sql.ident(any_column);
        sql.push(" = ");
        sql.qualified(table, any_column);
    }

    fn now_expression() -> &'static str {
        "CURRENT_TIMESTAMP(6)"
    }

    fn push_limit_offset(sql: &mut Sql<Self>, limit: Option<u64>, offset: Option<u64>) {
        if limit.is_none() && offset.is_none() {
            return;
        }
        sql.push(" LIMIT ");
        sql.bind(&limit.unwrap_or(u64::MAX));
        if let Some(offset) = offset {
            sql.push(" OFFSET ").bind(&offset);
        }
    }

    impl_execution!(MySql);

    fn outcome(done: &MySqlQueryResult) -> Outcome {
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
