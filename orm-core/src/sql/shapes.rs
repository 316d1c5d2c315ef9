//! The SQL shapes that differ by dialect, written from the dialect's data: key lists as one
//! parameter (typed in the distributed PostgreSQL flavor), tables of keys and of literal rows,
//! keyed deletes, insert-or-ignore, limits.

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
                self.bind_key_array(keys).array_cast::<K>().push("))")
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
                self.bind_key_array(keys).array_cast::<K>();
                self.push(") AS ").ident(alias).push("(value)")
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

    /// `::int8[]` after an array parameter in the distributed flavor, where CockroachDB does not
    /// always infer a placeholder's type from its use (cockroach#43007); nothing otherwise.
    fn array_cast<K: Key>(&mut self) -> &mut Self {
        if DB::distributed() {
            self.push("::").push(K::PG_ARRAY_TYPE);
        }
        self
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
mod tests;

#[cfg(test)]
mod flavor_tests;
