//! What a query through a many-to-many relation reads ([`Through`] the pivot, or the
//! [`PivotRows`] alone), and the pivot filters only such a query has: `where_pivot` and its
//! family, `pivot_columns`, `order_by_pivot`. On a plain `Model::query()` they do not compile.

use crate::backend::Backend;
use crate::field::{ColumnFor, ColumnName, NullableColumn};
use crate::model::ModelSchema;
use crate::pivot::PivotData;
use crate::query::sealed::Sealed;
use crate::query::{Conjunction, Op, Order, Query, ReadsModel, Side};
use crate::relation::many_to_many::{ManyToManyMeta, ManyToManyRelation};
use crate::value::Bind;

/// The pivot columns a relation's filters may name when its pivot data `P` declares columns:
/// the declared ones, the two keys and the timestamps; `None` when `P` declares none (`()`),
/// where any plain identifier is accepted.
pub(crate) fn declared_pivot_columns<P: PivotData>(
    meta: &'static ManyToManyMeta,
) -> Option<Vec<&'static str>> {
    (!P::COLUMNS.is_empty()).then(|| {
        P::COLUMNS
            .iter()
            .copied()
            .chain([
                meta.pivot_foreign_key.as_str(),
                meta.pivot_related_foreign_key.as_str(),
            ])
            .chain(meta.created_at.as_deref())
            .chain(meta.updated_at.as_deref())
            .collect()
    })
}

/// A query that reads a many-to-many relation's related rows through its pivot table:
/// `user.related(User::skills()).query()`, or the query a `preload_with` / `where_has` /
/// `with_count_where` closure refines. Only such a query has pivot filters (`where_pivot`, ...):
/// on a plain `Model::query()` they do not compile.
pub struct Through<R: ManyToManyRelation> {
    /// The one parent whose related rows the query reads (`parent.related(..).query()`); `None`
    /// in a closure, where the outer statement gives the parents.
    pub(crate) parent: Option<R::LocalKey>,
}

impl<R: ManyToManyRelation> Clone for Through<R> {
    fn clone(&self) -> Self {
        Through {
            parent: self.parent.clone(),
        }
    }
}

/// A query of one parent's pivot rows alone, without the related table:
/// `parent.related(..).pivot_query()`, with `fetch_all`, `update` and `delete`. It has pivot
/// filters and no model filters.
pub struct PivotRows<R: ManyToManyRelation> {
    /// The parent whose pivot rows the query reads.
    pub(crate) parent: R::LocalKey,
}

impl<R: ManyToManyRelation> Clone for PivotRows<R> {
    fn clone(&self) -> Self {
        PivotRows {
            parent: self.parent.clone(),
        }
    }
}

/// What a query reads when it has pivot columns: [`Through`] or [`PivotRows`]. Sealed.
#[diagnostic::on_unimplemented(
    message = "this query does not read through a pivot table",
    label = "pivot filters need a query through a many-to-many relation",
    note = "pivot filters work on `parent.related(Model::relation()).query()` / `.pivot_query()` and in the closures of a many-to-many relation's `preload_with`, `where_has` and `with_count_where`"
)]
pub trait ReadsPivot: Clone + Sealed {
    /// The relation's pivot data: its fields are the typed pivot columns of the query.
    type Pivot;
}

impl<R: ManyToManyRelation> Sealed for Through<R> {}
impl<R: ManyToManyRelation> ReadsModel for Through<R> {}
impl<R: ManyToManyRelation> ReadsPivot for Through<R> {
    type Pivot = R::Pivot;
}
impl<R: ManyToManyRelation> Sealed for PivotRows<R> {}
impl<R: ManyToManyRelation> ReadsPivot for PivotRows<R> {
    type Pivot = R::Pivot;
}

macro_rules! pivot_comparison {
    ($(#[$doc:meta])* $name:ident, $conjunction:expr, $negate:expr) => {
        $(#[$doc])*
        pub fn $name<C, V>(self, column: C, value: V) -> Self
        where
            T: ReadsPivot,
            C: ColumnFor<T::Pivot, V>,
            V: Bind<DB> + std::fmt::Debug + 'static,
        {
            self.compare($conjunction, Side::Pivot, column.column_name(), Op::Eq, value, $negate)
        }
    };
}

macro_rules! pivot_list {
    ($(#[$doc:meta])* $name:ident, $negate:expr) => {
        $(#[$doc])*
        pub fn $name<C, V, I>(self, column: C, values: I) -> Self
        where
            T: ReadsPivot,
            C: ColumnFor<T::Pivot, V>,
            V: Bind<DB> + std::fmt::Debug + 'static,
            I: IntoIterator<Item = V>,
        {
            self.in_list(Conjunction::And, Side::Pivot, column.column_name(), values, $negate)
        }
    };
}

macro_rules! pivot_null {
    ($(#[$doc:meta])* $name:ident, $negate:expr) => {
        $(#[$doc])*
        pub fn $name<C>(self, column: C) -> Self
        where
            T: ReadsPivot,
            C: NullableColumn<T::Pivot>,
        {
            self.null(Conjunction::And, Side::Pivot, column.column_name(), $negate)
        }
    };
}

/// Pivot filters: a column is a field of the relation's pivot data
/// (`Proficiency::FIELDS.proficiency`) or a string (the pivot keys, timestamps and runtime
/// columns, checked when the query runs).
impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    pivot_comparison!(
        /// `pivot.column = value`.
        where_pivot, Conjunction::And, false
    );
    pivot_comparison!(
        /// `... OR pivot.column = value` (still inside the parent's scope).
        or_where_pivot, Conjunction::Or, false
    );
    pivot_comparison!(
        /// `NOT pivot.column = value`.
        where_not_pivot, Conjunction::And, true
    );

    /// `pivot.column <op> value`.
    pub fn where_pivot_op<C, V>(self, column: C, op: Op, value: V) -> Self
    where
        T: ReadsPivot,
        C: ColumnFor<T::Pivot, V>,
        V: Bind<DB> + std::fmt::Debug + 'static,
    {
        self.compare(
            Conjunction::And,
            Side::Pivot,
            column.column_name(),
            op,
            value,
            false,
        )
    }

    pivot_list!(
        /// `pivot.column IN (values)`.
        where_in_pivot, false
    );
    pivot_list!(
        /// `pivot.column NOT IN (values)`.
        where_not_in_pivot, true
    );
    pivot_null!(
        /// `pivot.column IS NULL`.
        where_null_pivot, false
    );
    pivot_null!(
        /// `pivot.column IS NOT NULL`.
        where_not_null_pivot, true
    );

    /// Reads these pivot columns too, into each row's extras as `pivot_<column>`. Any plain
    /// identifier is accepted, declared by the pivot data or not; later pivot filters and
    /// `order_by_pivot` may name these columns.
    pub fn pivot_columns<C, I>(mut self, columns: I) -> Self
    where
        T: ReadsPivot,
        C: ColumnName<T::Pivot>,
        I: IntoIterator<Item = C>,
    {
        for column in columns {
            let name = column.column_name();
            if self.pivot_column(name, true).is_some()
                && let Some(pivot) = &mut self.pivot
                && !pivot.columns.iter().any(|c| c == name)
            {
                pivot.columns.push(name.to_owned());
            }
        }
        self
    }

    /// Sorts by a pivot column.
    pub fn order_by_pivot<C>(self, column: C, order: Order) -> Self
    where
        T: ReadsPivot,
        C: ColumnName<T::Pivot>,
    {
        self.sort(Side::Pivot, column.column_name(), order)
    }
}
