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

use criterion::{Criterion, criterion_group, criterion_main};
use orm::prelude::*;
use orm_benches::preload_data::{
    PER_USER, SCHEMA_POSTGRES, SCHEMA_SQLITE, USERS, check_orm, check_raw, data_statements,
    raw_postgres, raw_sqlite,
};
use orm_benches::{
    Proficiency, Skill, User, pair, postgres_pool, postgres_url, sqlite_pool, versus,
};
use sqlx::Pool;

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
