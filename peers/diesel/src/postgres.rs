//! The workloads on PostgreSQL (`PgConnection`, the bundled libpq).

use diesel::prelude::*;
use orm_peer_protocol::{Args, Report};

use crate::Error;

/// The connection this backend's workloads run on.
pub type Conn = PgConnection;

/// Most values one statement may bind: the protocol's 16-bit parameter count.
pub const MAX_BINDS: usize = 65_535;

// See `sqlite.rs`: the same workload files, compiled against `PgConnection`.
#[allow(clippy::duplicate_mod)]
#[path = "workloads/read.rs"]
pub mod read;
#[allow(clippy::duplicate_mod)]
#[path = "workloads/run.rs"]
pub mod run;
#[allow(clippy::duplicate_mod)]
#[path = "workloads/write.rs"]
pub mod write;

/// Runs the workload `args` names on the PostgreSQL server of `args.url`.
pub fn run(args: &Args) -> Result<Report, Error> {
    let mut conn = PgConnection::establish(&args.url)?;
    run::workload(&mut conn, args)
}
