//! Decoding an extra column of one of the column types the cargo features add (`chrono`,
//! `time`, `uuid`, `json`, `rust_decimal`), after the plain kinds `get_extra` tries first.
//! Which types a backend decodes differs: sqlx has no decimal for SQLite.

use crate::value::ExtraValue;

/// Decodes an extra column as one of the feature types' [`ExtraValue`] variants.
pub(crate) trait TypedExtra: sqlx::Database {
    /// The value of column `index`, or `None` if it is none of the feature types.
    fn typed_extra(row: &Self::Row, index: usize) -> Option<ExtraValue>;
}

/// Implements [`TypedExtra`] for a backend by trying each type in order, each behind its
/// feature. The first type compatible with the column that decodes wins: `chrono` before `time`
/// (one decoding per column; `FromExtra` converts to the other crate), `Uuid` before JSON (a
/// MariaDB binary column is compatible with both).
macro_rules! typed_extra {
    (@impl $db:ty; $($feature:literal: $ty:ty => $variant:path),* $(,)?) => {
        impl TypedExtra for $db {
            fn typed_extra(
                row: &<$db as sqlx::Database>::Row,
                index: usize,
            ) -> Option<ExtraValue> {
                $(
                    #[cfg(feature = $feature)]
                    {
                        if let Ok(v) = sqlx::Row::try_get::<$ty, usize>(row, index) {
                            return Some($variant(v));
                        }
                    }
                )*
                let _ = (row, index);
                None
            }
        }
    };
    // The types every backend decodes, then the backend's own.
    ($db:ty $(, $feature:literal: $ty:ty => $variant:path)* $(,)?) => {
        typed_extra!(@impl $db;
            "chrono": chrono::NaiveDateTime => ExtraValue::DateTime,
            "chrono": chrono::DateTime<chrono::Utc> => ExtraValue::TimestampTz,
            "chrono": chrono::NaiveDate => ExtraValue::Date,
            "time": time::PrimitiveDateTime => ExtraValue::PrimitiveDateTime,
            "time": time::OffsetDateTime => ExtraValue::OffsetDateTime,
            "time": time::Date => ExtraValue::TimeDate,
            "uuid": uuid::Uuid => ExtraValue::Uuid,
            "json": serde_json::Value => ExtraValue::Json,
            $($feature: $ty => $variant,)*
        );
    };
}

#[cfg(feature = "sqlite")]
typed_extra!(sqlx::Sqlite);

#[cfg(feature = "postgres")]
typed_extra!(sqlx::Postgres, "rust_decimal": rust_decimal::Decimal => ExtraValue::Decimal);

#[cfg(feature = "mysql")]
typed_extra!(sqlx::MySql, "rust_decimal": rust_decimal::Decimal => ExtraValue::Decimal);
