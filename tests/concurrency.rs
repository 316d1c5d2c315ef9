//! Concurrent writers of one parent: overlapping attaches never duplicate, sync and attach never
//! deadlock, and what the ORM cannot absorb is an error the caller can retry; on every backend.

mod common;
use common::models;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::Server;
use models::*;
use orm::prelude::*;

/// How many concurrent tasks each race runs (on a pool of 20 connections; on SQLite each waits
/// at most 200 ms for the write lock before the ORM tries again).
const TASKS: i64 = 50;

/// How many rows each key has: `(related key, count)` of `user`'s pivot rows.
fn count_keys(keys: impl IntoIterator<Item = i64>) -> HashMap<i64, i64> {
    let mut counts = HashMap::new();
    for key in keys {
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// `user`'s rows in `group_user` (no unique key), per group.
async fn group_rows<E>(exec: E, user: &User) -> orm::Result<HashMap<i64, i64>>
where
    E: orm::Executor,
    GroupUser: orm::ModelRow<E::Backend>,
{
    let rows = GroupUser::query()
        .where_eq("user_id", user.id)
        .fetch_all(exec)
        .await?;
    Ok(count_keys(rows.into_iter().map(|r| r.group_id)))
}

/// `user`'s rows in `skill_user`, per skill.
async fn skill_rows<E>(exec: E, user: &User) -> orm::Result<HashMap<i64, i64>>
where
    E: orm::Executor,
    SkillUser: orm::ModelRow<E::Backend>,
{
    let rows = SkillUser::query()
        .where_eq("user_id", user.id)
        .fetch_all(exec)
        .await?;
    Ok(count_keys(rows.into_iter().map(|r| r.skill_id)))
}

/// Runs `task(pool, user, i)` for `i` in `0..TASKS`, all at once on the runtime's threads;
/// returns their results in task order, the first error if any failed.
async fn all_at_once<DB, T, F, Fut>(
    pool: &sqlx::Pool<DB>,
    user: &User,
    task: F,
) -> orm::Result<Vec<T>>
where
    DB: sqlx::Database,
    T: Send + 'static,
    F: Fn(sqlx::Pool<DB>, User, i64) -> Fut,
    Fut: std::future::Future<Output = orm::Result<T>> + Send + 'static,
{
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| tokio::spawn(task(pool.clone(), user.clone(), i)))
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("task ran")?);
    }
    Ok(results)
}

/// The keys of task `i`: 20 consecutive ids from `i + 1`, so neighbours overlap on 19.
fn window(i: i64) -> Vec<i64> {
    (i + 1..=i + 20).collect()
}

/// Every key attached exactly once, and reported attached by exactly one task.
fn assert_each_key_once(rows: &HashMap<i64, i64>, reported: &[Vec<i64>], keys: i64) {
    let duplicated: Vec<_> = rows.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "duplicate pivot rows: {duplicated:?}"
    );
    assert_eq!(rows.len() as i64, keys, "every key attached");
    let mut times_reported: HashMap<i64, usize> = HashMap::new();
    for key in reported.iter().flatten() {
        *times_reported.entry(*key).or_insert(0) += 1;
    }
    assert!(
        times_reported.values().all(|n| *n == 1) && times_reported.len() as i64 == keys,
        "each key reported attached by exactly one call: {times_reported:?}"
    );
}

backend_tests! {
    async fn fifty_overlapping_attaches_without_a_unique_key_never_duplicate(pool) {
        let user = user_with_skills_and_groups(&pool, "racer", 80, 80).await?;
        let pool = DB::impatient_pool(&pool, 20).await?;
        let reported = all_at_once(&pool, &user, |pool, user, i| async move {
            user.related(User::groups()).attach(&pool, window(i)).await
        })
        .await?;
        let rows = group_rows(&pool, &user).await?;
        assert_each_key_once(&rows, &reported, TASKS + 19);
        Ok(())
    }

    async fn fifty_overlapping_attaches_with_pivot_data_never_duplicate(pool) {
        let user = user_with_skills_and_groups(&pool, "racer", 80, 80).await?;
        let pool = DB::impatient_pool(&pool, 20).await?;
        let reported = all_at_once(&pool, &user, |pool, user, i| async move {
            let rows = window(i).into_iter().map(|k| (k, Membership { role: Some(format!("r{i}")) }));
            user.related(User::groups()).attach_with(&pool, rows).await
        })
        .await?;
        let rows = group_rows(&pool, &user).await?;
        assert_each_key_once(&rows, &reported, TASKS + 19);
        Ok(())
    }

    async fn fifty_overlapping_attaches_on_a_keyed_auto_increment_pivot_all_succeed(pool) {
        // skill_user: auto-increment id, unique (user_id, skill_id), foreign keys.
        let user = user_with_skills_and_groups(&pool, "racer", 80, 80).await?;
        let pool = DB::impatient_pool(&pool, 20).await?;
        let reported = all_at_once(&pool, &user, |pool, user, i| async move {
            user.related(User::skills()).attach(&pool, window(i)).await
        })
        .await?;
        let rows = skill_rows(&pool, &user).await?;
        assert_each_key_once(&rows, &reported, TASKS + 19);
        Ok(())
    }

    async fn fifty_parents_attaching_at_once_all_succeed(pool) {
        // Different parents do not take turns: their inserts meet in the pivot's indexes (gap
        // locks, MariaDB's auto-increment error 1467), which the ORM's retry absorbs.
        let first = user_with_skills_and_groups(&pool, "racer", 80, 80).await?;
        let pool = DB::impatient_pool(&pool, 20).await?;
        let mut users = vec![first];
        for i in 1..TASKS {
            users.push(User::create(&pool, NewUser { username: format!("racer{i}"), email: None }).await?);
        }
        let mut tasks = Vec::new();
        for (i, user) in users.iter().cloned().enumerate() {
            let pool = pool.clone();
            tasks.push(tokio::spawn(async move {
                let keys = window(i as i64);
                let skills: Vec<i64> = user.related(User::skills()).attach(&pool, keys.clone()).await?;
                let groups = user.related(User::groups()).sync(&pool, keys).await?;
                Ok::<_, orm::Error>((skills, groups.attached))
            }));
        }
        for (i, task) in tasks.into_iter().enumerate() {
            let (skills, groups) = task.await.expect("task ran")?;
            assert_eq!((skills.clone(), groups), (window(i as i64), window(i as i64)));
            let mut stored: Vec<i64> = skill_rows(&pool, &users[i]).await?.into_keys().collect();
            stored.sort_unstable();
            assert_eq!(stored, skills);
        }
        Ok(())
    }

    async fn fifty_syncs_and_attaches_on_one_parent_neither_deadlock_nor_fail(pool) {
        let user = user_with_skills_and_groups(&pool, "racer", 80, 80).await?;
        let pool = DB::impatient_pool(&pool, 20).await?;
        let started = Instant::now();
        all_at_once(&pool, &user, |pool, user, i| async move {
            let skills = user.related(User::skills());
            if i % 2 == 0 {
                skills.sync(&pool, window(i)).await.map(|_| ())
            } else {
                skills.attach(&pool, window(i)).await.map(|_| ())
            }
        })
        .await?;
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}: writers waited on each other");
        let rows = skill_rows(&pool, &user).await?;
        assert!(rows.values().all(|n| *n == 1), "no duplicates: {rows:?}");
        // One more sync decides the final set exactly, whatever the race left.
        let report = user.related(User::skills()).sync(&pool, [1, 2, 3]).await?;
        let mut now: Vec<i64> = skill_rows(&pool, &user).await?.into_keys().collect();
        now.sort_unstable();
        assert_eq!(now, [1, 2, 3]);
        assert_eq!(report.detached.len() + report.unchanged.len(), rows.len());
        Ok(())
    }
}
