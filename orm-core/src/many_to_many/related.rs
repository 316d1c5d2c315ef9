//! Reading related rows through the pivot table: the SQL shared by the related query, preload,
//! `with_count` and `where_has`, and the decoding of `Pivoted` rows with their extras.

use crate::backend::Backend;
use crate::error::Result;
use crate::execute::raw::RawRow;
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use std::borrow::Cow;
use std::sync::Arc;

use super::through::{Through, declared_pivot_columns};
use crate::extras::{ExtraNames, Extras, SharedExtras};
use crate::model::{ModelRow, ModelSchema};
use crate::pivot::{PivotData, PivotRow, Pivoted};
use crate::query::{ColumnRef, Order, PivotScope, Query, Shape, relation_alias};
use crate::sql::Sql;
use crate::value::Key;

/// Which parents' rows a statement reads.
pub(crate) enum Scope<'a, K> {
    /// One parent: `pivot.fk = ?`.
    Key(&'a K),
    /// Many parents: `pivot.fk IN <one-parameter list>`.
    Keys(&'a [K]),
    /// The parent row of an outer query: `pivot.fk = "outer"."local_key"`.
    Correlated(&'a str),
}

impl<K> Clone for Scope<'_, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for Scope<'_, K> {}

/// A query on the related model of `R`, read through its pivot table, `depth` relation levels
/// below the outer statement, with the relation's aliases: `orm_<relation>` for the related
/// table and `orm_<relation>_pivot` for the pivot (suffixed with the depth below the first).
pub(crate) fn related_query<R: ManyToManyRelation, DB: Backend>(
    parent: Option<R::LocalKey>,
    depth: usize,
) -> Query<R::Related, DB, Through<R>> {
    let meta = R::meta();
    Query::reading(
        relation_alias(meta.relation, depth, "").into(),
        Some(PivotScope {
            alias: relation_alias(meta.relation, depth, "_pivot"),
            relation: format!("{}.{}", meta.parent, meta.relation),
            columns: Vec::new(),
            declared: declared_pivot_columns::<R::Pivot>(meta),
        }),
        Through { parent },
    )
    .at_depth(depth)
}

fn pivot_alias<M: ModelSchema, DB: Backend, T>(query: &Query<M, DB, T>) -> &str {
    query
        .pivot
        .as_ref()
        .map_or("orm_pivot", |p| p.alias.as_str())
}

/// Appends ` FROM related AS r JOIN pivot AS p ON r.rk = p.rfk WHERE [(filters) AND] <scope>`.
pub(crate) fn write_body<R: ManyToManyOn<DB>, DB: Backend>(
    sql: &mut Sql<DB>,
    query: &Query<R::Related, DB, Through<R>>,
    scope: Scope<'_, R::LocalKey>,
) {
    let meta = R::meta();
    let related = query.alias.as_ref();
    let pivot = pivot_alias(query);
    sql.push(" FROM ")
        .ident(meta.related_table)
        .push(" AS ")
        .ident(related);
    sql.push(" JOIN ")
        .ident(&meta.pivot_table)
        .push(" AS ")
        .ident(pivot);
    sql.push(" ON ")
        .qualified(related, &meta.related_key)
        .push(" = ")
        .qualified(pivot, &meta.pivot_related_foreign_key);
    sql.push(" WHERE ");
    if !query.filter.is_empty() {
        query.filter.write(sql);
        sql.push(" AND ");
    }
    let mut foreign_key = String::new();
    DB::quote_ident(&mut foreign_key, pivot);
    foreign_key.push('.');
    DB::quote_ident(&mut foreign_key, &meta.pivot_foreign_key);
    match scope {
        Scope::Key(key) => {
            sql.push(&foreign_key).push(" = ").bind_debug(key);
        }
        Scope::Keys(keys) => {
            sql.in_keys(Some(pivot), &meta.pivot_foreign_key, keys, false);
        }
        Scope::Correlated(outer) => {
            sql.push(&foreign_key)
                .push(" = ")
                .qualified(outer, &meta.local_key);
        }
    }
}

/// The columns a related row is read with, in decode order: the related model's columns, the
/// pivot's foreign key (its parent), the pivot data, the runtime pivot columns.
fn select_list<R: ManyToManyOn<DB>, DB: Backend>(
    query: &Query<R::Related, DB, Through<R>>,
) -> Vec<(String, String)> {
    let meta = R::meta();
    let related = query.alias.to_string();
    let pivot = pivot_alias(query).to_owned();
    let mut columns: Vec<(String, String)> = <R::Related as ModelSchema>::META
        .columns
        .iter()
        .map(|c| (related.clone(), (*c).to_owned()))
        .collect();
    columns.push((pivot.clone(), meta.pivot_foreign_key.clone()));
    columns.extend(
        R::Pivot::COLUMNS
            .iter()
            .map(|c| (pivot.clone(), (*c).to_owned())),
    );
    if let Some(scope) = &query.pivot {
        columns.extend(scope.columns.iter().map(|c| (pivot.clone(), c.clone())));
    }
    columns
}

/// `SELECT <related row> ... WHERE ... ORDER BY ... [LIMIT ...]`. With `per_parent`, limit and
/// offset apply to each parent's rows (a `ROW_NUMBER()` window), not to the whole result.
///
/// Where the dialect asks for it (`Dialect::PIVOT_INDEX_ORDER`, SQLite), the query's order is
/// written so that the pivot's index on (foreign key, related foreign key) can deliver it: an
/// order on an integer related key names the pivot's related foreign key instead (see
/// [`order_terms`]), and for several parents the pivot's foreign key comes first. So
/// `order_by(id)` reads `ORDER BY pivot.fk, pivot.rfk`, the index's own order, where
/// `ORDER BY related.id` makes SQLite sort every row.
pub(crate) fn select<R: ManyToManyOn<DB>, DB: Backend>(
    query: &Query<R::Related, DB, Through<R>>,
    scope: Scope<'_, R::LocalKey>,
    per_parent: bool,
) -> Sql<DB> {
    let meta = R::meta();
    let columns = select_list::<R, DB>(query);
    let order = order_terms::<R, DB>(query);
    let shape = Shape {
        order: &order,
        parent: (pivot_alias(query), &meta.pivot_foreign_key),
        default_order: (&query.alias, &meta.related_key),
        per_parent,
        always_ordered: false,
        parent_first: DB::PIVOT_INDEX_ORDER && matches!(scope, Scope::Keys(_)),
    };
    query.select_related(&columns, shape, |sql| {
        write_body::<R, DB>(sql, query, scope)
    })
}

/// The query's order, with each term on the related key moved to the pivot's related foreign
/// key (where the dialect asks for it). Both hold the same value in every row the statement
/// reads (the join's condition), and integers sort alike in any integer column (the pivot's
/// copy is one: attach and sync read it back as the key type), so each parent's order is
/// unchanged; a text key keeps its term, since each column sorts text by its own collation.
fn order_terms<R: ManyToManyOn<DB>, DB: Backend>(
    query: &Query<R::Related, DB, Through<R>>,
) -> Cow<'_, [(ColumnRef, Order)]> {
    let meta = R::meta();
    let on_related_key = |column: &ColumnRef| {
        column.table == query.alias && column.column == meta.related_key.as_str()
    };
    if !DB::PIVOT_INDEX_ORDER
        || !<R::RelatedKey as Key>::SORTS_ALIKE_IN_ANY_COLUMN
        || !query.order.iter().any(|(column, _)| on_related_key(column))
    {
        return Cow::Borrowed(&query.order);
    }
    let pivot = ColumnRef {
        table: Cow::Owned(pivot_alias(query).to_owned()),
        column: Cow::Owned(meta.pivot_related_foreign_key.clone()),
    };
    Cow::Owned(
        query
            .order
            .iter()
            .map(|(column, order)| {
                let column = if on_related_key(column) {
                    &pivot
                } else {
                    column
                };
                (column.clone(), *order)
            })
            .collect(),
    )
}

/// Whether a row of the relation decodes on SQLite's raw path ([`decode_raw`]).
pub(crate) fn raw_readable<R: ManyToManyOn<DB>, DB: Backend>() -> bool {
    <R::Related as ModelRow<DB>>::raw_readable() && <R::Pivot as PivotRow<DB>>::raw_readable()
}

/// [`decode`] from a row of SQLite's raw path.
pub(crate) fn decode_raw<R: ManyToManyOn<DB>, DB: Backend>(
    row: &RawRow<'_>,
    shared: Option<&Arc<SharedExtras>>,
    runtime_columns: usize,
) -> Result<Pivoted<R::Related, R::Pivot>> {
    let n = <R::Related as ModelSchema>::META.columns.len();
    let model = <R::Related as ModelRow<DB>>::decode_raw(row, 0)?;
    let data = <R::Pivot as PivotRow<DB>>::decode_raw(row, n + 1)?;
    let first = n + 1 + R::Pivot::COLUMNS.len();
    let rest = (0..runtime_columns).map(|i| row.extra(first + i)).collect();
    Ok(pivoted::<R, DB>(model, data, rest, shared))
}

/// The names of the extras a statement of `query` reads: `pivot_<fk>`, `pivot_<rfk>`, and
/// `pivot_<column>` for each runtime pivot column. Built once per statement, shared by its rows.
pub(crate) fn extra_names<R: ManyToManyOn<DB>, DB: Backend>(
    query: &Query<R::Related, DB, Through<R>>,
) -> ExtraNames {
    let meta = R::meta();
    match &query.pivot {
        Some(scope) if !scope.columns.is_empty() => {
            let mut names = meta.key_extra_names.clone();
            names.extend(scope.columns.iter().map(|c| format!("pivot_{c}")));
            ExtraNames::Shared(names.into())
        }
        _ => ExtraNames::Static(&meta.key_extra_names),
    }
}

/// Decodes one related row as a `Pivoted` model with its pivot data and extras; `shared` holds
/// the extras' names and the row's parent key (`None`: given later, with [`Extras::share`]).
pub(crate) fn decode<R: ManyToManyOn<DB>, DB: Backend>(
    row: &DB::Row,
    shared: Option<&Arc<SharedExtras>>,
    runtime_columns: usize,
) -> Result<Pivoted<R::Related, R::Pivot>> {
    let n = <R::Related as ModelSchema>::META.columns.len();
    let model = <R::Related as ModelRow<DB>>::decode(row, 0)?;
    let data = <R::Pivot as PivotRow<DB>>::decode(row, n + 1)?;
    let first = n + 1 + R::Pivot::COLUMNS.len();
    let rest = (0..runtime_columns)
        .map(|i| DB::get_extra(row, first + i))
        .collect();
    Ok(pivoted::<R, DB>(model, data, rest, shared))
}

/// A decoded related row with its pivot data and extras: `rest` are the runtime pivot columns'.
fn pivoted<R: ManyToManyOn<DB>, DB: Backend>(
    model: R::Related,
    data: R::Pivot,
    rest: Vec<crate::value::ExtraValue>,
    shared: Option<&Arc<SharedExtras>>,
) -> Pivoted<R::Related, R::Pivot> {
    // The pivot's related key equals the related model's key (the join condition), so it is
    // taken from the model instead of being selected and decoded again.
    let related = R::related_key(&model).to_extra();
    let mut extras = Extras::unshared(related, rest);
    if let Some(shared) = shared {
        extras.share(shared);
    }
    Pivoted::with_extras(model, data, extras)
}
