//! [`each_row`]: one statement on the locked raw handle, stepped in chunks with a yield to the
//! runtime between them, each row handed to a callback.

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
    let mut lock = conn.lock_handle().await.map_err(failed)?;
    // `statement` borrows `lock`: the compiler keeps the lock held while the statement lives,
    // and drops (finalizes) the statement first whichever way this future ends: returned,
    // failed, or dropped at the yield below.
    let Some(mut statement) = Statement::prepare(&mut lock, sql).map_err(failed)? else {
        // Only comments or whitespace: no parameter to bind, no row.
        if !args.is_empty() {
            return Err(failed(sqlx::Error::InvalidArgument(format!(
                "the statement has 0 parameters but {} arguments were given",
                args.len()
            ))));
        }
        return Ok(0);
    };
    statement.bind(args).map_err(failed)?;
    let mut rows = 0;
    loop {
        for _ in 0..CHUNK {
            match statement.step().map_err(failed)? {
                Step::Done => return Ok(rows),
                // The row borrows the statement for this call only: it cannot reach the next
                // step, nor the await below.
                Step::Row => each(&RawRow::new(&statement))?,
            }
            rows += 1;
        }
        // Let the runtime's other tasks run (the lock stays held; the statement stays valid).
        tokio::task::yield_now().await;
    }
}
