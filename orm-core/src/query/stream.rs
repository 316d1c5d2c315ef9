//! Result sets larger than memory, one row at a time: `fetch`, a `Stream` of models each
//! decoded as its row arrives. (A batch at a time, with preloads: `chunks`.)

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::Query;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::execute::{Generator, Slot};
use crate::executor::Executor;
use crate::model::{ModelRow, ModelSchema};

/// The models of [`Query::fetch`], decoded one by one as the database sends their rows: memory
/// stays flat however many rows match.
///
/// It is a [`Stream`] of `Result<M>`; [`ModelStream::try_next`] reads it without any other
/// crate. The first error ends it. Dropped before its end, the statement is abandoned: a
/// connection taken from a pool is closed rather than returned (so its unread rows are not
/// read first), a borrowed connection or transaction stays usable.
///
/// ```no_run
/// # use orm_core::{Model, ModelRow};
/// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
/// let mut users = User::query().fetch(&pool);
/// let mut n = 0;
/// while let Some(_user) = users.try_next().await? {
///     n += 1;
/// }
/// # Ok(()) }
/// ```
pub struct ModelStream<'a, M>(Generator<'a, Result<M>>);

impl<'a, M: Send + 'a> ModelStream<'a, M> {
    /// A stream of what `body` hands to its slot.
    fn new<F, Fut>(body: F) -> Self
    where
        F: FnOnce(Slot<Result<M>>) -> Fut,
        Fut: Future<Output = ()> + Send + 'a,
    {
        ModelStream(Generator::new(body))
    }

    /// The next model, or `None` at the end.
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow};
    /// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let mut users = User::query().fetch(&pool);
    /// let first: Option<User> = users.try_next().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Query::fetch_all`]; after an error the stream ends.
    pub async fn try_next(&mut self) -> Result<Option<M>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }
}

impl<M> Stream for ModelStream<'_, M> {
    type Item = Result<M>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<M>>> {
        Pin::new(&mut self.0).poll_next(cx)
    }
}

impl<M> std::fmt::Debug for ModelStream<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelStream")
            .field("ended", &self.0.ended())
            .finish()
    }
}

impl<M: ModelSchema, DB: Backend> Query<M, DB> {
    /// The matching models as a [`Stream`], each decoded as its row arrives, so that a result
    /// set larger than memory can be read: one statement, no buffering of the rows.
    /// `with_count` works (the counts are part of the statement); preloads need a whole batch
    /// of parents at once, so a query with a preload yields [`Error::InvalidInput`]: read it
    /// with [`Query::chunks`] or [`Query::chunk`], which preload each chunk.
    ///
    /// Nothing runs until the stream is polled. The connection is held until the stream ends
    /// or is dropped.
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow, Order};
    /// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let mut users = User::query().order_by("id", Order::Asc).fetch(&pool);
    /// let mut n = 0;
    /// while let Some(_user) = users.try_next().await? {
    ///     n += 1;
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Each as an item of the stream, which then ends: those of [`Query::fetch_all`], and
    /// [`Error::InvalidInput`] when the query has a preload.
    pub fn fetch<'a, E>(self, exec: E) -> ModelStream<'a, M>
    where
        E: Executor<Backend = DB> + 'a,
        M: ModelRow<DB>,
    {
        ModelStream::new(move |slot| async move {
            if let Err(err) = self.stream_to(exec, &slot).await {
                slot.give(Err(err)).await;
            }
        })
    }

    /// Reads every row into `slot`, one model at a time.
    async fn stream_to<E>(mut self, exec: E, slot: &Slot<Result<M>>) -> Result<()>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.checked()?;
        if !self.preloads.is_empty() {
            return Err(Error::InvalidInput {
                model: M::META.name,
                relation: "fetch",
                operation: "preload during",
                reason: String::from(
                    "a preload loads a whole batch of parents at once; read the rows with \
                     chunks() or chunk(), which run each preload once per chunk",
                ),
            });
        }
        let sql = self.select_sql();
        let mut conn = exec.acquire_read().await?;
        // Declared after `conn`, so dropped before it: a pooled connection whose rows were
        // not all read is then closed (see `execute::Rows`).
        let mut rows = DB::fetch(&mut conn, sql);
        while let Some(row) = std::future::poll_fn(|cx| Pin::new(&mut rows).poll_next(cx)).await {
            let model = self.decode_row(&row?)?;
            slot.give(Ok(model)).await;
        }
        Ok(())
    }
}
