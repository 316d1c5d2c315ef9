//! Runs the workload the command line names on this backend's connection.

use orm_peer_protocol::{Args, Report, Workload, data};

use super::{Conn, read, write};
use crate::{Error, bench, lines};

/// Measures `args.workload` on `conn` as `peers/PROTOCOL.md` says, and reports it.
pub fn workload(conn: &mut Conn, args: &Args) -> Result<Report, Error> {
    let size = i64::try_from(args.size)?;
    let none = |_: &mut Conn| Ok(());
    let report = match args.workload {
        Workload::W1 => bench::measure(
            conn,
            args,
            none,
            |c| read::preload(c, 1..=size),
            |_, r| Ok(lines::skills_by_id(r)),
        )?,
        Workload::W7 => {
            let first = *data::SKEWED_USERS.start();
            bench::measure(
                conn,
                args,
                none,
                |c| read::preload(c, first..=first + size - 1),
                |_, r| Ok(lines::skills_by_id(r)),
            )?
        }
        Workload::W2 => bench::measure(
            conn,
            args,
            none,
            |c| read::top3(c, size),
            |_, r| Ok(lines::skills_as_loaded(r)),
        )?,
        Workload::W3 => bench::measure(
            conn,
            args,
            none,
            |c| read::masters(c, size),
            |_, r| Ok(lines::counts(r)),
        )?,
        Workload::W4 => bench::measure(
            conn,
            args,
            none,
            |c| read::posts_and_comments(c, size),
            |_, r| Ok(lines::threads(r)),
        )?,
        Workload::W5 => {
            let targets: Vec<_> = (1..=size).map(|u| (u, data::sync_target(u))).collect();
            bench::measure(
                conn,
                args,
                |c| write::restore_users(c, size),
                |c| {
                    targets
                        .iter()
                        .map(|(user, target)| write::sync(c, *user, target))
                        .collect::<Result<Vec<_>, _>>()
                },
                |_, r| Ok(lines::diffs(r)),
            )?
        }
        Workload::W6 => {
            let rows = data::attach_rows(args.size);
            bench::measure(
                conn,
                args,
                write::restore_attach,
                |c| write::attach(c, &rows),
                |c, _| write::attached(c).map(|(count, sum)| lines::attached(count, sum)),
            )?
        }
    };
    Ok(report)
}
