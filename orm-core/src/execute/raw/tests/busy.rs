//! Waiting for another connection's lock (`busy.rs`): asynchronously, up to the connection's
//! busy timeout, with the timeout put back afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};

use super::super::each_row;
use super::{OrFail as _, TestResult};

/// Two connections to a fresh file database in the rollback-journal mode (sqlx's default, in
/// which a writer's exclusive lock keeps readers out), the second with `busy_timeout`.
async fn holder_and_reader(
    name: &str,
    busy_timeout: Duration,
) -> TestResult<(SqliteConnection, SqliteConnection, std::path::PathBuf)> {
    let path = std::env::temp_dir().join(format!("orm-raw-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Delete);
    let mut holder = options.connect().await.or_fail("holder")?;
    sqlx::raw_sql("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        .execute(&mut holder)
        .await
        .or_fail("table")?;
    let reader = options
        .busy_timeout(busy_timeout)
        .connect()
        .await
        .or_fail("reader")?;
    Ok((holder, reader, path))
}

async fn busy_timeout_of(conn: &mut SqliteConnection) -> TestResult<i64> {
    sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(conn)
        .await
        .or_fail("busy timeout")
}

/// The test runtime has one thread: a task that ticks every millisecond only ticks while the raw
/// read waits if that wait does not hold the thread (SQLite's busy handler would sleep on it).
#[tokio::test]
async fn waiting_for_a_lock_leaves_the_runtime_thread_to_other_tasks() -> TestResult {
    let (mut holder, mut reader, path) =
        holder_and_reader("busy-thread", Duration::from_millis(300)).await?;
    sqlx::raw_sql("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .or_fail("lock")?;
    let ticks = Arc::new(AtomicU64::new(0));
    let ticker = tokio::spawn({
        let ticks = Arc::clone(&ticks);
        async move {
            loop {
                tokio::time::sleep(Duration::from_millis(1)).await;
                ticks.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let started = Instant::now();
    let err = each_row(&mut reader, "SELECT x FROM t", &[], "t", |_| Ok(()))
        .await
        .expect_err("the database stays locked");
    let waited = started.elapsed();
    ticker.abort();
    let db = err.as_database_error().or_fail("SQLite's error")?;
    assert_eq!(db.code().as_deref(), Some("5"), "{err}");
    assert!(err.is_retryable(), "{err}");
    assert!(
        waited >= Duration::from_millis(250),
        "gave up after {waited:?}"
    );
    let ticks = ticks.load(Ordering::Relaxed);
    assert!(
        ticks >= 50,
        "the runtime thread was held: {ticks} ticks in {waited:?}"
    );
    // The connection's busy timeout is back, for sqlx's statements.
    assert_eq!(busy_timeout_of(&mut reader).await?, 300);
    sqlx::raw_sql("COMMIT")
        .execute(&mut holder)
        .await
        .or_fail("unlock")?;
    drop((holder, reader));
    let _ = std::fs::remove_file(&path);
    Ok(())
}

#[tokio::test]
async fn a_read_waiting_for_a_lock_reads_once_it_is_released() -> TestResult {
    let (mut holder, mut reader, path) =
        holder_and_reader("busy-released", Duration::from_secs(5)).await?;
    sqlx::raw_sql("BEGIN EXCLUSIVE; INSERT INTO t VALUES (4);")
        .execute(&mut holder)
        .await
        .or_fail("lock")?;
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(80)).await;
        sqlx::raw_sql("COMMIT")
            .execute(&mut holder)
            .await
            .or_fail("unlock")?;
        TestResult::Ok(holder)
    });
    let started = Instant::now();
    let mut seen: Vec<i64> = Vec::new();
    let read = each_row(&mut reader, "SELECT x FROM t ORDER BY x", &[], "t", |row| {
        seen.push(row.get(0).map_err(super::decode)?);
        Ok(())
    })
    .await
    .or_fail("reads after the commit")?;
    assert!(
        started.elapsed() >= Duration::from_millis(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!((read, seen), (4, vec![1, 2, 3, 4]));
    assert_eq!(busy_timeout_of(&mut reader).await?, 5_000);
    let holder = release.await.or_fail("released")??;
    drop((holder, reader));
    let _ = std::fs::remove_file(&path);
    Ok(())
}

#[tokio::test]
async fn a_connection_without_a_busy_timeout_keeps_none() -> TestResult {
    let (holder, mut reader, path) = holder_and_reader("busy-none", Duration::ZERO).await?;
    let read = each_row(&mut reader, "SELECT x FROM t", &[], "t", |_| Ok(()))
        .await
        .or_fail("reads")?;
    assert_eq!(read, 3);
    assert_eq!(busy_timeout_of(&mut reader).await?, 0);
    drop((holder, reader));
    let _ = std::fs::remove_file(&path);
    Ok(())
}
