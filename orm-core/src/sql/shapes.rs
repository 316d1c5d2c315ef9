//! The SQL shapes that differ by dialect, written from the dialect's data: key lists as one
//! parameter, tables of keys and of literal rows, keyed deletes, insert-or-ignore, limits.

use super::{RowWriter, Sql};
use crate::dialect::{Dialect, KeyList, NoLimit, SkipDuplicates, ValuesTable};
use crate::value::Key;

impl<DB: Dialect> Sql<DB> {
    /// Appends `<column_sql> [NOT] IN <one-parameter list of keys>`: `(col = ANY($1))` on
    /// PostgreSQL, `col IN (SELECT value FROM json_each(?))` on SQLite,
    /// `col IN (SELECT value FROM JSON_TABLE(..))` on MySQL.
    pub(crate) fn in_key_list<K: Key>(
        &mut self,
        column_sql: &str,
        keys: &[K],
        negate: bool,
    ) -> &mut Self {
        match DB::KEY_LIST {
            KeyList::Array => {
                self.push(if negate { "NOT (" } else { "(" });
                self.push(column_sql).push(" = ANY(");
                self.bind_key_array(keys).push("))")
            }
            KeyList::JsonEach => {
                self.push(column_sql);
                self.push(if negate { " NOT IN " } else { " IN " });
                self.push("(SELECT ");
                self.json_element::<K>("value");
                self.push(" FROM json_each(");
                self.bind_key_array(keys).push("))")
            }
            KeyList::JsonTable => {
                self.push(column_sql);
                self.push(if negate { " NOT IN " } else { " IN " });
                self.push("(SELECT `value` FROM ");
                self.key_table(keys, "orm_keys").push(")")
            }
        }
    }

    /// Appends a table expression with one column named `value`, one row per key, aliased
    /// `alias`.
    pub(crate) fn key_table<K: Key>(&mut self, keys: &[K], alias: &str) -> &mut Self {
        match DB::KEY_LIST {
            KeyList::Array => {
                self.push("UNNEST(");
                self.bind_key_array(keys).push(") AS ").ident(alias);
                self.push("(value)")
            }
            KeyList::JsonEach => {
                self.push("(SELECT ");
                self.json_element::<K>("value");
                if !K::FROM_JSON.is_empty() {
                    self.push(" AS value");
                }
                self.push(" FROM json_each(");
                self.bind_key_array(keys).push(")) AS ").ident(alias)
            }
            KeyList::JsonTable if K::FROM_JSON.is_empty() => {
                self.json_table(keys);
                self.push(" AS ").ident(alias)
            }
            KeyList::JsonTable => {
                // The elements need a conversion, which JSON_TABLE's columns cannot apply: a
                // derived table over it does.
                self.push("(SELECT ");
                self.json_element::<K>("`value`");
                self.push(" AS `value` FROM ");
                self.json_table(keys);
                self.push(" AS `orm_json`) AS ").ident(alias)
            }
        }
    }

    /// `JSON_TABLE(?, '$[*]' COLUMNS (`value` <type> PATH '$'))` over the bound key list.
    fn json_table<K: Key>(&mut self, keys: &[K]) -> &mut Self {
        self.push("JSON_TABLE(");
        self.bind_key_array(keys)
            .push(", '$[*]' COLUMNS (`value` ")
            .push(K::MYSQL_JSON_TYPE);
        self.push(" PATH '$'))")
    }

    /// The element `column` of a JSON key list as the key column's value: `column` itself, or
    /// [`Key::FROM_JSON`] applied to it (`UNHEX(value)` for a `Uuid`).
    fn json_element<K: Key>(&mut self, column: &str) -> &mut Self {
        if K::FROM_JSON.is_empty() {
            self.push(column)
        } else {
            self.push(K::FROM_JSON).push("(").push(column).push(")")
        }
    }

    /// Appends `DELETE FROM table WHERE [table.key_column IN keys AND ]`, for the caller to
    /// finish with the remaining conditions. (MySQL: a join on the key list materialized as a
    /// `SELECT DISTINCT` derived table, which MariaDB indexes, so each table row is one lookup:
    /// linear in the number of keys even on a pivot without any index. Joined on the bare
    /// `JSON_TABLE`, it scanned the key list once per row, and `IN (subquery)` ran the subquery
    /// per row: both quadratic, 17.6 s and 6.9 s for 8,000 keys against 26 ms.)
    pub(crate) fn delete_where<K: Key>(
        &mut self,
        table: &str,
        keys: Option<(&str, &[K])>,
    ) -> &mut Self {
        if DB::DELETE_BY_JOIN {
            self.push("DELETE ")
                .ident(table)
                .push(" FROM ")
                .ident(table);
            if let Some((column, keys)) = keys {
                self.push(" JOIN (SELECT DISTINCT ")
                    .ident("value")
                    .push(" FROM ");
                self.key_table(keys, "orm_key_list")
                    .push(") AS ")
                    .ident("orm_keys");
                self.push(" ON ");
                self.qualified(table, column)
                    .push(" = ")
                    .qualified("orm_keys", "value");
            }
            return self.push(" WHERE ");
        }
        self.push("DELETE FROM ").ident(table).push(" WHERE ");
        if let Some((column, keys)) = keys {
            self.in_keys(Some(table), column, keys, false);
            self.push(" AND ");
        }
        self
    }

    /// Appends a table expression over `rows` rows of `columns`, aliased `alias`, each row's
    /// values written (comma separated) by `write_row`. Nothing for no rows.
    pub(crate) fn values_table<T>(
        &mut self,
        columns: &[&str],
        rows: &[T],
        alias: &str,
        write_row: &mut dyn FnMut(&mut RowWriter<'_, DB>, &T),
    ) -> &mut Self {
        let Some((first, rest)) = rows.split_first() else {
            return self;
        };
        match DB::VALUES_TABLE {
            ValuesTable::Named => {
                self.push("(VALUES ");
                self.values_rows(rows, write_row);
                self.push(") AS ").ident(alias).push("(");
                self.list(columns, |sql, column| {
                    sql.ident(column);
                });
                self.push(")")
            }
            ValuesTable::Numbered => {
                self.push("(SELECT ");
                for (i, column) in columns.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.push("column")
                        .push_number(i + 1)
                        .push(" AS ")
                        .ident(column);
                }
                self.push(" FROM (VALUES ");
                self.values_rows(rows, write_row);
                self.push(")) AS ").ident(alias)
            }
            ValuesTable::UnionOfSelects => {
                self.push("(SELECT ");
                write_row(&mut RowWriter::aliased(self, columns), first);
                for row in rest {
                    self.push(" UNION ALL SELECT ");
                    write_row(&mut RowWriter::new(self), row);
                }
                self.push(") AS ").ident(alias)
            }
        }
    }

    /// `(..), (..)`: each row's values in parentheses.
    fn values_rows<T>(
        &mut self,
        rows: &[T],
        write_row: &mut dyn FnMut(&mut RowWriter<'_, DB>, &T),
    ) {
        self.list(rows, |sql, row| {
            sql.push("(");
            write_row(&mut RowWriter::new(sql), row);
            sql.push(")");
        });
    }

    /// Appends the clause that makes an insert into `table` skip rows whose unique key exists
    /// already (`any_column` is a column of the table, for MySQL's no-op update).
    pub(crate) fn skip_duplicates(&mut self, table: &str, any_column: &str) -> &mut Self {
        match DB::SKIP_DUPLICATES {
            SkipDuplicates::OnConflictDoNothing => self.push(" ON CONFLICT DO NOTHING"),
            SkipDuplicates::OnDuplicateKeyNoOp => {
                self.push(" ON DUPLICATE KEY UPDATE ").ident(any_column);
                self.push(" = ").qualified(table, any_column)
            }
        }
    }

    /// Appends `LIMIT` / `OFFSET` with bound values.
    pub(crate) fn limit_offset(&mut self, limit: Option<u64>, offset: Option<u64>) -> &mut Self {
        let bound = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let limit = match (limit, DB::NO_LIMIT) {
            (Some(n), _) => Some(bound(n)),
            (None, _) if offset.is_none() => None,
            (None, NoLimit::Omit) => None,
            (None, NoLimit::MinusOne) => Some(-1),
            (None, NoLimit::Largest) => Some(i64::MAX),
        };
        if let Some(limit) = limit {
            self.push(" LIMIT ").bind_i64(limit);
        }
        if let Some(offset) = offset {
            self.push(" OFFSET ").bind_i64(bound(offset));
        }
        self
    }
}

#[cfg(test)]
mod tests {
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
}
