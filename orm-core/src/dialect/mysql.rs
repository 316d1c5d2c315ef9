//! MySQL / MariaDB: backtick quoting, `JSON_TABLE` key lists, a no-op `ON DUPLICATE KEY UPDATE`
//! (unlike `INSERT IGNORE` it does not hide foreign-key errors), `LAST_INSERT_ID()` for
//! generated keys. Pivot writes use `INSERT ... RETURNING` and `DELETE ... RETURNING`, which
//! MariaDB 10.5+ has and MySQL 8 does not.

use sqlx::MySql;

use super::{
    AbsentKeys, Dialect, KeyList, NoLimit, RowLock, Sealed, SkipDuplicates, UpdateFrom, Upsert,
    ValuesTable,
};
use crate::value::{Key, json_array};

impl Sealed for MySql {}

impl Dialect for MySql {
    const DIALECT: &'static str = "mysql";
    const BIND_LIMIT: usize = 65_535;
    const INSERT_RETURNING: bool = false;
    const LOCKED_READS_ARE_CURRENT: bool = true;
    const PREPARE_KEY_LISTS: bool = true;
    const ROW_LOCK: RowLock = RowLock::Join;
    const KEY_LIST: KeyList = KeyList::JsonTable;
    const VALUES_TABLE: ValuesTable = ValuesTable::UnionOfSelects;
    const ABSENT_KEYS: AbsentKeys = AbsentKeys::NotIn;
    const UPDATE_FROM: UpdateFrom = UpdateFrom::Join;
    const SKIP_DUPLICATES: SkipDuplicates = SkipDuplicates::OnDuplicateKeyNoOp;
    const UPSERT: Upsert = Upsert::OnDuplicateKeyValues;
    const DELETE_BY_JOIN: bool = true;
    const NO_LIMIT: NoLimit = NoLimit::Largest;
    const PIVOT_INDEX_ORDER: bool = false;
    const NOW: &'static str = "CURRENT_TIMESTAMP(6)";
    const TYPES: &'static super::TypeNames = &super::MYSQL_TYPES;
    const QUOTE: char = '`';

    fn add_key_array<K: Key>(
        args: &mut Self::Arguments,
        keys: &[K],
    ) -> Result<(), sqlx::error::BoxDynError> {
        sqlx::Arguments::add(args, json_array(keys))
    }

    fn add_i64(args: &mut Self::Arguments, value: i64) -> Result<(), sqlx::error::BoxDynError> {
        sqlx::Arguments::add(args, value)
    }
}
