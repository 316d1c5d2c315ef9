//! The statement of one relation level: the related rows of a set of parents (a preload) or of
//! one parent, ordered, and limited per parent with a window when asked. Shared by every
//! relation kind.

use super::{ColumnRef, Order, Query};
use crate::backend::Backend;
use crate::model::ModelSchema;
use crate::sql::Sql;

/// How a relation level's statement is ordered and limited around its columns and body.
pub(crate) struct Shape<'a> {
    /// The order to write: the query's own, or the relation kind's equivalent of it.
    pub(crate) order: &'a [(ColumnRef, Order)],
    /// The column naming each row's parent (table alias, column).
    pub(crate) parent: (&'a str, &'a str),
    /// The order used when `order` is empty: by the window, and by the statement with
    /// `always_ordered`.
    pub(crate) default_order: (&'a str, &'a str),
    /// Limit and offset apply to each parent's rows (a `ROW_NUMBER()` window partitioned by
    /// `parent`), not to the whole result.
    pub(crate) per_parent: bool,
    /// Without a window, sort by `default_order` when `order` is empty.
    pub(crate) always_ordered: bool,
    /// Without a window, a non-empty `order` follows `parent` ascending. Each parent's rows keep
    /// `order` (the caller groups rows by parent in arrival order), and an index that starts
    /// with the parent column can deliver the whole order without a sort.
    pub(crate) parent_first: bool,
}

/// Appends ` ORDER BY <terms>`; nothing when there are none.
pub(crate) fn write_order_terms<DB: Backend>(sql: &mut Sql<DB>, terms: &[(ColumnRef, Order)]) {
    if !terms.is_empty() {
        sql.push(" ORDER BY ");
        write_terms(sql, terms);
    }
}

/// Appends `column direction, ...`.
fn write_terms<DB: Backend>(sql: &mut Sql<DB>, terms: &[(ColumnRef, Order)]) {
    sql.list(terms, |sql, (column, order)| {
        column.write(sql);
        sql.push(" ").push(order.as_sql());
    });
}

impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    /// `SELECT <columns> <body> ORDER BY ... [LIMIT ...]` for the rows of a relation level,
    /// shaped by `shape` (see [`Shape`]).
    pub(crate) fn select_related(
        &self,
        columns: &[(String, String)],
        shape: Shape<'_>,
        body: impl Fn(&mut Sql<DB>),
    ) -> Sql<DB> {
        let mut sql = Sql::new();
        let (limit, offset) = (self.limit, self.offset);
        let (parent, default_order) = (shape.parent, shape.default_order);
        if shape.per_parent && (limit.is_some() || offset.is_some()) {
            sql.push("SELECT * FROM (SELECT ");
            for (i, (table, column)) in columns.iter().enumerate() {
                sql.qualified(table, column)
                    .push(" AS ")
                    .ident(&format!("orm_c{i}"))
                    .push(", ");
            }
            sql.push("ROW_NUMBER() OVER (PARTITION BY ")
                .qualified(parent.0, parent.1);
            if shape.order.is_empty() {
                sql.push(" ORDER BY ")
                    .qualified(default_order.0, default_order.1);
            } else {
                write_order_terms(&mut sql, shape.order);
            }
            sql.push(") AS ").ident("orm_row");
            body(&mut sql);
            sql.push(") AS ").ident("orm_window").push(" WHERE ");
            let first = offset.unwrap_or(0);
            sql.ident("orm_row").push(" > ");
            sql.bind_i64(i64::try_from(first).unwrap_or(i64::MAX));
            if let Some(limit) = limit {
                let last = first.saturating_add(limit);
                sql.push(" AND ").ident("orm_row").push(" <= ");
                sql.bind_i64(i64::try_from(last).unwrap_or(i64::MAX));
            }
            sql.push(" ORDER BY ").ident("orm_row");
            return sql;
        }
        sql.push("SELECT ");
        sql.list(columns, |sql, (table, column)| {
            sql.qualified(table, column);
        });
        body(&mut sql);
        if shape.order.is_empty() {
            if shape.always_ordered {
                sql.push(" ORDER BY ")
                    .qualified(default_order.0, default_order.1);
            }
        } else if shape.parent_first {
            sql.push(" ORDER BY ")
                .qualified(parent.0, parent.1)
                .push(" ASC, ");
            write_terms(&mut sql, shape.order);
        } else {
            write_order_terms(&mut sql, shape.order);
        }
        sql.limit_offset(limit, offset);
        sql
    }
}
