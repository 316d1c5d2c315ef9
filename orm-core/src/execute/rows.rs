//! [`Rows`]: a statement's rows as the driver reads them, for `Query::fetch`, with the
//! statement's error context, its in-flight marker and its trace event.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::BoxStream;
use sqlx::Database;

use super::{InFlight, Trace};
use crate::error::{Error, Result};

/// The rows of one statement, each decoded by the caller as it arrives ([`Execute::fetch`]).
///
/// Dropped before its last row, the statement counts as interrupted: a pooled connection that
/// ran it is closed rather than returned (its unread rows would otherwise be read and thrown
/// away first); a borrowed connection stays usable, sqlx reads the rest before its next
/// statement. Its `orm::sql` event is emitted when the rows end or the stream is dropped, with
/// the number of rows read.
///
/// [`Execute::fetch`]: super::Execute::fetch
///
/// ```no_run
/// use orm_core::execute::{Execute, Rows};
/// use orm_core::__private::Sql;
///
/// fn all_users(conn: &mut sqlx::SqliteConnection) -> Rows<'_, sqlx::Sqlite> {
///     let mut sql = Sql::new();
///     sql.push("SELECT * FROM ").ident("users");
///     <sqlx::Sqlite as Execute>::fetch(conn, sql)
/// }
/// ```
pub struct Rows<'c, DB: Database> {
    /// The driver's rows; `None` once they ended or failed.
    inner: Option<BoxStream<'c, std::result::Result<DB::Row, sqlx::Error>>>,
    /// An error to report before anything else (the statement could not be built).
    failed: Option<Error>,
    summary: String,
    trace: Option<Trace>,
    /// How many rows were read.
    read: u64,
    /// Declared after `inner`: dropped after the driver's stream, still unfinished when the
    /// rows did not end.
    flight: Option<InFlight>,
}

impl<'c, DB: Database> Rows<'c, DB> {
    /// The rows of a statement that started running.
    pub(crate) fn new(
        inner: BoxStream<'c, std::result::Result<DB::Row, sqlx::Error>>,
        flight: InFlight,
        summary: String,
        trace: Option<Trace>,
    ) -> Self {
        Rows {
            inner: Some(inner),
            failed: None,
            summary,
            trace,
            read: 0,
            flight: Some(flight),
        }
    }

    /// A stream that yields `err` and ends.
    pub(crate) fn failed(err: Error) -> Self {
        Rows {
            inner: None,
            failed: Some(err),
            summary: String::new(),
            trace: None,
            read: 0,
            flight: None,
        }
    }

    /// The rows ended (`error` is `None`) or failed: the statement is finished either way.
    fn end(&mut self, error: Option<&Error>) {
        self.inner = None;
        if let Some(flight) = self.flight.take() {
            flight.finish();
        }
        if let Some(trace) = self.trace.take() {
            trace.finish(self.read, error);
        }
    }
}

impl<DB: Database> Stream for Rows<'_, DB> {
    type Item = Result<DB::Row>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(err) = this.failed.take() {
            return Poll::Ready(Some(Err(err)));
        }
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match inner.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(row))) => {
                this.read += 1;
                Poll::Ready(Some(Ok(row)))
            }
            Poll::Ready(Some(Err(source))) => {
                let err = Error::db(std::mem::take(&mut this.summary), source);
                this.end(Some(&err));
                Poll::Ready(Some(Err(err)))
            }
            Poll::Ready(None) => {
                this.end(None);
                Poll::Ready(None)
            }
        }
    }
}

impl<DB: Database> Drop for Rows<'_, DB> {
    /// A stream dropped before its end still reports its statement, with the rows read so far.
    fn drop(&mut self) {
        if let Some(trace) = self.trace.take() {
            trace.finish(self.read, None);
        }
    }
}

impl<DB: Database> fmt::Debug for Rows<'_, DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rows")
            .field("statement", &self.summary)
            .field("read", &self.read)
            .field("ended", &self.inner.is_none())
            .finish()
    }
}
