//! One contender's run of one workload (`peers/PROTOCOL.md`, The run): warmup iterations (the
//! first one counted), then timed iterations or one measured for memory, each write workload
//! restored before every iteration and after the last, untimed.

use std::time::Instant;

use orm_peer_protocol::{Args, CountingAlloc, Report, Workload, data};

use crate::counter::{self, Counts};
use crate::db::{Db, on_pool};
use crate::outcome::{Attached, Error, Outcome};
use crate::{orm_side, sqlx_mysql, sqlx_pg, sqlx_sqlite};

/// The two contenders of this binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contender {
    /// This ORM.
    Orm,
    /// Hand-written sqlx.
    Sqlx,
}

impl Contender {
    /// `orm` or `sqlx`.
    pub fn parse(name: &str) -> Result<Contender, Error> {
        match name {
            "orm" => Ok(Contender::Orm),
            "sqlx" => Ok(Contender::Sqlx),
            other => Err(format!("unknown contender `{other}`: orm or sqlx").into()),
        }
    }

    /// The library and version, for the report.
    fn version(self) -> String {
        match self {
            Contender::Orm => format!("orm {}", env!("CARGO_PKG_VERSION")),
            Contender::Sqlx => "sqlx 0.9.1".to_owned(),
        }
    }
}

/// Runs `args.workload` once with hand-written sqlx; `n` counts its statements.
async fn run_sqlx(db: &Db, args: &Args, n: &mut usize) -> Result<Box<dyn Outcome>, Error> {
    let size = args.size as i64;
    let skewed = *data::SKEWED_USERS.start();
    Ok(match (db, args.workload) {
        (Db::Sqlite(p), Workload::W1) => Box::new(sqlx_sqlite::links(p, 1, size, false, n).await?),
        (Db::Sqlite(p), Workload::W2) => Box::new(sqlx_sqlite::links(p, 1, size, true, n).await?),
        (Db::Sqlite(p), Workload::W3) => Box::new(sqlx_sqlite::masters(p, size, n).await?),
        (Db::Sqlite(p), Workload::W4) => Box::new(sqlx_sqlite::threads(p, size, n).await?),
        (Db::Sqlite(p), Workload::W5) => Box::new(sqlx_sqlite::sync(p, size, n).await?),
        (Db::Sqlite(p), Workload::W6) => {
            Box::new(Attached(sqlx_sqlite::attach(p, args.size, n).await?))
        }
        (Db::Sqlite(p), Workload::W7) => {
            Box::new(sqlx_sqlite::links(p, skewed, skewed + size - 1, false, n).await?)
        }
        (Db::Postgres(p), Workload::W1) => Box::new(sqlx_pg::links(p, 1, size, false, n).await?),
        (Db::Postgres(p), Workload::W2) => Box::new(sqlx_pg::links(p, 1, size, true, n).await?),
        (Db::Postgres(p), Workload::W3) => Box::new(sqlx_pg::masters(p, size, n).await?),
        (Db::Postgres(p), Workload::W4) => Box::new(sqlx_pg::threads(p, size, n).await?),
        (Db::Postgres(p), Workload::W5) => Box::new(sqlx_pg::sync(p, size, n).await?),
        (Db::Postgres(p), Workload::W6) => {
            Box::new(Attached(sqlx_pg::attach(p, args.size, n).await?))
        }
        (Db::Postgres(p), Workload::W7) => {
            Box::new(sqlx_pg::links(p, skewed, skewed + size - 1, false, n).await?)
        }
        (Db::Mysql(p), Workload::W1) => Box::new(sqlx_mysql::links(p, 1, size, false, n).await?),
        (Db::Mysql(p), Workload::W2) => Box::new(sqlx_mysql::links(p, 1, size, true, n).await?),
        (Db::Mysql(p), Workload::W3) => Box::new(sqlx_mysql::masters(p, size, n).await?),
        (Db::Mysql(p), Workload::W4) => Box::new(sqlx_mysql::threads(p, size, n).await?),
        (Db::Mysql(p), Workload::W5) => Box::new(sqlx_mysql::sync(p, size, n).await?),
        (Db::Mysql(p), Workload::W6) => {
            Box::new(Attached(sqlx_mysql::attach(p, args.size, n).await?))
        }
        (Db::Mysql(p), Workload::W7) => {
            Box::new(sqlx_mysql::links(p, skewed, skewed + size - 1, false, n).await?)
        }
    })
}

/// Runs one iteration of `contender`; `n` counts the statements sqlx sends by hand.
async fn once(
    db: &Db,
    args: &Args,
    contender: Contender,
    n: &mut usize,
) -> Result<Box<dyn Outcome>, Error> {
    match contender {
        Contender::Orm => on_pool!(db, pool => orm_side::run(pool, args.workload, args.size).await),
        Contender::Sqlx => run_sqlx(db, args, n).await,
    }
}

/// The statements of the counted iteration: the ORM's `orm::sql` events (transaction control
/// included), or sqlx's hand count; a disagreement with the driver's own count is noted.
fn statements(contender: Contender, counts: Counts, by_hand: usize, report: &mut Report) {
    let counted = match contender {
        Contender::Orm => counts.orm,
        Contender::Sqlx => by_hand,
    };
    report.statements = Some(counted);
    if counted != counts.driver {
        let note = format!(
            "statement count {counted} differs from the driver's {} ({counts:?})",
            counts.driver
        );
        eprintln!("peer-orm: {note}");
        report.note = Some(note);
    }
}

/// The whole run: its report, or the first error.
pub async fn run(args: &Args, contender: Contender) -> Result<Report, Error> {
    counter::install(args.backend)?;
    let db = Db::connect(args).await?;
    let mut report = Report::new(args);
    report.version = contender.version();
    let mut last: Option<Box<dyn Outcome>> = None;
    for i in 0..args.warmup.max(1) {
        db.restore(args.workload, args.size).await?;
        drop(last.take());
        let mut by_hand = 0;
        if i == 0 {
            counter::start();
        }
        let result = once(&db, args, contender, &mut by_hand).await;
        if i == 0 {
            statements(contender, counter::stop(), by_hand, &mut report);
        }
        last = Some(result?);
    }
    if args.memory {
        db.restore(args.workload, args.size).await?;
        drop(last.take());
        let baseline = CountingAlloc::reset_peak();
        last = Some(once(&db, args, contender, &mut 0).await?);
        report.peak_heap_bytes = Some(CountingAlloc::peak().saturating_sub(baseline));
    } else {
        for _ in 0..args.iterations {
            db.restore(args.workload, args.size).await?;
            drop(last.take());
            let start = Instant::now();
            let outcome = once(&db, args, contender, &mut 0).await?;
            report.sample(start.elapsed());
            last = Some(outcome);
        }
    }
    let canon = match (args.workload, &last) {
        (Workload::W6, _) => db.attached().await?,
        (_, Some(outcome)) => outcome.canon()?,
        (_, None) => return Err("no iteration ran".into()),
    };
    report.output(&canon);
    drop(last);
    db.restore(args.workload, args.size).await?;
    Ok(report)
}
