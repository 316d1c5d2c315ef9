//! Tests of the raw read path on a real in-memory SQLite: rows, errors, arguments and
//! transactions here; value semantics against sqlx in `types.rs`; cancellation in `cancel.rs`.
#![allow(unsafe_code)]

use std::ffi::CStr;

use sqlx::{Connection, Row, SqliteConnection};

use super::{RawArg, RawColumn, each_row};
use crate::error::Error;

mod args;
mod busy;
mod cancel;
mod errors;
mod rules;
mod types;

/// A test's outcome: a step that fails is an error naming the step (these tests neither
/// unwrap nor panic, like the rest of the crate).
type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// `or_fail("what")`: the value, or an error saying which step failed and why.
trait OrFail<T> {
    fn or_fail(self, what: &str) -> TestResult<T>;
}

impl<T, E: std::fmt::Display> OrFail<T> for Result<T, E> {
    fn or_fail(self, what: &str) -> TestResult<T> {
        self.map_err(|e| format!("{what}: {e}").into())
    }
}

impl<T> OrFail<T> for Option<T> {
    fn or_fail(self, what: &str) -> TestResult<T> {
        self.ok_or_else(|| format!("{what}: none").into())
    }
}

/// A decoding error as the ORM reports it.
fn decode(source: sqlx::Error) -> Error {
    Error::Decode {
        model: "Test",
        column: "column",
        source,
    }
}

/// A fresh in-memory database on one connection.
async fn memory() -> TestResult<SqliteConnection> {
    SqliteConnection::connect("sqlite::memory:")
        .await
        .or_fail("in-memory SQLite opens")
}

/// Column 0 of every row of `sql`, read with the raw path as `T`.
async fn raw_column<T: RawColumn>(
    conn: &mut SqliteConnection,
    sql: &str,
    args: &[RawArg],
) -> crate::Result<Vec<T>> {
    let mut out = Vec::new();
    each_row(conn, sql, args, sql, |row| {
        out.push(row.get::<T>(0).map_err(decode)?);
        Ok(())
    })
    .await?;
    Ok(out)
}

/// How many statements on `conn` have the text `sql` (a leaked statement of the raw path would
/// still be there after the call).
async fn live_statements(conn: &mut SqliteConnection, sql: &str) -> TestResult<usize> {
    let mut lock = conn.lock_handle().await.or_fail("lock")?;
    let db = lock.as_raw_handle().as_ptr();
    let mut count = 0;
    let mut stmt = std::ptr::null_mut();
    loop {
        // SAFETY: `db` is locked for this test; `stmt` is NULL or a statement of `db`.
        stmt = unsafe { libsqlite3_sys::sqlite3_next_stmt(db, stmt) };
        if stmt.is_null() {
            return Ok(count);
        }
        // SAFETY: a live statement's SQL is a NUL-terminated string it owns.
        let text = unsafe { CStr::from_ptr(libsqlite3_sys::sqlite3_sql(stmt)) };
        if text.to_bytes() == sql.as_bytes() {
            count += 1;
        }
    }
}

/// A query and a write through sqlx on `conn` both work.
async fn assert_usable(conn: &mut SqliteConnection) -> TestResult {
    let one: i64 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut *conn)
        .await
        .or_fail("sqlx reads after the raw path")?;
    assert_eq!(one, 1);
    sqlx::query("CREATE TABLE IF NOT EXISTS after_raw (x INTEGER)")
        .execute(&mut *conn)
        .await
        .or_fail("sqlx creates")?;
    sqlx::query("INSERT INTO after_raw (x) VALUES (1)")
        .execute(&mut *conn)
        .await
        .or_fail("sqlx writes after the raw path")?;
    Ok(())
}

/// A sequence of 1..=n.
fn series(n: u32) -> String {
    format!("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {n}) ")
}

/// `each_row`'s future is `Send` (the ORM boxes its futures as `Send`): checked when this
/// compiles.
fn _each_row_is_send(
    conn: &mut SqliteConnection,
) -> impl std::future::Future<Output = crate::Result<u64>> + Send + '_ {
    each_row(conn, "SELECT 1", &[], "one", |_| Ok(()))
}

#[tokio::test]
async fn reads_thousands_of_rows_with_multibyte_text_as_sqlx_does() -> TestResult {
    let mut conn = memory().await?;
    let sql = format!(
        "{}SELECT n, 'ü€𝄞 ' || n, n * 0.5, CASE WHEN n % 7 = 0 THEN NULL ELSE x'00ff' END FROM c",
        series(3_333)
    );
    type Tuple = (i64, String, f64, Option<Vec<u8>>);
    let mut by_raw: Vec<Tuple> = Vec::new();
    let read = each_row(&mut conn, &sql, &[], "series", |row| {
        by_raw.push((
            row.get(0).map_err(decode)?,
            row.get(1).map_err(decode)?,
            row.get(2).map_err(decode)?,
            row.get(3).map_err(decode)?,
        ));
        Ok(())
    })
    .await
    .or_fail("raw reads")?;
    assert_eq!(read, 3_333);
    // Before sqlx runs (and caches) the same SQL.
    assert_eq!(live_statements(&mut conn, &sql).await?, 0);
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(&mut conn)
        .await
        .or_fail("sqlx reads")?;
    let by_sqlx: Vec<Tuple> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(by_raw, by_sqlx);
    assert_eq!(by_raw[2].1, "ü€𝄞 3");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_in_a_spawned_task_on_a_multi_thread_runtime() -> TestResult {
    let mut conn = memory().await?;
    let task = tokio::spawn(async move {
        let sql = format!("{}SELECT n FROM c", series(5_000));
        let values = raw_column::<i64>(&mut conn, &sql, &[]).await;
        (values, conn)
    });
    let (values, mut conn) = task.await.or_fail("the task ends")?;
    assert_eq!(
        values.or_fail("raw reads")?,
        (1..=5_000).collect::<Vec<i64>>()
    );
    assert_usable(&mut conn).await?;
    Ok(())
}

#[tokio::test]
async fn reads_inside_a_sqlx_transaction_see_its_writes() -> TestResult {
    let mut conn = memory().await?;
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut conn)
        .await
        .or_fail("schema")?;
    let mut tx = conn.begin().await.or_fail("begin")?;
    sqlx::query("INSERT INTO t (x) VALUES (41), (42)")
        .execute(&mut *tx)
        .await
        .or_fail("insert")?;
    let inside = raw_column::<i64>(&mut tx, "SELECT x FROM t ORDER BY x", &[]).await;
    assert_eq!(inside.or_fail("raw reads in the transaction")?, [41, 42]);
    tx.rollback().await.or_fail("rollback")?;
    let after = raw_column::<i64>(&mut conn, "SELECT count(*) FROM t", &[]).await;
    assert_eq!(after.or_fail("raw reads")?, [0]);
    Ok(())
}
