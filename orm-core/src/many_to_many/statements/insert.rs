//! The inserts of pivot rows (attach, and the attached part of sync / toggle / save), which
//! leave out the keys the parent has already, with the dialect's linear anti-join.

use super::{EXISTING, KEYS, ROWS};
use crate::backend::Backend;
use crate::dialect::AbsentKeys;
use crate::pivot::{PivotData, PivotRow};
use crate::relation::many_to_many::{ManyToManyMeta, ManyToManyOn, ManyToManyRelation};
use crate::sql::{RowWriter, Sql};

/// `INSERT INTO pivot (fk, rfk[, data][, created_at, updated_at])`.
fn insert_head<DB: Backend>(sql: &mut Sql<DB>, meta: &ManyToManyMeta, data_columns: &[&str]) {
    sql.push("INSERT INTO ").ident(&meta.pivot_table).push(" (");
    sql.ident(&meta.pivot_foreign_key)
        .push(", ")
        .ident(&meta.pivot_related_foreign_key);
    for column in data_columns {
        sql.push(", ").ident(column);
    }
    for column in meta.created_at.iter().chain(&meta.updated_at) {
        sql.push(", ").ident(column);
    }
    sql.push(") SELECT ");
}

/// `, now, now` for the timestamps an insert sets.
fn insert_timestamps<DB: Backend>(sql: &mut Sql<DB>, meta: &ManyToManyMeta) {
    for _ in meta.created_at.iter().chain(&meta.updated_at) {
        sql.push(", ").push(DB::NOW);
    }
}

/// ` WHERE <the key is not among the parent's pivot rows> <skip duplicates> RETURNING rfk`:
/// attach never creates a duplicate, with or without a unique key, and reports exactly the rows
/// it inserted. Written as the dialect's linear anti-join ([`AbsentKeys`]; the uncorrelated one
/// in the distributed PostgreSQL flavor).
fn insert_tail<DB: Backend>(
    sql: &mut Sql<DB>,
    meta: &ManyToManyMeta,
    parent: &impl crate::value::Bind<DB>,
    source: &str,
    source_key: &str,
) {
    match DB::absent_keys() {
        AbsentKeys::NotExists => {
            sql.push(" WHERE NOT EXISTS (SELECT 1");
            parents_rows(sql, meta, parent);
            sql.push(" AND ")
                .qualified(EXISTING, &meta.pivot_related_foreign_key)
                .push(" = ")
                .qualified(source, source_key);
        }
        AbsentKeys::NotIn => {
            sql.push(" WHERE ")
                .qualified(source, source_key)
                .push(" NOT IN (SELECT ")
                .qualified(EXISTING, &meta.pivot_related_foreign_key);
            parents_rows(sql, meta, parent);
            sql.push(" AND ")
                .qualified(EXISTING, &meta.pivot_related_foreign_key)
                .push(" IS NOT NULL");
        }
    }
    sql.push(")");
    sql.skip_duplicates(&meta.pivot_table, &meta.pivot_foreign_key);
    sql.push(" RETURNING ")
        .ident(&meta.pivot_related_foreign_key);
}

/// ` FROM pivot AS existing WHERE existing.fk = ?`: the parent's pivot rows, in an insert's
/// anti-join.
fn parents_rows<DB: Backend>(
    sql: &mut Sql<DB>,
    meta: &ManyToManyMeta,
    parent: &impl crate::value::Bind<DB>,
) {
    super::pivot_rows_of(sql, meta, EXISTING, parent);
}

/// Inserts pivot rows for `keys` (no pivot data) with one parameter for the whole list.
pub(crate) fn insert_keys<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    keys: &[R::RelatedKey],
) -> Sql<DB> {
    let meta = R::meta();
    let mut sql = Sql::new();
    insert_head(&mut sql, meta, &[]);
    sql.bind(parent).push(", ").qualified(KEYS, "value");
    insert_timestamps(&mut sql, meta);
    sql.push(" FROM ");
    sql.key_table(keys, KEYS);
    insert_tail(&mut sql, meta, parent, KEYS, "value");
    sql
}

/// How many rows with pivot data fit in one insert.
pub(crate) fn rows_per_insert<R: ManyToManyRelation, DB: Backend>() -> usize {
    ((DB::BIND_LIMIT - 2) / (1 + R::Pivot::COLUMNS.len())).max(1)
}

/// Inserts pivot rows for `rows` with their pivot data (one chunk).
pub(crate) fn insert_rows<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    rows: &[(R::RelatedKey, R::Pivot)],
) -> Sql<DB> {
    let meta = R::meta();
    let mut sql = Sql::new();
    // The table of rows carries every data column; the insert takes those it writes.
    let written: Vec<&str> = super::written_columns::<R>()
        .into_iter()
        .map(|(_, column)| column)
        .collect();
    insert_head(&mut sql, meta, &written);
    sql.bind(parent)
        .push(", ")
        .qualified(ROWS, &meta.pivot_related_foreign_key);
    for column in &written {
        sql.push(", ").qualified(ROWS, column);
    }
    insert_timestamps(&mut sql, meta);
    sql.push(" FROM ");
    let mut columns: Vec<&str> = vec![meta.pivot_related_foreign_key.as_str()];
    columns.extend(R::Pivot::COLUMNS);
    sql.values_table(
        &columns,
        rows,
        ROWS,
        &mut |row: &mut RowWriter<'_, DB>, (key, data)| {
            row.key(key);
            data.write(row);
        },
    );
    insert_tail(
        &mut sql,
        meta,
        parent,
        ROWS,
        &meta.pivot_related_foreign_key,
    );
    sql
}
