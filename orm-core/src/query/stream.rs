//! Result sets larger than memory: `fetch` (a `Stream` of models, each decoded as its row
//! arrives), `chunks` (a keyset cursor: `WHERE pk > last ORDER BY pk LIMIT size`, one statement
//! per chunk, preloads run per chunk) and `chunk` (a callback per chunk).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_core::Stream;

use super::Query;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::executor::{Executor, HeldConnection};
use crate::model::{ModelRow, ModelSchema};
use crate::sql::Sql;

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
pub struct ModelStream<'a, M> {
    /// Where the running body leaves each model for `poll_next` to take.
    slot: Slot<Result<M>>,
    /// The body reading rows; `None` once it finished.
    body: Option<Pin<Box<dyn Future<Output = ()> + Send + 'a>>>,
}

impl<'a, M: Send + 'a> ModelStream<'a, M> {
    /// A stream of what `body` hands to its slot.
    fn new<F, Fut>(body: F) -> Self
    where
        F: FnOnce(Slot<Result<M>>) -> Fut,
        Fut: Future<Output = ()> + Send + 'a,
    {
        let slot = Slot(Arc::new(Mutex::new(None)));
        let body = Box::pin(body(Slot(Arc::clone(&slot.0))));
        ModelStream {
            slot,
            body: Some(body),
        }
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
        let this = &mut *self;
        let Some(body) = this.body.as_mut() else {
            return Poll::Ready(None);
        };
        match body.as_mut().poll(cx) {
            // The body either left a model (and returns `Pending` once, see `Slot::give`) or
            // waits on the database (which will wake this task).
            Poll::Pending => match this.slot.take() {
                Some(item) => Poll::Ready(Some(item)),
                None => Poll::Pending,
            },
            Poll::Ready(()) => {
                this.body = None;
                Poll::Ready(this.slot.take())
            }
        }
    }
}

impl<M> std::fmt::Debug for ModelStream<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelStream")
            .field("ended", &self.body.is_none())
            .finish()
    }
}

/// One value handed from the stream's body to `poll_next`.
struct Slot<T>(Arc<Mutex<Option<T>>>);

impl<T> Slot<T> {
    /// Leaves `value` for `poll_next` and suspends the body once, so that `poll_next` returns
    /// it before the body reads on. No waker is needed: `poll_next` finds the value in the same
    /// poll and returns it, and the caller polls again for the next one.
    async fn give(&self, value: T) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        let mut handed = false;
        std::future::poll_fn(|_| {
            if handed {
                Poll::Ready(())
            } else {
                handed = true;
                Poll::Pending
            }
        })
        .await;
    }

    fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// A keyset cursor over a query's rows ([`Query::chunks`]): each [`Chunks::next`] runs one
/// `SELECT ... WHERE <filters> AND pk > <last key> ORDER BY pk LIMIT <size>`, then the
/// query's preloads for that chunk (one statement per relation level). Rows inserted while it
/// runs never make it return a row twice or skip one; a row whose key is past the cursor is
/// read when the cursor gets there. It holds one connection (or borrows the caller's
/// transaction) until dropped.
///
/// ```no_run
/// # use orm_core::{Model, ModelRow};
/// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
/// let mut chunks = User::query().chunks(&pool, 1000).await?;
/// while let Some(users) = chunks.next().await? {
///     assert!(users.len() <= 1000);
/// }
/// # Ok(()) }
/// ```
pub struct Chunks<M: ModelSchema, DB: Backend, C> {
    query: Query<M, DB>,
    conn: C,
    size: u64,
    /// The key of the last row returned so far.
    last: Option<M::Key>,
    done: bool,
}

impl<M, DB, C> Chunks<M, DB, C>
where
    M: ModelRow<DB>,
    DB: Backend,
    C: HeldConnection<Backend = DB>,
{
    /// The next chunk of at most `size` models in primary key order, their preloads loaded;
    /// `None` when every row was read.
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow};
    /// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let mut chunks = User::query().chunks(&pool, 500).await?;
    /// let first: Option<Vec<User>> = chunks.next().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Query::fetch_all`]. The cursor stays where it was: `next` may be called again.
    #[allow(clippy::should_implement_trait)] // async: not `Iterator::next`
    pub async fn next(&mut self) -> Result<Option<Vec<M>>> {
        if self.done {
            return Ok(None);
        }
        let sql = self
            .query
            .streamed_sql(Some((self.last.as_ref(), self.size)));
        let rows = DB::fetch_all(&mut self.conn, sql).await?;
        let mut batch = Vec::with_capacity(rows.len());
        for row in &rows {
            batch.push(self.query.decode_row(row)?);
        }
        drop(rows);
        let Some(last) = batch.last() else {
            self.done = true;
            return Ok(None);
        };
        let last = last.key().clone();
        for preloader in &self.query.preloads {
            preloader
                .load(&mut self.conn, batch.iter_mut().collect())
                .await?;
        }
        self.done = (batch.len() as u64) < self.size;
        self.last = Some(last);
        Ok(Some(batch))
    }
}

impl<M: ModelSchema, DB: Backend, C> std::fmt::Debug for Chunks<M, DB, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunks")
            .field("model", &M::META.name)
            .field("size", &self.size)
            .field("after", &self.last)
            .field("done", &self.done)
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
        let sql = self.streamed_sql(None);
        let mut conn = exec.acquire().await?;
        // Declared after `conn`, so dropped before it: a pooled connection whose rows were
        // not all read is then closed (see `execute::Rows`).
        let mut rows = DB::fetch(&mut conn, sql);
        while let Some(row) = std::future::poll_fn(|cx| Pin::new(&mut rows).poll_next(cx)).await {
            let model = self.decode_row(&row?)?;
            slot.give(Ok(model)).await;
        }
        Ok(())
    }

    /// A keyset cursor over the matching models: chunks of at most `size` models in primary key
    /// order, one statement per chunk (`WHERE <filters> AND pk > <last key> ORDER BY pk LIMIT
    /// size`), plus one statement per preloaded relation level per chunk. Stable under
    /// concurrent inserts (no row twice, none skipped), unlike `LIMIT ... OFFSET`. See
    /// [`Chunks`].
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow};
    /// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let mut chunks = User::query().where_not_null("email_address").chunks(&pool, 1000).await?;
    /// while let Some(users) = chunks.next().await? {
    ///     println!("{} users", users.len());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `size` is 0 or the query has an `order_by`, a `limit` or an
    /// `offset` (the cursor sets all three); [`Error::UnknownColumn`] for a wrong column name;
    /// a database error when no connection can be had.
    pub async fn chunks<E>(mut self, exec: E, size: u64) -> Result<Chunks<M, DB, E::Connection>>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.checked()?;
        let refused = if size == 0 {
            Some("the chunk size is 0")
        } else if !self.order.is_empty() {
            Some("chunks are read in primary key order (a keyset cursor): remove order_by")
        } else if self.limit.is_some() || self.offset.is_some() {
            Some("chunks set their own limit and start after the last key: remove limit and offset")
        } else {
            None
        };
        if let Some(reason) = refused {
            return Err(Error::InvalidInput {
                model: M::META.name,
                relation: M::META.primary_key,
                operation: "chunk",
                reason: reason.to_owned(),
            });
        }
        let conn = exec.acquire().await?;
        Ok(Chunks {
            query: self,
            conn,
            size,
            last: None,
            done: false,
        })
    }

    /// Calls `each` with every chunk of at most `size` matching models, in primary key order,
    /// their preloads loaded: [`Query::chunks`] with a callback. Stops at the first error,
    /// the callback's included.
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow};
    /// # async fn run<User: Model + ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let mut seen = 0;
    /// User::query()
    ///     .chunk(&pool, 1000, |users: Vec<User>| {
    ///         seen += users.len();
    ///         async { Ok(()) }
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Query::chunks`] and [`Chunks::next`], or the callback's error.
    pub async fn chunk<E, F, Fut>(self, exec: E, size: u64, mut each: F) -> Result<()>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
        F: FnMut(Vec<M>) -> Fut + Send,
        Fut: Future<Output = Result<()>> + Send,
    {
        let mut chunks = self.chunks(exec, size).await?;
        while let Some(batch) = chunks.next().await? {
            each(batch).await?;
        }
        Ok(())
    }

    /// The SELECT of `fetch` (`keyset: None`: the query's own order, limit and offset) or of
    /// one chunk (`Some((after, size))`: the rows past key `after`, in key order, at most
    /// `size`).
    fn streamed_sql(&self, keyset: Option<(Option<&M::Key>, u64)>) -> Sql<DB>
    where
        M: ModelRow<DB>,
    {
        let mut sql = Sql::new();
        self.write_select_where(&mut sql);
        match keyset {
            None => {
                self.write_order(&mut sql);
                sql.limit_offset(self.limit, self.offset);
            }
            Some((after, size)) => {
                if let Some(after) = after {
                    let filtered = !(self.scope.is_empty() && self.filter.is_empty());
                    sql.push(if filtered { " AND " } else { " WHERE " });
                    sql.qualified(&self.alias, M::META.primary_key)
                        .push(" > ")
                        .bind(after);
                }
                sql.push(" ORDER BY ")
                    .qualified(&self.alias, M::META.primary_key)
                    .push(" ASC");
                sql.limit_offset(Some(size), None);
            }
        }
        sql
    }

    /// A model and its `with_count` columns from one row of the query's statement (also
    /// `fetch_all`'s).
    pub(super) fn decode_row(&self, row: &DB::Row) -> Result<M>
    where
        M: ModelRow<DB>,
    {
        let columns = M::META.columns.len();
        let mut model = M::decode(row, 0)?;
        for (i, count) in self.counts.iter().enumerate() {
            let n = DB::get_i64(row, columns + i).map_err(|source| Error::Count {
                what: format!("{} relations (with_count)", M::META.name),
                source,
            })?;
            count.store(&mut model, n);
        }
        Ok(model)
    }
}
