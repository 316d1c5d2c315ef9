//! Routing against real replicas, with real lag: a PostgreSQL streaming replica
//! (`.ci/replica.sh`, `ORM_TEST_REPLICA_URL`) and a MariaDB GTID replica of a MariaDB primary of
//! the project's own (`.ci/mariadb-replica.sh`, `ORM_TEST_MYSQL_PRIMARY_URL` and
//! `ORM_TEST_MYSQL_REPLICA_URL`). Each test pauses the replica's replay so that its lag is real
//! and lasting, writes through a session, and shows that the session's own reads see the write
//! (the primary), a non-sticky read does not (the replica has not applied it), `on_primary` does,
//! and after the replay resumes and catches up the replica read does too.

use std::str::FromStr;
use std::time::{Duration, Instant};

use orm::Cluster;
use orm::prelude::*;
use sqlx::Pool;

use crate::common::{self, TestBackend, TestResult};
use crate::models::*;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Pausing the replay is server-wide: one test at a time pauses a replica.
static REPLAY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A backend with a real replica: where its primary and replica are, and how to pause, resume
/// and wait for its replay.
trait Replication: TestBackend {
    /// The variable naming the primary, when it is not the harness's own server.
    const PRIMARY_URL: Option<&'static str>;
    /// The variable naming the replica.
    const REPLICA_URL: &'static str;
    /// The name `ORM_TEST_REQUIRE` gives this replica.
    const REQUIRED_AS: &'static str;

    /// The replica's connection options: the primary pool's own (its test database or schema
    /// included) with the replica's host and port.
    fn replica_options(
        primary: &Pool<Self>,
        url: &str,
    ) -> Result<<Self::Connection as sqlx::Connection>::Options, sqlx::Error>;
    /// Stops applying the primary's changes (they still arrive).
    async fn pause(replica: &Pool<Self>) -> Result<(), sqlx::Error>;
    /// Applies them again.
    async fn resume(replica: &Pool<Self>) -> Result<(), sqlx::Error>;
    /// Whether the replica has applied everything the primary had written when `mark` was taken.
    async fn applied(replica: &Pool<Self>, mark: &str) -> Result<bool, sqlx::Error>;
    /// Where the primary's changes stand now.
    async fn mark(primary: &Pool<Self>) -> Result<String, sqlx::Error>;
}

impl Replication for sqlx::Postgres {
    const PRIMARY_URL: Option<&'static str> = None;
    const REPLICA_URL: &'static str = "ORM_TEST_REPLICA_URL";
    const REQUIRED_AS: &'static str = "replica";

    fn replica_options(
        primary: &Pool<Self>,
        url: &str,
    ) -> Result<sqlx::postgres::PgConnectOptions, sqlx::Error> {
        let replica = sqlx::postgres::PgConnectOptions::from_str(url)?;
        Ok((*primary.connect_options())
            .clone()
            .host(replica.get_host())
            .port(replica.get_port()))
    }
    async fn pause(replica: &Pool<Self>) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_wal_replay_pause()")
            .execute(replica)
            .await
            .map(drop)
    }
    async fn resume(replica: &Pool<Self>) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_wal_replay_resume()")
            .execute(replica)
            .await
            .map(drop)
    }
    async fn mark(primary: &Pool<Self>) -> Result<String, sqlx::Error> {
        sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
            .fetch_one(primary)
            .await
    }
    async fn applied(replica: &Pool<Self>, mark: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn")
            .bind(mark)
            .fetch_one(replica)
            .await
    }
}

impl Replication for sqlx::MySql {
    const PRIMARY_URL: Option<&'static str> = Some("ORM_TEST_MYSQL_PRIMARY_URL");
    const REPLICA_URL: &'static str = "ORM_TEST_MYSQL_REPLICA_URL";
    const REQUIRED_AS: &'static str = "mysql-replica";

    fn replica_options(
        primary: &Pool<Self>,
        url: &str,
    ) -> Result<sqlx::mysql::MySqlConnectOptions, sqlx::Error> {
        let replica = sqlx::mysql::MySqlConnectOptions::from_str(url)?;
        Ok((*primary.connect_options())
            .clone()
            .host(replica.get_host())
            .port(replica.get_port()))
    }
    async fn pause(replica: &Pool<Self>) -> Result<(), sqlx::Error> {
        sqlx::raw_sql("STOP SLAVE SQL_THREAD")
            .execute(replica)
            .await
            .map(drop)
    }
    async fn resume(replica: &Pool<Self>) -> Result<(), sqlx::Error> {
        sqlx::raw_sql("START SLAVE SQL_THREAD")
            .execute(replica)
            .await
            .map(drop)
    }
    async fn mark(primary: &Pool<Self>) -> Result<String, sqlx::Error> {
        sqlx::query_scalar("SELECT @@gtid_binlog_pos")
            .fetch_one(primary)
            .await
    }
    async fn applied(replica: &Pool<Self>, mark: &str) -> Result<bool, sqlx::Error> {
        // 0 when the replica has applied `mark`, -1 when 0.1 s passed first.
        let waited: i64 = sqlx::query_scalar("SELECT MASTER_GTID_WAIT(?, 0.1)")
            .bind(mark)
            .fetch_one(replica)
            .await?;
        Ok(waited == 0)
    }
}

/// The URL in `var`, or `None` (printed as skipped) when it is not set and `ORM_TEST_REQUIRE`
/// does not name `required_as`.
fn url_of(test: &str, var: &str, required_as: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                !common::db::required(required_as),
                "{test}: {required_as} is required by ORM_TEST_REQUIRE but {var} is not set"
            );
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped {test}: {var} is not set");
            None
        }
    }
}

/// Waits until the replica has applied everything the primary has written so far.
async fn caught_up<DB: Replication>(
    primary: &Pool<DB>,
    replica: &Pool<DB>,
) -> Result<(), BoxError> {
    let mark = DB::mark(primary).await?;
    let started = Instant::now();
    while !DB::applied(replica, &mark).await? {
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "the replica did not apply the primary's changes up to {mark} in 30 s"
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// The names of `user`'s skills read through `exec`, sorted.
async fn skill_names<E>(exec: E, user: &User) -> orm::Result<Vec<String>>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
    Skill: orm::ModelRow<E::Backend>,
    UserSkillsRelation: orm::ManyToManyOn<E::Backend>,
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

/// The test, once per backend with a real replica.
macro_rules! sticky_reads_test {
    ($name:ident, $db:ty) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            type DB = $db;
            const TEST: &str = stringify!($name);
            let Some(replica_url) = url_of(TEST, DB::REPLICA_URL, DB::REQUIRED_AS) else {
                return;
            };
            let primary_url = match DB::PRIMARY_URL {
                None => DB::URL_VAR.and_then(|var| url_of(TEST, var, <DB as orm::Backend>::NAME)),
                Some(var) => url_of(TEST, var, DB::REQUIRED_AS),
            };
            if primary_url.is_none() {
                return;
            }
            common::db::run_at::<DB, _, _>(TEST, primary_url, |pool| async move {
                let _one_at_a_time = REPLAY.lock().await;
                let replica = sqlx::pool::PoolOptions::<DB>::new()
                    .max_connections(3)
                    .connect_with(DB::replica_options(&pool, &replica_url)?)
                    .await?;
                sticky_reads(pool, replica).await
            })
            .await;
        }
    };
}

sticky_reads_test!(
    sticky_reads_see_a_write_the_postgres_replica_has_not_replayed,
    sqlx::Postgres
);
sticky_reads_test!(
    sticky_reads_see_a_write_the_mariadb_replica_has_not_applied,
    sqlx::MySql
);

/// Seeds a user with one skill, pauses the replica, syncs a second skill through a session and
/// reads through the session, the cluster and `on_primary`; resumes and reads again.
async fn sticky_reads<DB>(pool: Pool<DB>, replica: Pool<DB>) -> TestResult
where
    DB: Replication,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    User: orm::ModelRow<DB>,
    Skill: orm::ModelRow<DB>,
    UserSkillsRelation: orm::ManyToManyOn<DB>,
{
    // A run that died while the replay was paused left it paused: resume it first.
    DB::resume(&replica).await?;
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
        "the replica has applied the seed"
    );

    DB::pause(&replica).await?;
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
            // Not sticky: the cluster reads the replica, which has not applied the write.
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
    DB::resume(&replica).await?;
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
    Ok(())
}
