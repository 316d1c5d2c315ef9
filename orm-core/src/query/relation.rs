//! Loading, counting and filtering by a relation of any kind: `preload`, `preload_with`,
//! `with_count`, `with_count_where`, `where_has` and `where_doesnt_have` take any relation
//! through one trait, [`RelationOn`], which each relation kind implements once
//! ([`KindOn`]; the derive names the kind in [`Relation::Kind`]). This module knows no kind.

use std::future::Future;
use std::pin::Pin;

use super::{Condition, Conjunction, CountColumn, Preloader, Query, WriteSql};
use crate::backend::Backend;
use crate::error::Result;
use crate::model::ModelSchema;
use crate::relation::Relation;
use crate::sql::Sql;

/// The query a closure of `preload_with`, `with_count_where` or `where_has` refines: on the
/// related model, through the pivot for a many-to-many relation.
pub type RelationQuery<R, DB> = Query<<R as Relation>::Related, DB, <R as RelationOn<DB>>::Through>;

/// The future a relation level's load returns.
pub type LoadFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// A relation that can be loaded, counted and filtered on on backend `DB`: every relation the
/// derive emits, whatever its kind, on every backend its models work on.
///
/// ```
/// # use orm_core::{Model, Query, RelationOn};
/// fn with_children<M: Model, R: RelationOn<sqlx::Sqlite, Parent = M>>(relation: R) -> Query<M, sqlx::Sqlite> {
///     M::query().preload(relation)
/// }
/// ```
pub trait RelationOn<DB: Backend>: Relation {
    /// What a closure's query reads: the related table ([`Table`](super::Table)), or the related
    /// table through the pivot ([`Through`](crate::Through)).
    type Through: Clone + Send + Sync + 'static;

    /// An empty query on the related rows, for a relation `depth` levels below the outer query.
    #[doc(hidden)]
    fn related_query(depth: usize) -> RelationQuery<Self, DB>;

    /// Loads the rows `query` selects for every parent into its field: one statement.
    #[doc(hidden)]
    fn load<'a>(
        query: &'a RelationQuery<Self, DB>,
        conn: &'a mut DB::Connection,
        parents: Vec<&'a mut Self::Parent>,
    ) -> LoadFuture<'a>;

    /// Appends ` FROM ... WHERE <query's filters> AND <related to the row of parent_alias>`.
    #[doc(hidden)]
    fn write_correlated(query: &RelationQuery<Self, DB>, sql: &mut Sql<DB>, parent_alias: &str);

    /// Stores a `with_count` result in the parent's field.
    #[doc(hidden)]
    fn store_count(parent: &mut Self::Parent, count: i64);
}

/// How every relation of one kind is loaded, counted and filtered; [`RelationOn`] delegates
/// to the kind its relation names. Implemented by the relation kinds.
#[doc(hidden)]
pub trait KindOn<R: Relation, DB: Backend> {
    /// See [`RelationOn::Through`].
    type Through: Clone + Send + Sync + 'static;
    /// See [`RelationOn::related_query`].
    fn related_query(depth: usize) -> Query<R::Related, DB, Self::Through>;
    /// See [`RelationOn::load`].
    fn load<'a>(
        query: &'a Query<R::Related, DB, Self::Through>,
        conn: &'a mut DB::Connection,
        parents: Vec<&'a mut R::Parent>,
    ) -> LoadFuture<'a>;
    /// See [`RelationOn::write_correlated`].
    fn write_correlated(
        query: &Query<R::Related, DB, Self::Through>,
        sql: &mut Sql<DB>,
        parent_alias: &str,
    );
    /// See [`RelationOn::store_count`].
    fn store_count(parent: &mut R::Parent, count: i64);
}

impl<R, DB> RelationOn<DB> for R
where
    R: Relation,
    R::Kind: KindOn<R, DB>,
    DB: Backend,
{
    type Through = <R::Kind as KindOn<R, DB>>::Through;

    fn related_query(depth: usize) -> RelationQuery<Self, DB> {
        <R::Kind as KindOn<R, DB>>::related_query(depth)
    }

    fn load<'a>(
        query: &'a RelationQuery<Self, DB>,
        conn: &'a mut DB::Connection,
        parents: Vec<&'a mut Self::Parent>,
    ) -> LoadFuture<'a> {
        <R::Kind as KindOn<R, DB>>::load(query, conn, parents)
    }

    fn write_correlated(query: &RelationQuery<Self, DB>, sql: &mut Sql<DB>, parent_alias: &str) {
        <R::Kind as KindOn<R, DB>>::write_correlated(query, sql, parent_alias);
    }

    fn store_count(parent: &mut Self::Parent, count: i64) {
        <R::Kind as KindOn<R, DB>>::store_count(parent, count);
    }
}

/// The alias of a relation's related table `depth` levels below the outer query: distinct at
/// every depth, so a self-referencing subquery never shadows its parent's table.
pub(crate) fn relation_alias(relation: &str, depth: usize, suffix: &str) -> String {
    if depth <= 1 {
        format!("orm_{relation}{suffix}")
    } else {
        format!("orm_{relation}{suffix}_{depth}")
    }
}

/// Loads relation `R` for a batch of parents with the closure's query: one statement.
struct RelationPreload<R: RelationOn<DB>, DB: Backend> {
    query: RelationQuery<R, DB>,
}

impl<R: RelationOn<DB>, DB: Backend> Preloader<R::Parent, DB> for RelationPreload<R, DB> {
    fn load<'a>(
        &'a self,
        conn: &'a mut DB::Connection,
        parents: Vec<&'a mut R::Parent>,
    ) -> LoadFuture<'a> {
        R::load(&self.query, conn, parents)
    }
}

/// `(SELECT COUNT(*) ...)` per parent for `with_count`.
struct RelationCount<R: RelationOn<DB>, DB: Backend> {
    query: RelationQuery<R, DB>,
}

impl<R: RelationOn<DB>, DB: Backend> CountColumn<R::Parent, DB> for RelationCount<R, DB> {
    fn write(&self, sql: &mut Sql<DB>, parent_alias: &str) {
        sql.push("(SELECT COUNT(*)");
        R::write_correlated(&self.query, sql, parent_alias);
        sql.push(")");
    }

    fn store(&self, parent: &mut R::Parent, count: i64) {
        R::store_count(parent, count);
    }
}

/// `SELECT 1 FROM related ... WHERE ... AND <related to the parent row>` for `where_has`.
struct RelationExists<R: RelationOn<DB>, DB: Backend> {
    query: RelationQuery<R, DB>,
    parent_alias: String,
}

impl<R: RelationOn<DB>, DB: Backend> WriteSql<DB> for RelationExists<R, DB> {
    fn write(&self, sql: &mut Sql<DB>) {
        sql.push("SELECT 1");
        R::write_correlated(&self.query, sql, &self.parent_alias);
    }
}

impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    /// The closure's query on relation `R`, its first error kept for this query's terminal method.
    fn relation_query<R: RelationOn<DB, Parent = M>>(
        &mut self,
        build: impl FnOnce(RelationQuery<R, DB>) -> RelationQuery<R, DB>,
    ) -> RelationQuery<R, DB> {
        let mut query = build(R::related_query(self.depth + 1));
        if let Some(err) = query.error.take() {
            self.error.get_or_insert(err);
        }
        query
    }

    /// Loads relation `relation` for every row: one statement per relation level, whatever the
    /// number of rows (none when there are no rows). Each row's field then holds its rows: a
    /// list (empty when it has none) for `HasMany` / `ManyToMany`, an `Option` for `HasOne` /
    /// `BelongsTo`. A null key loads as none and is never sent.
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow, RelationOn, Result};
    /// # trait Author: Model + ModelRow<sqlx::Sqlite> {
    /// #     type Posts: RelationOn<sqlx::Sqlite, Parent = Self>;
    /// #     fn posts() -> Self::Posts;
    /// # }
    /// # async fn example<A: Author>(pool: sqlx::SqlitePool) -> Result<()> {
    /// let authors = A::query().preload(A::posts()).fetch_all(&pool).await?;
    /// # Ok(()) }
    /// ```
    pub fn preload<R: RelationOn<DB, Parent = M>>(self, relation: R) -> Self {
        self.preload_with(relation, |q| q)
    }

    /// Preloads with a query built by the closure: filters (pivot filters for many-to-many),
    /// `order_by`, a `limit` / `offset` that apply to **each parent** (a window function), and
    /// nested `preload`s of the related model's own relations, of any kind, at any depth.
    ///
    /// ```
    /// # use orm_core::{Model, Order, Query, RelationOn};
    /// # trait Author: Model {
    /// #     type Posts: RelationOn<sqlx::Sqlite, Parent = Self, Related: Model, Through = orm_core::Table>;
    /// #     fn posts() -> Self::Posts;
    /// # }
    /// # fn example<A: Author>() -> Query<A, sqlx::Sqlite> {
    /// // The five latest posts of each author.
    /// A::query().preload_with(A::posts(), |q| q.order_by("id", Order::Desc).limit(5))
    /// # }
    /// ```
    pub fn preload_with<R: RelationOn<DB, Parent = M>>(
        mut self,
        _relation: R,
        build: impl FnOnce(RelationQuery<R, DB>) -> RelationQuery<R, DB>,
    ) -> Self {
        let query = self.relation_query::<R>(build);
        self.preloads
            .push(Box::new(RelationPreload::<R, DB> { query }));
        self
    }

    /// Counts relation `relation` for every row, into its field (`author.posts.count()`): a
    /// subquery of this query's statement, no extra statement.
    pub fn with_count<R: RelationOn<DB, Parent = M>>(self, relation: R) -> Self {
        self.with_count_where(relation, |q| q)
    }

    /// Counts the related rows that match the closure's filters.
    pub fn with_count_where<R: RelationOn<DB, Parent = M>>(
        mut self,
        _relation: R,
        build: impl FnOnce(RelationQuery<R, DB>) -> RelationQuery<R, DB>,
    ) -> Self {
        let query = self.relation_query::<R>(build);
        self.counts.push(Box::new(RelationCount::<R, DB> { query }));
        self
    }

    fn has<R: RelationOn<DB, Parent = M>>(
        mut self,
        build: impl FnOnce(RelationQuery<R, DB>) -> RelationQuery<R, DB>,
        negate: bool,
    ) -> Self {
        let query = self.relation_query::<R>(build);
        let subquery = Box::new(RelationExists::<R, DB> {
            query,
            parent_alias: self.alias.to_string(),
        });
        self.filter
            .add(Conjunction::And, Condition::Exists { negate, subquery });
        self
    }

    /// Keeps the rows that have at least one related row matching the closure's filters: an
    /// `EXISTS` subquery of this query's statement. Closures nest:
    /// `where_has(posts, |q| q.where_has(comments, ...))`.
    ///
    /// ```no_run
    /// # use orm_core::{Model, ModelRow, RelationOn, Result};
    /// # trait HasSkills: Model + ModelRow<sqlx::Sqlite> {
    /// #     type Skills: RelationOn<sqlx::Sqlite, Parent = Self>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # async fn example<User: HasSkills>(pool: sqlx::SqlitePool) -> Result<()> {
    /// let with_skills = User::query().where_has(User::skills(), |q| q).fetch_all(&pool).await?;
    /// # Ok(()) }
    /// ```
    pub fn where_has<R: RelationOn<DB, Parent = M>>(
        self,
        _relation: R,
        build: impl FnOnce(RelationQuery<R, DB>) -> RelationQuery<R, DB>,
    ) -> Self {
        self.has::<R>(build, false)
    }

    /// Keeps the rows that have no related row matching the closure's filters.
    pub fn where_doesnt_have<R: RelationOn<DB, Parent = M>>(
        self,
        _relation: R,
        build: impl FnOnce(RelationQuery<R, DB>) -> RelationQuery<R, DB>,
    ) -> Self {
        self.has::<R>(build, true)
    }
}
