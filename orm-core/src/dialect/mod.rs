//! What differs in SQL *text* between SQLite, PostgreSQL and MySQL/MariaDB, as data: quoting,
//! how a key list becomes one parameter, the shapes of a table of values and of
//! insert-or-ignore, limits, row locks, the clock. The statement builder (`sql`) reads these;
//! running statements is `execute`'s business, not the dialect's.

use crate::value::Key;

mod flavor;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
mod types;

#[cfg(test)]
pub(crate) use flavor::with_flavor;
pub use flavor::{PostgresFlavor, postgres_flavor, set_postgres_flavor};
pub use types::{
    GeneratedKey, MYSQL_TYPES, POSTGRES_TYPES, SQLITE_TYPES, SqlType, TypeName, TypeNames,
};

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// How a list of keys becomes one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyList {
    /// A PostgreSQL array: `col = ANY($1)`, `UNNEST($1)`.
    Array,
    /// JSON text read by SQLite's `json_each(?)`.
    JsonEach,
    /// JSON text read by MySQL's `JSON_TABLE(?, '$[*]' COLUMNS (...))`.
    JsonTable,
}

/// How a table of literal rows (pivot rows with data) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValuesTable {
    /// `(VALUES (..), (..)) AS t(a, b)` (PostgreSQL).
    Named,
    /// `(SELECT column1 AS a, column2 AS b FROM (VALUES (..), (..))) AS t` (SQLite).
    Numbered,
    /// `(SELECT .. AS a, .. AS b UNION ALL SELECT .., ..) AS t` (MariaDB, which types a VALUES
    /// table's columns from its first row alone: after a NULL there, later strings became '').
    UnionOfSelects,
}

/// How an insert skips rows whose unique key already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipDuplicates {
    /// `ON CONFLICT DO NOTHING`.
    OnConflictDoNothing,
    /// A no-op `ON DUPLICATE KEY UPDATE col = col`: unlike `INSERT IGNORE` it does not hide
    /// foreign-key errors.
    OnDuplicateKeyNoOp,
}

/// How an insert updates the row whose unique key it collides with (an upsert).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// `ON CONFLICT (a, b) DO UPDATE SET c = EXCLUDED.c` (PostgreSQL, SQLite 3.24+): the
    /// conflict columns are named and must be exactly a unique key.
    OnConflictExcluded,
    /// `ON DUPLICATE KEY UPDATE c = VALUES(c)` (MariaDB, which lacks MySQL 8.0.19's row alias
    /// `AS new ... c = new.c`): a collision on *any* unique key of the table updates that row;
    /// the conflict columns only say which row to read back.
    OnDuplicateKeyValues,
}

/// How an insert leaves out the keys a parent's pivot rows already hold (attach never writes a
/// duplicate, with or without a unique key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsentKeys {
    /// `WHERE NOT EXISTS (SELECT 1 FROM pivot WHERE fk = ? AND rfk = key)`: a hashed anti-join
    /// on PostgreSQL, where `NOT IN (subquery)` may be run once per row when it outgrows
    /// `work_mem`.
    NotExists,
    /// `WHERE key NOT IN (SELECT rfk FROM pivot WHERE fk = ? AND rfk IS NOT NULL)`: SQLite and
    /// MariaDB build the subquery's result once, with an index; their correlated `NOT EXISTS`
    /// scans a pivot without an index once per key (quadratic: over a minute for 35,000 keys
    /// against 70,000 rows, where this takes 33 ms on SQLite and 103 ms on MariaDB).
    NotIn,
}

/// How an update takes its new values from a table of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateFrom {
    /// `UPDATE t SET c = rows.c FROM <rows> WHERE t.k = rows.k` (PostgreSQL, SQLite 3.33+).
    From,
    /// `UPDATE t JOIN <rows> ON t.k = rows.k SET t.c = rows.c` (MySQL / MariaDB).
    Join,
}

/// What `LIMIT` says when only an offset is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoLimit {
    /// `LIMIT` may be left out (PostgreSQL).
    Omit,
    /// `LIMIT -1` (SQLite).
    MinusOne,
    /// `LIMIT <i64::MAX>` (MySQL needs a LIMIT before OFFSET).
    Largest,
}

/// How a sync's read locks the row of the parent whose pivot rows it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLock {
    /// No lock clause: write transactions are serial already (SQLite, `BEGIN IMMEDIATE`).
    None,
    /// `... FOR UPDATE` on the joined read, whose locking read also sees the latest pivot rows
    /// (MySQL / MariaDB).
    Join,
    /// The parent locked once in a CTE, `FOR NO KEY UPDATE` (PostgreSQL, where a lock on the
    /// joined result is taken again for every joined row: 5 ms for 1,000 rows).
    Cte,
    /// The parent locked by a statement of its own, `SELECT key FROM parents WHERE key = ? FOR
    /// NO KEY UPDATE`, before a plain read of the pivot, which then sees the rows committed
    /// before the lock was granted (distributed PostgreSQL: one row of one table, where a lock
    /// in a CTE or on an outer join is not portable).
    Statement,
}

/// The SQL dialect of a database: implemented for `sqlx::Sqlite`, `sqlx::Postgres` and
/// `sqlx::MySql` (each behind its cargo feature). Sealed.
///
/// ```
/// use orm_core::dialect::Dialect;
/// assert_eq!(<sqlx::Sqlite as Dialect>::DIALECT, "sqlite");
/// assert_eq!(<sqlx::Sqlite as Dialect>::BIND_LIMIT, 32_766);
/// ```
pub trait Dialect: sqlx::Database + Sealed {
    /// `sqlite`, `postgres` or `mysql` ([`crate::Backend::NAME`]).
    const DIALECT: &'static str;
    /// The most parameters one statement may bind.
    const BIND_LIMIT: usize;
    /// Whether `INSERT ... RETURNING` hands back the generated key (else `last_insert_id`).
    const INSERT_RETURNING: bool;
    /// Whether a read that locks a row (and waited for it) sees the rows other transactions
    /// committed meanwhile. False on PostgreSQL, whose statement keeps its older snapshot.
    const LOCKED_READS_ARE_CURRENT: bool;
    /// Whether statements with a key-list parameter are prepared and cached (false on
    /// PostgreSQL, where a cached generic plan misjudges large lists).
    const PREPARE_KEY_LISTS: bool;
    /// How a sync's read locks the parent row for the rest of the transaction.
    const ROW_LOCK: RowLock;
    /// How a list of keys becomes one parameter.
    const KEY_LIST: KeyList;
    /// How a table of literal rows is written.
    const VALUES_TABLE: ValuesTable;
    /// How an insert skips existing rows.
    const SKIP_DUPLICATES: SkipDuplicates;
    /// How an insert updates the row it collides with.
    const UPSERT: Upsert;
    /// How an insert leaves out the keys a parent already has.
    const ABSENT_KEYS: AbsentKeys;
    /// How an update joins a table of new values.
    const UPDATE_FROM: UpdateFrom;
    /// Whether a keyed `DELETE` joins the key list, materialized as a derived table (MySQL,
    /// whose optimizer runs `IN (subquery)` once per row), instead of filtering with `IN`.
    const DELETE_BY_JOIN: bool;
    /// What `LIMIT` says when there is none.
    const NO_LIMIT: NoLimit;
    /// Whether a many-to-many preload writes its order the way the pivot's (parent, related)
    /// index delivers it: the pivot's parent key first, an integer related key as the pivot's
    /// copy. True on SQLite, whose planner neither carries an order across a join's equality
    /// nor merge-joins, so `ORDER BY related.id` sorts every row. PostgreSQL derives that order
    /// from the join and may merge-join on the related key instead (cheaper there without the
    /// parent key first); MariaDB sorts its semi-join's rows either way.
    const PIVOT_INDEX_ORDER: bool;
    /// Whether reads can run on the driver's raw handle, skipping its per-value copies
    /// (SQLite: [`crate::execute::raw`]); statements then also record their values for it.
    const RAW_READS: bool = false;
    /// The SQL expression for "now" that pivot timestamps are set to.
    const NOW: &'static str;
    /// The column types `schema` writes and accepts.
    const TYPES: &'static TypeNames;
    /// The identifier quote character.
    const QUOTE: char;

    /// Binds a key list as one parameter (array or JSON text).
    ///
    /// # Errors
    /// The encoder's error.
    fn add_key_array<K: Key>(
        args: &mut Self::Arguments,
        keys: &[K],
    ) -> Result<(), sqlx::error::BoxDynError>;

    /// Binds an `i64` the ORM computed (limits, offsets, row numbers).
    ///
    /// # Errors
    /// The encoder's error.
    fn add_i64(args: &mut Self::Arguments, value: i64) -> Result<(), sqlx::error::BoxDynError>;

    /// Whether statements are written for a distributed PostgreSQL ([`PostgresFlavor`]): false
    /// on SQLite and MySQL, whatever the flavor.
    fn distributed() -> bool {
        false
    }

    /// How a sync's read locks the parent row: [`RowLock::Statement`] in the distributed
    /// flavor, else [`Dialect::ROW_LOCK`].
    fn row_lock() -> RowLock {
        if Self::distributed() {
            RowLock::Statement
        } else {
            Self::ROW_LOCK
        }
    }

    /// Whether the rows a sync read under the parent's lock are current (no second read
    /// needed): [`Dialect::LOCKED_READS_ARE_CURRENT`], or a read that comes after its lock.
    fn locked_reads_are_current() -> bool {
        Self::LOCKED_READS_ARE_CURRENT || Self::row_lock() == RowLock::Statement
    }

    /// How an insert leaves out the keys a parent already has: the uncorrelated
    /// [`AbsentKeys::NotIn`] in the distributed flavor (Citus runs a correlated subquery only
    /// when it correlates on the distribution column), else [`Dialect::ABSENT_KEYS`].
    fn absent_keys() -> AbsentKeys {
        if Self::distributed() {
            AbsentKeys::NotIn
        } else {
            Self::ABSENT_KEYS
        }
    }

    /// Appends `name` as a quoted identifier, doubling the quote character inside it.
    fn quote_ident(out: &mut String, name: &str) {
        out.push(Self::QUOTE);
        for c in name.chars() {
            if c == Self::QUOTE {
                out.push(c);
            }
            out.push(c);
        }
        out.push(Self::QUOTE);
    }
}
