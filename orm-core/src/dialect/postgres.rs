//! PostgreSQL: `"` quoting, array parameters (`= ANY($1)`, `UNNEST($1)`),
//! `ON CONFLICT DO NOTHING`, RETURNING; the distributed flavor ([`super::PostgresFlavor`]).

use sqlx::Postgres;

use super::{
    AbsentKeys, Dialect, KeyList, NoLimit, RowLock, Sealed, SkipDuplicates, UpdateFrom, Upsert,
    ValuesTable,
};
use crate::value::Key;

impl Sealed for Postgres {}

impl Dialect for Postgres {
    const DIALECT: &'static str = "postgres";
    const BIND_LIMIT: usize = 65_535;
    const INSERT_RETURNING: bool = true;
    const LOCKED_READS_ARE_CURRENT: bool = false;
    const PREPARE_KEY_LISTS: bool = false;
    const ROW_LOCK: RowLock = RowLock::Cte;
    const KEY_LIST: KeyList = KeyList::Array;
    const VALUES_TABLE: ValuesTable = ValuesTable::Named;
    const ABSENT_KEYS: AbsentKeys = AbsentKeys::NotExists;
    const UPDATE_FROM: UpdateFrom = UpdateFrom::From;
    const SKIP_DUPLICATES: SkipDuplicates = SkipDuplicates::OnConflictDoNothing;
    const UPSERT: Upsert = Upsert::OnConflictExcluded;
    const DELETE_BY_JOIN: bool = false;
    const NO_LIMIT: NoLimit = NoLimit::Omit;
    const PIVOT_INDEX_ORDER: bool = false;
    const NOW: &'static str = "LOCALTIMESTAMP";
    const TYPES: &'static super::TypeNames = &super::POSTGRES_TYPES;
    const QUOTE: char = '"';

    fn add_key_array<K: Key>(
        args: &mut Self::Arguments,
        keys: &[K],
    ) -> Result<(), sqlx::error::BoxDynError> {
        K::bind_pg_array(keys, args)
    }

    fn distributed() -> bool {
        super::postgres_flavor() == super::PostgresFlavor::Distributed
    }

    fn add_i64(args: &mut Self::Arguments, value: i64) -> Result<(), sqlx::error::BoxDynError> {
        sqlx::Arguments::add(args, value)
    }
}
