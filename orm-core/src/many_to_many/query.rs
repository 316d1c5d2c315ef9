//! `user.related(User::skills()).query()`: the parent's related rows, joined with the pivot,
//! as `Pivoted<Skill, P>`, with model filters and pivot filters.

use super::related::{self, Scope};
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::model::ModelSchema;
use crate::pivot::Pivoted;
use crate::query::{Op, Order, Query};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use crate::sql::Sql;
use crate::value::Bind;

/// The related rows of one parent. Every filter is grouped and ANDed with the parent's scope,
/// so an `or_` form never reaches another parent's rows.
///
/// ```no_run
/// # use orm_core::{ManyToManyHandle, ManyToManyOn, Model, Order, Relation, Result};
/// # trait HasSkills: Model {
/// #     type Skills: ManyToManyOn<sqlx::Sqlite>
/// #         + for<'p> Relation<Parent = Self, Handle<'p> = ManyToManyHandle<'p, Self::Skills>>;
/// #     fn skills() -> Self::Skills;
/// # }
/// # async fn example<User: HasSkills>(user: User, pool: sqlx::SqlitePool) -> Result<()> {
/// let masters = user.related(User::skills()).query()
///     .where_pivot("proficiency", "master")
///     .order_by_pivot("created_at", Order::Desc)
///     .fetch_all(&pool).await?;
/// # Ok(()) }
/// ```
pub struct RelatedQuery<R: ManyToManyRelation, DB: Backend> {
    parent: R::LocalKey,
    query: Query<R::Related, DB>,
}

/// One page of rows and the total across all pages.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows of this page.
    pub rows: Vec<T>,
    /// How many rows there are in all.
    pub total: i64,
    /// This page's number, from 1.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

macro_rules! forward_compare {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name<V: Bind<DB> + 'static>(mut self, column: &str, value: V) -> Self {
            self.query = self.query.$name(column, value);
            self
        }
    )*};
}

macro_rules! forward_list {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(mut self, column: &str, values: I) -> Self {
            self.query = self.query.$name(column, values);
            self
        }
    )*};
}

macro_rules! forward_column {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, column: &str) -> Self {
            self.query = self.query.$name(column);
            self
        }
    )*};
}

impl<R: ManyToManyRelation, DB: Backend> RelatedQuery<R, DB> {
    pub(crate) fn new(parent: R::LocalKey) -> Self {
        RelatedQuery {
            parent,
            query: related::related_query::<R, DB>(),
        }
    }

    forward_compare! {
        /// `related.column = value`.
        where_eq;
        /// `... OR related.column = value`.
        or_where_eq;
        /// `related.column <> value`.
        where_ne;
        /// `... OR related.column <> value`.
        or_where_ne;
        /// `pivot.column = value`.
        where_pivot;
        /// `... OR pivot.column = value`.
        or_where_pivot;
        /// `NOT pivot.column = value`.
        where_not_pivot;
    }

    forward_list! {
        /// `related.column IN (values)`.
        where_in;
        /// `related.column NOT IN (values)`.
        where_not_in;
        /// `pivot.column IN (values)`.
        where_in_pivot;
        /// `pivot.column NOT IN (values)`.
        where_not_in_pivot;
    }

    forward_column! {
        /// `related.column IS NULL`.
        where_null;
        /// `related.column IS NOT NULL`.
        where_not_null;
        /// `pivot.column IS NULL`.
        where_null_pivot;
        /// `pivot.column IS NOT NULL`.
        where_not_null_pivot;
    }

    /// `related.column <op> value`.
    pub fn where_op<V: Bind<DB> + 'static>(mut self, column: &str, op: Op, value: V) -> Self {
        self.query = self.query.where_op(column, op, value);
        self
    }

    /// `pivot.column <op> value`.
    pub fn where_pivot_op<V: Bind<DB> + 'static>(mut self, column: &str, op: Op, value: V) -> Self {
        self.query = self.query.where_pivot_op(column, op, value);
        self
    }

    /// `AND (<conditions built by the closure>)`; pivot filters work inside.
    pub fn where_group(
        mut self,
        build: impl FnOnce(Query<R::Related, DB>) -> Query<R::Related, DB>,
    ) -> Self {
        self.query = self.query.where_group(build);
        self
    }

    /// `OR (<conditions built by the closure>)`, still inside the parent's scope.
    pub fn or_where_group(
        mut self,
        build: impl FnOnce(Query<R::Related, DB>) -> Query<R::Related, DB>,
    ) -> Self {
        self.query = self.query.or_where_group(build);
        self
    }

    /// Reads these pivot columns into each row's extras as `pivot_<column>`.
    pub fn pivot_columns<'c, I: IntoIterator<Item = &'c str>>(mut self, columns: I) -> Self {
        self.query = self.query.pivot_columns(columns);
        self
    }

    /// Sorts by a column of the related model.
    pub fn order_by(mut self, column: &str, order: Order) -> Self {
        self.query = self.query.order_by(column, order);
        self
    }

    /// Sorts by a pivot column.
    pub fn order_by_pivot(mut self, column: &str, order: Order) -> Self {
        self.query = self.query.order_by_pivot(column, order);
        self
    }

    /// Returns at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.query = self.query.limit(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.query = self.query.offset(n);
        self
    }

    /// The related rows with their pivot data and extras.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], [`Error::InvalidIdentifier`], or a database error.
    pub async fn fetch_all<E>(mut self, exec: E) -> Result<Vec<Pivoted<R::Related, R::Pivot>>>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.query.checked()?;
        let sql = related::select::<R, DB>(&self.query, Scope::Key(&self.parent), false);
        let mut conn = exec.acquire().await?;
        let rows = DB::fetch_all(&mut conn, sql).await?;
        let names = related::extra_names::<R, DB>(&self.query);
        let runtime = names.len().saturating_sub(2);
        let shared =
            crate::extras::SharedExtras::new(names, crate::value::Key::to_extra(&self.parent));
        rows.iter()
            .map(|row| related::decode::<R, DB>(row, &shared, runtime))
            .collect()
    }

    /// The first related row, if any.
    ///
    /// # Errors
    /// As [`RelatedQuery::fetch_all`].
    pub async fn fetch_optional<E>(self, exec: E) -> Result<Option<Pivoted<R::Related, R::Pivot>>>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        Ok(self.limit(1).fetch_all(exec).await?.into_iter().next())
    }

    /// The first related row.
    ///
    /// # Errors
    /// [`Error::NoRows`] when there is none; otherwise as [`RelatedQuery::fetch_all`].
    pub async fn fetch_one<E>(self, exec: E) -> Result<Pivoted<R::Related, R::Pivot>>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.fetch_optional(exec).await?.ok_or(Error::NoRows {
            model: <R::Related as ModelSchema>::META.name,
        })
    }

    fn count_sql(&self) -> Sql<DB>
    where
        R: ManyToManyOn<DB>,
    {
        let mut sql = Sql::new();
        sql.push("SELECT COUNT(*)");
        related::write_body::<R, DB>(&mut sql, &self.query, Scope::Key(&self.parent));
        sql
    }

    /// How many related rows match (pivot rows, so a related row attached twice counts twice).
    ///
    /// # Errors
    /// As [`RelatedQuery::fetch_all`].
    pub async fn count<E>(mut self, exec: E) -> Result<i64>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.query.checked()?;
        let mut conn = exec.acquire().await?;
        count_on::<R, DB>(&mut conn, self.count_sql()).await
    }

    /// Whether any related row matches.
    ///
    /// # Errors
    /// As [`RelatedQuery::fetch_all`].
    pub async fn exists<E>(self, exec: E) -> Result<bool>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        Ok(self.count(exec).await? > 0)
    }

    /// Page `page` (from 1) of `per_page` rows, with the total: two statements.
    ///
    /// # Errors
    /// As [`RelatedQuery::fetch_all`].
    pub async fn paginate<E>(
        mut self,
        exec: E,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Pivoted<R::Related, R::Pivot>>>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.query.checked()?;
        let page = page.max(1);
        let mut conn = exec.acquire().await?;
        let total = count_on::<R, DB>(&mut conn, self.count_sql()).await?;
        let query = self
            .limit(per_page)
            .offset((page - 1).saturating_mul(per_page));
        let rows = query.fetch_all(&mut conn).await?;
        Ok(Page {
            rows,
            total,
            page,
            per_page,
        })
    }
}

/// Runs the count of `R`'s related rows.
async fn count_on<R: ManyToManyRelation, DB: Backend>(
    conn: &mut DB::Connection,
    sql: Sql<DB>,
) -> Result<i64> {
    let meta = R::meta();
    let rows = DB::fetch_all(conn, sql).await?;
    let row = rows.first().ok_or(Error::NoRows {
        model: <R::Related as ModelSchema>::META.name,
    })?;
    DB::get_i64(row, 0).map_err(|source| Error::Count {
        what: format!("{}.{}", meta.parent, meta.relation),
        source,
    })
}
