//! Many clients through few server connections, as behind a transaction pooler: on the
//! `pgbouncer` target (pgbouncer in `pool_mode = transaction`, 4 server connections per
//! database, `.ci/pgbouncer.sh`) every round trip of one statement must reach the same server,
//! which the ORM ensures by running a statement outside a transaction in one of its own
//! (README, "Behind pgbouncer"). On every target.

mod common;
use common::models;

use common::Server;
use models::*;
use orm::prelude::*;

/// How many clients run at once (each its own connection).
const CLIENTS: usize = 20;
/// How many times each client writes and reads back.
const ROUNDS: usize = 12;
/// The skills (ids `1..=SKILLS`).
const SKILLS: i64 = 12;

/// What client `client` attaches to its user in round `round`: a different set each time.
fn wanted(client: usize, round: usize) -> Vec<i64> {
    (1..=SKILLS)
        .filter(|s| !(*s as usize + client + round).is_multiple_of(3))
        .collect()
}

/// `client`'s failure in `round`.
fn fail(client: usize, round: usize, what: impl std::fmt::Display) -> String {
    format!("client {client}, round {round}: {what}")
}

backend_tests! {
    /// 20 clients at once, each syncing its own user's skills and reading them back 12 times
    /// (preload, count, find, stream). Behind pgbouncer they share 4 server connections: a
    /// statement outside a transaction whose `Bind` reached another server than its `Parse`
    /// would fail ("unnamed prepared statement does not exist", "bind message supplies 1
    /// parameters, but prepared statement \"\" requires 2") or run another client's statement.
    async fn many_clients_read_back_their_own_writes(pool) {
        let first = user_with_skills_and_groups(&pool, "c0", SKILLS as usize, 0).await?;
        let mut users = vec![first];
        for i in 1..CLIENTS {
            users.push(User::create(&pool, NewUser { username: format!("c{i}"), email: None }).await?);
        }
        let clients = DB::impatient_pool(&pool, CLIENTS as u32).await?;
        // Each client, `ROUNDS` times: syncs its user's skills, then reads them back by a
        // preload, a related count, a find and a stream; a difference is an error.
        let tasks: Vec<_> = users.into_iter().enumerate().map(|(c, user)| {
            let pool = clients.clone();
            tokio::spawn(async move {
                for round in 0..ROUNDS {
                    let wanted = wanted(c, round);
                    let skills = user.related(User::skills());
                    skills.sync(&pool, wanted.clone()).await.map_err(|e| fail(c, round, format!("sync: {e}")))?;
                    let loaded = User::query()
                        .where_eq("id", user.id)
                        .preload(User::skills())
                        .fetch_all(&pool)
                        .await
                        .map_err(|e| fail(c, round, format!("preload: {e}")))?;
                    let [one] = loaded.as_slice() else {
                        return Err(fail(c, round, format!("{} users read back", loaded.len())));
                    };
                    let mut got: Vec<i64> = one.skills.get().map_err(|e| fail(c, round, e))?.iter().map(|s| s.id).collect();
                    got.sort_unstable();
                    if got != wanted {
                        return Err(fail(c, round, format!("preloaded {got:?}, synced {wanted:?}")));
                    }
                    let count = skills.query().count(&pool).await.map_err(|e| fail(c, round, format!("count: {e}")))?;
                    if count != wanted.len() as i64 {
                        return Err(fail(c, round, format!("counted {count}, synced {}", wanted.len())));
                    }
                    let found = User::find(&pool, user.id).await.map_err(|e| fail(c, round, format!("find: {e}")))?;
                    if found.as_ref().map(|u| &u.username) != Some(&user.username) {
                        return Err(fail(c, round, format!("found {found:?}")));
                    }
                    let mut rows = SkillUser::query().where_eq("user_id", user.id).fetch(&pool);
                    let mut streamed = 0;
                    while let Some(row) = rows.try_next().await.map_err(|e| fail(c, round, format!("stream: {e}")))? {
                        if row.user_id != user.id {
                            return Err(fail(c, round, format!("streamed a row of user {}", row.user_id)));
                        }
                        streamed += 1;
                    }
                    if streamed != wanted.len() {
                        return Err(fail(c, round, format!("streamed {streamed} rows, synced {}", wanted.len())));
                    }
                }
                Ok::<_, String>(())
            })
        }).collect();
        let mut failures = Vec::new();
        for (c, task) in tasks.into_iter().enumerate() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => failures.push(err),
                // A row decoded against another statement's columns can panic in the driver.
                Err(err) => failures.push(format!("client {c}: {err}")),
            }
        }
        clients.close().await;
        assert!(failures.is_empty(), "{} of {CLIENTS} clients failed: {failures:#?}", failures.len());
        Ok(())
    }

    /// A stream dropped after two rows on the caller's connection leaves it in no transaction:
    /// behind a transaction pooler its statement ran in a transaction of its own, rolled back
    /// before the connection's next statement, which then commits on its own.
    async fn a_stream_dropped_early_leaves_no_transaction_open(pool) {
        for i in 0..5 {
            User::create(&pool, NewUser { username: format!("u{i}"), email: None }).await?;
        }
        let mut conn = pool.acquire().await?;
        {
            let mut users = User::query().order_by("id", Order::Asc).fetch(&mut conn);
            assert!(users.try_next().await?.is_some());
            assert!(users.try_next().await?.is_some());
        }
        let after = User::create(&mut conn, NewUser { username: "after".into(), email: None }).await?;
        assert!(!sqlx::Connection::is_in_transaction(&*conn));
        // Read from another connection: the insert is committed.
        let seen = User::find(&pool, after.id).await?.map(|u| u.username);
        assert_eq!(seen.as_deref(), Some("after"));
        assert_eq!(User::query().count(&mut conn).await?, 6);
        Ok(())
    }

    /// A read of several statements (a query and its preloads, a page's count and rows) shares
    /// one transaction behind a transaction pooler: one COMMIT in all, not one per statement;
    /// elsewhere none.
    async fn a_read_of_several_statements_shares_one_transaction_behind_the_pooler(pool) {
        let user = User::create(&pool, NewUser { username: "ada".into(), email: None }).await?;
        let rust = Skill::create(&pool, NewSkill { name: "rust".into() }).await?;
        user.related(User::skills()).attach(&pool, [rust.id]).await?;
        // A fresh connection's first statements are wrapped even with the cache on: warm it.
        let mut conn = pool.acquire().await?;
        User::query().count(&mut conn).await?;
        // sqlx's own log (what the counter reads) shows each COMMIT; its BEGIN rides along
        // with the next statement unlogged.
        let commits = |s: &common::Statements| s.all().iter().filter(|q| *q == "COMMIT").count();
        let control = usize::from(BEHIND_POOLER);

        let (users, s) = common::count_statements(
            User::query().preload(User::skills()).fetch_all(&mut conn),
        )
        .await;
        let users = users?;
        assert_eq!(users[0].skills.get()?.len(), 1);
        assert_eq!((s.count(), commits(&s)), (2, control), "{:#?}", s.all());

        let (page, s) = common::count_statements(User::query().paginate(&mut conn, 1, 10)).await;
        assert_eq!(page?.total, 1);
        assert_eq!((s.count(), commits(&s)), (2, control), "{:#?}", s.all());

        // One statement alone keeps its own pair behind the pooler.
        let (n, s) = common::count_statements(User::query().count(&mut conn)).await;
        assert_eq!(n?, 1);
        assert_eq!((s.count(), commits(&s)), (1, control), "{:#?}", s.all());
        Ok(())
    }
}
