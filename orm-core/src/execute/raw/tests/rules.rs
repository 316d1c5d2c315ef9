//! One test per decoding rule: the raw read and the sqlx read (the ORM's `Execute::get` /
//! `get_optional`) of the same one-value row agree, and the outcome is the rule's.

use std::fmt::Debug;

use sqlx::{Sqlite, SqliteConnection};

use super::{OrFail as _, TestResult};
use super::{each_row, memory};
use crate::execute::Execute;
use crate::execute::raw::RawColumn;
use crate::value::Column;

/// Column `index` of `sql`'s row read as `T` (`get`) by sqlx and by the raw path.
async fn required<T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    index: usize,
) -> TestResult<Read<T>>
where
    T: RawColumn + Column<Sqlite>,
{
    let row = sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .or_fail("sqlx")?;
    let by_sqlx = <Sqlite as Execute>::get::<T>(&row, index).map_err(|e| e.to_string());
    let mut by_raw = None;
    each_row(conn, sql, &[], sql, |row| {
        by_raw = Some(T::read_raw(row, index).map_err(|e| e.to_string()));
        Ok(())
    })
    .await
    .or_fail("the raw path")?;
    Ok(Read {
        by_sqlx,
        by_raw: by_raw.or_fail("one row")?,
    })
}

/// Column 0 of `sql`'s row read as `Option<T>` (`get_optional`) by sqlx and by the raw path.
async fn optional<T>(conn: &mut SqliteConnection, sql: &'static str) -> TestResult<Read<Option<T>>>
where
    T: RawColumn + Column<Sqlite>,
{
    let row = sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .or_fail("sqlx")?;
    let by_sqlx = <Sqlite as Execute>::get_optional::<T>(&row, 0).map_err(|e| e.to_string());
    let mut by_raw = None;
    each_row(conn, sql, &[], sql, |row| {
        by_raw = Some(Option::<T>::read_raw(row, 0).map_err(|e| e.to_string()));
        Ok(())
    })
    .await
    .or_fail("the raw path")?;
    Ok(Read {
        by_sqlx,
        by_raw: by_raw.or_fail("one row")?,
    })
}

/// Both reads of one value.
struct Read<T> {
    by_sqlx: Result<T, String>,
    by_raw: Result<T, String>,
}

impl<T: PartialEq + Debug> Read<T> {
    /// Both read `value`.
    #[track_caller]
    fn is(self, value: T) {
        assert_eq!(self.by_raw, self.by_sqlx);
        assert_eq!(self.by_raw, Ok(value));
    }

    /// Both fail with the same text, which contains `part`.
    #[track_caller]
    fn fails_with(self, part: &str) {
        assert_eq!(self.by_raw, self.by_sqlx);
        let err = self.by_raw.expect_err("an error");
        assert!(err.contains(part), "{err:?} lacks {part:?}");
    }
}

/// One `#[tokio::test]` per rule: `name(conn) { checks }`, on a fresh connection.
macro_rules! rules {
    ($($(#[$attr:meta])* $name:ident($conn:ident) $body:block)*) => {$(
        $(#[$attr])*
        #[tokio::test]
        async fn $name() -> TestResult {
            let mut conn = memory().await?;
            let $conn = &mut conn;
            $body
            Ok(())
        }
    )*};
}

const MISMATCH: &str = "mismatched types; Rust type";
const RANGE: &str = "out of range integral type conversion attempted";

rules! {
    null_is_an_error_for_a_non_option_type(c) {
        required::<i64>(c, "SELECT NULL", 0).await?.fails_with("unexpected null");
        required::<String>(c, "SELECT NULL", 0).await?.fails_with("unexpected null");
    }
    null_is_none_for_an_option(c) {
        optional::<i64>(c, "SELECT NULL").await?.is(None);
        optional::<String>(c, "SELECT NULL").await?.is(None);
        optional::<i64>(c, "SELECT 5").await?.is(Some(5));
    }
    integer_read_as_f64_is_a_mismatch(c) {
        required::<f64>(c, "SELECT 42", 0)
            .await?
            .fails_with("Rust type `f64` is not compatible with SQL type `INTEGER`");
    }
    real_read_as_i64_is_a_mismatch(c) {
        required::<i64>(c, "SELECT 1.5", 0)
            .await?
            .fails_with("Rust type `i64` is not compatible with SQL type `REAL`");
    }
    text_read_as_i64_is_a_mismatch(c) {
        required::<i64>(c, "SELECT '12'", 0).await?.fails_with("SQL type `TEXT`");
    }
    blob_read_as_string_is_a_mismatch(c) {
        required::<String>(c, "SELECT x'6869'", 0).await?.fails_with("SQL type `BLOB`");
    }
    text_reads_as_bytes(c) {
        required::<Vec<u8>>(c, "SELECT 'hi'", 0).await?.is(b"hi".to_vec());
    }
    an_option_mismatch_speaks_as_sqlx_try_get(c) {
        optional::<u8>(c, "SELECT 1.5")
            .await?
            .fails_with("`core::option::Option<u8>` (as SQL type `INTEGER`) is not compatible");
    }
    invalid_utf8_is_a_decode_error(c) {
        required::<String>(c, "SELECT CAST(x'ff' AS TEXT)", 0)
            .await?
            .fails_with("invalid utf-8 sequence");
    }
    multibyte_text_reads_whole(c) {
        required::<String>(c, "SELECT 'ü€𝄞'", 0).await?.is(String::from("ü€𝄞"));
    }
    out_of_range_integers_fail_as_try_into_does(c) {
        required::<u8>(c, "SELECT 300", 0).await?.fails_with(RANGE);
        required::<i8>(c, "SELECT 300", 0).await?.fails_with(RANGE);
        required::<i16>(c, "SELECT 40000", 0).await?.fails_with(RANGE);
        required::<i32>(c, "SELECT 1099511627776", 0).await?.fails_with(RANGE);
        required::<u32>(c, "SELECT -1", 0).await?.fails_with(RANGE);
        required::<u16>(c, "SELECT 65535", 0).await?.is(u16::MAX);
    }
    bool_is_any_integer_but_zero(c) {
        required::<bool>(c, "SELECT 0", 0).await?.is(false);
        required::<bool>(c, "SELECT 1", 0).await?.is(true);
        required::<bool>(c, "SELECT 2", 0).await?.is(true);
        required::<bool>(c, "SELECT 1.0", 0).await?.fails_with(MISMATCH);
    }
    f32_truncates_the_double(c) {
        required::<f32>(c, "SELECT 0.1", 0).await?.is(0.1_f32);
        required::<f32>(c, "SELECT 1e300", 0).await?.is(f32::INFINITY);
    }
    a_column_past_the_last_is_out_of_bounds(c) {
        required::<i64>(c, "SELECT 1", 1).await?.fails_with("the len is 1, but the index is 1");
    }
    #[cfg(feature = "uuid")]
    a_uuid_is_16_bytes(c) {
        let sql = "SELECT x'67e5504410b1426f9247bb680e5fe0c8'";
        let uuid = uuid::Uuid::from_u128(0x67e5504410b1426f9247bb680e5fe0c8);
        required::<uuid::Uuid>(c, sql, 0).await?.is(uuid);
        required::<uuid::Uuid>(c, "SELECT x'0102'", 0).await?.fails_with("16");
        // TEXT is accepted, and its bytes are not 16.
        let text = "SELECT '67e55044-10b1-426f-9247-bb680e5fe0c8'";
        required::<uuid::Uuid>(c, text, 0).await?.fails_with("16");
        required::<uuid::Uuid>(c, "SELECT 1", 0).await?.fails_with(MISMATCH);
    }
    #[cfg(feature = "chrono")]
    a_datetime_is_text_unix_seconds_or_a_julian_day(c) {
        use chrono::{NaiveDate, NaiveDateTime};
        let at = |y, m, d, h, min, s| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(h, min, s))
                .or_fail("a valid date-time")
        };
        let text = "SELECT '2024-01-02 03:04:05'";
        required::<NaiveDateTime>(c, text, 0).await?.is(at(2024, 1, 2, 3, 4, 5)?);
        let offset = "SELECT '2024-01-02T03:04:05+02:00'";
        required::<NaiveDateTime>(c, offset, 0).await?.is(at(2024, 1, 2, 3, 4, 5)?);
        let utc = required::<chrono::DateTime<chrono::Utc>>(c, offset, 0).await;
        utc?.is(at(2024, 1, 2, 1, 4, 5)?.and_utc());
        let unix = "SELECT 1700000000";
        required::<NaiveDateTime>(c, unix, 0).await?.is(at(2023, 11, 14, 22, 13, 20)?);
        let julian = "SELECT 2460000.5";
        required::<NaiveDateTime>(c, julian, 0).await?.is(at(2023, 2, 25, 0, 0, 0)?);
        let bad = "SELECT 'not a date'";
        required::<NaiveDateTime>(c, bad, 0).await?.fails_with("invalid datetime: not a date");
        let huge = "SELECT 1e300";
        required::<NaiveDateTime>(c, huge, 0).await?.fails_with("invalid datetime: 1.0e+300");
        required::<NaiveDate>(c, "SELECT '2024-01-02'", 0)
            .await?
            .is(at(2024, 1, 2, 0, 0, 0)?.date());
        required::<NaiveDate>(c, "SELECT 20240102", 0).await?.fails_with(MISMATCH);
    }
}
