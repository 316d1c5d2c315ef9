//! [`Model`]: what application code does with a model (`User::find`, `User::create`,
//! `User::query()`, `user.related(User::skills())`, `user.update`, `user.delete`). Every type the
//! derive implements [`ModelSchema`] for is a `Model`; this layer sits above the CRUD, query and
//! relation modules it calls, so that none of them depends on it.

use std::future::Future;

use crate::backend::Backend;
use crate::error::Result;
use crate::executor::Executor;
use crate::field::ColumnName;
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

    /// The row with this primary key, or [`Error::NotFound`](crate::Error::NotFound) naming
    /// the model, its key column and the key.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model<Key = i64> + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let found: M = M::find_or_fail(&pool, 1).await?; // Err: "User with id = 1 was not found"
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) if no row has this key; a database error.
    fn find_or_fail<E>(exec: E, key: Self::Key) -> impl Future<Output = Result<Self>> + Send
    where
        E: Executor,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::find_or_fail(exec, key)
    }

    /// The rows with these primary keys, in **one statement** whatever the number of keys (the
    /// list is one parameter: an array on PostgreSQL, JSON text on SQLite and MySQL, so lists
    /// past the bind limit work), returned in the order of `keys`. Keys that match no row are
    /// skipped; a key given twice is returned once, at its first place. No keys: no statement.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model<Key = i64> + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// let rows: Vec<M> = M::find_many(&pool, [3, 1, 2]).await?; // rows 3, 1, 2 (those that exist)
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Decode`](crate::Error::Decode) or a database error.
    fn find_many<E, I>(exec: E, keys: I) -> impl Future<Output = Result<Vec<Self>>> + Send
    where
        E: Executor,
        I: IntoIterator<Item = Self::Key>,
        Self: ModelRow<E::Backend>,
    {
        crate::crud::find_many(exec, keys.into_iter().collect())
    }

    /// Inserts `new` and returns the model with its database-generated key. With
    /// `#[model(timestamps)]` the database sets `created_at` and `updated_at` to its clock and
    /// the returned model holds them (read back with `RETURNING`; on MySQL by a second
    /// statement).
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

    /// Inserts `new`, or, when it collides with an existing row on the unique key
    /// `conflict_columns`, overwrites that row's `update_columns` with `new`'s values (and sets
    /// `updated_at` with `#[model(timestamps)]`); returns the row as stored. With no update
    /// column the existing row is returned unchanged.
    ///
    /// Columns are typed fields (`User::FIELDS.email`) or names, checked against the model;
    /// each must be a column an insert writes. SQL: `ON CONFLICT (..) DO UPDATE SET c =
    /// EXCLUDED.c .. RETURNING ..` on PostgreSQL and SQLite, where `conflict_columns` must be
    /// exactly a unique key or the primary key; `ON DUPLICATE KEY UPDATE c = VALUES(c)` on
    /// MySQL / MariaDB, where a collision on *any* unique key updates, and the row is then read
    /// back by `conflict_columns` (a second statement).
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, new: M::New) -> orm_core::Result<()> {
    /// let row: M = M::upsert(&pool, new, ["email"], ["name"]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownColumn`](crate::Error::UnknownColumn) for a name that is no column,
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a column an insert does not
    /// write (a generated key, a timestamp) or no conflict column; a database error (on
    /// PostgreSQL and SQLite, conflict columns that are not a unique key).
    fn upsert<E, C, U>(
        exec: E,
        new: Self::New,
        conflict_columns: impl IntoIterator<Item = C>,
        update_columns: impl IntoIterator<Item = U>,
    ) -> impl Future<Output = Result<Self>> + Send
    where
        E: Executor,
        C: ColumnName<Self>,
        U: ColumnName<Self>,
        Self: ModelRow<E::Backend>,
    {
        let columns =
            crate::crud::UpsertColumns::new::<Self, C, U>(conflict_columns, update_columns);
        crate::crud::upsert(exec, new, columns)
    }

    /// [`Model::upsert`] for many rows, in as few statements as the backend's bind limit
    /// allows, atomically (one transaction, or a savepoint in the caller's). Returns the rows
    /// affected as the database counts them: on PostgreSQL and SQLite 1 per inserted or updated
    /// row; on MySQL / MariaDB 1 per inserted row, 2 per updated row, and 1 per row left
    /// unchanged (sqlx sets `CLIENT_FOUND_ROWS`).
    ///
    /// Two rows of one call with the same conflict key: PostgreSQL rejects the statement
    /// ("cannot affect row a second time"); SQLite and MySQL apply them in order.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, rows: Vec<M::New>) -> orm_core::Result<()> {
    /// let affected: u64 = M::upsert_many(&pool, rows, ["email"], ["name"]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Model::upsert`]; nothing is written then.
    fn upsert_many<E, I, C, U>(
        exec: E,
        rows: I,
        conflict_columns: impl IntoIterator<Item = C>,
        update_columns: impl IntoIterator<Item = U>,
    ) -> impl Future<Output = Result<u64>> + Send
    where
        E: Executor,
        I: IntoIterator<Item = Self::New>,
        C: ColumnName<Self>,
        U: ColumnName<Self>,
        Self: ModelRow<E::Backend>,
    {
        let columns =
            crate::crud::UpsertColumns::new::<Self, C, U>(conflict_columns, update_columns);
        crate::crud::upsert_many::<Self, E>(exec, rows.into_iter().collect(), columns)
    }

    /// The first row `search` finds, or else `new` inserted (Lucid's `firstOrCreate`; `new`
    /// holds the searched values too). Returns the row as stored.
    ///
    /// Race-safe where a unique key covers the search: the insert runs in its own transaction
    /// (a savepoint in the caller's), and when a concurrent caller inserted first (a unique
    /// violation) the search runs again and returns that row. Without such a key, two
    /// concurrent callers may both insert. Statements: 1 when found; otherwise the search, then
    /// BEGIN, INSERT (MySQL: and a SELECT), COMMIT.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, new: M::New) -> orm_core::Result<()> {
    /// let row: M = M::first_or_create(&pool, |q| q.where_eq("email", "virk@adonisjs.com"), new).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A failed search or insert; the unique violation when the search still finds nothing
    /// (another unique key collided).
    fn first_or_create<E, F>(
        exec: E,
        search: F,
        new: Self::New,
    ) -> impl Future<Output = Result<Self>> + Send
    where
        E: Executor,
        F: Fn(Query<Self, E::Backend>) -> Query<Self, E::Backend> + Send + Sync,
        Self: ModelRow<E::Backend>,
    {
        crate::or_create::or_create(exec, search, new, crate::or_create::Found::Keep)
    }

    /// The first row `search` finds, overwritten with `new`'s columns (and `updated_at`), or
    /// else `new` inserted (Lucid's `updateOrCreate`). Returns the row as stored. A key that
    /// `new` holds (one not generated by the database) is written too.
    ///
    /// Race-safe as [`Model::first_or_create`]: a caller whose insert lost to a concurrent one
    /// updates the winner's row instead. Statements: search + UPDATE (MySQL: and a SELECT), or
    /// search + BEGIN, INSERT, COMMIT.
    ///
    /// ```no_run
    /// # use orm_core::Model;
    /// # async fn run<M: Model + orm_core::ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool, new: M::New) -> orm_core::Result<()> {
    /// let row: M = M::update_or_create(&pool, |q| q.where_eq("email", "virk@adonisjs.com"), new).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Model::first_or_create`].
    fn update_or_create<E, F>(
        exec: E,
        search: F,
        new: Self::New,
    ) -> impl Future<Output = Result<Self>> + Send
    where
        E: Executor,
        F: Fn(Query<Self, E::Backend>) -> Query<Self, E::Backend> + Send + Sync,
        Self: ModelRow<E::Backend>,
    {
        crate::or_create::or_create(exec, search, new, crate::or_create::Found::Update)
    }

    /// Writes every column of this model to its row; with `#[model(timestamps)]` it sets
    /// `updated_at` to the database's clock and never writes `created_at` (this in-memory
    /// model keeps its old values: read it again to see them).
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
