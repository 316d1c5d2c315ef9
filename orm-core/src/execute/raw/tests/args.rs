//! Binding arguments, and the one-statement rule.

use super::{OrFail as _, TestResult};
use super::{RawArg, assert_usable, decode, each_row, memory, raw_column};
use crate::error::Error;

#[tokio::test]
async fn every_argument_kind_round_trips() -> TestResult {
    let mut conn = memory().await?;
    let args = [
        RawArg::Null,
        RawArg::Int64(i64::MIN),
        RawArg::Double(-0.5),
        RawArg::Text(String::from("ü€𝄞")),
        RawArg::Blob(vec![0, 1, 255]),
        RawArg::Text(String::new()),
        RawArg::Blob(Vec::new()),
    ];
    let sql = "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, \
               typeof(?1) || typeof(?2) || typeof(?3) || typeof(?4) || typeof(?5) || typeof(?6) \
               || typeof(?7)";
    let mut seen = None;
    each_row(&mut conn, sql, &args, "args", |row| {
        seen = Some((
            row.get::<Option<i64>>(0).map_err(decode)?,
            row.get::<i64>(1).map_err(decode)?,
            row.get::<f64>(2).map_err(decode)?,
            row.get::<String>(3).map_err(decode)?,
            row.get::<Vec<u8>>(4).map_err(decode)?,
            row.get::<String>(5).map_err(decode)?,
            row.get::<Vec<u8>>(6).map_err(decode)?,
            row.get::<String>(7).map_err(decode)?,
        ));
        Ok(())
    })
    .await
    .or_fail("binds")?;
    let expected = (
        None,
        i64::MIN,
        -0.5,
        String::from("ü€𝄞"),
        vec![0, 1, 255],
        String::new(),
        Vec::new(),
        String::from("nullintegerrealtextblobtextblob"),
    );
    assert_eq!(seen, Some(expected));
    // Anonymous parameters bind in order too.
    let anonymous = raw_column::<String>(
        &mut conn,
        "SELECT ? || ?",
        &[RawArg::Text("a".into()), RawArg::Text("b".into())],
    )
    .await;
    assert_eq!(anonymous.or_fail("binds")?, ["ab"]);
    Ok(())
}

#[tokio::test]
async fn argument_counts_must_match_the_parameters() -> TestResult {
    let mut conn = memory().await?;
    let one = [RawArg::Int64(1)];
    let three = [RawArg::Int64(1), RawArg::Int64(2), RawArg::Int64(3)];
    for (args, given) in [(&one[..], 1), (&three[..], 3)] {
        let err = raw_column::<i64>(&mut conn, "SELECT ? + ?", args)
            .await
            .expect_err("a count mismatch fails");
        let text = err.to_string();
        assert!(
            text.contains(&format!("has 2 parameters but {given} arguments")),
            "{text}"
        );
        assert!(matches!(err, Error::Database { .. }), "{err:?}");
    }
    let err = raw_column::<i64>(&mut conn, "SELECT :a", &one)
        .await
        .expect_err("a named parameter fails");
    assert!(err.to_string().contains("named parameter `:a`"), "{err}");
    assert_usable(&mut conn).await?;
    Ok(())
}

#[tokio::test]
async fn exactly_one_statement_runs() -> TestResult {
    let mut conn = memory().await?;
    let err = raw_column::<i64>(&mut conn, "SELECT 1; SELECT 2", &[])
        .await
        .expect_err("two statements fail");
    assert!(err.to_string().contains("more than one statement"), "{err}");
    let err = raw_column::<i64>(&mut conn, "SELECT 1;\0 DELETE FROM t", &[])
        .await
        .expect_err("a NUL byte fails");
    assert!(err.to_string().contains("NUL byte"), "{err}");
    for sql in [
        "SELECT 1;",
        "SELECT 1; -- done",
        "SELECT 1 /* done */ ;  \n",
    ] {
        let values = raw_column::<i64>(&mut conn, sql, &[]).await;
        assert_eq!(values.or_fail("one statement and comments")?, [1], "{sql}");
    }
    let none = raw_column::<i64>(&mut conn, " -- nothing", &[]).await;
    assert!(none.or_fail("no statement reads no row")?.is_empty());
    assert_usable(&mut conn).await?;
    Ok(())
}
