//! Scaling of pivot writes for ONE parent: attach, sync, sync_with, detach and toggle of 2,000,
//! 8,000 and 70,000 ids, on three pivot shapes, with the growth exponent of each operation (the
//! least-squares slope of ln(time) against ln(n) over the three sizes; 1 is linear).
//!
//! ```text
//! cargo run --release --example scaling                     # SQLite (a temporary file)
//! . .ci/env.sh && cargo run --release --example scaling     # and PostgreSQL, MariaDB
//! ```
//!
//! SQLite always runs; PostgreSQL runs when `ORM_TEST_POSTGRES_URL` is set and MySQL/MariaDB when
//! `ORM_TEST_MYSQL_URL` is set. Each backend gets its own `scaling_*` tables, dropped and created
//! again at the start. The pivot shapes:
//!
//! - `no index`: `scaling_skill_user_noidx`, Lucid's own test schema: an `id` key, nullable
//!   `user_id` and `skill_id`, no unique key and no index on them;
//! - `unique`: `scaling_skill_user_unique`, an `id` key and `UNIQUE (user_id, skill_id)`;
//! - `composite pk`: `scaling_skill_user_pk`, `PRIMARY KEY (user_id, skill_id)` and no `id`.
//!
//! Every measurement starts from an empty pivot and a new parent; the untimed setup attaches
//! 1..=n when the operation needs it, and the untimed cleanup empties the pivot table again
//! (`TRUNCATE`; `DELETE` on SQLite), so no run scans rows an earlier run deleted. Targets:
//! every exponent <= 1.2, and the 70,000-id detach on the no-index pivot under 2 s on MariaDB.
//!
//! Arguments choose backends (`sqlite`, `postgres`, `mysql`); none runs every backend available:
//! `cargo run --release --example scaling -- mysql`.

use std::error::Error;
use std::future::Future;
use std::time::{Duration, Instant};

use orm::prelude::*;
use orm::{ManyToManyHandle, ManyToManyOn, ModelRow, Relation};
use sqlx::Pool;

#[derive(Model, Debug, Clone)]
#[model(table = "scaling_users")]
pub struct ScalingUser {
    pub id: i64,
    pub name: String,

    /// No index at all (Lucid's test schema).
    #[many_to_many(
        pivot = "scaling_skill_user_noidx",
        pivot_foreign_key = "user_id",
        pivot_related_foreign_key = "skill_id"
    )]
    pub skills_noidx: ManyToMany<ScalingSkill, Proficiency>,
    /// `UNIQUE (user_id, skill_id)` and an `id` key.
    #[many_to_many(
        pivot = "scaling_skill_user_unique",
        pivot_foreign_key = "user_id",
        pivot_related_foreign_key = "skill_id"
    )]
    pub skills_unique: ManyToMany<ScalingSkill, Proficiency>,
    /// `PRIMARY KEY (user_id, skill_id)`, no `id`.
    #[many_to_many(
        pivot = "scaling_skill_user_pk",
        pivot_foreign_key = "user_id",
        pivot_related_foreign_key = "skill_id"
    )]
    pub skills_pk: ManyToMany<ScalingSkill, Proficiency>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "scaling_skills")]
pub struct ScalingSkill {
    pub id: i64,
    pub name: String,
}

/// The pivot's extra column.
#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Proficiency {
    pub proficiency: Option<String>,
}

fn level(name: &str) -> Proficiency {
    Proficiency {
        proficiency: Some(name.to_owned()),
    }
}

/// The sizes measured, and how many runs each takes (the median is kept).
const SIZES: [(i64, usize); 3] = [(2_000, 3), (8_000, 3), (70_000, 1)];
/// Rows of `scaling_skills`: enough for every target set (at most 1.5 × the largest size).
const SKILLS: i64 = 140_000;
/// The exponent above which an operation is reported.
const MAX_EXPONENT: f64 = 1.2;
/// The MariaDB target for the 70,000-id detach on the no-index pivot.
const MAX_MARIADB_DETACH: Duration = Duration::from_secs(2);

const SQLITE: &str = "
    DROP TABLE IF EXISTS scaling_skill_user_noidx; DROP TABLE IF EXISTS scaling_skill_user_unique;
    DROP TABLE IF EXISTS scaling_skill_user_pk; DROP TABLE IF EXISTS scaling_skills;
    DROP TABLE IF EXISTS scaling_users;
    CREATE TABLE scaling_users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
    CREATE TABLE scaling_skills (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
    CREATE TABLE scaling_skill_user_noidx (id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER, skill_id INTEGER, proficiency TEXT);
    CREATE TABLE scaling_skill_user_unique (id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL, skill_id INTEGER NOT NULL, proficiency TEXT,
        UNIQUE (user_id, skill_id));
    CREATE TABLE scaling_skill_user_pk (user_id INTEGER NOT NULL, skill_id INTEGER NOT NULL,
        proficiency TEXT, PRIMARY KEY (user_id, skill_id));";

const POSTGRES: &str = "
    DROP TABLE IF EXISTS scaling_skill_user_noidx; DROP TABLE IF EXISTS scaling_skill_user_unique;
    DROP TABLE IF EXISTS scaling_skill_user_pk; DROP TABLE IF EXISTS scaling_skills;
    DROP TABLE IF EXISTS scaling_users;
    CREATE TABLE scaling_users (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE scaling_skills (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE scaling_skill_user_noidx (id BIGSERIAL PRIMARY KEY,
        user_id BIGINT, skill_id BIGINT, proficiency TEXT);
    CREATE TABLE scaling_skill_user_unique (id BIGSERIAL PRIMARY KEY,
        user_id BIGINT NOT NULL, skill_id BIGINT NOT NULL, proficiency TEXT,
        UNIQUE (user_id, skill_id));
    CREATE TABLE scaling_skill_user_pk (user_id BIGINT NOT NULL, skill_id BIGINT NOT NULL,
        proficiency TEXT, PRIMARY KEY (user_id, skill_id));";

const MYSQL: &str = "
    DROP TABLE IF EXISTS scaling_skill_user_noidx; DROP TABLE IF EXISTS scaling_skill_user_unique;
    DROP TABLE IF EXISTS scaling_skill_user_pk; DROP TABLE IF EXISTS scaling_skills;
    DROP TABLE IF EXISTS scaling_users;
    CREATE TABLE scaling_users (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL)
        ENGINE = InnoDB;
    CREATE TABLE scaling_skills (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL)
        ENGINE = InnoDB;
    CREATE TABLE scaling_skill_user_noidx (id BIGINT AUTO_INCREMENT PRIMARY KEY,
        user_id BIGINT, skill_id BIGINT, proficiency VARCHAR(255)) ENGINE = InnoDB;
    CREATE TABLE scaling_skill_user_unique (id BIGINT AUTO_INCREMENT PRIMARY KEY,
        user_id BIGINT NOT NULL, skill_id BIGINT NOT NULL, proficiency VARCHAR(255),
        UNIQUE KEY (user_id, skill_id)) ENGINE = InnoDB;
    CREATE TABLE scaling_skill_user_pk (user_id BIGINT NOT NULL, skill_id BIGINT NOT NULL,
        proficiency VARCHAR(255), PRIMARY KEY (user_id, skill_id)) ENGINE = InnoDB;";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Attach,
    Sync,
    SyncWith,
    Detach,
    Toggle,
}

impl Operation {
    const ALL: [Operation; 5] = [
        Operation::Attach,
        Operation::Sync,
        Operation::SyncWith,
        Operation::Detach,
        Operation::Toggle,
    ];

    fn name(self) -> &'static str {
        match self {
            Operation::Attach => "attach",
            Operation::Sync => "sync",
            Operation::SyncWith => "sync_with",
            Operation::Detach => "detach",
            Operation::Toggle => "toggle",
        }
    }
}

/// One measured row: a shape and an operation at every size.
struct Measured {
    shape: &'static str,
    operation: Operation,
    times: Vec<Duration>,
    exponent: f64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    println!(
        "scaling of pivot writes for one parent: sizes {}; median of {} runs below 70,000, one run at 70,000",
        SIZES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        SIZES[0].1
    );
    let chosen: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |backend: &str| chosen.is_empty() || chosen.iter().any(|c| c == backend);
    let mut above = Vec::new();

    if wanted("sqlite") {
        above.extend(sqlite().await?);
    }
    if wanted("postgres") {
        match std::env::var("ORM_TEST_POSTGRES_URL") {
            Ok(url) => {
                let pool = Pool::<sqlx::Postgres>::connect(&url).await?;
                above.extend(run("PostgreSQL", &pool, POSTGRES).await?);
                pool.close().await;
            }
            Err(_) => println!("\nPostgreSQL: skipped (ORM_TEST_POSTGRES_URL is not set)"),
        }
    }
    if wanted("mysql") {
        match std::env::var("ORM_TEST_MYSQL_URL") {
            Ok(url) => {
                let pool = Pool::<sqlx::MySql>::connect(&url).await?;
                let version: String = sqlx::query_scalar("SELECT VERSION()")
                    .fetch_one(&pool)
                    .await?;
                let name = if version.to_lowercase().contains("mariadb") {
                    "MariaDB"
                } else {
                    "MySQL"
                };
                above.extend(run(name, &pool, MYSQL).await?);
                pool.close().await;
            }
            Err(_) => println!("\nMySQL/MariaDB: skipped (ORM_TEST_MYSQL_URL is not set)"),
        }
    }

    println!();
    if above.is_empty() {
        println!(
            "overall: every exponent <= {MAX_EXPONENT}; the MariaDB 70,000-id detach on the no-index pivot (if run) is under {} s",
            MAX_MARIADB_DETACH.as_secs()
        );
    } else {
        println!("overall: ABOVE TARGET:");
        for line in &above {
            println!("  {line}");
        }
    }
    Ok(())
}

/// SQLite on a fresh temporary file.
async fn sqlite() -> Result<Vec<String>, Box<dyn Error>> {
    let path = std::env::temp_dir().join("orm-scaling.db");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        // A file left by an earlier run; absent is fine.
        std::fs::remove_file(&file).ok();
    }
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let pool = Pool::<sqlx::Sqlite>::connect(&url).await?;
    let above = run("SQLite", &pool, SQLITE).await?;
    pool.close().await;
    Ok(above)
}

/// Creates the tables on one backend, seeds the skills, measures every shape and prints the
/// table. Returns the lines above target.
async fn run<DB>(
    backend: &str,
    pool: &Pool<DB>,
    schema: &'static str,
) -> Result<Vec<String>, Box<dyn Error>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    ScalingUser: ModelRow<DB>,
    ScalingSkill: ModelRow<DB>,
    ScalingUserSkillsNoidxRelation: ManyToManyOn<DB, RelatedKey = i64, Pivot = Proficiency>,
    ScalingUserSkillsUniqueRelation: ManyToManyOn<DB, RelatedKey = i64, Pivot = Proficiency>,
    ScalingUserSkillsPkRelation: ManyToManyOn<DB, RelatedKey = i64, Pivot = Proficiency>,
{
    println!("\n{backend}");
    sqlx::raw_sql(schema).execute(pool).await?;
    let started = Instant::now();
    ScalingSkill::insert_many(
        pool,
        (1..=SKILLS).map(|i| NewScalingSkill {
            name: format!("skill {i}"),
        }),
    )
    .await?;
    let count = ScalingSkill::query().count(pool).await?;
    let first = ScalingSkill::find(pool, 1).await?;
    let last = ScalingSkill::find(pool, SKILLS).await?;
    if count != SKILLS || first.is_none() || last.is_none() {
        return Err(format!("{backend}: scaling_skills should hold ids 1..={SKILLS}").into());
    }
    println!(
        "seeded {SKILLS} skills in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<13} {:<10} {:>10} {:>10} {:>10} {:>9}",
        "shape", "operation", "2,000", "8,000", "70,000", "exponent"
    );

    let mut rows = Vec::new();
    let noidx = ScalingUser::skills_noidx();
    rows.extend(shape(pool, "no index", "scaling_skill_user_noidx", noidx).await?);
    let unique = ScalingUser::skills_unique();
    rows.extend(shape(pool, "unique", "scaling_skill_user_unique", unique).await?);
    let pk = ScalingUser::skills_pk();
    rows.extend(shape(pool, "composite pk", "scaling_skill_user_pk", pk).await?);

    let mut above = Vec::new();
    for row in &rows {
        let times = row
            .times
            .iter()
            .map(|t| ms(*t))
            .collect::<Vec<_>>()
            .join(" / ");
        if row.exponent > MAX_EXPONENT {
            above.push(format!(
                "{backend}, {}, {}: exponent {:.2} > {MAX_EXPONENT} ({times} ms)",
                row.shape,
                row.operation.name(),
                row.exponent
            ));
        }
        if backend == "MariaDB"
            && row.shape == "no index"
            && row.operation == Operation::Detach
            && row.times.last().is_some_and(|t| *t >= MAX_MARIADB_DETACH)
        {
            above.push(format!(
                "{backend}, {}, detach of 70,000 ids: {} ms >= {} ms",
                row.shape,
                row.times.last().map_or_else(String::new, |t| ms(*t)),
                MAX_MARIADB_DETACH.as_millis()
            ));
        }
    }
    if above.is_empty() {
        println!("{backend}: every exponent <= {MAX_EXPONENT}");
    } else {
        println!("{backend}: above target:");
        for line in &above {
            println!("  {line}");
        }
    }
    Ok(above)
}

/// Every operation at every size on one pivot shape; prints each row as it is measured.
async fn shape<DB, R>(
    pool: &Pool<DB>,
    shape: &'static str,
    pivot: &str,
    relation: R,
) -> Result<Vec<Measured>, Box<dyn Error>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    ScalingUser: ModelRow<DB>,
    R: ManyToManyOn<DB, RelatedKey = i64, Pivot = Proficiency>
        + for<'p> Relation<Parent = ScalingUser, Handle<'p> = ManyToManyHandle<'p, R>>,
{
    let mut rows = Vec::new();
    for operation in Operation::ALL {
        let mut times = Vec::new();
        for (n, runs) in SIZES {
            let mut samples = Vec::new();
            for _ in 0..runs {
                samples.push(measure(pool, pivot, relation, operation, n).await?);
            }
            samples.sort();
            times.push(samples[samples.len() / 2]);
        }
        let exponent = exponent(&times);
        println!(
            "{:<13} {:<10} {:>10} {:>10} {:>10} {:>9.2}",
            shape,
            operation.name(),
            ms(times[0]),
            ms(times[1]),
            ms(times[2]),
            exponent
        );
        rows.push(Measured {
            shape,
            operation,
            times,
            exponent,
        });
    }
    Ok(rows)
}

/// One timed run of `operation` at size `n` for a new parent: untimed setup, the timed call, a
/// check of its result, and an untimed cleanup that leaves the pivot table empty.
async fn measure<DB, R>(
    pool: &Pool<DB>,
    pivot: &str,
    relation: R,
    operation: Operation,
    n: i64,
) -> Result<Duration, Box<dyn Error>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    ScalingUser: ModelRow<DB>,
    R: ManyToManyOn<DB, RelatedKey = i64, Pivot = Proficiency>
        + for<'p> Relation<Parent = ScalingUser, Handle<'p> = ManyToManyHandle<'p, R>>,
{
    let user = ScalingUser::create(
        pool,
        NewScalingUser {
            name: format!("{} {n}", operation.name()),
        },
    )
    .await?;
    let skills = user.related(relation);
    let half = n / 2;
    let kept_and_new = half + 1..=n + half;
    match operation {
        Operation::Attach => {}
        Operation::SyncWith => {
            skills
                .attach_with(pool, (1..=n).map(|id| (id, level("old"))))
                .await?;
        }
        _ => {
            skills.attach(pool, 1..=n).await?;
        }
    }

    let (elapsed, counts) = match operation {
        Operation::Attach => {
            let (elapsed, attached) = timed(skills.attach(pool, 1..=n)).await;
            (elapsed, [attached?.len() as i64, 0, 0])
        }
        Operation::Sync => {
            let (elapsed, report) = timed(skills.sync(pool, kept_and_new)).await;
            let report = report?;
            (
                elapsed,
                [
                    report.attached.len() as i64,
                    report.detached.len() as i64,
                    0,
                ],
            )
        }
        Operation::SyncWith => {
            let rows = kept_and_new.map(|id| (id, level("new")));
            let (elapsed, report) = timed(skills.sync_with(pool, rows)).await;
            let report = report?;
            (
                elapsed,
                [
                    report.attached.len() as i64,
                    report.detached.len() as i64,
                    report.updated.len() as i64,
                ],
            )
        }
        Operation::Detach => {
            let (elapsed, detached) = timed(skills.detach(pool, 1..=n)).await;
            (elapsed, [0, detached? as i64, 0])
        }
        Operation::Toggle => {
            let (elapsed, report) = timed(skills.toggle(pool, kept_and_new)).await;
            let report = report?;
            (
                elapsed,
                [
                    report.attached.len() as i64,
                    report.detached.len() as i64,
                    0,
                ],
            )
        }
    };
    let expected = match operation {
        Operation::Attach => [n, 0, 0],
        Operation::Sync | Operation::Toggle => [n - half, half, 0],
        Operation::SyncWith => [n - half, half, n - half],
        Operation::Detach => [0, n, 0],
    };
    if counts != expected {
        return Err(format!(
            "{} of {n}: (attached, detached, updated) = {counts:?}, expected {expected:?}",
            operation.name()
        )
        .into());
    }
    let empty = if <DB as orm::Backend>::NAME == "sqlite" {
        "DELETE FROM"
    } else {
        "TRUNCATE TABLE"
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("{empty} {pivot}")))
        .execute(pool)
        .await?;
    Ok(elapsed)
}

async fn timed<T>(work: impl Future<Output = T>) -> (Duration, T) {
    let started = Instant::now();
    let out = work.await;
    (started.elapsed(), out)
}

/// The least-squares slope of ln(time) against ln(n) over the sizes.
fn exponent(times: &[Duration]) -> f64 {
    let points: Vec<(f64, f64)> = SIZES
        .iter()
        .zip(times)
        .map(|((n, _), t)| ((*n as f64).ln(), t.as_secs_f64().max(1e-9).ln()))
        .collect();
    let count = points.len() as f64;
    let mean_x = points.iter().map(|(x, _)| x).sum::<f64>() / count;
    let mean_y = points.iter().map(|(_, y)| y).sum::<f64>() / count;
    let covariance: f64 = points
        .iter()
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum();
    let variance: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    covariance / variance
}

fn ms(time: Duration) -> String {
    format!("{:.1}", time.as_secs_f64() * 1000.0)
}
