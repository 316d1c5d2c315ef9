//! [`each_row`]: one statement on the locked raw handle, stepped in chunks with a yield to the
//! runtime between them, each row handed to a callback.

use std::time::{Duration, Instant};

use super::busy::is_busy;
use super::row::RawRow;
use super::statement::{Statement, Step};
use super::{CHUNK, RawArg};
use crate::error::{Error, Result};

/// Runs `sql` with `args` on `conn`'s raw handle and calls `each` on every row as SQLite steps
/// it; returns the number of rows read.
///
/// The connection is locked for the whole call (`SqliteConnection::lock_handle`: sqlx's worker
/// thread waits), the statement is prepared for this call only and finalized before the lock is
/// released, on every path, also when the returned future is dropped mid-read. Every
/// [`CHUNK`] rows it yields to the runtime, still holding the lock. Transactions opened through
/// sqlx on `conn` apply (same connection). `sql` must be one statement with positional
/// parameters (`?` or `?NNN`) and must not begin or end transactions (sqlx tracks those).
///
/// # Errors
/// - the statement's, as `Error::db(summary, sqlx::Error::Database(Box<RawSqliteError>))`
///   ([`Error::Database`]): SQLite's extended result code and message, from prepare, bind or
///   step (`SQLITE_BUSY` after the connection's busy timeout included);
/// - the same wrapping of `sqlx::Error::InvalidArgument` when the argument count differs from
///   the statement's parameter count (naming both), the SQL holds more than one statement, or a
///   named parameter;
/// - sqlx's error when the connection cannot be locked (its worker crashed);
/// - the first error `each` returns, as it is: stepping stops there.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use orm_core::Error;
/// use orm_core::execute::raw::{RawArg, each_row};
/// use sqlx::Connection;
///
/// let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
/// sqlx::raw_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); \
///                INSERT INTO users (name) VALUES ('Ada'), ('Grace'), ('Edsger');")
///     .execute(&mut conn)
///     .await?;
///
/// let decode = |column, source| Error::Decode { model: "User", column, source };
/// let mut users: Vec<(i64, String)> = Vec::new();
/// let read = each_row(
///     &mut conn,
///     "SELECT id, name FROM users WHERE id > ? ORDER BY id",
///     &[RawArg::Int64(1)],
///     "SELECT id, name FROM users",
///     |row| {
///         let id = row.get(0).map_err(|e| decode("id", e))?;
///         let name = row.get(1).map_err(|e| decode("name", e))?;
///         users.push((id, name));
///         Ok(())
///     },
/// )
/// .await?;
/// assert_eq!(read, 2);
/// assert_eq!(users, [(2, "Grace".to_owned()), (3, "Edsger".to_owned())]);
///
/// // SQLite's errors are the ORM's database errors.
/// let err = each_row(&mut conn, "SELECT nope FROM users", &[], "users", |_| Ok(())).await;
/// assert!(matches!(err, Err(Error::Database { .. })));
/// # Ok(()) }
/// ```
pub async fn each_row<F>(
    conn: &mut sqlx::SqliteConnection,
    sql: &str,
    args: &[RawArg],
    summary: &str,
    mut each: F,
) -> Result<u64>
where
    F: FnMut(&RawRow<'_>) -> Result<()> + Send,
{
    let failed = |source| Error::db(summary, source);
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    loop {
        match attempt(conn, sql, args, &mut each).await {
            Ok(rows) => return Ok(rows),
            Err(Failure::Each(err)) => return Err(err),
            Err(Failure::Statement(source)) => return Err(failed(source)),
            // Another connection holds a lock this read needs: wait without the connection and
            // without the thread, as SQLite's busy handler would for up to the busy timeout.
            Err(Failure::Busy { timeout, source }) => {
                let remaining = timeout.saturating_sub(started.elapsed());
                if remaining.is_zero() {
                    return Err(failed(source));
                }
                tokio::time::sleep(pause.min(remaining)).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
        }
    }
}

/// The first wait after a `SQLITE_BUSY`; each next one doubles, up to [`LONGEST_PAUSE`] (SQLite's
/// own handler goes from 1 ms to 100 ms).
const FIRST_PAUSE: Duration = Duration::from_millis(1);
/// The longest wait between two tries.
const LONGEST_PAUSE: Duration = Duration::from_millis(100);

/// Why one try of [`each_row`] ended early.
enum Failure {
    /// `SQLITE_BUSY` before the first row, with the connection's busy timeout: try again.
    Busy {
        timeout: Duration,
        source: sqlx::Error,
    },
    /// The statement's error.
    Statement(sqlx::Error),
    /// The callback's error.
    Each(Error),
}

/// One try: lock the connection, prepare, bind, step every row into `each`.
async fn attempt<F>(
    conn: &mut sqlx::SqliteConnection,
    sql: &str,
    args: &[RawArg],
    each: &mut F,
) -> std::result::Result<u64, Failure>
where
    F: FnMut(&RawRow<'_>) -> Result<()> + Send,
{
    let mut lock = conn.lock_handle().await.map_err(Failure::Statement)?;
    // `statement` borrows `lock`: the compiler keeps the lock held while the statement lives,
    // and drops (finalizes) the statement first whichever way this future ends: returned,
    // failed, or dropped at the yield below.
    let prepared = Statement::prepare(&mut lock, sql).map_err(|(source, timeout)| {
        if is_busy(&source) {
            // Preparing reads the schema, under a lock too.
            Failure::Busy { timeout, source }
        } else {
            Failure::Statement(source)
        }
    })?;
    let Some(mut statement) = prepared else {
        // Only comments or whitespace: no parameter to bind, no row.
        if !args.is_empty() {
            return Err(Failure::Statement(sqlx::Error::InvalidArgument(format!(
                "the statement has 0 parameters but {} arguments were given",
                args.len()
            ))));
        }
        return Ok(0);
    };
    statement.bind(args).map_err(Failure::Statement)?;
    let mut rows = 0;
    loop {
        for _ in 0..CHUNK {
            let mut step = statement.step();
            if rows == 0 {
                // The first step took the read's lock (or failed to): from here on the
                // connection waits for locks as sqlx configured it.
                let timeout = statement.busy_timeout();
                statement.resume_busy_wait();
                step = match step {
                    Err(source) if is_busy(&source) => {
                        return Err(Failure::Busy { timeout, source });
                    }
                    other => other,
                };
            }
            match step.map_err(Failure::Statement)? {
                Step::Done => return Ok(rows),
                // The row borrows the statement for this call only: it cannot reach the next
                // step, nor the await below.
                Step::Row => each(&RawRow::new(&statement)).map_err(Failure::Each)?,
            }
            rows += 1;
        }
        // Let the runtime's other tasks run (the lock stays held; the statement stays valid).
        tokio::task::yield_now().await;
    }
}
