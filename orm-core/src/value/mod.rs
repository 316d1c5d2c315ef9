//! The traits that say which Rust values a backend can bind and decode, and what a key is.

use std::fmt::Debug;
use std::hash::Hash;

use sqlx::{Database, Decode, Encode, Type};

mod extra;
mod typed;

pub use extra::{ExtraValue, FromExtra};

/// A value the backend `DB` can bind as a query parameter.
///
/// Implemented for every type sqlx can encode for `DB` (integers, strings, `Option`s of them, ...).
///
/// ```
/// fn takes_bindable<T: orm_core::Bind<sqlx::Sqlite>>(_: T) {}
/// takes_bindable(42_i64);
/// takes_bindable("text");
/// ```
pub trait Bind<DB: Database>: for<'q> Encode<'q, DB> + Type<DB> + Send + Sync {}

impl<DB: Database, T: ?Sized> Bind<DB> for T where T: for<'q> Encode<'q, DB> + Type<DB> + Send + Sync
{}

/// A value the backend `DB` can both bind and decode: the type of a model's column.
///
/// ```
/// fn column<T: orm_core::Column<sqlx::Sqlite>>() {}
/// column::<Option<String>>();
/// ```
pub trait Column<DB: Database>: Bind<DB> + for<'r> Decode<'r, DB> + Send + 'static {}

impl<DB: Database, T> Column<DB> for T where T: Bind<DB> + for<'r> Decode<'r, DB> + Send + 'static {}

/// The type of a key column: a primary key, or a key a relation joins on.
///
/// Keys are compared and hashed in memory (sync diffs, preload grouping) and sent to the database
/// as one list parameter where the backend allows it (a PostgreSQL array, a JSON array on SQLite and
/// MariaDB), so key lists of any length take one bind.
///
/// Implemented for `i16`, `i32`, `i64`, `String`, and `uuid::Uuid` with the `uuid` feature.
///
/// ```
/// use orm_core::Key;
///
/// let mut json = String::new();
/// 42_i64.write_json(&mut json);
/// assert_eq!(json, "42");
/// ```
pub trait Key: Clone + Eq + Hash + Debug + Send + Sync + 'static {
    /// The column type MariaDB's `JSON_TABLE` reads list elements as.
    const MYSQL_JSON_TYPE: &'static str;
    /// The type MariaDB's `CAST(? AS ...)` gives a bound key.
    const MYSQL_CAST_TYPE: &'static str;
    /// The PostgreSQL array type of a list of these keys (`int8[]`), which the distributed
    /// flavor writes on every array parameter: `= ANY($1::int8[])`.
    #[doc(hidden)]
    const PG_ARRAY_TYPE: &'static str;
    /// The SQL function that turns an element of a JSON key list (SQLite, MariaDB) into the
    /// column's value, or `""` when the element is the value itself. A `Uuid` is 16 bytes in
    /// those databases and travels in JSON as hex text: `UNHEX`.
    #[doc(hidden)]
    const FROM_JSON: &'static str = "";
    /// Whether any two columns holding the same keys sort them alike: integers do; text sorts
    /// by each column's collation (and, on SQLite, its affinity). A preload ordered by the
    /// related key then orders by the pivot's copy of it, which the pivot's index delivers.
    #[doc(hidden)]
    const SORTS_ALIKE_IN_ANY_COLUMN: bool = false;

    /// Whether [`Key::read_raw`] reads this key on SQLite's raw read path
    /// ([`crate::execute::raw`]); a preload whose parent key has no raw reader reads through sqlx.
    #[doc(hidden)]
    const RAW_READABLE: bool = false;

    /// Reads this key from column `index` of a raw row, as sqlx would decode it.
    ///
    /// # Errors
    /// sqlx's decode error for a value that does not fit (NULL included).
    #[doc(hidden)]
    fn read_raw(
        row: &crate::execute::raw::RawRow<'_>,
        index: usize,
    ) -> std::result::Result<Self, sqlx::Error> {
        let _ = (row, index);
        Err(sqlx::Error::InvalidArgument(String::from(
            "no raw reader for this key type",
        )))
    }

    /// Appends this key as a JSON value.
    fn write_json(&self, out: &mut String);

    /// The key as an extra value (`pivot_<foreign key>` of a related row).
    fn to_extra(&self) -> ExtraValue;

    /// Turns a database-generated id (MySQL's `LAST_INSERT_ID()`) into a key.
    fn from_generated_id(id: u64) -> Option<Self>;

    /// Binds a whole list of keys as one PostgreSQL array parameter.
    #[cfg(feature = "postgres")]
    #[doc(hidden)]
    fn bind_pg_array(
        keys: &[Self],
        args: &mut sqlx::postgres::PgArguments,
    ) -> Result<(), sqlx::error::BoxDynError>;
}

macro_rules! integer_key {
    ($($ty:ty => $mysql:literal, $pg_array:literal),*) => {$(
        impl Key for $ty {
            const MYSQL_JSON_TYPE: &'static str = $mysql;
            const MYSQL_CAST_TYPE: &'static str = "SIGNED";
            const PG_ARRAY_TYPE: &'static str = $pg_array;
            const SORTS_ALIKE_IN_ANY_COLUMN: bool = true;
            const RAW_READABLE: bool = true;

            fn read_raw(
                row: &crate::execute::raw::RawRow<'_>,
                index: usize,
            ) -> Result<Self, sqlx::Error> {
                crate::execute::raw::RawColumn::read_raw(row, index)
            }

            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }

            fn from_generated_id(id: u64) -> Option<Self> {
                <$ty>::try_from(id).ok()
            }

            fn to_extra(&self) -> ExtraValue {
                ExtraValue::Int(i64::from(*self))
            }

            #[cfg(feature = "postgres")]
            fn bind_pg_array(
                keys: &[Self],
                args: &mut sqlx::postgres::PgArguments,
            ) -> Result<(), sqlx::error::BoxDynError> {
                sqlx::Arguments::add(args, keys)
            }
        }
    )*};
}

integer_key!(i16 => "SMALLINT", "int2[]", i32 => "INT", "int4[]", i64 => "BIGINT", "int8[]");

impl Key for String {
    const MYSQL_JSON_TYPE: &'static str = "VARCHAR(768)";
    const MYSQL_CAST_TYPE: &'static str = "CHAR(768)";
    const PG_ARRAY_TYPE: &'static str = "text[]";
    const RAW_READABLE: bool = true;

    fn read_raw(row: &crate::execute::raw::RawRow<'_>, index: usize) -> Result<Self, sqlx::Error> {
        crate::execute::raw::RawColumn::read_raw(row, index)
    }

    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }

    fn from_generated_id(_: u64) -> Option<Self> {
        None
    }

    fn to_extra(&self) -> ExtraValue {
        ExtraValue::Text(self.clone())
    }

    #[cfg(feature = "postgres")]
    fn bind_pg_array(
        keys: &[Self],
        args: &mut sqlx::postgres::PgArguments,
    ) -> Result<(), sqlx::error::BoxDynError> {
        sqlx::Arguments::add(args, keys)
    }
}

/// A `Uuid` key: a native `UUID` on PostgreSQL (one `UUID[]` array parameter per list), 16 bytes
/// (`BLOB` / `BINARY(16)`, as sqlx stores it) on SQLite and MariaDB, where a key list is a JSON
/// array of the keys' hex digits turned back into bytes by `unhex` / `UNHEX` (SQLite 3.41 or
/// later; sqlx bundles a newer one).
///
/// ```
/// use orm_core::Key;
///
/// let key = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
/// let mut json = String::new();
/// key.write_json(&mut json);
/// assert_eq!(json, r#""0123456789abcdef0123456789abcdef""#);
/// ```
#[cfg(feature = "uuid")]
impl Key for uuid::Uuid {
    const MYSQL_JSON_TYPE: &'static str = "CHAR(32)";
    const MYSQL_CAST_TYPE: &'static str = "BINARY(16)";
    const PG_ARRAY_TYPE: &'static str = "uuid[]";
    const FROM_JSON: &'static str = "UNHEX";

    fn write_json(&self, out: &mut String) {
        out.push('"');
        let mut buf = uuid::Uuid::encode_buffer();
        out.push_str(self.simple().encode_lower(&mut buf));
        out.push('"');
    }

    fn from_generated_id(_: u64) -> Option<Self> {
        None
    }

    fn to_extra(&self) -> ExtraValue {
        ExtraValue::Uuid(*self)
    }

    #[cfg(feature = "postgres")]
    fn bind_pg_array(
        keys: &[Self],
        args: &mut sqlx::postgres::PgArguments,
    ) -> Result<(), sqlx::error::BoxDynError> {
        sqlx::Arguments::add(args, keys)
    }
}

/// Writes keys as one JSON array, the list parameter of SQLite's `json_each` and MariaDB's
/// `JSON_TABLE`.
#[cfg_attr(not(any(feature = "sqlite", feature = "mysql")), allow(dead_code))]
pub(crate) fn json_array<K: Key>(keys: &[K]) -> String {
    let mut out = String::with_capacity(keys.len() * 8 + 2);
    out.push('[');
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        key.write_json(&mut out);
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<K: Key>(key: K) -> String {
        let mut out = String::new();
        key.write_json(&mut out);
        out
    }

    #[test]
    fn integer_keys_are_json_numbers() {
        assert_eq!(json(0_i16), "0");
        assert_eq!(json(i16::MIN), "-32768");
        assert_eq!(json(-7_i32), "-7");
        assert_eq!(json(i32::MAX), "2147483647");
        assert_eq!(json(i64::MIN), "-9223372036854775808");
        assert_eq!(json(i64::MAX), "9223372036854775807");
    }

    #[test]
    fn string_keys_are_json_strings_with_escapes() {
        assert_eq!(json(String::new()), r#""""#);
        assert_eq!(json("plain".to_string()), r#""plain""#);
        assert_eq!(json(r#"say "hi""#.to_string()), r#""say \"hi\"""#);
        assert_eq!(json(r"C:\dir\".to_string()), r#""C:\\dir\\""#);
        assert_eq!(
            json("a\nb\tc\rd".to_string()),
            r#""a\u000ab\u0009c\u000dd""#
        );
        assert_eq!(json("\0\u{1f}".to_string()), r#""\u0000\u001f""#);
        // Not control characters in JSON: left as they are.
        assert_eq!(json(" \u{7f}é✓/'".to_string()), "\" \u{7f}é✓/'\"");
        assert_eq!(json("\\\"".to_string()), r#""\\\"""#);
    }

    #[test]
    fn key_lists_are_one_json_array() {
        assert_eq!(json_array::<i64>(&[]), "[]");
        assert_eq!(json_array(&[1_i64]), "[1]");
        assert_eq!(json_array(&[1_i64, -2, 3]), "[1,-2,3]");
        assert_eq!(json_array(&[7_i16, 8]), "[7,8]");
        let keys = [
            "a".to_string(),
            "b\"c".to_string(),
            "d\\".to_string(),
            "\n".to_string(),
        ];
        assert_eq!(json_array(&keys), r#"["a","b\"c","d\\","\u000a"]"#);
        assert_eq!(json_array::<String>(&[]), "[]");
    }

    #[test]
    fn generated_ids_convert_within_the_key_type_bounds() {
        assert_eq!(i16::from_generated_id(0), Some(0));
        assert_eq!(i16::from_generated_id(32_767), Some(i16::MAX));
        assert_eq!(i16::from_generated_id(32_768), None);
        assert_eq!(i32::from_generated_id(2_147_483_647), Some(i32::MAX));
        assert_eq!(i32::from_generated_id(2_147_483_648), None);
        assert_eq!(
            i64::from_generated_id(9_223_372_036_854_775_807),
            Some(i64::MAX)
        );
        assert_eq!(i64::from_generated_id(u64::MAX), None);
        assert_eq!(String::from_generated_id(1), None);
    }

    #[test]
    fn keys_become_extra_values() {
        assert_eq!(5_i16.to_extra(), ExtraValue::Int(5));
        assert_eq!((-5_i32).to_extra(), ExtraValue::Int(-5));
        assert_eq!(i64::MAX.to_extra(), ExtraValue::Int(i64::MAX));
        assert_eq!(
            "k".to_string().to_extra(),
            ExtraValue::Text("k".to_string())
        );
    }

    #[test]
    fn mysql_reads_list_elements_as_the_key_column_type() {
        assert_eq!(i16::MYSQL_JSON_TYPE, "SMALLINT");
        assert_eq!(i32::MYSQL_JSON_TYPE, "INT");
        assert_eq!(i64::MYSQL_JSON_TYPE, "BIGINT");
        assert_eq!(String::MYSQL_JSON_TYPE, "VARCHAR(768)");
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuid_keys_are_hex_json_strings_turned_back_into_bytes() {
        let a = uuid::Uuid::from_u128(1);
        let b = uuid::Uuid::from_u128(u128::MAX);
        assert_eq!(
            json_array(&[a, b]),
            r#"["00000000000000000000000000000001","ffffffffffffffffffffffffffffffff"]"#
        );
        assert_eq!(a.to_extra(), ExtraValue::Uuid(a));
        assert_eq!(uuid::Uuid::from_generated_id(1), None);
        assert_eq!(uuid::Uuid::MYSQL_CAST_TYPE, "BINARY(16)");
        assert_eq!(uuid::Uuid::FROM_JSON, "UNHEX");
        assert_eq!(i64::FROM_JSON, "");
    }
}
