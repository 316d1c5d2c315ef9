//! The handles of relations found by key: `author.related(Author::posts())` (has_many),
//! `user.related(User::profile())` (has_one), `post.related(Post::author())` and
//! `post.related_mut(Post::author())` (belongs_to). Every read and write is scoped to the
//! parent; writes of several rows are atomic.

use crate::backend::Backend;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{Executor, atomically};
use crate::model::{ModelRow, ModelSchema};
use crate::query::Query;
use crate::relation::{BelongsToRelation, HasRelation, KeyedRelation, LoadedField};
use crate::value::Column;

/// The error of a write that needs the parent's key when its column is null.
fn null_parent_key<R: KeyedRelation>(operation: &'static str) -> Error {
    let meta = R::meta();
    Error::InvalidInput {
        model: meta.parent,
        relation: meta.relation,
        operation,
        reason: format!("the parent's `{}` is null", meta.parent_column),
    }
}

/// The related rows of a parent whose key is `key` (none when it is null).
fn scoped_query<R: KeyedRelation, DB: Backend>(key: Option<&R::Key>) -> Query<R::Related, DB>
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
pub struct HasManyHandle<'p, R: HasRelation> {
    parent: &'p R::Parent,
}

impl<'p, R: HasRelation> HasManyHandle<'p, R> {
    /// The handle of `parent`'s relation. Used by generated code.
    #[doc(hidden)]
    pub fn new(parent: &'p R::Parent) -> Self {
        HasManyHandle { parent }
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

    /// Inserts every row `build` makes from the parent's key, atomically, and returns them in
    /// order.
    ///
    /// # Errors
    /// As [`HasManyHandle::create`]; a failure writes none of them.
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

    /// [`HasManyHandle::save`] for several models, atomically.
    ///
    /// # Errors
    /// As [`HasManyHandle::save`]; a failure writes none of them.
    pub async fn save_many<E>(&self, exec: E, related: &mut [R::Related]) -> Result<()>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
    {
        let key = self.key("save_many")?;
        save_rows::<R, E>(exec, key, related).await
    }
}

/// The has_one operations of one parent, from `parent.related(Parent::relation())`.
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
pub struct HasOneHandle<'p, R: HasRelation> {
    parent: &'p R::Parent,
}

impl<'p, R: HasRelation> HasOneHandle<'p, R> {
    /// The handle of `parent`'s relation. Used by generated code.
    #[doc(hidden)]
    pub fn new(parent: &'p R::Parent) -> Self {
        HasOneHandle { parent }
    }

    fn key(&self, operation: &'static str) -> Result<&'p R::Key> {
        R::parent_key(self.parent).ok_or_else(|| null_parent_key::<R>(operation))
    }

    /// A query on the parent's related row; every filter is ANDed with the parent's scope.
    pub fn query<DB: Backend>(&self) -> Query<R::Related, DB>
    where
        R::Key: Column<DB>,
    {
        scoped_query::<R, DB>(R::parent_key(self.parent))
    }

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

    /// Inserts the related row `build` makes from the parent's key and returns it.
    ///
    /// # Errors
    /// As [`HasManyHandle::create`].
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

    /// Points an existing related model at the parent, then writes it.
    ///
    /// # Errors
    /// As [`HasManyHandle::save`].
    pub async fn save<E>(&self, exec: E, related: &mut R::Related) -> Result<()>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
    {
        let key = self.key("save")?;
        save_rows::<R, E>(exec, key, std::slice::from_mut(related)).await
    }
}

/// The belongs_to reads of one parent, from `parent.related(Parent::relation())`.
///
/// ```no_run
/// # use orm_core::{BelongsToHandle, BelongsToRelation, Model, ModelRow, Relation, Result};
/// # trait Post: Model {
/// #     type Author: BelongsToRelation<Key = i64, Related: ModelRow<sqlx::Sqlite>>
/// #         + for<'p> Relation<Parent = Self, Handle<'p> = BelongsToHandle<'p, Self::Author>>;
/// #     fn author() -> Self::Author;
/// # }
/// # async fn example<P: Post>(post: P, pool: sqlx::SqlitePool) -> Result<()> {
/// let author = post.related(P::author()).fetch(&pool).await?; // None when the key is null
/// # Ok(()) }
/// ```
pub struct BelongsToHandle<'p, R: BelongsToRelation> {
    parent: &'p R::Parent,
}

impl<'p, R: BelongsToRelation> BelongsToHandle<'p, R> {
    /// The handle of `parent`'s relation. Used by generated code.
    #[doc(hidden)]
    pub fn new(parent: &'p R::Parent) -> Self {
        BelongsToHandle { parent }
    }

    /// A query on the row the parent belongs to (none when its foreign key is null).
    pub fn query<DB: Backend>(&self) -> Query<R::Related, DB>
    where
        R::Key: Column<DB>,
    {
        scoped_query::<R, DB>(R::parent_key(self.parent))
    }

    /// The row the parent belongs to; `None` when its foreign key is null (no statement then).
    ///
    /// # Errors
    /// A database or decode error.
    pub async fn fetch<E>(&self, exec: E) -> Result<Option<R::Related>>
    where
        E: Executor,
        R::Related: ModelRow<E::Backend>,
        R::Key: Column<E::Backend>,
    {
        if R::parent_key(self.parent).is_none() {
            return Ok(None);
        }
        self.query::<E::Backend>().fetch_optional(exec).await
    }
}

/// The belongs_to writes of one parent, from `parent.related_mut(Parent::relation())`: they
/// set the parent's foreign key in memory and in its row.
///
/// ```no_run
/// # use orm_core::{BelongsToMut, BelongsToRelation, Model, ModelRow, RelationMut, Result};
/// # trait Post: Model + ModelRow<sqlx::Sqlite> {
/// #     type Author: BelongsToRelation<Key = i64, Related: ModelRow<sqlx::Sqlite>>
/// #         + for<'p> RelationMut<Parent = Self, HandleMut<'p> = BelongsToMut<'p, Self::Author>>;
/// #     fn author() -> Self::Author;
/// # }
/// # async fn example<P: Post>(mut post: P, user: <P::Author as orm_core::Relation>::Related, pool: sqlx::SqlitePool) -> Result<()> {
/// post.related_mut(P::author()).associate(&pool, &user).await?;
/// post.related_mut(P::author()).dissociate(&pool).await?; // a typed error if the key is not an Option
/// # Ok(()) }
/// ```
pub struct BelongsToMut<'p, R: BelongsToRelation> {
    parent: &'p mut R::Parent,
}

impl<'p, R: BelongsToRelation> BelongsToMut<'p, R> {
    /// The handle of `parent`'s relation. Used by generated code.
    #[doc(hidden)]
    pub fn new(parent: &'p mut R::Parent) -> Self {
        BelongsToMut { parent }
    }

    /// Points the parent at `owner` (sets its foreign key to the owner's key) and writes that
    /// column. A loaded value of the relation is dropped (preload again to read it).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the owner's key is null; [`Error::NotFound`] when the
    /// parent row does not exist (the parent is unchanged then).
    pub async fn associate<E>(self, exec: E, owner: &R::Related) -> Result<()>
    where
        E: Executor,
        R::Parent: ModelRow<E::Backend>,
        R::Key: Column<E::Backend>,
    {
        let key = R::related_key(owner).cloned().ok_or_else(|| {
            let meta = R::meta();
            Error::InvalidInput {
                model: meta.parent,
                relation: meta.relation,
                operation: "associate",
                reason: format!("the owner's `{}` is null", meta.related_column),
            }
        })?;
        self.write(exec, Some(key), "associate").await
    }

    /// Clears the parent's foreign key (sets it to NULL) and writes that column.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the foreign key is not an `Option` (nothing is written);
    /// [`Error::NotFound`] when the parent row does not exist.
    pub async fn dissociate<E>(self, exec: E) -> Result<()>
    where
        E: Executor,
        R::Parent: ModelRow<E::Backend>,
        R::Key: Column<E::Backend>,
    {
        self.write(exec, None, "dissociate").await
    }

    async fn write<E>(self, exec: E, key: Option<R::Key>, operation: &'static str) -> Result<()>
    where
        E: Executor,
        R::Parent: ModelRow<E::Backend>,
        R::Key: Column<E::Backend>,
    {
        let meta = R::meta();
        let previous = R::parent_key(self.parent).cloned();
        if !R::set_foreign_key(self.parent, key.clone()) {
            return Err(Error::InvalidInput {
                model: meta.parent,
                relation: meta.relation,
                operation,
                reason: format!(
                    "`{}.{}` is not nullable (declare it as an Option to allow dissociating)",
                    meta.parent, meta.parent_column
                ),
            });
        }
        let written =
            crud::update_column::<R::Parent, _, E>(exec, self.parent, meta.parent_column, key)
                .await;
        if let Err(err) = written {
            // The row was not written: the parent keeps its previous key.
            R::set_foreign_key(self.parent, previous);
            return Err(err);
        }
        R::field(self.parent).reset();
        Ok(())
    }
}
