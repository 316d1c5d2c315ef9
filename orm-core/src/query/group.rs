//! Grouping the rows of a relation level back to their parents, by hashing the parent key:
//! the one grouping every preload uses.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// For each parent (in the order given), the indexes of the rows whose key is its key, in row
/// order. Parents that share a key get the same rows; a row whose key no parent has goes
/// nowhere. Each list is allocated once, at its final size.
///
/// ```text
/// parents [1, 2, 1], row keys [2, 1, 1, 3]  ->  [[1, 2], [0], [1, 2]]
/// ```
pub(crate) fn rows_by_parent<K: Hash + Eq>(parents: &[&K], row_keys: &[K]) -> Vec<Vec<usize>> {
    let mut slot: HashMap<&K, usize> = HashMap::with_capacity(parents.len());
    for key in parents {
        let next = slot.len();
        slot.entry(*key).or_insert(next);
    }
    let mut sizes = vec![0_usize; slot.len()];
    let row_slots: Vec<Option<usize>> = row_keys
        .iter()
        .map(|key| {
            let found = slot.get(key).copied();
            if let Some(s) = found {
                sizes[s] += 1;
            }
            found
        })
        .collect();
    let mut by_slot: Vec<Vec<usize>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (row, found) in row_slots.into_iter().enumerate() {
        if let Some(s) = found {
            by_slot[s].push(row);
        }
    }
    // A slot's list moves to its last parent; parents before it that share the key get a copy.
    // invariant: every parent key was given a slot above, so `slot[key]` cannot miss.
    let mut uses = vec![0_usize; by_slot.len()];
    for key in parents {
        uses[slot[*key]] += 1;
    }
    parents
        .iter()
        .map(|key| {
            let s = slot[*key];
            uses[s] -= 1;
            if uses[s] == 0 {
                std::mem::take(&mut by_slot[s])
            } else {
                by_slot[s].clone()
            }
        })
        .collect()
}

/// Moves the rows decoded in arrival order to their parents' lists (`groups`, from
/// [`rows_by_parent`]). A row in several parents' groups (posts sharing an author, parents
/// sharing a key) is moved to the first and made again by `again(row)` for the others, so a
/// relation level decodes each row once in the common case and never walks the driver's rows in
/// parent order.
pub(crate) fn distribute<T, E>(
    groups: Vec<Vec<usize>>,
    mut decoded: Vec<Option<T>>,
    mut again: impl FnMut(usize) -> Result<T, E>,
) -> Result<Vec<Vec<T>>, E> {
    groups
        .into_iter()
        .map(|group| {
            group
                .into_iter()
                .map(|row| match decoded.get_mut(row).and_then(Option::take) {
                    Some(value) => Ok(value),
                    None => again(row),
                })
                .collect()
        })
        .collect()
}

/// Keys in first-seen order, duplicates dropped: the one parameter of a relation level.
pub(crate) fn dedupe<K: crate::value::Key>(keys: impl IntoIterator<Item = K>) -> Vec<K> {
    let mut seen = HashSet::new();
    keys.into_iter()
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_to_every_parent_with_their_key_in_row_order() {
        let parents = [&1, &2, &1, &4];
        let groups = rows_by_parent(&parents, &[2, 1, 1, 3]);
        assert_eq!(groups, vec![vec![1, 2], vec![0], vec![1, 2], vec![]]);
    }

    #[test]
    fn rows_move_to_their_first_parent_and_are_made_again_for_the_next() {
        let groups = vec![vec![1, 0], vec![], vec![1]];
        let decoded = vec![Some("a".to_owned()), Some("b".to_owned())];
        let lists: Result<_, ()> = distribute(groups, decoded, |row| Ok(format!("again {row}")));
        assert_eq!(
            lists,
            Ok(vec![
                vec!["b".to_owned(), "a".to_owned()],
                vec![],
                vec!["again 1".to_owned()]
            ])
        );
    }

    #[test]
    fn no_parents_or_no_rows() {
        assert!(rows_by_parent::<i64>(&[], &[1, 2]).is_empty());
        assert_eq!(
            rows_by_parent(&[&"a".to_string()], &[]),
            vec![Vec::<usize>::new()]
        );
    }
}
