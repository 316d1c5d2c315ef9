//! Every statement the ORM runs is one `tracing` event with target [`TARGET`] (`orm::sql`):
//! the SQL text, the backend, the rows returned or affected, and the time it took; at TRACE
//! level also the bound values, cut short. The transaction control of the ORM's own
//! transactions, which sqlx sends, is one event too ([`Trace::control`]: `BEGIN`, `SAVEPOINT`,
//! `COMMIT`, `RELEASE SAVEPOINT`, `ROLLBACK`, `ROLLBACK TO SAVEPOINT`). Nothing is measured or copied unless a subscriber
//! wants the event: [`Trace::start`] asks `tracing::enabled!` first, which, with no subscriber
//! or one filtering `orm::sql` out, is a load and a compare.

use std::fmt::{self, Debug, Write};
use std::time::{Duration, Instant};

use crate::error::Error;

pub use crate::sql::TARGET;

/// At most this many bytes of a statement's SQL are recorded; a longer text (a multi-row
/// insert of thousands of rows) is cut and its full length noted.
const MAX_SQL: usize = 4096;

/// At most this many bytes of the bound values are recorded (TRACE only), so a large blob or
/// a key list of 10,000 ids never ends up whole in a log line.
const MAX_BINDS: usize = 512;

/// A statement being timed for its event: created before it runs, finished with its row count.
pub(crate) struct Trace {
    start: Instant,
    backend: &'static str,
    sql: String,
    /// The bound values, when TRACE is enabled for [`TARGET`].
    binds: Option<String>,
    /// Whether SQLite's fast read path read the rows (`raw` field of the event).
    raw: bool,
}

impl Trace {
    /// Starts timing a statement, or `None` (and nothing copied) when no subscriber wants its
    /// event.
    pub(crate) fn start(backend: &'static str, sql: &str, args: &dyn Debug) -> Option<Trace> {
        if !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
            return None;
        }
        let binds = tracing::enabled!(target: TARGET, tracing::Level::TRACE).then(|| cut(args));
        Some(Trace {
            start: Instant::now(),
            backend,
            sql: cut_sql(sql),
            binds,
            raw: false,
        })
    }

    /// Starts timing a transaction control statement the ORM has sqlx send: `BEGIN` (or the
    /// backend's `begin`), or `SAVEPOINT` when `nested`.
    pub(crate) fn begin(backend: &'static str, begin: &'static str, nested: bool) -> Option<Trace> {
        Trace::start(backend, if nested { "SAVEPOINT" } else { begin }, &())
    }

    /// Starts timing the end of a transaction: `COMMIT` or `ROLLBACK` (`RELEASE SAVEPOINT` or
    /// `ROLLBACK TO SAVEPOINT` when `nested`).
    pub(crate) fn control(backend: &'static str, commit: bool, nested: bool) -> Option<Trace> {
        let sql = match (commit, nested) {
            (true, false) => "COMMIT",
            (false, false) => "ROLLBACK",
            (true, true) => "RELEASE SAVEPOINT",
            (false, true) => "ROLLBACK TO SAVEPOINT",
        };
        Trace::start(backend, sql, &())
    }

    /// Marks the statement as read on SQLite's fast read path (`raw = true` in its event).
    pub(crate) fn on_raw_path(mut self) -> Self {
        self.raw = true;
        self
    }

    /// Emits the statement's event: `rows` returned or affected, or the error it failed with.
    pub(crate) fn finish(self, rows: u64, error: Option<&Error>) {
        let elapsed: Duration = self.start.elapsed();
        let elapsed_secs = elapsed.as_secs_f64();
        let error = error.map(tracing::field::display);
        let Trace {
            backend,
            sql,
            binds,
            raw,
            ..
        } = self;
        match binds {
            Some(binds) => tracing::trace!(
                target: TARGET,
                backend,
                sql = %sql,
                rows,
                elapsed = ?elapsed,
                elapsed_secs,
                binds = %binds,
                raw,
                error,
                "statement"
            ),
            None => tracing::debug!(
                target: TARGET,
                backend,
                sql = %sql,
                rows,
                elapsed = ?elapsed,
                elapsed_secs,
                raw,
                error,
                "statement"
            ),
        }
    }
}

/// `sql`, cut at [`MAX_SQL`] bytes (on a character boundary) with its full length noted.
fn cut_sql(sql: &str) -> String {
    if sql.len() <= MAX_SQL {
        return sql.to_owned();
    }
    let mut end = MAX_SQL;
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ... ({} bytes)", &sql[..end], sql.len())
}

/// The `Debug` text of `value`, at most [`MAX_BINDS`] bytes: formatting stops there, so a
/// 100 MB blob is never rendered whole.
fn cut(value: &dyn Debug) -> String {
    let mut out = Bounded {
        text: String::new(),
        cut: false,
    };
    // An error here only means the bound was reached.
    let _ = write!(out, "{value:?}");
    if out.cut {
        out.text.push_str(" ...");
    }
    out.text
}

/// A `fmt::Write` that keeps the first [`MAX_BINDS`] bytes and then refuses more.
struct Bounded {
    text: String,
    cut: bool,
}

impl Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = MAX_BINDS - self.text.len();
        if s.len() <= room {
            self.text.push_str(s);
            return Ok(());
        }
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&s[..end]);
        self.cut = true;
        Err(fmt::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut() {
        let blob = vec![7_u8; 1_000_000];
        let text = cut(&blob);
        assert!(text.len() <= MAX_BINDS + 4, "{}", text.len());
        assert!(text.ends_with(" ..."));
        assert_eq!(cut(&(1, "a")), "(1, \"a\")");
    }

    #[test]
    fn long_sql_is_cut_on_a_char_boundary() {
        let sql = "é".repeat(MAX_SQL);
        let text = cut_sql(&sql);
        assert!(text.ends_with(&format!(" ... ({} bytes)", sql.len())));
        assert_eq!(cut_sql("SELECT 1"), "SELECT 1");
    }
}
