//! Sync of 1,000 pivot rows where 100 are detached, 100 attached and 100 updated: the ORM's
//! `sync_with` against hand-written sqlx doing the same diff in one transaction (SELECT, then
//! one DELETE, one multi-row INSERT and one batched UPDATE), on SQLite and PostgreSQL.
//!
//! ```text
//! cargo bench -p orm-benches --bench sync
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use orm::prelude::*;
use orm_benches::{Proficiency, User, postgres_pool, postgres_url, sqlite_pool, versus};
use sqlx::{Pool, Postgres, Row, Sqlite};

const SKILLS: i64 = 1_200;

/// The two target sets the benchmark alternates between: from either, syncing to the other
/// detaches 100, attaches 100 and updates 100 rows.
fn target(flip: bool) -> Vec<(i64, Option<String>)> {
    let (range, changed) = if flip {
        (101..=1_100, "b")
    } else {
        (1..=1_000, "a")
    };
    range
        .map(|id| {
            (
                id,
                Some(
                    if (101..=200).contains(&id) {
                        changed
                    } else {
                        "same"
                    }
                    .to_owned(),
                ),
            )
        })
        .collect()
}

const SCHEMA: &str = "
    CREATE TABLE users (id BIGINT PRIMARY KEY, username TEXT NOT NULL);
    CREATE TABLE skills (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE skill_user (user_id BIGINT NOT NULL REFERENCES users (id), skill_id BIGINT NOT NULL REFERENCES skills (id),
        proficiency TEXT, PRIMARY KEY (user_id, skill_id));";

fn seed_statements() -> Vec<String> {
    let skills: Vec<String> = (1..=SKILLS).map(|i| format!("({i}, 'skill{i}')")).collect();
    vec![
        "INSERT INTO users (id, username) VALUES (1, 'virk')".to_owned(),
        format!("INSERT INTO skills (id, name) VALUES {}", skills.join(",")),
    ]
}

/// A pivot row as the hand-written version handles it: related id and proficiency.
type PivotRow = (i64, Option<String>);

/// The hand-written diff: what to delete, insert and update.
fn diff(
    existing: HashMap<i64, Option<String>>,
    wanted: &[(i64, Option<String>)],
) -> (Vec<i64>, Vec<PivotRow>, Vec<PivotRow>) {
    let wanted_ids: std::collections::HashSet<i64> = wanted.iter().map(|(id, _)| *id).collect();
    let delete = existing
        .keys()
        .filter(|id| !wanted_ids.contains(id))
        .copied()
        .collect();
    let mut insert = Vec::new();
    let mut update = Vec::new();
    for (id, level) in wanted {
        match existing.get(id) {
            None => insert.push((*id, level.clone())),
            Some(old) if old != level => update.push((*id, level.clone())),
            Some(_) => {}
        }
    }
    (delete, insert, update)
}

async fn raw_sqlite(pool: &Pool<Sqlite>, wanted: &[(i64, Option<String>)]) {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
    let rows = sqlx::query("SELECT skill_id, proficiency FROM skill_user WHERE user_id = ?1")
        .bind(1_i64)
        .fetch_all(&mut *tx)
        .await
        .expect("select");
    let existing = rows
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<Option<String>, _>(1)))
        .collect();
    let (delete, insert, update) = diff(existing, wanted);
    let json = format!(
        "[{}]",
        delete
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    sqlx::query("DELETE FROM skill_user WHERE user_id = ?1 AND skill_id IN (SELECT value FROM json_each(?2))")
        .bind(1_i64)
        .bind(json)
        .execute(&mut *tx)
        .await
        .expect("delete");
    let mut insert_sql = sqlx::QueryBuilder::<Sqlite>::new(
        "INSERT INTO skill_user (user_id, skill_id, proficiency) ",
    );
    insert_sql.push_values(&insert, |mut row, (id, level)| {
        row.push_bind(1_i64).push_bind(*id).push_bind(level.clone());
    });
    insert_sql.build().execute(&mut *tx).await.expect("insert");
    let mut update_sql =
        sqlx::QueryBuilder::<Sqlite>::new("UPDATE skill_user SET proficiency = CASE skill_id");
    for (id, level) in &update {
        update_sql
            .push(" WHEN ")
            .push_bind(*id)
            .push(" THEN ")
            .push_bind(level.clone());
    }
    update_sql.push(" END WHERE user_id = 1 AND skill_id IN (");
    let mut list = update_sql.separated(", ");
    for (id, _) in &update {
        list.push_bind(*id);
    }
    update_sql.push(")");
    update_sql.build().execute(&mut *tx).await.expect("update");
    tx.commit().await.expect("commit");
}

async fn raw_postgres(pool: &Pool<Postgres>, wanted: &[(i64, Option<String>)]) {
    let mut tx = pool.begin().await.expect("begin");
    let rows = sqlx::query("SELECT skill_id, proficiency FROM skill_user WHERE user_id = $1")
        .bind(1_i64)
        .fetch_all(&mut *tx)
        .await
        .expect("select");
    let existing = rows
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<Option<String>, _>(1)))
        .collect();
    let (delete, insert, update) = diff(existing, wanted);
    sqlx::query("DELETE FROM skill_user WHERE user_id = $1 AND skill_id = ANY($2)")
        .bind(1_i64)
        .bind(&delete)
        .execute(&mut *tx)
        .await
        .expect("delete");
    let ids: Vec<i64> = insert.iter().map(|(id, _)| *id).collect();
    let levels: Vec<Option<String>> = insert.iter().map(|(_, l)| l.clone()).collect();
    sqlx::query("INSERT INTO skill_user (user_id, skill_id, proficiency) SELECT $1, * FROM UNNEST($2::int8[], $3::text[])")
        .bind(1_i64)
        .bind(&ids)
        .bind(&levels)
        .execute(&mut *tx)
        .await
        .expect("insert");
    let ids: Vec<i64> = update.iter().map(|(id, _)| *id).collect();
    let levels: Vec<Option<String>> = update.iter().map(|(_, l)| l.clone()).collect();
    sqlx::query(
        "UPDATE skill_user SET proficiency = v.level FROM UNNEST($2::int8[], $3::text[]) AS v(id, level) \
         WHERE skill_user.user_id = $1 AND skill_user.skill_id = v.id",
    )
    .bind(1_i64)
    .bind(&ids)
    .bind(&levels)
    .execute(&mut *tx)
    .await
    .expect("update");
    tx.commit().await.expect("commit");
}

fn as_rows(wanted: Vec<(i64, Option<String>)>) -> Vec<(i64, Proficiency)> {
    wanted
        .into_iter()
        .map(|(id, proficiency)| (id, Proficiency { proficiency }))
        .collect()
}

fn sync(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let user = User {
        id: 1,
        username: "virk".into(),
        skills: ManyToMany::default(),
    };

    let sqlite = runtime.block_on(sqlite_pool("orm-bench-sync.db", SCHEMA, seed_statements()));
    let flip = AtomicBool::new(false);
    versus(
        c,
        &runtime,
        "sync_1000_rows_100_each_way/sqlite",
        30,
        8,
        || async {
            let wanted = as_rows(target(flip.fetch_xor(true, Ordering::Relaxed)));
            user.related(User::skills())
                .sync_with(&sqlite, wanted)
                .await
                .expect("orm sync");
        },
        || async { raw_sqlite(&sqlite, &target(flip.fetch_xor(true, Ordering::Relaxed))).await },
    );

    let Some(url) = postgres_url() else {
        return;
    };
    let postgres = runtime.block_on(postgres_pool(
        &url,
        "orm_bench_sync",
        SCHEMA,
        seed_statements(),
    ));
    versus(
        c,
        &runtime,
        "sync_1000_rows_100_each_way/postgres",
        30,
        8,
        || async {
            let wanted = as_rows(target(flip.fetch_xor(true, Ordering::Relaxed)));
            user.related(User::skills())
                .sync_with(&postgres, wanted)
                .await
                .expect("orm sync");
        },
        || async {
            raw_postgres(&postgres, &target(flip.fetch_xor(true, Ordering::Relaxed))).await
        },
    );
}

criterion_group!(benches, sync);
criterion_main!(benches);
