//! Unit tests of the pure parts of the pivot operations: dedupe, index, diff, order.

use super::*;
use crate::many_to_many::diff::*;

fn report(
    attached: &[i64],
    detached: &[i64],
    updated: &[i64],
    unchanged: &[i64],
) -> SyncReport<i64> {
    SyncReport {
        attached: attached.to_vec(),
        detached: detached.to_vec(),
        updated: updated.to_vec(),
        unchanged: unchanged.to_vec(),
    }
}

#[test]
fn dedupe_keeps_the_first_seen_order() {
    assert_eq!(dedupe([3_i64, 1, 3, 2, 1, 3]), vec![3, 1, 2]);
    assert_eq!(dedupe(Vec::<i64>::new()), Vec::<i64>::new());
    let names = dedupe(["b", "a", "b", "c", "a"].map(String::from));
    assert_eq!(names, ["b", "a", "c"].map(String::from));
}

#[test]
fn dedupe_rows_keeps_the_first_position_and_the_last_data() {
    let rows = vec![
        (2_i64, "a"),
        (1, "b"),
        (2, "c"),
        (3, "d"),
        (1, "e"),
        (2, "f"),
    ];
    assert_eq!(dedupe_rows(rows), vec![(2, "f"), (1, "e"), (3, "d")]);
    assert!(dedupe_rows(Vec::<(i64, ())>::new()).is_empty());
}

#[test]
fn index_rows_keeps_the_first_row_of_a_key_in_read_order() {
    let (rows, order) = index_rows(vec![
        (5_i64, Some("x")),
        (2, None),
        (5, Some("y")),
        (7, Some("z")),
    ]);
    assert_eq!(order, vec![5, 2, 7]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[&5], Some("x"));
    assert_eq!(rows[&2], None);
    assert_eq!(rows[&7], Some("z"));
}

#[test]
fn in_input_order_follows_the_input_not_the_database() {
    assert_eq!(in_input_order(&[4_i64, 1, 3, 2], vec![2, 9, 4]), vec![4, 2]);
    assert!(in_input_order(&[1_i64, 2], Vec::new()).is_empty());
    assert!(in_input_order(&[] as &[i64], vec![1]).is_empty());
}

#[test]
fn keys_sync_partitions_in_input_order_and_leaves_pivot_data_alone() {
    // Data present on current rows is ignored by a keys-only sync: nothing is "updated".
    let current = index_rows(vec![(3_i64, Some("c")), (1, Some("a")), (2, None)]);
    let input = SyncInput::Keys(vec![4, 2, 5, 1]);
    assert_eq!(
        diff(&current, &input, true),
        report(&[4, 5], &[3], &[], &[2, 1])
    );
    assert_eq!(
        diff(&current, &input, false),
        report(&[4, 5], &[], &[], &[2, 1])
    );
}

#[test]
fn rows_sync_updates_only_rows_whose_data_differs() {
    let current = index_rows(vec![
        (3_i64, Some("c")),
        (1, Some("a")),
        (4, Some("d")),
        (2, Some("b")),
    ]);
    let input = SyncInput::Rows(vec![(5, "e"), (2, "B"), (1, "a"), (6, "f")]);
    // Detached keys come in the order the rows were read.
    assert_eq!(
        diff(&current, &input, true),
        report(&[5, 6], &[3, 4], &[2], &[1])
    );
    assert_eq!(
        diff(&current, &input, false),
        report(&[5, 6], &[], &[2], &[1])
    );
}

#[test]
fn rows_sync_updates_a_row_read_without_data() {
    let current = index_rows(vec![(1_i64, None)]);
    let input = SyncInput::Rows(vec![(1, "a")]);
    assert_eq!(diff(&current, &input, true), report(&[], &[], &[1], &[]));
}

#[test]
fn a_sync_to_the_current_rows_changes_nothing() {
    let current = index_rows(vec![(1_i64, Some("a")), (2, Some("b"))]);
    let keys = diff(&current, &SyncInput::Keys(vec![2, 1]), true);
    assert_eq!(keys, report(&[], &[], &[], &[2, 1]));
    assert!(!keys.has_changes());
    let rows = diff(&current, &SyncInput::Rows(vec![(1, "a"), (2, "b")]), true);
    assert_eq!(rows, report(&[], &[], &[], &[1, 2]));
    assert!(!rows.has_changes());
}

#[test]
fn an_empty_sync_detaches_everything_only_when_detaching() {
    let current = index_rows(vec![(9_i64, Some(())), (4, Some(())), (6, Some(()))]);
    let keys: SyncInput<i64, ()> = SyncInput::Keys(Vec::new());
    assert_eq!(
        diff(&current, &keys, true),
        report(&[], &[9, 4, 6], &[], &[])
    );
    assert_eq!(diff(&current, &keys, false), SyncReport::default());
    let rows: SyncInput<i64, ()> = SyncInput::Rows(Vec::new());
    assert_eq!(
        diff(&current, &rows, true),
        report(&[], &[9, 4, 6], &[], &[])
    );
    assert!(!diff(&current, &rows, false).has_changes());
}

#[test]
fn a_sync_of_a_parent_without_rows_attaches_everything() {
    let current = index_rows(Vec::<(String, Option<i32>)>::new());
    let input = SyncInput::Rows(vec![("b".to_string(), 1), ("a".to_string(), 2)]);
    let report = diff(&current, &input, true);
    assert_eq!(report.attached, ["b", "a"].map(String::from));
    assert!(report.detached.is_empty() && report.updated.is_empty());
    assert!(report.unchanged.is_empty());
}
