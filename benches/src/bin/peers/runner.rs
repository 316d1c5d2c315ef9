//! Runs contender processes and gathers their reports: several rounds per case, the
//! contenders alternating inside each round, so that a machine drifting during the run
//! (another process, thermal state) affects every contender alike.

use std::process::Command;

use orm_peer_protocol::{Backend, Report};

use crate::contenders::Contender;
use crate::plan::Case;

/// Every round of one contender on one case, merged.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The merged report (all samples, the first round's statement count and checksum), or
    /// why there is none.
    pub report: Result<Report, String>,
    /// Rounds whose checksum differed from the first round's.
    pub unstable: bool,
}

/// Runs `case` on `backend` for every contender, `rounds` times each, alternating.
pub fn run_case(
    contenders: &[Contender],
    backend: Backend,
    url: &str,
    case: Case,
    rounds: usize,
) -> Vec<(&'static str, Outcome)> {
    let mut merged: Vec<(&'static str, Outcome)> = contenders
        .iter()
        .map(|c| {
            (
                c.name,
                Outcome {
                    report: Err("not run".into()),
                    unstable: false,
                },
            )
        })
        .collect();
    for round in 0..rounds {
        for offset in 0..contenders.len() {
            let index = (offset + round) % contenders.len();
            let contender = &contenders[index];
            let result = run_once(contender, backend, url, case, &[]);
            let outcome = &mut merged[index].1;
            match (result, &mut outcome.report) {
                (Err(err), _) => outcome.report = Err(err),
                (Ok(report), Err(_)) if round == 0 => outcome.report = Ok(report),
                (Ok(report), Ok(first)) => {
                    outcome.unstable |= report.checksum != first.checksum;
                    first.samples_ns.extend(report.samples_ns);
                }
                (Ok(_), Err(_)) => {}
            }
        }
    }
    merged
}

/// One `--memory` run of `case` per contender.
pub fn run_memory(
    contenders: &[Contender],
    backend: Backend,
    url: &str,
    case: Case,
) -> Vec<(&'static str, Result<Report, String>)> {
    contenders
        .iter()
        .map(|c| (c.name, run_once(c, backend, url, case, &["--memory"])))
        .collect()
}

/// One process: the contender on `case`, its report parsed.
pub fn run_once(
    contender: &Contender,
    backend: Backend,
    url: &str,
    case: Case,
    extra: &[&str],
) -> Result<Report, String> {
    let output = Command::new(&contender.binary)
        .args(["--contender", contender.name, "--backend", backend.name()])
        .args(["--url", url, "--workload", case.workload.name()])
        .args(["--size", &case.size.to_string()])
        .args([
            "--iterations",
            &case.iterations.to_string(),
            "--warmup",
            "2",
        ])
        .args(extra)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", contender.binary.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("no message");
        return Err(format!("exited with {}: {last}", output.status));
    }
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or("printed no report")?;
    let report = Report::from_json(line).map_err(|e| format!("unreadable report: {e}"))?;
    eprintln!(
        "  {backend} {} {:<6} median {:>9.3} ms  statements {:?}  rows {}",
        case.label(),
        contender.name,
        report.median_ns().unwrap_or(0) as f64 / 1e6,
        report.statements,
        report.rows
    );
    Ok(report)
}
