//! `Model::query()`: filters, order, limit and offset, then sqlx-style terminal methods.

mod filter;

use std::borrow::Cow;
use std::marker::PhantomData;

pub(crate) use filter::{ColumnRef, Condition, Conjunction, Filter};
pub use filter::{Op, Order};

use crate::backend::Backend;
use crate::crud::select_from;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::model::{Model, ModelRow};
use crate::sql::Sql;
use crate::value::Bind;

/// A query on model `M`'s table for backend `DB` (inferred from the executor it runs on).
///
/// Column names are checked against the model's columns; a wrong name makes the terminal method
/// return [`Error::UnknownColumn`]. Values are always bound.
///
/// ```no_run
/// # use orm_core::{Model, ModelRow, Order, Op};
/// # async fn run<User: ModelRow<sqlx::Sqlite>>(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
/// let users: Vec<User> = User::query()
///     .where_eq("username", "virk")
///     .or_where_group(|q| q.where_op("id", Op::Gt, 10_i64).where_not_null("email_address"))
///     .order_by("id", Order::Desc)
///     .limit(20)
///     .fetch_all(&pool)
///     .await?;
/// # Ok(()) }
/// ```
pub struct Query<M, DB: Backend> {
    pub(crate) filter: Filter<DB>,
    pub(crate) order: Vec<(ColumnRef, Order)>,
    pub(crate) limit: Option<u64>,
    pub(crate) offset: Option<u64>,
    pub(crate) error: Option<Error>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model, DB: Backend> Default for Query<M, DB> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! comparison {
    ($(#[$doc:meta])* $name:ident, $or_name:ident, $op:expr, $negate:expr) => {
        $(#[$doc])*
        pub fn $name<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
            self.compare(Conjunction::And, column, $op, value, $negate)
        }

        /// The same condition, joined to the previous ones with OR.
        pub fn $or_name<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
            self.compare(Conjunction::Or, column, $op, value, $negate)
        }
    };
}

impl<M: Model, DB: Backend> Query<M, DB> {
    /// A query with no conditions: every row.
    pub fn new() -> Self {
        Query {
            filter: Filter::default(),
            order: Vec::new(),
            limit: None,
            offset: None,
            error: None,
            model: PhantomData,
        }
    }

    fn column(&mut self, name: &str) -> Option<ColumnRef> {
        match M::META.column(name) {
            Ok(column) => Some(ColumnRef {
                table: Cow::Borrowed(M::META.table),
                column: Cow::Borrowed(column),
            }),
            Err(err) => {
                self.error.get_or_insert(err);
                None
            }
        }
    }

    fn compare<V: Bind<DB> + 'static>(
        mut self,
        conjunction: Conjunction,
        column: &str,
        op: Op,
        value: V,
        negate: bool,
    ) -> Self {
        if let Some(column) = self.column(column) {
            self.filter.add(
                conjunction,
                Condition::Compare {
                    column,
                    op,
                    value: Box::new(value),
                    negate,
                },
            );
        }
        self
    }

    comparison!(
        /// `column = value`.
        where_eq, or_where_eq, Op::Eq, false
    );
    comparison!(
        /// `column <> value`.
        where_ne, or_where_ne, Op::Ne, false
    );

    /// `column <op> value`, e.g. `where_op("age", Op::Gt, 18)`.
    pub fn where_op<V: Bind<DB> + 'static>(self, column: &str, op: Op, value: V) -> Self {
        self.compare(Conjunction::And, column, op, value, false)
    }

    /// `... OR column <op> value`.
    pub fn or_where_op<V: Bind<DB> + 'static>(self, column: &str, op: Op, value: V) -> Self {
        self.compare(Conjunction::Or, column, op, value, false)
    }

    fn in_list<V, I>(
        mut self,
        conjunction: Conjunction,
        column: &str,
        values: I,
        negate: bool,
    ) -> Self
    where
        V: Bind<DB> + 'static,
        I: IntoIterator<Item = V>,
    {
        if let Some(column) = self.column(column) {
            let values = values
                .into_iter()
                .map(|v| Box::new(v) as Box<dyn filter::DynBind<DB>>)
                .collect();
            self.filter.add(
                conjunction,
                Condition::In {
                    column,
                    values,
                    negate,
                },
            );
        }
        self
    }

    /// `column IN (values)`; an empty list matches nothing.
    pub fn where_in<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.in_list(Conjunction::And, column, values, false)
    }

    /// `... OR column IN (values)`.
    pub fn or_where_in<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.in_list(Conjunction::Or, column, values, false)
    }

    /// `column NOT IN (values)`; an empty list matches everything.
    pub fn where_not_in<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.in_list(Conjunction::And, column, values, true)
    }

    /// `... OR column NOT IN (values)`.
    pub fn or_where_not_in<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.in_list(Conjunction::Or, column, values, true)
    }

    fn null(mut self, conjunction: Conjunction, column: &str, negate: bool) -> Self {
        if let Some(column) = self.column(column) {
            self.filter
                .add(conjunction, Condition::Null { column, negate });
        }
        self
    }

    /// `column IS NULL`.
    pub fn where_null(self, column: &str) -> Self {
        self.null(Conjunction::And, column, false)
    }

    /// `... OR column IS NULL`.
    pub fn or_where_null(self, column: &str) -> Self {
        self.null(Conjunction::Or, column, false)
    }

    /// `column IS NOT NULL`.
    pub fn where_not_null(self, column: &str) -> Self {
        self.null(Conjunction::And, column, true)
    }

    /// `... OR column IS NOT NULL`.
    pub fn or_where_not_null(self, column: &str) -> Self {
        self.null(Conjunction::Or, column, true)
    }

    fn group(mut self, conjunction: Conjunction, build: impl FnOnce(Self) -> Self) -> Self {
        let inner = build(Query::new());
        if let Some(err) = inner.error {
            self.error.get_or_insert(err);
        }
        self.filter.add(conjunction, Condition::Group(inner.filter));
        self
    }

    /// `AND (<conditions built by the closure>)`.
    pub fn where_group(self, build: impl FnOnce(Self) -> Self) -> Self {
        self.group(Conjunction::And, build)
    }

    /// `OR (<conditions built by the closure>)`.
    pub fn or_where_group(self, build: impl FnOnce(Self) -> Self) -> Self {
        self.group(Conjunction::Or, build)
    }

    /// Sorts by `column`; several calls sort by each in turn.
    pub fn order_by(mut self, column: &str, order: Order) -> Self {
        if let Some(column) = self.column(column) {
            self.order.push((column, order));
        }
        self
    }

    /// Returns at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }

    /// Appends ` WHERE ...` when there are conditions.
    pub(crate) fn write_where(&self, sql: &mut Sql<DB>) {
        if !self.filter.is_empty() {
            sql.push(" WHERE ");
            self.filter.write(sql);
        }
    }

    /// Appends ` ORDER BY ...`.
    pub(crate) fn write_order(&self, sql: &mut Sql<DB>) {
        if !self.order.is_empty() {
            sql.push(" ORDER BY ");
            sql.list(&self.order, |sql, (column, order)| {
                column.write(sql);
                sql.push(" ").push(order.as_sql());
            });
        }
    }

    fn select_sql(&self) -> Sql<DB> {
        let mut sql = select_from::<M, DB>();
        self.write_where(&mut sql);
        self.write_order(&mut sql);
        DB::push_limit_offset(&mut sql, self.limit, self.offset);
        sql
    }

    fn checked(&mut self) -> Result<()> {
        match self.error.take() {
            Some(err) => Err(err),
            None => Ok(()),
        }
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
        let mut conn = exec.acquire().await?;
        let rows = DB::fetch_all(&mut conn, sql).await?;
        rows.iter().map(|row| M::decode(row, 0)).collect()
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
        let mut sql = Sql::<DB>::new();
        sql.push("SELECT COUNT(*) FROM ").ident(M::META.table);
        self.write_where(&mut sql);
        let mut conn = exec.acquire().await?;
        let rows = DB::fetch_all(&mut conn, sql).await?;
        let row = rows.first().ok_or(Error::NoRows {
            model: M::META.name,
        })?;
        DB::get_i64(row, 0).map_err(|source| Error::Decode {
            model: M::META.name,
            column: "COUNT(*)",
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
        sql.push("SELECT 1 FROM ").ident(M::META.table);
        self.write_where(&mut sql);
        DB::push_limit_offset(&mut sql, Some(1), None);
        let mut conn = exec.acquire().await?;
        Ok(!DB::fetch_all(&mut conn, sql).await?.is_empty())
    }
}
