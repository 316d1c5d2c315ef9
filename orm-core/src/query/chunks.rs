//! A batch at a time: `chunks`, a keyset cursor (`WHERE pk > last ORDER BY pk LIMIT size`, one
//! statement per chunk, the query's preloads run per chunk), and `chunk` (a callback per chunk).

use std::future::Future;

use super::Query;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::executor::{Executor, HeldConnection};
use crate::model::{ModelRow, ModelSchema};
use crate::sql::Sql;

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
        let sql = self.query.chunk_sql(self.last.as_ref(), self.size);
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
        let conn = exec.acquire_read().await?;
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

    /// One chunk's SELECT: the rows past key `after`, in key order, at most `size`.
    fn chunk_sql(&self, after: Option<&M::Key>, size: u64) -> Sql<DB>
    where
        M: ModelRow<DB>,
    {
        let mut sql = Sql::new();
        self.write_select_where(&mut sql);
        if let Some(after) = after {
            let filtered = !(self.scope.is_empty() && self.filter.is_empty());
            sql.push(if filtered { " AND " } else { " WHERE " });
            sql.qualified(&self.alias, M::META.primary_key)
                .push(" > ")
                .bind_debug(after);
        }
        sql.push(" ORDER BY ")
            .qualified(&self.alias, M::META.primary_key)
            .push(" ASC");
        sql.limit_offset(Some(size), None);
        sql
    }
}
