//! The filters and order on a model's own columns (`where_eq`, `where_in`, `where_null`,
//! `order_by`, ...): each takes a typed field (`User::FIELDS.email`, checked by the compiler) or
//! a column name (checked when the query runs).

use super::{Conjunction, Op, Order, Query, ReadsModel, Side};
use crate::backend::Backend;
use crate::field::{ColumnFor, ColumnName, NullableColumn};
use crate::model::ModelSchema;
use crate::value::Bind;

macro_rules! comparison {
    ($(#[$doc:meta])* $name:ident, $or_name:ident, $op:expr, $negate:expr) => {
        $(#[$doc])*
        pub fn $name<C: ColumnFor<M, V>, V: Bind<DB> + std::fmt::Debug + 'static>(self, column: C, value: V) -> Self {
            self.compare(Conjunction::And, Side::Model, column.column_name(), $op, value, $negate)
        }

        /// The same condition, joined to the previous ones with OR.
        pub fn $or_name<C: ColumnFor<M, V>, V: Bind<DB> + std::fmt::Debug + 'static>(self, column: C, value: V) -> Self {
            self.compare(Conjunction::Or, Side::Model, column.column_name(), $op, value, $negate)
        }
    };
}

macro_rules! in_list_method {
    ($(#[$doc:meta])* $name:ident, $conjunction:expr, $negate:expr) => {
        $(#[$doc])*
        pub fn $name<C, V, I>(self, column: C, values: I) -> Self
        where
            C: ColumnFor<M, V>,
            V: Bind<DB> + std::fmt::Debug + 'static,
            I: IntoIterator<Item = V>,
        {
            self.in_list($conjunction, Side::Model, column.column_name(), values, $negate)
        }
    };
}

/// Filters and order on the model's own columns: on a model's query and on a query through a
/// pivot (the related model's columns), not on a query of pivot rows alone.
impl<M: ModelSchema, DB: Backend, T: ReadsModel> Query<M, DB, T> {
    comparison!(
        /// `column = value`.
        where_eq, or_where_eq, Op::Eq, false
    );

    comparison!(
        /// `column <> value`.
        where_ne, or_where_ne, Op::Ne, false
    );

    /// `column <op> value`, e.g. `where_op("age", Op::Gt, 18)`.
    pub fn where_op<C: ColumnFor<M, V>, V: Bind<DB> + std::fmt::Debug + 'static>(
        self,
        column: C,
        op: Op,
        value: V,
    ) -> Self {
        self.compare(
            Conjunction::And,
            Side::Model,
            column.column_name(),
            op,
            value,
            false,
        )
    }

    /// `... OR column <op> value`.
    pub fn or_where_op<C: ColumnFor<M, V>, V: Bind<DB> + std::fmt::Debug + 'static>(
        self,
        column: C,
        op: Op,
        value: V,
    ) -> Self {
        self.compare(
            Conjunction::Or,
            Side::Model,
            column.column_name(),
            op,
            value,
            false,
        )
    }

    in_list_method!(
        /// `column IN (values)`; an empty list matches nothing.
        where_in, Conjunction::And, false
    );

    in_list_method!(
        /// `... OR column IN (values)`.
        or_where_in, Conjunction::Or, false
    );

    in_list_method!(
        /// `column NOT IN (values)`; an empty list matches everything.
        where_not_in, Conjunction::And, true
    );

    in_list_method!(
        /// `... OR column NOT IN (values)`.
        or_where_not_in, Conjunction::Or, true
    );

    /// `column IS NULL`.
    pub fn where_null<C: NullableColumn<M>>(self, column: C) -> Self {
        self.null(Conjunction::And, Side::Model, column.column_name(), false)
    }

    /// `... OR column IS NULL`.
    pub fn or_where_null<C: NullableColumn<M>>(self, column: C) -> Self {
        self.null(Conjunction::Or, Side::Model, column.column_name(), false)
    }

    /// `column IS NOT NULL`.
    pub fn where_not_null<C: NullableColumn<M>>(self, column: C) -> Self {
        self.null(Conjunction::And, Side::Model, column.column_name(), true)
    }

    /// `... OR column IS NOT NULL`.
    pub fn or_where_not_null<C: NullableColumn<M>>(self, column: C) -> Self {
        self.null(Conjunction::Or, Side::Model, column.column_name(), true)
    }

    /// Sorts by `column`; several calls sort by each in turn.
    pub fn order_by<C: ColumnName<M>>(self, column: C, order: Order) -> Self {
        self.sort(Side::Model, column.column_name(), order)
    }
}
