use super::*;
use crate::value::Bind;

/// `limit_offset` for each combination: the text and the number of binds.
fn limits<DB: Dialect>() -> Vec<(String, usize)> {
    [
        (None, None),
        (Some(10), None),
        (None, Some(5)),
        (Some(10), Some(5)),
    ]
    .into_iter()
    .map(|(limit, offset)| {
        let mut sql = Sql::<DB>::new();
        sql.limit_offset(limit, offset);
        (sql.text().to_string(), sql.bind_count())
    })
    .collect()
}

fn values<DB: Dialect>(rows: &[(i64, String)]) -> Sql<DB>
where
    i64: Bind<DB>,
    String: Bind<DB>,
{
    let mut sql = Sql::<DB>::new();
    sql.values_table(&["id", "name"], rows, "v", &mut |row, (id, name)| {
        row.value(id);
        row.value(name);
    });
    sql
}

fn two_rows() -> Vec<(i64, String)> {
    vec![(1, "a".to_string()), (2, "b".to_string())]
}

fn owned(expected: &[(&str, usize)]) -> Vec<(String, usize)> {
    expected.iter().map(|&(t, n)| (t.to_string(), n)).collect()
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_offset_without_limit_binds_minus_one() {
    assert_eq!(
        limits::<sqlx::Sqlite>(),
        owned(&[
            ("", 0),
            (" LIMIT ?", 1),
            (" LIMIT ? OFFSET ?", 2),
            (" LIMIT ? OFFSET ?", 2),
        ])
    );
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_offset_without_limit_omits_the_limit() {
    assert_eq!(
        limits::<sqlx::Postgres>(),
        owned(&[
            ("", 0),
            (" LIMIT $1", 1),
            (" OFFSET $1", 1),
            (" LIMIT $1 OFFSET $2", 2),
        ])
    );
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_offset_without_limit_binds_the_largest_limit() {
    assert_eq!(
        limits::<sqlx::MySql>(),
        owned(&[
            ("", 0),
            (" LIMIT ?", 1),
            (" LIMIT ? OFFSET ?", 2),
            (" LIMIT ? OFFSET ?", 2),
        ])
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_values_tables_number_their_columns() {
    let sql = values::<sqlx::Sqlite>(&two_rows());
    assert_eq!(
        sql.text(),
        "(SELECT column1 AS `id`, column2 AS `name` FROM (VALUES (?, ?), (?, ?))) AS `v`"
    );
    assert_eq!(sql.bind_count(), 4);
    let one = values::<sqlx::Sqlite>(&two_rows()[..1]);
    assert_eq!(
        one.text(),
        "(SELECT column1 AS `id`, column2 AS `name` FROM (VALUES (?, ?))) AS `v`"
    );
    assert_eq!(values::<sqlx::Sqlite>(&[]).text(), "");
    assert_eq!(values::<sqlx::Sqlite>(&[]).bind_count(), 0);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_values_tables_name_their_columns() {
    let sql = values::<sqlx::Postgres>(&two_rows());
    assert_eq!(
        sql.text(),
        "(VALUES ($1, $2), ($3, $4)) AS \"v\"(\"id\", \"name\")"
    );
    assert_eq!(sql.bind_count(), 4);
    assert_eq!(values::<sqlx::Postgres>(&[]).text(), "");
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_values_tables_are_a_union_aliased_on_the_first_row() {
    let sql = values::<sqlx::MySql>(&two_rows());
    assert_eq!(
        sql.text(),
        "(SELECT ? AS `id`, ? AS `name` UNION ALL SELECT ?, ?) AS `v`"
    );
    assert_eq!(sql.bind_count(), 4);
    let one = values::<sqlx::MySql>(&two_rows()[..1]);
    assert_eq!(one.text(), "(SELECT ? AS `id`, ? AS `name`) AS `v`");
    assert_eq!(values::<sqlx::MySql>(&[]).text(), "");
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_key_tables_deletes_and_duplicate_skips() {
    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.key_table(&[1_i64, 2], "k");
    assert_eq!(sql.text(), "(SELECT value FROM json_each(?)) AS `k`");
    assert_eq!(sql.bind_count(), 1);

    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.delete_where("pivot", Some(("skill_id", &[1_i64, 2][..])));
    assert_eq!(
        sql.text(),
        "DELETE FROM `pivot` WHERE `pivot`.`skill_id` IN (SELECT value FROM json_each(?)) AND "
    );
    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.delete_where::<i64>("pivot", None);
    assert_eq!(sql.text(), "DELETE FROM `pivot` WHERE ");
    assert_eq!(sql.bind_count(), 0);

    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.skip_duplicates("pivot", "user_id");
    assert_eq!(sql.text(), " ON CONFLICT DO NOTHING");
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_key_tables_unnest_one_array() {
    let mut sql = Sql::<sqlx::Postgres>::new();
    sql.key_table(&["a".to_string()], "k");
    assert_eq!(sql.text(), "UNNEST($1) AS \"k\"(value)");
    assert_eq!(sql.bind_count(), 1);

    let mut sql = Sql::<sqlx::Postgres>::new();
    sql.delete_where("pivot", Some(("skill_id", &[1_i64][..])));
    assert_eq!(
        sql.text(),
        "DELETE FROM \"pivot\" WHERE (\"pivot\".\"skill_id\" = ANY($1)) AND "
    );
    let mut sql = Sql::<sqlx::Postgres>::new();
    sql.skip_duplicates("pivot", "user_id");
    assert_eq!(sql.text(), " ON CONFLICT DO NOTHING");
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_deletes_join_the_key_table_and_duplicates_update_nothing() {
    let mut sql = Sql::<sqlx::MySql>::new();
    sql.delete_where("pivot", Some(("skill_id", &[1_i64, 2][..])));
    assert_eq!(
        sql.text(),
        "DELETE `pivot` FROM `pivot` JOIN (SELECT DISTINCT `value` FROM JSON_TABLE(?, '$[*]' \
         COLUMNS (`value` BIGINT PATH '$')) AS `orm_key_list`) AS `orm_keys` ON \
         `pivot`.`skill_id` = `orm_keys`.`value` WHERE "
    );
    assert_eq!(sql.bind_count(), 1);
    let mut sql = Sql::<sqlx::MySql>::new();
    sql.delete_where::<i64>("pivot", None);
    assert_eq!(sql.text(), "DELETE `pivot` FROM `pivot` WHERE ");

    let mut sql = Sql::<sqlx::MySql>::new();
    sql.skip_duplicates("pivot", "user_id");
    assert_eq!(
        sql.text(),
        " ON DUPLICATE KEY UPDATE `user_id` = `pivot`.`user_id`"
    );
}
