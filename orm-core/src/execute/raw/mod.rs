//! A fast SQLite read path: the ORM's own SQL prepared, bound and stepped on sqlx's locked raw
//! handle (`SqliteConnection::lock_handle`), each row decoded in place by a callback, with the
//! same decoding rules as sqlx.
//!
//! sqlx-sqlite copies every value of every row on its worker thread and hands rows over a
//! channel one by one; here the caller's task owns the `sqlite3*` while it reads (the worker is
//! parked on the lock) and reads each column straight out of the statement: 2.5x fewer
//! instructions than sqlx on the measured preload (peers/notes/sqlite-gap.md).
//!
//! The soundness rules, each kept by one piece of code:
//!
//! 1. The `sqlite3*` and the statement are used only while the `LockedSqliteHandle` lives: the
//!    statement borrows the lock, so the compiler keeps the lock held while it lives and drops
//!    (finalizes) it first, on every path, also when the future is dropped mid-read
//!    (`statement.rs`).
//! 2. One statement per call, prepared with `sqlite3_prepare_v3` and finalized at the end; more
//!    statements in the SQL, or a parameter count other than the argument count, are errors.
//! 3. TEXT and BLOB are read only through `RawRow`, which exists only as a `&RawRow` inside the
//!    callback: a `&str` from it cannot outlive the row (`row.rs`).
//! 4. Rows are stepped in chunks of [`CHUNK`], with `tokio::task::yield_now` between chunks while
//!    the lock is held (`run.rs`).
//! 5. The connection stays sqlx's: transactions opened through sqlx are seen, nothing is kept
//!    across calls.
//! 6. Every `unsafe` block says why it is sound (`// SAFETY:`); the module has no `unwrap`.
//! 7. Values decode exactly as sqlx decodes them (`column.rs`, `row.rs`).
//! 8. Waiting for another connection's lock happens asynchronously, never in SQLite's busy
//!    handler on the runtime's thread (`busy.rs`).
//!
//! Without the `sqlite` cargo feature only the types exist, and [`RawRow`] is uninhabited.

#[cfg(feature = "sqlite")]
mod busy;
mod column;
#[cfg(feature = "chrono")]
mod dates;
mod decode;
#[cfg(feature = "sqlite")]
mod error;
mod extra;
mod row;
#[cfg(feature = "sqlite")]
mod run;
#[cfg(feature = "sqlite")]
mod statement;
#[cfg(all(test, feature = "sqlite"))]
mod tests;

pub use column::RawColumn;
#[cfg(feature = "sqlite")]
pub use error::RawSqliteError;
pub use row::RawRow;
#[cfg(feature = "sqlite")]
pub use run::each_row;

/// How many rows [`each_row`] steps before it yields to the runtime (while still holding the
/// connection): ≈ 0.4 ms of stepping on the measured machine.
///
/// ```
/// assert_eq!(orm_core::execute::raw::CHUNK, 1024);
/// ```
pub const CHUNK: u64 = 1024;

/// A value bound to a statement run on the raw handle: parameter `i` (1-based, as SQLite counts)
/// takes the argument at `i - 1`.
///
/// ```
/// use orm_core::execute::raw::RawArg;
///
/// let args = [RawArg::Int64(7), RawArg::Text("ada".into()), RawArg::Null];
/// assert_eq!(args[1], RawArg::Text(String::from("ada")));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum RawArg {
    /// SQL NULL (`sqlite3_bind_null`).
    Null,
    /// An integer (`sqlite3_bind_int64`).
    Int64(i64),
    /// A floating-point number (`sqlite3_bind_double`).
    Double(f64),
    /// UTF-8 text (`sqlite3_bind_text64`, copied by SQLite).
    Text(String),
    /// Bytes (`sqlite3_bind_blob64`, copied by SQLite).
    Blob(Vec<u8>),
}
