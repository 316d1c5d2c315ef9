//! `user.related(User::skills())`: the handle that writes a parent's pivot rows. The API is
//! split by what it does: attach and detach here, sync (and toggle, update_pivot) in `sync`,
//! writes of related models (save, create) in `models`.

use super::diff::{SyncInput, dedupe, dedupe_rows};
use super::explain;
use super::ops;
use crate::backend::Backend;
use crate::error::Result;
use crate::executor::{Executor, atomically};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};

mod models;
mod sync;

/// The many-to-many operations of one parent, from `parent.related(Parent::relation())`.
///
/// Every write is scoped to this parent's key. `sync`, `toggle`, `save` and `create` are atomic:
/// they run in their own transaction, or in a savepoint inside the caller's transaction, leaving
/// commit to the caller.
///
/// ```no_run
/// # use orm_core::{ManyToManyHandle, ManyToManyOn, Model, Relation, Result};
/// # trait HasSkills: Model {
/// #     type Skills: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64, Pivot: PartialEq>
/// #         + for<'p> Relation<Parent = Self, Handle<'p> = ManyToManyHandle<'p, Self::Skills>>;
/// #     fn skills() -> Self::Skills;
/// # }
/// # async fn example<User: HasSkills>(user: User, pool: sqlx::SqlitePool) -> Result<()> {
/// let skills = user.related(User::skills());
/// skills.attach(&pool, [1, 2]).await?;
/// let report = skills.sync(&pool, [2, 3]).await?;
/// assert_eq!(report.detached, [1]);
/// # Ok(()) }
/// ```
pub struct ManyToManyHandle<'p, R: ManyToManyRelation> {
    parent: &'p R::Parent,
}

impl<'p, R: ManyToManyRelation> ManyToManyHandle<'p, R> {
    /// The handle of `parent`'s relation `R`.
    pub(crate) fn new(parent: &'p R::Parent) -> Self {
        ManyToManyHandle { parent }
    }

    /// A query on this parent's related rows, joined with the pivot: `Pivoted<Related, Pivot>`.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Model, Relation, Result};
    /// # trait HasSkills: Model {
    /// #     type Skills: ManyToManyOn<sqlx::Sqlite>
    /// #         + for<'p> Relation<Parent = Self, Handle<'p> = ManyToManyHandle<'p, Self::Skills>>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # async fn example<User: HasSkills>(user: User, pool: sqlx::SqlitePool) -> Result<()> {
    /// let n = user.related(User::skills()).query().where_pivot("proficiency", "master").count(&pool).await?;
    /// # Ok(()) }
    /// ```
    pub fn query<DB: Backend>(&self) -> super::query::RelatedQuery<R, DB> {
        super::related::related_query::<R, DB>(Some(self.parent_key().clone()), 0)
    }

    /// This parent's pivot rows as data (no join), with `update` and `delete` scoped to the
    /// parent.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool, expert: R::Pivot) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite> {
    /// skills.pivot_query().where_pivot("proficiency", "beginner").update(&pool, expert).await?;
    /// # Ok(()) }
    /// ```
    pub fn pivot_query<DB: Backend>(&self) -> super::pivot_query::PivotQuery<R, DB> {
        super::pivot_query::pivot_query::<R, DB>(self.parent_key().clone())
    }

    fn parent_key(&self) -> &'p R::LocalKey {
        R::local_key(self.parent)
    }

    /// Attaches the related rows with these keys; keys already attached are skipped (their pivot
    /// data untouched) and duplicates in the input collapse. Returns the keys actually attached.
    /// One INSERT, after locking the parent's row on PostgreSQL and MySQL so that concurrent
    /// writers of one parent take turns (never a duplicate, with or without a unique key on the
    /// pivot); nothing for an empty input.
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Model, Relation, Result};
    /// # trait HasSkills: Model {
    /// #     type Skills: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64>
    /// #         + for<'p> Relation<Parent = Self, Handle<'p> = ManyToManyHandle<'p, Self::Skills>>;
    /// #     fn skills() -> Self::Skills;
    /// # }
    /// # async fn example<User: HasSkills>(user: User, pool: sqlx::SqlitePool) -> Result<()> {
    /// let attached = user.related(User::skills()).attach(&pool, [1, 2]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::ForeignKeyViolation`](crate::Error::ForeignKeyViolation) naming the keys that do
    /// not exist; nothing is attached then.
    pub async fn attach<E, I>(&self, exec: E, ids: I) -> Result<Vec<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        self.run_attach(exec, SyncInput::Keys(dedupe(ids))).await
    }

    /// Attaches with pivot data: `[(key, data), ...]`. Keys already attached are skipped.
    /// One INSERT per chunk of rows the bind limit allows, after the parent's lock (as `attach`).
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool, master: R::Pivot) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64> {
    /// // master: the pivot data, e.g. Proficiency { proficiency: Some("master".into()) }
    /// skills.attach_with(&pool, [(3, master)]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`ManyToManyHandle::attach`].
    pub async fn attach_with<E, I>(&self, exec: E, rows: I) -> Result<Vec<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = (R::RelatedKey, R::Pivot)>,
    {
        self.run_attach(exec, SyncInput::Rows(dedupe_rows(rows)))
            .await
    }

    /// The body of `attach` and `attach_with`: the parent's lock, then the inserts, atomically;
    /// an error explained with the keys given.
    async fn run_attach<E>(
        &self,
        exec: E,
        input: SyncInput<R::RelatedKey, R::Pivot>,
    ) -> Result<Vec<R::RelatedKey>>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let keys = input.keys();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let parent = self.parent_key();
        let mut conn = exec.acquire().await?;
        let input = &input;
        let result = atomically!(E::Backend, &mut conn, |tx| async {
            ops::lock_parent::<R, E::Backend>(&mut *tx, parent).await?;
            match input {
                SyncInput::Keys(keys) => ops::attach_keys::<R, E::Backend>(tx, parent, keys).await,
                SyncInput::Rows(rows) => ops::attach_rows::<R, E::Backend>(tx, parent, rows).await,
            }
        }
        .await);
        self.explained::<_, E::Backend>(result, &mut conn, "attach", &keys)
            .await
    }

    /// `result`, its error explained for this relation (see [`explain::explain`]).
    pub(super) async fn explained<T, DB: crate::backend::Backend>(
        &self,
        result: Result<T>,
        conn: &mut DB::Connection,
        operation: &'static str,
        keys: &[R::RelatedKey],
    ) -> Result<T>
    where
        R: ManyToManyOn<DB>,
    {
        explain::explained::<R, DB, T>(self.parent_key(), result, conn, operation, keys).await
    }

    /// Detaches the related rows with these keys from this parent; returns how many pivot rows
    /// were deleted. An empty input deletes nothing. One statement (inside your transaction,
    /// after locking the parent's row on PostgreSQL and MySQL).
    ///
    /// ```no_run
    /// # use orm_core::{ManyToManyHandle, ManyToManyOn, Result};
    /// # async fn example<R>(skills: ManyToManyHandle<'_, R>, pool: sqlx::SqlitePool) -> Result<()>
    /// # where R: ManyToManyOn<sqlx::Sqlite, RelatedKey = i64> {
    /// let removed = skills.detach(&pool, [2]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A database error naming the relation.
    pub async fn detach<E, I>(&self, exec: E, ids: I) -> Result<u64>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
        I: IntoIterator<Item = R::RelatedKey>,
    {
        let keys = dedupe(ids);
        if keys.is_empty() {
            return Ok(0);
        }
        let mut conn = exec.acquire().await?;
        let result =
            ops::detach_as_writer::<R, E::Backend>(&mut conn, self.parent_key(), Some(&keys)).await;
        self.explained::<_, E::Backend>(result, &mut conn, "detach", &keys)
            .await
    }

    /// Detaches every related row from this parent (other parents' rows are untouched); returns
    /// how many pivot rows were deleted. One statement, as [`ManyToManyHandle::detach`].
    ///
    /// # Errors
    /// A database error naming the relation.
    pub async fn detach_all<E>(&self, exec: E) -> Result<u64>
    where
        E: Executor,
        R: ManyToManyOn<E::Backend>,
    {
        let mut conn = exec.acquire().await?;
        let result =
            ops::detach_as_writer::<R, E::Backend>(&mut conn, self.parent_key(), None).await;
        self.explained::<_, E::Backend>(result, &mut conn, "detach", &[])
            .await
    }
}

/// The handle of `parent`'s relation `R`: what `parent.related(Parent::relation())` returns.
/// Generated code calls it (as `__private::many_to_many_handle`).
pub fn new_handle<R: ManyToManyRelation>(parent: &R::Parent) -> ManyToManyHandle<'_, R> {
    ManyToManyHandle::new(parent)
}
