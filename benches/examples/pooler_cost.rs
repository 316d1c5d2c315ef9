//! What running behind pgbouncer in transaction pooling mode costs: a preload of 1,000 users x
//! 10 skills with a pivot column, and a `sync` of 100 ids (50 detached, 50 attached each call),
//! on one connection of each of three setups, run in turn, round after round:
//!
//! - `direct`: PostgreSQL directly, sqlx's statement cache on (the default setup);
//! - `direct, cache 0`: PostgreSQL directly with `statement_cache_capacity(0)`, so every statement
//!   is unnamed and each one outside a transaction runs in a transaction of its own: the ORM's
//!   share of the pooler mode, without the pooler;
//! - `pgbouncer`: the same connection option through pgbouncer (`.ci/pgbouncer.sh`).
//!
//! Prints each setup's median per call, the ORM's statements per call (`orm::sql` events: data
//! statements, and the `BEGIN` / `COMMIT` around them) and, through pgbouncer, the transactions
//! and queries pgbouncer counted (`SHOW STATS`).
//!
//! ```text
//! bash .ci/pgbouncer.sh && . .ci/env.sh && cargo run --release -p orm-benches --example pooler_cost [rounds]
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use orm::prelude::*;
use orm_benches::User;
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{ConnectOptions, Row};
use tracing::instrument::WithSubscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

const DATABASE: &str = "orm_pooler_cost";
/// Users preloaded (ids 1..=USERS); user USERS + 1 is the one synced.
const USERS: i64 = 1_000;
const PER_USER: i64 = 10;
const SKILLS: i64 = 200;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let direct: PgConnectOptions = std::env::var("ORM_TEST_POSTGRES_URL")?.parse()?;
    let pooled: PgConnectOptions = std::env::var("ORM_TEST_PGBOUNCER_URL")?.parse()?;
    let rounds: usize = std::env::args().nth(1).map_or(Ok(40), |n| n.parse())?;
    // What an application behind pgbouncer sets at startup.
    orm::set_transaction_pooler(true);
    seed(&direct).await?;
    let setups = [
        ("direct", pool(direct.clone().database(DATABASE)).await?),
        (
            "direct, cache 0",
            pool(
                direct
                    .clone()
                    .database(DATABASE)
                    .statement_cache_capacity(0),
            )
            .await?,
        ),
        (
            "pgbouncer",
            pool(
                pooled
                    .clone()
                    .database(DATABASE)
                    .statement_cache_capacity(0),
            )
            .await?,
        ),
    ];
    let sync_user = User::find(&setups[0].1, USERS + 1)
        .await?
        .ok_or("no sync user")?;
    // The synced user holds 1..=100 (seeded); each sync moves it to the other set.
    let mut syncs = 0;
    let mut times = vec![(Vec::new(), Vec::new()); setups.len()];
    for round in 0..rounds + 3 {
        // Rotate which setup goes first, so that none always runs on a warmer server.
        for k in 0..setups.len() {
            let i = (round + k) % setups.len();
            let (preload, sync) = once(&setups[i].1, &sync_user, &mut syncs).await?;
            if round >= 3 {
                times[i].0.push(preload);
                times[i].1.push(sync);
            }
        }
    }
    println!(
        "{rounds} rounds; per call: median ms (quartiles); orm::sql statements (data + BEGIN/COMMIT)"
    );
    println!(
        "{:<16} {:<22} {:<22} {:<14} {:<14}",
        "setup", "preload", "sync", "preload stmts", "sync stmts"
    );
    for (i, (name, pool)) in setups.iter().enumerate() {
        let preload = count(
            User::query()
                .where_op("id", Op::Le, USERS)
                .preload(User::skills())
                .fetch_all(pool),
        )
        .await?;
        syncs += 1;
        let sync = count(sync_user.related(User::skills()).sync(pool, ids(syncs))).await?;
        println!(
            "{:<16} {:<22} {:<22} {:<14} {:<14}",
            name,
            quartiles(&mut times[i].0),
            quartiles(&mut times[i].1),
            preload.to_string(),
            sync.to_string(),
        );
    }
    // What pgbouncer saw of each call: its transactions, and its "queries" (one per
    // ReadyForQuery: a round trip), the pool's ping at acquire and at release included.
    let pgbouncer = &setups[2].1;
    let before = pgbouncer_stats(&pooled).await?;
    User::query()
        .where_op("id", Op::Le, USERS)
        .preload(User::skills())
        .fetch_all(pgbouncer)
        .await?;
    let middle = pgbouncer_stats(&pooled).await?;
    syncs += 1;
    sync_user
        .related(User::skills())
        .sync(pgbouncer, ids(syncs))
        .await?;
    let after = pgbouncer_stats(&pooled).await?;
    println!(
        "pgbouncer's SHOW STATS, preload: {} transactions, {} round trips; sync: {} transactions, {} round trips",
        middle.0 - before.0,
        middle.1 - before.1,
        after.0 - middle.0,
        after.1 - middle.1
    );
    Ok(())
}

/// One preload and sync number `syncs + 1` on `pool`: their times in ms.
async fn once(
    pool: &PgPool,
    sync_user: &User,
    syncs: &mut usize,
) -> Result<(f64, f64), orm::Error> {
    let start = Instant::now();
    let users = User::query()
        .where_op("id", Op::Le, USERS)
        .preload(User::skills())
        .fetch_all(pool)
        .await?;
    let preload = start.elapsed().as_secs_f64() * 1e3;
    let rows: usize = users
        .iter()
        .map(|u| u.skills.get().map_or(0, <[_]>::len))
        .sum();
    assert_eq!(
        (users.len(), rows),
        (USERS as usize, (USERS * PER_USER) as usize)
    );
    *syncs += 1;
    let start = Instant::now();
    let report = sync_user
        .related(User::skills())
        .sync(pool, ids(*syncs))
        .await?;
    let sync = start.elapsed().as_secs_f64() * 1e3;
    assert_eq!(
        (report.attached.len(), report.detached.len()),
        (50, 50),
        "sync {syncs}"
    );
    Ok((preload, sync))
}

/// The 100 ids of sync number `n`: 51..=150 and 1..=100 in turn.
fn ids(n: usize) -> Vec<i64> {
    let first = if n.is_multiple_of(2) { 1 } else { 51 };
    (first..first + 100).collect()
}

/// The `orm::sql` events of `work`: data statements and transaction control.
#[derive(Default)]
struct Counted {
    data: AtomicUsize,
    control: AtomicUsize,
}

impl std::fmt::Display for Counted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let data = self.data.load(Ordering::Relaxed);
        let control = self.control.load(Ordering::Relaxed);
        write!(f, "{} ({data} + {control})", data + control)
    }
}

struct Counter(Arc<Counted>);

impl<S: tracing::Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != orm::execute::TARGET {
            return;
        }
        struct Sql(bool);
        impl tracing::field::Visit for Sql {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "sql" {
                    let text = format!("{value:?}");
                    self.0 = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"]
                        .iter()
                        .any(|k| text.starts_with(k));
                }
            }
        }
        let mut sql = Sql(false);
        event.record(&mut sql);
        let slot = if sql.0 { &self.0.control } else { &self.0.data };
        slot.fetch_add(1, Ordering::Relaxed);
    }
}

async fn count<T>(work: impl Future<Output = orm::Result<T>>) -> orm::Result<Arc<Counted>> {
    let counted = Arc::new(Counted::default());
    let subscriber = tracing_subscriber::registry().with(Counter(Arc::clone(&counted)));
    work.with_subscriber(subscriber).await?;
    Ok(counted)
}

/// `(total_xact_count, total_query_count)` of the benchmark's database in pgbouncer's admin
/// console.
async fn pgbouncer_stats(pooled: &PgConnectOptions) -> Result<(i64, i64), sqlx::Error> {
    // The admin console speaks the simple protocol only.
    let mut admin = pooled.clone().database("pgbouncer").connect().await?;
    let rows = sqlx::raw_sql("SHOW STATS").fetch_all(&mut admin).await?;
    for row in rows {
        let database: String = row.try_get("database")?;
        if database == DATABASE {
            // NUMERIC columns, in the simple protocol's text format.
            let number = |column: &str| -> Result<i64, sqlx::Error> {
                let text: String = row.try_get_unchecked(column)?;
                text.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
            };
            return Ok((number("total_xact_count")?, number("total_query_count")?));
        }
    }
    Ok((0, 0))
}

/// A pool of one connection.
async fn pool(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    sqlx::pool::PoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
}

/// A fresh database with the users, skills and pivot rows, created over `direct`.
async fn seed(direct: &PgConnectOptions) -> Result<(), sqlx::Error> {
    let mut admin = direct.clone().connect().await?;
    for statement in [
        format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"),
        format!("CREATE DATABASE {DATABASE}"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut admin)
            .await?;
    }
    let mut conn = direct.clone().database(DATABASE).connect().await?;
    let users: Vec<String> = (1..=USERS + 1)
        .map(|i| format!("({i}, 'user{i}')"))
        .collect();
    let skills: Vec<String> = (1..=SKILLS).map(|i| format!("({i}, 'skill{i}')")).collect();
    let mut pivots = Vec::new();
    for user in 1..=USERS {
        for k in 0..PER_USER {
            pivots.push(format!(
                "({user}, {}, 'level{}')",
                (user * 7 + k * 13) % SKILLS + 1,
                k % 3
            ));
        }
    }
    pivots.extend((1..=100).map(|skill| format!("({}, {skill}, NULL)", USERS + 1)));
    let sql = format!(
        "{}; INSERT INTO users (id, username) VALUES {}; INSERT INTO skills (id, name) VALUES {}; \
         INSERT INTO skill_user (user_id, skill_id, proficiency) VALUES {}; ANALYZE",
        orm_benches::preload_data::SCHEMA_POSTGRES
            .trim()
            .trim_end_matches(';'),
        users.join(","),
        skills.join(","),
        pivots.join(",")
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// `median (first quartile - third quartile)`.
fn quartiles(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    let at = |q: usize| values[(values.len() - 1) * q / 4];
    format!("{:.2} ({:.2}-{:.2})", at(2), at(1), at(3))
}
