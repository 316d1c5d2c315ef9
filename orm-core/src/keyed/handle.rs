//! The handles of relations whose foreign key is on the related model:
//! `author.related(Author::posts())` (has_many) and `user.related(User::profile())` (has_one).
//! Every read and write is scoped to the parent; writes of several rows are atomic.

use std::marker::PhantomData;

use crate::backend::Backend;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{Executor, atomically};
use crate::model::{ModelRow, ModelSchema};
use crate::query::Query;
use crate::relation::{HasRelation, KeyedRelation};
use crate::value::Column;

/// The error of a write that needs the parent's key when its column is null.
pub(super) fn null_parent_key<R: KeyedRelation>(operation: &'static str) -> Error {
    let meta = R::meta();
    Error::InvalidInput {
        model: meta.parent,
        relation: meta.relation,
        operation,
        reason: format!("the parent's `{}` is null", meta.parent_column),
    }
}

/// The related rows of a parent whose key is `key` (none when it is null).
pub(super) fn scoped_query<R: KeyedRelation, DB: Backend>(
    key: Option<&R::Key>,
) -> Query<R::Related, DB>
where
    R::Key: Column<DB>,
{
    let column = R::meta().related_column;
    Query::<R::Related, DB>::new().scoped_to(column, key.cloned())
}

/// Inserts the rows `build` makes from the parent's key, atomically.
async fn create_rows<R, E, I>(
    exec: E,
    key: R::Key,
    build: impl FnOnce(R::Key) -> I,
) -> Result<Vec<R::Related>>
where
    R: HasRelation,
    E: Executor,
    R::Related: ModelRow<E::Backend>,
    I: IntoIterator<Item = <R::Related as ModelSchema>::New>,
{
    let rows: Vec<_> = build(key).into_iter().collect();
    let mut conn = exec.acquire().await?;
    if rows.len() == 1 {
        let row = rows.into_iter().next();
        return match row {
            Some(row) => Ok(vec![
                crud::create_on::<R::Related, E::Backend>(&mut conn, row).await?,
            ]),
            None => Ok(Vec::new()),
        };
    }
    let mut rows = Some(rows);
    atomically!(E::Backend, &mut conn, retry = false, |tx| async {
        let rows = rows.take().unwrap_or_default();
        let mut created = Vec::with_capacity(rows.len());
        for row in rows {
            created.push(crud::create_on::<R::Related, E::Backend>(&mut *tx, row).await?);
        }
        Ok(created)
    }
    .await)
}

/// Points every model at the parent, then writes each, atomically.
async fn save_rows<R, E>(exec: E, key: &R::Key, related: &mut [R::Related]) -> Result<()>
where
    R: HasRelation,
    E: Executor,
    R::Related: ModelRow<E::Backend>,
{
    for model in related.iter_mut() {
        R::set_foreign_key(model, key.clone());
    }
    let mut conn = exec.acquire().await?;
    if let [model] = related {
        return crud::update_on::<R::Related, E::Backend>(&mut conn, model).await;
    }
    let related = &*related;
    atomically!(E::Backend, &mut conn, |tx| async {
        for model in related {
            crud::update_on::<R::Related, E::Backend>(&mut *tx, model).await?;
        }
        Ok(())
    }
    .await)
}

/// The has_many operations of one parent, from `parent.related(Parent::relation())`.
///
/// ```no_run
/// # use orm_core::{HasManyHandle, HasRelation, Model, ModelRow, Relation, Result};
/// # trait Author: Model {
/// #     type Posts: HasRelation<Key = i64, Related: ModelRow<sqlx::Sqlite>>
/// #         + for<'p> Relation<Parent = Self, Handle<'p> = HasManyHandle<'p, Self::Posts>>;
/// #     fn posts() -> Self::Posts;
/// # }
/// # async fn example<A: Author>(author: A, pool: sqlx::SqlitePool,
/// #     new_post: impl Fn(i64) -> <<A::Posts as Relation>::Related as orm_core::ModelSchema>::New) -> Result<()> {
/// let posts = author.related(A::posts());
/// let post = posts.create(&pool, |author_id| new_post(author_id)).await?;
/// let n = posts.query().count(&pool).await?;
/// # Ok(()) }
/// ```
pub type HasManyHandle<'p, R> = HasHandle<'p, R, Many>;

/// The has_one operations of one parent, from `parent.related(Parent::relation())`: those of
/// [`HasHandle`], and [`fetch`](HasHandle::fetch).
///
/// ```no_run
/// # use orm_core::{HasOneHandle, HasRelation, Model, ModelRow, Relation, Result};
/// # trait User: Model {
/// #     type Profile: HasRelation<Key = i64, Related: ModelRow<sqlx::Sqlite>>
/// #         + for<'p> Relation<Parent = Self, Handle<'p> = HasOneHandle<'p, Self::Profile>>;
/// #     fn profile() -> Self::Profile;
/// # }
/// # async fn example<U: User>(user: U, pool: sqlx::SqlitePool) -> Result<()> {
/// let profile = user.related(U::profile()).fetch(&pool).await?;
/// # Ok(()) }
/// ```
pub type HasOneHandle<'p, R> = HasHandle<'p, R, One>;

/// A has_many relation: a parent has any number of related rows.
#[derive(Debug, Clone, Copy)]
pub struct Many;

/// A has_one relation: a parent has at most one related row.
#[derive(Debug, Clone, Copy)]
pub struct One;

/// The handle of a relation whose foreign key is on the related model, for one parent: `N` is
/// [`Many`] ([`HasManyHandle`]) or [`One`] ([`HasOneHandle`]).
pub struct HasHandle<'p, R: HasRelation, N> {
    parent: &'p R::Parent,
    cardinality: PhantomData<N>,
}

impl<'p, R: HasRelation, N> HasHandle<'p, R, N> {
    /// The handle of `parent`'s relation. Used by generated code.
    #[doc(hidden)]
    pub fn new(parent: &'p R::Parent) -> Self {
        HasHandle {
            parent,
            cardinality: PhantomData,
        }
    }

    fn key(&self, operation: &'static str) -> Result<&'p R::Key> {
        R::parent_key(self.parent).ok_or_else(|| null_parent_key::<R>(operation))
    }

    /// A query on the parent's related rows; every filter is ANDed with the parent's scope.
    pub fn query<DB: Backend>(&self) -> Query<R::Related, DB>
    where
        R::Key: Column<DB>,
    {
        scoped_query::<R, DB>(R::parent_key(self.parent))
    }

    /// Inserts the related row `build` makes from the parent's key (`|author_id| NewPost {
    /// author_id, .. }`) and returns it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the parent's key is null; a database error (nothing is
    /// written then).
    pub async fn create<E>(
        &self,
        exec: E,
        build: impl FnOnce(R::Key) -> <R::Related as ModelSchema>::New,
    ) -> Result<R::Related>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
    {
        let key = self.key("create")?.clone();
        let mut conn = exec.acquire().await?;
        crud::create_on::<R::Related, E::Backend>(&mut conn, build(key)).await
    }

    /// Points an existing related model at the parent (sets its foreign key), then writes it.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the row does not exist; [`Error::InvalidInput`] when the
    /// parent's key is null.
    pub async fn save<E>(&self, exec: E, related: &mut R::Related) -> Result<()>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
    {
        let key = self.key("save")?;
        save_rows::<R, E>(exec, key, std::slice::from_mut(related)).await
    }
}

impl<R: HasRelation> HasHandle<'_, R, Many> {
    /// Inserts every row `build` makes from the parent's key, atomically, and returns them in
    /// order.
    ///
    /// # Errors
    /// As [`HasHandle::create`]; a failure writes none of them.
    pub async fn create_many<E, I>(
        &self,
        exec: E,
        build: impl FnOnce(R::Key) -> I,
    ) -> Result<Vec<R::Related>>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
        I: IntoIterator<Item = <R::Related as ModelSchema>::New>,
    {
        let key = self.key("create_many")?.clone();
        create_rows::<R, E, I>(exec, key, build).await
    }

    /// [`HasHandle::save`] for several models, atomically.
    ///
    /// # Errors
    /// As [`HasHandle::save`]; a failure writes none of them.
    pub async fn save_many<E>(&self, exec: E, related: &mut [R::Related]) -> Result<()>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
    {
        let key = self.key("save_many")?;
        save_rows::<R, E>(exec, key, related).await
    }
}

impl<R: HasRelation> HasHandle<'_, R, One> {
    /// The related row, if any (the first by primary key if there are several).
    ///
    /// # Errors
    /// A database or decode error.
    pub async fn fetch<E>(&self, exec: E) -> Result<Option<R::Related>>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
        R::Key: Column<E::Backend>,
    {
        self.query::<E::Backend>()
            .order_by(
                <R::Related as ModelSchema>::META.primary_key,
                crate::Order::Asc,
            )
            .fetch_optional(exec)
            .await
    }
}
