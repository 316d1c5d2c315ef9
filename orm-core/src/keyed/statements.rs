//! The SQL of a relation found by key: the related rows of a set of parents, of one parent, or
//! of the parent row of an outer statement.

use crate::backend::Backend;
use crate::model::ModelSchema;
use crate::query::{Query, Shape, Table};
use crate::relation::KeyedRelation;
use crate::sql::Sql;

/// Which parents' rows a statement reads.
pub(crate) enum Scope<'a, K> {
    /// Many parents: `related.column IN <one-parameter list>`.
    Keys(&'a [K]),
    /// The parent row of an outer query: `related.column = "outer"."parent_column"`.
    Correlated(&'a str),
}

/// Appends ` FROM related AS r WHERE [(filters) AND] <scope>`.
pub(crate) fn write_body<R: KeyedRelation, DB: Backend>(
    sql: &mut Sql<DB>,
    query: &Query<R::Related, DB, Table>,
    scope: &Scope<'_, R::Key>,
) where
    R::Key: crate::value::Column<DB>,
{
    let meta = R::meta();
    let alias = query.alias.as_ref();
    sql.push(" FROM ")
        .ident(meta.related_table)
        .push(" AS ")
        .ident(alias);
    sql.push(" WHERE ");
    if !query.filter.is_empty() {
        query.filter.write(sql);
        sql.push(" AND ");
    }
    match scope {
        Scope::Keys(keys) => {
            sql.in_keys(Some(alias), meta.related_column, keys, false);
        }
        Scope::Correlated(outer) => {
            sql.qualified(alias, meta.related_column)
                .push(" = ")
                .qualified(outer, meta.parent_column);
        }
    }
}

/// `SELECT <related columns> ... ORDER BY ...`, with `limit` / `offset` per parent.
pub(crate) fn select<R: KeyedRelation, DB: Backend>(
    query: &Query<R::Related, DB, Table>,
    keys: &[R::Key],
) -> Sql<DB>
where
    R::Key: crate::value::Column<DB>,
{
    let meta = R::meta();
    let alias = query.alias.to_string();
    let columns: Vec<(String, String)> = <R::Related as ModelSchema>::META
        .columns
        .iter()
        .map(|c| (alias.clone(), (*c).to_owned()))
        .collect();
    let scope = Scope::Keys(keys);
    // A has_one keeps its parent's first row: without an order of the closure's, the first by
    // primary key, as `fetch` reads it.
    let first_by_key = meta.kind == "has_one";
    let shape = Shape {
        order: &query.order,
        parent: (&alias, meta.related_column),
        default_order: (&alias, <R::Related as ModelSchema>::META.primary_key),
        per_parent: true,
        always_ordered: first_by_key,
        parent_first: false,
    };
    query.select_related(&columns, shape, |sql| {
        write_body::<R, DB>(sql, query, &scope)
    })
}
