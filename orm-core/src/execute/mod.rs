//! Running statements: the few calls into sqlx that need the concrete database types, behind
//! one trait implemented for each backend. What the SQL says is the dialect's business
//! (`dialect`); which connection runs it is the executor's (`executor`).

use std::future::Future;

use sqlx::Transaction;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::sql::Sql;
use crate::value::Column;

mod backends;
mod cancel;
mod extra;
mod fast;
mod generator;
pub(crate) mod pinned;
/// The fast SQLite read path: the ORM's SQL stepped on sqlx's locked raw handle, each row
/// decoded in place with sqlx's rules ([`raw::each_row`], [`raw::RawColumn`]).
pub mod raw;
mod rows;
mod shared;
mod trace;
mod transaction;

pub(crate) use cancel::{InFlight, take_interrupted};
pub(crate) use fast::{fetch_raw, reads_raw};
pub use fast::{set_sqlite_fast_reads, sqlite_fast_reads};
pub(crate) use generator::{Generator, Slot};
pub use pinned::{set_transaction_pooler, transaction_pooler};
pub use rows::Rows;
pub(crate) use shared::impl_execution;
pub use trace::TARGET;
pub(crate) use trace::Trace;
pub(crate) use transaction::{begin as begin_transaction, finish as finish_transaction};

/// What a write statement reports back.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Rows the statement changed (on MySQL through sqlx: rows it matched).
    pub rows_affected: u64,
    /// The first generated id of an insert, where the backend reports one (MySQL).
    pub last_insert_id: Option<u64>,
}

/// Runs statements and decodes rows on a database: implemented for `sqlx::Sqlite`,
/// `sqlx::Postgres` and `sqlx::MySql` (each behind its cargo feature).
///
/// Every statement run here is one `tracing` event with target [`TARGET`] (`orm::sql`): at
/// DEBUG level its `sql`, `backend`, `rows` (returned or affected), `elapsed` and
/// `elapsed_secs`, `raw` (true when SQLite's fast read path read the rows: [`raw`],
/// [`set_sqlite_fast_reads`]) and `error` when it failed; at TRACE level the same event also carries
/// `binds`, the bound values cut to 512 bytes.
///
/// ```
/// assert_eq!(orm_core::execute::TARGET, "orm::sql");
/// ```
pub trait Execute: Dialect {
    /// Runs a statement and returns every row.
    fn fetch_all<'c>(
        conn: &'c mut Self::Connection,
        sql: Sql<Self>,
    ) -> impl Future<Output = Result<Vec<Self::Row>>> + Send + 'c;

    /// Runs a statement and returns its rows as they arrive, without collecting them.
    fn fetch<'c>(conn: &'c mut Self::Connection, sql: Sql<Self>) -> Rows<'c, Self>;

    /// Runs `sql` with `args` on the driver's raw handle and calls `each` on every row as it is
    /// read, returning how many ([`raw`]; SQLite only). The read paths call it only where
    /// [`Dialect::RAW_READS`] holds; elsewhere it fails.
    #[doc(hidden)]
    fn each_raw_row<'c, F>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
        args: &'c [raw::RawArg],
        summary: &'c str,
        each: F,
    ) -> impl Future<Output = Result<u64>> + Send + 'c
    where
        F: FnMut(&raw::RawRow<'_>) -> Result<()> + Send + 'c,
    {
        let _ = (conn, sql, args, each);
        std::future::ready(Err(Error::db(
            summary,
            sqlx::Error::InvalidArgument(String::from("no raw read path on this backend")),
        )))
    }

    /// Runs a statement that returns no rows.
    fn execute<'c>(
        conn: &'c mut Self::Connection,
        sql: Sql<Self>,
    ) -> impl Future<Output = Result<Outcome>> + Send + 'c;

    /// Opens a transaction, or a savepoint when `conn` is already in one. On SQLite a new
    /// transaction takes the write lock at once (`BEGIN IMMEDIATE`) so concurrent writers wait
    /// instead of failing.
    fn begin(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<Transaction<'_, Self>>> + Send + '_;

    /// The statement [`Execute::begin`] opens a new transaction with, as its `orm::sql` event
    /// shows it.
    const BEGIN: &'static str = "BEGIN";

    /// What a finished write statement reports.
    fn outcome(done: &Self::QueryResult) -> Outcome;

    /// Decodes column `index` of `row` as an `i64` (counts).
    fn get_i64(row: &Self::Row, index: usize) -> std::result::Result<i64, sqlx::Error>;

    /// Decodes column `index` of `row` as whichever of integer, float, text or boolean it is,
    /// or one of the column types the enabled features add (date-times, UUIDs, JSON, decimals).
    fn get_extra(row: &Self::Row, index: usize) -> crate::value::ExtraValue;

    /// Decodes column `index` of `row`, NULL as `None`.
    fn get_optional<T: Column<Self>>(
        row: &Self::Row,
        index: usize,
    ) -> std::result::Result<Option<T>, sqlx::Error>;

    /// Decodes column `index` of `row`.
    fn get<T: Column<Self>>(row: &Self::Row, index: usize) -> std::result::Result<T, sqlx::Error>;

    /// Whether a statement on `conn` runs in a transaction of its own (`BEGIN`, the statement,
    /// `COMMIT`), so that all of its round trips reach one server behind a transaction pooler
    /// such as pgbouncer in `pool_mode = transaction`. Never on SQLite and MySQL; on PostgreSQL
    /// after [`set_transaction_pooler`]`(true)`, when `conn` is not in a transaction and holds no
    /// statement in sqlx's statement cache: always with `statement_cache_capacity(0)`, the
    /// connection option to use behind a transaction pooler (README, "Behind pgbouncer").
    ///
    /// ```
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use orm_core::execute::Execute;
    /// use sqlx::Connection;
    ///
    /// let conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
    /// assert!(!<sqlx::Sqlite as Execute>::pins(&conn));
    /// # Ok(()) }
    /// ```
    fn pins(conn: &Self::Connection) -> bool {
        let _ = conn;
        false
    }

    /// Called when [`Execute::begin`] failed with `err`; `nested` says whether `conn` was in the
    /// caller's transaction. Puts right what the failed begin did to the caller's transaction
    /// (PostgreSQL, see its backend).
    fn after_failed_begin<'c>(
        conn: &'c mut Self::Connection,
        nested: bool,
        err: &'c Error,
    ) -> impl Future<Output = ()> + Send + 'c {
        let _ = (conn, nested, err);
        std::future::ready(())
    }
}

/// A statement ready to run: sqlx's query, a short description of it for error messages, and
/// its trace (when a subscriber wants its event).
type Statement<DB> = (
    sqlx::query::Query<'static, DB, <DB as sqlx::Database>::Arguments>,
    String,
    Option<Trace>,
);

/// The sqlx statement of `sql` (prepared and cached unless `sql` says otherwise), with its
/// description and trace.
pub(crate) fn statement<DB>(sql: Sql<DB>) -> Result<Statement<DB>>
where
    DB: Dialect + sqlx::database::HasStatementCache,
    DB::Arguments: sqlx::IntoArguments<DB> + std::fmt::Debug,
{
    let mut sql = sql;
    let persistent = sql.is_persistent();
    let shown = sql.shown_values();
    let (text, args) = sql.finish()?;
    let summary = summary(&text);
    let trace = start_trace::<DB>(&text, &shown, &args);
    let statement = sqlx::query_with(sqlx::AssertSqlSafe(text), args).persistent(persistent);
    Ok((statement, summary, trace))
}

/// The trace of a statement about to run, showing its values as the ORM bound them (`Debug`)
/// when it kept them all, else the driver's arguments (a row writer's values have no `Debug`
/// bound: `<value>`).
pub(crate) fn start_trace<DB: Dialect>(
    text: &str,
    shown: &[String],
    args: &DB::Arguments,
) -> Option<Trace>
where
    DB::Arguments: std::fmt::Debug,
{
    if shown.is_empty() || shown.iter().any(|v| v == crate::sql::UNSHOWN) {
        Trace::start(DB::DIALECT, text, args)
    } else {
        Trace::start(DB::DIALECT, text, &shown)
    }
}

/// Emits the event of a finished statement, if it is traced.
pub(crate) fn traced<T>(trace: Option<Trace>, result: &Result<T>, rows: impl FnOnce(&T) -> u64) {
    if let Some(trace) = trace {
        match result {
            Ok(done) => trace.finish(rows(done), None),
            Err(err) => trace.finish(0, Some(err)),
        }
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

/// Runs `$body` (an expression awaiting a `Result` on the connection `$c`), a read of several
/// statements (a query and its preloads, a page's count and rows), on `$conn`: in one
/// transaction of its own when `$several` and [`Execute::pins`] say so, so that behind a
/// transaction pooler its statements share one `BEGIN`/`COMMIT` instead of one each; else as
/// it is.
macro_rules! pinned_together {
    ($db:ty, $conn:expr, $several:expr, |$c:ident| $body:expr) => {{
        let conn: &mut <$db as ::sqlx::Database>::Connection = $conn;
        if $several && <$db as $crate::execute::Execute>::pins(&*conn) {
            let mut tx = $crate::execute::begin_transaction::<$db>(&mut *conn, false).await?;
            let done = {
                let $c: &mut <$db as ::sqlx::Database>::Connection = &mut *tx;
                $body
            };
            $crate::execute::finish_transaction(tx, done, false).await
        } else {
            let $c = conn;
            $body
        }
    }};
}
pub(crate) use pinned_together;

/// Runs one statement: `$run` (an expression awaiting the statement on the connection `$c`)
/// on `$conn`, marked in flight, in a transaction of its own when [`Execute::pins`] says so
/// (its event between those of its `BEGIN` and `COMMIT`), with its event (`$rows` counts the
/// rows of a success). The statement's errors carry `$summary`.
macro_rules! run_statement {
    ($db:ty, $conn:expr, $summary:expr, $trace:expr, |$c:ident| $run:expr, $rows:expr) => {{
        let conn: &mut <$db as ::sqlx::Database>::Connection = $conn;
        let flight = $crate::execute::InFlight::start(&*conn);
        let done = if <$db as $crate::execute::Execute>::pins(&*conn) {
            match $crate::execute::begin_transaction::<$db>(&mut *conn, false).await {
                Ok(mut tx) => {
                    let done = {
                        let $c = &mut *tx;
                        $run.await
                            .map_err(|e| $crate::error::Error::db($summary, e))
                    };
                    $crate::execute::traced($trace, &done, $rows);
                    $crate::execute::finish_transaction(tx, done, false).await
                }
                // The statement did not run: the BEGIN's event carries the error.
                Err(err) => Err(err),
            }
        } else {
            let $c = conn;
            let done = $run
                .await
                .map_err(|e| $crate::error::Error::db($summary, e));
            $crate::execute::traced($trace, &done, $rows);
            done
        };
        flight.finish();
        done
    }};
}
pub(crate) use run_statement;
