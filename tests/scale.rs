//! Correctness at scale: 70,000-id writes on a pivot without any index (`group_user`), on every
//! backend, in a fixed number of statements. (How fast they are belongs to the scaling
//! benchmark, `cargo run --release --example scaling`; the timeout only turns a quadratic
//! statement, which ran for over 14 minutes on MariaDB, into a failure instead of a hang.)

mod common;
use common::models;

use std::time::Duration;

use models::*;
use orm::prelude::*;

const N: i64 = 70_000;

async fn group_ids<E>(exec: E, user: &User) -> orm::Result<(i64, Option<i64>, Option<i64>)>
where
    E: orm::Executor,
    GroupUser: orm::ModelRow<E::Backend>,
{
    let rows = GroupUser::query()
        .where_eq(GroupUser::FIELDS.user_id, user.id)
        .fetch_all(exec)
        .await?;
    let ids = rows.iter().map(|r| r.group_id);
    Ok((rows.len() as i64, ids.clone().min(), ids.max()))
}

backend_tests! {
    async fn seventy_thousand_ids_sync_and_detach_on_a_pivot_without_any_index(pool) {
        let work = async {
            let user = User::create(&pool, NewUser { username: "many".into(), email: None }).await?;
            let other = User::create(&pool, NewUser { username: "other".into(), email: None }).await?;
            other.related(User::groups()).attach(&pool, [1, 2, 3]).await?;
            let groups = user.related(User::groups());
            groups.attach(&pool, 1..=N).await?;
            assert_eq!(group_ids(&pool, &user).await?, (N, Some(1), Some(N)));

            // Half kept, half replaced.
            let (report, statements) = common::count_statements(groups.sync(&pool, N / 2 + 1..=N + N / 2)).await;
            let report = report?;
            assert_eq!((report.attached.len() as i64, report.detached.len() as i64), (N / 2, N / 2));
            assert!(statements.count() <= 6, "a fixed number of statements: {:?}", statements.count());
            assert_eq!(group_ids(&pool, &user).await?, (N, Some(N / 2 + 1), Some(N + N / 2)));

            let (detached, statements) = common::count_statements(groups.detach(&pool, N / 2 + 1..=N + N / 2)).await;
            assert_eq!(detached? as i64, N);
            assert!(statements.count() <= 3, "a fixed number of statements: {:?}", statements.all().len());
            assert_eq!(group_ids(&pool, &user).await?, (0, None, None));
            // Another parent's rows are untouched.
            assert_eq!(group_ids(&pool, &other).await?, (3, Some(1), Some(3)));
            common::TestResult::Ok(())
        };
        tokio::time::timeout(Duration::from_secs(180), work).await.map_err(|_| "timed out: not linear")??;
        Ok(())
    }
}
