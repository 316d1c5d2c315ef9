//! The executor contract: one generic helper runs on a pool, a transaction and a connection.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

/// A service function written once for any of the caller's handles: it runs several statements.
async fn register<E>(exec: E, name: &str) -> orm::Result<(User, i64)>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let user = User::create(
        &mut conn,
        NewUser {
            username: name.to_owned(),
            email: None,
        },
    )
    .await?;
    let total = User::query().count(&mut conn).await?;
    Ok((user, total))
}

backend_tests! {
    async fn one_helper_runs_on_a_pool(pool) {
        let (user, total) = register(&pool, "pooled").await?;
        assert_eq!(total, 1);
        assert_eq!(User::find(&pool, user.id).await?.map(|u| u.username).as_deref(), Some("pooled"));
        Ok(())
    }

    async fn one_helper_runs_in_a_transaction_that_rolls_back(pool) {
        let mut tx = pool.begin().await?;
        let (user, total) = register(&mut tx, "in tx").await?;
        assert_eq!(total, 1);
        // Visible inside the transaction, through `&mut *tx` as well as `&mut tx`.
        assert!(User::find(&mut *tx, user.id).await?.is_some());
        tx.rollback().await?;
        assert!(User::find(&pool, user.id).await?.is_none(), "nothing persists after rollback");
        assert_eq!(User::query().count(&pool).await?, 0);

        let mut tx = pool.begin().await?;
        let (committed, _) = register(&mut tx, "committed").await?;
        tx.commit().await?;
        assert!(User::find(&pool, committed.id).await?.is_some());
        Ok(())
    }

    async fn one_helper_runs_on_a_connection(pool) {
        let mut conn = pool.acquire().await?;
        let (user, total) = register(&mut conn, "conn").await?;
        assert_eq!(total, 1);
        let (second, total) = register(&mut *conn, "raw conn").await?;
        assert_eq!(total, 2);
        drop(conn);
        assert_eq!(User::query().count(&pool).await?, 2);
        assert!(User::find(&pool, user.id).await?.is_some() && User::find(&pool, second.id).await?.is_some());
        Ok(())
    }

    async fn insert_many_inside_a_rolled_back_transaction_leaves_nothing(pool) {
        let mut tx = pool.begin().await?;
        let rows = (0..10).map(|i| NewUser { username: format!("u{i}"), email: None });
        assert_eq!(User::insert_many(&mut tx, rows).await?, 10);
        assert_eq!(User::query().count(&mut *tx).await?, 10);
        tx.rollback().await?;
        assert_eq!(User::query().count(&pool).await?, 0);
        Ok(())
    }
}
