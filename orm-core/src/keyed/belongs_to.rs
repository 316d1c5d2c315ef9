//! The handles of a `#[belongs_to]` relation, whose foreign key is on the parent:
//! `post.related(Post::author())` reads the owner, `post.related_mut(Post::author())` sets or
//! clears the foreign key, in memory and in the row.

use super::handle::scoped_query;
use crate::backend::Backend;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::model::ModelRow;
use crate::query::Query;
use crate::relation::{BelongsToRelation, LoadedField};
use crate::value::Column;

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
