//! What breaks real systems: a failed statement inside the caller's transaction, calls cancelled
//! by a timeout, a connection killed mid-sync, a lock held by someone else; on every backend.

mod common;
use common::models;

use std::time::{Duration, Instant};

use common::Server;
use models::*;
use orm::prelude::*;

/// Polls `call` at most `polls` times, yielding to the runtime between polls; drops it unfinished
/// after that (`None`).
async fn cancel_after_polls<F: std::future::Future>(call: F, polls: usize) -> Option<F::Output> {
    let mut call = std::pin::pin!(call);
    for _ in 0..polls {
        let polled =
            std::future::poll_fn(|cx| std::task::Poll::Ready(call.as_mut().poll(cx))).await;
        if let std::task::Poll::Ready(output) = polled {
            return Some(output);
        }
        tokio::task::yield_now().await;
    }
    None
}

backend_tests! {
    async fn writes_never_escape_the_callers_aborted_transaction(pool) {
        let user = user_with_skills_and_groups(&pool, "u", 6, 0).await?;
        for ending in ["rollback", "commit"] {
            let mut tx = pool.begin().await?;
            user.related(User::skills()).attach(&mut *tx, [1]).await?;
            let failed = sqlx::raw_sql("SELECT * FROM no_such_table").execute(&mut *tx).await;
            assert!(failed.is_err());
            // Every write the ORM offers, after the failure.
            let skills = user.related(User::skills());
            let results: Vec<orm::Result<()>> = vec![
                skills.sync(&mut *tx, [2]).await.map(|_| ()),
                skills.attach(&mut *tx, [3]).await.map(|_| ()),
                skills.toggle(&mut *tx, [4]).await.map(|_| ()),
                skills.create(&mut *tx, NewSkill { name: "new".into() }).await.map(|_| ()),
                skills.attach(&mut tx, [5]).await.map(|_| ()),
            ];
            let aborts = <DB as orm::Backend>::NAME == "postgres";
            for result in &results {
                match result {
                    Err(err) => {
                        assert!(aborts, "{ending}: only PostgreSQL aborts the transaction: {err}");
                        let text = err.to_string();
                        assert!(text.contains("User.skills") && text.contains("aborted"), "{text}");
                    }
                    Ok(()) => assert!(!aborts, "{ending}: a write succeeded in an aborted transaction"),
                }
            }
            if ending == "rollback" {
                tx.rollback().await?;
                assert_eq!(skill_ids(&pool, &user).await?, Vec::<i64>::new(), "the rollback removes everything");
            } else {
                tx.commit().await?;
                let created = Skill::query().where_eq("name", "new").fetch_optional(&pool).await?;
                let expected: Vec<i64> = match created {
                    None => vec![],
                    Some(skill) => vec![2, 3, 4, 5, skill.id],
                };
                assert_eq!(expected.is_empty(), aborts);
                assert_eq!(skill_ids(&pool, &user).await?, expected, "commit of an aborted transaction writes nothing");
                user.related(User::skills()).detach_all(&pool).await?;
                sqlx::raw_sql("DELETE FROM skills WHERE name = 'new'").execute(&pool).await?;
            }
            assert_eq!(Skill::query().count(&pool).await?, 6, "{ending}: no created skill left behind");
        }
        Ok(())
    }

    async fn writes_in_the_callers_aborted_savepoint_fail_and_its_rollback_recovers(pool) {
        let user = user_with_skills_and_groups(&pool, "u", 6, 0).await?;
        let skills = user.related(User::skills());
        let aborts = <DB as orm::Backend>::NAME == "postgres";
        let mut tx = pool.begin().await?;
        skills.attach(&mut *tx, [1]).await?;
        let mut inner = sqlx::Connection::begin(&mut *tx).await?;
        skills.attach(&mut *inner, [2]).await?;
        let failed = sqlx::raw_sql("SELECT * FROM no_such_table").execute(&mut *inner).await;
        assert!(failed.is_err());
        let results = [skills.attach(&mut *inner, [3]).await.map(|_| ()), skills.toggle(&mut *inner, [4]).await.map(|_| ())];
        for result in &results {
            match result {
                Err(err) => {
                    assert!(aborts, "only PostgreSQL aborts the savepoint: {err}");
                    assert!(err.to_string().contains("aborted"), "{err}");
                }
                Ok(()) => assert!(!aborts, "a write succeeded in an aborted savepoint"),
            }
        }
        // Rolling back the caller's savepoint makes its transaction usable again.
        inner.rollback().await?;
        skills.attach(&mut *tx, [5]).await?;
        tx.commit().await?;
        assert_eq!(skill_ids(&pool, &user).await?, vec![1, 5]);
        Ok(())
    }

    async fn three_hundred_cancelled_calls_leave_the_pool_usable(pool) {
        let user = user_with_skills_and_groups(&pool, "u", 60, 0).await?;
        let small = DB::impatient_pool(&pool, 2).await?;
        let skills = user.related(User::skills());
        let mut timed_out = 0;
        for i in 0..300_u64 {
            let n = 1 + (i % 40) as i64;
            // Each shape of statement is new to a fresh connection: its first run prepares it.
            let call = async {
                match i % 4 {
                    0 => skills.sync(&small, 1..=n).await.map(|_| ()),
                    1 => skills.attach(&small, [n, n + 1]).await.map(|_| ()),
                    2 => Skill::query().where_in("id", (1..=n).collect::<Vec<_>>()).fetch_all(&small).await.map(|_| ()),
                    _ => skills.detach(&small, [n]).await.map(|_| ()),
                }
            };
            // Half the calls end at a 0-5 ms timeout, half after 1-10 polls, wherever they are.
            let outcome = if i % 2 == 0 {
                tokio::time::timeout(Duration::from_millis(i % 6), call).await.ok()
            } else {
                cancel_after_polls(call, 1 + (i / 2 % 10) as usize).await
            };
            match outcome {
                None => timed_out += 1,
                Some(result) => result?,
            }
        }
        assert!(timed_out > 30, "the probe cancels calls mid-flight: {timed_out} of 300 timed out");
        // Both connections of the pool are usable: two calls at once, each on its own connection.
        let started = Instant::now();
        let (first, second) = tokio::join!(skills.sync(&small, [1, 2, 3]), Skill::query().count(&small));
        first?;
        assert_eq!(second?, 60);
        let mut held = Vec::new();
        for _ in 0..2 {
            held.push(small.acquire().await?);
        }
        assert!(started.elapsed() < Duration::from_secs(15), "the pool was wedged for {:?}", started.elapsed());
        drop(held);
        assert_eq!(skill_ids(&small, &user).await?, [1, 2, 3]);
        small.close().await;
        Ok(())
    }

    async fn a_connection_killed_mid_sync_is_connection_lost_and_changes_nothing(pool) {
        let user = user_with_skills_and_groups(&pool, "u", 5, 0).await?;
        user.related(User::skills()).attach(&pool, [1]).await?;
        let mut victim = pool.acquire().await?;
        let Some(id) = DB::connection_id(&mut victim).await? else {
            // SQLite runs in the process: there is no server connection to kill.
            assert_eq!(<DB as orm::Backend>::NAME, "sqlite");
            return Ok(());
        };
        // The sync waits for the parent's row lock in its first statement; then it is killed.
        let holder = DB::hold_write_lock(&pool, user.id, Duration::from_secs(3)).await?;
        let syncing = user.clone();
        let sync = tokio::spawn(async move {
            syncing.related(User::skills()).sync(&mut victim, [2, 3, 4]).await
        });
        tokio::time::sleep(Duration::from_millis(500)).await;
        if BEHIND_POOLER {
            // Behind a transaction pooler `victim` has no server connection of its own between
            // transactions: `id` is that of whichever server ran the SELECT above. The server
            // that runs the sync's transaction is the one waiting for the row lock: end that one.
            assert_eq!(DB::kill_lock_waiter(&pool).await?, 1, "the sync waits for the lock");
        } else {
            DB::kill(&pool, id).await?;
        }
        let err = sync.await.expect("task ran").expect_err("the connection was killed");
        assert!(err.is_connection_lost(), "{err:?}");
        assert!(err.to_string().contains("User.skills"), "{err}");
        holder.await.expect("holder ran");
        assert_eq!(skill_ids(&pool, &user).await?, [1], "the pivot is as before");
        Ok(())
    }

    async fn a_write_waits_for_a_lock_held_outside_the_orm(pool) {
        let user = user_with_skills_and_groups(&pool, "u", 3, 0).await?;
        let impatient = DB::impatient_pool(&pool, 2).await?;
        let holder = DB::hold_write_lock(&pool, user.id, Duration::from_secs(2)).await?;
        let started = Instant::now();
        // SQLite: every BEGIN IMMEDIATE gives up after 200 ms; the ORM tries again.
        let attached = user.related(User::skills()).attach(&impatient, [1, 2]).await?;
        assert_eq!(attached, [1, 2]);
        assert!(started.elapsed() >= Duration::from_millis(1500), "it waited for the lock: {:?}", started.elapsed());
        holder.await.expect("holder ran");
        assert_eq!(skill_ids(&pool, &user).await?, [1, 2]);
        impatient.close().await;
        Ok(())
    }

    async fn twenty_read_then_attach_transactions_all_land(pool) {
        let user = user_with_skills_and_groups(&pool, "u", 20, 0).await?;
        let mut tasks = Vec::new();
        for i in 1..=20_i64 {
            let (pool, user) = (pool.clone(), user.clone());
            tasks.push(tokio::spawn(async move {
                // Read, then write, in the caller's own (deferred) transaction; retry the
                // whole transaction when the error says so.
                let mut retried = 0;
                loop {
                    let mut tx = pool.begin().await.map_err(|e| orm::Error::Database { context: "begin".into(), source: e })?;
                    let attempt = async {
                        User::find(&mut *tx, user.id).await?;
                        user.related(User::skills()).attach(&mut *tx, [i]).await?;
                        orm::Result::Ok(())
                    }
                    .await;
                    let attempt = match attempt {
                        Ok(()) => tx.commit().await.map_err(|e| orm::Error::Database { context: "commit".into(), source: e }),
                        Err(err) => Err(err),
                    };
                    match attempt {
                        Ok(()) => return orm::Result::Ok(retried),
                        Err(err) if err.is_retryable() && retried < 200 => {
                            let text = err.to_string();
                            assert!(text.contains("User.skills") || text.contains("commit"), "{text}");
                            retried += 1;
                            tokio::time::sleep(Duration::from_millis(2 + (i as u64 % 5))).await;
                        }
                        Err(err) => return Err(err),
                    }
                }
            }));
        }
        let mut retries = 0;
        for task in tasks {
            retries += task.await.expect("task ran")?;
        }
        assert_eq!(skill_ids(&pool, &user).await?, (1..=20).collect::<Vec<_>>());
        println!("{}: {retries} retried transactions", <DB as orm::Backend>::NAME);

        // A transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE) never needs one.
        let mut tasks = Vec::new();
        for i in 1..=20_i64 {
            let (pool, user) = (pool.clone(), user.clone());
            tasks.push(tokio::spawn(async move {
                let mut tx = DB::begin_for_writing(&pool).await.map_err(|e| orm::Error::Database { context: "begin".into(), source: e })?;
                User::find(&mut *tx, user.id).await?;
                user.related(User::skills()).detach(&mut *tx, [i]).await?;
                tx.commit().await.map_err(|e| orm::Error::Database { context: "commit".into(), source: e })
            }));
        }
        for task in tasks {
            task.await.expect("task ran")?;
        }
        assert_eq!(skill_ids(&pool, &user).await?, Vec::<i64>::new());
        Ok(())
    }
}
