//! Reading a relation level's rows as they arrive: each row's parent key and its decoded value,
//! the driver's row dropped at once unless a later parent needs to decode it again. Shared by
//! every preload (many-to-many and keyed), so none of them holds all the driver's rows beside
//! their models.

use std::collections::{HashMap, HashSet};
use std::future::poll_fn;
use std::hash::Hash;
use std::pin::Pin;

use futures_core::Stream;

use super::group::distribute;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::execute::Rows;
use crate::execute::raw::RawRow;
use crate::sql::Sql;

/// The rows of one relation level, in arrival order.
pub(crate) struct Arrived<K, T, Row> {
    /// Each row's parent key.
    pub(crate) keys: Vec<K>,
    /// Each row decoded once, taken by the first parent it goes to.
    decoded: Vec<Option<T>>,
    /// The driver's rows whose key several parents share, by row index: each parent after the
    /// first decodes its own copy from them.
    kept: HashMap<usize, Row>,
}

/// The keys that occur more than once among `keys` (parents that share a key).
pub(crate) fn shared_keys<'k, K: Hash + Eq + 'k>(
    keys: impl IntoIterator<Item = &'k K>,
) -> HashSet<&'k K> {
    let mut seen = HashSet::new();
    keys.into_iter().filter(|key| !seen.insert(*key)).collect()
}

/// Reads `rows` to the end: `key` gives each row's parent key, `decode` its value; a row whose
/// key is in `shared` is also kept for [`Arrived::lists`].
pub(crate) async fn arrive<DB, K, T>(
    mut rows: Rows<'_, DB>,
    shared: &HashSet<&K>,
    key: impl Fn(&DB::Row) -> Result<K>,
    decode: impl Fn(&DB::Row) -> Result<T>,
) -> Result<Arrived<K, T, DB::Row>>
where
    DB: Backend,
    K: Hash + Eq,
{
    let mut arrived = Arrived {
        keys: Vec::new(),
        decoded: Vec::new(),
        kept: HashMap::new(),
    };
    while let Some(row) = poll_fn(|cx| Pin::new(&mut rows).poll_next(cx)).await {
        let row = row?;
        let row_key = key(&row)?;
        arrived.decoded.push(Some(decode(&row)?));
        if shared.contains(&row_key) {
            arrived.kept.insert(arrived.keys.len(), row);
        }
        arrived.keys.push(row_key);
    }
    Ok(arrived)
}

/// [`arrive`] on SQLite's raw path ([`crate::execute::fetch_raw`]), for a level whose parents
/// all have keys of their own (no row is kept: each is decoded once, as it is read).
pub(crate) async fn arrive_raw<DB, K, T>(
    conn: &mut DB::Connection,
    sql: Sql<DB>,
    mut key: impl FnMut(&RawRow<'_>) -> Result<K> + Send,
    mut decode: impl FnMut(&RawRow<'_>) -> Result<T> + Send,
) -> Result<Arrived<K, T, DB::Row>>
where
    DB: Backend,
    K: Hash + Eq + Send,
    T: Send,
{
    let mut keys = Vec::new();
    let mut decoded = Vec::new();
    crate::execute::fetch_raw(conn, sql, |row| {
        keys.push(key(row)?);
        decoded.push(Some(decode(row)?));
        Ok(())
    })
    .await?;
    Ok(Arrived {
        keys,
        decoded,
        kept: HashMap::new(),
    })
}

impl<K, T, Row> Arrived<K, T, Row> {
    /// Each parent's list, from `groups` (see `rows_by_parent`): a row's decoded value goes to
    /// its first parent, and every later parent of the same key decodes the kept row again.
    pub(crate) fn lists(
        self,
        groups: Vec<Vec<usize>>,
        decode: impl Fn(&Row) -> Result<T>,
    ) -> Result<Vec<Vec<T>>> {
        let kept = self.kept;
        distribute(groups, self.decoded, |row| match kept.get(&row) {
            Some(kept) => decode(kept),
            // invariant: a row goes to a second parent only when its key is shared, and those
            // rows are kept by `arrive`; this error is never expected.
            None => Err(Error::db(
                "preload",
                sqlx::Error::Protocol(format!("related row {row} was needed twice but not kept")),
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::shared_keys;

    #[test]
    fn shared_keys_are_those_of_several_parents() {
        let keys = [1, 2, 1, 3, 2, 1];
        let mut shared: Vec<i32> = shared_keys(&keys).into_iter().copied().collect();
        shared.sort_unstable();
        assert_eq!(shared, [1, 2]);
        assert!(shared_keys(&[4, 5, 6]).is_empty());
    }
}
