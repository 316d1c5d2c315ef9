//! SQLite's errors on the raw path (prepare, step, constraints) read as sqlx reads them, and the
//! callback's own errors; the connection stays usable after each.

use sqlx::SqliteConnection;

use super::{OrFail as _, TestResult};
use super::{assert_usable, decode, each_row, live_statements, memory, series};
use crate::error::Error;
use crate::execute::raw::RawSqliteError;

#[tokio::test]
async fn an_error_from_the_callback_stops_stepping_and_is_returned_as_is() -> TestResult {
    let mut conn = memory().await?;
    let sql = format!("{}SELECT n FROM c", series(10));
    let mut seen = 0;
    let err = each_row(&mut conn, &sql, &[], "ten", |_| {
        seen += 1;
        if seen == 5 {
            return Err(Error::NoRows { model: "Stop" });
        }
        Ok(())
    })
    .await
    .expect_err("the callback fails");
    assert!(matches!(err, Error::NoRows { model: "Stop" }), "{err:?}");
    assert_eq!(seen, 5);
    assert_eq!(live_statements(&mut conn, &sql).await?, 0);
    assert_usable(&mut conn).await?;
    Ok(())
}

/// The raw path's error and sqlx's for the same SQL (which the raw path leaves no statement of).
async fn both_errors(
    conn: &mut SqliteConnection,
    sql: &'static str,
) -> TestResult<(Error, sqlx::Error)> {
    let raw = each_row(conn, sql, &[], "the summary", |_| Ok(()))
        .await
        .expect_err("the raw path fails");
    // Before sqlx runs (and caches) the same SQL.
    assert_eq!(live_statements(conn, sql).await?, 0, "{sql}");
    let by_sqlx = sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .expect_err("sqlx fails");
    Ok((raw, by_sqlx))
}

#[tokio::test]
async fn prepare_and_step_errors_are_sqlite_errors_like_sqlx() -> TestResult {
    let mut conn = memory().await?;
    for sql in [
        "SELEC 1",
        "SELECT * FROM missing_table",
        "SELECT abs(-9223372036854775808)",
        "SELECT json_extract('not json', '$')",
    ] {
        let (raw, by_sqlx) = both_errors(&mut conn, sql).await?;
        let Error::Database { context, source } = &raw else {
            return Err(format!("{sql}: not a database error: {raw:?}").into());
        };
        assert_eq!(context, "the summary");
        assert_eq!(source.to_string(), by_sqlx.to_string(), "{sql}");
        let db = raw.as_database_error().or_fail("a database error")?;
        assert!(db.try_downcast_ref::<RawSqliteError>().is_some());
        let theirs = by_sqlx
            .as_database_error()
            .or_fail("sqlx's database error")?;
        assert_eq!(db.code(), theirs.code(), "{sql}");
        assert_eq!(db.message(), theirs.message(), "{sql}");
        assert_usable(&mut conn).await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_step_error_after_some_rows_stops_there() -> TestResult {
    let mut conn = memory().await?;
    let sql = format!(
        "{}SELECT CASE WHEN n = 3 THEN abs(-9223372036854775808) ELSE n END FROM c",
        series(10)
    );
    let mut seen = Vec::new();
    let err = each_row(&mut conn, &sql, &[], "overflow", |row| {
        seen.push(row.get::<i64>(0).map_err(decode)?);
        Ok(())
    })
    .await
    .expect_err("the third step fails");
    assert_eq!(seen, [1, 2]);
    assert!(err.to_string().contains("integer overflow"), "{err}");
    assert_usable(&mut conn).await?;
    Ok(())
}

#[tokio::test]
async fn constraint_errors_map_to_sqlx_kinds() -> TestResult {
    let mut conn = memory().await?;
    sqlx::raw_sql(
        "CREATE TABLE p (id INTEGER PRIMARY KEY); \
         CREATE TABLE c (id INTEGER PRIMARY KEY, u INTEGER UNIQUE, n TEXT NOT NULL, \
           k INTEGER CHECK (k > 0), p INTEGER REFERENCES p (id)); \
         PRAGMA foreign_keys = ON; \
         INSERT INTO c (id, u, n, k) VALUES (1, 1, 'a', 1);",
    )
    .execute(&mut conn)
    .await
    .or_fail("schema")?;
    for (sql, kind) in [
        (
            "INSERT INTO c (u, n, k) VALUES (1, 'b', 1) RETURNING id",
            "unique",
        ),
        (
            "INSERT INTO c (id, n, k) VALUES (1, 'b', 1) RETURNING id",
            "unique",
        ),
        (
            "INSERT INTO c (n, k) VALUES (NULL, 1) RETURNING id",
            "not null",
        ),
        ("INSERT INTO c (n, k) VALUES ('b', 0) RETURNING id", "check"),
        (
            "INSERT INTO c (n, k, p) VALUES ('b', 1, 9) RETURNING id",
            "foreign key",
        ),
    ] {
        let (raw, by_sqlx) = both_errors(&mut conn, sql).await?;
        let ours = raw.as_database_error().or_fail("a database error")?;
        let theirs = by_sqlx
            .as_database_error()
            .or_fail("sqlx's database error")?;
        assert_eq!(ours.kind(), theirs.kind(), "{kind}: {sql}");
        assert_ne!(ours.kind(), sqlx::error::ErrorKind::Other, "{kind}: {sql}");
        assert_eq!(ours.code(), theirs.code(), "{kind}: {sql}");
    }
    Ok(())
}

#[tokio::test]
async fn a_locked_database_is_busy_after_the_busy_timeout_as_with_sqlx() -> TestResult {
    use std::time::{Duration, Instant};

    use sqlx::ConnectOptions;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};

    let path = std::env::temp_dir().join(format!("orm-raw-busy-{}.db", std::process::id()));
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        // A rollback journal: an exclusive lock keeps readers out (WAL would let them read).
        .journal_mode(SqliteJournalMode::Delete)
        .busy_timeout(Duration::from_millis(100));
    let mut holder = options.connect().await.or_fail("first connection")?;
    sqlx::query("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
        .execute(&mut holder)
        .await
        .or_fail("table")?;
    let mut reader = options.connect().await.or_fail("second connection")?;
    // The reader knows the schema, so that the statement prepares and its step waits.
    let count = super::raw_column::<i64>(&mut reader, "SELECT count(*) FROM t", &[]).await;
    assert_eq!(count.or_fail("reads")?, [0]);
    sqlx::raw_sql("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .or_fail("lock the database")?;
    let started = Instant::now();
    let (raw, by_sqlx) = both_errors(&mut reader, "SELECT count(*) FROM t").await?;
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "two busy timeouts"
    );
    let ours = raw.as_database_error().or_fail("a database error")?;
    let theirs = by_sqlx
        .as_database_error()
        .or_fail("sqlx's database error")?;
    assert_eq!(ours.code().as_deref(), Some("5"));
    assert_eq!(ours.code(), theirs.code());
    assert_eq!(ours.message(), theirs.message());
    // Busy is transient on either path: the ORM's retries treat both alike.
    assert!(raw.is_retryable(), "{raw}");
    assert!(Error::db("sqlx", by_sqlx).is_retryable());
    assert!(!raw.is_connection_lost(), "{raw}");
    sqlx::raw_sql("COMMIT")
        .execute(&mut holder)
        .await
        .or_fail("unlock")?;
    let count = super::raw_column::<i64>(&mut reader, "SELECT count(*) FROM t", &[]).await;
    assert_eq!(count.or_fail("reads once unlocked")?, [0]);
    drop((holder, reader));
    let _ = std::fs::remove_file(&path);
    Ok(())
}
