//! Peak memory of reading 1,000,000 rows three ways: `fetch_all` (every model at once), `fetch`
//! (a stream, one model at a time) and `chunk` (keyset chunks of 10,000).
//!
//! ```text
//! cargo run --release --example stream_memory                          # SQLite (a temporary file)
//! DATABASE_URL=postgres://postgres@127.0.0.1/test cargo run --release --example stream_memory
//! DATABASE_URL=mysql://root@127.0.0.1/test cargo run --release --example stream_memory
//! ```
//!
//! The table `stream_rows` (an id, a name and a 100-byte payload per row) is filled with
//! 1,000,000 rows unless it already holds them. Each way of reading then runs in a fresh child
//! process of this program, which prints its peak resident set (`VmHWM` of `/proc/self/status`)
//! before and after reading: a peak is per process, so one read cannot hide another.
//! `ROWS=100000` reads fewer rows.

use std::error::Error;
use std::process::Command;
use std::time::Instant;

use orm::ModelRow;
use orm::prelude::*;
use orm::schema::{ModelTable, Schema};
use sqlx::Pool;

#[derive(Model, Debug, Clone)]
#[model(table = "stream_rows")]
pub struct StreamRow {
    pub id: i64,
    pub name: String,
    pub payload: String,
}

/// Rows per chunk for `chunk`.
const CHUNK: u64 = 10_000;

/// Peak resident set of this process so far, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn rows_wanted() -> i64 {
    std::env::var("ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        let path = std::env::temp_dir().join("orm-stream-memory.db");
        format!("sqlite://{}?mode=rwc", path.display())
    });
    let phase = std::env::args().nth(1);
    if url.starts_with("postgres") {
        run(&Pool::<sqlx::Postgres>::connect(&url).await?, phase, &url).await
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        run(&Pool::<sqlx::MySql>::connect(&url).await?, phase, &url).await
    } else {
        run(&Pool::<sqlx::Sqlite>::connect(&url).await?, phase, &url).await
    }
}

async fn run<DB>(pool: &Pool<DB>, phase: Option<String>, url: &str) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    StreamRow: ModelRow<DB> + ModelTable<DB>,
{
    match phase.as_deref() {
        Some(phase) => read(pool, phase).await,
        None => {
            fill(pool).await?;
            println!("database: {url}");
            println!(
                "{:<10} {:>10} {:>14} {:>14} {:>9}",
                "read", "rows", "peak before", "peak after", "time"
            );
            for phase in ["fetch_all", "fetch", "chunk"] {
                let out = Command::new(std::env::current_exe()?)
                    .arg(phase)
                    .env("DATABASE_URL", url)
                    .output()?;
                if !out.status.success() {
                    return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
                }
                print!("{}", String::from_utf8_lossy(&out.stdout));
            }
            Ok(())
        }
    }
}

/// Creates and fills `stream_rows` unless it holds the wanted number of rows.
async fn fill<DB>(pool: &Pool<DB>) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    StreamRow: ModelRow<DB> + ModelTable<DB>,
{
    let wanted = rows_wanted();
    let schema = Schema::<DB>::new().model::<StreamRow>();
    if StreamRow::query().count(pool).await.ok() == Some(wanted) {
        return Ok(());
    }
    schema.drop_all(pool).await?;
    schema.create_all(pool).await?;
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    for start in (0..wanted).step_by(50_000) {
        let rows = (start..(start + 50_000).min(wanted)).map(|i| NewStreamRow {
            name: format!("row {i}"),
            payload: format!("{i:0>100}"),
        });
        StreamRow::insert_many(&mut tx, rows).await?;
    }
    tx.commit().await?;
    eprintln!("inserted {wanted} rows in {:.1?}", started.elapsed());
    Ok(())
}

/// Reads every row one way and prints the peak resident set before and after.
async fn read<DB>(pool: &Pool<DB>, phase: &str) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    StreamRow: ModelRow<DB>,
{
    let before = peak_mib();
    let started = Instant::now();
    let mut rows = 0_u64;
    let mut bytes = 0_usize;
    match phase {
        "fetch_all" => {
            let all = StreamRow::query().fetch_all(pool).await?;
            rows = all.len() as u64;
            bytes = all.iter().map(|r| r.payload.len()).sum();
        }
        "fetch" => {
            let mut stream = StreamRow::query().fetch(pool);
            while let Some(row) = stream.try_next().await? {
                rows += 1;
                bytes += row.payload.len();
            }
        }
        "chunk" => {
            StreamRow::query()
                .chunk(pool, CHUNK, |batch: Vec<StreamRow>| {
                    rows += batch.len() as u64;
                    bytes += batch.iter().map(|r| r.payload.len()).sum::<usize>();
                    async { Ok(()) }
                })
                .await?;
        }
        other => return Err(format!("unknown phase {other}").into()),
    }
    assert_eq!(bytes as u64, rows * 100);
    println!(
        "{phase:<10} {rows:>10} {:>10.1} MiB {:>10.1} MiB {:>8.2?}",
        before,
        peak_mib(),
        started.elapsed()
    );
    Ok(())
}
