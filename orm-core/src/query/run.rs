//! Writing a query's statement and running it: the terminal methods (`fetch_all`,
//! `fetch_optional`, `fetch_one`, `count`, `exists`).

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::execute::raw::RawColumn;
use crate::executor::Executor;
use crate::model::{ModelRow, ModelSchema};
use crate::sql::Sql;

use super::Query;
use super::related_select::write_order_terms;

impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    /// Appends ` WHERE ...` when there are conditions: the scope, then the filters.
    pub(crate) fn write_where(&self, sql: &mut Sql<DB>) {
        match (self.scope.is_empty(), self.filter.is_empty()) {
            (true, true) => {}
            (false, true) => {
                sql.push(" WHERE ");
                self.scope.write(sql);
            }
            (true, false) => {
                sql.push(" WHERE ");
                self.filter.write(sql);
            }
            (false, false) => {
                sql.push(" WHERE ");
                self.scope.write(sql);
                sql.push(" AND ");
                self.filter.write(sql);
            }
        }
    }

    /// Appends ` ORDER BY ...`.
    pub(crate) fn write_order(&self, sql: &mut Sql<DB>) {
        write_order_terms(sql, &self.order);
    }

    /// ` FROM "table"[ AS "alias"]`.
    pub(crate) fn write_from(&self, sql: &mut Sql<DB>) {
        sql.push(" FROM ").ident(M::META.table);
        if self.alias != M::META.table {
            sql.push(" AS ").ident(&self.alias);
        }
    }

    pub(super) fn select_sql(&self) -> Sql<DB> {
        self.write_select(Sql::new())
    }

    fn write_select(&self, mut sql: Sql<DB>) -> Sql<DB> {
        self.write_select_where(&mut sql);
        self.write_order(&mut sql);
        sql.limit_offset(self.limit, self.offset);
        sql
    }

    /// `SELECT [DISTINCT] <columns>[, <counts>] FROM <table> [WHERE ...]`: a query's rows,
    /// before their order and limit.
    pub(crate) fn write_select_where(&self, sql: &mut Sql<DB>) {
        sql.push(if self.distinct {
            "SELECT DISTINCT "
        } else {
            "SELECT "
        });
        crate::crud::push_columns::<M, DB>(sql, &self.alias);
        for count in &self.counts {
            sql.push(", ");
            count.write(sql, &self.alias);
        }
        self.write_from(sql);
        self.write_where(sql);
    }

    /// The statement `build` writes and its values as text, or the error the query holds:
    /// what every `to_sql` returns.
    pub(crate) fn show(&self, build: impl FnOnce() -> Sql<DB>) -> Result<(String, Vec<String>)> {
        if let Some(err) = &self.error {
            return Err(Error::InvalidInput {
                model: M::META.name,
                relation: "query",
                operation: "show",
                reason: err.to_string(),
            });
        }
        let mut sql = crate::sql::showing(build);
        let values = sql.shown_values();
        Ok((sql.text().to_owned(), values))
    }

    pub(crate) fn checked(&mut self) -> Result<()> {
        match self.error.take() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// Runs this query's preloads on models loaded by a relation (nested preloads).
    pub(crate) async fn run_preloads(
        &self,
        conn: &mut DB::Connection,
        models: Vec<&mut M>,
    ) -> Result<()> {
        let mut models = models;
        for preloader in &self.preloads {
            preloader
                .load(&mut *conn, models.iter_mut().map(|m| &mut **m).collect())
                .await?;
        }
        Ok(())
    }
}

/// The terminal methods of a query on a model's own table; a query through a pivot has its own
/// (`many_to_many::query`), returning `Pivoted` rows.
impl<M: ModelSchema, DB: Backend> Query<M, DB> {
    /// A model and its `with_count` columns from one row of the query's statement (read by
    /// `fetch_all`, `fetch` and `chunks`).
    pub(super) fn decode_row(&self, row: &DB::Row) -> Result<M>
    where
        M: ModelRow<DB>,
    {
        let columns = M::META.columns.len();
        let mut model = M::decode(row, 0)?;
        for (i, count) in self.counts.iter().enumerate() {
            let n = DB::get_i64(row, columns + i).map_err(|source| Error::Count {
                what: format!("{} relations (with_count)", M::META.name),
                source,
            })?;
            count.store(&mut model, n);
        }
        Ok(model)
    }

    /// The models of `sql` read on SQLite's raw path ([`crate::execute::fetch_raw`]), with their
    /// `with_count` columns.
    async fn fetch_raw(&self, conn: &mut DB::Connection, sql: Sql<DB>) -> Result<Vec<M>>
    where
        M: ModelRow<DB>,
    {
        let columns = M::META.columns.len();
        let counts = self.counts.len();
        let read = crate::execute::fetch_raw(conn, sql, |row| {
            let model = M::decode_raw(row, 0)?;
            let mut values = Vec::with_capacity(counts);
            for i in 0..counts {
                values.push(<i64 as RawColumn>::read_raw(row, columns + i));
            }
            Ok((model, values))
        })
        .await?;
        read.into_iter()
            .map(|(mut model, values)| {
                for (count, n) in self.counts.iter().zip(values) {
                    let n = n.map_err(|source| Error::Count {
                        what: format!("{} relations (with_count)", M::META.name),
                        source,
                    })?;
                    count.store(&mut model, n);
                }
                Ok(model)
            })
            .collect()
    }

    /// `SELECT DISTINCT`: rows that are equal in every selected column come once.
    ///
    /// ```
    /// # use orm_core::{Query, ModelSchema};
    /// fn once_each<M: ModelSchema>(q: Query<M, sqlx::Sqlite>) -> Query<M, sqlx::Sqlite> {
    ///     q.distinct()
    /// }
    /// ```
    pub fn distinct(mut self) -> Self {
        self.distinct = true;
        self
    }

    /// The statement this query runs and its bound values, as text (`?` placeholders on
    /// SQLite and MySQL, `$1` on PostgreSQL). Values are shown with `Debug` (cut at 200
    /// characters). Preloads run statements of their own, once the rows are read: they are not
    /// part of it.
    ///
    /// # Errors
    /// The error the query holds (an unknown column, a `where_raw` with the wrong number of
    /// values).
    ///
    /// ```
    /// # use orm_core::{Query, ModelSchema};
    /// fn show<M: ModelSchema>(q: Query<M, sqlx::Sqlite>) -> orm_core::Result<()> {
    ///     let (sql, values) = q.to_sql()?;
    ///     println!("{sql} {values:?}");
    ///     Ok(())
    /// }
    /// ```
    pub fn to_sql(&self) -> Result<(String, Vec<String>)> {
        self.show(|| self.select_sql())
    }

    /// The first row by primary key (or by the query's order, if it has one): `ORDER BY key
    /// LIMIT 1`. `None` when no row matches.
    ///
    /// # Errors
    /// An unknown column, or the database's error.
    pub async fn first<E>(mut self, exec: E) -> Result<Option<M>>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        if self.order.is_empty() {
            self = self.order_by(M::META.primary_key, crate::query::Order::Asc);
        }
        self.fetch_optional(exec).await
    }

    /// Every matching row.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for a wrong column name, [`Error::Decode`], or a database error.
    pub async fn fetch_all<E>(mut self, exec: E) -> Result<Vec<M>>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.checked()?;
        let sql = self.select_sql();
        let mut conn = exec.acquire_read().await?;
        let several = !self.preloads.is_empty();
        crate::execute::pinned_together!(DB, &mut conn, several, |conn| {
            self.fetch_on(conn, sql).await
        })
    }

    /// [`Query::fetch_all`] on one connection: the rows of `sql`, then each preload.
    pub(super) async fn fetch_on(
        &self,
        conn: &mut DB::Connection,
        sql: crate::sql::Sql<DB>,
    ) -> Result<Vec<M>>
    where
        M: ModelRow<DB>,
    {
        let mut models = if M::raw_readable() && crate::execute::reads_raw(&sql) {
            self.fetch_raw(conn, sql).await?
        } else {
            let rows = DB::fetch_all(&mut *conn, sql).await?;
            rows.iter()
                .map(|row| self.decode_row(row))
                .collect::<Result<Vec<M>>>()?
        };
        for preloader in &self.preloads {
            preloader
                .load(&mut *conn, models.iter_mut().collect())
                .await?;
        }
        Ok(models)
    }

    /// The first matching row, if any.
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn fetch_optional<E>(self, exec: E) -> Result<Option<M>>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        Ok(self.limit(1).fetch_all(exec).await?.into_iter().next())
    }

    /// The first matching row.
    ///
    /// # Errors
    /// [`Error::NoRows`] when nothing matches; otherwise as [`Query::fetch_all`].
    pub async fn fetch_one<E>(self, exec: E) -> Result<M>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.fetch_optional(exec).await?.ok_or(Error::NoRows {
            model: M::META.name,
        })
    }

    /// How many rows match (limit and offset are ignored).
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn count<E>(mut self, exec: E) -> Result<i64>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.checked()?;
        let mut conn = exec.acquire_read().await?;
        self.count_on(&mut conn).await
    }

    /// Runs `SELECT COUNT(*)` of this query's rows on `conn`.
    pub(crate) async fn count_on(&self, conn: &mut DB::Connection) -> Result<i64> {
        let mut sql = Sql::<DB>::new();
        sql.push("SELECT COUNT(*)");
        self.write_from(&mut sql);
        self.write_where(&mut sql);
        let rows = DB::fetch_all(conn, sql).await?;
        let row = rows.first().ok_or(Error::NoRows {
            model: M::META.name,
        })?;
        DB::get_i64(row, 0).map_err(|source| Error::Count {
            what: format!("{} rows", M::META.name),
            source,
        })
    }

    /// Whether any row matches.
    ///
    /// # Errors
    /// As [`Query::fetch_all`].
    pub async fn exists<E>(mut self, exec: E) -> Result<bool>
    where
        E: Executor<Backend = DB>,
        M: ModelRow<DB>,
    {
        self.checked()?;
        let mut sql = Sql::<DB>::new();
        sql.push("SELECT 1");
        self.write_from(&mut sql);
        self.write_where(&mut sql);
        sql.limit_offset(Some(1), None);
        let mut conn = exec.acquire_read().await?;
        Ok(!DB::fetch_all(&mut conn, sql).await?.is_empty())
    }
}
