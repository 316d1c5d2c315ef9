//! Where the time of a PostgreSQL preload (10,000 users x 10 skills, the `preload` bench's data
//! in schema `orm_bench`: run `cargo bench -p orm-benches --bench preload` once first) goes:
//! the ORM's users query against the hand-written one, the related statement's round trip (its
//! text as the ORM writes it and as written by hand), and the ORM's whole preload; the rest of
//! the ORM's time is its decoding and grouping.
//!
//! ```text
//! . .ci/env.sh && cargo run --release -p orm-benches --example preload_phases
//! ```

use orm::prelude::*;
use orm_benches::User;
use sqlx::{Postgres, Row};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("ORM_TEST_POSTGRES_URL")?;
    let options: sqlx::postgres::PgConnectOptions = url.parse()?;
    let pool = sqlx::pool::PoolOptions::<Postgres>::new()
        .max_connections(1)
        .connect_with(options.options([("search_path", "orm_bench")]))
        .await?;
    let n = 30;
    let mut t = [0f64; 6];
    for _ in 0..n {
        let s = Instant::now();
        let users = User::query().fetch_all(&pool).await?;
        t[0] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let rows = sqlx::query("SELECT id, username FROM users")
            .fetch_all(&pool)
            .await?;
        let raw: Vec<(i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        t[1] += s.elapsed().as_secs_f64();
        let keys: Vec<i64> = raw.iter().map(|u| u.0).collect();
        let s = Instant::now();
        let rows = sqlx::query("SELECT s.id, s.name, p.user_id, p.proficiency FROM skills s JOIN skill_user p ON s.id = p.skill_id WHERE p.user_id = ANY($1)")
            .bind(&keys).persistent(false).fetch_all(&pool).await?;
        t[2] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let rows2 = sqlx::query("SELECT \"orm_skills\".\"id\", \"orm_skills\".\"name\", \"orm_skills_pivot\".\"user_id\", \"orm_skills_pivot\".\"proficiency\" FROM \"skills\" AS \"orm_skills\" JOIN \"skill_user\" AS \"orm_skills_pivot\" ON \"orm_skills\".\"id\" = \"orm_skills_pivot\".\"skill_id\" WHERE \"orm_skills_pivot\".\"user_id\" = ANY($1)")
            .bind(&keys).persistent(false).fetch_all(&pool).await?;
        t[3] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let users2 = User::query()
            .preload(User::skills())
            .fetch_all(&pool)
            .await?;
        t[4] += s.elapsed().as_secs_f64();
        assert_eq!(rows.len(), rows2.len());
        assert_eq!(users.len(), users2.len());
    }
    for (i, name) in [
        "orm users",
        "raw users",
        "raw related stmt",
        "orm-text related stmt",
        "orm full",
    ]
    .iter()
    .enumerate()
    {
        println!("{name:24} {:8.2} ms", t[i] / n as f64 * 1000.0);
    }
    Ok(())
}
