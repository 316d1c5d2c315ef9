//! Every attribute name and key the derives accept, in one place.

// Attribute names.
pub const MODEL: &str = "model";
pub const MANY_TO_MANY: &str = "many_to_many";
pub const HAS_MANY: &str = "has_many";
pub const HAS_ONE: &str = "has_one";
pub const BELONGS_TO: &str = "belongs_to";
pub const PIVOT: &str = "pivot";

// #[model(...)] on the struct.
pub const TABLE: &str = "table";
pub const TIMESTAMPS: &str = "timestamps";
pub const MODEL_STRUCT_KEYS: &[&str] = &[TABLE, TIMESTAMPS];

// #[model(...)] on a field.
pub const PRIMARY_KEY: &str = "primary_key";
pub const COLUMN: &str = "column";
pub const SKIP: &str = "skip";
pub const UNIQUE: &str = "unique";
pub const INDEX: &str = "index";
pub const SQL_TYPE: &str = "sql_type";
pub const DEFAULT: &str = "default";
pub const MODEL_FIELD_KEYS: &[&str] =
    &[PRIMARY_KEY, COLUMN, SKIP, UNIQUE, INDEX, SQL_TYPE, DEFAULT];

// Relation keys.
pub const LOCAL_KEY: &str = "local_key";
pub const RELATED_KEY: &str = "related_key";
pub const PIVOT_FOREIGN_KEY: &str = "pivot_foreign_key";
pub const PIVOT_RELATED_FOREIGN_KEY: &str = "pivot_related_foreign_key";
pub const PIVOT_TIMESTAMPS: &str = "pivot_timestamps";
pub const FOREIGN_KEY: &str = "foreign_key";
pub const OWNER_KEY: &str = "owner_key";
pub const MANY_TO_MANY_KEYS: &[&str] = &[
    PIVOT,
    LOCAL_KEY,
    RELATED_KEY,
    PIVOT_FOREIGN_KEY,
    PIVOT_RELATED_FOREIGN_KEY,
    PIVOT_TIMESTAMPS,
];
pub const HAS_KEYS: &[&str] = &[FOREIGN_KEY, LOCAL_KEY];
pub const BELONGS_TO_KEYS: &[&str] = &[FOREIGN_KEY, OWNER_KEY];

// pivot_timestamps(...) and #[model(timestamps(...))]
pub const CREATED_AT: &str = "created_at";
pub const UPDATED_AT: &str = "updated_at";
pub const TIMESTAMP_KEYS: &[&str] = &[CREATED_AT, UPDATED_AT];

// #[pivot(...)] on a PivotData field.
pub const PIVOT_FIELD_KEYS: &[&str] = &[COLUMN];

/// Formats a list of keys for an error message: `` `a`, `b`, `c` ``.
pub fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
