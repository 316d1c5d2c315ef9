//! Pivot filters on a query that reads through a many-to-many relation: `where_pivot` and its
//! family, `pivot_columns`, `order_by_pivot`. When the relation's `PivotData` declares columns,
//! a filter may name those, the two pivot keys, the pivot timestamps and the columns named in
//! `pivot_columns`; anything else is [`Error::UnknownPivotColumn`]. With `()` pivot data, and in
//! `pivot_columns`, any plain identifier is accepted. Names are always quoted.

use std::borrow::Cow;

use super::{ColumnRef, Conjunction, Op, Order, Query, Side};
use crate::backend::Backend;
use crate::error::Error;
use crate::model::ModelSchema;
use crate::pivot::PivotData;
use crate::relation::many_to_many::{ManyToManyMeta, ManyToManyRelation};
use crate::value::Bind;

/// The pivot columns a relation knows of when its pivot data declares columns: the declared
/// ones, the two keys and the timestamps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeclaredPivotColumns {
    data: &'static [&'static str],
    meta: &'static ManyToManyMeta,
}

impl DeclaredPivotColumns {
    /// The known columns of a relation whose pivot data is `P`; `None` when `P` declares no
    /// columns (`()`), where any plain identifier is accepted.
    pub(crate) fn of<P: PivotData>(meta: &'static ManyToManyMeta) -> Option<Self> {
        (!P::COLUMNS.is_empty()).then_some(DeclaredPivotColumns {
            data: P::COLUMNS,
            meta,
        })
    }

    /// Every known column, in a stable order: data, keys, timestamps.
    fn names(&self) -> impl Iterator<Item = &'static str> {
        let meta = self.meta;
        self.data
            .iter()
            .copied()
            .chain([
                meta.pivot_foreign_key.as_str(),
                meta.pivot_related_foreign_key.as_str(),
            ])
            .chain(meta.created_at.as_deref())
            .chain(meta.updated_at.as_deref())
    }
}

/// Whether `name` is a plain SQL identifier.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
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

/// What a query reads when it has the model's columns: [`Table`](super::Table) or
/// [`Through`] a pivot. Sealed.
pub trait ReadsModel: Clone + Sealed {}
/// What a query reads when it has pivot columns: [`Through`] or [`PivotRows`]. Sealed.
pub trait ReadsPivot: Clone + Sealed {}

mod sealed {
    pub trait Sealed {}
}
use sealed::Sealed;

impl Sealed for super::Table {}
impl ReadsModel for super::Table {}
impl<R: ManyToManyRelation> Sealed for Through<R> {}
impl<R: ManyToManyRelation> ReadsModel for Through<R> {}
impl<R: ManyToManyRelation> ReadsPivot for Through<R> {}
impl<R: ManyToManyRelation> Sealed for PivotRows<R> {}
impl<R: ManyToManyRelation> ReadsPivot for PivotRows<R> {}

impl<M: ModelSchema, DB: Backend, T> Query<M, DB, T> {
    /// The pivot column `name`, or an error kept for the terminal method. With `any_identifier`
    /// (`pivot_columns`), any plain identifier is accepted; otherwise a relation whose pivot data
    /// declares columns accepts only its known ones (see the module documentation).
    pub(super) fn pivot_column(&mut self, name: &str, any_identifier: bool) -> Option<ColumnRef> {
        let Some(pivot) = &self.pivot else {
            self.error.get_or_insert(Error::NotThroughPivot {
                model: M::META.name,
                column: name.to_owned(),
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
        if !any_identifier
            && let Some(declared) = pivot.declared
            && !declared.names().any(|c| c == name)
            && !pivot.columns.iter().any(|c| c == name)
        {
            let mut known: Vec<&str> = Vec::new();
            for column in declared.names() {
                if !known.contains(&column) {
                    known.push(column);
                }
            }
            for column in &pivot.columns {
                if !known.contains(&column.as_str()) {
                    known.push(column);
                }
            }
            self.error.get_or_insert(Error::UnknownPivotColumn {
                relation: pivot.relation.clone(),
                column: name.to_owned(),
                known: known.join(", "),
            });
            return None;
        }
        Some(ColumnRef {
            table: Cow::Owned(pivot.alias.clone()),
            column: Cow::Owned(name.to_owned()),
        })
    }
}

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
