//! The command line every contender takes.

use std::fmt;

/// A workload of the suite (`peers/PROTOCOL.md` defines each).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// Preload many-to-many with two pivot columns, users `1..=size`.
    W1,
    /// The top 3 skills per user ordered by a pivot column, users `1..=size`.
    W2,
    /// Users `1..=size` having a `master` skill (a pivot filter), with their skill count.
    W3,
    /// Users `1..=size` -> posts -> comments.
    W4,
    /// Sync users `1..=size` to their targets: 50% overlap, pivot data changes, a diff report.
    W5,
    /// Attach skills `1..=size` to user 30001 in one call.
    W6,
    /// Preload a skewed set: users 20001..=21000, 1% of them with 1,000 skills.
    W7,
}

impl Workload {
    /// Every workload, in order.
    pub const ALL: [Workload; 7] = [
        Workload::W1,
        Workload::W2,
        Workload::W3,
        Workload::W4,
        Workload::W5,
        Workload::W6,
        Workload::W7,
    ];

    /// `w1`..`w7`.
    pub fn name(self) -> &'static str {
        match self {
            Workload::W1 => "w1",
            Workload::W2 => "w2",
            Workload::W3 => "w3",
            Workload::W4 => "w4",
            Workload::W5 => "w5",
            Workload::W6 => "w6",
            Workload::W7 => "w7",
        }
    }

    /// What it measures, for the report.
    pub fn title(self) -> &'static str {
        match self {
            Workload::W1 => "preload m2m, 2 pivot columns",
            Workload::W2 => "top 3 per parent by a pivot column",
            Workload::W3 => "with_count + where_has on a pivot column",
            Workload::W4 => "users -> posts -> comments",
            Workload::W5 => "sync 100 parents, 50% overlap, diff",
            Workload::W6 => "attach 10,000 ids",
            Workload::W7 => "preload skewed (1% with 1,000)",
        }
    }

    /// Whether it writes (and so resets its rows before each iteration).
    pub fn writes(self) -> bool {
        matches!(self, Workload::W5 | Workload::W6)
    }

    fn parse(text: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == text)
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The database the contender runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// A SQLite file (`--url sqlite://path`).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
    /// A MySQL / MariaDB server.
    Mysql,
}

impl Backend {
    /// `sqlite`, `postgres` or `mysql`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }

    /// The backend called `text`.
    pub fn parse(text: &str) -> Option<Backend> {
        [Backend::Sqlite, Backend::Postgres, Backend::Mysql]
            .into_iter()
            .find(|b| b.name() == text)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A contender's command line:
/// `--contender NAME --backend sqlite|postgres|mysql --url URL --workload w1..w7 --size N
/// [--iterations N] [--warmup N] [--memory]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// Which contender the binary should run (one binary may hold several, e.g. `orm` and `sqlx`).
    pub contender: String,
    /// The backend.
    pub backend: Backend,
    /// The database URL (`sqlite://path/to/file.db`, `postgres://...`, `mysql://...`).
    pub url: String,
    /// The workload.
    pub workload: Workload,
    /// Its size (the number of parents, or of ids for W6).
    pub size: usize,
    /// Timed iterations (default 10).
    pub iterations: usize,
    /// Untimed iterations before them, at least 1 (default 2); statements are counted in the first.
    pub warmup: usize,
    /// Instead of timing: one run measuring the peak heap above the baseline.
    pub memory: bool,
}

impl Args {
    /// The process's own command line.
    pub fn from_env() -> Result<Args, String> {
        Args::parse(std::env::args().skip(1))
    }

    /// Parses `--flag value` pairs (no program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut contender = None;
        let mut backend = None;
        let mut url = None;
        let mut workload = None;
        let mut size = None;
        let mut iterations = 10;
        let mut warmup = 2;
        let mut memory = false;
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            if flag == "--memory" {
                memory = true;
                continue;
            }
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<usize>()
                    .map_err(|_| format!("{flag}: `{value}` is not a number"))
            };
            match flag.as_str() {
                "--contender" => contender = Some(value.clone()),
                "--backend" => {
                    backend = Some(
                        Backend::parse(&value)
                            .ok_or_else(|| format!("unknown backend `{value}`"))?,
                    )
                }
                "--url" => url = Some(value.clone()),
                "--workload" => {
                    workload = Some(
                        Workload::parse(&value)
                            .ok_or_else(|| format!("unknown workload `{value}`"))?,
                    )
                }
                "--size" => size = Some(number()?),
                "--iterations" => iterations = number()?,
                "--warmup" => warmup = number()?.max(1),
                other => return Err(format!("unknown flag `{other}`")),
            }
        }
        Ok(Args {
            contender: contender.ok_or("--contender is required")?,
            backend: backend.ok_or("--backend is required")?,
            url: url.ok_or("--url is required")?,
            workload: workload.ok_or("--workload is required")?,
            size: size.ok_or("--size is required")?,
            iterations,
            warmup,
            memory,
        })
    }
}
