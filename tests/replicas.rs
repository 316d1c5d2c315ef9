//! Read/write routing (`orm::Cluster`, `orm::Session`): reads on a replica, writes on the
//! primary, sticky reads after a write, `on_primary`, and a replica that lends no connection.
//!
//! On every backend the "replica" here is a second pool on the test's own database whose
//! connections refuse writes, and which counts the connections it lends: a write routed to it
//! fails, a read routed to it shows in the count. The real PostgreSQL streaming replica, with
//! real lag, is in `replicas/streaming.rs`.

mod common;

#[path = "replicas/streaming.rs"]
mod streaming;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::models;
use models::*;
use orm::prelude::*;
use orm::{Cluster, Executor};
use sqlx::Pool;

/// A pool on the same database as `pool` whose connections refuse writes, and the number of
/// connections it has lent so far. Behind a transaction pooler (`pooled`) its connections are
/// not made read-only: a session setting would outlive the client on the pooler's shared server
/// connections and reach other tests; the count of lent connections still shows every routing.
async fn read_only_replica<DB>(
    pool: &Pool<DB>,
    pooled: bool,
) -> Result<(Pool<DB>, Arc<AtomicUsize>), sqlx::Error>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    let lent = Arc::new(AtomicUsize::new(0));
    let on_connect = Arc::clone(&lent);
    let on_acquire = Arc::clone(&lent);
    let read_only = match <DB as orm::Backend>::NAME {
        "sqlite" => "PRAGMA query_only = ON",
        "postgres" => "SET default_transaction_read_only = on",
        _ => "SET SESSION TRANSACTION READ ONLY",
    };
    let options = (*pool.connect_options()).clone();
    let replica = sqlx::pool::PoolOptions::<DB>::new()
        .max_connections(2)
        .after_connect(move |conn, _| {
            on_connect.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                if !pooled {
                    sqlx::raw_sql(read_only).execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .before_acquire(move |_, _| {
            on_acquire.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(true) })
        })
        .connect_with(options)
        .await?;
    // Connecting lent none to the ORM yet.
    lent.store(0, Ordering::SeqCst);
    Ok((replica, lent))
}

/// Creates user `name` with skills rust and go attached, through `exec`.
async fn user_with_two_skills<E>(exec: E, name: &str) -> orm::Result<User>
where
    E: Executor,
    User: orm::ModelRow<E::Backend>,
    Skill: orm::ModelRow<E::Backend>,
    UserSkillsRelation: orm::ManyToManyOn<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let user = User::create(
        &mut conn,
        NewUser {
            username: name.into(),
            email: None,
        },
    )
    .await?;
    let rust = Skill::create(
        &mut conn,
        NewSkill {
            name: "rust".into(),
        },
    )
    .await?;
    let go = Skill::create(&mut conn, NewSkill { name: "go".into() }).await?;
    user.related(User::skills())
        .attach(&mut conn, [rust.id, go.id])
        .await?;
    Ok(user)
}

backend_tests! {
    async fn reads_go_to_the_replica_and_writes_to_the_primary(pool) {
        let (replica, lent) = read_only_replica(&pool, BEHIND_POOLER).await?;
        let cluster = Cluster::new(pool.clone()).with_replica(replica);
        // Writes: on the primary (the replica would refuse them), none lent by the replica.
        let user = user_with_two_skills(&cluster, "ada").await?;
        let zig = Skill::create(&cluster, NewSkill { name: "zig".into() }).await?;
        let report = user.related(User::skills()).sync(&cluster, [1, zig.id]).await?;
        assert_eq!((report.attached.clone(), report.detached.clone()), (vec![zig.id], vec![2]));
        assert_eq!(lent.load(Ordering::SeqCst), 0, "a write was routed to the replica");

        // Every kind of read: one replica connection each, and the rows the primary wrote.
        let mut expected_lent = 0;
        let mut read = |what: &str| {
            expected_lent += 1;
            assert_eq!(lent.load(Ordering::SeqCst), expected_lent, "{what} did not read from the replica");
        };
        let found = User::find(&cluster, user.id).await?.map(|u| u.username);
        assert_eq!(found.as_deref(), Some("ada"));
        read("find");
        assert_eq!(User::find_many(&cluster, [user.id]).await?.len(), 1);
        read("find_many");
        assert_eq!(User::query().count(&cluster).await?, 1);
        read("count");
        assert!(User::query().exists(&cluster).await?);
        read("exists");
        let users = User::query().preload(User::skills()).fetch_all(&cluster).await?;
        let mut names: Vec<String> = users[0].skills.get()?.iter().map(|s| s.name.clone()).collect();
        names.sort();
        assert_eq!(names, ["rust", "zig"]);
        read("fetch_all with preload (one connection for both statements)");
        assert_eq!(user.related(User::skills()).query().count(&cluster).await?, 2);
        read("related count");
        let related = user.related(User::skills()).query().fetch_all(&cluster).await?;
        assert_eq!(related.len(), 2);
        read("related fetch_all");
        let page = User::query().paginate(&cluster, 1, 10).await?;
        assert_eq!(page.total, 1);
        read("paginate");
        let mut stream = User::query().fetch(&cluster);
        let mut streamed = 0;
        while stream.try_next().await?.is_some() {
            streamed += 1;
        }
        drop(stream);
        assert_eq!(streamed, 1);
        read("stream");
        assert_eq!(Skill::query().max::<i64, _>(&cluster, "id").await?, Some(zig.id));
        read("max");

        // Writes after the reads: still the primary.
        user.related(User::skills()).detach_all(&cluster).await?;
        assert_eq!(lent.load(Ordering::SeqCst), expected_lent, "detach_all used the replica");
        assert_eq!(models::skill_ids(&pool, &user).await?, Vec::<i64>::new());
        Ok(())
    }

    async fn a_session_reads_from_the_primary_after_its_first_write(pool) {
        let (replica, lent) = read_only_replica(&pool, BEHIND_POOLER).await?;
        let cluster = Cluster::new(pool.clone()).with_replica(replica);
        let session = cluster.session();
        assert_eq!(User::query().count(&session).await?, 0);
        assert_eq!(lent.load(Ordering::SeqCst), 1, "a read before any write uses the replica");
        assert!(!session.is_sticky());

        let user = user_with_two_skills(&session, "ada").await?;
        assert!(session.is_sticky());
        let users = User::query().preload(User::skills()).fetch_all(&session).await?;
        assert_eq!(users[0].skills.get()?.len(), 2);
        assert_eq!(User::find(&session, user.id).await?.map(|u| u.id), Some(user.id));
        assert_eq!(lent.load(Ordering::SeqCst), 1, "a read after the session's write used the replica");

        // Another session of the same cluster is not sticky.
        let other = cluster.session();
        assert_eq!(User::query().count(&other).await?, 1);
        assert_eq!(lent.load(Ordering::SeqCst), 2);
        // A transaction of the session is on the primary, and makes the session sticky.
        let fresh = cluster.session();
        let mut tx = fresh.begin().await?;
        Skill::create(&mut tx, NewSkill { name: "zig".into() }).await?;
        tx.commit().await?;
        assert!(fresh.is_sticky());
        assert_eq!(Skill::query().count(&fresh).await?, 3);
        assert_eq!(lent.load(Ordering::SeqCst), 2);
        Ok(())
    }

    async fn on_primary_reads_skip_the_replica(pool) {
        let (replica, lent) = read_only_replica(&pool, BEHIND_POOLER).await?;
        let cluster = Cluster::new(pool.clone()).with_replica(replica);
        let user = user_with_two_skills(&cluster, "ada").await?;
        let found = User::find(cluster.on_primary(), user.id).await?;
        assert_eq!(found.map(|u| u.username), Some("ada".to_owned()));
        assert_eq!(User::query().count(cluster.on_primary()).await?, 1);
        assert_eq!(lent.load(Ordering::SeqCst), 0);
        Ok(())
    }

    async fn a_replica_that_lends_no_connection_falls_back_to_the_next_then_the_primary(pool) {
        let (closed, closed_lent) = read_only_replica(&pool, BEHIND_POOLER).await?;
        closed.close().await;
        let (open, open_lent) = read_only_replica(&pool, BEHIND_POOLER).await?;
        let cluster = Cluster::new(pool.clone()).with_replica(closed).with_replica(open);
        assert_eq!(cluster.replicas(), 2);
        user_with_two_skills(&cluster, "ada").await?;
        // Round robin: whichever replica a read starts with, it reads on the open one.
        for _ in 0..4 {
            assert_eq!(User::query().count(&cluster).await?, 1);
        }
        assert_eq!((closed_lent.load(Ordering::SeqCst), open_lent.load(Ordering::SeqCst)), (0, 4));

        // With no replica lending, reads still succeed, on the primary.
        let (only, _) = read_only_replica(&pool, BEHIND_POOLER).await?;
        only.close().await;
        let degraded = Cluster::new(pool.clone()).with_replica(only);
        assert_eq!(User::query().count(&degraded).await?, 1);
        Ok(())
    }

    async fn a_cluster_without_replicas_reads_from_the_primary(pool) {
        let cluster = Cluster::new(pool.clone());
        assert_eq!(cluster.replicas(), 0);
        let user = user_with_two_skills(&cluster, "ada").await?;
        let users = User::query().preload(User::skills()).fetch_all(&cluster).await?;
        assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [user.id]);
        assert_eq!(users[0].skills.get()?.len(), 2);
        Ok(())
    }
}
