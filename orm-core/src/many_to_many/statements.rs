//! The SQL of pivot writes and reads, built once per call from the relation's metadata.
//! Every statement is scoped to one parent key.

use crate::backend::Backend;
use crate::dialect::{AbsentKeys, RowLock, UpdateFrom};
use crate::pivot::{PivotData, PivotRow};
use crate::relation::many_to_many::{ManyToManyMeta, ManyToManyOn, ManyToManyRelation};
use crate::sql::{RowWriter, Sql};

const EXISTING: &str = "orm_existing";
const KEYS: &str = "orm_keys";
const ROWS: &str = "orm_rows";
const PARENT: &str = "orm_parent";
const PIVOT: &str = "orm_pivot";
const DELETED: &str = "orm_deleted";

/// The parent's pivot rows: `rfk[, data columns]`, read through the parent's row, which is
/// locked for the rest of the transaction so that concurrent syncs of one parent take turns:
/// `SELECT p.rfk, ... FROM parents LEFT JOIN pivot p ON p.fk = parents.key [AND p.rfk IN keys]
///  WHERE parents.key = ? FOR UPDATE`. A parent without pivot rows yields one row of NULLs.
pub(crate) fn select_existing<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    with_data: bool,
    only: Option<&[R::RelatedKey]>,
) -> Sql<DB> {
    let meta = R::meta();
    let parents = <R::Parent as crate::model::ModelSchema>::META.table;
    let mut sql = Sql::new();
    if DB::ROW_LOCK == RowLock::Cte {
        // The parent row locked once, in a CTE: a lock on the joined result would be taken
        // again for every pivot row (measured: 5 ms for 1,000 rows on PostgreSQL).
        sql.push("WITH ")
            .ident(PARENT)
            .push(" AS (SELECT ")
            .ident(&meta.local_key);
        sql.push(" FROM ")
            .ident(parents)
            .push(" WHERE ")
            .ident(&meta.local_key)
            .push(" = ")
            .bind(parent);
        // NO KEY UPDATE: it does not wait for the key-share locks that pivot inserts take on
        // the parent through their foreign key (`FOR UPDATE` did, and deadlocked with attach).
        sql.push(" FOR NO KEY UPDATE) ");
    }
    sql.push("SELECT ")
        .qualified(PIVOT, &meta.pivot_related_foreign_key);
    if with_data {
        for column in R::Pivot::COLUMNS {
            sql.push(", ").qualified(PIVOT, column);
        }
    }
    if DB::ROW_LOCK == RowLock::Cte {
        sql.push(" FROM ").ident(PARENT);
    } else {
        sql.push(" FROM ").ident(parents).push(" AS ").ident(PARENT);
    }
    sql.push(" LEFT JOIN ")
        .ident(&meta.pivot_table)
        .push(" AS ")
        .ident(PIVOT);
    sql.push(" ON ")
        .qualified(PIVOT, &meta.pivot_foreign_key)
        .push(" = ")
        .qualified(PARENT, &meta.local_key);
    if let Some(keys) = only {
        sql.push(" AND ");
        sql.in_keys(Some(PIVOT), &meta.pivot_related_foreign_key, keys, false);
    }
    if DB::ROW_LOCK != RowLock::Cte {
        sql.push(" WHERE ")
            .qualified(PARENT, &meta.local_key)
            .push(" = ")
            .bind(parent);
    }
    if DB::ROW_LOCK == RowLock::Join {
        sql.push(" FOR UPDATE");
    }
    sql
}

/// Locks the parent's row until the transaction ends, so that writers of one parent take turns:
/// `SELECT key FROM parents WHERE key = ? FOR NO KEY UPDATE` on PostgreSQL (which, unlike
/// `FOR UPDATE`, does not wait for the key-share locks of pivot inserts referencing the parent),
/// `FOR UPDATE` on MySQL. `None` where write transactions are serial already (SQLite).
pub(crate) fn lock_parent<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
) -> Option<Sql<DB>> {
    let lock = match DB::ROW_LOCK {
        RowLock::None => return None,
        RowLock::Cte => " FOR NO KEY UPDATE",
        RowLock::Join => " FOR UPDATE",
    };
    let meta = R::meta();
    let mut sql = Sql::new();
    sql.push("SELECT ")
        .ident(&meta.local_key)
        .push(" FROM ")
        .ident(<R::Parent as crate::model::ModelSchema>::META.table);
    sql.push(" WHERE ")
        .ident(&meta.local_key)
        .push(" = ")
        .bind(parent)
        .push(lock);
    Some(sql)
}

/// `DELETE FROM pivot WHERE fk = ? [AND rfk IN keys]`.
pub(crate) fn delete<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    only: Option<&[R::RelatedKey]>,
) -> Sql<DB> {
    let meta = R::meta();
    let mut sql = Sql::new();
    sql.delete_where(
        &meta.pivot_table,
        only.map(|keys| (meta.pivot_related_foreign_key.as_str(), keys)),
    );
    sql.qualified(&meta.pivot_table, &meta.pivot_foreign_key)
        .push(" = ")
        .bind(parent);
    sql
}

/// Where a locked read may have returned an old snapshot (PostgreSQL), the parent's rows read
/// again by a new statement, which also deletes the unwanted ones (a data-modifying CTE):
/// `WITH d AS (DELETE ... WHERE fk = ? AND NOT (rfk = ANY(wanted)) RETURNING rfk)
///  SELECT rfk, 1, NULL... FROM d UNION ALL SELECT rfk, 0, data... FROM pivot WHERE fk = ? AND
///  rfk = ANY(wanted)`. Column 1 tells deleted (1) from present (0) rows.
pub(crate) fn refresh<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    wanted: &[R::RelatedKey],
    detaching: bool,
    with_data: bool,
) -> Sql<DB> {
    let meta = R::meta();
    let data_columns: &[&str] = if with_data { R::Pivot::COLUMNS } else { &[] };
    let mut sql = Sql::new();
    if detaching {
        sql.push("WITH ")
            .ident(DELETED)
            .push(" AS (DELETE FROM ")
            .ident(&meta.pivot_table);
        sql.push(" WHERE ")
            .ident(&meta.pivot_foreign_key)
            .push(" = ")
            .bind(parent)
            .push(" AND ");
        sql.in_keys(None, &meta.pivot_related_foreign_key, wanted, true);
        sql.push(" RETURNING ")
            .ident(&meta.pivot_related_foreign_key)
            .push(") ");
        sql.push("SELECT ")
            .qualified(DELETED, &meta.pivot_related_foreign_key)
            .push(", CAST(1 AS BIGINT)");
        for _ in data_columns {
            sql.push(", NULL");
        }
        sql.push(" FROM ").ident(DELETED).push(" UNION ALL ");
    }
    sql.push("SELECT ")
        .qualified(&meta.pivot_table, &meta.pivot_related_foreign_key)
        .push(", CAST(0 AS BIGINT)");
    for column in data_columns {
        sql.push(", ").qualified(&meta.pivot_table, column);
    }
    sql.push(" FROM ").ident(&meta.pivot_table);
    sql.push(" WHERE ")
        .qualified(&meta.pivot_table, &meta.pivot_foreign_key)
        .push(" = ")
        .bind(parent)
        .push(" AND ");
    sql.in_keys(
        Some(&meta.pivot_table),
        &meta.pivot_related_foreign_key,
        wanted,
        false,
    );
    sql
}

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
/// it inserted. Written as the dialect's linear anti-join ([`AbsentKeys`]).
fn insert_tail<DB: Backend>(
    sql: &mut Sql<DB>,
    meta: &ManyToManyMeta,
    parent: &impl crate::value::Bind<DB>,
    source: &str,
    source_key: &str,
) {
    match DB::ABSENT_KEYS {
        AbsentKeys::NotExists => {
            sql.push(" WHERE NOT EXISTS (SELECT 1 FROM ")
                .ident(&meta.pivot_table)
                .push(" AS ")
                .ident(EXISTING);
            sql.push(" WHERE ")
                .qualified(EXISTING, &meta.pivot_foreign_key)
                .push(" = ")
                .bind(parent);
            sql.push(" AND ")
                .qualified(EXISTING, &meta.pivot_related_foreign_key)
                .push(" = ")
                .qualified(source, source_key);
            sql.push(")");
        }
        AbsentKeys::NotIn => {
            sql.push(" WHERE ")
                .qualified(source, source_key)
                .push(" NOT IN (SELECT ")
                .qualified(EXISTING, &meta.pivot_related_foreign_key);
            sql.push(" FROM ")
                .ident(&meta.pivot_table)
                .push(" AS ")
                .ident(EXISTING);
            sql.push(" WHERE ")
                .qualified(EXISTING, &meta.pivot_foreign_key)
                .push(" = ")
                .bind(parent);
            sql.push(" AND ")
                .qualified(EXISTING, &meta.pivot_related_foreign_key)
                .push(" IS NOT NULL)");
        }
    }
    sql.skip_duplicates(&meta.pivot_table, &meta.pivot_foreign_key);
    sql.push(" RETURNING ")
        .ident(&meta.pivot_related_foreign_key);
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
    insert_head(&mut sql, meta, R::Pivot::COLUMNS);
    sql.bind(parent)
        .push(", ")
        .qualified(ROWS, &meta.pivot_related_foreign_key);
    for column in R::Pivot::COLUMNS {
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
    for column in R::Pivot::COLUMNS {
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

/// `SELECT key FROM related WHERE key IN keys`: which of `keys` exist (to explain a foreign-key
/// error).
pub(crate) fn select_related_keys<R: ManyToManyOn<DB>, DB: Backend>(
    keys: &[R::RelatedKey],
) -> Sql<DB> {
    let meta = R::meta();
    let mut sql = Sql::new();
    sql.push("SELECT ")
        .ident(&meta.related_key)
        .push(" FROM ")
        .ident(meta.related_table)
        .push(" WHERE ");
    sql.in_keys(None, &meta.related_key, keys, false);
    sql
}
