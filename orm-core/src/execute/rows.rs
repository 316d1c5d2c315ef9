//! [`Rows`]: a statement's rows as the driver reads them, for `Query::fetch`, with the
//! statement's error context, its in-flight marker and its trace event; read directly or, on a
//! connection behind a transaction pooler, inside a transaction of the statement's own
//! (`pinned`).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::BoxStream;
use sqlx::Database;

use super::pinned::Step;
use super::{InFlight, Trace};
use crate::error::{Error, Result};

/// The rows of one statement, each decoded by the caller as it arrives ([`Execute::fetch`]).
///
/// Dropped before its last row, the statement counts as interrupted: a pooled connection that
/// ran it is closed rather than returned (its unread rows would otherwise be read and thrown
/// away first); a borrowed connection stays usable, sqlx reads the rest before its next
/// statement. Its `orm::sql` event is emitted when the rows end or the stream is dropped, with
/// the number of rows read. In a transaction of its own ([`Execute::pins`]), the transaction
/// stays open until the rows end (then it is committed) and is rolled back if the stream is
/// dropped first.
///
/// [`Execute::fetch`]: super::Execute::fetch
/// [`Execute::pins`]: super::Execute::pins
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
    inner: Option<Source<'c, DB::Row>>,
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
            inner: Some(Source::Direct(inner)),
            failed: None,
            summary,
            trace,
            read: 0,
            flight: Some(flight),
        }
    }

    /// The rows of a statement that runs in a transaction of its own (`pinned::rows`).
    pub(crate) fn pinned(
        steps: BoxStream<'c, Step<DB::Row>>,
        flight: InFlight,
        summary: String,
        trace: Option<Trace>,
    ) -> Self {
        Rows {
            inner: Some(Source::Pinned(steps)),
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

/// Where the rows come from.
enum Source<'c, Row> {
    /// The driver's stream, on the caller's connection as it is.
    Direct(BoxStream<'c, std::result::Result<Row, sqlx::Error>>),
    /// The steps of a statement in a transaction of its own.
    Pinned(BoxStream<'c, Step<Row>>),
}

impl<DB: Database> Stream for Rows<'_, DB> {
    type Item = Result<DB::Row>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(err) = this.failed.take() {
            return Poll::Ready(Some(Err(err)));
        }
        loop {
            let step = match this.inner.as_mut() {
                None => return Poll::Ready(None),
                Some(Source::Direct(rows)) => match rows.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(row))) => Step::Row(row),
                    Poll::Ready(Some(Err(source))) => {
                        Step::Failed(Error::db(std::mem::take(&mut this.summary), source))
                    }
                    Poll::Ready(None) => Step::Ended,
                },
                Some(Source::Pinned(steps)) => match steps.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(step)) => step,
                    // After `Ended` (and the COMMIT): the statement is finished.
                    Poll::Ready(None) => {
                        this.end(None);
                        return Poll::Ready(None);
                    }
                },
            };
            match step {
                Step::Row(row) => {
                    this.read += 1;
                    return Poll::Ready(Some(Ok(row)));
                }
                Step::Failed(err) => {
                    this.end(Some(&err));
                    return Poll::Ready(Some(Err(err)));
                }
                Step::ControlFailed(err) => {
                    // The BEGIN or COMMIT has its own event, with this error.
                    this.trace = None;
                    this.end(None);
                    return Poll::Ready(Some(Err(err)));
                }
                Step::Ended => {
                    if let Some(trace) = this.trace.take() {
                        trace.finish(this.read, None);
                    }
                    if matches!(this.inner, Some(Source::Direct(_))) {
                        this.end(None);
                        return Poll::Ready(None);
                    }
                    // The pinned statement's COMMIT comes next.
                }
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
