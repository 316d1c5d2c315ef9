//! The peer benchmark driver (`peers/PROTOCOL.md`): seeds one dataset per backend, builds and
//! runs every contender as its own process on it, checks their results are equal, and writes
//! `BENCHMARKS.md` and `benchmarks.svg`.
//!
//! ```text
//! cargo run --release -p orm-benches --bin peers                 # everything, both backends
//! cargo run --release -p orm-benches --bin peers -- --quick      # fewer iterations
//! cargo run --release -p orm-benches --bin peers -- seed sqlite  # only seed (for contenders' authors)
//! ```
//!
//! Server URLs: `ORM_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/orm_peers`)
//! and `ORM_BENCH_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/orm_peers`); the database named
//! there is dropped and made again.

mod chart;
mod contenders;
mod machine;
mod markdown;
mod plan;
mod results;
mod runner;
mod seed;

use std::path::{Path, PathBuf};

use orm_peer_protocol::{Backend, Workload};

use results::{BackendRun, CaseRun, TransportRow};

/// Where the SQLite dataset lives.
const SQLITE_PATH: &str = "target/peers/bench.db";

/// The URL of `backend`'s dataset.
fn url(backend: Backend) -> String {
    let var = |name: &str, default: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_owned())
    };
    match backend {
        Backend::Sqlite => format!("sqlite://{SQLITE_PATH}"),
        Backend::Postgres => var(
            "ORM_BENCH_POSTGRES_URL",
            "postgres://postgres@127.0.0.1:5432/orm_peers",
        ),
        Backend::Mysql => var(
            "ORM_BENCH_MYSQL_URL",
            "mysql://root@127.0.0.1:3306/orm_peers",
        ),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("seed") => seed_command(&args[1..]).await,
        Some("help" | "--help" | "-h") => Err(USAGE.into()),
        _ => run_command(&args).await,
    };
    if let Err(err) = result {
        eprintln!("peers: {err}");
        std::process::exit(1);
    }
}

const USAGE: &str = "usage: peers [--quick] [--rounds N] [--backends sqlite,postgres,mysql] \
    [--contenders orm,sqlx,seaorm,diesel] [--workloads w1,w2,...] | peers seed BACKEND...";

/// The flags of a run.
struct Options {
    quick: bool,
    rounds: usize,
    backends: Vec<Backend>,
    contenders: Vec<String>,
    workloads: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            quick: false,
            rounds: 3,
            backends: vec![Backend::Sqlite, Backend::Postgres, Backend::Mysql],
            contenders: Vec::new(),
            workloads: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            if flag == "--quick" {
                options.quick = true;
                continue;
            }
            let value = args.next().ok_or(USAGE)?;
            let list = || value.split(',').map(str::to_owned).collect::<Vec<_>>();
            match flag.as_str() {
                "--rounds" => options.rounds = value.parse().map_err(|_| USAGE)?,
                "--backends" => {
                    options.backends = list()
                        .iter()
                        .map(|b| Backend::parse(b).ok_or(format!("unknown backend `{b}`")))
                        .collect::<Result<_, _>>()?
                }
                "--contenders" => options.contenders = list(),
                "--workloads" => options.workloads = list(),
                _ => return Err(USAGE.into()),
            }
        }
        Ok(options)
    }

    /// Whether the run is the full suite (it then rewrites the committed report).
    fn complete(&self) -> bool {
        !self.quick && self.contenders.is_empty() && self.workloads.is_empty()
    }
}

/// The whole suite: build, seed, run, check, report.
async fn run_command(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let options = Options::parse(args)?;
    let target = target_dir()?;
    let contenders = contenders::build_all(&target, &options.contenders);
    if contenders.is_empty() {
        return Err("no contender built".into());
    }
    let missing: Vec<String> = contenders::NAMES
        .iter()
        .filter(|n| options.contenders.is_empty() || options.contenders.iter().any(|o| o == *n))
        .filter(|n| !contenders.iter().any(|c| c.name == **n))
        .map(|n| format!("`{n}` (did not build)"))
        .collect();
    let mut runs = Vec::new();
    for &backend in &options.backends {
        let url = url(backend);
        let contenders: Vec<contenders::Contender> = contenders
            .iter()
            .filter(|c| c.supports(backend))
            .cloned()
            .collect();
        eprintln!("seeding {backend}");
        seed::seed(backend, &url).await?;
        let server = machine::server_version(backend, &url).await;
        let mut cases = Vec::new();
        for case in plan::cases(options.quick, &options.workloads) {
            let outcomes = runner::run_case(&contenders, backend, &url, case, options.rounds);
            cases.push(CaseRun { case, outcomes });
        }
        let memory = if options.workloads.is_empty() || options.workloads.iter().any(|w| w == "w1")
        {
            runner::run_memory(&contenders, backend, &url, plan::memory_case())
        } else {
            Vec::new()
        };
        let transport = if backend == Backend::Postgres {
            transport(&contenders, &cases)
        } else {
            Vec::new()
        };
        runs.push(BackendRun {
            backend,
            server,
            cases,
            memory,
            transport,
        });
    }
    let versions: Vec<(String, String)> = contenders::NAMES
        .iter()
        .filter_map(|name| {
            runs.iter()
                .flat_map(|r| &r.cases)
                .find_map(|c| c.report(name))
                .map(|r| (name.to_string(), r.version.clone()))
        })
        .collect();
    let out = if options.complete() {
        PathBuf::from(".")
    } else {
        target.join("peers")
    };
    std::fs::create_dir_all(&out)?;
    let chart = "benchmarks.svg";
    chart::draw(&out.join(chart), &runs)?;
    let notes = std::fs::read_to_string("peers/NOTES.md").unwrap_or_default();
    let command = format!(
        "cargo run --release -p orm-benches --bin peers{}",
        args.iter().map(|a| format!(" {a}")).collect::<String>()
    );
    let machine = machine::describe();
    let context = markdown::Context {
        command: &command,
        machine: &machine,
        versions: &versions,
        missing: &missing,
        chart,
        rounds: options.rounds,
    };
    let report = out.join("BENCHMARKS.md");
    std::fs::write(&report, markdown::render(&context, &runs, &notes))?;
    eprintln!(
        "wrote {} and {}",
        report.display(),
        out.join(chart).display()
    );
    Ok(())
}

/// The PostgreSQL cases run again over the Unix socket, for `orm` and `sqlx`: what TCP costs
/// without TCP_NODELAY.
fn transport(contenders: &[contenders::Contender], cases: &[CaseRun]) -> Vec<TransportRow> {
    let socket = std::env::var("ORM_BENCH_POSTGRES_SOCKET_URL").unwrap_or_else(|_| {
        "postgres://postgres@localhost/orm_peers?host=/var/run/postgresql".into()
    });
    let mut rows = Vec::new();
    for case in cases.iter().filter(|c| {
        matches!(
            (c.case.workload, c.case.size),
            (Workload::W1, 100) | (Workload::W5, _) | (Workload::W4, _)
        )
    }) {
        for contender in contenders
            .iter()
            .filter(|c| c.name == "orm" || c.name == "sqlx")
        {
            let over_socket =
                runner::run_once(contender, Backend::Postgres, &socket, case.case, &[]);
            let over_tcp = case.report(contender.name);
            rows.push(TransportRow {
                case: case.case,
                contender: contender.name,
                tcp_ms: case.median_ms(contender.name),
                socket_ms: over_socket
                    .as_ref()
                    .ok()
                    .and_then(|r| r.median_ns())
                    .map(|n| n as f64 / 1e6),
                tcp_max_ms: over_tcp.and_then(results::max_ms),
                socket_max_ms: over_socket.as_ref().ok().and_then(results::max_ms),
            });
        }
    }
    rows
}

/// The driver's target directory (`target/` or `CARGO_TARGET_DIR`), from its own path.
fn target_dir() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| "cannot tell the target directory".into())
}

/// `peers seed BACKEND...`: seeds and prints each URL.
async fn seed_command(backends: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    for name in backends {
        let backend = Backend::parse(name).ok_or_else(|| format!("unknown backend `{name}`"))?;
        let url = url(backend);
        seed::seed(backend, &url).await?;
        println!("{url}");
    }
    Ok(())
}
