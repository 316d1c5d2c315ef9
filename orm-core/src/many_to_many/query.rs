//! `user.related(User::skills()).query()`: the parent's related rows, joined with the pivot,
//! as `Pivoted<Skill, P>`, with model filters and pivot filters.

use super::related::{self, Scope};
use super::through::Through;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::model::ModelSchema;
use crate::pivot::Pivoted;
use crate::query::{Page, Query};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use crate::sql::Sql;

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
pub type RelatedQuery<R, DB> = Query<<R as crate::relation::Relation>::Related, DB, Through<R>>;

/// The terminal methods of a query through a pivot: rows come back as `Pivoted<Related, Pivot>`.
impl<R: ManyToManyRelation, DB: Backend> Query<R::Related, DB, Through<R>> {
    /// The parent this query reads the related rows of.
    fn parent(&self) -> Result<&R::LocalKey> {
        self.through.parent.as_ref().ok_or_else(|| {
            let meta = R::meta();
            Error::InvalidInput {
                model: meta.parent,
                relation: meta.relation,
                operation: "run a query of",
                reason: "this query refines a preload_with / where_has / with_count_where and is \
                         run by it; to read one parent's rows use parent.related(..).query()"
                    .into(),
            }
        })
    }

    /// The statement `fetch_all` runs and its bound values, as text per dialect (see
    /// [`Query::to_sql`]): the related rows joined with the parent's pivot rows.
    ///
    /// # Errors
    /// The error the query holds, or a query without a parent (a `preload_with` closure's).
    pub fn to_sql(&self) -> Result<(String, Vec<String>)>
    where
        R: ManyToManyOn<DB>,
    {
        let parent = self.parent()?;
        self.show(|| related::select::<R, DB>(self, Scope::Key(parent), false))
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
        self.checked()?;
        let parent = self.parent()?;
        let sql = related::select::<R, DB>(&self, Scope::Key(parent), false);
        let names = related::extra_names::<R, DB>(&self);
        let runtime = names.len().saturating_sub(2);
        let shared = crate::extras::SharedExtras::new(names, crate::value::Key::to_extra(parent));
        let mut conn = exec.acquire_read().await?;
        if related::raw_readable::<R, DB>() && crate::execute::reads_raw(&sql) {
            return crate::execute::fetch_raw(&mut *conn, sql, |row| {
                related::decode_raw::<R, DB>(row, Some(&shared), runtime)
            })
            .await;
        }
        let rows = DB::fetch_all(&mut conn, sql).await?;
        rows.iter()
            .map(|row| related::decode::<R, DB>(row, Some(&shared), runtime))
            .collect()
    }

    /// The first related row, if any.
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
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
    /// [`Error::NoRows`] when there is none; otherwise as [`Query::fetch_all`].
    pub async fn fetch_one<E>(self, exec: E) -> Result<Pivoted<R::Related, R::Pivot>>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.fetch_optional(exec).await?.ok_or(Error::NoRows {
            model: <R::Related as ModelSchema>::META.name,
        })
    }

    fn count_sql(&self) -> Result<Sql<DB>>
    where
        R: ManyToManyOn<DB>,
    {
        let mut sql = Sql::new();
        sql.push("SELECT COUNT(*)");
        related::write_body::<R, DB>(&mut sql, self, Scope::Key(self.parent()?));
        Ok(sql)
    }

    /// How many related rows match (pivot rows, so a related row attached twice counts twice).
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn count<E>(mut self, exec: E) -> Result<i64>
    where
        E: Executor<Backend = DB>,
        R: ManyToManyOn<DB>,
    {
        self.checked()?;
        let sql = self.count_sql()?;
        let mut conn = exec.acquire_read().await?;
        count_on::<R, DB>(&mut conn, sql).await
    }

    /// Whether any related row matches.
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
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
    /// As [`Query::fetch_all`].
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
        self.checked()?;
        let page = page.max(1);
        let sql = self.count_sql()?;
        let mut conn = exec.acquire_read().await?;
        let total = count_on::<R, DB>(&mut conn, sql).await?;
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
