//! A raw read dropped mid-read (a timeout, a `select!`) finalizes its statement and gives the
//! connection back to sqlx, usable.

use std::time::Duration;

use super::{OrFail as _, TestResult};
use super::{assert_usable, each_row, live_statements, memory, series};

/// 200,000 rows: far more than one chunk, far more than a millisecond.
fn long_read() -> String {
    format!("{}SELECT n, 'row ' || n FROM c", series(200_000))
}

#[tokio::test]
async fn a_read_dropped_by_a_timeout_leaves_nothing_behind() -> TestResult {
    let mut conn = memory().await?;
    let sql = long_read();
    let mut seen = 0_u64;
    let read = each_row(&mut conn, &sql, &[], "long", |row| {
        let _: String = row.get(1).map_err(super::decode)?;
        seen += 1;
        Ok(())
    });
    let outcome = tokio::time::timeout(Duration::from_millis(1), read).await;
    assert!(
        outcome.is_err(),
        "the read finished within 1 ms: {outcome:?}"
    );
    assert!(seen < 200_000, "every row was read");
    assert_eq!(live_statements(&mut conn, &sql).await?, 0);
    assert_usable(&mut conn).await?;
    Ok(())
}

#[tokio::test]
async fn a_read_dropped_after_its_first_chunk_leaves_nothing_behind() -> TestResult {
    let mut conn = memory().await?;
    let sql = long_read();
    let (started, mut first_chunk) = tokio::sync::oneshot::channel::<()>();
    let mut started = Some(started);
    let mut seen = 0_u64;
    let read = each_row(&mut conn, &sql, &[], "long", |_| {
        seen += 1;
        if let Some(started) = started.take() {
            let _ = started.send(());
        }
        Ok(())
    });
    tokio::select! {
        biased;
        // Polled first: ready only once the read has yielded after a chunk of rows.
        _ = &mut first_chunk => {}
        done = read => {
            return Err(format!("the read ran to its end without yielding: {done:?}").into());
        }
    }
    assert_eq!(seen, super::super::CHUNK, "dropped at the first yield");
    assert_eq!(live_statements(&mut conn, &sql).await?, 0);
    assert_usable(&mut conn).await?;
    // And the raw path runs on it again.
    let again = super::raw_column::<i64>(&mut conn, "SELECT 7", &[]).await;
    assert_eq!(again.or_fail("raw reads again")?, [7]);
    Ok(())
}
