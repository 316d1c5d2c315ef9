//! The fast read path: on SQLite, a read whose values the ORM recorded ([`Sql`]'s raw values)
//! and whose rows decode without sqlx ([`crate::ModelRow::raw_readable`]) runs on sqlx's locked
//! raw handle ([`super::raw`]), decoding each row straight into its model. sqlx's own path copies
//! every value of every row on its worker thread and hands the rows over one at a time; measured
//! on a preload of 1,000 users × 10 skills, the raw path takes 2.5× fewer instructions
//! (`peers/notes/sqlite-gap.md`). Same statements, same values, same errors: only the way rows
//! travel changes.

use std::sync::atomic::{AtomicBool, Ordering};

use futures_core::future::BoxFuture;

use super::raw::RawRow;
use super::{Trace, summary};
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::sql::Sql;

/// Whether SQLite reads take the raw path where they can (on by default).
static FAST_READS: AtomicBool = AtomicBool::new(true);

/// Turns SQLite's fast read path on (the default) or off, for the whole process. Off, every
/// read goes through sqlx's row stream, as on the other backends; the results are the same
/// either way. For measuring the path, or for ruling it out when looking into a problem.
///
/// ```
/// orm_core::set_sqlite_fast_reads(false);
/// assert!(!orm_core::sqlite_fast_reads());
/// orm_core::set_sqlite_fast_reads(true);
/// assert!(orm_core::sqlite_fast_reads());
/// ```
pub fn set_sqlite_fast_reads(on: bool) {
    FAST_READS.store(on, Ordering::Relaxed);
}

/// Whether SQLite reads take the fast read path where they can ([`set_sqlite_fast_reads`]).
///
/// ```
/// assert!(orm_core::sqlite_fast_reads());
/// ```
pub fn sqlite_fast_reads() -> bool {
    FAST_READS.load(Ordering::Relaxed)
}

/// Whether `sql` can run on the raw path: the backend has one, it is on, and every value of the
/// statement was recorded for it. The caller also checks that its rows decode on it.
pub(crate) fn reads_raw<DB: Backend>(sql: &Sql<DB>) -> bool {
    DB::RAW_READS && sql.has_raw_args() && sqlite_fast_reads()
}

/// Runs `sql` on the raw path ([`reads_raw`] must hold) and decodes each row with `decode` as
/// it is read. The statement has its `orm::sql` event like any other, also when the read is
/// dropped before its end (then with the rows read so far).
///
/// # Errors
/// The statement's error, or the first error of `decode` (reading stops there).
pub(crate) fn fetch_raw<'c, DB, T, F>(
    conn: &'c mut DB::Connection,
    sql: Sql<DB>,
    decode: F,
) -> BoxFuture<'c, Result<Vec<T>>>
where
    DB: Backend,
    T: Send + 'c,
    F: FnMut(&RawRow<'_>) -> Result<T> + Send + 'c,
{
    // Boxed: a `Send` future of a concrete type for the callers' own `Send` futures (the
    // compiler cannot prove an unboxed one `Send` for every lifetime its callers borrow with).
    Box::pin(read_raw::<DB, T, F>(conn, sql, decode))
}

async fn read_raw<DB, T, F>(
    conn: &mut DB::Connection,
    sql: Sql<DB>,
    mut decode: F,
) -> Result<Vec<T>>
where
    DB: Backend,
    T: Send,
    F: FnMut(&RawRow<'_>) -> Result<T> + Send,
{
    let mut sql = sql;
    let shown = sql.shown_values();
    let (text, raw, args) = sql.finish_raw()?;
    let summary = summary(&text);
    let Some(raw) = raw else {
        // invariant: callers check `reads_raw`, which holds only with every value recorded.
        return Err(Error::db(
            summary,
            sqlx::Error::InvalidArgument(String::from(
                "statement values not recorded for the raw path",
            )),
        ));
    };
    drop(args);
    // The values as the ORM bound them (`Debug`), or as the raw path binds them.
    let trace = if shown.iter().any(|v| v == crate::sql::UNSHOWN) || shown.len() != raw.len() {
        Trace::start(DB::DIALECT, &text, &raw)
    } else {
        Trace::start(DB::DIALECT, &text, &shown)
    };
    let mut event = Event {
        trace: trace.map(Trace::on_raw_path),
        rows: 0,
    };
    let mut decoded = Vec::new();
    let done = DB::each_raw_row(conn, &text, &raw, &summary, |row| {
        decoded.push(decode(row)?);
        Ok(())
    })
    .await;
    event.rows = decoded.len() as u64;
    event.finish(done.as_ref().err());
    done.map(|_| decoded)
}

/// A raw statement's event, emitted when it ends or, if the read is dropped first, on drop.
struct Event {
    trace: Option<Trace>,
    rows: u64,
}

impl Event {
    fn finish(&mut self, error: Option<&Error>) {
        if let Some(trace) = self.trace.take() {
            trace.finish(self.rows, error);
        }
    }
}

impl Drop for Event {
    fn drop(&mut self) {
        self.finish(None);
    }
}
