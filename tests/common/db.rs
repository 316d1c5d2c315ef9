//! A fresh database per test, on each backend (and on PostgreSQL behind pgbouncer, see
//! `pgbouncer`), with the fixture's tables created.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{ConnectOptions, Pool};

use super::TestResult;

/// A backend the harness can give a fresh database on.
pub trait TestBackend: orm::Backend {
    /// The environment variable naming the server, if the backend needs one.
    const URL_VAR: Option<&'static str>;
    /// The fixture's hand-written pivots (`tests/fixtures/<backend>.sql`).
    const SCHEMA: &'static str;

    /// Creates the fixture's tables (`models::create_fixture`) on a fresh database.
    fn fixture(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>>;

    /// A pool on a new empty database named `name`, and how to drop it afterwards.
    fn fresh(
        url: Option<String>,
        name: String,
    ) -> impl Future<Output = Result<(Pool<Self>, Cleanup), sqlx::Error>> + Send;
}

/// Where a test runs: a backend's server reached directly (each [`TestBackend`] is its own
/// target), or PostgreSQL through pgbouncer ([`super::pgbouncer::Pgbouncer`]).
pub trait Target {
    /// The backend the test's pool talks to.
    type DB: TestBackend;
    /// The target's name in `ORM_TEST_REQUIRE` and in the harness's messages.
    const NAME: &'static str;
    /// The environment variable naming the server, if the target needs one.
    const URL_VAR: Option<&'static str>;
    /// Whether a transaction pooler stands between the test's pool and the server: a
    /// connection then has no server session of its own between transactions.
    const POOLED: bool;

    /// A pool on a new empty database named `name`, and how to drop it afterwards.
    fn fresh(
        url: Option<String>,
        name: String,
    ) -> impl Future<Output = Result<(Pool<Self::DB>, Cleanup), sqlx::Error>> + Send;
}

impl<DB: TestBackend> Target for DB {
    type DB = DB;
    const NAME: &'static str = <DB as orm::Backend>::NAME;
    const URL_VAR: Option<&'static str> = <DB as TestBackend>::URL_VAR;
    const POOLED: bool = false;

    fn fresh(
        url: Option<String>,
        name: String,
    ) -> impl Future<Output = Result<(Pool<DB>, Cleanup), sqlx::Error>> + Send {
        <DB as TestBackend>::fresh(url, name)
    }
}

/// How to remove a test's database after a successful run.
pub enum Cleanup {
    File(std::path::PathBuf),
    Sql {
        admin_url: String,
        statement: String,
        postgres: bool,
    },
}

/// A pool of the harness's size (5 connections) on `options`.
pub async fn test_pool<DB: sqlx::Database>(
    options: <DB::Connection as sqlx::Connection>::Options,
) -> Result<Pool<DB>, sqlx::Error> {
    sqlx::pool::PoolOptions::new()
        .max_connections(5)
        .connect_with(options)
        .await
}

fn unique_name(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut name = format!(
        "orm_{}_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        nanos % 100_000,
        test
    );
    name.truncate(60);
    name
}

impl TestBackend for sqlx::Sqlite {
    const URL_VAR: Option<&'static str> = None;
    const SCHEMA: &'static str = include_str!("../fixtures/sqlite.sql");

    async fn fixture(pool: &Pool<Self>) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        super::models::create_fixture(pool, Self::SCHEMA).await
    }

    async fn fresh(_: Option<String>, name: String) -> Result<(Pool<Self>, Cleanup), sqlx::Error> {
        let path = std::env::temp_dir().join(format!("{name}.db"));
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(30));
        let pool = test_pool(options).await?;
        Ok((pool, Cleanup::File(path)))
    }
}

impl TestBackend for sqlx::Postgres {
    const URL_VAR: Option<&'static str> = Some("ORM_TEST_POSTGRES_URL");
    const SCHEMA: &'static str = include_str!("../fixtures/postgres.sql");

    async fn fixture(pool: &Pool<Self>) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        super::models::create_fixture(pool, Self::SCHEMA).await
    }

    async fn fresh(
        url: Option<String>,
        name: String,
    ) -> Result<(Pool<Self>, Cleanup), sqlx::Error> {
        let admin_url = url.unwrap_or_default();
        let mut admin = sqlx::postgres::PgConnectOptions::from_url(
            &admin_url
                .parse()
                .map_err(|e| sqlx::Error::Configuration(Box::new(e)))?,
        )?
        .connect()
        .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{name}\"")))
            .execute(&mut admin)
            .await?;
        let options = sqlx::postgres::PgConnectOptions::from_url(
            &admin_url
                .parse()
                .map_err(|e| sqlx::Error::Configuration(Box::new(e)))?,
        )?
        .options([("search_path", name.as_str())]);
        let pool = test_pool(options).await?;
        Ok((
            pool,
            Cleanup::Sql {
                admin_url,
                statement: format!("DROP SCHEMA \"{name}\" CASCADE"),
                postgres: true,
            },
        ))
    }
}

impl TestBackend for sqlx::MySql {
    const URL_VAR: Option<&'static str> = Some("ORM_TEST_MYSQL_URL");
    const SCHEMA: &'static str = include_str!("../fixtures/mysql.sql");

    async fn fixture(pool: &Pool<Self>) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        super::models::create_fixture(pool, Self::SCHEMA).await
    }

    async fn fresh(
        url: Option<String>,
        name: String,
    ) -> Result<(Pool<Self>, Cleanup), sqlx::Error> {
        let admin_url = url.unwrap_or_default();
        let parsed = admin_url
            .parse()
            .map_err(|e| sqlx::Error::Configuration(Box::new(e)))?;
        let mut admin = sqlx::mysql::MySqlConnectOptions::from_url(&parsed)?
            .connect()
            .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
            .execute(&mut admin)
            .await?;
        let options = sqlx::mysql::MySqlConnectOptions::from_url(&parsed)?.database(&name);
        let pool = test_pool(options).await?;
        Ok((
            pool,
            Cleanup::Sql {
                admin_url,
                statement: format!("DROP DATABASE `{name}`"),
                postgres: false,
            },
        ))
    }
}

impl Cleanup {
    async fn run(self) {
        match self {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Sql {
                admin_url,
                statement,
                postgres,
            } => {
                let statement = sqlx::AssertSqlSafe(statement);
                if postgres {
                    if let Ok(mut conn) = sqlx::postgres::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::raw_sql(statement).execute(&mut conn).await;
                    }
                } else if let Ok(mut conn) = sqlx::mysql::MySqlConnection::connect(&admin_url).await
                {
                    let _ = sqlx::raw_sql(statement).execute(&mut conn).await;
                }
            }
        }
    }
}

use sqlx::Connection;

/// Whether `ORM_TEST_REQUIRE` names this backend.
pub fn required(backend: &str) -> bool {
    std::env::var("ORM_TEST_REQUIRE").is_ok_and(|list| list.split(',').any(|b| b.trim() == backend))
}

/// Runs one test body on a fresh database of target `T`, or reports the target skipped.
pub async fn run<T, F, Fut>(test: &str, body: F)
where
    T: Target,
    for<'c> &'c mut <T::DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = T::DB>,
    F: FnOnce(Pool<T::DB>) -> Fut,
    Fut: Future<Output = TestResult>,
{
    super::counter::init();
    let target = T::NAME;
    let url = match T::URL_VAR {
        None => None,
        Some(var) => match std::env::var(var) {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                assert!(
                    !required(target),
                    "{test}: {target} is required by ORM_TEST_REQUIRE but {var} is not set"
                );
                // Written to the stderr handle itself, past the test harness's output capture, so
                // that a skipped backend is visible in every run.
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped {test} on {target}: {var} is not set"
                );
                return;
            }
        },
    };
    run_at::<T, _, _>(test, url, body).await;
}

/// Runs one test body on a fresh database of target `T` on the server at `url` (`None` for
/// SQLite): for tests on a server of their own, e.g. the replicas' primary.
pub async fn run_at<T, F, Fut>(test: &str, url: Option<String>, body: F)
where
    T: Target,
    for<'c> &'c mut <T::DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = T::DB>,
    F: FnOnce(Pool<T::DB>) -> Fut,
    Fut: Future<Output = TestResult>,
{
    let target = T::NAME;
    if T::POOLED {
        // Process-wide, as an application behind pgbouncer sets it at startup. The direct
        // targets of the same test binary then wrap the statements of their connections whose
        // cache is empty, which only their transaction-control counts can see.
        orm::set_transaction_pooler(true);
    }
    let (pool, cleanup) = match T::fresh(url, unique_name(test)).await {
        Ok(fresh) => fresh,
        Err(err) => panic!("{test} on {target}: cannot create a test database: {err}"),
    };
    if let Err(err) = T::DB::fixture(&pool).await {
        panic!("{test} on {target}: cannot create the fixture's tables: {err}");
    }
    let result = body(pool.clone()).await;
    pool.close().await;
    if let Err(err) = result {
        let mut message = format!("{test} failed on {target}: {err}");
        let mut source = err.source();
        while let Some(cause) = source {
            message.push_str(&format!("\n  caused by: {cause}"));
            source = cause.source();
        }
        panic!("{message}");
    }
    cleanup.run().await;
    println!("ran {test} on {target}");
}
