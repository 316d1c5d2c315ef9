//! The PostgreSQL preload of the `preload` bench (10,000 users x 10 skills with a pivot column),
//! the ORM and the hand-written sqlx version run alternately, pair after pair, so that both see
//! the same machine and server state: prints each side's median and the median of the per-pair
//! ratios (ORM / hand-written), which a slow drift of the machine does not move.
//!
//! ```text
//! . .ci/env.sh && cargo run --release -p orm-benches --example preload_paired [pairs]
//! ```

use orm::prelude::*;
use orm_benches::User;
use orm_benches::preload_data::{
    SCHEMA_POSTGRES, check_orm, check_raw, data_statements, raw_postgres,
};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("ORM_TEST_POSTGRES_URL")?;
    let pairs: usize = std::env::args().nth(1).map_or(Ok(60), |n| n.parse())?;
    let pool =
        orm_benches::postgres_pool(&url, "orm_bench_paired", SCHEMA_POSTGRES, data_statements())
            .await;
    let (mut orm, mut raw, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..pairs + 5 {
        // Alternate which side goes first, so neither always runs on a warmer cache.
        let (a, b) = if round % 2 == 0 {
            let a = time_orm(&pool).await?;
            (a, time_raw(&pool).await)
        } else {
            let b = time_raw(&pool).await;
            (time_orm(&pool).await?, b)
        };
        if round >= 5 {
            orm.push(a);
            raw.push(b);
            ratio.push(a / b);
        }
    }
    println!("pairs                      {pairs}");
    println!(
        "orm median                 {:8.2} ms",
        median(&mut orm) * 1e3
    );
    println!(
        "hand-written median        {:8.2} ms",
        median(&mut raw) * 1e3
    );
    let (low, mid, high) = quartiles(&mut ratio);
    println!("orm / hand-written, pairs  {mid:.3} (quartiles {low:.3} - {high:.3})");
    Ok(())
}

async fn time_orm(pool: &sqlx::PgPool) -> Result<f64, orm::Error> {
    let start = Instant::now();
    let users = User::query()
        .preload(User::skills())
        .fetch_all(pool)
        .await?;
    let elapsed = start.elapsed().as_secs_f64();
    check_orm(&users);
    Ok(elapsed)
}

async fn time_raw(pool: &sqlx::PgPool) -> f64 {
    let start = Instant::now();
    let users = raw_postgres(pool).await;
    let elapsed = start.elapsed().as_secs_f64();
    check_raw(&users);
    elapsed
}

fn median(values: &mut [f64]) -> f64 {
    quartiles(values).1
}

fn quartiles(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.5), at(0.75))
}
