//! Raw reads for assertions the models do not cover (timestamps, counts by condition), each one
//! simple-protocol statement: one round trip, so that behind a transaction pooler it cannot be
//! parsed on one server and bound on another (the ORM wraps its own statements, not these).

use sqlx::{Pool, Row};

use super::TestBackend;

/// `expr` as text on this backend, e.g. a timestamp column.
pub fn as_text<DB: TestBackend>(expr: &str) -> String {
    match <DB as orm::Backend>::NAME {
        "postgres" => format!("CAST({expr} AS TEXT)"),
        "mysql" => format!("CAST({expr} AS CHAR)"),
        _ => expr.to_owned(),
    }
}

/// The first column of every row of `sql`, as text (NULL as `None`).
pub async fn texts<DB>(pool: &Pool<DB>, sql: String) -> Result<Vec<Option<String>>, sqlx::Error>
where
    DB: TestBackend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    Option<String>: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| row.try_get::<Option<String>, usize>(0))
        .collect()
}

/// The first column of the first row of `sql`, as an integer.
pub async fn int<DB>(pool: &Pool<DB>, sql: String) -> Result<i64, sqlx::Error>
where
    DB: TestBackend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let row = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .fetch_one(pool)
        .await?;
    row.try_get::<i64, usize>(0)
}
