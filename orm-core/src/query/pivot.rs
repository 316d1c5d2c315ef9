//! Pivot filters on a query that reads through a many-to-many relation: `where_pivot` and its
//! family, `pivot_columns`, `order_by_pivot`. Pivot columns the `PivotData` type does not declare
//! are accepted when they are plain identifiers, and always quoted.

use std::borrow::Cow;

use super::{ColumnRef, Condition, Conjunction, Op, Order, Query};
use crate::backend::Backend;
use crate::error::Error;
use crate::model::Model;
use crate::value::Bind;

/// Whether `name` is a plain SQL identifier.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

impl<M: Model, DB: Backend> Query<M, DB> {
    /// The pivot column `name`, or an error kept for the terminal method.
    fn pivot_column(&mut self, name: &str) -> Option<ColumnRef> {
        let Some(pivot) = &self.pivot else {
            self.error.get_or_insert(Error::InvalidInput {
                model: M::META.name,
                relation: "<pivot>",
                operation: "filter on a pivot column of",
                reason: format!(
                    "`{name}`: this query does not read through a many-to-many relation"
                ),
            });
            return None;
        };
        if !is_identifier(name) {
            let context = format!("{} pivot column", pivot.relation);
            self.error.get_or_insert(Error::InvalidIdentifier {
                context,
                name: name.to_owned(),
            });
            return None;
        }
        Some(ColumnRef {
            table: Cow::Owned(pivot.alias.clone()),
            column: Cow::Owned(name.to_owned()),
        })
    }

    fn pivot_compare<V: Bind<DB> + 'static>(
        mut self,
        conjunction: Conjunction,
        column: &str,
        op: Op,
        value: V,
        negate: bool,
    ) -> Self {
        if let Some(column) = self.pivot_column(column) {
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

    /// `pivot.column = value`.
    pub fn where_pivot<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
        self.pivot_compare(Conjunction::And, column, Op::Eq, value, false)
    }

    /// `pivot.column <op> value`.
    pub fn where_pivot_op<V: Bind<DB> + 'static>(self, column: &str, op: Op, value: V) -> Self {
        self.pivot_compare(Conjunction::And, column, op, value, false)
    }

    /// `... OR pivot.column = value` (still inside the parent's scope).
    pub fn or_where_pivot<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
        self.pivot_compare(Conjunction::Or, column, Op::Eq, value, false)
    }

    /// `NOT pivot.column = value`.
    pub fn where_not_pivot<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
        self.pivot_compare(Conjunction::And, column, Op::Eq, value, true)
    }

    fn pivot_in<V, I>(mut self, column: &str, values: I, negate: bool) -> Self
    where
        V: Bind<DB> + 'static,
        I: IntoIterator<Item = V>,
    {
        if let Some(column) = self.pivot_column(column) {
            let values = values
                .into_iter()
                .map(|v| Box::new(v) as Box<dyn super::filter::DynBind<DB>>)
                .collect();
            self.filter.add(
                Conjunction::And,
                Condition::In {
                    column,
                    values,
                    negate,
                },
            );
        }
        self
    }

    /// `pivot.column IN (values)`.
    pub fn where_in_pivot<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.pivot_in(column, values, false)
    }

    /// `pivot.column NOT IN (values)`.
    pub fn where_not_in_pivot<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.pivot_in(column, values, true)
    }

    fn pivot_null(mut self, column: &str, negate: bool) -> Self {
        if let Some(column) = self.pivot_column(column) {
            self.filter
                .add(Conjunction::And, Condition::Null { column, negate });
        }
        self
    }

    /// `pivot.column IS NULL`.
    pub fn where_null_pivot(self, column: &str) -> Self {
        self.pivot_null(column, false)
    }

    /// `pivot.column IS NOT NULL`.
    pub fn where_not_null_pivot(self, column: &str) -> Self {
        self.pivot_null(column, true)
    }

    /// Reads these pivot columns too, into each row's extras as `pivot_<column>`.
    pub fn pivot_columns<'c, I: IntoIterator<Item = &'c str>>(mut self, columns: I) -> Self {
        for name in columns {
            if self.pivot_column(name).is_some()
                && let Some(pivot) = &mut self.pivot
                && !pivot.columns.iter().any(|c| c == name)
            {
                pivot.columns.push(name.to_owned());
            }
        }
        self
    }

    /// Sorts by a pivot column.
    pub fn order_by_pivot(mut self, column: &str, order: Order) -> Self {
        if let Some(column) = self.pivot_column(column) {
            self.order.push((column, order));
        }
        self
    }
}
