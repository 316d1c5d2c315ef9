//! The pivot operations on one connection: attach, detach, the sync diff and its writes.
//! Callers own atomicity; each function here issues a fixed number of statements.

use std::collections::HashSet;

use super::diff::{SyncInput, diff, index_rows};
use super::report::SyncReport;
use super::statements;
use crate::backend::Backend;
use crate::dialect::RowLock;
use crate::error::{Error, Result};
use crate::executor::Retry;
use crate::pivot::PivotRow;
use crate::relation::many_to_many::ManyToManyOn;

/// Decodes the `rfk` column (0) of each returned row.
fn decode_keys<R: ManyToManyOn<DB>, DB: Backend>(rows: &[DB::Row]) -> Result<Vec<R::RelatedKey>> {
    rows.iter()
        .map(|row| DB::get::<R::RelatedKey>(row, 0).map_err(|source| pivot_key_error::<R>(source)))
        .collect()
}

/// `keys` in their input order, keeping those the database reported as inserted.
fn in_input_order<K: crate::value::Key>(input: &[K], inserted: Vec<K>) -> Vec<K> {
    let inserted: HashSet<K> = inserted.into_iter().collect();
    input
        .iter()
        .filter(|k| inserted.contains(k))
        .cloned()
        .collect()
}

/// Locks the parent's row for the rest of the transaction (see [`statements::lock_parent`]), so
/// that concurrent writers of one parent take turns: an insert that waited then sees the rows the
/// other committed, and never duplicates them, with or without a unique key on the pivot. One
/// statement on PostgreSQL and MySQL, none on SQLite.
pub(crate) async fn lock_parent<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
) -> Result<()> {
    if let Some(sql) = statements::lock_parent::<R, DB>(parent) {
        DB::fetch_all(conn, sql).await?;
    }
    Ok(())
}

/// Inserts pivot rows for the keys not attached yet; returns the keys inserted. One statement.
pub(crate) async fn attach_keys<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    keys: &[R::RelatedKey],
) -> Result<Vec<R::RelatedKey>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = DB::fetch_all(conn, statements::insert_keys::<R, DB>(parent, keys)).await?;
    Ok(in_input_order(keys, decode_keys::<R, DB>(&rows)?))
}

/// Inserts pivot rows with data for the keys not attached yet; returns the keys inserted. One
/// statement per chunk of rows the bind limit allows.
pub(crate) async fn attach_rows<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    rows: &[(R::RelatedKey, R::Pivot)],
) -> Result<Vec<R::RelatedKey>> {
    let mut inserted = Vec::new();
    for chunk in rows.chunks(statements::rows_per_insert::<R, DB>()) {
        let returned =
            DB::fetch_all(&mut *conn, statements::insert_rows::<R, DB>(parent, chunk)).await?;
        inserted.extend(decode_keys::<R, DB>(&returned)?);
    }
    let keys: Vec<R::RelatedKey> = rows.iter().map(|(k, _)| k.clone()).collect();
    Ok(in_input_order(&keys, inserted))
}

/// The parent's pivot rows: related key and, when asked, the pivot data. One statement, which
/// also locks the parent's row until the transaction ends (two in the distributed PostgreSQL
/// flavor, inside a transaction: the lock, then the read).
pub(crate) async fn existing<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    with_data: bool,
    only: Option<&[R::RelatedKey]>,
) -> Result<Vec<(R::RelatedKey, Option<R::Pivot>)>> {
    // Where the lock is a statement of its own (distributed PostgreSQL), it comes first, and
    // only where there is a transaction to hold it.
    if DB::row_lock() == RowLock::Statement && sqlx::Connection::is_in_transaction(&*conn) {
        lock_parent::<R, DB>(&mut *conn, parent).await?;
    }
    let sql = statements::select_existing::<R, DB>(parent, with_data, only);
    let rows = DB::fetch_all(conn, sql).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = DB::get_optional::<R::RelatedKey>(row, 0)
            .map_err(|source| pivot_key_error::<R>(source))?;
        // The LEFT JOIN's row of NULLs: the parent has no pivot rows.
        let Some(key) = key else { continue };
        let data = if with_data {
            Some(<R::Pivot as PivotRow<DB>>::decode(row, 1)?)
        } else {
            None
        };
        out.push((key, data));
    }
    Ok(out)
}

/// Deletes the parent's pivot rows for `keys` (all of them for `None`). One statement.
pub(crate) async fn detach<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    keys: Option<&[R::RelatedKey]>,
) -> Result<u64> {
    if keys.is_some_and(<[_]>::is_empty) {
        return Ok(0);
    }
    Ok(DB::execute(conn, statements::delete::<R, DB>(parent, keys))
        .await?
        .rows_affected)
}

/// [`detach`] as a whole operation. Inside the caller's transaction it first locks the parent's
/// row, so that writers of one parent take turns there too (two transactions deleting rows of
/// one parent otherwise deadlock on MySQL's gap locks); on its own it is one statement, run again
/// when the database gave up on a lock (see [`Retry`]).
pub(crate) async fn detach_as_writer<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    keys: Option<&[R::RelatedKey]>,
) -> Result<u64> {
    if sqlx::Connection::is_in_transaction(&*conn) {
        lock_parent::<R, DB>(&mut *conn, parent).await?;
        return detach::<R, DB>(conn, parent, keys).await;
    }
    let mut retry = Retry::new(true);
    loop {
        match detach::<R, DB>(&mut *conn, parent, keys).await {
            Ok(deleted) => return Ok(deleted),
            Err(err) => {
                if !retry.again(&err).await {
                    return Err(err);
                }
            }
        }
    }
}

/// Writes changed pivot data; one statement per chunk the bind limit allows.
pub(crate) async fn update_rows<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    rows: &[(&R::RelatedKey, &R::Pivot)],
) -> Result<()> {
    for chunk in rows.chunks(statements::rows_per_update::<R, DB>()) {
        DB::execute(&mut *conn, statements::update_rows::<R, DB>(parent, chunk)).await?;
    }
    Ok(())
}

/// The whole sync on one connection (the caller holds the transaction): one SELECT, then at most
/// one DELETE, one INSERT and one UPDATE (more only for pivot data beyond the bind limit). A sync
/// that changes nothing is the SELECT alone.
///
/// The SELECT locks the parent's row, so concurrent syncs of one parent take turns. On SQLite
/// (serial writers) and MySQL (locking reads see the latest rows) the rows it read are current.
/// On PostgreSQL a statement that waited for the lock still reads its older snapshot, so there
/// the second statement reads the wanted rows again (a new statement sees the latest rows) while
/// deleting the unwanted ones, and the diff is taken from that. In the distributed PostgreSQL
/// flavor the lock is a statement of its own and the read comes after it, so the read is
/// current and the delete is a plain DELETE: at most five statements, two for no change.
pub(crate) async fn sync<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    input: SyncInput<R::RelatedKey, R::Pivot>,
    detaching: bool,
) -> Result<SyncReport<R::RelatedKey>>
where
    R::Pivot: PartialEq,
{
    let with_data = matches!(input, SyncInput::Rows(_));
    let current = index_rows(existing::<R, DB>(conn, parent, with_data, None).await?);
    let mut report = diff(&current, &input, detaching);
    if !report.has_changes() {
        return Ok(report);
    }

    if !DB::locked_reads_are_current() {
        let wanted: Vec<R::RelatedKey> = match &input {
            SyncInput::Keys(keys) => keys.clone(),
            SyncInput::Rows(rows) => rows.iter().map(|(k, _)| k.clone()).collect(),
        };
        let sql = statements::refresh::<R, DB>(parent, &wanted, detaching, with_data);
        let rows = DB::fetch_all(&mut *conn, sql).await?;
        let mut deleted = Vec::new();
        let mut present = Vec::with_capacity(rows.len());
        for row in &rows {
            let key =
                DB::get::<R::RelatedKey>(row, 0).map_err(|source| pivot_key_error::<R>(source))?;
            let kind = DB::get_i64(row, 1).map_err(|source| pivot_key_error::<R>(source))?;
            if kind == 1 {
                deleted.push(key);
            } else {
                let data = if with_data {
                    Some(<R::Pivot as PivotRow<DB>>::decode(row, 2)?)
                } else {
                    None
                };
                present.push((key, data));
            }
        }
        // Report the deleted keys in the order they were first read, any others after them.
        let (_, order) = &current;
        let deleted_set: HashSet<&R::RelatedKey> = deleted.iter().collect();
        let mut detached: Vec<R::RelatedKey> = order
            .iter()
            .filter(|k| deleted_set.contains(k))
            .cloned()
            .collect();
        let known: HashSet<&R::RelatedKey> = detached.iter().collect();
        let extra: Vec<R::RelatedKey> = deleted
            .iter()
            .filter(|k| !known.contains(k))
            .cloned()
            .collect();
        detached.extend(extra);
        report = diff(&index_rows(present), &input, false);
        report.detached = detached;
    } else if !report.detached.is_empty() {
        DB::execute(
            &mut *conn,
            statements::delete::<R, DB>(parent, Some(&report.detached)),
        )
        .await?;
    }

    if !report.attached.is_empty() {
        let inserted = match &input {
            SyncInput::Keys(_) => attach_keys::<R, DB>(conn, parent, &report.attached).await?,
            SyncInput::Rows(rows) => {
                let attaching: HashSet<&R::RelatedKey> = report.attached.iter().collect();
                let new_rows: Vec<(R::RelatedKey, R::Pivot)> = rows
                    .iter()
                    .filter(|(k, _)| attaching.contains(k))
                    .cloned()
                    .collect();
                attach_rows::<R, DB>(conn, parent, &new_rows).await?
            }
        };
        // A row another writer attached meanwhile (a plain attach does not take the parent's
        // lock) is there now, untouched by this call.
        if inserted.len() != report.attached.len() {
            let inserted_set: HashSet<&R::RelatedKey> = inserted.iter().collect();
            let raced: Vec<_> = report
                .attached
                .iter()
                .filter(|k| !inserted_set.contains(k))
                .cloned()
                .collect();
            report.unchanged.extend(raced);
            report.attached = inserted;
        }
    }

    if let SyncInput::Rows(rows) = &input
        && !report.updated.is_empty()
    {
        let updating: HashSet<&R::RelatedKey> = report.updated.iter().collect();
        let changed: Vec<(&R::RelatedKey, &R::Pivot)> = rows
            .iter()
            .filter(|(k, _)| updating.contains(k))
            .map(|(k, p)| (k, p))
            .collect();
        update_rows::<R, DB>(conn, parent, &changed).await?;
    }
    Ok(report)
}

/// The keys among `keys` that have no row in the related table: the values a foreign-key error
/// was about. One statement; `None` if it cannot be asked (e.g. an aborted transaction).
pub(crate) async fn missing_related<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    keys: &[R::RelatedKey],
) -> Option<Vec<R::RelatedKey>> {
    let rows = DB::fetch_all(conn, statements::select_related_keys::<R, DB>(keys))
        .await
        .ok()?;
    let found: HashSet<R::RelatedKey> = decode_keys::<R, DB>(&rows).ok()?.into_iter().collect();
    Some(
        keys.iter()
            .filter(|k| !found.contains(k))
            .cloned()
            .collect(),
    )
}

/// A pivot key that did not decode, naming the relation and the pivot column.
fn pivot_key_error<R: crate::relation::ManyToManyRelation>(source: sqlx::Error) -> Error {
    let meta = R::meta();
    Error::PivotDecode {
        relation: format!(
            "{}.{} (pivot {})",
            meta.parent, meta.relation, meta.pivot_table
        ),
        column: meta.pivot_related_foreign_key.clone(),
        source,
    }
}

#[cfg(test)]
mod tests;
