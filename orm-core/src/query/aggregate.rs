//! Reading columns and aggregates instead of models: `select` into a tuple (or any
//! `sqlx::FromRow` type) with `group_by` and `having`, and the scalar aggregates `sum`, `avg`,
//! `min`, `max` of a query.

use std::marker::PhantomData;

use super::filter::DynBind;
use super::{Op, Query};
use crate::backend::Backend;
use crate::dialect::SqlType;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::model::ModelSchema;
use crate::sql::Sql;
use crate::value::{Bind, Column};

/// One item of a [`Select`]: a column of the model, or an aggregate of one.
///
/// `sum` and `avg` read as `f64` (`Option<f64>` over no rows), `count` as `i64`, `min` and
/// `max` as the column's own type.
///
/// ```
/// use orm_core::Item;
/// let items = [Item::column("player"), Item::count(), Item::sum("points")];
/// assert_eq!(items.len(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// The column's value (group by it when aggregates are selected too).
    Column(&'static str),
    /// `COUNT(*)`.
    Count,
    /// `SUM(column)`, as a double.
    Sum(&'static str),
    /// `AVG(column)`, as a double.
    Avg(&'static str),
    /// `MIN(column)`.
    Min(&'static str),
    /// `MAX(column)`.
    Max(&'static str),
}

impl Item {
    /// A column.
    pub fn column(name: &'static str) -> Self {
        Item::Column(name)
    }

    /// `COUNT(*)`.
    pub fn count() -> Self {
        Item::Count
    }

    /// `SUM(column)`.
    pub fn sum(column: &'static str) -> Self {
        Item::Sum(column)
    }

    /// `AVG(column)`.
    pub fn avg(column: &'static str) -> Self {
        Item::Avg(column)
    }

    /// `MIN(column)`.
    pub fn min(column: &'static str) -> Self {
        Item::Min(column)
    }

    /// `MAX(column)`.
    pub fn max(column: &'static str) -> Self {
        Item::Max(column)
    }

    fn column_name(self) -> Option<&'static str> {
        match self {
            Item::Count => None,
            Item::Column(c) | Item::Sum(c) | Item::Avg(c) | Item::Min(c) | Item::Max(c) => Some(c),
        }
    }

    fn write<DB: Backend>(self, sql: &mut Sql<DB>, table: &str) {
        let double = DB::TYPES.create(SqlType::Double, false);
        let (open, close) = match self {
            Item::Count => {
                sql.push("COUNT(*)");
                return;
            }
            Item::Column(_) => ("", String::new()),
            Item::Sum(_) => ("CAST(SUM(", format!(") AS {double})")),
            Item::Avg(_) => ("CAST(AVG(", format!(") AS {double})")),
            Item::Min(_) => ("MIN(", ")".to_owned()),
            Item::Max(_) => ("MAX(", ")".to_owned()),
        };
        sql.push(open);
        if let Some(column) = self.column_name() {
            sql.qualified(table, column);
        }
        sql.push(&close);
    }
}

/// A query reading [`Item`]s into rows of type `R` (a tuple, or a `#[derive(sqlx::FromRow)]`
/// struct): made by [`Query::select`]. Keeps the query's filters, order and limit.
pub struct Select<M, DB: Backend, R> {
    query: Query<M, DB>,
    items: Vec<Item>,
    group_by: Vec<&'static str>,
    having: Vec<(Item, Op, Box<dyn DynBind<DB>>)>,
    row: PhantomData<fn() -> R>,
}

impl<M: ModelSchema, DB: Backend> Query<M, DB> {
    /// Reads `items` instead of whole models, into rows of type `R`.
    ///
    /// ```no_run
    /// # use orm_core::{Item, ModelSchema, Op, Query};
    /// async fn busy_players<M: ModelSchema>(pool: &sqlx::SqlitePool) -> orm_core::Result<Vec<(String, i64)>> {
    ///     Query::<M, sqlx::Sqlite>::new()
    ///         .select::<(String, i64)>([Item::column("player"), Item::count()])
    ///         .group_by("player")
    ///         .having(Item::count(), Op::Gt, 1_i64)
    ///         .fetch_all(pool)
    ///         .await
    /// }
    /// ```
    pub fn select<R>(self, items: impl IntoIterator<Item = Item>) -> Select<M, DB, R> {
        Select {
            query: self,
            items: items.into_iter().collect(),
            group_by: Vec::new(),
            having: Vec::new(),
            row: PhantomData,
        }
    }

    /// `SUM(column)` over the matching rows, as a double (`None` when none match).
    ///
    /// # Errors
    /// An unknown column, or the database's error.
    pub async fn sum<E: Executor<Backend = DB>>(
        self,
        exec: E,
        column: &'static str,
    ) -> Result<Option<f64>>
    where
        f64: Column<DB>,
    {
        self.scalar(exec, Item::Sum(column)).await
    }

    /// `AVG(column)` over the matching rows, as a double (`None` when none match).
    ///
    /// # Errors
    /// An unknown column, or the database's error.
    pub async fn avg<E: Executor<Backend = DB>>(
        self,
        exec: E,
        column: &'static str,
    ) -> Result<Option<f64>>
    where
        f64: Column<DB>,
    {
        self.scalar(exec, Item::Avg(column)).await
    }

    /// `MIN(column)` over the matching rows, as the column's type `T`.
    ///
    /// # Errors
    /// An unknown column, a `T` the column does not decode to, or the database's error.
    pub async fn min<T, E: Executor<Backend = DB>>(
        self,
        exec: E,
        column: &'static str,
    ) -> Result<Option<T>>
    where
        T: Column<DB>,
    {
        self.scalar(exec, Item::Min(column)).await
    }

    /// `MAX(column)` over the matching rows, as the column's type `T`.
    ///
    /// # Errors
    /// As [`Query::min`].
    pub async fn max<T, E: Executor<Backend = DB>>(
        self,
        exec: E,
        column: &'static str,
    ) -> Result<Option<T>>
    where
        T: Column<DB>,
    {
        self.scalar(exec, Item::Max(column)).await
    }

    async fn scalar<T, E>(self, exec: E, item: Item) -> Result<Option<T>>
    where
        E: Executor<Backend = DB>,
        T: Column<DB>,
    {
        let select = self.select::<()>([item]);
        let sql = select.statement()?;
        let mut conn = exec.acquire_read().await?;
        let rows = DB::fetch_all(&mut conn, sql).await?;
        match rows.first() {
            Some(row) => DB::get_optional::<T>(row, 0).map_err(|source| Error::Count {
                what: format!("{} {item:?}", M::META.name),
                source,
            }),
            None => Ok(None),
        }
    }
}

impl<M: ModelSchema, DB: Backend, R> Select<M, DB, R> {
    /// `GROUP BY column`; several calls group by each.
    pub fn group_by(mut self, column: &'static str) -> Self {
        self.group_by.push(column);
        self
    }

    /// `HAVING item <op> value` (ANDed with earlier ones), e.g. `having(Item::count(), Op::Gt,
    /// 1_i64)`.
    pub fn having<V: Bind<DB> + std::fmt::Debug + 'static>(
        mut self,
        item: Item,
        op: Op,
        value: V,
    ) -> Self {
        self.having.push((item, op, Box::new(value)));
        self
    }

    /// The statement, with every column checked against the model.
    fn statement(mut self) -> Result<Sql<DB>> {
        self.query.checked()?;
        self.checked_columns()?;
        Ok(self.write())
    }

    /// The statement [`Select::fetch_all`] runs and its bound values, as text per dialect (see
    /// [`Query::to_sql`]).
    ///
    /// # Errors
    /// The error the query holds, or an unknown column.
    pub fn to_sql(&self) -> Result<(String, Vec<String>)> {
        self.checked_columns()?;
        self.query.show(|| self.write())
    }

    fn checked_columns(&self) -> Result<()> {
        let columns = self
            .items
            .iter()
            .chain(self.having.iter().map(|(item, _, _)| item))
            .filter_map(|item| item.column_name())
            .chain(self.group_by.iter().copied());
        for column in columns {
            M::META.column(column)?;
        }
        if self.items.is_empty() {
            return Err(Error::InvalidInput {
                model: M::META.name,
                relation: "query",
                operation: "select",
                reason: "no column or aggregate to select".into(),
            });
        }
        Ok(())
    }

    fn write(&self) -> Sql<DB> {
        let alias = self.query.alias.clone();
        let mut sql = Sql::new();
        sql.push(if self.query.distinct {
            "SELECT DISTINCT "
        } else {
            "SELECT "
        });
        sql.list(&self.items, |sql, item| item.write(sql, &alias));
        self.query.write_from(&mut sql);
        self.query.write_where(&mut sql);
        if !self.group_by.is_empty() {
            sql.push(" GROUP BY ");
            sql.list(&self.group_by, |sql, column| {
                sql.qualified(&alias, column);
            });
        }
        for (i, (item, op, value)) in self.having.iter().enumerate() {
            sql.push(if i == 0 { " HAVING " } else { " AND " });
            item.write(&mut sql, &alias);
            sql.push(" ").push(op.as_sql()).push(" ");
            value.bind_to(&mut sql);
        }
        self.query.write_order(&mut sql);
        sql.limit_offset(self.query.limit, self.query.offset);
        sql
    }

    /// Every row, decoded as `R`.
    ///
    /// # Errors
    /// An unknown column, a row that does not decode as `R` ([`Error::Decode`]), or the
    /// database's error.
    pub async fn fetch_all<E: Executor<Backend = DB>>(self, exec: E) -> Result<Vec<R>>
    where
        R: for<'r> sqlx::FromRow<'r, DB::Row>,
    {
        let sql = self.statement()?;
        let mut conn = exec.acquire_read().await?;
        let rows = DB::fetch_all(&mut conn, sql).await?;
        rows.iter()
            .map(|row| {
                R::from_row(row).map_err(|source| Error::Decode {
                    model: M::META.name,
                    column: "(selected row)",
                    source,
                })
            })
            .collect()
    }
}
