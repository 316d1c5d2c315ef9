//! Preload of 10,000 users x 10 skills with pivot data: the ORM against best-practice
//! hand-written sqlx in the same run (one array bind on PostgreSQL, `json_each` on SQLite,
//! decode by ordinal, group with a hash map). Also a filtered preload written with string
//! column names and with typed fields (`Proficiency::FIELDS.proficiency`): the same statement,
//! so typed fields should cost nothing.
//!
//! ```text
//! cargo bench -p orm-benches                                  # SQLite
//! ORM_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1/test cargo bench -p orm-benches   # + PostgreSQL
//! ```

use std::collections::HashMap;

use criterion::{Criterion, criterion_group, criterion_main};
use orm::prelude::*;
use orm_benches::{
    Proficiency, Skill, User, pair, postgres_pool, postgres_url, sqlite_pool, versus,
};
use sqlx::{Pool, Postgres, Row, Sqlite};

const USERS: i64 = 10_000;
const SKILLS: i64 = 100;
const PER_USER: i64 = 10;

/// What the hand-written version produces: the same data, in plain structs.
pub struct RawUser {
    pub id: i64,
    pub username: String,
    pub skills: Vec<(Skill, Option<String>)>,
}

const SCHEMA_SQLITE: &str = "
    CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL);
    CREATE TABLE skills (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE skill_user (user_id INTEGER NOT NULL, skill_id INTEGER NOT NULL, proficiency TEXT,
        PRIMARY KEY (user_id, skill_id));";

const SCHEMA_POSTGRES: &str = "
    CREATE TABLE users (id BIGINT PRIMARY KEY, username TEXT NOT NULL);
    CREATE TABLE skills (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE skill_user (user_id BIGINT NOT NULL, skill_id BIGINT NOT NULL, proficiency TEXT,
        PRIMARY KEY (user_id, skill_id));";

/// The data, as SQL that works on both backends.
fn data_statements() -> Vec<String> {
    let mut out = Vec::new();
    let rows: Vec<String> = (1..=USERS).map(|i| format!("({i}, 'user{i}')")).collect();
    for chunk in rows.chunks(1000) {
        out.push(format!(
            "INSERT INTO users (id, username) VALUES {}",
            chunk.join(",")
        ));
    }
    let rows: Vec<String> = (1..=SKILLS).map(|i| format!("({i}, 'skill{i}')")).collect();
    out.push(format!(
        "INSERT INTO skills (id, name) VALUES {}",
        rows.join(",")
    ));
    let mut pivots = Vec::new();
    for user in 1..=USERS {
        for k in 0..PER_USER {
            let skill = (user * 7 + k * 13) % SKILLS + 1;
            pivots.push(format!("({user}, {skill}, 'level{}')", k % 3));
        }
    }
    for chunk in pivots.chunks(2000) {
        out.push(format!(
            "INSERT INTO skill_user (user_id, skill_id, proficiency) VALUES {}",
            chunk.join(",")
        ));
    }
    out
}

async fn raw_sqlite(pool: &Pool<Sqlite>) -> Vec<RawUser> {
    let users = sqlx::query("SELECT id, username FROM users")
        .fetch_all(pool)
        .await
        .expect("users");
    let mut out: Vec<RawUser> = users
        .iter()
        .map(|r| RawUser {
            id: r.get(0),
            username: r.get(1),
            skills: Vec::new(),
        })
        .collect();
    let keys = format!(
        "[{}]",
        out.iter()
            .map(|u| u.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let rows = sqlx::query(
        "SELECT s.id, s.name, p.user_id, p.proficiency FROM skills s JOIN skill_user p ON s.id = p.skill_id \
         WHERE p.user_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(keys)
    .fetch_all(pool)
    .await
    .expect("skills");
    group(
        &mut out,
        rows.iter().map(|r| {
            (
                r.get::<i64, _>(2),
                Skill {
                    id: r.get(0),
                    name: r.get(1),
                },
                r.get(3),
            )
        }),
    );
    out
}

async fn raw_postgres(pool: &Pool<Postgres>) -> Vec<RawUser> {
    let users = sqlx::query("SELECT id, username FROM users")
        .fetch_all(pool)
        .await
        .expect("users");
    let mut out: Vec<RawUser> = users
        .iter()
        .map(|r| RawUser {
            id: r.get(0),
            username: r.get(1),
            skills: Vec::new(),
        })
        .collect();
    let keys: Vec<i64> = out.iter().map(|u| u.id).collect();
    let rows = sqlx::query(
        "SELECT s.id, s.name, p.user_id, p.proficiency FROM skills s JOIN skill_user p ON s.id = p.skill_id \
         WHERE p.user_id = ANY($1)",
    )
    .bind(&keys)
    .persistent(false)
    .fetch_all(pool)
    .await
    .expect("skills");
    group(
        &mut out,
        rows.iter().map(|r| {
            (
                r.get::<i64, _>(2),
                Skill {
                    id: r.get(0),
                    name: r.get(1),
                },
                r.get(3),
            )
        }),
    );
    out
}

/// Moves each related row into its parent's list through a hash map of positions.
fn group(users: &mut [RawUser], rows: impl Iterator<Item = (i64, Skill, Option<String>)>) {
    let index: HashMap<i64, usize> = users.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    for (user_id, skill, proficiency) in rows {
        if let Some(&i) = index.get(&user_id) {
            users[i].skills.push((skill, proficiency));
        }
    }
}

fn check_orm(users: &[User]) {
    assert_eq!(users.len() as i64, USERS);
    let total: usize = users
        .iter()
        .map(|u| u.skills.get().map(|s| s.len()).unwrap_or(0))
        .sum();
    assert_eq!(total as i64, USERS * PER_USER);
}

fn check_raw(users: &[RawUser]) {
    assert_eq!(users.len() as i64, USERS);
    assert_eq!(
        users.iter().map(|u| u.skills.len()).sum::<usize>() as i64,
        USERS * PER_USER
    );
    assert!(!users[0].username.is_empty());
}

fn bench_sqlite(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    let pool = runtime.block_on(sqlite_pool(
        "orm-bench-preload.db",
        SCHEMA_SQLITE,
        data_statements(),
    ));
    typed_versus_string(c, runtime, "sqlite", &pool);
    versus(
        c,
        runtime,
        "preload_10k_users_x10_skills/sqlite",
        20,
        15,
        || async {
            let users = User::query()
                .preload(User::skills())
                .fetch_all(&pool)
                .await
                .expect("orm preload");
            check_orm(&users);
        },
        || async { check_raw(&raw_sqlite(&pool).await) },
    );
}

fn bench_postgres(c: &mut Criterion, runtime: &tokio::runtime::Runtime) {
    let Some(url) = postgres_url() else {
        return;
    };
    let pool = runtime.block_on(postgres_pool(
        &url,
        "orm_bench",
        SCHEMA_POSTGRES,
        data_statements(),
    ));
    typed_versus_string(c, runtime, "postgres", &pool);
    versus(
        c,
        runtime,
        "preload_10k_users_x10_skills/postgres",
        20,
        15,
        || async {
            let users = User::query()
                .preload(User::skills())
                .fetch_all(&pool)
                .await
                .expect("orm preload");
            check_orm(&users);
        },
        || async { check_raw(&raw_postgres(&pool).await) },
    );
}

/// The same filtered preload with a pivot filter and a model order named by string and by
/// typed field: the same statement, so the same time.
fn typed_versus_string<DB>(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    backend: &str,
    pool: &Pool<DB>,
) where
    DB: orm::Backend,
    User: orm::ModelRow<DB>,
    Skill: orm::ModelRow<DB>,
    orm_benches::UserSkillsRelation: orm::ManyToManyOn<DB>,
    for<'c> &'c Pool<DB>: orm::Executor<Backend = DB>,
    &'static str: orm::Bind<DB>,
{
    let check = |users: Vec<User>| {
        let total: usize = users
            .iter()
            .map(|u| u.skills.get().map_or(0, |s| s.len()))
            .sum();
        assert!(total > 0 && total < (USERS * PER_USER) as usize);
    };
    pair(
        c,
        runtime,
        &format!("preload_filtered_string_vs_typed/{backend}"),
        (20, 10),
        ("string", || async {
            let users = User::query()
                .preload_with(User::skills(), |q| {
                    q.where_pivot("proficiency", "level1")
                        .order_by("name", Order::Asc)
                })
                .fetch_all(pool)
                .await
                .expect("orm preload");
            check(users);
        }),
        ("typed", || async {
            let users = User::query()
                .preload_with(User::skills(), |q| {
                    q.where_pivot(Proficiency::FIELDS.proficiency, "level1")
                        .order_by(Skill::FIELDS.name, Order::Asc)
                })
                .fetch_all(pool)
                .await
                .expect("orm preload");
            check(users);
        }),
    );
}

fn preload(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    bench_sqlite(c, &runtime);
    bench_postgres(c, &runtime);
}

criterion_group!(benches, preload);
criterion_main!(benches);
