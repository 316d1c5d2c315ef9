//! `peer-diesel`: the Diesel contender of the peer benchmark (`peers/PROTOCOL.md`). It runs one
//! workload (W1..W7) on SQLite or PostgreSQL over one synchronous connection, and prints one
//! JSON [`Report`] line on stdout; any error goes to stderr with a non-zero exit.

mod bench;
mod lines;
mod models;
mod postgres;
mod schema;
mod sqlite;

use std::process::ExitCode;

use orm_peer_protocol::{Args, Backend, CountingAlloc, Report, Workload};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The Diesel release this binary is built with (`Cargo.toml` pins it exactly).
const DIESEL_VERSION: &str = "2.4.0";

/// Any error of a run: bad arguments, no connection, a failed statement.
pub type Error = Box<dyn std::error::Error>;

/// What the reader of a workload's report should know about how Diesel does it.
fn note(workload: Workload) -> Option<&'static str> {
    match workload {
        Workload::W2 => Some(
            "top 3 per user: ROW_NUMBER() OVER (PARTITION BY user_id ...) as a raw dsl::sql \
             fragment in the belonging_to query (Diesel's DSL has no per-parent limit and no \
             subquery in FROM)",
        ),
        Workload::W5 => Some(
            "sync by hand (Diesel has none): per user one transaction, SELECT, DELETE .. IN, \
             one multi-row INSERT, one UPDATE per changed link",
        ),
        Workload::W6 => Some(
            "multi-row INSERT chunked by hand under the bind limit; the insert model needs \
             treat_none_as_default_value = false, else Diesel inserts row by row on SQLite",
        ),
        _ => None,
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(report) => {
            println!("{}", report.to_json());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("peer-diesel: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the command line and runs the workload on its backend.
fn run() -> Result<Report, Error> {
    let args = Args::from_env()?;
    if args.contender != "diesel" {
        return Err(format!(
            "this binary is the `diesel` contender, not `{}`",
            args.contender
        )
        .into());
    }
    let mut report = match args.backend {
        Backend::Sqlite => sqlite::run(&args)?,
        Backend::Postgres => postgres::run(&args)?,
        Backend::Mysql => {
            return Err(
                "mysql is not built into peer-diesel (it would need libmysqlclient)".into(),
            );
        }
    };
    report.version = format!("diesel {DIESEL_VERSION}");
    report.note = note(args.workload).map(str::to_owned);
    Ok(report)
}
