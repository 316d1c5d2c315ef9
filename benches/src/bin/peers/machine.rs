//! What the report says about where it ran: the machine, the toolchain and the servers.

use std::process::Command;

use orm_peer_protocol::Backend;
use sqlx::Connection;

/// The machine and toolchain, one line each.
pub fn describe() -> Vec<String> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let kb: u64 = text
                .lines()
                .find(|l| l.starts_with("MemTotal"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some(format!("{:.0} GiB", kb as f64 / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown memory".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| k.trim().to_owned())
        .unwrap_or_default();
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    vec![
        format!("{cpu}, {cores} cores, {memory}, Linux {kernel}"),
        format!("{rustc}, release profile"),
    ]
}

/// The server's (or the embedded library's) version.
pub async fn server_version(backend: Backend, url: &str) -> String {
    let version = match backend {
        Backend::Sqlite => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(url.trim_start_matches("sqlite://"));
            match sqlx::SqliteConnection::connect_with(&options).await {
                Ok(mut conn) => sqlx::query_scalar::<_, String>("SELECT sqlite_version()")
                    .fetch_one(&mut conn)
                    .await
                    .map(|v| format!("SQLite {v} (the one sqlx 0.9 bundles)")),
                Err(e) => Err(e),
            }
        }
        Backend::Postgres => match sqlx::PgConnection::connect(url).await {
            Ok(mut conn) => sqlx::query_scalar::<_, String>("SHOW server_version")
                .fetch_one(&mut conn)
                .await
                .map(|v| format!("PostgreSQL {v}, over TCP on 127.0.0.1")),
            Err(e) => Err(e),
        },
        Backend::Mysql => match sqlx::MySqlConnection::connect(url).await {
            Ok(mut conn) => sqlx::query_scalar::<_, String>("SELECT version()")
                .fetch_one(&mut conn)
                .await
                .map(|v| format!("MySQL/MariaDB {v}, over TCP on 127.0.0.1")),
            Err(e) => Err(e),
        },
    };
    version.unwrap_or_else(|e| format!("{backend} (version unknown: {e})"))
}
