//! `peer-orm`: the `orm` and `sqlx` contenders of the peer benchmark (`peers/PROTOCOL.md`).
//!
//! ```text
//! peer-orm --contender orm|sqlx --backend sqlite|postgres|mysql --url URL --workload w1..w7
//!          --size N [--iterations N] [--warmup N] [--memory]
//! ```
//!
//! Prints one JSON report on stdout; errors go to stderr with a non-zero exit. With
//! `PEER_ORM_SQLX_READS` set, the ORM reads SQLite through sqlx's row stream instead of its fast
//! read path (`orm::set_sqlite_fast_reads(false)`), for measuring what that path gains.

mod counter;
mod db;
mod models;
mod orm_side;
mod outcome;
mod run;
mod sqlx_mysql;
mod sqlx_pg;
mod sqlx_side;
mod sqlx_sqlite;

use std::process::ExitCode;

use orm_peer_protocol::{Args, CountingAlloc};

/// Every allocation counted, for `--memory`.
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Parses the command line, runs, prints the report.
fn main() -> ExitCode {
    let args = match Args::from_env() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("peer-orm: {e}");
            return ExitCode::from(2);
        }
    };
    if std::env::var_os("PEER_ORM_SQLX_READS").is_some() {
        orm::set_sqlite_fast_reads(false);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("peer-orm: tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = run::Contender::parse(&args.contender)
        .and_then(|contender| runtime.block_on(run::run(&args, contender)));
    match result {
        Ok(report) => {
            println!("{}", report.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "peer-orm: {} {} {}: {e}",
                args.contender, args.backend, args.workload
            );
            ExitCode::FAILURE
        }
    }
}
