//! What a query through a many-to-many relation reads ([`Through`] the pivot, or the
//! [`PivotRows`] alone), and the pivot filters only such a query has: `where_pivot` and its
//! family, `pivot_columns`, `order_by_pivot`. On a plain `Model::query()` they do not compile.

use crate::backend::Backend;
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
pub trait ReadsPivot: Clone + Sealed {}

impl<R: ManyToManyRelation> Sealed for Through<R> {}
impl<R: ManyToManyRelation> ReadsModel for Through<R> {}
impl<R: ManyToManyRelation> ReadsPivot for Through<R> {}
impl<R: ManyToManyRelation> Sealed for PivotRows<R> {}
impl<R: ManyToManyRelation> ReadsPivot for PivotRows<R> {}

impl<M: ModelSchema, DB: Backend, T: ReadsPivot> Query<M, DB, T> {
    /// `pivot.column = value`.
    pub fn where_pivot<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
        self.compare(Conjunction::And, Side::Pivot, column, Op::Eq, value, false)
    }

    /// `pivot.column <op> value`.
    pub fn where_pivot_op<V: Bind<DB> + 'static>(self, column: &str, op: Op, value: V) -> Self {
        self.compare(Conjunction::And, Side::Pivot, column, op, value, false)
    }

    /// `... OR pivot.column = value` (still inside the parent's scope).
    pub fn or_where_pivot<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
        self.compare(Conjunction::Or, Side::Pivot, column, Op::Eq, value, false)
    }

    /// `NOT pivot.column = value`.
    pub fn where_not_pivot<V: Bind<DB> + 'static>(self, column: &str, value: V) -> Self {
        self.compare(Conjunction::And, Side::Pivot, column, Op::Eq, value, true)
    }

    /// `pivot.column IN (values)`.
    pub fn where_in_pivot<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.in_list(Conjunction::And, Side::Pivot, column, values, false)
    }

    /// `pivot.column NOT IN (values)`.
    pub fn where_not_in_pivot<V: Bind<DB> + 'static, I: IntoIterator<Item = V>>(
        self,
        column: &str,
        values: I,
    ) -> Self {
        self.in_list(Conjunction::And, Side::Pivot, column, values, true)
    }

    /// `pivot.column IS NULL`.
    pub fn where_null_pivot(self, column: &str) -> Self {
        self.null(Conjunction::And, Side::Pivot, column, false)
    }

    /// `pivot.column IS NOT NULL`.
    pub fn where_not_null_pivot(self, column: &str) -> Self {
        self.null(Conjunction::And, Side::Pivot, column, true)
    }

    /// Reads these pivot columns too, into each row's extras as `pivot_<column>`. Any plain
    /// identifier is accepted, declared by the pivot data or not; later pivot filters and
    /// `order_by_pivot` may name these columns.
    pub fn pivot_columns<'c, I: IntoIterator<Item = &'c str>>(mut self, columns: I) -> Self {
        for name in columns {
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
    pub fn order_by_pivot(self, column: &str, order: Order) -> Self {
        self.sort(Side::Pivot, column, order)
    }
}
