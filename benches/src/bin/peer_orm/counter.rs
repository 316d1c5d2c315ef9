//! Counting the statements of one iteration (`peers/PROTOCOL.md`, The run, 2).
//!
//! Three counts, all off unless [`start`] switched them on (so the timed iterations pay one
//! atomic load per statement, and the ORM and sqlx see no interested subscriber):
//!
//! - the ORM's `orm::sql` events, one per statement it runs, the transaction control of its
//!   own transactions included;
//! - transaction control seen by the driver (`BEGIN`, `COMMIT`, `SAVEPOINT`, ...);
//! - every statement seen by the driver, to check the other counts: sqlx's `sqlx::query`
//!   events on PostgreSQL and MySQL, and SQLite's own `sqlite3_trace_v2` on SQLite, where sqlx
//!   runs `BEGIN` / `COMMIT` without an event. On PostgreSQL sqlx sends `BEGIN` (and
//!   `SAVEPOINT`) queued, without an event, so each logged end of a transaction (`COMMIT`,
//!   `ROLLBACK`, `RELEASE SAVEPOINT`) also counts the unlogged statement that opened it.

use std::ffi::{CStr, c_char, c_int, c_uint, c_void};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use orm_peer_protocol::Backend;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Whether statements are being counted now.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// `orm::sql` events.
static ORM: AtomicUsize = AtomicUsize::new(0);
/// Transaction control seen by the driver.
static CONTROL: AtomicUsize = AtomicUsize::new(0);
/// Every statement seen by the driver.
static DRIVER: AtomicUsize = AtomicUsize::new(0);
/// Whether `sqlx::query` events are the driver's count (not on SQLite, which is traced).
static SQLX_EVENTS_COUNT: AtomicBool = AtomicBool::new(true);
/// Whether each end of a transaction implies its unlogged start (PostgreSQL).
static IMPLIED_BEGIN: AtomicBool = AtomicBool::new(false);

/// What one counted iteration sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// `orm::sql` events.
    pub orm: usize,
    /// Transaction control statements seen by the driver.
    pub control: usize,
    /// Every statement seen by the driver.
    pub driver: usize,
}

/// Installs the counting subscriber for `backend`: on SQLite the driver count comes from
/// SQLite's trace (installed per connection by [`trace_sqlite`]) rather than sqlx's events.
pub fn install(backend: Backend) -> Result<(), String> {
    SQLX_EVENTS_COUNT.store(backend != Backend::Sqlite, Ordering::SeqCst);
    IMPLIED_BEGIN.store(backend == Backend::Postgres, Ordering::SeqCst);
    SHOW.store(
        std::env::var_os("PEER_ORM_SHOW_SQL").is_some(),
        Ordering::SeqCst,
    );
    tracing::subscriber::set_global_default(Registry::default().with(CountingLayer))
        .map_err(|e| format!("installing the statement counter: {e}"))
}

/// Resets the counts and starts counting.
pub fn start() {
    ORM.store(0, Ordering::SeqCst);
    CONTROL.store(0, Ordering::SeqCst);
    DRIVER.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
}

/// Stops counting and returns what was counted since [`start`].
pub fn stop() -> Counts {
    COUNTING.store(false, Ordering::SeqCst);
    Counts {
        orm: ORM.load(Ordering::SeqCst),
        control: CONTROL.load(Ordering::SeqCst),
        driver: DRIVER.load(Ordering::SeqCst),
    }
}

/// The first word of a statement.
fn first_word(sql: &str) -> &str {
    sql.split_whitespace().next().unwrap_or("")
}

/// Whether `word` is one of `words`, ignoring case.
fn is_any(word: &str, words: &[&str]) -> bool {
    words.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// Whether to print each statement seen (`PEER_ORM_SHOW_SQL` set) on stderr, for checking.
static SHOW: AtomicBool = AtomicBool::new(false);

/// Records one statement seen by the driver.
fn driver_saw(sql: &str) {
    if SHOW.load(Ordering::Relaxed) {
        let end = sql.char_indices().nth(160).map_or(sql.len(), |(i, _)| i);
        eprintln!(
            "peer-orm sql: {}",
            sql[..end].split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    let word = first_word(sql);
    let ends = is_any(word, &["COMMIT", "ROLLBACK", "RELEASE"]);
    let seen = if ends && IMPLIED_BEGIN.load(Ordering::Relaxed) {
        2
    } else {
        1
    };
    DRIVER.fetch_add(seen, Ordering::Relaxed);
    if ends || is_any(word, &["BEGIN", "SAVEPOINT", "START"]) {
        CONTROL.fetch_add(seen, Ordering::Relaxed);
    }
}

/// The layer: interested in `orm::sql` and `sqlx::query` only, and only while counting.
struct CountingLayer;

impl<S: Subscriber> Layer<S> for CountingLayer {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        match metadata.target() {
            "orm::sql" | "sqlx::query" => Interest::sometimes(),
            _ => Interest::never(),
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        // DEBUG and above: the ORM then emits its event without the bound values.
        *metadata.level() <= Level::DEBUG && COUNTING.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        match event.metadata().target() {
            "orm::sql" => {
                ORM.fetch_add(1, Ordering::Relaxed);
                if SHOW.load(Ordering::Relaxed) {
                    let mut sql = Text("sql", String::new());
                    event.record(&mut sql);
                    eprintln!("peer-orm orm::sql: {}", sql.1);
                }
            }
            "sqlx::query" if SQLX_EVENTS_COUNT.load(Ordering::Relaxed) => {
                let mut summary = Text("summary", String::new());
                event.record(&mut summary);
                driver_saw(&summary.1);
            }
            _ => {}
        }
    }
}

/// One text field of an event: sqlx's `summary` (the statement's first words), the ORM's `sql`.
struct Text(&'static str, String);

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == self.0 {
            value.clone_into(&mut self.1);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == self.0 {
            self.1 = format!("{value:?}").trim_matches('"').to_owned();
        }
    }
}

/// Has SQLite report every statement `conn` runs to the driver count (`SQLITE_TRACE_STMT`).
pub async fn trace_sqlite(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the open connection sqlx holds locked here; the callback is a plain
    // function with no context pointer, valid for the life of the program.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_trace_v2(
            db,
            libsqlite3_sys::SQLITE_TRACE_STMT,
            Some(on_sqlite_statement),
            std::ptr::null_mut(),
        )
    };
    if rc != 0 {
        return Err(sqlx::Error::Protocol(format!(
            "sqlite3_trace_v2 failed: {rc}"
        )));
    }
    Ok(())
}

/// SQLite's trace callback: for `SQLITE_TRACE_STMT`, `sql` is the statement's text.
unsafe extern "C" fn on_sqlite_statement(
    kind: c_uint,
    _ctx: *mut c_void,
    _stmt: *mut c_void,
    sql: *mut c_void,
) -> c_int {
    if kind != libsqlite3_sys::SQLITE_TRACE_STMT || !COUNTING.load(Ordering::Relaxed) {
        return 0;
    }
    let text = if sql.is_null() {
        ""
    } else {
        // SAFETY: for SQLITE_TRACE_STMT, SQLite passes the statement's NUL-terminated UTF-8 text.
        unsafe { CStr::from_ptr(sql as *const c_char) }
            .to_str()
            .unwrap_or("")
    };
    // A trigger's sub-program is reported as a comment: not a statement sent. The ORM's fast
    // read path reads the connection's busy timeout in the same thread (`PRAGMA busy_timeout`):
    // not a statement sent either.
    if !text.starts_with("--") && !text.starts_with("PRAGMA busy_timeout") {
        driver_saw(text);
    }
    0
}
