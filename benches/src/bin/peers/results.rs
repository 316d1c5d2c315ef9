//! What a run found, per backend: each case's outcomes, the memory runs and the transport
//! comparison, with the checks the report needs (results equal, ratios).

use orm_peer_protocol::{Backend, Report};

use crate::contenders::FLOOR;
use crate::plan::Case;
use crate::runner::Outcome;

/// Everything measured on one backend.
#[derive(Debug)]
pub struct BackendRun {
    /// The backend.
    pub backend: Backend,
    /// Its server or library version.
    pub server: String,
    /// Every case.
    pub cases: Vec<CaseRun>,
    /// W1 × 10,000 with `--memory`, per contender.
    pub memory: Vec<(&'static str, Result<Report, String>)>,
    /// PostgreSQL only: the same cases over a Unix socket and over TCP.
    pub transport: Vec<TransportRow>,
}

/// One case's outcomes.
#[derive(Debug)]
pub struct CaseRun {
    /// The case.
    pub case: Case,
    /// Per contender.
    pub outcomes: Vec<(&'static str, Outcome)>,
}

/// One contender's median on one case over TCP and over the Unix socket.
#[derive(Debug)]
pub struct TransportRow {
    /// The case.
    pub case: Case,
    /// The contender.
    pub contender: &'static str,
    /// Median over TCP (127.0.0.1), ms.
    pub tcp_ms: Option<f64>,
    /// Median over the Unix socket, ms.
    pub socket_ms: Option<f64>,
    /// The slowest TCP sample, ms (a Nagle / delayed-ACK stall shows here).
    pub tcp_max_ms: Option<f64>,
    /// The slowest socket sample, ms.
    pub socket_max_ms: Option<f64>,
}

impl CaseRun {
    /// The outcome of `contender`.
    pub fn report(&self, contender: &str) -> Option<&Report> {
        self.outcomes
            .iter()
            .find(|(name, _)| *name == contender)
            .and_then(|(_, o)| o.report.as_ref().ok())
    }

    /// The median of `contender`, in ms.
    pub fn median_ms(&self, contender: &str) -> Option<f64> {
        Some(self.report(contender)?.median_ns()? as f64 / 1e6)
    }

    /// The checksum the others are compared with: the hand-written floor's, else the first.
    pub fn reference(&self) -> Option<&str> {
        self.report(FLOOR)
            .or_else(|| {
                self.outcomes
                    .iter()
                    .find_map(|(_, o)| o.report.as_ref().ok())
            })
            .map(|r| r.checksum.as_str())
    }

    /// Whether `contender`'s result equals the reference (None: it did not run).
    pub fn agrees(&self, contender: &str) -> Option<bool> {
        let report = self.report(contender)?;
        let stable = self
            .outcomes
            .iter()
            .any(|(name, o)| *name == contender && !o.unstable);
        Some(stable && Some(report.checksum.as_str()) == self.reference())
    }

    /// `a`'s median over `b`'s, when both ran and agree.
    pub fn ratio(&self, a: &str, b: &str) -> Option<f64> {
        if self.agrees(a)? && self.agrees(b)? {
            Some(self.median_ms(a)? / self.median_ms(b)?)
        } else {
            None
        }
    }
}

/// The slowest sample of `report`, in ms.
pub fn max_ms(report: &Report) -> Option<f64> {
    report.samples_ns.iter().max().map(|ns| *ns as f64 / 1e6)
}
