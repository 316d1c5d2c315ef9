//! [`Model`]: what application code does with a model (`User::find`, `User::create`,
//! `User::query()`, `user.related(User::skills())`, `user.update`, `user.delete`). Every type the
//! derive implements [`ModelSchema`] for is a `Model`; this layer sits above the CRUD, query and
//! relation modules it calls, so that none of them depends on it.

use std::future::Future;

use crate::backend::Backend;
use crate::error::Result;
use crate::executor::Executor;
use crate::model::{ModelRow, ModelSchema};
use crate::query::Query;

/// A table-backed struct: `#[derive(Model)]` makes one (see the `orm` crate for the
/// attributes). Implemented for every [`ModelSchema`].
///
/// ```
/// # use orm_core::Model;
/// fn table_of<M: Model>() -> &'static str { M::META.table }
/// ```
pub trait Model: ModelSchema {
    /// The handle of one of this model's relations: `user.related(User::skills())`.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Model, Relation, Result};
    /// # trait HasSkills: Model {
    /// #     type Skills: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64>
    /// #         + for<'p> Relation<Parent = Self, Handle<'p> = ManyToManyHandle<'p, Self::Skills>>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # async fn example<User: HasSkills>(user: User, pool: sqlx::SqlitePool) -> Result<()> {
    /// user.related(User::skills()).attach(&pool, [1, 2]).await?;
    /// # Ok(()) }
    /// ```
    fn related<R: crate::relation::Relation<Parent = Self>>(&self, relation: R) -> R::Handle<'_> {
        relation.handle(self)
    }

    /// The handle of a relation whose writes change this model's own row: `#[belongs_to]`'s
    /// `associate` / `dissociate`, which set the foreign key in memory and in the row.
    ///
    /// ```no_run
    /// # use orm_core::{BelongsToMut, BelongsToRelation, Model, ModelRow, RelationMut, Result};
    /// # trait Post: Model + ModelRow<sqlx::Sqlite> {
    /// #     type Author: BelongsToRelation<Key = i64, Related: ModelRow<sqlx::Sqlite>>
    /// #         + for<'p> RelationMut<Parent = Self, HandleMut<'p> = BelongsToMut<'p, Self::Author>>;
    /// #     fn author() -> Self::Author;
    /// # }
    /// # async fn example<P: Post>(mut post: P, pool: sqlx::SqlitePool) -> Result<()> {
    /// post.related_mut(P::author()).dissociate(&pool).await?;
    /// # Ok(()) }
    /// ```
    fn related_mut<R: crate::relation::RelationMut<Parent = Self>>(
        &mut self,
        relation: R,
    ) -> R::HandleMut<'_> {
        relation.handle_mut(self)
    }

    /// A query on this model's table.
    ///
    /// ```no_run
    /// # use orm_core::{Model, Order};
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let rows: Vec<M> = M::query().order_by("id", Order::Desc).limit(10).fetch_all(&pool).await?;
    /// # Ok(()) }
    /// ```
    fn query<DB: Backend>() -> Query<Self, DB> {
        Query::new()
    }

    /// The row with this primary key, if any.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model<Key = i64> + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let found: Option<M> = M::find(&pool, 1).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A database error.
    fn find<E>(exec: E, key: Self::Key) -> impl Future<Output = Result<Option<Self>>> + Send
    where
        E: Executor,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::find(exec, key)
    }

    /// Inserts `new` and returns the model with its database-generated key.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, new: M::New) -> orm_core::Result<()> {
    /// let created: M = M::create(&pool, new).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A database error (such as a constraint violation).
    fn create<E>(exec: E, new: Self::New) -> impl Future<Output = Result<Self>> + Send
    where
        E: Executor,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::create(exec, new)
    }

    /// Inserts many rows, as few statements as the backend's bind limit allows, atomically.
    /// Returns how many rows were inserted.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, rows: Vec<M::New>) -> orm_core::Result<()> {
    /// let inserted: u64 = M::insert_many(&pool, rows).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A database error; nothing is inserted then.
    fn insert_many<E, I>(exec: E, rows: I) -> impl Future<Output = Result<u64>> + Send
    where
        E: Executor,
        I: IntoIterator<Item = Self::New>,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::insert_many::<Self, E>(exec, rows.into_iter().collect())
    }

    /// Writes every column of this model to its row.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, model: M) -> orm_core::Result<()> {
    /// model.update(&pool).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) if no row has this key.
    fn update<E>(&self, exec: E) -> impl Future<Output = Result<()>> + Send
    where
        E: Executor,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::update(exec, self)
    }

    /// Deletes this model's row.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, model: M) -> orm_core::Result<()> {
    /// model.delete(&pool).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) if no row has this key.
    fn delete<E>(&self, exec: E) -> impl Future<Output = Result<()>> + Send
    where
        E: Executor,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::delete(exec, self)
    }
}

impl<M: ModelSchema> Model for M {}
