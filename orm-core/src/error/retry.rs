//! Which driver errors are transient (retry the operation) and which mean the connection is gone.

/// Whether the database gave up on a lock and the same operation may succeed if run again:
///
/// | backend | errors |
/// |---|---|
/// | PostgreSQL | `40P01` deadlock, `40001` serialization failure, `55P03` lock not available |
/// | MySQL / MariaDB | 1213 deadlock (`40001`), 1205 lock wait timeout, 1467 "failed to read auto-increment value" (MariaDB, under concurrent `INSERT ... SELECT`) |
/// | SQLite | `SQLITE_BUSY` (5) and its extended codes: `BUSY_RECOVERY` (261), `BUSY_SNAPSHOT` (517), `BUSY_TIMEOUT` (773); `SQLITE_LOCKED` (6) |
pub(crate) fn is_retryable(err: &sqlx::Error) -> bool {
    let Some(db) = err.as_database_error() else {
        return false;
    };
    #[cfg(feature = "mysql")]
    if let Some(mysql) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(mysql.number(), 1205 | 1213 | 1467) || mysql.code() == Some("40001");
    }
    #[cfg(feature = "sqlite")]
    if is_sqlite(db) {
        return db
            .code()
            .is_some_and(|code| matches!(code.as_ref(), "5" | "6" | "261" | "517" | "773"));
    }
    db.code()
        .is_some_and(|code| matches!(code.as_ref(), "40P01" | "40001" | "55P03"))
}

/// Whether the error means the connection can no longer be used: an I/O or protocol failure,
/// or the server ending the session (PostgreSQL `57P01`..`57P03` and class `08`; MySQL 1927
/// "connection was killed", 2006 "server has gone away", 2013 "lost connection").
pub(crate) fn is_connection_loss(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            #[cfg(feature = "mysql")]
            if let Some(mysql) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                return matches!(mysql.number(), 1053 | 1927 | 2006 | 2013);
            }
            #[cfg(feature = "sqlite")]
            if is_sqlite(&**db) {
                return false;
            }
            db.code().is_some_and(|code| {
                matches!(code.as_ref(), "57P01" | "57P02" | "57P03") || code.starts_with("08")
            })
        }
        _ => false,
    }
}

/// Whether `db` is SQLite's: through sqlx, or from the fast read path (`execute::raw`).
#[cfg(feature = "sqlite")]
fn is_sqlite(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
        || db
            .try_downcast_ref::<crate::execute::raw::RawSqliteError>()
            .is_some()
}
