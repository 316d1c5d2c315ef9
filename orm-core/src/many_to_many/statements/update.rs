//! The update of changed pivot data (sync_with, toggle, update_pivot, save): one statement per
//! chunk, joined with a table of the rows.

use super::ROWS;
use crate::backend::Backend;
use crate::dialect::UpdateFrom;
use crate::pivot::{PivotData, PivotRow};
use crate::relation::many_to_many::{ManyToManyOn, ManyToManyRelation};
use crate::sql::{RowWriter, Sql};

/// How many rows one batched update may carry.
pub(crate) fn rows_per_update<R: ManyToManyRelation, DB: Backend>() -> usize {
    ((DB::BIND_LIMIT - 2) / (1 + R::Pivot::COLUMNS.len())).max(1)
}

/// Updates the pivot data of `rows` in one statement, joined with a table of the rows (each
/// pivot row finds its new data by one lookup, linear in the number of rows):
/// `UPDATE pivot SET c = rows.c, ..., updated_at = now FROM <rows> WHERE fk = ? AND rfk =
/// rows.rfk` (PostgreSQL, SQLite), `UPDATE pivot JOIN <rows> ON ... SET ... WHERE fk = ?`
/// (MariaDB).
pub(crate) fn update_rows<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    rows: &[(&R::RelatedKey, &R::Pivot)],
) -> Sql<DB> {
    let meta = R::meta();
    let table = meta.pivot_table.as_str();
    let rfk = meta.pivot_related_foreign_key.as_str();
    let mut columns: Vec<&str> = vec![rfk];
    columns.extend(R::Pivot::COLUMNS);
    let mut write_row = |row: &mut RowWriter<'_, DB>, (key, data): &(&R::RelatedKey, &R::Pivot)| {
        row.key(*key);
        data.write(row);
    };
    let mut sql = Sql::new();
    sql.push("UPDATE ").ident(table);
    let qualify_target = DB::UPDATE_FROM == UpdateFrom::Join;
    if qualify_target {
        sql.push(" JOIN ");
        sql.values_table(&columns, rows, ROWS, &mut write_row);
        sql.push(" ON ")
            .qualified(table, rfk)
            .push(" = ")
            .qualified(ROWS, rfk);
    }
    sql.push(" SET ");
    let mut first = true;
    for (_, column) in super::written_columns::<R>() {
        if !first {
            sql.push(", ");
        }
        first = false;
        if qualify_target {
            sql.qualified(table, column);
        } else {
            sql.ident(column);
        }
        sql.push(" = ").qualified(ROWS, column);
    }
    if let Some(updated_at) = &meta.updated_at {
        if !first {
            sql.push(", ");
        }
        if qualify_target {
            sql.qualified(table, updated_at);
        } else {
            sql.ident(updated_at);
        }
        sql.push(" = ").push(DB::NOW);
    } else if first {
        // Pivot data of timestamp columns alone, and no `updated_at`: nothing to write, but
        // the statement needs an assignment.
        if qualify_target {
            sql.qualified(table, rfk);
        } else {
            sql.ident(rfk);
        }
        sql.push(" = ").qualified(ROWS, rfk);
    }
    if !qualify_target {
        sql.push(" FROM ");
        sql.values_table(&columns, rows, ROWS, &mut write_row);
    }
    sql.push(" WHERE ")
        .qualified(table, &meta.pivot_foreign_key)
        .push(" = ")
        .bind(parent);
    if !qualify_target {
        sql.push(" AND ")
            .qualified(table, rfk)
            .push(" = ")
            .qualified(ROWS, rfk);
    }
    sql
}
