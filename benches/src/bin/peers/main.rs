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

mod seed;

use orm_peer_protocol::Backend;

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
        _ => Err("usage: peers seed sqlite|postgres|mysql".into()),
    };
    if let Err(err) = result {
        eprintln!("peers: {err}");
        std::process::exit(1);
    }
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
