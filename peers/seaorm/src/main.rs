//! `peer-seaorm`: the SeaORM contender of the peer benchmark (`peers/PROTOCOL.md`). It runs one
//! workload on the seeded database through SeaORM's idiomatic API and prints one JSON report.

mod entities;
mod read;
mod statements;
mod workload;
mod write;

use std::process::ExitCode;
use std::time::Instant;

use orm_peer_protocol::{Args, Backend, CountingAlloc, Report, Workload};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use workload::{Job, Outcome};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The library and version shown in the report (pinned in `Cargo.toml`).
const VERSION: &str = "sea-orm 2.0.4";

/// Any error, to print on stderr.
type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let run = || -> Result<Report, Error> {
        let args = Args::from_env()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(run(&args))
    };
    match run() {
        Ok(report) => {
            println!("{}", report.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("peer-seaorm: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the one connection (a pool of size 1), counting statements through the metric callback.
async fn connect(args: &Args) -> Result<DatabaseConnection, Error> {
    if args.backend == Backend::Mysql {
        return Err("peer-seaorm is built for sqlite and postgres only".into());
    }
    let mut options = ConnectOptions::new(args.url.clone());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let mut db = Database::connect(options).await?;
    // `PEER_SEAORM_TRACE=1` logs each statement and its time on stderr (for the contender's author).
    let trace = std::env::var_os("PEER_SEAORM_TRACE").is_some();
    db.set_metric_callback(move |info| {
        if trace {
            eprintln!("{:?} {}", info.elapsed, info.statement);
        }
        statements::seen();
    });
    Ok(db)
}

/// The run (`peers/PROTOCOL.md`, "The run").
async fn run(args: &Args) -> Result<Report, Error> {
    let db = connect(args).await?;
    let job = Job::new(args.workload, args.size);
    let mut report = Report::new(args);
    report.version = VERSION.to_owned();
    report.note = Some(note(args.workload).to_owned());
    let mut last: Option<Outcome> = None;
    if args.memory {
        write::restore(&db, args.workload, args.size).await?;
        let baseline = CountingAlloc::reset_peak();
        let outcome = job.run(&db).await?;
        report.peak_heap_bytes = Some(CountingAlloc::peak().saturating_sub(baseline));
        last = Some(outcome);
    } else {
        for i in 0..args.warmup.max(1) {
            write::restore(&db, args.workload, args.size).await?;
            statements::counting(i == 0);
            let outcome = job.run(&db).await;
            if i == 0 {
                statements::counting(false);
                report.statements = Some(statements::counted());
            }
            last = Some(outcome?);
        }
        for _ in 0..args.iterations {
            write::restore(&db, args.workload, args.size).await?;
            let start = Instant::now();
            let outcome = job.run(&db).await?;
            report.sample(start.elapsed());
            last = Some(outcome);
        }
    }
    if let Some(outcome) = &last {
        report.output(&outcome.canon(&db).await?);
    }
    drop(last);
    write::restore(&db, args.workload, args.size).await?;
    Ok(report)
}

/// How this contender does `workload` with SeaORM, for the report.
fn note(workload: Workload) -> &'static str {
    match workload {
        Workload::W1 | Workload::W7 => {
            "load_many_to_many drops the pivot columns: users, load_many(skill_user), load_one(skills) on the pivot rows"
        }
        Workload::W2 => {
            "no per-parent limit: a ROW_NUMBER() window subquery built with sea-query, from_raw_sql into pivot models, load_one(skills)"
        }
        Workload::W3 => "has_related (WHERE EXISTS on the pivot), join, COUNT, GROUP BY",
        Workload::W4 => "load_many(posts), then load_many(comments) on all the posts",
        Workload::W5 => {
            "no sync API: by hand per user in a transaction (find, delete_many is_in, insert_many, update per changed row); BEGIN/COMMIT counted by hand"
        }
        Workload::W6 => {
            "insert_many chunked by hand under the bind limit, in one transaction; BEGIN/COMMIT counted by hand"
        }
    }
}
