//! Writes to every row a query matches, in one statement: `update` with a [`Set`] of
//! columns, `increment` / `decrement`, `delete` (which refuses a query without a filter) and
//! `delete_all`.

use std::marker::PhantomData;

use super::Query;
use super::filter::DynBind;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::field::ColumnFor;
use crate::model::ModelSchema;
use crate::sql::Sql;
use crate::value::Bind;

/// The columns a bulk [`Query::update`] sets, each to a bound value. Column names are checked
/// against the model (a typed field is checked by the compiler).
///
/// ```
/// # use orm_core::{ModelSchema, Set};
/// fn rename<M: ModelSchema>() -> Set<M, sqlx::Sqlite> {
///     Set::new().value("name", "anonymous").value("email", None::<String>)
/// }
/// ```
pub struct Set<M, DB: Backend> {
    columns: Vec<(&'static str, Box<dyn DynBind<DB>>)>,
    error: Option<Error>,
    model: PhantomData<fn() -> M>,
}

impl<M: ModelSchema, DB: Backend> Default for Set<M, DB> {
    fn default() -> Self {
        Set {
            columns: Vec::new(),
            error: None,
            model: PhantomData,
        }
    }
}

impl<M: ModelSchema, DB: Backend> Set<M, DB> {
    /// No columns yet.
    pub fn new() -> Self {
        Set::default()
    }

    /// Sets `column` to `value` (`None` for NULL in an `Option` column).
    pub fn value<C, V>(mut self, column: C, value: V) -> Self
    where
        C: ColumnFor<M, V>,
        V: Bind<DB> + std::fmt::Debug + 'static,
    {
        match M::META.column(column.column_name()) {
            Ok(name) => self.columns.push((name, Box::new(value))),
            Err(err) => {
                self.error.get_or_insert(err);
            }
        }
        self
    }
}

/// Bulk writes: on a model's own query (`User::query()`, a has_many handle's `query()`), not
/// on a query through a pivot.
impl<M: ModelSchema, DB: Backend> Query<M, DB> {
    /// Sets the columns of `set` on every row the query matches, in one `UPDATE`; returns the
    /// rows affected (on MySQL / MariaDB, the rows whose values changed).
    ///
    /// # Errors
    /// An unknown column, an empty `set`, a query with a limit or offset
    /// ([`Error::InvalidInput`]), or the database's error.
    ///
    /// ```no_run
    /// # use orm_core::{ModelRow, ModelSchema, Query, Set};
    /// async fn hide<M: ModelRow<sqlx::Sqlite>>(pool: &sqlx::SqlitePool) -> orm_core::Result<u64> {
    ///     Query::<M, sqlx::Sqlite>::new()
    ///         .where_eq("author_id", 7_i64)
    ///         .update(pool, Set::new().value("published", false))
    ///         .await
    /// }
    /// ```
    pub async fn update<E: Executor<Backend = DB>>(
        mut self,
        exec: E,
        set: Set<M, DB>,
    ) -> Result<u64> {
        self.checked()?;
        if let Some(err) = set.error {
            return Err(err);
        }
        if set.columns.is_empty() {
            return Err(self.invalid("update", "no column to set".into()));
        }
        self.bulk_checks("update")?;
        let mut sql = Sql::<DB>::new();
        sql.push("UPDATE ").ident(M::META.table).push(" SET ");
        sql.list(&set.columns, |sql, (column, value)| {
            sql.ident(column).push(" = ");
            value.bind_to(sql);
        });
        self.write_where(&mut sql);
        self.run_bulk(exec, sql).await
    }

    /// Adds `by` to `column` on every row the query matches (`column = column + by`), in one
    /// statement; returns the rows affected.
    ///
    /// # Errors
    /// As [`Query::update`].
    pub async fn increment<E, C>(self, exec: E, column: C, by: i64) -> Result<u64>
    where
        E: Executor<Backend = DB>,
        C: ColumnFor<M, i64>,
    {
        self.step(exec, column.column_name(), " + ", by).await
    }

    /// Subtracts `by` from `column` on every row the query matches, in one statement.
    ///
    /// # Errors
    /// As [`Query::update`].
    pub async fn decrement<E, C>(self, exec: E, column: C, by: i64) -> Result<u64>
    where
        E: Executor<Backend = DB>,
        C: ColumnFor<M, i64>,
    {
        self.step(exec, column.column_name(), " - ", by).await
    }

    async fn step<E: Executor<Backend = DB>>(
        mut self,
        exec: E,
        column: &str,
        op: &str,
        by: i64,
    ) -> Result<u64> {
        self.checked()?;
        let column = M::META.column(column)?;
        self.bulk_checks("update")?;
        let mut sql = Sql::<DB>::new();
        sql.push("UPDATE ").ident(M::META.table).push(" SET ");
        sql.ident(column).push(" = ").ident(column).push(op);
        sql.bind_i64(by);
        self.write_where(&mut sql);
        self.run_bulk(exec, sql).await
    }

    /// Deletes every row the query matches, in one `DELETE`; returns the rows deleted. A query
    /// without a filter is refused: deleting every row is [`Query::delete_all`].
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a query without a filter or with a limit or offset, or the
    /// database's error.
    ///
    /// ```no_run
    /// # use orm_core::{ModelRow, Query};
    /// async fn purge<M: ModelRow<sqlx::Sqlite>>(pool: &sqlx::SqlitePool) -> orm_core::Result<u64> {
    ///     Query::<M, sqlx::Sqlite>::new().where_eq("approved", false).delete(pool).await
    /// }
    /// ```
    pub async fn delete<E: Executor<Backend = DB>>(self, exec: E) -> Result<u64> {
        if self.filter.is_empty() && self.scope.is_empty() {
            return Err(self.invalid(
                "delete",
                "the query has no filter: call delete_all to delete every row".into(),
            ));
        }
        self.delete_all(exec).await
    }

    /// Deletes every row the query matches, with or without a filter.
    ///
    /// # Errors
    /// As [`Query::delete`], without the filter check.
    pub async fn delete_all<E: Executor<Backend = DB>>(mut self, exec: E) -> Result<u64> {
        self.checked()?;
        self.bulk_checks("delete")?;
        let mut sql = Sql::<DB>::new();
        sql.push("DELETE FROM ").ident(M::META.table);
        self.write_where(&mut sql);
        self.run_bulk(exec, sql).await
    }

    fn bulk_checks(&self, operation: &'static str) -> Result<()> {
        if self.limit.is_some() || self.offset.is_some() {
            return Err(self.invalid(operation, "a bulk write takes no limit or offset".into()));
        }
        Ok(())
    }

    fn invalid(&self, operation: &'static str, reason: String) -> Error {
        Error::InvalidInput {
            model: M::META.name,
            relation: "query",
            operation,
            reason,
        }
    }

    async fn run_bulk<E: Executor<Backend = DB>>(&self, exec: E, sql: Sql<DB>) -> Result<u64> {
        let mut conn = exec.acquire().await?;
        Ok(DB::execute(&mut conn, sql).await?.rows_affected)
    }
}
