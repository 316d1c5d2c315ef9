//! The workloads on SQLite (`SqliteConnection`, the bundled libsqlite3).

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use orm_peer_protocol::{Args, Report};

use crate::Error;

/// The connection this backend's workloads run on.
pub type Conn = SqliteConnection;

/// Most values one statement may bind: `SQLITE_MAX_VARIABLE_NUMBER` of the SQLite that
/// `libsqlite3-sys` bundles (32,766 since SQLite 3.32).
pub const MAX_BINDS: usize = 32_766;

// The workloads are written once against `super::Conn` and compiled for each backend: Diesel's
// queries are typed by their backend, and bounds generic over it would be longer than the code.
#[allow(clippy::duplicate_mod)]
#[path = "workloads/read.rs"]
pub mod read;
#[allow(clippy::duplicate_mod)]
#[path = "workloads/run.rs"]
pub mod run;
#[allow(clippy::duplicate_mod)]
#[path = "workloads/write.rs"]
pub mod write;

/// Opens the database file of `url` (`sqlite://path`, `sqlite:///abs/path` or a plain path).
pub fn connect(url: &str) -> Result<Conn, Error> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if !Path::new(path).is_file() {
        return Err(format!("no SQLite database file at `{path}` (seed it first)").into());
    }
    let mut conn = SqliteConnection::establish(path)?;
    // Wait for a lock rather than fail at once, as sqlx's SQLite connections do (5 s).
    conn.batch_execute("PRAGMA busy_timeout = 5000")?;
    Ok(conn)
}

/// Runs the workload `args` names on SQLite.
pub fn run(args: &Args) -> Result<Report, Error> {
    let mut conn = connect(&args.url)?;
    run::workload(&mut conn, args)
}
