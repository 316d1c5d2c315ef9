//! The conditions past plain comparisons: `LIKE` patterns, ranges (`BETWEEN`) and the bound
//! escape hatch, `where_raw`.

use super::filter::DynBind;
use super::{Condition, Conjunction, Query, ReadsModel, Side};
use crate::backend::Backend;
use crate::error::Error;
use crate::field::ColumnFor;
use crate::model::ModelSchema;
use crate::value::Bind;

use super::Op;

/// `LIKE`, `BETWEEN` and raw SQL conditions on the model's own columns.
impl<M: ModelSchema, DB: Backend, T: ReadsModel> Query<M, DB, T> {
    /// `column LIKE pattern` (`%` any run, `_` one character; case sensitivity is the
    /// backend's: SQLite and MariaDB's default collations ignore ASCII case, PostgreSQL does
    /// not).
    ///
    /// ```
    /// # use orm_core::{Query, ModelSchema};
    /// fn named_like<M: ModelSchema>(q: Query<M, sqlx::Sqlite>) -> Query<M, sqlx::Sqlite> {
    ///     q.where_like("name", "ru%")
    /// }
    /// ```
    pub fn where_like<C: ColumnFor<M, String>>(self, column: C, pattern: &str) -> Self
    where
        String: Bind<DB>,
    {
        let pattern = pattern.to_owned();
        self.compare_text(Conjunction::And, column.column_name(), Op::Like, pattern)
    }

    /// `... OR column LIKE pattern`.
    pub fn or_where_like<C: ColumnFor<M, String>>(self, column: C, pattern: &str) -> Self
    where
        String: Bind<DB>,
    {
        let pattern = pattern.to_owned();
        self.compare_text(Conjunction::Or, column.column_name(), Op::Like, pattern)
    }

    /// `column NOT LIKE pattern`.
    pub fn where_not_like<C: ColumnFor<M, String>>(self, column: C, pattern: &str) -> Self
    where
        String: Bind<DB>,
    {
        let pattern = pattern.to_owned();
        self.compare_text(Conjunction::And, column.column_name(), Op::NotLike, pattern)
    }

    fn compare_text(self, conjunction: Conjunction, column: &str, op: Op, value: String) -> Self
    where
        String: Bind<DB>,
    {
        self.compare(conjunction, Side::Model, column, op, value, false)
    }

    /// `column BETWEEN low AND high` (both ends included).
    ///
    /// ```
    /// # use orm_core::{Query, ModelSchema};
    /// fn adults<M: ModelSchema>(q: Query<M, sqlx::Sqlite>) -> Query<M, sqlx::Sqlite> {
    ///     q.where_between("age", 18, 65)
    /// }
    /// ```
    pub fn where_between<C, V>(self, column: C, low: V, high: V) -> Self
    where
        C: ColumnFor<M, V>,
        V: Bind<DB> + std::fmt::Debug + 'static,
    {
        self.between(Conjunction::And, column.column_name(), low, high, false)
    }

    /// `... OR column BETWEEN low AND high`.
    pub fn or_where_between<C, V>(self, column: C, low: V, high: V) -> Self
    where
        C: ColumnFor<M, V>,
        V: Bind<DB> + std::fmt::Debug + 'static,
    {
        self.between(Conjunction::Or, column.column_name(), low, high, false)
    }

    /// `column NOT BETWEEN low AND high`.
    pub fn where_not_between<C, V>(self, column: C, low: V, high: V) -> Self
    where
        C: ColumnFor<M, V>,
        V: Bind<DB> + std::fmt::Debug + 'static,
    {
        self.between(Conjunction::And, column.column_name(), low, high, true)
    }

    fn between<V: Bind<DB> + std::fmt::Debug + 'static>(
        mut self,
        conjunction: Conjunction,
        column: &str,
        low: V,
        high: V,
        negate: bool,
    ) -> Self {
        if let Some(column) = self.resolve(Side::Model, column) {
            let (low, high) = (Box::new(low), Box::new(high));
            self.filter.add(
                conjunction,
                Condition::Between {
                    column,
                    low,
                    high,
                    negate,
                },
            );
        }
        self
    }

    /// A condition in SQL you write, with a `?` for each value, bound in order on every backend
    /// (`$1`, `$2`, ... on PostgreSQL). The text is a `&'static str`, written in your code: a
    /// value from outside goes in `values`, never in the text. Column names in the text are
    /// not checked; every `?` is a placeholder.
    ///
    /// # Errors
    /// The terminal method returns [`Error::InvalidInput`] when the number of `?` differs from
    /// the number of values.
    ///
    /// ```
    /// # use orm_core::{Query, ModelSchema};
    /// fn by_lower_name<M: ModelSchema>(q: Query<M, sqlx::Sqlite>) -> Query<M, sqlx::Sqlite> {
    ///     q.where_raw("lower(name) = ?", ["virk"])
    /// }
    /// ```
    pub fn where_raw<V, I>(self, sql: &'static str, values: I) -> Self
    where
        V: Bind<DB> + std::fmt::Debug + 'static,
        I: IntoIterator<Item = V>,
    {
        self.raw(Conjunction::And, sql, values)
    }

    /// `... OR (raw SQL)`, as [`Query::where_raw`].
    pub fn or_where_raw<V, I>(self, sql: &'static str, values: I) -> Self
    where
        V: Bind<DB> + std::fmt::Debug + 'static,
        I: IntoIterator<Item = V>,
    {
        self.raw(Conjunction::Or, sql, values)
    }

    fn raw<V, I>(mut self, conjunction: Conjunction, sql: &'static str, values: I) -> Self
    where
        V: Bind<DB> + std::fmt::Debug + 'static,
        I: IntoIterator<Item = V>,
    {
        let parts: Vec<&'static str> = sql.split('?').collect();
        let values: Vec<Box<dyn DynBind<DB>>> = values
            .into_iter()
            .map(|v| Box::new(v) as Box<dyn DynBind<DB>>)
            .collect();
        if parts.len() != values.len() + 1 {
            self.error.get_or_insert(Error::InvalidInput {
                model: M::META.name,
                relation: "where_raw",
                operation: "filter",
                reason: format!(
                    "`{sql}` has {} placeholders but {} values were given",
                    parts.len() - 1,
                    values.len()
                ),
            });
            return self;
        }
        self.filter
            .add(conjunction, Condition::Raw { parts, values });
        self
    }
}
