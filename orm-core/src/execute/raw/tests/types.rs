//! Every supported type read from every kind of value, through sqlx (the ORM's
//! `Execute::get` / `get_optional` / `get_extra`) and through the raw path: equal values, or
//! errors with equal text.

use std::fmt::Debug;

use sqlx::{Row, Sqlite, SqliteConnection};

use super::{OrFail as _, TestResult};
use super::{each_row, memory};
use crate::execute::Execute;
use crate::execute::raw::RawColumn;
use crate::value::{Column, ExtraValue};

/// One row with a value of every kind: each storage class, NULL, values out of an integer
/// type's range, invalid UTF-8, date-time texts, numbers that are no date-time.
const VALUES: &str = "SELECT \
    NULL, 0, 1, 2, -1, 42, 300, -129, 70000, 1099511627776, -9223372036854775808, \
    1.5, -0.25, 1e300, 2460000.5, 1700000000, 1000000000000000000, \
    '', 'héllo wörld ✓ 🎉', '12', '1.5', 'true', CAST(x'ff' AS TEXT), \
    '2024-01-02 03:04:05', '2024-01-02T03:04:05.123Z', '2024-01-02 03:04:05+02:00', \
    '2024-01-02', '2024-01-02 03:04', 'not a date', \
    x'', x'00ff', x'6869', zeroblob(4), x'0123456789abcdef0123456789abcdef', \
    CAST(x'0123456789abcdef0123456789abcdef' AS TEXT), \
    '67e55044-10b1-426f-9247-bb680e5fe0c8'";

/// A table whose declared types sqlx knows (`BOOLEAN`, `DATETIME`, ...), with values SQLite's
/// affinities converted on insert, and NULLs of each declared type.
const TABLE: &str = "CREATE TABLE typed (b BOOLEAN, d DATETIME, dd DATE, i INTEGER, i4 INT4, \
    r REAL, s TEXT, x BLOB, n NUMERIC, u);
    INSERT INTO typed VALUES (1, '2024-01-02 03:04:05', '2024-01-02', '12', '7', 3, 45, 'x', \
        '1.0', 2.5);
    INSERT INTO typed VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    INSERT INTO typed VALUES (2, 1700000000, 'x', 'abc', 99999999999, '2.5', x'ff', 7, 'abc', \
        x'00');";

/// Column `i` of each row as sqlx reads it (`Execute::get`, `Execute::get_optional`), and as
/// the raw path reads it (`T::read_raw`, `Option::<T>::read_raw`), as values or error texts.
type Reads<T> = Vec<(Result<T, String>, Result<Option<T>, String>)>;

/// Every row of `sql`, read by sqlx.
async fn fetch(conn: &mut SqliteConnection, sql: &str) -> TestResult<Vec<sqlx::sqlite::SqliteRow>> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_all(conn)
        .await
        .or_fail("sqlx reads")
}

/// Reads every column of every row of `sql` both ways and asserts they agree.
async fn assert_same<T>(conn: &mut SqliteConnection, sql: &str) -> TestResult
where
    T: RawColumn + Column<Sqlite> + PartialEq + Debug,
{
    // Two reads, so that each sqlx value is decoded once, as the ORM decodes it: sqlx refuses a
    // second decoding of a value whose text it lent out (`BorrowedBlobError`), the raw path
    // does not.
    let rows = fetch(conn, sql).await?;
    let optional_rows = fetch(conn, sql).await?;
    let by_sqlx: Vec<Reads<T>> = rows
        .iter()
        .zip(&optional_rows)
        .map(|(row, optional_row)| {
            (0..row.len())
                .map(|i| {
                    (
                        <Sqlite as Execute>::get::<T>(row, i).map_err(|e| e.to_string()),
                        <Sqlite as Execute>::get_optional::<T>(optional_row, i)
                            .map_err(|e| e.to_string()),
                    )
                })
                .collect()
        })
        .collect();
    let mut by_raw: Vec<Reads<T>> = Vec::new();
    each_row(conn, sql, &[], sql, |row| {
        by_raw.push(
            (0..row.len())
                .map(|i| {
                    (
                        T::read_raw(row, i).map_err(|e| e.to_string()),
                        Option::<T>::read_raw(row, i).map_err(|e| e.to_string()),
                    )
                })
                .collect(),
        );
        Ok(())
    })
    .await
    .or_fail("the raw path reads")?;
    assert_eq!(by_raw.len(), by_sqlx.len());
    for (r, (raw, sqlx)) in by_raw.iter().zip(&by_sqlx).enumerate() {
        for (i, (raw, sqlx)) in raw.iter().zip(sqlx).enumerate() {
            assert_eq!(
                raw,
                sqlx,
                "{}: row {r}, column {i}",
                std::any::type_name::<T>()
            );
        }
    }
    Ok(())
}

/// Both statements, every type.
async fn assert_all_types(conn: &mut SqliteConnection, sql: &str) -> TestResult {
    assert_same::<bool>(conn, sql).await?;
    assert_same::<i8>(conn, sql).await?;
    assert_same::<i16>(conn, sql).await?;
    assert_same::<i32>(conn, sql).await?;
    assert_same::<i64>(conn, sql).await?;
    assert_same::<u8>(conn, sql).await?;
    assert_same::<u16>(conn, sql).await?;
    assert_same::<u32>(conn, sql).await?;
    assert_same::<f32>(conn, sql).await?;
    assert_same::<f64>(conn, sql).await?;
    assert_same::<String>(conn, sql).await?;
    assert_same::<Vec<u8>>(conn, sql).await?;
    #[cfg(feature = "uuid")]
    assert_same::<uuid::Uuid>(conn, sql).await?;
    #[cfg(feature = "chrono")]
    {
        assert_same::<chrono::NaiveDateTime>(conn, sql).await?;
        assert_same::<chrono::DateTime<chrono::Utc>>(conn, sql).await?;
        assert_same::<chrono::NaiveDate>(conn, sql).await?;
    }
    Ok(())
}

#[tokio::test]
async fn every_type_reads_every_value_as_sqlx_does() -> TestResult {
    let mut conn = memory().await?;
    assert_all_types(&mut conn, VALUES).await?;
    Ok(())
}

#[tokio::test]
async fn declared_types_and_affinities_read_as_sqlx_does() -> TestResult {
    let mut conn = memory().await?;
    sqlx::raw_sql(TABLE)
        .execute(&mut conn)
        .await
        .or_fail("table")?;
    assert_all_types(&mut conn, "SELECT * FROM typed").await?;
    Ok(())
}

#[tokio::test]
async fn extra_values_read_as_get_extra_does() -> TestResult {
    let mut conn = memory().await?;
    sqlx::raw_sql(TABLE)
        .execute(&mut conn)
        .await
        .or_fail("table")?;
    for sql in [VALUES, "SELECT * FROM typed"] {
        let rows = fetch(&mut conn, sql).await?;
        // One past the last column too: `<missing column>`.
        let by_sqlx: Vec<Vec<ExtraValue>> = rows
            .iter()
            .map(|row| {
                (0..=row.len())
                    .map(|i| <Sqlite as Execute>::get_extra(row, i))
                    .collect()
            })
            .collect();
        let mut by_raw = Vec::new();
        each_row(&mut conn, sql, &[], sql, |row| {
            by_raw.push((0..=row.len()).map(|i| row.extra(i)).collect::<Vec<_>>());
            Ok(())
        })
        .await
        .or_fail("the raw path reads")?;
        assert_eq!(by_raw, by_sqlx, "{sql}");
    }
    Ok(())
}

#[tokio::test]
async fn borrowed_text_and_bytes_decode_as_sqlx_does() -> TestResult {
    let mut conn = memory().await?;
    let (rows, byte_rows) = (
        fetch(&mut conn, VALUES).await?,
        fetch(&mut conn, VALUES).await?,
    );
    let (row, byte_row) = (&rows[0], &byte_rows[0]);
    let by_sqlx: Vec<_> = (0..row.len())
        .map(|i| {
            (
                row.try_get::<&str, _>(i).map_err(|e| e.to_string()),
                byte_row.try_get::<&[u8], _>(i).map_err(|e| e.to_string()),
            )
        })
        .collect();
    let mut by_raw = Vec::new();
    each_row(&mut conn, VALUES, &[], "values", |row| {
        for i in 0..row.len() {
            let text = row.text(i).map(str::to_owned);
            let bytes = row.blob(i).map(<[u8]>::to_vec);
            by_raw.push((
                text.map_err(|e| e.to_string()),
                bytes.map_err(|e| e.to_string()),
            ));
        }
        Ok(())
    })
    .await
    .or_fail("the raw path reads")?;
    for (i, (raw, sqlx)) in by_raw.iter().zip(&by_sqlx).enumerate() {
        // sqlx's `try_get` accepts NULL as "" for these, and its mismatch text adds `(as SQL
        // type ..)`; the raw path follows the ORM's `get`: compare the values only.
        if let (Ok(text), Ok(sqlx_text)) = (&raw.0, &sqlx.0) {
            assert_eq!(text, sqlx_text, "column {i}");
        }
        if let (Ok(bytes), Ok(sqlx_bytes)) = (&raw.1, &sqlx.1) {
            assert_eq!(bytes.as_slice(), *sqlx_bytes, "column {i}");
        }
        assert!(
            raw.0.is_ok() <= sqlx.0.is_ok(),
            "column {i}: {raw:?} / {sqlx:?}"
        );
        assert!(
            raw.1.is_ok() <= sqlx.1.is_ok(),
            "column {i}: {raw:?} / {sqlx:?}"
        );
    }
    Ok(())
}
