//! The SQL of pivot writes and reads, built once per call from the relation's metadata.
//! Every statement is scoped to one parent key.

mod insert;
mod update;

pub(crate) use insert::{insert_keys, insert_rows, rows_per_insert};
pub(crate) use update::{rows_per_update, update_rows};

use crate::relation::many_to_many::{ManyToManyMeta, ManyToManyRelation};

use crate::backend::Backend;
use crate::dialect::RowLock;
use crate::pivot::PivotData;
use crate::relation::many_to_many::ManyToManyOn;
use crate::sql::Sql;

const EXISTING: &str = "orm_existing";
const KEYS: &str = "orm_keys";
const ROWS: &str = "orm_rows";
const PARENT: &str = "orm_parent";
const PIVOT: &str = "orm_pivot";
const DELETED: &str = "orm_deleted";

/// The pivot data columns the ORM writes, with their index in [`PivotData::COLUMNS`]: all of
/// them but the pivot timestamps, which the ORM sets itself (a pivot data field named like a
/// timestamp column reads it, and is ignored on writes: inserts set it to now, updates set
/// `updated_at` to now and leave `created_at` alone).
pub(crate) fn written_columns<R: ManyToManyRelation>() -> Vec<(usize, &'static str)> {
    let meta = R::meta();
    R::Pivot::COLUMNS
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, column)| !is_timestamp(meta, column))
        .collect()
}

/// Whether `column` is one of the relation's pivot timestamps.
fn is_timestamp(meta: &ManyToManyMeta, column: &str) -> bool {
    meta.created_at.as_deref() == Some(column) || meta.updated_at.as_deref() == Some(column)
}

/// The parent's pivot rows: `rfk[, data columns]`, read through the parent's row, which is
/// locked for the rest of the transaction so that concurrent syncs of one parent take turns:
/// `SELECT p.rfk, ... FROM parents LEFT JOIN pivot p ON p.fk = parents.key [AND p.rfk IN keys]
///  WHERE parents.key = ? FOR UPDATE`. A parent without pivot rows yields one row of NULLs.
/// Where the lock is a statement of its own ([`RowLock::Statement`]), the plain read of the
/// pivot: `SELECT p.rfk, ... FROM pivot p WHERE p.fk = ? [AND p.rfk IN keys]`.
pub(crate) fn select_existing<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
    with_data: bool,
    only: Option<&[R::RelatedKey]>,
) -> Sql<DB> {
    let meta = R::meta();
    let parents = <R::Parent as crate::model::ModelSchema>::META.table;
    let lock = DB::row_lock();
    let mut sql = Sql::new();
    if lock == RowLock::Cte {
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
    if lock == RowLock::Statement {
        pivot_rows_of(&mut sql, meta, PIVOT, parent);
        if let Some(keys) = only {
            sql.push(" AND ");
            sql.in_keys(Some(PIVOT), &meta.pivot_related_foreign_key, keys, false);
        }
        return sql;
    }
    if lock == RowLock::Cte {
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
    if lock != RowLock::Cte {
        sql.push(" WHERE ")
            .qualified(PARENT, &meta.local_key)
            .push(" = ")
            .bind(parent);
    }
    if lock == RowLock::Join {
        sql.push(" FOR UPDATE");
    }
    sql
}

/// Locks the parent's row until the transaction ends, so that writers of one parent take turns:
/// `SELECT key FROM parents WHERE key = ? FOR NO KEY UPDATE` on PostgreSQL (which, unlike
/// `FOR UPDATE`, does not wait for the key-share locks of pivot inserts referencing the parent;
/// CockroachDB takes it as `FOR UPDATE`), `FOR UPDATE` on MySQL. `None` where write
/// transactions are serial already (SQLite).
pub(crate) fn lock_parent<R: ManyToManyOn<DB>, DB: Backend>(
    parent: &R::LocalKey,
) -> Option<Sql<DB>> {
    let lock = match DB::row_lock() {
        RowLock::None => return None,
        RowLock::Cte | RowLock::Statement => " FOR NO KEY UPDATE",
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

/// ` FROM pivot AS alias WHERE alias.fk = ?`: the parent's pivot rows.
fn pivot_rows_of<DB: Backend>(
    sql: &mut Sql<DB>,
    meta: &ManyToManyMeta,
    alias: &str,
    parent: &impl crate::value::Bind<DB>,
) {
    sql.push(" FROM ")
        .ident(&meta.pivot_table)
        .push(" AS ")
        .ident(alias);
    sql.push(" WHERE ")
        .qualified(alias, &meta.pivot_foreign_key)
        .push(" = ")
        .bind(parent);
}
