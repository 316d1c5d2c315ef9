//! SQLite: backtick quoting (a double-quoted name that matches no column silently becomes a
//! string literal in SQLite; a backtick-quoted one is an error), `json_each` key lists,
//! `ON CONFLICT DO NOTHING`, RETURNING.

use sqlx::Sqlite;

use super::{
    AbsentKeys, Dialect, KeyList, NoLimit, RowLock, Sealed, SkipDuplicates, UpdateFrom, Upsert,
    ValuesTable,
};
use crate::value::{Key, json_array};

impl Sealed for Sqlite {}

impl Dialect for Sqlite {
    const DIALECT: &'static str = "sqlite";
    const BIND_LIMIT: usize = 32_766;
    const INSERT_RETURNING: bool = true;
    const LOCKED_READS_ARE_CURRENT: bool = true;
    const PREPARE_KEY_LISTS: bool = true;
    const ROW_LOCK: RowLock = RowLock::None;
    const KEY_LIST: KeyList = KeyList::JsonEach;
    const VALUES_TABLE: ValuesTable = ValuesTable::Numbered;
    const ABSENT_KEYS: AbsentKeys = AbsentKeys::NotIn;
    const UPDATE_FROM: UpdateFrom = UpdateFrom::From;
    const SKIP_DUPLICATES: SkipDuplicates = SkipDuplicates::OnConflictDoNothing;
    const UPSERT: Upsert = Upsert::OnConflictExcluded;
    const DELETE_BY_JOIN: bool = false;
    const NO_LIMIT: NoLimit = NoLimit::MinusOne;
    const PIVOT_INDEX_ORDER: bool = true;
    const RAW_READS: bool = true;
    const NOW: &'static str = "strftime('%Y-%m-%d %H:%M:%f', 'now')";
    const TYPES: &'static super::TypeNames = &super::SQLITE_TYPES;
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
