//! Routing against a real PostgreSQL streaming replica (`.ci/replica.sh`, named by
//! `ORM_TEST_REPLICA_URL`): the test pauses the replica's WAL replay so that its lag is real and
//! lasting, writes through a session, and shows that the session's own reads see the write (the
//! primary), a non-sticky read does not (the replica has not replayed it), `on_primary` does, and
//! after the replay resumes and catches up the replica read does too.

use std::str::FromStr;
use std::time::{Duration, Instant};

use orm::Cluster;
use orm::prelude::*;
use sqlx::postgres::{PgConnectOptions, PgPool};

use crate::common::{self, TestResult};
use crate::models::*;

/// The variable naming the replica; `ORM_TEST_REQUIRE` names it `replica`.
const REPLICA_URL: &str = "ORM_TEST_REPLICA_URL";

/// Pausing the replay is server-wide: one test at a time pauses it.
static REPLAY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The replica's URL, or `None` (printed as skipped) when it is not set and not required.
fn replica_url(test: &str) -> Option<String> {
    match std::env::var(REPLICA_URL) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                !common::db::required("replica"),
                "{test}: the replica is required by ORM_TEST_REQUIRE but {REPLICA_URL} is not set"
            );
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: {REPLICA_URL} is not set"
            );
            None
        }
    }
}

/// A pool on the replica with the primary pool's own options (its test schema included).
async fn replica_of(primary: &PgPool, url: &str) -> Result<PgPool, sqlx::Error> {
    let replica = PgConnectOptions::from_str(url)?;
    let options = (*primary.connect_options())
        .clone()
        .host(replica.get_host())
        .port(replica.get_port());
    sqlx::pool::PoolOptions::new()
        .max_connections(3)
        .connect_with(options)
        .await
}

/// Waits until the replica has replayed everything the primary has written so far.
async fn caught_up(
    primary: &PgPool,
    replica: &PgPool,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let target: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
        .fetch_one(primary)
        .await?;
    let started = Instant::now();
    loop {
        let replayed: bool = sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn")
            .bind(&target)
            .fetch_one(replica)
            .await?;
        if replayed {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!("the replica did not replay up to {target} in 30 s").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The names of `user`'s skills read through `exec`, sorted.
async fn skill_names<E>(exec: E, user: &User) -> orm::Result<Vec<String>>
where
    E: orm::Executor<Backend = sqlx::Postgres>,
{
    let mut users = User::query()
        .where_eq("id", user.id)
        .preload(User::skills())
        .fetch_all(exec)
        .await?;
    let mut names: Vec<String> = match users.pop() {
        Some(user) => user.skills.get()?.iter().map(|s| s.name.clone()).collect(),
        None => Vec::new(),
    };
    names.sort();
    Ok(names)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sticky_reads_see_a_write_the_replica_has_not_replayed() {
    const TEST: &str = "sticky_reads_see_a_write_the_replica_has_not_replayed";
    let Some(url) = replica_url(TEST) else {
        return;
    };
    common::run::<sqlx::Postgres, _, _>(TEST, |pool| async move {
        let _one_at_a_time = REPLAY.lock().await;
        let replica = replica_of(&pool, &url).await?;
        // A run that died while the replay was paused left it paused: resume it first.
        sqlx::query("SELECT pg_wal_replay_resume()")
            .execute(&replica)
            .await?;
        let cluster = Cluster::new(pool.clone()).with_replica(replica.clone());
        let user = User::create(
            &cluster,
            NewUser {
                username: "ada".into(),
                email: None,
            },
        )
        .await?;
        let rust = Skill::create(
            &cluster,
            NewSkill {
                name: "rust".into(),
            },
        )
        .await?
        .id;
        let go = Skill::create(&cluster, NewSkill { name: "go".into() })
            .await?
            .id;
        user.related(User::skills())
            .attach(&cluster, [rust])
            .await?;
        caught_up(&pool, &replica).await?;
        assert_eq!(
            skill_names(&cluster, &user).await?,
            ["rust"],
            "the replica has replayed the seed"
        );

        sqlx::query("SELECT pg_wal_replay_pause()")
            .execute(&replica)
            .await?;
        // In its own task, so that a failed assertion (a panic) still reaches the resume below.
        let lagging = tokio::spawn({
            let (cluster, user) = (cluster.clone(), user.clone());
            async move {
                let session = cluster.session();
                assert_eq!(
                    skill_names(&session, &user).await?,
                    ["rust"],
                    "before its write, the session reads the replica"
                );
                let report = user
                    .related(User::skills())
                    .sync(&session, [rust, go])
                    .await?;
                assert_eq!(report.attached, [go]);
                // Sticky: the session's own reads are on the primary and see the write.
                assert_eq!(skill_names(&session, &user).await?, ["go", "rust"]);
                assert_eq!(
                    user.related(User::skills()).query().count(&session).await?,
                    2
                );
                // Not sticky: the cluster reads the replica, which has not replayed the write.
                assert_eq!(
                    skill_names(&cluster, &user).await?,
                    ["rust"],
                    "the replica's lag is real"
                );
                assert_eq!(
                    user.related(User::skills()).query().count(&cluster).await?,
                    1
                );
                // on_primary never lags.
                assert_eq!(
                    skill_names(cluster.on_primary(), &user).await?,
                    ["go", "rust"]
                );
                Ok::<(), orm::Error>(())
            }
        })
        .await;
        // Resumed whatever happened, so that the replica serves the next test.
        sqlx::query("SELECT pg_wal_replay_resume()")
            .execute(&replica)
            .await?;
        match lagging {
            Ok(result) => result?,
            Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            Err(failed) => return Err(failed.into()),
        }

        caught_up(&pool, &replica).await?;
        assert_eq!(
            skill_names(&cluster, &user).await?,
            ["go", "rust"],
            "caught up, the replica sees the write"
        );
        replica.close().await;
        TestResult::Ok(())
    })
    .await;
}
