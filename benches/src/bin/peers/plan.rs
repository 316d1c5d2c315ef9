//! What runs: each workload at the sizes `peers/PROTOCOL.md` names, with enough iterations for
//! a stable median.

use orm_peer_protocol::Workload;

/// One workload at one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    /// The workload.
    pub workload: Workload,
    /// Its size.
    pub size: usize,
    /// Timed iterations per round (the driver runs several rounds, contenders alternating).
    pub iterations: usize,
}

impl Case {
    /// `w1 × 1000`.
    pub fn label(&self) -> String {
        format!("{} × {}", self.workload, self.size)
    }
}

/// The full plan; `quick` divides the iterations by 4 (at least 2).
pub fn cases(quick: bool, only: &[String]) -> Vec<Case> {
    let case = |workload, size, iterations: usize| Case {
        workload,
        size,
        iterations: if quick {
            (iterations / 4).max(2)
        } else {
            iterations
        },
    };
    [
        case(Workload::W1, 1, 200),
        case(Workload::W1, 100, 60),
        case(Workload::W1, 1_000, 20),
        case(Workload::W1, 10_000, 8),
        case(Workload::W2, 1_000, 20),
        case(Workload::W3, 10_000, 20),
        case(Workload::W4, 100, 40),
        case(Workload::W5, 100, 6),
        case(Workload::W6, 10_000, 6),
        case(Workload::W7, 1_000, 10),
    ]
    .into_iter()
    .filter(|c| only.is_empty() || only.iter().any(|o| o == c.workload.name()))
    .collect()
}

/// The case whose peak memory is measured.
pub fn memory_case() -> Case {
    Case {
        workload: Workload::W1,
        size: 10_000,
        iterations: 1,
    }
}
