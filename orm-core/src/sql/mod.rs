//! `Sql`: SQL text plus its bound arguments, built together so a value never enters the text.

use std::cell::Cell;
use std::fmt::Write;

use sqlx::Arguments;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::execute::raw::RawArg;
use crate::value::{Bind, Key, json_array};

mod raw_args;
mod shapes;

pub(crate) use raw_args::RawArgs;

/// The target of the ORM's statement events: filter on it (`orm::sql=debug`) to see the SQL.
pub const TARGET: &str = "orm::sql";

/// How a bound value whose type has no `Debug` bound is shown.
pub(crate) const UNSHOWN: &str = "<value>";

thread_local! {
    /// Set while [`showing`] builds a statement to be shown rather than run.
    static SHOWING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `build`, whose statements keep their bound values as text ([`Sql::shown_values`]):
/// how `to_sql` shows any statement builder's output without a second builder.
pub(crate) fn showing<T>(build: impl FnOnce() -> T) -> T {
    SHOWING.with(|showing| {
        let before = showing.replace(true);
        let built = build();
        showing.set(before);
        built
    })
}

/// A statement under construction: text and arguments grow together.
///
/// Identifiers are quoted by the backend; values only ever become placeholders. The first value
/// that fails to encode is kept and returned by [`Sql::finish`].
///
/// ```
/// use orm_core::__private::Sql;
/// use sqlx::Sqlite;
///
/// let mut sql = Sql::<Sqlite>::new();
/// sql.push("SELECT * FROM ");
/// sql.ident("users");
/// sql.push(" WHERE ");
/// sql.ident("id");
/// sql.push(" = ");
/// sql.bind(&7_i64);
/// assert_eq!(sql.text(), "SELECT * FROM `users` WHERE `id` = ?");
/// ```
pub struct Sql<DB: Dialect> {
    text: String,
    args: DB::Arguments,
    /// The values again, as SQLite's raw read path binds them (`RawArgs`).
    raw: RawArgs,
    error: Option<sqlx::error::BoxDynError>,
    persistent: bool,
    /// The bound values as text, in bind order, when the statement is written to be shown
    /// ([`showing`], a TRACE event); `None` when it is written only to run.
    shown: Option<Vec<String>>,
}

impl<DB: Dialect> Default for Sql<DB> {
    fn default() -> Self {
        Self::new()
    }
}

impl<DB: Dialect> Sql<DB> {
    /// An empty statement.
    pub fn new() -> Self {
        Sql {
            text: String::with_capacity(128),
            args: DB::Arguments::default(),
            raw: RawArgs::new(DB::RAW_READS),
            error: None,
            persistent: true,
            // Values are kept as text only to be shown: `to_sql`, or a TRACE event.
            shown: (SHOWING.with(Cell::get)
                || tracing::enabled!(target: TARGET, tracing::Level::TRACE))
            .then(Vec::new),
        }
    }

    /// The bound values as text, in bind order (empty unless built under [`showing`] or with
    /// TRACE on for [`TARGET`]). A value whose type cannot be shown is `<value>`.
    pub(crate) fn shown_values(&mut self) -> Vec<String> {
        self.shown.take().unwrap_or_default()
    }

    fn show(&mut self, value: impl FnOnce() -> String) {
        if let Some(shown) = &mut self.shown {
            let mut text = value();
            if text.len() > 200 {
                let cut = (0..=200)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                text.truncate(cut);
                text.push_str("...");
            }
            shown.push(text);
        }
    }

    /// Appends a placeholder and binds `value`, which is shown with `Debug` by `to_sql` and
    /// recorded for the raw read path when its type is a plain one (`raw_args::raw_arg`).
    pub(crate) fn bind_debug<T: Bind<DB> + std::fmt::Debug + 'static>(
        &mut self,
        value: &T,
    ) -> &mut Self {
        self.show(|| format!("{value:?}"));
        if self.raw.is_kept() {
            self.raw.push(raw_args::raw_arg(value));
        }
        self.bind_value(value)
    }

    /// Appends raw SQL. Only for text the ORM wrote itself, never for a value.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    /// Appends a quoted identifier.
    pub fn ident(&mut self, name: &str) -> &mut Self {
        DB::quote_ident(&mut self.text, name);
        self
    }

    /// Appends `"table"."column"`.
    pub fn qualified(&mut self, table: &str, column: &str) -> &mut Self {
        self.ident(table).push(".").ident(column)
    }

    /// Appends a placeholder and binds `value` to it.
    pub fn bind<T: Bind<DB>>(&mut self, value: &T) -> &mut Self {
        self.show(|| String::from(UNSHOWN));
        self.raw.lose();
        self.bind_value(value)
    }

    fn bind_value<T: Bind<DB>>(&mut self, value: &T) -> &mut Self {
        if let Err(err) = self.args.add(value) {
            self.error.get_or_insert(err);
        }
        // invariant: writing to a String cannot fail
        let _ = self.args.format_placeholder(&mut self.text);
        self
    }

    /// Appends a placeholder bound to a whole key list: one array parameter on PostgreSQL, one
    /// JSON text parameter elsewhere. Use inside the backend's key-list SQL shapes.
    pub(crate) fn bind_key_array<K: Key>(&mut self, keys: &[K]) -> &mut Self {
        self.show(|| format!("{keys:?}"));
        // SQLite binds the list as JSON text (`Dialect::add_key_array`), and so does the raw path.
        self.raw.push_with(|| RawArg::Text(json_array(keys)));
        if let Err(err) = DB::add_key_array(&mut self.args, keys) {
            self.error.get_or_insert(err);
        }
        if keys.len() > 64 {
            self.unprepared_for_large_lists();
        }
        let _ = self.args.format_placeholder(&mut self.text);
        self
    }

    /// Appends `[table.]column [NOT] IN (<keys>)` using one parameter for the whole list.
    pub fn in_keys<K: Key>(
        &mut self,
        table: Option<&str>,
        column: &str,
        keys: &[K],
        negate: bool,
    ) -> &mut Self {
        let mut column_sql = String::new();
        if let Some(table) = table {
            DB::quote_ident(&mut column_sql, table);
            column_sql.push('.');
        }
        DB::quote_ident(&mut column_sql, column);
        self.in_key_list(&column_sql, keys, negate);
        self
    }

    /// Appends `a, b, c` with each item written by `write`.
    pub fn list<I, F>(&mut self, items: I, mut write: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(&mut Self, I::Item),
    {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            write(self, item);
        }
        self
    }

    /// Appends a placeholder bound to an `i64` the ORM computed (limits, row numbers).
    pub(crate) fn bind_i64(&mut self, value: i64) -> &mut Self {
        self.show(|| value.to_string());
        self.raw.push_with(|| RawArg::Int64(value));
        if let Err(err) = DB::add_i64(&mut self.args, value) {
            self.error.get_or_insert(err);
        }
        let _ = self.args.format_placeholder(&mut self.text);
        self
    }

    /// Appends a formatted number that the ORM computed (never user text).
    pub(crate) fn push_number(&mut self, n: usize) -> &mut Self {
        let _ = write!(self.text, "{n}");
        self
    }

    /// The SQL text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many parameters are bound so far.
    pub fn bind_count(&self) -> usize {
        self.args.len()
    }

    /// The finished text and arguments, or the first encoding error.
    ///
    /// # Errors
    /// [`Error::Encode`] if a bound value could not be encoded.
    pub fn finish(self) -> Result<(String, DB::Arguments)> {
        match self.error {
            Some(source) => Err(Error::Encode {
                context: self.text,
                source,
            }),
            None => Ok((self.text, self.args)),
        }
    }

    /// The finished text and the values as the raw read path binds them, when every value was
    /// recorded (SQLite); the statement's sqlx arguments go with them, for its trace.
    ///
    /// # Errors
    /// [`Error::Encode`] if a bound value could not be encoded.
    pub(crate) fn finish_raw(self) -> Result<(String, Option<Vec<RawArg>>, DB::Arguments)> {
        let raw = self.raw.into_inner();
        match self.error {
            Some(source) => Err(Error::Encode {
                context: self.text,
                source,
            }),
            None => Ok((self.text, raw, self.args)),
        }
    }

    /// Whether the raw read path can bind this statement's values (`RawArgs`).
    pub(crate) fn has_raw_args(&self) -> bool {
        self.raw.is_kept()
    }

    /// Plans this statement at each execution instead of preparing and caching it: for large
    /// key lists, where a cached generic plan ignores the list's size (PostgreSQL estimated 104
    /// rows for 100,000). Only where the backend asks for it (`Dialect::PREPARE_KEY_LISTS`).
    pub(crate) fn unprepared_for_large_lists(&mut self) {
        self.persistent &= DB::PREPARE_KEY_LISTS;
    }

    /// Runs the statement unprepared: it runs once (DDL, the catalog read).
    pub(crate) fn unprepared(&mut self) -> &mut Self {
        self.persistent = false;
        self
    }

    /// Whether the statement should be prepared and cached.
    pub(crate) fn is_persistent(&self) -> bool {
        self.persistent
    }
}

/// Writes one row of values, `a, b, c`, optionally naming each value (`? AS "a"`).
///
/// Generated code uses it to bind a model's or pivot's columns in their declared order.
///
/// ```
/// use orm_core::__private::{RowWriter, Sql};
/// use sqlx::Sqlite;
///
/// let mut sql = Sql::<Sqlite>::new();
/// let mut row = RowWriter::new(&mut sql);
/// row.value(&1_i64);
/// row.value(&"virk");
/// assert_eq!(sql.text(), "?, ?");
/// ```
pub struct RowWriter<'s, DB: Dialect> {
    sql: &'s mut Sql<DB>,
    index: usize,
    names: Option<&'s [&'s str]>,
    assign: bool,
}

impl<'s, DB: Dialect> RowWriter<'s, DB> {
    /// A writer that appends plain values.
    pub fn new(sql: &'s mut Sql<DB>) -> Self {
        RowWriter {
            sql,
            index: 0,
            names: None,
            assign: false,
        }
    }

    /// A writer that names the n-th value `aliases[n]`.
    #[cfg_attr(not(feature = "mysql"), allow(dead_code))]
    pub(crate) fn aliased(sql: &'s mut Sql<DB>, aliases: &'s [&'s str]) -> Self {
        RowWriter {
            sql,
            index: 0,
            names: Some(aliases),
            assign: false,
        }
    }

    /// A writer of `"column" = value` pairs, for the SET list of an UPDATE.
    pub(crate) fn assignments(sql: &'s mut Sql<DB>, columns: &'s [&'s str]) -> Self {
        RowWriter {
            sql,
            index: 0,
            names: Some(columns),
            assign: true,
        }
    }

    /// Binds the next value.
    pub fn value<T: Bind<DB>>(&mut self, value: &T) {
        self.separator();
        self.sql.bind(value);
        self.alias();
    }

    /// Binds the next value, a key. In the first row of MariaDB's table of rows (the one that
    /// names the columns), the key is cast to its SQL type: with an untyped placeholder there,
    /// MariaDB ran the insert's `NOT IN (existing keys)` as a dependent subquery, one scan of
    /// the pivot per row (418 s for 35,000 rows on a pivot without an index).
    pub(crate) fn key<K: Key + Bind<DB>>(&mut self, key: &K) {
        self.separator();
        if self.names.is_some()
            && !self.assign
            && DB::VALUES_TABLE == crate::dialect::ValuesTable::UnionOfSelects
        {
            self.sql.push("CAST(");
            self.sql.bind(key);
            self.sql.push(" AS ").push(K::MYSQL_CAST_TYPE).push(")");
        } else {
            self.sql.bind(key);
        }
        self.alias();
    }

    fn separator(&mut self) {
        if self.index > 0 {
            self.sql.push(", ");
        }
        if self.assign
            && let Some(name) = self.names.and_then(|names| names.get(self.index))
        {
            self.sql.ident(name).push(" = ");
        }
    }

    fn alias(&mut self) {
        if !self.assign
            && let Some(name) = self.names.and_then(|names| names.get(self.index))
        {
            self.sql.push(" AS ").ident(name);
        }
        self.index += 1;
    }
}

#[cfg(test)]
mod tests;
