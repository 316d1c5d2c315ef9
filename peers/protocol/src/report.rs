//! What a contender prints: one JSON line per run.

use std::time::Duration;

use crate::{Args, Backend, Canon, Workload};

/// One contender's run of one workload.
///
/// ```
/// use orm_peer_protocol::{Args, Canon, Report};
/// let args = Args::parse(["--contender", "sqlx", "--backend", "postgres", "--url", "postgres://x",
///     "--workload", "w3", "--size", "10"].map(String::from)).unwrap();
/// let mut report = Report::new(&args);
/// report.sample(std::time::Duration::from_micros(1500));
/// report.output(&Canon::default());
/// report.statements = Some(2);
/// let json = report.to_json();
/// assert!(json.starts_with('{') && json.contains("\"samples_ns\":[1500000]"));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The contender's name (`orm`, `sqlx`, `seaorm`, `diesel`).
    pub contender: String,
    /// Its library and version, as it wants them shown (`diesel 2.3.4`).
    pub version: String,
    /// The backend.
    pub backend: Backend,
    /// The workload.
    pub workload: Workload,
    /// Its size.
    pub size: usize,
    /// Each timed iteration, in nanoseconds.
    pub samples_ns: Vec<u64>,
    /// Statements sent to the database in one iteration, transaction control included.
    pub statements: Option<usize>,
    /// The checksum of the canonical output (see `Canon`).
    pub checksum: String,
    /// The number of canonical lines.
    pub rows: usize,
    /// With `--memory`: the peak heap above the baseline, in bytes.
    pub peak_heap_bytes: Option<usize>,
    /// Anything the reader should know (a workaround, a missing API).
    pub note: Option<String>,
}

impl Report {
    /// An empty report for `args`.
    pub fn new(args: &Args) -> Report {
        Report {
            contender: args.contender.clone(),
            version: String::new(),
            backend: args.backend,
            workload: args.workload,
            size: args.size,
            samples_ns: Vec::new(),
            statements: None,
            checksum: String::new(),
            rows: 0,
            peak_heap_bytes: None,
            note: None,
        }
    }

    /// Records one timed iteration.
    pub fn sample(&mut self, elapsed: Duration) {
        self.samples_ns
            .push(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX));
    }

    /// Records the canonical output.
    pub fn output(&mut self, canon: &Canon) {
        self.checksum = canon.checksum();
        self.rows = canon.lines();
    }

    /// The median sample, in nanoseconds.
    pub fn median_ns(&self) -> Option<u64> {
        let mut sorted = self.samples_ns.clone();
        sorted.sort_unstable();
        sorted.get(sorted.len() / 2).copied()
    }

    /// The report as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Reads a line a contender printed.
    pub fn from_json(line: &str) -> Result<Report, serde_json::Error> {
        serde_json::from_str(line)
    }
}
