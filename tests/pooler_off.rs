//! Without `orm::set_transaction_pooler(true)` (the default, and never set in this test binary)
//! no statement is wrapped in a transaction of its own, even on a connection whose statement
//! cache is empty because it has run only unprepared statements (large key lists are planned at
//! each execution on PostgreSQL): a direct connection pays nothing for the pooler mode.

mod common;

use common::models;
use models::*;
use orm::prelude::*;

/// Keys past the size at which a key list is planned at each execution (64).
const USERS: usize = 100;

/// On PostgreSQL (SQLite and MySQL never wrap a statement): a direct pool, with the setting off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_of_large_key_lists_send_no_transaction_control_by_default() {
    const TEST: &str = "reads_of_large_key_lists_send_no_transaction_control_by_default";
    common::run::<sqlx::Postgres, _, _>(TEST, |pool| async move {
        let mut ids = Vec::new();
        for i in 0..USERS {
            let user = User::create(
                &pool,
                NewUser {
                    username: format!("u{i}"),
                    email: None,
                },
            )
            .await?;
            ids.push(user.id);
        }
        assert!(!orm::transaction_pooler());
        // A fresh connection: nothing in its statement cache.
        let mut conn = sqlx::ConnectOptions::connect(&*pool.connect_options()).await?;
        let (users, s) = common::count_statements(User::find_many(&mut conn, ids.clone())).await;
        assert_eq!(users?.len(), USERS);
        let (found, t) = common::count_statements(
            User::query()
                .where_in("id", ids.clone())
                .preload(User::skills())
                .fetch_all(&mut conn),
        )
        .await;
        assert_eq!(found?.len(), USERS);
        for s in [s, t] {
            assert_eq!(s.transaction_control(), 0, "{:#?}", s.all());
        }
        common::TestResult::Ok(())
    })
    .await;
}
