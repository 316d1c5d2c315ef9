//! The contenders: how each is built and where its binary is.

use std::path::{Path, PathBuf};
use std::process::Command;

use orm_peer_protocol::Backend;

/// One contender binary and the names it answers to.
#[derive(Debug, Clone)]
pub struct Contender {
    /// The `--contender` name (`orm`, `sqlx`, `seaorm`, `diesel`).
    pub name: &'static str,
    /// The binary.
    pub binary: PathBuf,
    /// The backends it supports (SeaORM and Diesel are built without MySQL here).
    pub backends: &'static [Backend],
}

impl Contender {
    /// Whether it runs on `backend`.
    pub fn supports(&self, backend: Backend) -> bool {
        self.backends.contains(&backend)
    }
}

/// The contenders in the order the tables show them.
pub const NAMES: [&str; 4] = ["orm", "sqlx", "seaorm", "diesel"];

/// The hand-written floor every ratio is against.
pub const FLOOR: &str = "sqlx";

/// Builds every contender (release) and returns those that built; a failed build is reported
/// on stderr and its contender left out. `target` is the driver's target directory.
pub fn build_all(target: &Path, only: &[String]) -> Vec<Contender> {
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let mut out = Vec::new();
    if (wanted("orm") || wanted("sqlx"))
        && run_cargo(
            Command::new("cargo").args([
                "build",
                "--release",
                "-p",
                "orm-benches",
                "--bin",
                "peer-orm",
            ]),
            "peer-orm",
        )
    {
        let binary = target.join("release").join("peer-orm");
        for name in ["orm", "sqlx"].into_iter().filter(|n| wanted(n)) {
            out.push(Contender {
                name,
                binary: binary.clone(),
                backends: &[Backend::Sqlite, Backend::Postgres, Backend::Mysql],
            });
        }
    }
    for name in ["seaorm", "diesel"].into_iter().filter(|n| wanted(n)) {
        let dir = target.join("peers").join(name);
        let manifest = format!("peers/{name}/Cargo.toml");
        let built = run_cargo(
            Command::new("cargo")
                .args([
                    "build",
                    "--release",
                    "--manifest-path",
                    &manifest,
                    "--target-dir",
                ])
                .arg(&dir),
            name,
        );
        if built {
            out.push(Contender {
                name,
                binary: dir.join("release").join(format!("peer-{name}")),
                backends: &[Backend::Sqlite, Backend::Postgres],
            });
        }
    }
    out
}

fn run_cargo(command: &mut Command, what: &str) -> bool {
    eprintln!("building {what}");
    match command.status() {
        Ok(status) if status.success() => true,
        Ok(status) => {
            eprintln!("peers: building {what} failed ({status}); it is left out");
            false
        }
        Err(err) => {
            eprintln!("peers: cannot run cargo for {what}: {err}; it is left out");
            false
        }
    }
}
