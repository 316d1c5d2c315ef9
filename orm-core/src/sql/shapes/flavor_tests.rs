//! Key lists in each PostgreSQL flavor: the distributed flavor types every array parameter
//! (`$1::int8[]`), the standard one is unchanged, and SQLite and MySQL ignore the flavor.

use super::*;
use crate::dialect::{PostgresFlavor, with_flavor};

/// `col IN <keys>`, `NOT col IN <keys>`, a key table and a keyed delete, as text.
fn key_shapes<DB: Dialect, K: Key>(keys: &[K]) -> [String; 4] {
    let mut any = Sql::<DB>::new();
    any.in_keys(Some("t"), "id", keys, false);
    let mut none = Sql::<DB>::new();
    none.in_keys(None, "id", keys, true);
    let mut table = Sql::<DB>::new();
    table.key_table(keys, "k");
    let mut delete = Sql::<DB>::new();
    delete.delete_where("pivot", Some(("skill_id", keys)));
    [any, none, table, delete].map(|sql| sql.text().to_owned())
}

fn distributed<T>(build: impl FnOnce() -> T) -> T {
    with_flavor(PostgresFlavor::Distributed, build)
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_standard_key_lists_are_unchanged() {
    assert_eq!(
        key_shapes::<sqlx::Postgres, i64>(&[1, 2]),
        [
            "(\"t\".\"id\" = ANY($1))",
            "NOT (\"id\" = ANY($1))",
            "UNNEST($1) AS \"k\"(value)",
            "DELETE FROM \"pivot\" WHERE (\"pivot\".\"skill_id\" = ANY($1)) AND ",
        ]
    );
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_distributed_key_lists_carry_their_array_type() {
    assert_eq!(
        distributed(|| key_shapes::<sqlx::Postgres, i64>(&[1, 2])),
        [
            "(\"t\".\"id\" = ANY($1::int8[]))",
            "NOT (\"id\" = ANY($1::int8[]))",
            "UNNEST($1::int8[]) AS \"k\"(value)",
            "DELETE FROM \"pivot\" WHERE (\"pivot\".\"skill_id\" = ANY($1::int8[])) AND ",
        ]
    );
    let [any, _, table, _] = distributed(|| key_shapes::<sqlx::Postgres, String>(&["a".into()]));
    assert_eq!(
        (any.as_str(), table.as_str()),
        (
            "(\"t\".\"id\" = ANY($1::text[]))",
            "UNNEST($1::text[]) AS \"k\"(value)"
        )
    );
    let [small, ..] = distributed(|| key_shapes::<sqlx::Postgres, i16>(&[1]));
    let [int, ..] = distributed(|| key_shapes::<sqlx::Postgres, i32>(&[1]));
    assert_eq!(
        (small.as_str(), int.as_str()),
        (
            "(\"t\".\"id\" = ANY($1::int2[]))",
            "(\"t\".\"id\" = ANY($1::int4[]))"
        )
    );
}

#[cfg(all(feature = "postgres", feature = "uuid"))]
#[test]
fn postgres_distributed_uuid_lists_are_uuid_arrays() {
    let [any, ..] = distributed(|| key_shapes::<sqlx::Postgres, uuid::Uuid>(&[uuid::Uuid::nil()]));
    assert_eq!(any, "(\"t\".\"id\" = ANY($1::uuid[]))");
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_key_lists_ignore_the_flavor() {
    let standard = key_shapes::<sqlx::Sqlite, i64>(&[1, 2]);
    assert_eq!(
        distributed(|| key_shapes::<sqlx::Sqlite, i64>(&[1, 2])),
        standard
    );
    assert!(
        standard.iter().all(|sql| !sql.contains("::")),
        "{standard:?}"
    );
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_key_lists_ignore_the_flavor() {
    let standard = key_shapes::<sqlx::MySql, i64>(&[1, 2]);
    assert_eq!(
        distributed(|| key_shapes::<sqlx::MySql, i64>(&[1, 2])),
        standard
    );
    assert!(
        standard.iter().all(|sql| !sql.contains("::")),
        "{standard:?}"
    );
}
