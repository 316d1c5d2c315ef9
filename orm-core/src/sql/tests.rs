use super::*;

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_key_lists_take_one_json_parameter() {
    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.push("SELECT 1 WHERE ")
        .in_keys(Some("users"), "id", &[3_i64, 1, 2], false);
    assert_eq!(
        sql.text(),
        "SELECT 1 WHERE `users`.`id` IN (SELECT value FROM json_each(?))"
    );
    assert_eq!(sql.bind_count(), 1);
    sql.push(" AND ")
        .in_keys(None, "name", &["a".to_string()], true);
    assert_eq!(
        sql.text(),
        "SELECT 1 WHERE `users`.`id` IN (SELECT value FROM json_each(?)) \
         AND `name` NOT IN (SELECT value FROM json_each(?))"
    );
    assert_eq!(sql.bind_count(), 2);
    assert!(sql.is_persistent());
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_large_key_lists_stay_prepared() {
    let keys: Vec<i64> = (0..1000).collect();
    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.in_keys(None, "id", &keys, false);
    assert_eq!(sql.bind_count(), 1);
    assert!(sql.is_persistent());
}

#[cfg(feature = "sqlite")]
#[test]
fn identifiers_are_quoted_with_the_quote_doubled() -> Result<()> {
    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.ident("we`ird").push(" ").qualified("t", "c\"x");
    assert_eq!(sql.text(), "`we``ird` `t`.`c\"x`");
    let (text, args) = sql.finish()?;
    assert_eq!(text, "`we``ird` `t`.`c\"x`");
    assert_eq!(args.len(), 0);
    Ok(())
}

#[cfg(feature = "sqlite")]
#[test]
fn lists_and_row_writers_separate_with_commas() {
    let mut sql = Sql::<sqlx::Sqlite>::new();
    sql.list(["a", "b", "c"], |sql, column| {
        sql.ident(column);
    });
    assert_eq!(sql.text(), "`a`, `b`, `c`");

    let mut sql = Sql::<sqlx::Sqlite>::new();
    let mut set = RowWriter::assignments(&mut sql, &["name", "level"]);
    set.value(&"virk".to_string());
    set.value(&3_i64);
    assert_eq!(sql.text(), "`name` = ?, `level` = ?");
    assert_eq!(sql.bind_count(), 2);

    let mut sql = Sql::<sqlx::Sqlite>::new();
    let mut row = RowWriter::aliased(&mut sql, &["id"]);
    row.value(&1_i64);
    row.value(&2_i64);
    assert_eq!(sql.text(), "? AS `id`, ?");
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_key_lists_take_one_numbered_array_parameter() {
    let mut sql = Sql::<sqlx::Postgres>::new();
    sql.push("SELECT 1 WHERE ")
        .bind(&"x".to_string())
        .push(" AND ");
    sql.in_keys(Some("users"), "id", &[3_i64, 1], false);
    sql.push(" AND ")
        .in_keys(None, "na\"me", &["a".to_string()], true);
    assert_eq!(
        sql.text(),
        "SELECT 1 WHERE $1 AND (\"users\".\"id\" = ANY($2)) \
         AND NOT (\"na\"\"me\" = ANY($3))"
    );
    assert_eq!(sql.bind_count(), 3);
    assert!(sql.is_persistent());
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_large_key_lists_are_planned_per_execution() {
    let mut sql = Sql::<sqlx::Postgres>::new();
    sql.in_keys(None, "id", &(0..64).collect::<Vec<i64>>(), false);
    assert!(sql.is_persistent(), "64 keys keep the prepared plan");
    sql.in_keys(None, "id", &(0..65).collect::<Vec<i64>>(), false);
    assert!(!sql.is_persistent());
    assert_eq!(sql.bind_count(), 2);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_key_lists_are_a_json_table_of_the_key_type() {
    let mut sql = Sql::<sqlx::MySql>::new();
    sql.in_keys(Some("users"), "id", &[1_i32, 2], false);
    assert_eq!(
        sql.text(),
        "`users`.`id` IN (SELECT `value` FROM JSON_TABLE(?, '$[*]' COLUMNS \
         (`value` INT PATH '$')) AS `orm_keys`)"
    );
    let mut sql = Sql::<sqlx::MySql>::new();
    sql.in_keys(None, "code", &["a".to_string()], true);
    assert_eq!(
        sql.text(),
        "`code` NOT IN (SELECT `value` FROM JSON_TABLE(?, '$[*]' COLUMNS \
         (`value` VARCHAR(768) PATH '$')) AS `orm_keys`)"
    );
    assert_eq!(sql.bind_count(), 1);
}
