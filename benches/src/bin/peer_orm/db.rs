//! The one connection every contender uses, and the untimed work around the iterations: W5's
//! and W6's restore (`peers/PROTOCOL.md`, The run, 3) and W6's read-back.

use std::str::FromStr;

use orm_peer_protocol::{Args, Backend, Canon, Workload, data};
use sqlx::pool::PoolOptions;

use crate::counter;
use crate::outcome::Error;

/// A pool of one connection on the backend of the command line.
pub enum Db {
    /// SQLite.
    Sqlite(sqlx::SqlitePool),
    /// PostgreSQL.
    Postgres(sqlx::PgPool),
    /// MySQL / MariaDB.
    Mysql(sqlx::MySqlPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of `$db` (each arm type-checks alone).
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            Db::Sqlite($pool) => $body,
            Db::Postgres($pool) => $body,
            Db::Mysql($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The options of the one-connection pool: kept open for the whole run.
fn one<DB: sqlx::Database>() -> PoolOptions<DB> {
    PoolOptions::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
}

impl Db {
    /// Connects to `args.url`; on SQLite the connection reports its statements to the counter.
    pub async fn connect(args: &Args) -> Result<Db, Error> {
        Ok(match args.backend {
            Backend::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&args.url)?;
                let pool = one::<sqlx::Sqlite>()
                    .after_connect(|conn, _| Box::pin(counter::trace_sqlite(conn)))
                    .connect_with(options)
                    .await?;
                Db::Sqlite(pool)
            }
            Backend::Postgres => Db::Postgres(one().connect(&args.url).await?),
            Backend::Mysql => Db::Mysql(one().connect(&args.url).await?),
        })
    }

    /// Runs each of `statements` (text built here from the protocol's data only).
    async fn run_all(&self, statements: Vec<String>) -> Result<(), Error> {
        for sql in statements {
            on_pool!(self, pool => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
            });
        }
        Ok(())
    }

    /// Puts back the rows a write workload changes, as seeded (untimed).
    pub async fn restore(&self, workload: Workload, size: usize) -> Result<(), Error> {
        match workload {
            Workload::W5 => {
                let mut statements = vec![format!(
                    "DELETE FROM skill_user WHERE user_id BETWEEN 1 AND {size}"
                )];
                let rows: Vec<String> = (1..=size as i64)
                    .flat_map(data::user_skills)
                    .map(|l| {
                        let (u, s, p, y) = (l.user_id, l.skill_id, l.proficiency, l.years);
                        format!("({u}, {s}, '{p}', {y})")
                    })
                    .collect();
                for chunk in rows.chunks(1000) {
                    statements.push(format!(
                        "INSERT INTO skill_user (user_id, skill_id, proficiency, years) VALUES {}",
                        chunk.join(", ")
                    ));
                }
                self.run_all(statements).await
            }
            Workload::W6 => {
                let user = data::ATTACH_USER;
                self.run_all(vec![format!(
                    "DELETE FROM skill_user WHERE user_id = {user}"
                )])
                .await
            }
            _ => Ok(()),
        }
    }

    /// W6's canonical line, read back from the table: `u30001:{count}:{sum of skill ids}`.
    pub async fn attached(&self) -> Result<Canon, Error> {
        let user = data::ATTACH_USER;
        let sql = "SELECT skill_id FROM skill_user WHERE user_id = 30001";
        let skills: Vec<i64> = on_pool!(self, pool => {
            sqlx::query_scalar(sql).fetch_all(pool).await?
        });
        let mut canon = Canon::default();
        let sum: i64 = skills.iter().sum();
        canon.line(format!("u{user}:{}:{sum}", skills.len()));
        Ok(canon)
    }
}
