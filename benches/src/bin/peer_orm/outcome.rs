//! What an iteration returns: the library's own result, turned into canonical lines only after
//! the clock stopped.

use orm_peer_protocol::Canon;

/// Any error of a run, printed on stderr.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A workload's natural result, as the library gave it.
pub trait Outcome {
    /// Its canonical lines (`peers/PROTOCOL.md`, Workloads).
    fn canon(&self) -> Result<Canon, Error>;
}

/// W6's result, the keys attached: its canonical lines are read back from the table afterwards.
pub struct Attached(
    #[allow(
        dead_code,
        reason = "the natural result; W6's lines come from the table"
    )]
    pub Vec<i64>,
);

impl Outcome for Attached {
    fn canon(&self) -> Result<Canon, Error> {
        Ok(Canon::default())
    }
}

/// Ids sorted ascending and comma-separated (empty for none), as W5's lines show them.
pub fn sorted_ids(ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
