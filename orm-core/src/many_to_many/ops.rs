//! The pivot operations on one connection: attach, detach, the sync diff and its writes.
//! Callers own atomicity; each function here issues a fixed number of statements.

use std::collections::{HashMap, HashSet};

use super::meta::ManyToManyOn;
use super::report::SyncReport;
use super::statements;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::pivot::PivotRow;

/// Keys in first-seen order, duplicates dropped.
pub(crate) fn dedupe<K: crate::value::Key>(keys: impl IntoIterator<Item = K>) -> Vec<K> {
    let mut seen = HashSet::new();
    keys.into_iter()
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

/// Rows in first-seen key order, the last data given for a key winning.
pub(crate) fn dedupe_rows<K: crate::value::Key, P>(
    rows: impl IntoIterator<Item = (K, P)>,
) -> Vec<(K, P)> {
    let mut position: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<(K, P)> = Vec::new();
    for (key, data) in rows {
        match position.get(&key) {
            Some(&i) => out[i].1 = data,
            None => {
                position.insert(key.clone(), out.len());
                out.push((key, data));
            }
        }
    }
    out
}

/// Decodes the `rfk` column (0) of each returned row.
fn decode_keys<R: ManyToManyOn<DB>, DB: Backend>(rows: &[DB::Row]) -> Result<Vec<R::RelatedKey>> {
    let meta = R::meta();
    rows.iter()
        .map(|row| {
            DB::get::<R::RelatedKey>(row, 0).map_err(|source| Error::Decode {
                model: meta.parent,
                column: meta.relation,
                source,
            })
        })
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
/// also locks the parent's row until the transaction ends.
pub(crate) async fn existing<R: ManyToManyOn<DB>, DB: Backend>(
    conn: &mut DB::Connection,
    parent: &R::LocalKey,
    with_data: bool,
    only: Option<&[R::RelatedKey]>,
) -> Result<Vec<(R::RelatedKey, Option<R::Pivot>)>> {
    let sql = statements::select_existing::<R, DB>(parent, with_data, only);
    let rows = DB::fetch_all(conn, sql).await?;
    let meta = R::meta();
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = DB::get_optional::<R::RelatedKey>(row, 0).map_err(|source| Error::Decode {
            model: meta.parent,
            column: meta.relation,
            source,
        })?;
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

/// What a sync is given: keys alone (pivot data untouched) or keys with data.
pub(crate) enum SyncInput<K, P> {
    Keys(Vec<K>),
    Rows(Vec<(K, P)>),
}

/// The whole sync on one connection (the caller holds the transaction): one SELECT, then at most
/// one DELETE, one INSERT and one UPDATE (more only for pivot data beyond the bind limit). A sync
/// that changes nothing is the SELECT alone.
///
/// The SELECT locks the parent's row, so concurrent syncs of one parent take turns. On SQLite
/// (serial writers) and MySQL (locking reads see the latest rows) the rows it reads are current
/// and the writes apply the diff exactly. On PostgreSQL a statement that waited for the lock
/// still reads its older snapshot of the pivot rows, so there the writes do not trust the diff:
/// the DELETE removes every row not wanted and the INSERT offers every wanted row, and the report
/// comes from what they return.
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
    let existing = existing::<R, DB>(conn, parent, with_data, None).await?;
    let mut current: HashMap<R::RelatedKey, Option<R::Pivot>> =
        HashMap::with_capacity(existing.len());
    let mut current_order = Vec::with_capacity(existing.len());
    for (key, data) in existing {
        if let std::collections::hash_map::Entry::Vacant(slot) = current.entry(key.clone()) {
            current_order.push(key);
            slot.insert(data);
        }
    }

    let wanted: Vec<R::RelatedKey> = match &input {
        SyncInput::Keys(keys) => keys.clone(),
        SyncInput::Rows(rows) => rows.iter().map(|(k, _)| k.clone()).collect(),
    };
    let mut report = SyncReport::default();
    match &input {
        SyncInput::Keys(keys) => {
            (report.unchanged, report.attached) =
                keys.iter().cloned().partition(|k| current.contains_key(k));
        }
        SyncInput::Rows(rows) => {
            for (key, data) in rows {
                match current.get(key) {
                    None => report.attached.push(key.clone()),
                    Some(Some(old)) if old == data => report.unchanged.push(key.clone()),
                    Some(_) => report.updated.push(key.clone()),
                }
            }
        }
    }
    if detaching {
        let wanted_set: HashSet<&R::RelatedKey> = wanted.iter().collect();
        report.detached = current_order
            .into_iter()
            .filter(|k| !wanted_set.contains(k))
            .collect();
    }
    if !report.has_changes() {
        return Ok(report);
    }

    let exact = DB::LOCKED_READS_ARE_CURRENT;
    if detaching && (!exact || !report.detached.is_empty()) {
        let sql = if exact {
            statements::delete::<R, DB>(parent, Some(&report.detached))
        } else {
            statements::delete_unwanted::<R, DB>(parent, &wanted)
        };
        if exact {
            DB::execute(&mut *conn, sql).await?;
        } else {
            let removed = DB::fetch_all(&mut *conn, sql).await?;
            report.detached = decode_keys::<R, DB>(&removed)?;
        }
    }

    let to_insert: &[R::RelatedKey] = if exact { &report.attached } else { &wanted };
    if !to_insert.is_empty() {
        let inserted = match &input {
            SyncInput::Keys(_) => attach_keys::<R, DB>(conn, parent, to_insert).await?,
            SyncInput::Rows(rows) => {
                let inserting: HashSet<&R::RelatedKey> = to_insert.iter().collect();
                let new_rows: Vec<(R::RelatedKey, R::Pivot)> = rows
                    .iter()
                    .filter(|(k, _)| inserting.contains(k))
                    .cloned()
                    .collect();
                attach_rows::<R, DB>(conn, parent, &new_rows).await?
            }
        };
        let inserted_set: HashSet<&R::RelatedKey> = inserted.iter().collect();
        // What the diff expected to attach but was there already is unchanged; what it did not
        // expect but inserted (another transaction removed it) is attached.
        report.updated.retain(|k| !inserted_set.contains(k));
        report.attached = inserted.clone();
        let attached: HashSet<&R::RelatedKey> = report.attached.iter().collect();
        let updated: HashSet<&R::RelatedKey> = report.updated.iter().collect();
        report.unchanged = wanted
            .iter()
            .filter(|k| !attached.contains(k) && !updated.contains(k))
            .cloned()
            .collect();
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
