//! What differs between SQLite, PostgreSQL and MySQL/MariaDB, behind one small trait.
//!
//! Everything the rest of the ORM needs from a database goes through [`Backend`]: identifier
//! quoting, how a list of keys becomes one parameter, insert-or-ignore, the clock expression,
//! limits, and the few calls into sqlx that need concrete types.

use std::future::Future;

use sqlx::{Database, Transaction};

use crate::error::Result;
use crate::sql::{RowWriter, Sql};
use crate::value::{Column, Key};

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// How a read locks the row of the parent whose pivot rows it reads.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLock {
    /// No lock clause: write transactions are serial already (SQLite, `BEGIN IMMEDIATE`).
    None,
    /// `... FOR UPDATE` on the joined read, whose locking read also sees the latest pivot rows
    /// (MySQL / MariaDB).
    Join,
    /// The parent locked once in a CTE (PostgreSQL, where a lock on the joined result is taken
    /// again for every joined row: 5 ms for 1,000 rows).
    Cte,
}

/// What a write statement reports back.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Rows the statement changed (on MySQL through sqlx: rows it matched).
    pub rows_affected: u64,
    /// The first generated id of an insert, where the backend reports one (MySQL).
    pub last_insert_id: Option<u64>,
}

/// A database the ORM runs on: implemented for `sqlx::Sqlite`, `sqlx::Postgres` and `sqlx::MySql`
/// (each behind its cargo feature). Sealed.
///
/// ```
/// use orm_core::Backend;
/// assert_eq!(<sqlx::Sqlite as Backend>::NAME, "sqlite");
/// assert_eq!(<sqlx::Sqlite as Backend>::BIND_LIMIT, 32_766);
/// ```
pub trait Backend: Database + Sealed {
    /// `sqlite`, `postgres` or `mysql`.
    const NAME: &'static str;
    /// The most parameters one statement may bind.
    const BIND_LIMIT: usize;
    /// Whether `INSERT ... RETURNING` hands back the generated key (else `last_insert_id`).
    const INSERT_RETURNING: bool;
    /// Whether a read that locks a row (and waited for it) sees the rows other transactions
    /// committed meanwhile. False on PostgreSQL, whose statement keeps its older snapshot.
    const LOCKED_READS_ARE_CURRENT: bool;
    /// Whether statements with a key-list parameter are prepared and cached (false on
    /// PostgreSQL, where a cached generic plan misjudges large lists).
    const PREPARE_KEY_LISTS: bool;
    /// How a sync's read locks the parent row for the rest of the transaction.
    const ROW_LOCK: RowLock;

    /// Appends `name` as a quoted identifier.
    fn quote_ident(out: &mut String, name: &str);

    /// Binds a key list as one parameter (array or JSON text).
    #[doc(hidden)]
    fn add_key_array<K: Key>(
        args: &mut Self::Arguments,
        keys: &[K],
    ) -> std::result::Result<(), sqlx::error::BoxDynError>;

    /// Appends `<column_sql> [NOT] IN <one-parameter list of keys>`.
    #[doc(hidden)]
    fn push_in_keys<K: Key>(sql: &mut Sql<Self>, column_sql: &str, keys: &[K], negate: bool);

    /// Appends `DELETE FROM table WHERE [table.key_column IN keys AND ]`, for the caller to finish
    /// with the remaining conditions. (MySQL: a join on the key list, which its optimizer runs as
    /// index lookups where it would run `IN (subquery)` once per row.)
    #[doc(hidden)]
    fn push_delete_where<K: Key>(sql: &mut Sql<Self>, table: &str, keys: Option<(&str, &[K])>) {
        sql.push("DELETE FROM ").ident(table).push(" WHERE ");
        if let Some((column, keys)) = keys {
            sql.in_keys(Some(table), column, keys, false);
            sql.push(" AND ");
        }
    }

    /// Appends a table expression with one column named `value`, one row per key, aliased `alias`.
    #[doc(hidden)]
    fn push_key_table<K: Key>(sql: &mut Sql<Self>, keys: &[K], alias: &str);

    /// Appends a table expression over `rows` rows of `columns`, aliased `alias`, each row's
    /// values written (comma separated) by `write_row`.
    #[doc(hidden)]
    fn push_values_table<T>(
        sql: &mut Sql<Self>,
        columns: &[&str],
        rows: &[T],
        alias: &str,
        write_row: &mut dyn FnMut(&mut RowWriter<'_, Self>, &T),
    );

    /// Appends the clause that makes an insert skip rows whose unique key already exists.
    #[doc(hidden)]
    fn push_on_conflict_do_nothing(sql: &mut Sql<Self>, table: &str, any_column: &str);

    /// The SQL expression for "now" that pivot timestamps are set to.
    #[doc(hidden)]
    fn now_expression() -> &'static str;

    /// Appends `LIMIT` / `OFFSET` with bound values.
    #[doc(hidden)]
    fn push_limit_offset(sql: &mut Sql<Self>, limit: Option<u64>, offset: Option<u64>);

    /// Runs a statement and returns every row.
    #[doc(hidden)]
    fn fetch_all<'c>(
        conn: &'c mut Self::Connection,
        sql: Sql<Self>,
    ) -> impl Future<Output = Result<Vec<Self::Row>>> + Send + 'c;

    /// Runs a statement that returns no rows.
    #[doc(hidden)]
    fn execute<'c>(
        conn: &'c mut Self::Connection,
        sql: Sql<Self>,
    ) -> impl Future<Output = Result<Outcome>> + Send + 'c;

    /// Opens a transaction, or a savepoint when `conn` is already in one. On SQLite a new
    /// transaction takes the write lock at once (`BEGIN IMMEDIATE`) so concurrent writers wait
    /// instead of failing.
    #[doc(hidden)]
    fn begin(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<Transaction<'_, Self>>> + Send + '_;

    /// What a finished write statement reports.
    #[doc(hidden)]
    fn outcome(done: &Self::QueryResult) -> Outcome;

    /// Binds an `i64` the ORM computed (row numbers of a per-parent limit).
    #[doc(hidden)]
    fn bind_i64(sql: &mut Sql<Self>, value: i64);

    /// Decodes column `index` of `row` as an `i64` (counts).
    #[doc(hidden)]
    fn get_i64(row: &Self::Row, index: usize) -> std::result::Result<i64, sqlx::Error>;

    /// Decodes column `index` of `row` as whichever of integer, float, text or boolean it is.
    #[doc(hidden)]
    fn get_extra(row: &Self::Row, index: usize) -> crate::extras::ExtraValue;

    /// Decodes column `index` of `row`, NULL as `None`.
    #[doc(hidden)]
    fn get_optional<T: Column<Self>>(
        row: &Self::Row,
        index: usize,
    ) -> std::result::Result<Option<T>, sqlx::Error>;

    /// Decodes column `index` of `row`.
    #[doc(hidden)]
    fn get<T: Column<Self>>(row: &Self::Row, index: usize) -> std::result::Result<T, sqlx::Error>;

    /// Called when [`Backend::begin`] failed with `err`; `nested` says whether `conn` was in the
    /// caller's transaction. Puts right what the failed begin did to the caller's transaction
    /// (PostgreSQL, see its backend).
    #[doc(hidden)]
    fn after_failed_begin<'c>(
        conn: &'c mut Self::Connection,
        nested: bool,
        err: &'c crate::error::Error,
    ) -> impl Future<Output = ()> + Send + 'c {
        let _ = (conn, nested, err);
        std::future::ready(())
    }
}

/// A short description of a statement for error messages: its first words.
pub(crate) fn summary(sql: &str) -> String {
    let mut end = sql.len().min(80);
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    if end < sql.len() {
        format!("{} ...", &sql[..end])
    } else {
        sql.to_owned()
    }
}

/// The code shared by the three backends for running statements; each backend module calls it
/// with its concrete types.
macro_rules! impl_execution {
    ($db:ty) => {
        fn fetch_all<'c>(
            conn: &'c mut <$db as ::sqlx::Database>::Connection,
            sql: $crate::sql::Sql<$db>,
        ) -> impl ::std::future::Future<
            Output = $crate::error::Result<Vec<<$db as ::sqlx::Database>::Row>>,
        > + Send
        + 'c {
            async move {
                let persistent = sql.is_persistent();
                let (text, args) = sql.finish()?;
                let summary = $crate::backend::summary(&text);
                let flight = $crate::executor::InFlight::start(&*conn);
                let rows = ::sqlx::query_with(::sqlx::AssertSqlSafe(text), args)
                    .persistent(persistent)
                    .fetch_all(conn)
                    .await;
                flight.finish();
                rows.map_err(|e| $crate::error::Error::db(summary, e))
            }
        }

        fn execute<'c>(
            conn: &'c mut <$db as ::sqlx::Database>::Connection,
            sql: $crate::sql::Sql<$db>,
        ) -> impl ::std::future::Future<Output = $crate::error::Result<$crate::backend::Outcome>>
        + Send
        + 'c {
            async move {
                let persistent = sql.is_persistent();
                let (text, args) = sql.finish()?;
                let summary = $crate::backend::summary(&text);
                let flight = $crate::executor::InFlight::start(&*conn);
                let done = ::sqlx::query_with(::sqlx::AssertSqlSafe(text), args)
                    .persistent(persistent)
                    .execute(conn)
                    .await;
                flight.finish();
                let done = done.map_err(|e| $crate::error::Error::db(summary, e))?;
                Ok(Self::outcome(&done))
            }
        }

        fn bind_i64(sql: &mut $crate::sql::Sql<$db>, value: i64) {
            sql.bind(&value);
        }

        fn get_i64(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> ::std::result::Result<i64, ::sqlx::Error> {
            ::sqlx::Row::try_get(row, index)
        }

        fn get_extra(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> $crate::extras::ExtraValue {
            use ::sqlx::{Row, ValueRef};
            use $crate::extras::ExtraValue;
            match row.try_get_raw(index) {
                Ok(raw) if raw.is_null() => return ExtraValue::Null,
                Err(_) => return ExtraValue::Unsupported(String::from("<missing column>")),
                Ok(_) => {}
            }
            if let Ok(v) = row.try_get::<i64, usize>(index) {
                return ExtraValue::Int(v);
            }
            if let Ok(v) = row.try_get::<i32, usize>(index) {
                return ExtraValue::Int(i64::from(v));
            }
            if let Ok(v) = row.try_get::<f64, usize>(index) {
                return ExtraValue::Float(v);
            }
            if let Ok(v) = row.try_get::<String, usize>(index) {
                return ExtraValue::Text(v);
            }
            if let Ok(v) = row.try_get::<bool, usize>(index) {
                return ExtraValue::Bool(v);
            }
            let name = row
                .try_get_raw(index)
                .map(|raw| ::sqlx::TypeInfo::name(&*raw.type_info()).to_owned())
                .unwrap_or_default();
            ExtraValue::Unsupported(name)
        }

        fn get_optional<T: $crate::value::Column<$db>>(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> ::std::result::Result<Option<T>, ::sqlx::Error> {
            ::sqlx::Row::try_get(row, index)
        }

        fn get<T: $crate::value::Column<$db>>(
            row: &<$db as ::sqlx::Database>::Row,
            index: usize,
        ) -> ::std::result::Result<T, ::sqlx::Error> {
            use ::sqlx::{TypeInfo, ValueRef};
            // `Row::try_get` with one column lookup instead of two, and NULL an error: a NULL is
            // never a value of a non-`Option` type (SQLite would decode it as "" or 0).
            let value = ::sqlx::Row::try_get_raw(row, index)?;
            let failed = |source| ::sqlx::Error::ColumnDecode {
                index: format!("{index:?}"),
                source,
            };
            if value.is_null() {
                return Err(failed(Box::new(::sqlx::error::UnexpectedNullError)));
            }
            let ty = value.type_info();
            if !ty.is_null() && !<T as ::sqlx::Type<$db>>::compatible(&ty) {
                return Err(failed(
                    format!(
                        "mismatched types; Rust type `{}` is not compatible with SQL type `{}`",
                        ::std::any::type_name::<T>(),
                        ty.name()
                    )
                    .into(),
                ));
            }
            <T as ::sqlx::Decode<$db>>::decode(value).map_err(failed)
        }
    };
}
pub(crate) use impl_execution;

/// Writes a quoted identifier, doubling the quote character inside it.
pub(crate) fn quote_with(out: &mut String, name: &str, quote: char) {
    out.push(quote);
    for c in name.chars() {
        if c == quote {
            out.push(quote);
        }
        out.push(c);
    }
    out.push(quote);
}
