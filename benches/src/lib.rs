//! Benchmarks of the `orm` crate against hand-written sqlx, run with `cargo bench -p orm-benches`
//! (`benches/preload.rs`, `benches/sync.rs`). This library holds the models they share.

use orm::prelude::*;

pub mod preload_data;

/// A user with many skills through `skill_user`.
#[derive(Model, Debug, Clone)]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub username: String,
    /// Pivot `skill_user` with a proficiency.
    #[many_to_many]
    pub skills: ManyToMany<Skill, Proficiency>,
}

/// A skill.
#[derive(Model, Debug, Clone)]
pub struct Skill {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The pivot's extra column.
#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Proficiency {
    /// How well the user knows the skill.
    pub proficiency: Option<String>,
}

use std::future::Future;
use std::time::Duration;

use criterion::Criterion;

/// Benchmarks `orm` against `hand_written` in one criterion group, in the same run.
pub fn versus<A, FA, B, FB>(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    group: &str,
    samples: usize,
    seconds: u64,
    orm: A,
    hand_written: B,
) where
    A: Fn() -> FA,
    FA: Future<Output = ()>,
    B: Fn() -> FB,
    FB: Future<Output = ()>,
{
    pair(
        c,
        runtime,
        group,
        (samples, seconds),
        ("orm", orm),
        ("sqlx_hand_written", hand_written),
    );
}

/// Benchmarks two named routines in one criterion group, in the same run, with `samples`
/// samples over `seconds` each.
pub fn pair<A, FA, B, FB>(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    group: &str,
    (samples, seconds): (usize, u64),
    (name_a, a): (&str, A),
    (name_b, b): (&str, B),
) where
    A: Fn() -> FA,
    FA: Future<Output = ()>,
    B: Fn() -> FB,
    FB: Future<Output = ()>,
{
    let mut group = c.benchmark_group(group);
    group
        .sample_size(samples)
        .measurement_time(Duration::from_secs(seconds));
    group.bench_function(name_a, |bench| bench.to_async(runtime).iter(&a));
    group.bench_function(name_b, |bench| bench.to_async(runtime).iter(&b));
    group.finish();
}

/// The PostgreSQL URL from `ORM_TEST_POSTGRES_URL`, or a printed line saying the backend is
/// skipped.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("ORM_TEST_POSTGRES_URL").ok();
    if url.is_none() {
        println!("skipped PostgreSQL: ORM_TEST_POSTGRES_URL is not set");
    }
    url
}

/// An author with many posts (`posts.author_id`).
#[derive(Model, Debug, Clone)]
pub struct Author {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Posts by `author_id`.
    #[has_many]
    pub posts: HasMany<Post>,
}

/// A post of an author.
#[derive(Model, Debug, Clone)]
pub struct Post {
    /// Primary key.
    pub id: i64,
    /// The author's key.
    pub author_id: i64,
    /// Title.
    pub title: String,
}

/// A one-connection pool on a fresh SQLite file `name` in the temporary directory, with
/// `schema` and then each of `data` run on it.
pub async fn sqlite_pool(name: &str, schema: &str, data: Vec<String>) -> sqlx::Pool<sqlx::Sqlite> {
    let path = std::env::temp_dir().join(name);
    let _ = std::fs::remove_file(&path);
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let pool = sqlx::pool::PoolOptions::<sqlx::Sqlite>::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("sqlite");
    run_all(&pool, schema, data).await;
    pool
}

/// A one-connection pool on the PostgreSQL server at `url` whose `search_path` is the fresh
/// schema `schema_name`, with `schema` and then each of `data` run on it, then `ANALYZE`.
pub async fn postgres_pool(
    url: &str,
    schema_name: &str,
    schema: &str,
    data: Vec<String>,
) -> sqlx::Pool<sqlx::Postgres> {
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .expect("postgres");
    let fresh = format!("DROP SCHEMA IF EXISTS {schema_name} CASCADE; CREATE SCHEMA {schema_name}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(fresh))
        .execute(&mut admin)
        .await
        .expect("schema");
    let options: sqlx::postgres::PgConnectOptions = url.parse().expect("url");
    let pool = sqlx::pool::PoolOptions::<sqlx::Postgres>::new()
        .max_connections(1)
        .connect_with(options.options([("search_path", schema_name)]))
        .await
        .expect("pool");
    run_all(&pool, schema, data).await;
    sqlx::raw_sql("ANALYZE")
        .execute(&pool)
        .await
        .expect("analyze");
    pool
}

async fn run_all<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, schema: &str, data: Vec<String>)
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(sqlx::AssertSqlSafe(schema.to_owned()))
        .execute(pool)
        .await
        .expect("schema");
    for statement in data {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(pool)
            .await
            .expect("data");
    }
}
