//! The measurement loop of `peers/PROTOCOL.md`, for any Diesel connection: restores, warmup
//! (the first one counting statements), timed iterations, canonical output, peak heap.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};
use diesel::result::QueryResult;
use orm_peer_protocol::{Args, Canon, CountingAlloc, Report};

/// Set to print every statement of the counted iteration to stderr.
const LOG_VAR: &str = "PEER_DIESEL_LOG";

/// Runs `work` as `args` asks: `restore` before every iteration and after the last one
/// (untimed), `args.warmup` untimed iterations (statements counted in the first), then
/// `args.iterations` timed ones, the last one's result turned into canonical lines by `canon`
/// (which may read the database: it runs before the final restore). With `args.memory`: one
/// run, measuring the peak heap instead. On an error the rows are still restored (best effort)
/// so that the next contender finds the seed.
pub fn measure<C: Connection, R>(
    conn: &mut C,
    args: &Args,
    mut restore: impl FnMut(&mut C) -> QueryResult<()>,
    work: impl FnMut(&mut C) -> QueryResult<R>,
    canon: impl FnMut(&mut C, &R) -> QueryResult<Canon>,
) -> QueryResult<Report> {
    let report = iterate(conn, args, &mut restore, work, canon);
    if report.is_err() {
        // The error to report is the first one; a failing restore adds nothing to it.
        let _ = restore(conn);
    }
    report
}

/// [`measure`] without the restore on error.
fn iterate<C: Connection, R>(
    conn: &mut C,
    args: &Args,
    restore: &mut impl FnMut(&mut C) -> QueryResult<()>,
    mut work: impl FnMut(&mut C) -> QueryResult<R>,
    mut canon: impl FnMut(&mut C, &R) -> QueryResult<Canon>,
) -> QueryResult<Report> {
    let mut report = Report::new(args);
    let last = if args.memory {
        restore(conn)?;
        let baseline = CountingAlloc::reset_peak();
        let result = work(conn)?;
        report.peak_heap_bytes = Some(CountingAlloc::peak().saturating_sub(baseline));
        result
    } else {
        for warmup in 0..args.warmup {
            restore(conn)?;
            if warmup == 0 {
                let (statements, result) = counting(conn, &mut work);
                report.statements = Some(statements);
                result?;
            } else {
                work(conn)?;
            }
        }
        let mut last = None;
        for _ in 0..args.iterations {
            restore(conn)?;
            let start = Instant::now();
            let result = work(conn)?;
            report.sample(start.elapsed());
            last = Some(result);
        }
        match last {
            Some(result) => result,
            // No timed iteration asked for: the output of one more untimed run.
            None => {
                restore(conn)?;
                work(conn)?
            }
        }
    };
    report.output(&canon(conn, &last)?);
    drop(last);
    restore(conn)?;
    Ok(report)
}

/// Runs `work` once, counting the statements it sends (Diesel's `StartQuery` events, which
/// `BEGIN` / `COMMIT` raise too), then removes the instrumentation.
fn counting<C: Connection, R>(
    conn: &mut C,
    work: &mut impl FnMut(&mut C) -> QueryResult<R>,
) -> (usize, QueryResult<R>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let log = std::env::var_os(LOG_VAR).is_some();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            seen.fetch_add(1, Ordering::Relaxed);
            if log {
                eprintln!("peer-diesel: {query}");
            }
        }
    });
    let result = work(conn);
    conn.set_instrumentation(None::<Box<dyn Instrumentation>>);
    (count.load(Ordering::Relaxed), result)
}
