//! The pure half of a sync: the input deduplicated, the current rows indexed, and the diff of
//! the two (what to attach, detach, update, leave). No SQL; `ops` reads and writes.

use std::collections::{HashMap, HashSet};

use super::report::SyncReport;

pub(crate) use crate::query::dedupe;

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

/// What a sync is given: keys alone (pivot data untouched) or keys with data.
#[derive(Clone)]
pub(crate) enum SyncInput<K, P> {
    Keys(Vec<K>),
    Rows(Vec<(K, P)>),
}

impl<K: Clone, P> SyncInput<K, P> {
    /// The keys given, in order.
    pub(crate) fn keys(&self) -> Vec<K> {
        match self {
            SyncInput::Keys(keys) => keys.clone(),
            SyncInput::Rows(rows) => rows.iter().map(|(k, _)| k.clone()).collect(),
        }
    }
}

/// The parent's current pivot rows by key (first row of a key wins) and the keys in read order.
pub(super) type Current<K, P> = (HashMap<K, Option<P>>, Vec<K>);

pub(super) fn index_rows<K: crate::value::Key, P>(rows: Vec<(K, Option<P>)>) -> Current<K, P> {
    let mut current = HashMap::with_capacity(rows.len());
    let mut order = Vec::with_capacity(rows.len());
    for (key, data) in rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = current.entry(key.clone()) {
            order.push(key);
            slot.insert(data);
        }
    }
    (current, order)
}

/// The diff of the current rows and the input: what to attach, detach, update, leave.
pub(super) fn diff<K: crate::value::Key, P: PartialEq>(
    current: &Current<K, P>,
    input: &SyncInput<K, P>,
    detaching: bool,
) -> SyncReport<K> {
    let (rows, order) = current;
    let mut report = SyncReport::default();
    match input {
        SyncInput::Keys(keys) => {
            (report.unchanged, report.attached) =
                keys.iter().cloned().partition(|k| rows.contains_key(k));
        }
        SyncInput::Rows(wanted) => {
            for (key, data) in wanted {
                match rows.get(key) {
                    None => report.attached.push(key.clone()),
                    Some(Some(old)) if old == data => report.unchanged.push(key.clone()),
                    Some(_) => report.updated.push(key.clone()),
                }
            }
        }
    }
    if detaching {
        let wanted: HashSet<&K> = match input {
            SyncInput::Keys(keys) => keys.iter().collect(),
            SyncInput::Rows(rows) => rows.iter().map(|(k, _)| k).collect(),
        };
        report.detached = order
            .iter()
            .filter(|k| !wanted.contains(k))
            .cloned()
            .collect();
    }
    report
}
